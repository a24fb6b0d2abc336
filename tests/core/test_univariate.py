"""Univariate tests and distances against SciPy on the same inputs."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats
from scipy.spatial.distance import jensenshannon

from driftline_server.monitoring.core import (CoreInputError, compare_categorical, compare_numeric,
                                              encode_categorical, fit_reference)
from driftline_server.monitoring.core._stats import (ASYMP_P_ABS_ERROR, FAST_P_ERROR_COEF,
                                                     kolmogorov_sf_pelz_good)

_elem = st.one_of(
    st.integers(-3, 3).map(float),                       # ties
    st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    st.sampled_from([np.nan, np.inf, -np.inf]),          # non-finite, counted
)
_col = lambda lo, hi: hnp.arrays(np.float64, st.integers(lo, hi), elements=_elem)  # noqa: E731


def _finite(a):
    return a[np.isfinite(a)]


def _check_against_scipy(ref, bat):
    prof = fit_reference(ref[:, None])
    rep = compare_numeric(prof, bat[:, None], tests=("ks", "wasserstein", "cvm", "anderson", "missing_rate"))
    rf, bf = _finite(ref), _finite(bat)
    c = rep.counts
    assert c.n_finite[0] == bf.size and c.n_nan[0] == np.isnan(bat).sum()
    assert c.n_posinf[0] == (bat == np.inf).sum() and c.n_neginf[0] == (bat == -np.inf).sum()
    if bf.size == 0:
        assert np.isnan(rep["ks"].statistic[0]) and np.isnan(rep["ks"].p_value[0])
        return
    ks = stats.ks_2samp(rf, bf)
    assert abs(rep["ks"].statistic[0] - ks.statistic) <= 1e-12
    tol = 1e-10 if rep["ks"].method[0] in ("exact", "asymp-scipy") else ASYMP_P_ABS_ERROR
    assert abs(rep["ks"].p_value[0] - ks.pvalue) <= tol
    w = stats.wasserstein_distance(rf, bf)
    assert rep["wasserstein"].statistic[0] == pytest.approx(w, rel=1e-9, abs=1e-9 * (1 + np.abs(rf).max()))
    if rf.size >= 2 and bf.size >= 2:
        cv = stats.cramervonmises_2samp(rf, bf)
        assert rep["cvm"].statistic[0] == pytest.approx(cv.statistic, rel=1e-8, abs=1e-10)
        if rep["cvm"].p_value[0] == 0.0:  # documented: SciPy's series is inaccurate there
            assert cv.pvalue < 1e-4
        else:
            assert rep["cvm"].p_value[0] == pytest.approx(cv.pvalue, rel=1e-8, abs=1e-10)
    if rf.size + bf.size >= 4 and np.unique(np.concatenate([rf, bf])).size > 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ad = stats.anderson_ksamp([rf, bf])
        assert rep["anderson"].statistic[0] == pytest.approx(ad.statistic, rel=1e-9, abs=1e-9)
        assert rep["anderson"].p_value[0] == pytest.approx(ad.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.filterwarnings("ignore:ks_2samp. Exact calculation unsuccessful")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ref=_col(1, 80), bat=_col(1, 60))
def test_single_column_matches_scipy(ref, bat):
    if not np.isfinite(ref).any():
        with pytest.raises(CoreInputError):
            fit_reference(ref[:, None])
        return
    _check_against_scipy(ref, bat)


@pytest.mark.parametrize("n,m,shift", [(3000, 3000, 0.05), (500, 300, 0.2), (20000, 700, 0.1),
                                       (12000, 150, 0.0), (15, 12, 1.0), (40000, 9000, 0.03)])
def test_many_columns_match_scipy(n, m, shift):
    rng = np.random.default_rng(n + m)
    ref = rng.normal(size=(n, 4))
    bat = rng.normal(shift, 1.1, size=(m, 4))
    ref[:, 3] = np.round(ref[:, 3] * 2)  # heavy ties
    bat[:, 3] = np.round(bat[:, 3] * 2)
    ref[:, 2] = 7.0  # constant reference column
    for j in range(4):
        _check_against_scipy(ref[:, j], bat[:, j])


def test_exact_mode_pvalues_to_1e10():
    rng = np.random.default_rng(5)
    for n, m in [(100, 100), (1000, 333), (4000, 4000), (10000, 9999), (7, 3000)]:
        ref = rng.normal(size=(n, 3))
        bat = rng.normal(0.1, size=(m, 3))
        rep = compare_numeric(fit_reference(ref), bat, tests=("ks",), ks_mode="exact")
        for j in range(3):
            r = stats.ks_2samp(ref[:, j], bat[:, j], method="exact")
            assert rep["ks"].method[j] == "exact"
            assert abs(rep["ks"].p_value[j] - r.pvalue) <= 1e-10


def test_asymptotic_law_error_bound():
    xs = np.linspace(1e-4, 0.4, 120)
    for n in (141, 300, 1000, 9091, 100_000):
        ours = np.array([kolmogorov_sf_pelz_good(float(n), x) for x in xs])
        assert np.max(np.abs(ours - stats.kstwo.sf(xs, n))) <= ASYMP_P_ABS_ERROR


def test_fast_mode_error_bound():
    rng = np.random.default_rng(7)
    for n, m in [(60, 60), (200, 1000), (3000, 2000), (10000, 10000), (50000, 5000)]:
        ref = rng.normal(size=(n, 6))
        bat = rng.normal(np.linspace(0, 0.3, 6), size=(m, 6))
        prof = fit_reference(ref)
        auto = compare_numeric(prof, bat, tests=("ks",))["ks"]
        fast = compare_numeric(prof, bat, tests=("ks",), ks_mode="fast")["ks"]
        en = n * m / (n + m)
        assert np.all(np.abs(auto.p_value - fast.p_value) <= FAST_P_ERROR_COEF / math.sqrt(en))
        np.testing.assert_array_equal(auto.statistic, fast.statistic)


def test_binned_distances_match_definitions():
    rng = np.random.default_rng(3)
    ref = rng.normal(size=(5000, 2))
    bat = np.column_stack([rng.normal(0.5, size=800), rng.normal(size=800)])
    prof = fit_reference(ref, n_bins=8)
    rep = compare_numeric(prof, bat)
    s = 0.5
    for j in range(2):
        col = prof.numeric[j]
        rc = col.bin_counts
        idx = np.searchsorted(col.bin_edges, bat[:, j], side="right")
        bc = np.bincount(idx, minlength=rc.size)
        pr = (rc + s) / (rc.sum() + s * rc.size)
        pb = (bc + s) / (bc.sum() + s * bc.size)
        assert rep["psi"].statistic[j] == pytest.approx(np.sum((pb - pr) * np.log(pb / pr)), rel=1e-12)
        assert rep["kl"].statistic[j] == pytest.approx(stats.entropy(pb, pr), rel=1e-12)
        assert rep["jensen_shannon"].statistic[j] == pytest.approx(jensenshannon(pr, pb, base=2), rel=1e-9)
        assert rep["hellinger"].statistic[j] == pytest.approx(np.sqrt(1 - np.sum(np.sqrt(pr * pb))), rel=1e-9)
        assert rep["total_variation"].statistic[j] == pytest.approx(0.5 * np.abs(pr - pb).sum(), rel=1e-12)
        assert np.isnan(rep["psi"].p_value[j])
    assert rep["psi"].statistic[0] > 0.1 > rep["psi"].statistic[1]


@settings(max_examples=80, deadline=None)
@given(ref=st.lists(st.integers(0, 5), min_size=1, max_size=200),
       bat=st.lists(st.integers(-1, 8), min_size=1, max_size=200))
def test_categorical_chi2_and_g_match_scipy(ref, bat):
    labels = np.array([f"L{v}" for v in ref], dtype=object)[:, None]
    prof = fit_reference(categorical=labels)
    raw = np.array([None if v == -1 else f"L{v}" for v in bat], dtype=object)[:, None]
    codes = encode_categorical(prof, raw)
    rep = compare_categorical(prof, codes)
    cp = prof.categorical[0]
    bc = np.bincount(np.where(codes[:, 0] < 0, cp.unseen_code + 1, codes[:, 0]),
                     minlength=cp.unseen_code + 2)[: cp.unseen_code + 1]
    assert rep.counts.n_unseen[0] == bc[-1] and rep.counts.n_nan[0] == (codes[:, 0] == -1).sum()
    table = np.vstack([cp.counts, bc])
    table = table[:, table.sum(axis=0) > 0]
    for name, lam in (("chi2", None), ("g_test", "log-likelihood")):
        st_, pv = rep[name].statistic[0], rep[name].p_value[0]
        if table[1].sum() == 0:
            assert np.isnan(st_)
            continue
        if table.shape[1] < 2:
            assert st_ == 0 and pv == 1
            continue
        r = stats.chi2_contingency(table, lambda_=lam)
        assert st_ == pytest.approx(r.statistic, rel=1e-10, abs=1e-12)
        assert pv == pytest.approx(r.pvalue, rel=1e-9, abs=1e-14)
        assert np.isfinite(rep["kl"].statistic[0]) and np.isfinite(rep["psi"].statistic[0])


def test_g_test_equals_power_divergence():
    ref = np.repeat(["a", "b", "c"], [50, 30, 20]).astype(object)[:, None]
    prof = fit_reference(categorical=ref)
    bat = np.repeat(["a", "b", "c", "new"], [10, 30, 20, 5]).astype(object)[:, None]
    rep = compare_categorical(prof, encode_categorical(prof, bat))
    table = np.array([[50, 30, 20, 0], [10, 30, 20, 5]])
    expected = table.sum(1, keepdims=True) * table.sum(0) / table.sum()
    g = stats.power_divergence(table.ravel(), expected.ravel(), lambda_="log-likelihood", ddof=0)
    assert rep["g_test"].statistic[0] == pytest.approx(g.statistic, rel=1e-12)
    assert rep.counts.n_unseen[0] == 5


def test_missing_rate_test_matches_2x2_chi2():
    rng = np.random.default_rng(4)
    ref = rng.normal(size=(4000, 1))
    ref[:200, 0] = np.nan
    bat = rng.normal(size=(1000, 1))
    bat[:120, 0] = np.nan
    rep = compare_numeric(fit_reference(ref), bat, tests=("missing_rate",))
    chi = stats.chi2_contingency([[200, 3800], [120, 880]], correction=False)
    assert rep["missing_rate"].statistic[0] ** 2 == pytest.approx(chi.statistic, rel=1e-10)
    assert rep["missing_rate"].p_value[0] == pytest.approx(chi.pvalue, rel=1e-8)
    assert rep["missing_rate"].effect_size[0] == pytest.approx(0.12 - 0.05)


def test_detects_shift_and_not_noise():
    rng = np.random.default_rng(9)
    ref = rng.normal(size=(20000, 10))
    shift = np.r_[np.zeros(5), np.full(5, 0.2)]
    rep = compare_numeric(fit_reference(ref), rng.normal(shift, size=(3000, 10)))
    assert np.all(rep["ks"].p_value[5:] < 1e-4)
    assert np.all(rep["wasserstein"].effect_size[5:] > 0.1)
    assert np.all(rep["wasserstein"].effect_size[:5] < 0.08)


def test_input_errors():
    prof = fit_reference(np.zeros((10, 2)) + np.arange(10)[:, None])
    with pytest.raises(CoreInputError, match="0 rows"):
        compare_numeric(prof, np.empty((0, 2)))
    with pytest.raises(CoreInputError, match="shape"):
        compare_numeric(prof, np.zeros((5, 3)))
    with pytest.raises(CoreInputError, match="unknown"):
        compare_numeric(prof, np.zeros((5, 2)), tests=("bogus",))
    with pytest.raises(CoreInputError, match="ks_mode"):
        compare_numeric(prof, np.zeros((5, 2)), ks_mode="slow")
    cprof = fit_reference(categorical=np.array([["a"], ["b"]], dtype=object))
    with pytest.raises(CoreInputError, match="encode_categorical"):
        compare_categorical(cprof, np.array([["a"]], dtype=object))
    with pytest.raises(CoreInputError, match="0 rows"):
        compare_categorical(cprof, np.empty((0, 1), dtype=np.int64))


def test_tiny_batch_one_row():
    prof = fit_reference(np.arange(100.0)[:, None])
    rep = compare_numeric(prof, np.array([[50.0]]))
    ks = stats.ks_2samp(np.arange(100.0), [50.0])
    assert rep["ks"].statistic[0] == pytest.approx(ks.statistic, abs=1e-12)
    assert rep["ks"].p_value[0] == pytest.approx(ks.pvalue, abs=1e-10)
    assert np.isnan(rep["cvm"].statistic[0])  # needs two observations
