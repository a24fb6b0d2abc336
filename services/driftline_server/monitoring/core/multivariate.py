"""Multivariate drift: MMD², classifier two-sample test, PCA reconstruction error.

MMD² (RBF kernel k(x, y) = exp(-||x - y||² / (2 sigma²)); default sigma² is half
the median squared pairwise distance of the pooled sample, as alibi-detect):

* ``method="permutation"`` (default up to ``exact_max_n`` pooled rows): the
  pooled kernel matrix K is computed once; every permutation's statistic is a
  quadratic form in its label indicator a: with S = [a_1 ... a_P] (N x P),
  one BLAS product K @ S yields a'Ka for all P permutations together, and
  a'K1 comes from the row sums, so no permutation re-indexes K.
* ``method="random_features"`` (default above ``exact_max_n``): random Fourier
  features (D = ``n_features``), MMD² of the feature means, permutations via
  one product S' Phi. Memory O(N D) instead of O(N²).
* ``method="linear"``: Gretton's linear-time MMD with a normal p-value.
* :func:`mmd2` computes the unbiased statistic matrix-free (numba, O(1)
  extra memory) for samples too large for K.

Classifier two-sample test (:func:`classifier_test`): L2 logistic regression
on standardised features, trained out of fold (stratified k-fold); the AUC of
the out-of-fold scores and its one-sided p-value from the Mann–Whitney null
(normal approximation with tie correction).

PCA reconstruction (:class:`PCAReconstruction`): PCA fitted on half of the
reference, reconstruction error per row measured on the other half (so the
baseline is not optimistically biased); a batch is compared by the ratio of
mean errors and a one-sided Welch z-test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np
from numba import prange
from scipy import special

from . import _logistic as lg
from ._blas import one_blas_thread
from ._errors import CoreInputError

__all__ = ["MMDResult", "mmd_test", "mmd2", "median_heuristic", "ClassifierTestResult", "classifier_test",
           "PCAReconstruction", "ReconstructionResult"]


def _as_matrix(x, what):
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise CoreInputError(f"{what} must be 2-D (rows x features); got shape {a.shape}")
    if a.shape[0] == 0:
        raise CoreInputError(f"{what} has 0 rows; pass at least 2 rows")
    bad = int(np.count_nonzero(~np.isfinite(a)))
    if bad:
        raise CoreInputError(
            f"{what} has {bad} NaN/inf value(s); multivariate tests need finite features — "
            "impute or drop those rows first (compare_numeric reports them per column)")
    return a


def _pair(reference, batch, min_rows=2):
    x = _as_matrix(reference, "reference")
    y = _as_matrix(batch, "batch")
    if x.shape[1] != y.shape[1]:
        raise CoreInputError(f"reference has {x.shape[1]} features but batch has {y.shape[1]}")
    if x.shape[0] < min_rows or y.shape[0] < min_rows:
        raise CoreInputError(f"need at least {min_rows} rows in reference and batch; "
                             f"got {x.shape[0]} and {y.shape[0]}")
    return x, y


def _sq_dists(a, b):
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    np.maximum(d, 0.0, out=d)
    return d


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _rbf_inplace(g, sq, gamma):
    """Turn a Gram matrix z z' into exp(-gamma ||z_i - z_j||²) in one parallel pass."""
    n = g.shape[0]
    for i in prange(n):
        si = sq[i]
        for j in range(n):
            d = si + sq[j] - 2.0 * g[i, j]
            if d < 0.0:
                d = 0.0
            g[i, j] = math.exp(-gamma * d)


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _upper_sq_dists(g, sq):
    """Upper-triangle squared distances from a Gram matrix, row-major order."""
    n = g.shape[0]
    out = np.empty(n * (n - 1) // 2)
    for i in prange(n - 1):
        base = i * n - i * (i + 1) // 2
        for j in range(i + 1, n):
            d = sq[i] + sq[j] - 2.0 * g[i, j]
            out[base + (j - i - 1)] = d if d > 0.0 else 0.0
    return out


def _rbf_kernel(z, sigma):
    z = np.ascontiguousarray(z)
    g = z @ z.T  # BLAS
    _rbf_inplace(g, np.einsum("ij,ij->i", z, z), 1.0 / (2.0 * sigma * sigma))
    return g


def median_heuristic(reference, batch, *, max_points: int = 2000, seed: int = 0) -> float:
    """Kernel bandwidth sigma with sigma² = median squared pairwise distance / 2.

    Uses at most ``max_points`` pooled rows (random, seeded) to bound the cost.

    Example:
        >>> sigma = median_heuristic(x_ref, x_batch)
    """
    x, y = _pair(reference, batch, 1)
    z = np.vstack([x, y])
    if z.shape[0] > max_points:
        z = z[np.random.default_rng(seed).choice(z.shape[0], max_points, replace=False)]
    z = np.ascontiguousarray(z)
    med = float(np.median(_upper_sq_dists(z @ z.T, np.einsum("ij,ij->i", z, z))))
    if not med > 0:
        med = 1.0  # all points identical: any bandwidth gives MMD = 0
    return math.sqrt(0.5 * med)


@dataclass(frozen=True)
class MMDResult:
    """MMD² test result.

    Attributes:
        statistic: MMD² estimate (unbiased for permutation/linear, V-statistic of
            the features for random_features).
        p_value: permutation p-value (1 + #{null >= observed}) / (1 + P), or the
            normal p-value for "linear".
        bandwidth: sigma used; method: which estimator; n_permutations: P.
        null_statistics: the P permutation statistics (empty for "linear").
    """

    statistic: float
    p_value: float
    bandwidth: float
    method: str
    n_permutations: int
    null_statistics: np.ndarray


def _perm_indicators(n, m, p, rng):
    """(N, P) float64 matrix whose columns are random indicators of n of N rows."""
    big = n + m
    keys = rng.random((p, big))
    order = np.argpartition(keys, n - 1, axis=1)[:, :n] if n < big else np.tile(np.arange(big), (p, 1))
    s = np.zeros((p, big))
    np.put_along_axis(s, order, 1.0, axis=1)
    return np.ascontiguousarray(s.T)


def _mmd_from_quadratic(aka, ar, total, diag_sum_a, diag_sum_all, n, m):
    """Unbiased MMD² from a'Ka, a'r (r = K1), 1'K1 and diagonal sums."""
    bkb = total - 2.0 * ar + aka
    akb = ar - aka
    diag_b = diag_sum_all - diag_sum_a
    return ((aka - diag_sum_a) / (n * (n - 1.0)) + (bkb - diag_b) / (m * (m - 1.0))
            - 2.0 * akb / (n * m))


@one_blas_thread
def mmd_test(reference, batch, *, n_permutations: int = 100, bandwidth: float | None = None,
             method: str = "auto", exact_max_n: int = 10_000, n_features: int = 256,
             seed: int = 0) -> MMDResult:
    """Kernel two-sample test (MMD², RBF kernel) between reference and batch rows.

    Args:
        reference, batch: (n, d) and (m, d) finite feature matrices.
        n_permutations: P for the permutation p-value.
        bandwidth: sigma; default :func:`median_heuristic`.
        method: "auto" | "permutation" | "random_features" | "linear".
        exact_max_n: "auto" uses the exact kernel up to this many pooled rows.
        n_features: random Fourier features for "random_features".
        seed: RNG seed (permutations, features).

    Returns:
        :class:`MMDResult`.

    Example:
        >>> res = mmd_test(x_ref[:2000], x_batch[:2000], n_permutations=100)
        >>> res.p_value < 0.05
    """
    x, y = _pair(reference, batch)
    n, m = x.shape[0], y.shape[0]
    big = n + m
    if method == "auto":
        method = "permutation" if big <= exact_max_n else "random_features"
    if method not in ("permutation", "random_features", "linear"):
        raise CoreInputError(f"method must be auto, permutation, random_features or linear; got {method!r}")
    if n_permutations < 1 and method != "linear":
        raise CoreInputError(f"n_permutations must be >= 1; got {n_permutations}")
    sigma = median_heuristic(x, y, seed=seed) if bandwidth is None else float(bandwidth)
    if not sigma > 0:
        raise CoreInputError(f"bandwidth must be > 0; got {bandwidth}")
    rng = np.random.default_rng(seed)
    if method == "linear":
        stat, pv = _linear_mmd(x, y, sigma)
        return MMDResult(stat, pv, sigma, "linear", 0, np.zeros(0))
    z = np.vstack([x, y])
    s = _perm_indicators(n, m, n_permutations, rng)
    a_obs = np.r_[np.ones(n), np.zeros(m)]
    if method == "permutation":
        # Kernel rows are produced block by block and multiplied into the
        # indicator matrix right away: K is never stored whole, blocks stay in
        # cache. The observed labelling rides along as column 0.
        s_ext = np.ascontiguousarray(np.hstack([a_obs[:, None], s]))
        zc = np.ascontiguousarray(z)
        sq = np.einsum("ij,ij->i", zc, zc)
        gamma = 1.0 / (2.0 * sigma * sigma)
        ks = np.empty((big, n_permutations + 1))
        r = np.empty(big)
        diag = np.ones(big)  # RBF: k(x, x) = 1
        block = max(64, min(big, 2_000_000 // max(big, 1)))
        for i0 in range(0, big, block):
            i1 = min(big, i0 + block)
            kb = zc[i0:i1] @ zc.T
            kb *= 2.0 * gamma
            kb -= gamma * sq[i0:i1, None]
            kb -= gamma * sq[None, :]
            np.minimum(kb, 0.0, out=kb)
            np.exp(kb, out=kb)
            r[i0:i1] = kb.sum(axis=1)
            ks[i0:i1] = kb @ s_ext  # every permutation's sums for these rows
        total = r.sum()
        diag_all = diag.sum()
        aka = np.einsum("ij,ij->j", s_ext, ks)
        ar = s_ext.T @ r
        da = s_ext.T @ diag
        allstats = _mmd_from_quadratic(aka, ar, total, da, diag_all, n, m)
        stat, null = allstats[0], allstats[1:]
    else:
        w = rng.normal(0.0, 1.0 / sigma, size=(z.shape[1], n_features))
        b = rng.uniform(0.0, 2.0 * math.pi, size=n_features)
        phi = np.cos(z @ w + b) * math.sqrt(2.0 / n_features)
        tot = phi.sum(axis=0)
        sx = s.T @ phi  # (P, D): every permutation's feature sums
        null = ((sx / n - (tot - sx) / m) ** 2).sum(axis=1)
        ox = phi[:n].sum(axis=0)
        stat = float(((ox / n - (tot - ox) / m) ** 2).sum())
    stat = float(stat)
    pv = (1.0 + np.count_nonzero(null >= stat)) / (1.0 + n_permutations)
    return MMDResult(stat, float(pv), sigma, method, n_permutations, null)


def _linear_mmd(x, y, sigma):
    k = min(x.shape[0], y.shape[0]) // 2
    if k < 2:
        raise CoreInputError("linear MMD needs at least 4 rows in each sample")
    g = 1.0 / (2.0 * sigma * sigma)
    x1, x2, y1, y2 = x[0:2 * k:2], x[1:2 * k:2], y[0:2 * k:2], y[1:2 * k:2]

    def kern(a, b):
        return np.exp(-g * ((a - b) ** 2).sum(axis=1))

    h = kern(x1, x2) + kern(y1, y2) - kern(x1, y2) - kern(x2, y1)
    stat = float(h.mean())
    sd = float(h.std(ddof=1))
    pv = float(0.5 * special.erfc(stat / (sd / math.sqrt(k)) / math.sqrt(2.0))) if sd > 0 else (
        0.0 if stat > 0 else 1.0)
    return stat, pv


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _mmd2_sums(x, y, gamma):
    n = x.shape[0]
    m = y.shape[0]
    d = x.shape[1]
    sxx = np.zeros(n)
    sxy = np.zeros(n)
    syy = np.zeros(m)
    for i in prange(n):
        acc = 0.0
        for j in range(i + 1, n):
            s = 0.0
            for t in range(d):
                u = x[i, t] - x[j, t]
                s += u * u
            acc += math.exp(-gamma * s)
        sxx[i] = acc
        acc = 0.0
        for j in range(m):
            s = 0.0
            for t in range(d):
                u = x[i, t] - y[j, t]
                s += u * u
            acc += math.exp(-gamma * s)
        sxy[i] = acc
    for i in prange(m):
        acc = 0.0
        for j in range(i + 1, m):
            s = 0.0
            for t in range(d):
                u = y[i, t] - y[j, t]
                s += u * u
            acc += math.exp(-gamma * s)
        syy[i] = acc
    return sxx.sum(), syy.sum(), sxy.sum()


def mmd2(reference, batch, *, bandwidth: float | None = None, seed: int = 0) -> float:
    """Unbiased MMD² computed matrix-free (no N x N kernel in memory).

    O((n + m)² d) time, O(n + m) memory; parallel over rows.

    Example:
        >>> mmd2(x_ref, x_batch)
    """
    x, y = _pair(reference, batch)
    sigma = median_heuristic(x, y, seed=seed) if bandwidth is None else float(bandwidth)
    sxx, syy, sxy = _mmd2_sums(np.ascontiguousarray(x), np.ascontiguousarray(y), 1.0 / (2.0 * sigma * sigma))
    n, m = x.shape[0], y.shape[0]
    return float(2.0 * sxx / (n * (n - 1.0)) + 2.0 * syy / (m * (m - 1.0)) - 2.0 * sxy / (n * m))


# ---------------------------------------------------------------------------
# classifier two-sample test
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ClassifierTestResult:
    """Classifier two-sample test.

    Attributes:
        auc: ROC AUC of out-of-fold scores (batch = positive class); 0.5 = no drift.
        p_value: one-sided p-value of AUC > 0.5 (Mann–Whitney normal null).
        n_folds, c: folds and the regularisation used.
        scores: out-of-fold decision values per pooled row (reference first).
        coefficients: (d,) coefficients on standardised features, averaged over
            folds (which features separate the samples).
    """

    auc: float
    p_value: float
    n_folds: int
    c: float
    scores: np.ndarray
    coefficients: np.ndarray


@one_blas_thread
def classifier_test(reference, batch, *, n_folds: int = 5, c: float = 1.0, seed: int = 0) -> ClassifierTestResult:
    """Classifier two-sample test with out-of-fold logistic regression.

    Args:
        reference, batch: (n, d), (m, d) finite features.
        n_folds: stratified folds (each row is scored by a model that did not see it).
        c: inverse L2 strength (scikit-learn's C).
        seed: fold assignment seed.

    Returns:
        :class:`ClassifierTestResult`.

    Example:
        >>> classifier_test(x_ref, x_batch).auc
    """
    x, y = _pair(reference, batch, n_folds)
    z = np.vstack([x, y])
    lab = np.r_[np.zeros(x.shape[0]), np.ones(y.shape[0])]
    folds = lg.stratified_folds(lab, n_folds, np.random.default_rng(seed))
    scores = np.empty(z.shape[0])
    coefs = np.zeros(z.shape[1])
    for f in range(n_folds):
        tr = folds != f
        mu = z[tr].mean(axis=0)
        sd = z[tr].std(axis=0)
        sd[sd == 0] = 1.0
        beta = lg.fit_logistic((z[tr] - mu) / sd, lab[tr], c)
        scores[~tr] = lg.decision((z[~tr] - mu) / sd, beta)
        coefs += beta[:-1] / n_folds
    auc = lg.auc_score(lab, scores)
    n1, n0 = y.shape[0], x.shape[0]
    # Mann–Whitney null variance with tie correction
    _, counts = np.unique(scores, return_counts=True)
    big = n1 + n0
    tie = np.sum(counts ** 3 - counts) / (big * (big - 1.0))
    var_u = n1 * n0 / 12.0 * ((big + 1.0) - tie)
    zstat = (auc - 0.5) * n1 * n0 / math.sqrt(var_u) if var_u > 0 else 0.0
    pv = float(0.5 * special.erfc(zstat / math.sqrt(2.0)))
    return ClassifierTestResult(auc, pv, n_folds, c, scores, coefs)


# ---------------------------------------------------------------------------
# PCA reconstruction error
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ReconstructionResult:
    """PCA reconstruction drift result.

    Attributes:
        reference_error: mean squared reconstruction error per row on held-out reference rows.
        batch_error: same on the batch.
        ratio: batch_error / reference_error (1 = no change).
        statistic: Welch z of batch vs held-out reference errors; p_value one-sided.
        row_errors: per-row batch errors.
    """

    reference_error: float
    batch_error: float
    ratio: float
    statistic: float
    p_value: float
    row_errors: np.ndarray


class PCAReconstruction:
    """PCA fitted on the reference; drift = batch rows reconstruct worse.

    Args:
        n_components: components to keep, or None to keep ``variance`` of it.
        variance: explained-variance share used when n_components is None.
        seed: split seed (half the reference fits, half measures the baseline).

    Example:
        >>> pca = PCAReconstruction().fit(x_ref)
        >>> pca.test(x_batch).p_value
    """

    def __init__(self, n_components: int | None = None, variance: float = 0.95, seed: int = 0):
        if n_components is None and not 0 < variance <= 1:
            raise CoreInputError(f"variance must be in (0, 1]; got {variance}")
        self.n_components, self.variance, self.seed = n_components, variance, seed

    def fit(self, reference) -> "PCAReconstruction":
        x = _as_matrix(reference, "reference")
        if x.shape[0] < 4:
            raise CoreInputError("PCA reconstruction needs at least 4 reference rows")
        rng = np.random.default_rng(self.seed)
        perm = rng.permutation(x.shape[0])
        half = x.shape[0] // 2
        fit_rows, hold = x[perm[:half]], x[perm[half:]]
        self.mean_ = fit_rows.mean(axis=0)
        sd = fit_rows.std(axis=0)
        sd[sd == 0] = 1.0
        self.scale_ = sd
        zs = (fit_rows - self.mean_) / sd
        _, s, vt = np.linalg.svd(zs, full_matrices=False)
        ev = s ** 2
        if self.n_components is None:
            share = np.cumsum(ev) / ev.sum() if ev.sum() > 0 else np.ones_like(ev)
            k = int(np.searchsorted(share, self.variance - 1e-12) + 1)
        else:
            k = int(self.n_components)
            if not 1 <= k <= vt.shape[0]:
                raise CoreInputError(f"n_components must be in [1, {vt.shape[0]}]; got {k}")
        self.components_ = vt[:k]
        self.reference_errors_ = self.row_errors(hold)
        return self

    def row_errors(self, rows) -> np.ndarray:
        """Mean squared reconstruction error of each row (standardised units)."""
        x = _as_matrix(rows, "rows")
        if x.shape[1] != self.mean_.size:
            raise CoreInputError(f"rows have {x.shape[1]} features; the PCA was fitted on {self.mean_.size}")
        zs = (x - self.mean_) / self.scale_
        rec = (zs @ self.components_.T) @ self.components_
        return ((zs - rec) ** 2).mean(axis=1)

    def test(self, batch) -> ReconstructionResult:
        if not hasattr(self, "components_"):
            raise CoreInputError("call fit(reference) before test(batch)")
        e = self.row_errors(batch)
        r = self.reference_errors_
        se = math.sqrt(r.var(ddof=1) / r.size + (e.var(ddof=1) / e.size if e.size > 1 else 0.0))
        zstat = (e.mean() - r.mean()) / se if se > 0 else 0.0
        pv = float(0.5 * special.erfc(zstat / math.sqrt(2.0)))
        ratio = float(e.mean() / r.mean()) if r.mean() > 0 else math.inf
        return ReconstructionResult(float(r.mean()), float(e.mean()), ratio, float(zstat), pv, e)
