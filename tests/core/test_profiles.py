"""Reference profiles: fitting, sketching, serialisation round trips, input errors."""

import numpy as np
import pytest

from driftline_server.monitoring.core import (FORMAT_VERSION, CoreInputError, ProfileFormatError,
                                              ReferenceProfile, compare_numeric, encode_categorical,
                                              fit_reference)


def _ref(rng, n=2000):
    x = rng.normal(size=(n, 3))
    x[::17, 0] = np.nan
    x[::101, 1] = np.inf
    x[::211, 1] = -np.inf
    x[:, 2] = np.round(x[:, 2])  # ties
    cats = rng.choice(["a", "b", "c"], size=(n, 2)).astype(object)
    cats[::13, 1] = None
    return x, cats


def test_fit_counts_and_moments():
    rng = np.random.default_rng(0)
    x, cats = _ref(rng)
    prof = fit_reference(x, cats, numeric_names=["f0", "f1", "f2"], categorical_names=["c0", "c1"])
    c0, c1, c2 = prof.numeric
    assert c0.n_nan == int(np.isnan(x[:, 0]).sum()) and c0.n_finite == 2000 - c0.n_nan
    assert c1.n_posinf == int((x[:, 1] == np.inf).sum())
    assert c1.n_neginf == int((x[:, 1] == -np.inf).sum())
    fin = x[:, 0][np.isfinite(x[:, 0])]
    assert c0.mean == pytest.approx(fin.mean()) and c0.std == pytest.approx(fin.std())
    assert np.all(np.diff(c2.values) >= 0)
    assert c2.bin_counts.sum() == c2.n_finite
    assert prof.categorical[1].n_missing == int(sum(v is None for v in cats[:, 1]))
    assert prof.categorical[0].categories == ("a", "b", "c")
    assert prof.categorical[0].counts[-1] == 0  # unseen bucket


def test_roundtrip_bytes_and_dict():
    rng = np.random.default_rng(1)
    x, cats = _ref(rng)
    prof = fit_reference(x, cats, sketch_size=500)
    assert prof.numeric[0].is_sketch and prof.numeric[0].values.size == 500
    blob = prof.to_bytes()
    back = ReferenceProfile.from_bytes(blob)
    back2 = ReferenceProfile.from_dict(prof.to_dict())
    batch = rng.normal(size=(300, 3))
    r0 = compare_numeric(prof, batch)
    for other in (back, back2):
        assert other.format_version == FORMAT_VERSION
        assert other.numeric_names == prof.numeric_names
        for a, b in zip(prof.numeric, other.numeric):
            np.testing.assert_array_equal(a.values, b.values)
            np.testing.assert_array_equal(a.bin_edges, b.bin_edges)
            assert (a.n_nan, a.n_posinf, a.mean) == (b.n_nan, b.n_posinf, b.mean)
        for a, b in zip(prof.categorical, other.categorical):
            assert a.categories == b.categories
            np.testing.assert_array_equal(a.counts, b.counts)
        r1 = compare_numeric(other, batch)
        for t in r0.results:
            np.testing.assert_array_equal(r0[t].statistic, r1[t].statistic)
            np.testing.assert_array_equal(r0[t].p_value, r1[t].p_value)


def test_from_bytes_rejects_garbage_and_newer_versions():
    with pytest.raises(ProfileFormatError):
        ReferenceProfile.from_bytes(b"not a profile")
    prof = fit_reference(np.arange(10.0))
    d = prof.to_dict()
    d["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(ProfileFormatError, match="newer"):
        ReferenceProfile.from_dict(d)


def test_sketch_ecdf_error_bounded():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50_000, 1))
    full = fit_reference(x)
    sk = fit_reference(x, sketch_size=1000)
    batch = rng.normal(0.05, size=(2000, 1))
    d_full = compare_numeric(full, batch, tests=("ks",))["ks"].statistic[0]
    d_sk = compare_numeric(sk, batch, tests=("ks",))["ks"].statistic[0]
    assert abs(d_full - d_sk) <= 1.0 / 1000 + 1e-12


def test_fit_errors_are_clear():
    with pytest.raises(CoreInputError, match="0 rows"):
        fit_reference(np.empty((0, 2)))
    with pytest.raises(CoreInputError, match="no finite values"):
        fit_reference(np.array([[np.nan], [np.inf]]))
    with pytest.raises(CoreInputError, match="neither"):
        fit_reference()
    with pytest.raises(CoreInputError, match="names"):
        fit_reference(np.zeros((3, 2)), numeric_names=["a"])
    assert issubclass(CoreInputError, ValueError)


def test_encode_categorical_unseen_and_missing():
    prof = fit_reference(categorical=np.array([["a"], ["b"], ["a"]], dtype=object))
    codes = encode_categorical(prof, np.array([["a"], ["zzz"], [None], ["b"], [float("nan")]], dtype=object))
    assert codes[:, 0].tolist() == [0, 2, -1, 1, -1]
