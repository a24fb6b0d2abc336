"""Multiple-testing correction across columns and the dataset-level drift rule.

Methods: ``"bonferroni"``, ``"holm"`` (step-down, FWER), ``"bh"``
(Benjamini–Hochberg, FDR), ``"by"`` (Benjamini–Yekutieli, FDR under
arbitrary dependence). ``bh``/``by`` equal ``scipy.stats.false_discovery_control``.
NaN p-values (columns that could not be tested) stay NaN and do not count in
the number of hypotheses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._errors import CoreInputError

__all__ = ["CORRECTION_METHODS", "adjust_p_values", "DriftDecision", "decide_drift"]

CORRECTION_METHODS = ("bonferroni", "holm", "bh", "by")


def adjust_p_values(p_values, method: str = "holm") -> np.ndarray:
    """Adjusted p-values (same order as the input).

    Args:
        p_values: 1-D array of p-values in [0, 1]; NaN = not tested.
        method: one of :data:`CORRECTION_METHODS`.

    Returns:
        float64 array of adjusted p-values, capped at 1.

    Example:
        >>> adjust_p_values([0.01, 0.04, 0.03], "bh")
        array([0.03, 0.04, 0.04])
    """
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1:
        raise CoreInputError(f"p_values must be 1-D (one per column); got shape {p.shape}")
    if method not in CORRECTION_METHODS:
        raise CoreInputError(f"unknown correction method {method!r}; choose from {list(CORRECTION_METHODS)}")
    ok = ~np.isnan(p)
    if np.any((p[ok] < 0) | (p[ok] > 1)):
        raise CoreInputError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    q = p[ok]
    m = q.size
    if m == 0:
        return out
    if method == "bonferroni":
        adj = np.minimum(q * m, 1.0)
    else:
        order = np.argsort(q, kind="stable")
        qs = q[order]
        i = np.arange(1, m + 1, dtype=np.float64)
        if method == "holm":
            adj_s = np.maximum.accumulate(qs * (m - i + 1))
        else:
            adj_s = qs * m / i
            if method == "by":
                adj_s = adj_s * np.sum(1.0 / i)
            adj_s = np.minimum.accumulate(adj_s[::-1])[::-1]
        adj = np.empty(m)
        adj[order] = np.minimum(adj_s, 1.0)
    out[ok] = adj
    return out


@dataclass(frozen=True)
class DriftDecision:
    """Column-level and dataset-level drift decision.

    Attributes:
        columns: column names.
        p_adjusted: adjusted p-values.
        drifted: bool per column (adjusted p <= alpha; NaN -> False).
        share_drifted: drifted columns / tested columns (0 if none tested).
        dataset_drift: share_drifted >= drift_share (and at least one drifted).
        method, alpha, drift_share: the rule used.
    """

    columns: tuple
    p_adjusted: np.ndarray
    drifted: np.ndarray
    share_drifted: float
    dataset_drift: bool
    method: str
    alpha: float
    drift_share: float


def decide_drift(p_values, columns=None, *, alpha: float = 0.05, method: str = "holm",
                 drift_share: float = 0.5) -> DriftDecision:
    """Correct p-values across columns and apply the "share of drifted columns" rule.

    Args:
        p_values: one p-value per column (e.g. ``report["ks"].p_value``).
        columns: names (default "0", "1", ...).
        alpha: level applied to the adjusted p-values.
        method: correction method.
        drift_share: the dataset drifts when at least this share of the tested
            columns drifts.

    Returns:
        :class:`DriftDecision`.

    Example:
        >>> decide_drift(rep["ks"].p_value, rep["ks"].columns, method="bh").dataset_drift
    """
    if not 0 < alpha < 1:
        raise CoreInputError(f"alpha must be in (0, 1); got {alpha}")
    if not 0 < drift_share <= 1:
        raise CoreInputError(f"drift_share must be in (0, 1]; got {drift_share}")
    adj = adjust_p_values(p_values, method)
    cols = tuple(str(i) for i in range(adj.size)) if columns is None else tuple(columns)
    if len(cols) != adj.size:
        raise CoreInputError(f"{len(cols)} column names for {adj.size} p-values")
    drifted = np.where(np.isnan(adj), False, adj <= alpha)
    tested = int(np.count_nonzero(~np.isnan(adj)))
    share = float(drifted.sum() / tested) if tested else 0.0
    return DriftDecision(cols, adj, drifted, share, bool(drifted.any() and share >= drift_share),
                         method, alpha, drift_share)
