"""The retraining report's computation: importance weights that make a model's reference look
like the production data since, and what retraining on them can be expected to give.

Pure NumPy, SciPy and pyarrow; the estimators, diagnostics and resampler are the monitoring
core's (``monitoring.core.weighting``). No gRPC, no database.

**Design.** The inputs become a matrix with the encoding detection uses
(``references.JointModel.design``: numeric columns with missing values at the reference mean,
categorical columns one-hot over their most frequent reference categories); numeric columns are
then standardised on the reference, and a column with missing values gets a missing indicator.
Inputs that do not vary on the reference are left out (``diagnostics["unused_inputs"]``).

**Choosing the estimator.** Candidates: ``logistic`` (classifier-based density ratio, its L2
strength C chosen among ``LOGISTIC_CS`` by the criterion below), ``ulsif``, ``rulsif`` and
``kliep`` (their own hyper-parameters by the core's cross-validation; 3 folds for KLIEP, the
slowest), and ``kmm`` when the reference is small (<= ``KMM_MAX_ROWS``). Up to
``MAX_VALIDATION_ROWS`` rows of each set are drawn. The reference rows are held out: a share
``HELD_OUT`` of them, or every row by ``CROSS_FIT_FOLDS``-fold cross-fitting when the reference
has fewer than ``CROSS_FIT_BELOW`` rows; each held-out row is weighted by a model fitted without
it on the drawn production rows (KMM, which has no model, weights it directly), and the
held-out weights are clipped as the final ones are. An estimator that fails (samples that
barely overlap) is named in ``diagnostics["failed_methods"]``.

The criterion asks the question the weights are for: does the weighted reference look like
production? It is the balance check of weighting in causal inference (standardised mean
differences and KS statistics per covariate, Austin & Stuart 2015; twang chooses its weights'
tuning by the same, McCaffrey et al. 2004), traded against the weights' variance as stable
balancing weights do (Zubizarreta 2015). Per design column j (numeric columns standardised,
one-hot and missing indicators as they are), with a = w / sum(w) over the held-out rows::

    term_j = d_j² - v_j + v_j · n_held/n  +  D_j² - K (1/ESS + 1/m) + K · n_held/(n · ESS)

where d_j is the weighted mean gap to production over the pooled standard deviation, v_j =
sum a_i² (x_ij - weighted mean)² / sd² its sampling variance, D_j the weighted KS distance and
K = pi²/12 the mean of a squared Kolmogorov variable: each squared gap less its noise at the
held-out size (an unbiased estimate of the squared shift left) plus the noise the final weights
on all n reference rows will carry. The score is the mean of the terms (lower is better).
A kernel distance over all columns (MMD², which this replaced) barely moves when a few of many
columns shift, so it let near-uniform weights win; a per-column criterion sees each column's
gap, and a held-out classifier test needs a further model and split that small references
cannot afford. ``diagnostics["validation_score_unweighted"]`` is the score of no weights.
The best-scored estimator is chosen, except that the logistic one is kept when it scores within
one standard error of the best (paired over the columns): few samples make the criterion noisy.
When the choice does not beat no weights, ``diagnostics["warnings"]`` says so.

**What the weights close.** For every usable input, ``explanation`` gives its gap to production
before and after weighting: distance (Wasserstein-1 in reference standard deviations, or total
variation of the category shares), a numeric column's standardised mean gap, whether it had
shifted (KS, or chi-squared of the category shares, Holm-adjusted over the columns, at
``SHIFT_ALPHA``), the share of a shifted column's gap closed (mean gap, or total variation), and
whether a column that had not shifted got worse beyond noise (its weighted re-test with the
weights' effective size rejects, Holm-adjusted over those columns, and its distance grew). The
report's ``gap_closed`` is the median share over the shifted columns; ``weights_help`` is true
when some column shifted, ``gap_closed`` >= ``HELPFUL_GAP_CLOSED``, the ESS is at least
``LOW_ESS_FRACTION`` of the reference and the choice beats no weights; ``advice`` says what to do
(when weights cannot help, why and what instead: production values the reference never had,
more than ``UNSEEN_SHARE`` of a column, call for a new reference from production samples).

**Final weights.** The winner is refitted with the hyper-parameters it chose on up to
``MAX_FIT_ROWS`` rows of each set and weights every reference row through its model (KMM: all
rows directly); should that refit fail, the next best is refitted. Weights are clipped at their
``CLIP_QUANTILE`` quantile and normalised to mean 1 over the reference
(``postprocess_weights``); the diagnostics report Kish's ESS, Pareto k-hat, the largest weight,
the clipped share, and the weighted re-test of every design column before and after weighting
(largest KS statistic, smallest Holm-adjusted p-value with the weights' effective size, mean
Wasserstein-1, the share of the shifted columns' distance explained). ``diagnostics["warnings"]``
says in words when the weights are doubtful (Pareto k-hat of the unclipped weights above 0.7,
ESS under 5% of the reference, no estimator beating no weights on the held-out data, columns
made worse) and, with the advice, when they cannot help.

**Performance bounds**, in the model's metric (RMSE, RSQUARE; ACCURACY, AVERAGE_PRECISION), of a
simple model: ridge regression, or L2 logistic regression (one against the rest for several
classes), on the same design:

- lower, the pessimistic one: trained on the labelled reference rows with the weights as sample
  weights, scored on every labelled production row;
- upper, the optimistic one: trained on labelled production rows themselves, cross-fitted
  (up to 5 folds, at least 10 rows each) so that every labelled production row is scored by a
  model that did not see it; the folds' scores are averaged.

Both need ``MIN_LABELLED`` labelled rows. The metric is the model's when it suits the task
(RMSE or RSQUARE for regression, ACCURACY or AVERAGE_PRECISION for classification), else the
task's first (RMSE, ACCURACY); ``RetrainingReport.metric_name`` is the one used. Several
classes: AVERAGE_PRECISION is the macro average over the classes.

"Lower" and "upper" name the pessimistic and optimistic performance, not the smaller and larger
number: for RMSE (lower is better) the lower bound is the *larger* error. Retraining can do at
least what the weighted reference does, so when the production-trained model scores worse
(noise, few labelled production rows) the upper bound is the lower one, and
``bounds_available["upper"]`` says so. A bound that cannot be computed (no target, too few
labelled rows) is None and ``bounds_available`` says why.

**Cost bounds.** With the model's fixed cost per retraining ``C`` and a cost per sample ``c``
(either may be missing, counted as 0; both missing: no bounds): lower = ``C + c x ESS`` (the
samples the suggestion keeps in effect), upper = ``C + c x n_reference`` (all of them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import kolmogorov
from scipy.stats import chi2_contingency

from driftline_server.monitoring.core import (
    CoreInputError,
    PCAReconstruction,
    adjust_p_values,
    estimate_weights,
    kmm_weights,
    postprocess_weights,
    resample,
    weight_diagnostics,
    weighted_retest,
)
from driftline_server.monitoring.detection import average_precision
from driftline_server.monitoring.references import (
    MAX_ONE_HOT,
    Column,
    JointModel,
    categorical_values,
    numeric_values,
)

__all__ = ["RetrainingInputError", "RetrainingInputs", "RetrainingReport",
           "compute_retraining_report", "candidate_methods", "CANDIDATES", "MIN_SAMPLES"]

MIN_SAMPLES = 50
CANDIDATES = ("logistic", "ulsif", "rulsif", "kliep")
KMM_MAX_ROWS = 1_000  # KMM solves a dense QP and has no model for unseen rows
MAX_VALIDATION_ROWS = 5_000  # rows of each set drawn to choose the estimator
MAX_SCORING_ROWS = 2_000  # held-out rows of each set the criterion compares (kernel matrices)
MAX_FIT_ROWS = 20_000  # rows of each set the chosen estimator is refitted on
HELD_OUT = 0.3
CROSS_FIT_BELOW = 500  # samples under which the criterion is cross-fitted instead
CROSS_FIT_FOLDS = 3
CLIP_QUANTILE = 0.995
RIDGE = 1.0  # L2 penalty of the simple models (intercept not penalised)
MIN_LABELLED = 20  # labelled production rows needed to score the simple model
PARETO_K_UNRELIABLE = 0.7
LOW_ESS_FRACTION = 0.05
SHIFT_ALPHA = 0.01  # Holm-adjusted level of a column's shift, and of its getting worse
HELPFUL_GAP_CLOSED = 0.5  # share of the shifted columns' gap the weights must close to help
UNSEEN_SHARE = 0.05  # share of production outside the reference's values that weights cannot reach
SUGGESTION_TYPES = ("SAMPLE_WEIGHTS", "RESAMPLED_DATASET")
REGRESSION_METRICS = ("RMSE", "RSQUARE")
CLASSIFICATION_METRICS = ("ACCURACY", "AVERAGE_PRECISION")
_CLASSIFICATION = ("CLASSIFICATION_BINARY", "CLASSIFICATION_MULTICLASS")
_PREDICT_CHUNK = 50_000
# The logistic estimator's inverse L2 strengths, chosen among by the held-out criterion
LOGISTIC_CS = tuple(10.0 ** np.arange(-3, 3))
# E[K²] of the Kolmogorov distribution (pi² / 12): KS² of two samples of sizes n, m that do not
# differ is about this times (1/n + 1/m)
KS_SQUARED_NULL = math.pi ** 2 / 12
VALIDATION_CRITERION = ("held-out balance: per design column, squared standardised mean gap and "
                        "squared KS distance to held-out production, less their noise at the "
                        "held-out size, plus the final weights' noise (lower is better)")
# KLIEP's own sigma search with 3 folds instead of 5 while choosing: it is the slowest estimator
_VALIDATION_OPTIONS = {"kliep": {"n_folds": 3}}


class RetrainingInputError(ValueError):
    """The data cannot give a report (too few samples, no usable input, bad options)."""


@dataclass
class RetrainingInputs:
    """What a report is computed from (see the module's docstring).

    ``positive_class`` is the task's positive class for AVERAGE_PRECISION of a binary task;
    without it the second class in sorted order is positive ("1", "True", "yes").
    ``prediction`` is carried for context: the bounds are of a simple model, not of the model.
    """

    task_type: str
    reference: pa.Table
    production: pa.Table
    id_column: str
    inputs: list[Column]
    target: str | None
    prediction: str | None
    metric_name: str
    suggestion_type: str
    resampled_dataset_size: int | None = None
    retraining_cost: float | None = None
    cost_per_sample: float | None = None
    seed: int = 0
    positive_class: str | None = None


@dataclass
class RetrainingReport:
    """A computed report (see the module's docstring for each part's meaning).

    ``explanation`` has one entry per usable input column, with the fields of the API's
    ReweightedColumn: ``column``, ``distance_before`` and ``distance_after`` (Wasserstein-1 in
    reference standard deviations for a numeric column, total variation of the category
    shares, missing values as a category, for a categorical one), ``mean_gap_before`` and
    ``mean_gap_after`` (numeric columns only), ``shifted``, ``shift_p_value``, ``gap_closed``
    (shifted columns only) and ``worsened``. ``weights_help``, ``gap_closed`` and ``advice``
    are the verdict on the weights (see the module's docstring).
    """

    suggestion_type: str
    sample_ids: list[str]
    weights: list[float] | None
    effective_sample_size: float
    method: str
    method_scores: dict[str, float]
    diagnostics: dict
    metric_name: str
    performance_lower_bound: float | None
    performance_upper_bound: float | None
    bounds_available: dict[str, str]
    cost_lower_bound: float | None
    cost_upper_bound: float | None
    explanation: list[dict] = field(default_factory=list)
    weights_help: bool = False
    gap_closed: float | None = None
    advice: str = ""


def candidate_methods(n_reference: int) -> tuple[str, ...]:
    """The estimators the validation compares for a reference of ``n_reference`` rows."""
    return CANDIDATES + (("kmm",) if n_reference <= KMM_MAX_ROWS else ())


# -- the design ----------------------------------------------------------------------------------


@dataclass
class _Design:
    """How the inputs become a matrix: fitted on the reference, applied to any table."""

    encoding: JointModel  # detection's encoding; its PCA is not used here
    scale: list[float]  # numeric columns' reference standard deviations
    indicators: list[str]  # columns given a missing indicator
    unused: dict[str, str]

    @classmethod
    def fit(cls, reference: pa.Table, production: pa.Table, inputs: list[Column]) -> "_Design":
        numeric, means, scale, categorical, indicators, unused = [], [], [], [], [], {}
        for column in inputs:
            name = column.name
            if name not in reference.column_names or name not in production.column_names:
                unused[name] = "missing from the reference or the production samples"
                continue
            # A column varies by its values or by being missing in some samples only.
            if column.numeric:
                values = numeric_values(reference, name)
                finite = values[np.isfinite(values)]
                deviation = float(finite.std()) if finite.size else 0.0
                gaps = finite.size < values.size
                if not (deviation > 0 or (gaps and finite.size)):
                    unused[name] = "does not vary on the reference"
                    continue
                numeric.append(name)
                means.append(float(finite.mean()))
                scale.append(deviation if deviation > 0 else 1.0)
                missing = gaps or not np.isfinite(numeric_values(production, name)).all()
            else:
                values = categorical_values(reference, name)
                present = values[values != None].astype(str)  # noqa: E711 - elementwise
                found, counts = np.unique(present, return_counts=True)
                gaps = present.size < values.size
                if not (found.size >= 2 or (gaps and found.size)):
                    unused[name] = "does not vary on the reference"
                    continue
                top = found[np.argsort(-counts, kind="stable")][:MAX_ONE_HOT]
                categorical.append((name, sorted(top.tolist())))
                missing = gaps or bool(
                    (categorical_values(production, name) == None).any())  # noqa: E711
            if missing:
                indicators.append(name)
        if not numeric and not categorical:
            raise RetrainingInputError(
                "no usable input column: every input is constant on the reference or absent "
                f"({', '.join(f'{k}: {v}' for k, v in unused.items()) or 'no inputs given'})")
        return cls(JointModel(numeric, means, categorical, PCAReconstruction()), scale,
                   indicators, unused)

    def matrix(self, table: pa.Table) -> np.ndarray:
        x = self.encoding.design(table)
        k = len(self.encoding.numeric)
        x[:, :k] = (x[:, :k] - np.asarray(self.encoding.means)) / np.asarray(self.scale)
        numeric = set(self.encoding.numeric)
        extra = [~np.isfinite(numeric_values(table, name)) if name in numeric
                 else categorical_values(table, name) == None  # noqa: E711
                 for name in self.indicators]
        return np.column_stack([x] + [e.astype(np.float64) for e in extra]) if extra else x

    @property
    def names(self) -> list[tuple[str, bool]]:
        """The usable input columns and whether each is numeric, in the design's order."""
        return ([(n, True) for n in self.encoding.numeric]
                + [(n, False) for n, _ in self.encoding.categorical])


# -- weights -------------------------------------------------------------------------------------


def _kernel(x: np.ndarray, centers: np.ndarray, sigma: float) -> np.ndarray:
    sq = (x * x).sum(1)[:, None] + (centers * centers).sum(1)[None, :] - 2 * x @ centers.T
    return np.exp(-0.5 * np.maximum(sq, 0.0) / (sigma * sigma))


def _ratio(method: str, params: dict, x: np.ndarray) -> np.ndarray:
    """The fitted density ratio at rows ``x`` (up to a constant), from the core's model."""
    out = np.empty(x.shape[0])
    for start in range(0, x.shape[0], _PREDICT_CHUNK):
        part = x[start:start + _PREDICT_CHUNK]
        if method == "logistic":
            out[start:start + part.shape[0]] = part @ params["coef"] + params["intercept"]
        else:
            out[start:start + part.shape[0]] = _kernel(part, params["centers"],
                                                       params["sigma"]) @ params["theta"]
    if method == "logistic":  # log-odds: exponentiate relative to the largest to stay finite
        out = np.exp(out - out.max())
    return np.maximum(out, 0.0)


def _chosen(method: str, params: dict) -> dict:
    """The estimator's keyword arguments that fix the hyper-parameters it chose."""
    if method == "logistic":
        return {"cs": [params["C"]]}
    if method in ("ulsif", "rulsif"):
        return {"sigmas": [params["sigma"]], "lambdas": [params["lambda"]]}
    if method == "kliep":
        return {"sigmas": [params["sigma"]], "n_folds": 2}
    return {}


def _public(params: dict) -> dict:
    return {k: float(v) for k, v in params.items()
            if k in ("C", "sigma", "lambda", "alpha", "bound") and np.isscalar(v)}


def _imbalance(x_reference: np.ndarray, weights: np.ndarray, x_production: np.ndarray,
               n_reference: int) -> np.ndarray:
    """The held-out criterion (lower is better; see the module's docstring): per design column,
    the squared standardised mean gap and squared KS distance between the weighted reference
    and production, each less its sampling noise at the held-out size and plus the noise the
    final weights (on all ``n_reference`` rows) will carry; one term per column (the score is
    their mean)."""
    a = weights / weights.sum()
    ess = 1.0 / float(a @ a)
    m = x_production.shape[0]
    # Pooled standard deviation, as standardised mean differences in the balance literature:
    # defined for a one-hot column whose level one of the samples lacks.
    sd = np.sqrt(0.5 * (x_reference.var(0) + x_production.var(0)))
    sd[~(sd > 0)] = 1.0
    mean = a @ x_reference
    gap = (mean - x_production.mean(0)) / sd
    noise_reference = (a * a) @ (x_reference - mean) ** 2 / sd ** 2
    # The final weights' effective size is about n_reference / n_held_out times the held-out one.
    scale = x_reference.shape[0] / n_reference
    mean_term = gap ** 2 - noise_reference + scale * noise_reference
    ks = weighted_retest(x_reference, x_production, weights).ks_weighted
    ks_term = ks ** 2 - KS_SQUARED_NULL * (1 / ess + 1 / m) + KS_SQUARED_NULL * scale / ess
    return mean_term + ks_term


@dataclass
class _Choice:
    method: str
    params: dict[str, dict]  # each scored estimator's chosen hyper-parameters
    scores: dict[str, float]
    failures: dict[str, str]
    unweighted: float
    rows: dict[str, int]


def _folds(n: int, rng: np.random.Generator, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fitting rows, held-out rows) of each fold: one split with ``HELD_OUT`` held out when
    ``k`` is 1, else ``k``-fold cross-fitting."""
    order = rng.permutation(n)[:MAX_VALIDATION_ROWS]
    if k == 1:
        cut = int(round(order.size * (1 - HELD_OUT)))
        return [(order[:cut], order[cut:][:MAX_SCORING_ROWS])]
    parts = np.array_split(order, k)
    return [(np.concatenate(parts[:i] + parts[i + 1:]), parts[i]) for i in range(k)]


def _settings(method: str) -> list[dict]:
    """The hyper-parameter settings of ``method`` the held-out criterion chooses among (the
    others choose their own by the core's cross-validation)."""
    if method == "logistic":
        return [{"cs": [c]} for c in LOGISTIC_CS]
    return [_VALIDATION_OPTIONS.get(method, {})]


def _held_out_weights(method: str, options: dict, x_reference: np.ndarray,
                      x_production: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
                      seed: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """The held-out reference rows and ``method``'s weights of them, each fold's from a model
    fitted without it on the validation's production rows, clipped and of mean 1 per fold."""
    rows, weights, params = [], [], None
    for fit, held_out in folds:
        if method == "kmm":  # no model for unseen rows: weight the held-out rows directly
            fitted = kmm_weights(x_reference[np.concatenate([fit, held_out])], x_production,
                                 seed=seed)
            held = fitted.weights[fit.size:]
        else:
            fitted = estimate_weights(x_reference[fit], x_production, method=method, seed=seed,
                                      **options)
            held = _ratio(method, fitted.params, x_reference[held_out])
        if not held.sum() > 0:
            raise CoreInputError("no held-out reference row gets a positive weight")
        rows.append(held_out)
        weights.append(postprocess_weights(held, clip_quantile=CLIP_QUANTILE))
        params = params or fitted.params
    return np.concatenate(rows), np.concatenate(weights), params


def _choose(x_reference: np.ndarray, x_production: np.ndarray, seed: int, check) -> _Choice:
    rng = np.random.default_rng(seed)
    n = x_reference.shape[0]
    # A small reference leaves a single held-out part too few rows to judge by: cross-fit it.
    folds = _folds(n, rng, 1 if n >= CROSS_FIT_BELOW else CROSS_FIT_FOLDS)
    production = x_production[rng.permutation(x_production.shape[0])[:MAX_VALIDATION_ROWS]]
    scores, terms, failures, params = {}, {}, {}, {}
    for method in candidate_methods(n):
        for options in _settings(method):
            check()
            try:
                held_out, held, fitted = _held_out_weights(method, options, x_reference,
                                                           production, folds, seed)
            except (CoreInputError, np.linalg.LinAlgError) as problem:
                failures[method] = str(problem)  # e.g. samples that barely overlap for a kernel
                continue
            found = _imbalance(x_reference[held_out], held, production, n)
            if method not in scores or found.mean() < scores[method]:
                scores[method], terms[method], params[method] = float(found.mean()), found, fitted
                failures.pop(method, None)
    if not scores:
        raise RetrainingInputError(
            "no estimator could weight the reference: the reference and the production data "
            f"barely overlap ({'; '.join(f'{k}: {v}' for k, v in failures.items())})")
    held_out = np.concatenate([rows for _, rows in folds])
    unweighted = float(_imbalance(x_reference[held_out], np.ones(held_out.size), production,
                                  n).mean())
    rows = {"fit_reference": int(folds[0][0].size), "held_out_reference": int(held_out.size),
            "production": int(production.shape[0]), "folds": len(folds)}
    return _Choice(_best(scores, terms), params, scores, failures, unweighted, rows)


def _best(scores: dict[str, float], terms: dict[str, np.ndarray]) -> str:
    """The best-scored estimator, unless the logistic one scores within one standard error of
    it (paired over the columns and folds): the one-standard-error rule (Hastie, Tibshirani and
    Friedman, 7.10) with the logistic estimator as the model preferred on a tie, since the
    criterion's noise on few samples otherwise picks among near-equals by chance."""
    best = min(scores, key=scores.get)
    if best == "logistic" or "logistic" not in scores:
        return best
    difference = terms["logistic"] - terms[best]
    error = difference.std(ddof=1) / math.sqrt(difference.size) if difference.size > 1 else 0.0
    return "logistic" if difference.mean() <= error else best


def _refit(method: str, chosen: dict, x_reference: np.ndarray, x_production: np.ndarray,
           seed: int) -> tuple[np.ndarray, dict]:
    """``method``'s weights of every reference row (not yet clipped) and its params."""
    if method == "kmm":
        fitted = kmm_weights(x_reference, x_production, seed=seed)
        return fitted.weights, fitted.params
    rng = np.random.default_rng(seed + 1)
    r = x_reference if x_reference.shape[0] <= MAX_FIT_ROWS else \
        x_reference[rng.choice(x_reference.shape[0], MAX_FIT_ROWS, replace=False)]
    p = x_production if x_production.shape[0] <= MAX_FIT_ROWS else \
        x_production[rng.choice(x_production.shape[0], MAX_FIT_ROWS, replace=False)]
    fitted = estimate_weights(r, p, method=method, seed=seed, **_chosen(method, chosen))
    weights = _ratio(method, fitted.params, x_reference)
    if not weights.sum() > 0:
        raise CoreInputError(f"{method} gives every reference sample a zero weight")
    return weights, fitted.params


def _final_weights(choice: _Choice, x_reference: np.ndarray, x_production: np.ndarray,
                   seed: int, check) -> tuple[np.ndarray, dict]:
    """The weights of the best-scored estimator whose refit succeeds (the validation's choice
    unless its refit on more rows fails); ``choice.method`` becomes the one used."""
    for method in sorted(choice.scores, key=choice.scores.get):
        check()
        try:
            weights, params = _refit(method, choice.params[method], x_reference, x_production,
                                     seed)
        except (CoreInputError, np.linalg.LinAlgError) as problem:
            choice.failures[method] = f"refitting on more samples failed: {problem}"
            continue
        choice.method = method
        return weights, params
    raise RetrainingInputError(
        "no estimator could weight the reference: the reference and the production data "
        f"barely overlap ({'; '.join(f'{k}: {v}' for k, v in choice.failures.items())})")


# -- the re-test and the explanation -------------------------------------------------------------


def _ks_p_values(statistics: np.ndarray, n: float, m: int) -> np.ndarray:
    """Asymptotic two-sample KS p-values with ``n`` (effective) and ``m`` rows."""
    size = n * m / (n + m)
    return np.asarray(kolmogorov(np.sqrt(size) * statistics), dtype=np.float64)


def _retest(x_reference, x_production, weights, ess) -> dict:
    found = weighted_retest(x_reference, x_production, weights)
    m, n = x_production.shape[0], x_reference.shape[0]
    before = adjust_p_values(_ks_p_values(found.ks_unweighted, n, m))
    after = adjust_p_values(_ks_p_values(found.ks_weighted, ess, m))
    return {
        "ks_statistic_before": float(found.ks_unweighted.max()),
        "ks_statistic_after": float(found.ks_weighted.max()),
        "ks_p_value_before": float(before.min()),
        "ks_p_value_after": float(after.min()),
        "w1_mean_before": float(found.w1_unweighted.mean()),
        "w1_mean_after": float(found.w1_weighted.mean()),
    }


def _shares(values: np.ndarray, weights: np.ndarray) -> dict:
    keys = np.array(["\x00missing" if v is None else str(v) for v in values], dtype=object)
    found, inverse = np.unique(keys, return_inverse=True)
    totals = np.bincount(inverse, weights=weights, minlength=found.size)
    return dict(zip(found.tolist(), (totals / totals.sum()).tolist()))


def _total_variation(a: dict, b: dict) -> float:
    return 0.5 * sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b))


def _kish(weights: np.ndarray) -> float:
    return float(weights.sum() ** 2 / (weights @ weights))


def _homogeneity_p_value(reference: dict, n: float, production: dict, m: int) -> float:
    """Chi-squared test that two samples' category shares (``n`` and ``m`` samples) agree."""
    levels = sorted(set(reference) | set(production))
    table = np.array([[reference.get(k, 0.0) * n for k in levels],
                      [production.get(k, 0.0) * m for k in levels]])
    table = table[:, table.sum(0) > 0]
    if table.shape[1] < 2:
        return 1.0
    return float(chi2_contingency(table, correction=False).pvalue)


def _compared(design: _Design, reference: pa.Table, production: pa.Table,
              weights: np.ndarray) -> list[dict]:
    """Each usable input's gap to production before and after weighting, and the p-values of
    the two-sample tests (unadjusted; the weighted one with the weights' effective size)."""
    found = []
    for (name, numeric), scale in zip(design.names, design.scale + [1.0] * len(design.names)):
        if numeric:
            r, p = numeric_values(reference, name), numeric_values(production, name)
            ok_r, ok_p = np.isfinite(r), np.isfinite(p)
            if ok_r.sum() < 2 or ok_p.sum() < 2 or not weights[ok_r].sum() > 0:
                continue
            r, p, w = r[ok_r], p[ok_p], weights[ok_r]
            test = weighted_retest(r, p, w)
            center = p.mean()
            entry = {
                "distance_before": test.w1_unweighted[0] / scale,
                "distance_after": test.w1_weighted[0] / scale,
                "mean_gap_before": (r.mean() - center) / scale,
                "mean_gap_after": (np.average(r, weights=w) - center) / scale,
                "p_before": _ks_p_values(test.ks_unweighted, r.size, p.size)[0],
                "p_after": _ks_p_values(test.ks_weighted, _kish(w), p.size)[0],
                # below the smallest or above the largest value the reference has
                "unseen": float(np.mean((p < r.min()) | (p > r.max()))),
            }
            entry["gap_before"] = abs(entry["mean_gap_before"])
            entry["gap_after"] = abs(entry["mean_gap_after"])
        else:
            r, p = categorical_values(reference, name), categorical_values(production, name)
            target = _shares(p, np.ones(p.size))
            before, after = _shares(r, np.ones(r.size)), _shares(r, weights)
            entry = {
                "distance_before": _total_variation(before, target),
                "distance_after": _total_variation(after, target),
                "p_before": _homogeneity_p_value(before, r.size, target, p.size),
                "p_after": _homogeneity_p_value(after, _kish(weights), target, p.size),
                "unseen": float(sum(v for k, v in target.items() if k not in before)),
            }
            entry["gap_before"], entry["gap_after"] = (entry["distance_before"],
                                                       entry["distance_after"])
        found.append({"column": name, **{k: float(v) for k, v in entry.items()}})
    return found


def _explanation(compared: list[dict]) -> list[dict]:
    """The API's ReweightedColumn of each compared input (see ``RetrainingReport``)."""
    before = adjust_p_values(np.array([c["p_before"] for c in compared]))
    shifted = before < SHIFT_ALPHA
    steady = np.flatnonzero(~shifted)
    after = np.ones(len(compared))
    if steady.size:  # worse beyond noise: the weighted re-test of the steady columns rejects
        after[steady] = adjust_p_values(np.array([compared[i]["p_after"] for i in steady]))
    found = []
    for c, moved, p_before, p_after in zip(compared, shifted, before, after):
        entry = {"column": c["column"], "distance_before": c["distance_before"],
                 "distance_after": c["distance_after"]}
        if "mean_gap_before" in c:
            entry["mean_gap_before"] = c["mean_gap_before"]
            entry["mean_gap_after"] = c["mean_gap_after"]
        entry["shifted"] = bool(moved)
        entry["shift_p_value"] = float(p_before)
        if moved and c["gap_before"] > 0:
            entry["gap_closed"] = 1.0 - c["gap_after"] / c["gap_before"]
        entry["worsened"] = bool(not moved and p_after < SHIFT_ALPHA
                                 and c["distance_after"] > c["distance_before"])
        found.append(entry)
    return found


@dataclass
class _Verdict:
    weights_help: bool
    gap_closed: float | None
    advice: str
    problems: list[str]  # why the weights cannot help, in words


def _verdict(compared: list[dict], explanation: list[dict], choice: _Choice, ess: float,
             n_reference: int, n_production: int) -> _Verdict:
    """Whether the weights make the reference look like production, and what to do."""
    shifted = [e for e in explanation if e["shifted"]]
    closed = [e["gap_closed"] for e in shifted if "gap_closed" in e]
    gap_closed = float(np.median(closed)) if closed else None
    unseen = [f"{c['column']} ({c['unseen']:.0%} of production)" for c in compared
              if c["unseen"] > UNSEEN_SHARE]
    if not shifted:
        return _Verdict(False, None, (
            "no input column shifted significantly between the reference and production: "
            "retrain on the reference as it is; weights would change little"), [])
    problems = []
    if ess < LOW_ESS_FRACTION * n_reference:
        problems.append(f"the weights keep {ess:.0f} of {n_reference} reference samples in "
                        "effect")
    if choice.scores[choice.method] >= choice.unweighted:
        problems.append("no estimator brought the held-out reference closer to production "
                        "than no weights at all")
    if gap_closed is None or gap_closed < HELPFUL_GAP_CLOSED:
        problems.append(f"the weights close {gap_closed or 0.0:.0%} of the shifted columns' "
                        "gap to production")
    if not problems:
        advice = (f"retrain on the weights, or a resampled dataset drawn by them: they close "
                  f"{gap_closed:.0%} of the shifted columns' gap to production and keep "
                  f"{ess:.0f} of {n_reference} reference samples in effect")
        if unseen:
            advice += ("; production also has values the reference never had, in "
                       f"{', '.join(unseen)}: add labelled production samples to the reference "
                       "to cover them")
        return _Verdict(True, gap_closed, advice, [])
    if unseen:
        problems.insert(0, "production has values the reference never had, which no weighting "
                        f"can reproduce, in: {', '.join(unseen)}")
    if unseen or ess < LOW_ESS_FRACTION * n_reference:
        remedy = ("set a new reference from labelled production samples (or add them to the "
                  "reference): production lies partly outside what the reference covers")
    else:
        remedy = (f"collect more production data ({n_production} samples may be too few to "
                  "learn the shift from), or set a new reference from labelled production "
                  "samples")
    return _Verdict(False, gap_closed, f"the weights cannot make the reference look like "
                    f"production ({'; '.join(problems)}): {remedy}", problems)


# -- the simple model and its metric ---------------------------------------------------------------


def _with_intercept(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(x.shape[0]), x])


def _penalty(d: int) -> np.ndarray:
    penalty = RIDGE * np.eye(d)
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    return penalty


def _ridge(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted ridge regression, closed form."""
    a = _with_intercept(x)
    return np.linalg.solve(a.T @ (a * w[:, None]) + _penalty(a.shape[1]), a.T @ (w * y))


def _logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Weighted L2 logistic regression (y in {0, 1}) by Newton's method."""
    a = _with_intercept(x)
    penalty = _penalty(a.shape[1])
    beta = np.zeros(a.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(a @ beta, -30, 30)))
        gradient = a.T @ (w * (p - y)) + penalty @ beta
        hessian = a.T @ (a * (w * p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(a.shape[1])
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


@dataclass
class _Task:
    classification: bool
    metric: str
    classes: list[str]  # classification: the class names; the positive one last when binary
    binary: bool


def _fit_and_score(task: _Task, x_train, y_train, w_train, x_test, y_test) -> float:
    """Train the simple model and score it with the metric (classes as indices into
    ``task.classes``)."""
    a_test = _with_intercept(x_test)
    if not task.classification:
        predicted = a_test @ _ridge(x_train, y_train, w_train)
        if task.metric == "RSQUARE":
            total = np.sum((y_test - y_test.mean()) ** 2)
            return float(1 - np.sum((y_test - predicted) ** 2) / total) if total > 0 else math.nan
        return float(np.sqrt(np.mean((y_test - predicted) ** 2)))
    present = np.unique(y_train).astype(int)
    if task.binary:
        positive = len(task.classes) - 1
        if present.size < 2:  # one class only: a constant score, the training class predicted
            score = np.full(x_test.shape[0], 1.0 if present[0] == positive else 0.0)
        else:
            score = a_test @ _logistic(x_train, (y_train == positive).astype(float), w_train)
        if task.metric == "AVERAGE_PRECISION":
            return average_precision(y_test == positive, score)
        return float(np.mean(np.where(score > 0, positive, 1 - positive) == y_test))
    scores = np.full((x_test.shape[0], len(task.classes)), -np.inf)
    for k in present:
        if present.size == 1:
            scores[:, k] = 0.0
        else:
            scores[:, k] = a_test @ _logistic(x_train, (y_train == k).astype(float), w_train)
    if task.metric == "AVERAGE_PRECISION":  # macro average over the classes the test set has
        values = [average_precision(y_test == k, np.where(np.isfinite(scores[:, k]),
                                                           scores[:, k], -1e300))
                  for k in np.unique(y_test).astype(int)]
        return float(np.mean(values))
    return float(np.mean(np.argmax(scores, axis=1) == y_test))


def _task(inputs: RetrainingInputs) -> _Task:
    classification = inputs.task_type in _CLASSIFICATION
    allowed = CLASSIFICATION_METRICS if classification else REGRESSION_METRICS
    metric = inputs.metric_name if inputs.metric_name in allowed else allowed[0]
    return _Task(classification, metric, [], inputs.task_type == "CLASSIFICATION_BINARY")


def _labels(table: pa.Table, target: str, task: _Task) -> np.ndarray:
    """The target as numbers (regression) or class indices; NaN where unknown."""
    if not task.classification:
        return numeric_values(table, target)
    raw = categorical_values(table, target)
    index = {c: i for i, c in enumerate(task.classes)}
    return np.array([index.get(v, math.nan) if v is not None else math.nan for v in raw],
                    dtype=np.float64)


def _classes(inputs: RetrainingInputs, task: _Task) -> list[str]:
    found = set()
    for table in (inputs.reference, inputs.production):
        found |= {v for v in categorical_values(table, inputs.target) if v is not None}
    classes = sorted(found)
    if task.binary and inputs.positive_class in found:
        classes.remove(inputs.positive_class)
        classes.append(inputs.positive_class)
    return classes


def _bounds(inputs: RetrainingInputs, task: _Task, x_reference: np.ndarray,
            x_production: np.ndarray, weights: np.ndarray, check
            ) -> tuple[float | None, float | None, dict[str, str]]:
    target = inputs.target
    if inputs.task_type not in ("REGRESSION",) + _CLASSIFICATION:
        why = f"no simple model for {inputs.task_type} tasks"
        return None, None, {"lower": why, "upper": why}
    if not target or target not in inputs.reference.column_names \
            or target not in inputs.production.column_names:
        why = "the samples have no target to train the simple model on"
        return None, None, {"lower": why, "upper": why}
    try:
        if task.classification:
            task.classes = _classes(inputs, task)
            task.binary = task.binary and len(task.classes) == 2
        y_reference = _labels(inputs.reference, target, task)
        y_production = _labels(inputs.production, target, task)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as problem:
        why = f"the target '{target}' cannot be read as a {inputs.task_type} target: {problem}"
        return None, None, {"lower": why, "upper": why}
    known_reference = np.flatnonzero(np.isfinite(y_reference))
    known_production = np.flatnonzero(np.isfinite(y_production))
    if known_production.size < MIN_LABELLED:
        why = (f"{known_production.size} production samples have a target: at least "
               f"{MIN_LABELLED} are needed to score the simple model")
        return None, None, {"lower": why, "upper": why}
    available: dict[str, str] = {}
    lower = upper = None
    check()
    if known_reference.size < MIN_LABELLED or not weights[known_reference].sum() > 0:
        available["lower"] = (f"{known_reference.size} reference samples have a target: at "
                              f"least {MIN_LABELLED} are needed to train the simple model")
    else:
        lower = _fit_and_score(task, x_reference[known_reference], y_reference[known_reference],
                               weights[known_reference], x_production[known_production],
                               y_production[known_production])
        available["lower"] = ("computed: the simple model trained on the weighted reference, "
                              f"scored on {known_production.size} labelled production samples")
    check()
    rows = np.random.default_rng(inputs.seed).permutation(known_production)
    folds = np.array_split(rows, min(5, rows.size // 10))
    predicted = []
    for k, test in enumerate(folds):
        train = np.concatenate([f for j, f in enumerate(folds) if j != k])
        predicted.append(_fit_and_score(task, x_production[train], y_production[train],
                                        np.ones(train.size), x_production[test],
                                        y_production[test]))
    upper = float(np.nanmean(predicted)) if np.isfinite(predicted).any() else None
    available["upper"] = (
        f"computed: the simple model trained on labelled production samples, {len(folds)}-fold "
        "cross-fitted" if upper is not None else
        "the metric is undefined on the labelled production samples")
    if lower is not None and not math.isfinite(lower):
        lower = None
        available["lower"] = "the metric is undefined on the labelled production samples"
    if lower is not None and upper is not None and _better(task.metric, lower, upper):
        # Retraining can do at least what the weighted reference does: the optimistic bound
        # is never worse than the pessimistic one.
        upper = lower
        available["upper"] += ("; the weighted reference scored better, and its score is the "
                               "bound")
    return lower, upper, available


def _better(metric: str, a: float, b: float) -> bool:
    """Whether score ``a`` is strictly better than ``b`` in ``metric``'s direction."""
    return a < b if metric == "RMSE" else a > b


# -- the report ----------------------------------------------------------------------------------


def _number(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _warnings(diagnostics: dict, choice: _Choice, explanation: list[dict],
              verdict: _Verdict) -> list[str]:
    """What makes the weights doubtful, in words (PSIS's thresholds for Pareto k-hat)."""
    found = []
    k = diagnostics["pareto_k_unclipped"]
    if k is not None and k > PARETO_K_UNRELIABLE:
        found.append(f"Pareto k-hat of the weights is {k:.2f} (> {PARETO_K_UNRELIABLE}): a few "
                     "samples carry most of the weight, and the estimate is unreliable")
    if diagnostics["ess_fraction"] < LOW_ESS_FRACTION:
        found.append(f"the weights keep {diagnostics['ess_fraction']:.1%} of the reference in "
                     "effect: production lies mostly outside the reference")
    if choice.scores[choice.method] >= choice.unweighted:
        found.append("no estimator brought the held-out reference closer to production than "
                     "no weights at all")
    worse = [e["column"] for e in explanation if e["worsened"]]
    if worse:
        found.append("the weights move columns that had not shifted away from production, "
                     f"beyond noise: {', '.join(worse)}")
    if verdict.problems:
        found.append(verdict.advice)
    return found


def _check(inputs: RetrainingInputs) -> None:
    reference, production = inputs.reference, inputs.production
    if reference.num_rows < MIN_SAMPLES or production.num_rows < MIN_SAMPLES:
        raise RetrainingInputError(
            f"the reference has {reference.num_rows} samples and the production data since "
            f"{production.num_rows}: at least {MIN_SAMPLES} of each are needed")
    if inputs.suggestion_type not in SUGGESTION_TYPES:
        raise RetrainingInputError(f"unknown suggestion type {inputs.suggestion_type!r}: "
                                   f"expected one of {', '.join(SUGGESTION_TYPES)}")
    if inputs.id_column not in reference.column_names:
        raise RetrainingInputError(f"the reference samples have no id column "
                                   f"'{inputs.id_column}'")
    if inputs.resampled_dataset_size is not None and inputs.resampled_dataset_size < 0:
        raise RetrainingInputError(f"the resampled dataset size must be positive; got "
                                   f"{inputs.resampled_dataset_size}")
    for name, value in (("retraining cost", inputs.retraining_cost),
                        ("cost per sample", inputs.cost_per_sample)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise RetrainingInputError(f"the {name} must be a non-negative number; got {value}")


def compute_retraining_report(inputs: RetrainingInputs, check_cancelled=None) -> RetrainingReport:
    """The retraining report of ``inputs``: weights of the reference samples chosen by
    validation, their diagnostics, the suggestion, and the performance and cost bounds (see the
    module's docstring for every rule).

    ``check_cancelled``, if given, is called between the steps and may raise to stop.

    Raises:
        RetrainingInputError: fewer than ``MIN_SAMPLES`` reference or production samples, no
            usable input column, an unknown suggestion type, or samples that no estimator can
            weight.

    Example:
        >>> report = compute_retraining_report(RetrainingInputs(
        ...     "REGRESSION", reference, production, "id", [Column("age", True)], "price", None,
        ...     "RMSE", "SAMPLE_WEIGHTS"))
        >>> report.method, report.effective_sample_size
    """
    check = check_cancelled or (lambda: None)
    _check(inputs)
    reference, production = inputs.reference, inputs.production
    design = _Design.fit(reference, production, inputs.inputs)
    x_reference, x_production = design.matrix(reference), design.matrix(production)
    check()
    choice = _choose(x_reference, x_production, inputs.seed, check)
    check()
    raw, params = _final_weights(choice, x_reference, x_production, inputs.seed, check)
    raw = raw / raw.mean()
    clip_value = float(np.quantile(raw, CLIP_QUANTILE))
    weights = postprocess_weights(raw, clip_quantile=CLIP_QUANTILE)
    quality = weight_diagnostics(weights)
    n = reference.num_rows
    check()
    compared = _compared(design, reference, production, weights)
    explanation = _explanation(compared)
    verdict = _verdict(compared, explanation, choice, float(quality.ess), n,
                       production.num_rows)
    explained = [1 - e["distance_after"] / e["distance_before"] for e in explanation
                 if e["shifted"] and e["distance_before"] > 0]
    diagnostics = {
        "ess_fraction": float(quality.ess_fraction),
        "pareto_k": _number(quality.pareto_k),
        "pareto_k_unclipped": _number(weight_diagnostics(raw).pareto_k),
        "max_weight": float(weights.max()),
        "max_weight_share": float(quality.max_weight_share),
        "clip_quantile": CLIP_QUANTILE,
        "clip_value": clip_value,
        "clipped_share": float(np.mean(raw > clip_value)),
        **_retest(x_reference, x_production, weights, quality.ess),
        # the median over the shifted columns of the share of their distance closed
        "shift_explained": float(np.median(explained)) if explained else None,
        "shifted_columns": [e["column"] for e in explanation if e["shifted"]],
        "validation_criterion": VALIDATION_CRITERION,
        "validation_score_unweighted": choice.unweighted,
        "validation_rows": choice.rows,
        "method_params": _public(params),
        "reference_samples": n,
        "production_samples": production.num_rows,
    }
    warnings = _warnings(diagnostics, choice, explanation, verdict)
    if warnings:
        diagnostics["warnings"] = warnings
    if choice.failures:
        diagnostics["failed_methods"] = choice.failures
    if design.unused:
        diagnostics["unused_inputs"] = design.unused
    ids = [str(v) for v in pc.cast(reference[inputs.id_column], pa.string()).to_pylist()]
    if inputs.suggestion_type == "RESAMPLED_DATASET":
        size = inputs.resampled_dataset_size or n
        sample_ids, suggested = [ids[i] for i in resample(weights, size, seed=inputs.seed)], None
    else:
        sample_ids, suggested = ids, weights.tolist()
    task = _task(inputs)
    lower, upper, available = _bounds(inputs, task, x_reference, x_production, weights, check)
    if inputs.retraining_cost is None and inputs.cost_per_sample is None:
        cost_lower = cost_upper = None
    else:
        fixed, per_sample = inputs.retraining_cost or 0.0, inputs.cost_per_sample or 0.0
        cost_lower = fixed + per_sample * float(quality.ess)
        cost_upper = fixed + per_sample * n
    return RetrainingReport(
        suggestion_type=inputs.suggestion_type, sample_ids=sample_ids, weights=suggested,
        effective_sample_size=float(quality.ess), method=choice.method,
        method_scores={k: float(v) for k, v in choice.scores.items()}, diagnostics=diagnostics,
        metric_name=task.metric, performance_lower_bound=lower, performance_upper_bound=upper,
        bounds_available=available, cost_lower_bound=cost_lower, cost_upper_bound=cost_upper,
        explanation=explanation, weights_help=verdict.weights_help,
        gap_closed=verdict.gap_closed, advice=verdict.advice)
