"""Importance weighting: closed forms, baselines (densratio, scikit-learn), diagnostics, resampler."""

import numpy as np
import pytest
from scipy import stats

from driftline_server.monitoring.core import CoreInputError
from driftline_server.monitoring.core.weighting import (DENSRATIO_GRID, _gauss_kernel, _lsif_loo_scores,
                                                        estimate_weights, logistic_weights, pareto_khat,
                                                        postprocess_weights,
                                                        resample, rulsif_weights, ulsif_weights,
                                                        weight_diagnostics, weighted_retest)


def _shifted(rng, n_ref=1500, n_prod=1000, d=2, shift=0.7):
    ref = rng.normal(size=(n_ref, d))
    prod = rng.normal(size=(n_prod, d))
    prod[:, 0] += shift
    return ref, prod


def _true_ratio(ref, shift):
    # N(shift,1)/N(0,1) on the first coordinate
    return np.exp(shift * ref[:, 0] - shift ** 2 / 2)


def test_loo_closed_form_equals_brute_force_refits():
    rng = np.random.default_rng(0)
    nx = ny = 25
    px = np.abs(rng.normal(size=(nx, 6))) + 0.1
    py = np.abs(rng.normal(size=(ny, 6))) + 0.1
    lambdas = np.array([0.01, 0.1, 1.0])
    closed = _lsif_loo_scores(px, py, 0.0, lambdas, published=True)
    for k, lam in enumerate(lambdas):
        tot = 0.0
        for i in range(nx):
            keep = np.arange(nx) != i
            h_ = py[keep].T @ py[keep] / (ny - 1)
            hv = px[keep].mean(axis=0)
            th = np.maximum(np.linalg.solve(h_ + lam * np.eye(6), hv), 0)
            tot += 0.5 * (py[i] @ th) ** 2 - px[i] @ th
        assert closed[k] == pytest.approx(tot / nx, rel=1e-10, abs=1e-12)


def test_ulsif_final_solution_is_the_published_closed_form():
    rng = np.random.default_rng(1)
    ref, prod = _shifted(rng, 400, 300)
    res = ulsif_weights(ref, prod, sigmas=[0.8], lambdas=[0.05])
    c = res.params["centers"]
    phi_p, phi_r = _gauss_kernel(prod, c, 0.8), _gauss_kernel(ref, c, 0.8)
    theta = np.maximum(np.linalg.solve(phi_r.T @ phi_r / 400 + 0.05 * np.eye(len(c)), phi_p.mean(0)), 0)
    np.testing.assert_allclose(res.params["theta"], theta, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(res.params["raw_ratio"], phi_r @ theta, rtol=1e-10)


@pytest.mark.parametrize("alpha", [0.0, 0.1])
def test_matches_densratio_on_its_grid(alpha):
    densratio = pytest.importorskip("densratio", reason="densratio (test-only baseline) not installed")
    rng = np.random.default_rng(2)
    ref, prod = _shifted(rng, 500, 400, d=3)
    np.random.seed(7)
    idx = np.random.choice(400, size=100, replace=False)
    np.random.seed(7)  # densratio draws the same centres from the global RNG
    method = "RuLSIF" if alpha else "uLSIF"
    dr = densratio.densratio(prod, ref, method=method, alpha=alpha, verbose=False)
    ours = ulsif_weights(ref, prod, alpha=alpha, sigmas=DENSRATIO_GRID, lambdas=DENSRATIO_GRID,
                         centers=prod[idx], loo="densratio")
    assert ours.params["sigma"] == dr.kernel_info.sigma and ours.params["lambda"] == dr.lambda_
    np.testing.assert_allclose(ours.params["theta"], dr.theta, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.params["raw_ratio"], dr.compute_density_ratio(ref), rtol=1e-8, atol=1e-10)


def test_logistic_ratio_matches_sklearn():
    lm = pytest.importorskip("sklearn.linear_model", reason="scikit-learn (test-only baseline) not installed")
    rng = np.random.default_rng(3)
    ref, prod = _shifted(rng, 800, 600, d=3)
    res = logistic_weights(ref, prod, cs=[0.5])
    z = np.vstack([ref, prod])
    zs = (z - z.mean(0)) / z.std(0)
    lab = np.r_[np.zeros(800), np.ones(600)]
    sk = lm.LogisticRegression(C=0.5, tol=1e-12, max_iter=10_000, solver="lbfgs").fit(zs, lab)
    w = (800 / 600) * np.exp(sk.decision_function(zs[:800]))
    np.testing.assert_allclose(res.weights, w / w.mean(), rtol=1e-6)


def test_logistic_cv_picks_c_and_recovers_true_ratio():
    rng = np.random.default_rng(4)
    ref, prod = _shifted(rng, 3000, 3000, d=3, shift=0.5)
    res = estimate_weights(ref, prod)
    assert res.method == "logistic" and res.params["C"] in 10.0 ** np.linspace(-3, 2, 6)
    true = _true_ratio(ref, 0.5)
    assert np.corrcoef(res.weights, true / true.mean())[0, 1] > 0.97


@pytest.mark.parametrize("method", ["ulsif", "rulsif", "kliep", "kmm"])
def test_kernel_methods_track_true_ratio(method):
    rng = np.random.default_rng(5)
    ref, prod = _shifted(rng, 1200, 800, d=2, shift=0.6)
    kw = {"chunk_size": 400} if method == "kmm" else {}
    res = estimate_weights(ref, prod, method=method, **kw)
    true = _true_ratio(ref, 0.6)
    if method == "rulsif":  # relative ratio r / (alpha r + 1 - alpha)
        true = true / (0.1 * true + 0.9)
    rho = stats.spearmanr(res.weights, true).statistic
    assert rho > (0.7 if method == "kmm" else 0.8), rho  # KMM's chunked QP is the noisiest
    assert res.weights.mean() == pytest.approx(1.0)


def test_diagnostics_and_pareto_k():
    rng = np.random.default_rng(6)
    d = weight_diagnostics(np.ones(100))
    assert d.ess == pytest.approx(100) and d.ess_fraction == pytest.approx(1)
    w = np.r_[np.ones(99), 100.0]
    assert weight_diagnostics(w).ess == pytest.approx(w.sum() ** 2 / (w @ w))
    heavy = rng.uniform(size=20_000) ** -0.8  # Pareto tail with shape 0.8
    light = rng.exponential(size=20_000)       # shape 0
    assert pareto_khat(heavy) == pytest.approx(0.8, abs=0.12)
    assert pareto_khat(light) < 0.2


def test_postprocess_clip_and_temper():
    w = np.array([0.1, 1.0, 1.0, 10.0])
    t = postprocess_weights(w, temper=0.5)
    np.testing.assert_allclose(t, np.sqrt(w) / np.sqrt(w).mean())
    c = postprocess_weights(w, clip_max=2.0)
    assert c.max() / c.mean() <= 2.0 / np.minimum(w / w.mean(), 2.0).mean() + 1e-12
    assert postprocess_weights(w, temper=0.0).std() == 0


def test_weighted_retest_matches_scipy_and_explains_shift():
    rng = np.random.default_rng(7)
    ref, prod = _shifted(rng, 4000, 2000, d=2, shift=0.5)
    true = _true_ratio(ref, 0.5)
    rt = weighted_retest(ref, prod, true)
    for j in range(2):
        assert rt.w1_weighted[j] == pytest.approx(stats.wasserstein_distance(ref[:, j], prod[:, j], true), rel=1e-9)
        assert rt.w1_unweighted[j] == pytest.approx(stats.wasserstein_distance(ref[:, j], prod[:, j]), rel=1e-9)
        assert rt.ks_unweighted[j] == pytest.approx(stats.ks_2samp(ref[:, j], prod[:, j]).statistic, abs=1e-12)
        # weighted KS by definition on the pooled grid
        grid = np.sort(np.r_[ref[:, j], prod[:, j]])
        o = np.argsort(ref[:, j])
        cw = np.cumsum(true[o]) / true.sum()
        fr = np.r_[0, cw][np.searchsorted(ref[o, j], grid, side="right")]
        fp = np.searchsorted(np.sort(prod[:, j]), grid, side="right") / 2000
        assert rt.ks_weighted[j] == pytest.approx(np.abs(fr - fp).max(), abs=1e-12)
    assert rt.explained_w1[0] > 0.7  # the true ratio removes most of the shift
    assert rt.w1_weighted[1] < 0.08  # unshifted column stays close (weights only add noise)


def test_resampler():
    w = np.array([1.0, 3.0, 0.0, 6.0])
    idx = resample(w, 1000)
    counts = np.bincount(idx, minlength=4)
    assert counts.tolist() == [100, 300, 0, 600]  # systematic: exact up to rounding
    idx = resample(w, 100_000, method="multinomial", seed=1)
    np.testing.assert_allclose(np.bincount(idx, minlength=4) / 1e5, w / w.sum(), atol=0.01)


def test_errors():
    with pytest.raises(CoreInputError):
        estimate_weights(np.ones((5, 2)), np.ones((5, 2)), method="magic")
    with pytest.raises(CoreInputError, match="NaN"):
        logistic_weights(np.array([[np.nan], [1.0]]), np.ones((3, 1)))
    with pytest.raises(CoreInputError):
        resample([1.0, -1.0], 3)
    with pytest.raises(CoreInputError):
        rulsif_weights(np.ones((5, 1)), np.ones((5, 1)), alpha=0.0)
    with pytest.raises(CoreInputError):
        weighted_retest(np.ones((5, 1)), np.ones((5, 1)), np.ones(4))
