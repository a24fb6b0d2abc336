"""MMD, classifier two-sample test and PCA reconstruction."""

import numpy as np
import pytest

from driftline_server.monitoring.core import CoreInputError
from driftline_server.monitoring.core.multivariate import (PCAReconstruction, _perm_indicators,
                                                           classifier_test, median_heuristic, mmd2, mmd_test)


def _naive_mmd2(x, y, sigma):
    def k(a, b):
        d = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.exp(-d / (2 * sigma ** 2))
    n, m = len(x), len(y)
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    return ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2 * kxy.mean())


def test_permutation_mmd_equals_reindexing_definition():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3))
    y = rng.normal(0.3, size=(45, 3))
    res = mmd_test(x, y, n_permutations=30, seed=4)
    assert res.method == "permutation"
    assert res.statistic == pytest.approx(_naive_mmd2(x, y, res.bandwidth), rel=1e-10, abs=1e-13)
    # the batched null equals re-indexing the pooled sample per permutation
    s = _perm_indicators(60, 45, 30, np.random.default_rng(4))
    z = np.vstack([x, y])
    for p in range(30):
        a = s[:, p].astype(bool)
        assert res.null_statistics[p] == pytest.approx(_naive_mmd2(z[a], z[~a], res.bandwidth), rel=1e-9, abs=1e-12)
    assert res.p_value == pytest.approx((1 + np.sum(res.null_statistics >= res.statistic)) / 31)


def test_matrix_free_statistic_matches():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 5))
    y = rng.normal(0.2, size=(200, 5))
    sigma = median_heuristic(x, y)
    assert mmd2(x, y, bandwidth=sigma) == pytest.approx(_naive_mmd2(x, y, sigma), rel=1e-9)
    assert mmd_test(x, y, bandwidth=sigma, n_permutations=5).statistic == pytest.approx(
        _naive_mmd2(x, y, sigma), rel=1e-9)


def test_median_heuristic_definition():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(40, 2)), rng.normal(size=(30, 2))
    z = np.vstack([x, y])
    d = ((z[:, None] - z[None]) ** 2).sum(-1)[np.triu_indices(70, 1)]
    assert median_heuristic(x, y) == pytest.approx(np.sqrt(np.median(d) / 2))


@pytest.mark.parametrize("method", ["permutation", "random_features", "linear"])
def test_mmd_power_and_size(method):
    rng = np.random.default_rng(3)
    pvals_null, pvals_alt = [], []
    n = 6000 if method == "linear" else 400  # linear-time MMD trades power for speed
    for rep in range(10):
        x = rng.normal(size=(n, 4))
        y0 = rng.normal(size=(n, 4))
        y1 = rng.normal(size=(n, 4))
        y1[:, 0] += 0.5
        pvals_null.append(mmd_test(x, y0, method=method, n_permutations=50, seed=rep).p_value)
        pvals_alt.append(mmd_test(x, y1, method=method, n_permutations=50, seed=rep).p_value)
    assert np.mean(np.array(pvals_alt) <= 0.05) >= 0.8
    assert np.mean(np.array(pvals_null) <= 0.05) <= 0.3


def test_classifier_test_detects_shift_and_matches_sklearn_auc():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(600, 5))
    y = rng.normal(size=(400, 5))
    y[:, 2] += 0.6
    res = classifier_test(x, y)
    assert res.auc > 0.6 and res.p_value < 1e-4
    assert np.argmax(np.abs(res.coefficients)) == 2
    null = classifier_test(x, rng.normal(size=(400, 5)))
    assert null.p_value > 0.01
    sk = pytest.importorskip("sklearn.metrics", reason="scikit-learn (test-only) not installed")
    lab = np.r_[np.zeros(600), np.ones(400)]
    assert res.auc == pytest.approx(sk.roc_auc_score(lab, res.scores), abs=1e-12)


def test_pca_reconstruction_detects_broken_correlation():
    rng = np.random.default_rng(5)
    base = rng.normal(size=(4000, 2))
    mix = np.array([[1.0, 0.9, 0.8, 0.7, 0.6, 0.5], [0.0, 0.3, -0.4, 0.5, -0.6, 0.7]])
    ref = base @ mix + 0.05 * rng.normal(size=(4000, 6))
    pca = PCAReconstruction(n_components=2).fit(ref)
    same = (rng.normal(size=(1000, 2)) @ mix) + 0.05 * rng.normal(size=(1000, 6))
    broken = rng.normal(size=(1000, 6)) * ref.std(0) + ref.mean(0)  # same marginals, no correlation
    r0, r1 = pca.test(same), pca.test(broken)
    assert r0.p_value > 0.01 and 0.8 < r0.ratio < 1.25
    assert r1.p_value < 1e-6 and r1.ratio > 5


def test_errors():
    with pytest.raises(CoreInputError, match="NaN"):
        mmd_test(np.array([[np.nan, 1.0], [1.0, 2.0]]), np.ones((3, 2)))
    with pytest.raises(CoreInputError, match="features"):
        mmd_test(np.ones((5, 2)), np.ones((5, 3)))
    with pytest.raises(CoreInputError, match="method"):
        mmd_test(np.ones((5, 2)), np.ones((5, 2)), method="nope")
    with pytest.raises(CoreInputError, match="fit"):
        PCAReconstruction().test(np.ones((3, 2)))
