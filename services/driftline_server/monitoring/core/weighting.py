"""Importance weights for retraining: w(x) ≈ p_production(x) / p_reference(x).

Estimators (all return weights for the *reference* rows, normalised to mean 1):

* ``logistic`` (default): L2 logistic regression production-vs-reference on
  standardised features, C chosen by stratified k-fold log-loss;
  w = (n_ref / n_prod) exp(f(x)).
* ``ulsif`` / ``rulsif``: (relative) unconstrained least-squares importance
  fitting with Gaussian kernels centred on production rows; sigma and lambda
  chosen by the closed-form leave-one-out score of Kanamori et al. (2009) (the
  formulation densratio implements, including its use of the first
  min(n_prod, n_ref) rows). The default sigma grid is scaled to the data:
  median pairwise distance x 10^linspace(-1, 1, 9); lambda 10^linspace(-3, 1, 9).
  For RuLSIF (alpha > 0) the estimated ratio is the bounded relative ratio
  p / (alpha p + (1 - alpha) q).
* ``kliep``: KLIEP (Sugiyama et al. 2008) by projected gradient ascent, sigma
  by likelihood cross-validation.
* ``kmm``: kernel mean matching, solved in reference chunks of ``chunk_size``
  rows (each chunk matched to the production mean embedding) by projected
  accelerated gradient with box [0, B] and sum constraint.

Diagnostics (:func:`weight_diagnostics`): Kish effective sample size and its
fraction, Pareto k-hat of the upper tail (Zhang & Stephens fit, as PSIS:
k < 0.5 good, 0.5–0.7 usable, > 0.7 unreliable), max weight share.
:func:`postprocess_weights` clips and tempers; :func:`weighted_retest`
re-runs KS and Wasserstein-1 between the reweighted reference and production
and reports the share of shift the weights explain; :func:`resample` draws
a dataset of a given size by the weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numba as nb
import numpy as np
from numba import prange

from . import _logistic as lg
from ._blas import one_blas_thread as _one_blas_thread
from ._errors import CoreInputError

__all__ = ["ImportanceWeights", "WeightDiagnostics", "estimate_weights", "logistic_weights", "ulsif_weights",
           "rulsif_weights", "kliep_weights", "kmm_weights", "weight_diagnostics", "postprocess_weights",
           "RetestResult", "weighted_retest", "resample", "pareto_khat", "DENSRATIO_GRID"]

#: densratio's default search grid (for both sigma and lambda).
DENSRATIO_GRID = 10.0 ** np.linspace(-3, 1, 9)


@dataclass(frozen=True)
class WeightDiagnostics:
    """Quality of a set of importance weights.

    Attributes:
        ess: Kish effective sample size (sum w)^2 / sum w^2.
        ess_fraction: ess / n.
        pareto_k: Pareto k-hat of the largest weights (NaN if < 20 weights).
        max_weight_share: largest weight / sum of weights.
        n: number of weights.
    """

    ess: float
    ess_fraction: float
    pareto_k: float
    max_weight_share: float
    n: int


@dataclass(frozen=True)
class ImportanceWeights:
    """Weights for the reference rows and how they were obtained.

    Attributes:
        weights: float64 (n_ref,), mean 1.
        method: estimator name.
        params: chosen hyper-parameters (e.g. sigma, lambda, C).
        diagnostics: :class:`WeightDiagnostics`.
    """

    weights: np.ndarray
    method: str
    params: dict = field(default_factory=dict)
    diagnostics: WeightDiagnostics | None = None


def _matrix(a, what):
    x = np.asarray(a, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 2:
        raise CoreInputError(f"{what} must be a 2-D array with at least 2 rows; got shape {x.shape}")
    bad = int(np.count_nonzero(~np.isfinite(x)))
    if bad:
        raise CoreInputError(f"{what} has {bad} NaN/inf value(s); impute or drop them before weighting")
    return x


def _pair(reference, production):
    r = _matrix(reference, "reference")
    p = _matrix(production, "production")
    if r.shape[1] != p.shape[1]:
        raise CoreInputError(f"reference has {r.shape[1]} features, production {p.shape[1]}")
    return r, p


def _finish(w, method, params):
    w = np.asarray(w, dtype=np.float64)
    w = np.maximum(w, 0.0)
    s = w.mean()
    if not s > 0:
        raise CoreInputError(f"{method}: all estimated weights are zero; the samples barely overlap — "
                             "try another method or a wider bandwidth grid")
    w = w / s
    return ImportanceWeights(w, method, params, weight_diagnostics(w))


# ---------------------------------------------------------------------------
# diagnostics
# ---------------------------------------------------------------------------
def pareto_khat(weights, tail: int | None = None) -> float:
    """Pareto shape k-hat of the upper tail (Zhang & Stephens 2009 with PSIS's prior).

    Uses the largest M = min(n/5, 3 sqrt(n)) weights (or ``tail``).
    """
    w = np.sort(np.asarray(weights, dtype=np.float64))
    n = w.size
    m = int(min(n / 5.0, 3.0 * math.sqrt(n))) if tail is None else int(tail)
    if m < 5 or n < 20:
        return math.nan
    u = w[n - m - 1]
    x = w[n - m:] - u
    if not x[-1] > 0:
        return -math.inf  # flat tail
    x = np.maximum(x, 1e-300)
    prior_bs, prior_k = 3.0, 10.0
    m_est = 30 + int(math.sqrt(m))
    b = 1.0 - np.sqrt(m_est / (np.arange(1, m_est + 1) - 0.5))
    b /= prior_bs * x[int(m / 4 + 0.5) - 1]
    b += 1.0 / x[-1]
    k = np.log1p(-b[:, None] * x).mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ls = m * (np.log(-(b / k)) - k - 1.0)
        wt = 1.0 / np.exp(ls - ls[:, None]).sum(axis=1)
    ok = np.isfinite(wt) & (wt >= 10 * np.finfo(float).eps)
    wt, b = wt[ok], b[ok]
    wt /= wt.sum()
    b_post = float(np.sum(b * wt))
    k_post = float(np.log1p(-b_post * x).mean())
    return (m * k_post + prior_k * 0.5) / (m + prior_k)


def weight_diagnostics(weights) -> WeightDiagnostics:
    """Kish ESS, its fraction, Pareto k-hat and the largest weight's share.

    Example:
        >>> weight_diagnostics(res.weights).ess_fraction
    """
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.size == 0 or np.any(w < 0) or not np.all(np.isfinite(w)):
        raise CoreInputError("weights must be a non-empty array of finite, non-negative numbers")
    s = w.sum()
    if not s > 0:
        raise CoreInputError("weights sum to zero")
    ess = s * s / np.sum(w * w)
    return WeightDiagnostics(float(ess), float(ess / w.size), float(pareto_khat(w)), float(w.max() / s), w.size)


def postprocess_weights(weights, *, clip_quantile: float | None = None, clip_max: float | None = None,
                        temper: float = 1.0) -> np.ndarray:
    """Stabilise weights: temper (w ** temper), clip, renormalise to mean 1.

    Args:
        clip_quantile: clip at this quantile of the weights (e.g. 0.99).
        clip_max: clip at this value (after tempering, in mean-1 units).
        temper: exponent in (0, 1]; 0 gives uniform weights.

    Example:
        >>> w = postprocess_weights(res.weights, clip_quantile=0.99, temper=0.5)
    """
    w = np.asarray(weights, dtype=np.float64).copy()
    if not 0 <= temper <= 1:
        raise CoreInputError(f"temper must be in [0, 1]; got {temper}")
    w = w ** temper
    w /= w.mean()
    if clip_quantile is not None:
        if not 0 < clip_quantile <= 1:
            raise CoreInputError(f"clip_quantile must be in (0, 1]; got {clip_quantile}")
        w = np.minimum(w, np.quantile(w, clip_quantile))
    if clip_max is not None:
        w = np.minimum(w, clip_max)
    return w / w.mean()


# ---------------------------------------------------------------------------
# logistic density ratio
# ---------------------------------------------------------------------------
@_one_blas_thread
def logistic_weights(reference, production, *, cs=None, n_folds: int = 5, seed: int = 0) -> ImportanceWeights:
    """Density-ratio weights from a production-vs-reference logistic regression.

    C (inverse L2 strength, scikit-learn's convention) is chosen from ``cs``
    (default 10^linspace(-3, 2, 6)) by stratified k-fold log-loss.

    Example:
        >>> w = logistic_weights(x_ref, x_prod).weights
    """
    r, p = _pair(reference, production)
    z = np.vstack([r, p])
    lab = np.r_[np.zeros(r.shape[0]), np.ones(p.shape[0])]
    mu = z.mean(axis=0)
    sd = z.std(axis=0)
    sd[sd == 0] = 1.0
    zs = (z - mu) / sd
    cs = 10.0 ** np.linspace(-3, 2, 6) if cs is None else np.atleast_1d(np.asarray(cs, dtype=np.float64))
    if len(cs) > 1:
        folds = lg.stratified_folds(lab, n_folds, np.random.default_rng(seed))
        losses = [lg.cv_log_loss(zs, lab, c, folds, n_folds) for c in cs]
        c = float(cs[int(np.argmin(losses))])
    else:
        c = float(cs[0])
    beta = lg.fit_logistic(zs, lab, c)
    f = lg.decision(zs[: r.shape[0]], beta)
    w = (r.shape[0] / p.shape[0]) * np.exp(f)
    return _finish(w, "logistic", {"C": c, "coef": beta[:-1] / sd, "intercept": float(beta[-1] - np.sum(beta[:-1] * mu / sd))})


# ---------------------------------------------------------------------------
# uLSIF / RuLSIF
# ---------------------------------------------------------------------------
# The kernels of this module are serial on purpose: the estimators alternate
# them with BLAS calls, and OpenMP threads spinning after a parallel region
# starve BLAS threads on small machines (measured 3-5x slowdowns on 2 cores).
@nb.njit(cache=True, nogil=True, error_model="numpy")
def _gauss_kernel(x, c, sigma):
    n, d = x.shape
    b = c.shape[0]
    out = np.empty((n, b))
    g = -0.5 / (sigma * sigma)
    for i in range(n):
        for j in range(b):
            s = 0.0
            for t in range(d):
                u = x[i, t] - c[j, t]
                s += u * u
            out[i, j] = math.exp(g * s)
    return out


def _median_distance(r, p, seed):
    z = np.vstack([r, p])
    rng = np.random.default_rng(seed)
    if z.shape[0] > 1000:
        z = z[rng.choice(z.shape[0], 1000, replace=False)]
    sq = (z * z).sum(1)
    d = sq[:, None] + sq[None, :] - 2 * z @ z.T
    med = float(np.median(np.sqrt(np.maximum(d[np.triu_indices(z.shape[0], 1)], 0))))
    return med if med > 0 else 1.0


def _lsif_loo_scores(phi_x, phi_y, alpha, lambdas, published=True):
    """Closed-form LOO scores for every lambda at one sigma (Kanamori et al. 2009).

    ``published=False`` reproduces densratio 0.4, whose B1 term omits the
    Sherman–Morrison denominator that the published formula divides by.

    Works in the eigenbasis of H, so B^-1 = V diag(1/(e + lambda')) V' for all
    lambdas from one eigendecomposition; the LOO solutions
    B2 = c B^-1 [n_x h 1' - X_x + X_y diag(g)] need one back-rotation per
    lambda, done for all lambdas in a single GEMM. (densratio solves three
    systems and multiplies by two n x n diagonal matrices per lambda.)
    """
    nx, b = phi_x.shape
    ny = phi_y.shape[0]
    n_min = min(nx, ny)
    lambdas = np.asarray(lambdas, dtype=np.float64)
    nl = lambdas.size
    hmat = alpha * (phi_x.T @ phi_x / nx) + (1 - alpha) * (phi_y.T @ phi_y / ny)
    h = phi_x.mean(axis=0)
    px = np.ascontiguousarray(phi_x[:n_min].T)  # (b, n_min)
    py = np.ascontiguousarray(phi_y[:n_min].T)
    evals, evecs = np.linalg.eigh(hmat)
    px_t = evecs.T @ px
    py_t = evecs.T @ py
    h_t = evecs.T @ h
    inv = 1.0 / (evals[None, :] + (lambdas * (ny - 1) / ny)[:, None])  # (nl, b)
    q_yy = inv @ (py_t * py_t)            # (nl, n): x_y' B^-1 x_y
    q_hy = inv @ (h_t[:, None] * py_t)    # h' B^-1 x_y
    q_xy = inv @ (px_t * py_t)            # x_x' B^-1 x_y
    denom = ny - q_yy
    g = nx * (q_hy / denom) - ((q_xy / denom) if published else q_xy)  # (nl, n)
    inner = np.ascontiguousarray(nx * h_t[:, None] - px_t)  # (b, n), lambda-independent part
    rhs = np.empty((b, nl * n_min))
    _lsif_rhs(np.ascontiguousarray(inv), inner, np.ascontiguousarray(py_t), np.ascontiguousarray(g), rhs)
    b2 = evecs @ rhs  # one GEMM for all lambdas
    out = np.empty((nl, 2))
    _lsif_reduce(b2, px, py, (ny - 1) / (ny * (nx - 1.0)), nl, n_min, out)
    return (out[:, 0] / 2.0 - out[:, 1]) / n_min


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _lsif_rhs(inv, inner, py_t, g, out):
    """out[:, l*n:(l+1)*n] = diag(inv[l]) (inner + py_t diag(g[l])), fused in one pass."""
    nl, b = inv.shape
    n = inner.shape[1]
    for k in range(b):
        for l in range(nl):
            il = inv[l, k]
            base = l * n
            for i in range(n):
                out[k, base + i] = il * (inner[k, i] + py_t[k, i] * g[l, i])


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _lsif_reduce(b2, px, py, scale, nl, n, out):
    """Clip the LOO solutions at 0 and reduce to (sum r_y^2, sum r_x) per lambda."""
    b = b2.shape[0]
    for l in range(nl):
        sy2 = 0.0
        sx = 0.0
        base = l * n
        for i in range(n):
            ry = 0.0
            rx = 0.0
            for k in range(b):
                v = b2[k, base + i] * scale
                if v > 0.0:
                    ry += py[k, i] * v
                    rx += px[k, i] * v
            sy2 += ry * ry
            sx += rx
        out[l, 0] = sy2
        out[l, 1] = sx


@_one_blas_thread
def ulsif_weights(reference, production, *, alpha: float = 0.0, sigmas=None, lambdas=None,
                  n_kernels: int = 100, centers=None, seed: int = 0,
                  loo: str = "published") -> ImportanceWeights:
    """uLSIF (alpha = 0) or RuLSIF (alpha > 0) weights with closed-form LOO model selection.

    Args:
        reference, production: rows of the denominator q and numerator p.
        alpha: relative parameter (RuLSIF); 0 gives plain uLSIF.
        sigmas, lambdas: search grids (default: data-scaled sigma grid, lambda
            10^linspace(-3, 1, 9)); pass :data:`DENSRATIO_GRID` for densratio's.
        n_kernels: number of Gaussian centres drawn from production rows.
        centers: explicit (b, d) centres (overrides n_kernels/seed).
        seed: RNG seed for the centres.
        loo: "published" (Kanamori et al. 2009; exact leave-one-out for
            alpha = 0) or "densratio" (densratio 0.4's variant, which drops a
            denominator in one term; use it to reproduce densratio's choices).
            For alpha > 0 both apply the uLSIF-style update to H_alpha, as
            densratio does (an approximation of RuLSIF's exact LOO).

    Returns:
        :class:`ImportanceWeights`; ``params`` has sigma, lambda, theta, centers
        and the LOO score grid.

    Example:
        >>> ulsif_weights(x_ref, x_prod).weights
    """
    r, p = _pair(reference, production)
    if loo not in ("published", "densratio"):
        raise CoreInputError(f"loo must be 'published' or 'densratio'; got {loo!r}")
    if not 0 <= alpha < 1:
        raise CoreInputError(f"alpha must be in [0, 1); got {alpha}")
    if centers is None:
        rng = np.random.default_rng(seed)
        b = min(n_kernels, p.shape[0])
        centers = p[rng.choice(p.shape[0], b, replace=False)]
    else:
        centers = _matrix(centers, "centers")
    centers = np.ascontiguousarray(centers)
    if sigmas is None:
        sigmas = _median_distance(r, p, seed) * 10.0 ** np.linspace(-1, 1, 9)
    if lambdas is None:
        lambdas = 10.0 ** np.linspace(-3, 1, 9)
    sigmas = np.atleast_1d(np.asarray(sigmas, dtype=np.float64))
    lambdas = np.atleast_1d(np.asarray(lambdas, dtype=np.float64))
    rc = np.ascontiguousarray(r)
    pc = np.ascontiguousarray(p)
    if sigmas.size == 1 and lambdas.size == 1:
        sigma, lam, grid = float(sigmas[0]), float(lambdas[0]), np.zeros((1, 1))
    else:
        grid = np.empty((sigmas.size, lambdas.size))
        for i, s in enumerate(sigmas):
            grid[i] = _lsif_loo_scores(_gauss_kernel(pc, centers, s), _gauss_kernel(rc, centers, s), alpha,
                                       lambdas, published=(loo == "published"))
        i, j = np.unravel_index(np.argmin(grid), grid.shape)  # first minimum, densratio's order
        sigma, lam = float(sigmas[i]), float(lambdas[j])
    phi_p = _gauss_kernel(pc, centers, sigma)
    phi_r = _gauss_kernel(rc, centers, sigma)
    hmat = alpha * (phi_p.T @ phi_p / p.shape[0]) + (1 - alpha) * (phi_r.T @ phi_r / r.shape[0])
    h = phi_p.mean(axis=0)
    theta = np.linalg.solve(hmat + lam * np.eye(centers.shape[0]), h)
    theta[theta < 0] = 0.0
    w = phi_r @ theta
    raw = w.copy()
    res = _finish(w, "rulsif" if alpha > 0 else "ulsif",
                  {"sigma": sigma, "lambda": lam, "alpha": alpha, "theta": theta, "centers": centers,
                   "loo_scores": grid, "raw_ratio": raw})
    return res


def rulsif_weights(reference, production, *, alpha: float = 0.1, **kw) -> ImportanceWeights:
    """RuLSIF weights (relative ratio, bounded by 1/alpha); see :func:`ulsif_weights`."""
    if not 0 < alpha < 1:
        raise CoreInputError(f"RuLSIF needs 0 < alpha < 1; got {alpha}")
    return ulsif_weights(reference, production, alpha=alpha, **kw)


# ---------------------------------------------------------------------------
# KLIEP
# ---------------------------------------------------------------------------
def _kliep_fit(phi_num, mean_den, iters=2000, lr=1e-3):
    """Projected gradient ascent on sum log(phi_num theta), s.t. mean_den theta = 1, theta >= 0."""
    b = phi_num.shape[1]
    theta = np.ones(b)
    theta /= mean_den @ theta
    dd = mean_den / (mean_den @ mean_den)
    best = -np.inf
    for it in range(iters):
        f = phi_num @ theta
        obj = np.sum(np.log(np.maximum(f, 1e-300)))
        grad = phi_num.T @ (1.0 / np.maximum(f, 1e-300))
        new = theta + lr * grad
        new = new + (1.0 - mean_den @ new) * dd
        np.maximum(new, 0.0, out=new)
        s = mean_den @ new
        if s > 0:
            new /= s
        if obj < best - 1e-12 * abs(best):
            lr *= 0.5
        best = max(best, obj)
        if np.max(np.abs(new - theta)) < 1e-9 * max(1.0, np.max(theta)):
            theta = new
            break
        theta = new
    return theta


@_one_blas_thread
def kliep_weights(reference, production, *, sigmas=None, n_kernels: int = 100, n_folds: int = 5,
                  seed: int = 0) -> ImportanceWeights:
    """KLIEP weights; sigma by k-fold likelihood cross-validation on production rows.

    Example:
        >>> kliep_weights(x_ref, x_prod).weights
    """
    r, p = _pair(reference, production)
    rng = np.random.default_rng(seed)
    b = min(n_kernels, p.shape[0])
    centers = np.ascontiguousarray(p[rng.choice(p.shape[0], b, replace=False)])
    if sigmas is None:
        sigmas = _median_distance(r, p, seed) * 10.0 ** np.linspace(-1, 1, 9)
    sigmas = np.atleast_1d(np.asarray(sigmas, dtype=np.float64))
    rc, pc = np.ascontiguousarray(r), np.ascontiguousarray(p)
    folds = rng.permutation(p.shape[0]) % n_folds
    scores = np.empty(sigmas.size)
    for i, s in enumerate(sigmas):
        phi_p = _gauss_kernel(pc, centers, s)
        mean_r = _gauss_kernel(rc, centers, s).mean(axis=0)
        sc = 0.0
        for f in range(n_folds):
            th = _kliep_fit(phi_p[folds != f], mean_r, iters=300)
            sc += np.mean(np.log(np.maximum(phi_p[folds == f] @ th, 1e-300)))
        scores[i] = sc / n_folds
    sigma = float(sigmas[int(np.argmax(scores))])
    phi_p = _gauss_kernel(pc, centers, sigma)
    phi_r = _gauss_kernel(rc, centers, sigma)
    theta = _kliep_fit(phi_p, phi_r.mean(axis=0))
    return _finish(phi_r @ theta, "kliep", {"sigma": sigma, "theta": theta, "centers": centers,
                                            "cv_scores": scores})


# ---------------------------------------------------------------------------
# KMM in chunks
# ---------------------------------------------------------------------------
def _project_box_sum(v, upper, total):
    """Euclidean projection onto {0 <= x <= upper, sum x = total} (bisection on the shift)."""
    lo, hi = v.min() - upper, v.max()
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        s = np.clip(v - mid, 0.0, upper).sum()
        if s > total:
            lo = mid
        else:
            hi = mid
    return np.clip(v - 0.5 * (lo + hi), 0.0, upper)


@_one_blas_thread
def kmm_weights(reference, production, *, sigma: float | None = None, bound: float = 1000.0,
                chunk_size: int = 1000, max_production: int = 5000, iters: int = 300,
                seed: int = 0) -> ImportanceWeights:
    """Kernel mean matching, one QP per reference chunk of ``chunk_size`` rows.

    Each chunk's weights beta in [0, bound] with sum = chunk size minimise
    ||mean_i beta_i phi(r_i) / n_c - mean_j phi(p_j)||² (FISTA with exact
    projection). Production is subsampled to ``max_production`` rows.

    Example:
        >>> kmm_weights(x_ref, x_prod, chunk_size=500).weights
    """
    r, p = _pair(reference, production)
    rng = np.random.default_rng(seed)
    if p.shape[0] > max_production:
        p = p[rng.choice(p.shape[0], max_production, replace=False)]
    if sigma is None:
        sigma = _median_distance(r, p, seed)
    order = rng.permutation(r.shape[0])
    w = np.empty(r.shape[0])
    pc = np.ascontiguousarray(p)
    g = 1.0 / (2.0 * sigma * sigma)
    n_chunks = max(1, int(math.ceil(r.shape[0] / chunk_size)))
    for idx in np.array_split(order, n_chunks):
        rc = np.ascontiguousarray(r[idx])
        nc = rc.shape[0]
        sq = (rc * rc).sum(1)
        k = np.exp(-g * np.maximum(sq[:, None] + sq[None, :] - 2 * rc @ rc.T, 0.0))
        kappa = (nc / pc.shape[0]) * _gauss_kernel(rc, pc, sigma).sum(axis=1)
        lip = float(np.linalg.eigvalsh(k)[-1]) + 1e-12
        beta = np.ones(nc)
        yv = beta.copy()
        t = 1.0
        for _ in range(iters):
            grad = k @ yv - kappa
            nb_ = _project_box_sum(yv - grad / lip, bound, float(nc))
            t2 = 0.5 * (1 + math.sqrt(1 + 4 * t * t))
            yv = nb_ + ((t - 1) / t2) * (nb_ - beta)
            beta, t = nb_, t2
        w[idx] = beta
    return _finish(w, "kmm", {"sigma": sigma, "bound": bound, "chunk_size": chunk_size})


def estimate_weights(reference, production, method: str = "logistic", **kwargs) -> ImportanceWeights:
    """Dispatch to an estimator: "logistic" (default), "ulsif", "rulsif", "kliep", "kmm".

    Example:
        >>> res = estimate_weights(x_ref, x_prod)
        >>> res.diagnostics.ess_fraction
    """
    fns = {"logistic": logistic_weights, "ulsif": ulsif_weights, "rulsif": rulsif_weights,
           "kliep": kliep_weights, "kmm": kmm_weights}
    if method not in fns:
        raise CoreInputError(f"unknown weighting method {method!r}; choose from {list(fns)}")
    return fns[method](reference, production, **kwargs)


# ---------------------------------------------------------------------------
# weighted re-test
# ---------------------------------------------------------------------------
@nb.njit(cache=True, nogil=True, error_model="numpy")
def _weighted_ks_w1(rv, rw, pv):
    """KS and W1 between a weighted sorted sample (rv, rw normalised) and sorted pv."""
    n = rv.shape[0]
    m = pv.shape[0]
    i = 0
    k = 0
    fr = 0.0
    fp = 0.0
    d = 0.0
    w1 = 0.0
    prev = 0.0
    first = True
    while i < n or k < m:
        v = rv[i] if (k >= m or (i < n and rv[i] <= pv[k])) else pv[k]
        if not first:
            w1 += abs(fr - fp) * (v - prev)
        first = False
        while i < n and rv[i] == v:
            fr += rw[i]
            i += 1
        while k < m and pv[k] == v:
            fp += 1.0 / m
            k += 1
        dd = abs(fr - fp)
        if dd > d:
            d = dd
        prev = v
    return d, w1


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _retest_kernel(ref_sorted, ref_w_sorted, uni_w, prod_sorted, out):
    for j in prange(ref_sorted.shape[1]):
        rv = ref_sorted[:, j].copy()
        pv = prod_sorted[:, j].copy()
        d1, w1 = _weighted_ks_w1(rv, ref_w_sorted[:, j].copy(), pv)
        d0, w0 = _weighted_ks_w1(rv, uni_w, pv)
        out[j, 0] = d0
        out[j, 1] = d1
        out[j, 2] = w0
        out[j, 3] = w1


@dataclass(frozen=True)
class RetestResult:
    """KS and Wasserstein-1 per column before and after reweighting the reference.

    Attributes:
        ks_unweighted, ks_weighted, w1_unweighted, w1_weighted: (d,) arrays.
        explained_ks, explained_w1: 1 - weighted / unweighted per column
            (share of the shift the weights explain; NaN where there was none).
        explained: median of explained_w1 over columns with a shift.
        ess_fraction: Kish ESS fraction of the weights.
    """

    ks_unweighted: np.ndarray
    ks_weighted: np.ndarray
    w1_unweighted: np.ndarray
    w1_weighted: np.ndarray
    explained_ks: np.ndarray
    explained_w1: np.ndarray
    explained: float
    ess_fraction: float


def weighted_retest(reference, production, weights) -> RetestResult:
    """Weighted KS / W1 between the reweighted reference and production, per column.

    Example:
        >>> weighted_retest(x_ref, x_prod, res.weights).explained
    """
    r, p = _pair(reference, production)
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.size != r.shape[0]:
        raise CoreInputError(f"got {w.size} weights for {r.shape[0]} reference rows")
    if np.any(w < 0) or not np.all(np.isfinite(w)) or not w.sum() > 0:
        raise CoreInputError("weights must be finite, non-negative and not all zero")
    wn = w / w.sum()
    order = np.argsort(r, axis=0, kind="stable")
    rs = np.take_along_axis(r, order, axis=0)
    ws = wn[order]
    ps = np.sort(p, axis=0)
    out = np.empty((r.shape[1], 4))
    _retest_kernel(np.ascontiguousarray(rs), np.ascontiguousarray(ws), np.full(r.shape[0], 1.0 / r.shape[0]),
                   np.ascontiguousarray(ps), out)
    with np.errstate(divide="ignore", invalid="ignore"):
        eks = np.where(out[:, 0] > 0, 1 - out[:, 1] / out[:, 0], np.nan)
        ew1 = np.where(out[:, 2] > 0, 1 - out[:, 3] / out[:, 2], np.nan)
    ok = np.isfinite(ew1)
    return RetestResult(out[:, 0].copy(), out[:, 1].copy(), out[:, 2].copy(), out[:, 3].copy(), eks, ew1,
                        float(np.median(ew1[ok])) if ok.any() else math.nan, float((w.sum() ** 2 / (w @ w)) / w.size))


# ---------------------------------------------------------------------------
# resampler
# ---------------------------------------------------------------------------
def resample(weights, size: int, *, method: str = "systematic", seed: int = 0) -> np.ndarray:
    """Indices of reference rows drawn by the weights (the "resampled dataset").

    Args:
        weights: non-negative weights per reference row.
        size: number of rows to draw.
        method: "systematic" (low variance: each row appears floor or ceil of
            size * w_i / sum w times) or "multinomial" (i.i.d. draws).
        seed: RNG seed.

    Returns:
        int64 array of row indices (sorted for "systematic").

    Example:
        >>> idx = resample(res.weights, 50_000); retrain_rows = x_ref[idx]
    """
    w = np.asarray(weights, dtype=np.float64).ravel()
    if size < 1:
        raise CoreInputError(f"size must be >= 1; got {size}")
    if w.size == 0 or np.any(w < 0) or not np.all(np.isfinite(w)) or not w.sum() > 0:
        raise CoreInputError("weights must be finite, non-negative and not all zero")
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    if method == "systematic":
        u = (rng.random() + np.arange(size)) / size
    elif method == "multinomial":
        u = rng.random(size)
    else:
        raise CoreInputError(f"method must be 'systematic' or 'multinomial'; got {method!r}")
    return np.minimum(np.searchsorted(cdf, u, side="right"), w.size - 1).astype(np.int64)
