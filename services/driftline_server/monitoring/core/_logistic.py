"""Private L2-regularised logistic regression (Newton / IRLS), shared by the
classifier two-sample test and the logistic density-ratio weights.

The objective is scikit-learn's: sum_i log(1 + exp(-y_i f(x_i))) + ||w||^2 / (2C),
intercept unpenalised. Features are standardised by the caller's statistics.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float, *, sample_weight=None, max_iter: int = 100,
                 tol: float = 1e-10) -> np.ndarray:
    """Return coefficients [w..., b] for labels y in {0, 1}."""
    n, d = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    beta = np.zeros(d + 1)
    pen = np.full(d + 1, 1.0 / c)
    pen[-1] = 0.0
    ys = 2.0 * y - 1.0
    prev = np.inf
    for _ in range(max_iter):
        f = xa @ beta
        p = special.expit(f)
        loss = np.sum(sw * np.logaddexp(0.0, -ys * f)) + 0.5 * np.sum(pen * beta * beta)
        grad = xa.T @ (sw * (p - y)) + pen * beta
        w = sw * p * (1.0 - p)
        hess = (xa * w[:, None]).T @ xa + np.diag(pen) + 1e-12 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        # damped Newton: halve until the loss decreases
        t = 1.0
        for _ in range(30):
            nb = beta - t * step
            fn = xa @ nb
            nl = np.sum(sw * np.logaddexp(0.0, -ys * fn)) + 0.5 * np.sum(pen * nb * nb)
            if nl <= loss + 1e-12 * abs(loss):
                break
            t *= 0.5
        beta = nb
        if abs(prev - nl) <= tol * max(1.0, abs(nl)) and np.max(np.abs(t * step)) < 1e-8:
            break
        prev = nl
    return beta


def decision(x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    return x @ beta[:-1] + beta[-1]


def stratified_folds(y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Fold id per row, balanced within each class."""
    folds = np.empty(y.size, dtype=np.int64)
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        rng.shuffle(idx)
        folds[idx] = np.arange(idx.size) % k
    return folds


def auc_score(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC via mid-ranks (Mann–Whitney U / (n1 n0))."""
    from scipy.stats import rankdata
    r = rankdata(score)
    n1 = int(y.sum())
    n0 = y.size - n1
    return float((r[y == 1].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def cv_log_loss(x, y, c, folds, k, sample_weight=None):
    """Out-of-fold mean log-loss of a given C."""
    tot = 0.0
    for f in range(k):
        tr = folds != f
        te = ~tr
        beta = fit_logistic(x[tr], y[tr], c, sample_weight=None if sample_weight is None else sample_weight[tr])
        z = decision(x[te], beta)
        ys = 2.0 * y[te] - 1.0
        tot += np.sum(np.logaddexp(0.0, -ys * z))
    return tot / y.size
