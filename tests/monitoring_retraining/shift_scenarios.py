"""Covariate shifts whose true density ratio is known, and how much of a shift a set of weights
closes: the ground truth of the retraining report's tests and of benchmarks/weights_quality.py.

Two kinds of shift:

- selection: each row of a pool is kept with probability s(x) = sigmoid(a + b · sum of a few
  standardised columns). When the *reference* is the selected pool, production density over
  reference density is proportional to 1 / s(x); when production is, to s(x);
- mean shift: independent columns, a few of them moved by some reference standard deviations in
  production; the ratio is the ratio of the two product densities.

The weights are judged on the columns the shift acted on: the share of their standardised mean
gap to production that the weighted reference closes, pooled over those columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from driftline_server.monitoring.core import postprocess_weights
from driftline_server.monitoring.references import Column
from driftline_server.monitoring.retraining import (
    CLIP_QUANTILE,
    RetrainingInputs,
    RetrainingReport,
    compute_retraining_report,
)


@dataclass
class Scenario:
    """A reference and a production sample of numeric columns ``names``, the columns the shift
    acted on, and the true weights of the reference rows (None when unknown)."""

    name: str
    reference: np.ndarray
    production: np.ndarray
    names: list[str]
    shifted: list[int]
    true_weights: np.ndarray | None

    def tables(self) -> tuple[pa.Table, pa.Table]:
        """The samples as the report reads them, with an id column."""
        return (_table(self.reference, self.names, "r"), _table(self.production, self.names, "p"))

    def report(self, seed: int = 0) -> RetrainingReport:
        """Driftline's retraining report of the scenario (no target: weights only)."""
        reference, production = self.tables()
        return compute_retraining_report(RetrainingInputs(
            "REGRESSION", reference, production, "id", [Column(n, True) for n in self.names],
            None, None, "RMSE", "SAMPLE_WEIGHTS", seed=seed))


def _table(x: np.ndarray, names: list[str], prefix: str) -> pa.Table:
    return pa.table({"id": [f"{prefix}{i}" for i in range(x.shape[0])],
                     **{name: x[:, j] for j, name in enumerate(names)}})


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def selection_shift(name: str, x: np.ndarray, on: list[int], *, intercept: float = 0.0,
                    slope: float = 1.0, selected: str = "reference", pools: str = "disjoint",
                    names: list[str] | None = None, seed: int = 0) -> Scenario:
    """Rows of ``x`` kept with probability sigmoid(intercept + slope · sum of the standardised
    columns ``on``), from the reference's pool (``selected="reference"``) or production's.

    ``pools="disjoint"`` splits the rows in two halves, one per sample; ``"shared"`` draws the
    selected sample from every row and gives the other sample every row (small data sets).
    """
    rng = np.random.default_rng(seed)
    z = (x - x.mean(0)) / x.std(0)
    keep = _sigmoid(intercept + slope * z[:, on].sum(1))
    if pools == "disjoint":
        order = rng.permutation(x.shape[0])
        half = x.shape[0] // 2
        pool_selected, pool_other = order[:half], order[half:]
    else:
        pool_selected = pool_other = np.arange(x.shape[0])
    chosen = pool_selected[rng.random(pool_selected.size) < keep[pool_selected]]
    names = names or [f"c{j}" for j in range(x.shape[1])]
    if selected == "reference":
        return Scenario(name, x[chosen], x[pool_other], names, list(on), 1.0 / keep[chosen])
    return Scenario(name, x[pool_other], x[chosen], names, list(on), keep[pool_other])


def mean_shift(name: str, *, columns: int, moved: int, shift: float, n_reference: int = 3000,
               n_production: int = 2000, seed: int = 0) -> Scenario:
    """Independent standard normal columns; the first ``moved`` moved by ``shift`` in
    production."""
    rng = np.random.default_rng(seed)
    reference = rng.normal(size=(n_reference, columns))
    production = rng.normal(size=(n_production, columns))
    production[:, :moved] += shift
    # N(shift, 1) over N(0, 1) on each moved column
    true = np.exp((shift * reference[:, :moved] - 0.5 * shift * shift).sum(1))
    return Scenario(name, reference, production, [f"c{j}" for j in range(columns)],
                    list(range(moved)), true)


def scenarios() -> list[Scenario]:
    """The scenarios of benchmarks/weights_quality.py, with fixed seeds: selection shifts of
    breast cancer, wine, Gaussian and Student t columns, then mean shifts."""
    from sklearn.datasets import load_breast_cancer, load_wine

    cancer, wine = load_breast_cancer().data, load_wine().data
    rng = np.random.default_rng(7)
    gaussian = rng.normal(size=(4000, 10))
    heavy = rng.standard_t(3, size=(4000, 10))
    found = [
        selection_shift("cancer: reference selected on 1", cancer, [0], slope=-1.5, seed=1),
        selection_shift("cancer: reference selected on 3", cancer, [0, 1, 4], slope=-0.8,
                        seed=2),
        selection_shift("cancer: production selected on 1", cancer, [0], slope=1.5,
                        selected="production", seed=3),
        selection_shift("wine: production selected on 1", wine, [0], slope=1.5,
                        selected="production", pools="shared", seed=4),
        selection_shift("wine: production selected on 3", wine, [0, 6, 9], slope=0.8,
                        selected="production", pools="shared", seed=5),
        selection_shift("gaussian: reference selected on 1", gaussian, [0], slope=-1.0, seed=6),
        selection_shift("gaussian: reference selected on 3", gaussian, [0, 1, 2], slope=-0.6,
                        seed=7),
        selection_shift("t(3): reference selected on 1", heavy, [0], slope=-1.0, seed=8),
        selection_shift("t(3): production selected on 2", heavy, [0, 1], slope=0.8,
                        selected="production", seed=9),
    ]
    for shift in (0.2, 0.5, 1.0):
        for moved in (1, 3, 30):
            found.append(mean_shift(f"normal: {shift} sd in {moved} of 30", columns=30,
                                    moved=moved, shift=shift, seed=int(10 * shift) + moved))
    return found


def clipped(weights: np.ndarray) -> np.ndarray:
    """Weights clipped and normalised as the report's are."""
    return postprocess_weights(np.asarray(weights, dtype=np.float64),
                               clip_quantile=CLIP_QUANTILE)


def sklearn_logistic_weights(scenario: Scenario) -> np.ndarray:
    """The plain weighting: scikit-learn's LogisticRegression (default C) production against
    reference on standardised columns, p / (1 - p) · n_reference / n_production, clipped."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([scenario.reference, scenario.production])
    y = np.r_[np.zeros(len(scenario.reference)), np.ones(len(scenario.production))]
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(max_iter=2000).fit(scaler.transform(x), y)
    p = model.predict_proba(scaler.transform(scenario.reference))[:, 1]
    return clipped(p / (1 - p) * len(scenario.reference) / len(scenario.production))


def mean_gaps(scenario: Scenario, weights: np.ndarray) -> np.ndarray:
    """Each column's weighted reference mean minus production's, in reference standard
    deviations."""
    a = np.asarray(weights, dtype=np.float64) / np.sum(weights)
    return (a @ scenario.reference - scenario.production.mean(0)) / scenario.reference.std(0)


def gap_closed(scenario: Scenario, weights: np.ndarray) -> float:
    """The share of the shifted columns' standardised mean gap the weights close (pooled)."""
    before = np.abs(mean_gaps(scenario, np.ones(len(scenario.reference)))[scenario.shifted])
    after = np.abs(mean_gaps(scenario, weights)[scenario.shifted])
    return float(1.0 - after.sum() / before.sum())


def unshifted_worse(scenario: Scenario, weights: np.ndarray, z: float = 4.0) -> list[str]:
    """The columns the shift did not act on whose mean gap the weights widen by more than ``z``
    standard errors of a weighted mean with the weights' effective size."""
    w = np.asarray(weights, dtype=np.float64)
    ess = w.sum() ** 2 / (w @ w)
    noise = z * np.sqrt(1 / ess + 1 / len(scenario.production))
    before = np.abs(mean_gaps(scenario, np.ones(w.size)))
    after = np.abs(mean_gaps(scenario, w))
    steady = [j for j in range(len(scenario.names)) if j not in scenario.shifted]
    return [scenario.names[j] for j in steady if after[j] > before[j] + noise]
