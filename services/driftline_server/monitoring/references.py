"""Fitting a model reference with the monitoring core: what is monitored, the profiles, and
each detector calibrated on the reference. Pure NumPy and pyarrow: no gRPC, no database.

What a reference monitors (its *quantities*), by target:

- INPUT: every scalar input column (metric FEATURE), and the inputs as a whole.
- PREDICTION: every scalar PREDICTION column of the model (FEATURE), and them as a whole.
- INPUT_PREDICTION: the inputs and the predictions as a whole.
- CONCEPT: the inputs and the targets as a whole, on labelled samples: a change in how the
  target relates to the inputs moves rows off the subspace the reference spans.
- ERROR: the model's error on labelled samples: absolute error (regression) or
  misclassification (classification).

Metrics beyond FEATURE:

- TEXT_LENGTH: a text column's length in characters, per column of INPUT and PREDICTION (a
  RAG model's output), and for the RAG targets: USER_INPUT and RETRIEVED_CONTEXT per column,
  and the pairs USER_INPUT_RETRIEVED_CONTEXT, USER_INPUT_MODEL_OUTPUT and
  MODEL_OUTPUT_RETRIEVED_CONTEXT jointly (the pair's log lengths as a whole: a question that
  now gets a longer answer than questions of its length did);
- MODEL_ENTROPY (target PREDICTION): the entropy of the model's probabilities, from its
  MODEL_PROBABILITY column: a distribution over the classes (ARRAY_1), or one probability p,
  read as the split (p, 1 - p). A model growing unsure moves it before any label arrives;
- LOG_LIKELIHOOD (target ERROR, labelled samples): ln of the probability the model gave the
  class that was observed (a sample's log loss, negated). It needs to know which class a
  probability is of: a distribution's entries are the classes its column's classes_names (or
  the target's possible values) list; one probability is of the class the model predicts when
  it is high (binary tasks), or of the predicted class itself when it never falls under one
  half for any predicted class.

Arrays (embeddings, images) are not monitored yet; a reference names each target or column it
leaves out and why.

Every quantity turns a sample into one number (its *statistic*), so the same sequential
detector serves all of them and can be fed production samples in time order:

- ``value``: a numeric column's value (missing values are left out);
- ``surprisal``: a categorical column's -ln p, p its category's reference frequency smoothed by
  half a count (an unseen category is rarer than any seen one);
- ``reconstruction_error``: several columns at once: the row (numeric columns standardised,
  missing values at the reference mean, categorical columns one-hot over their most frequent
  reference categories) is projected on the principal subspace of the reference
  (``core.PCAReconstruction``, keeping 95% of the variance but never every dimension) and the
  mean squared error of its reconstruction is the statistic;
- ``absolute_error`` and ``misclassification`` for ERROR;
- ``text_length``, ``entropy`` and ``log_likelihood`` for the metrics above.

The detector is a two-sided CUSUM (``core.Cusum``, in-control mean and deviation from the
reference), its thresholds set by ``core.calibrate`` so that the mean run length between false
drift alarms on stationary data is the reference's target (a tenth of it for warnings). A
statistic that is constant on the reference has nothing to calibrate on and is left out.

Besides, per target, the core's ``ReferenceProfile`` (sorted values or a sketch, bins, category
counts) is kept for the per-batch tests of detection.

What was fitted is stored as one ``.npz`` container (no pickle) with a JSON header:
:func:`FittedReference.to_bytes` / :func:`FittedReference.from_bytes`.
"""

from __future__ import annotations

import dataclasses
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from driftline_server.monitoring.core import (
    CoreInputError,
    PCAReconstruction,
    ReferenceProfile,
    encode_categorical,
    fit_reference,
)
from driftline_server.monitoring.core.batch_tests import (
    CATEGORICAL,
    NUMERIC,
    QuantitySample,
    TargetCalibration,
    alarm_probability,
    calibrate_target,
)
from driftline_server.monitoring.vocabulary import rag_column_target

FORMAT = "driftline.model_reference"
# 2: batch tests calibrated per target (1: per-sample CUSUMs calibrated in samples).
FORMAT_VERSION = 2
# Numeric profiles keep a sketch above this many values: its ECDF is within 1/20000 of the
# full one, and a reference of any size stays a few MB (it travels in one gRPC message).
SKETCH_SIZE = 20_000
# One-hot columns a categorical column brings to a joint quantity: its most frequent categories.
MAX_ONE_HOT = 20
# Held-out reconstruction errors kept for the per-batch test of a joint quantity.
MAX_REFERENCE_ERRORS = 20_000
PCA_VARIANCE = 0.95
SMOOTHING = 0.5
# The promise a reference is fitted for when none is given: stationary batches per target
# between two false DRIFT_ON events.
DEFAULT_BATCHES_BETWEEN_FALSE_ALARMS = 100.0
# A drift (or a warning) ends after RELEASE_BATCHES calm batches in a row: batches whose test
# of the quantity, alone and with the previous batch, finds nothing at the RELEASE_P level. A
# stationary batch is calm with about CALM_PROBABILITY (measured: 0.90 for a numeric quantity,
# whose KS, z and pooled z tests go under 5% in some 10% of batches; 0.93 for a categorical one).
RELEASE_BATCHES = 2
RELEASE_P = 0.05
CALM_PROBABILITY = 0.90
# A target's false warnings come at most this many times as often as its false drifts.
WARNING_FACTOR = 3
MAX_WARNING_LEVEL = 0.5
MIN_PERMUTATIONS = 5_000
MAX_PERMUTATIONS = 20_000
DETECTOR = "batch_test"

TABULAR_TASKS = ("REGRESSION", "CLASSIFICATION_BINARY", "CLASSIFICATION_MULTICLASS")
_CLASSIFICATION = ("CLASSIFICATION_BINARY", "CLASSIFICATION_MULTICLASS")
_NUMERIC_TYPES = ("FLOAT", "INTEGER")
_RAG_TARGETS = ("USER_INPUT", "RETRIEVED_CONTEXT", "USER_INPUT_RETRIEVED_CONTEXT",
                "USER_INPUT_MODEL_OUTPUT", "MODEL_OUTPUT_RETRIEVED_CONTEXT")


class ReferenceTooSmall(Exception):
    """Fewer samples in the range than the minimum."""

    def __init__(self, found: int, minimum: int):
        super().__init__(f"{found} samples found, at least {minimum} needed")
        self.found = found
        self.minimum = minimum


# -- what to monitor ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    numeric: bool
    text: bool = False  # a STRING column, monitored by its length


@dataclass(frozen=True)
class ErrorSpec:
    prediction: str
    target: str
    statistic: str  # "absolute_error" or "misclassification"


@dataclass(frozen=True)
class ProbabilitySpec:
    """A model's MODEL_PROBABILITY column, and what its probabilities are of."""

    column: str
    distribution: bool  # one probability per class (ARRAY_1), else one probability
    classes: tuple[str, ...] = ()  # a distribution's classes, entry by entry
    prediction: str = ""  # the model's predicted class column
    target: str = ""  # the target column it predicts
    binary: bool = False
    # Resolved on the reference, for one probability (fit_model_reference):
    positive_label: str = ""  # the class it is the probability of
    of_predicted: bool = False  # it is the predicted class's probability

    def to_dict(self) -> dict:
        return dict(dataclasses.asdict(self), classes=list(self.classes))

    @classmethod
    def from_dict(cls, data: dict) -> "ProbabilitySpec":
        return cls(**dict(data, classes=tuple(data.get("classes", ()))))


# The targets a RAG task's text columns make, and the pairs monitored jointly.
RAG_TEXT_TARGETS = ("USER_INPUT", "RETRIEVED_CONTEXT")
RAG_PAIRS = {"USER_INPUT_RETRIEVED_CONTEXT": ("USER_INPUT", "RETRIEVED_CONTEXT"),
             "USER_INPUT_MODEL_OUTPUT": ("USER_INPUT", "PREDICTION"),
             "MODEL_OUTPUT_RETRIEVED_CONTEXT": ("PREDICTION", "RETRIEVED_CONTEXT")}


@dataclass
class Plan:
    """The columns each target is made of, for a task type, its data schema and a model."""

    id_column: str
    time_column: str
    inputs: list[Column]
    predictions: list[Column]
    targets: list[Column]
    error: ErrorSpec | None
    skipped: list[dict] = field(default_factory=list)
    # Text columns by target (INPUT, PREDICTION, USER_INPUT, RETRIEVED_CONTEXT): TEXT_LENGTH.
    texts: dict[str, list[Column]] = field(default_factory=dict)
    rag: bool = False
    probability: ProbabilitySpec | None = None

    @property
    def columns(self) -> list[str]:
        """The columns to read, each once, in the schema's roles' order."""
        names = [self.id_column, self.time_column]
        names += [c.name for c in self.inputs + self.targets + self.predictions]
        names += [c.name for columns in self.texts.values() for c in columns]
        if self.probability is not None:
            names += [self.probability.column, self.probability.prediction,
                      self.probability.target]
        return list(dict.fromkeys(name for name in names if name))


def _scalar(column: dict) -> Column | None:
    if column.get("data_type") in _NUMERIC_TYPES:
        return Column(column["name"], True)
    if column.get("data_type") == "CATEGORICAL":
        return Column(column["name"], False)
    return None  # text (TEXT_LENGTH) and arrays (not monitored yet)


def _text(column: dict) -> Column | None:
    return Column(column["name"], False, True) if column.get("data_type") == "STRING" else None


def plan_reference(task_type: str, columns: list[dict], model_id: str) -> Plan:
    """What a reference of ``model_id`` monitors, from the task's type and data schema
    (columns as Catalog's ``Column.to_json`` writes them)."""
    def named(role: str) -> str:
        return next((c["name"] for c in columns if c.get("role") == role), "")

    plain_inputs = [c for c in columns if c.get("role") == "INPUT" and not rag_column_target(c)]
    inputs = [s for c in plain_inputs if (s := _scalar(c))]
    targets = [s for c in columns
               if c.get("role") == "TARGET" and not c.get("sub_role") and (s := _scalar(c))]
    own = [c for c in columns if c.get("role") == "PREDICTION" and c.get("model_id") == model_id]
    predictions = [s for c in own if (s := _scalar(c))]
    texts = {"INPUT": [t for c in plain_inputs if (t := _text(c))],
             "PREDICTION": [t for c in own if not c.get("sub_role") and (t := _text(c))]}
    if task_type == "RAG":
        for target in RAG_TEXT_TARGETS:
            texts[target] = [t for c in columns if rag_column_target(c) == target and (t := _text(c))]
    texts = {target: found for target, found in texts.items() if found}
    skipped: list[dict] = []
    left_out = [c["name"] for c in plain_inputs + own
                if _scalar(c) is None and _text(c) is None
                and not (c.get("sub_role") == "MODEL_PROBABILITY")]
    if left_out:
        skipped.append(_skip("INPUT", f"columns {', '.join(left_out)} are arrays (embeddings, "
                                      "images), which are not monitored yet"))
    if not inputs and "INPUT" not in texts and task_type != "RAG":
        skipped.append(_skip("INPUT", "the data schema has no numeric, categorical or text "
                                      "input"))
    if not predictions and "PREDICTION" not in texts:
        skipped.append(_skip("PREDICTION", "the data schema has no numeric, categorical or "
                                           f"text PREDICTION column of model '{model_id}'"))
    error = None
    if task_type not in TABULAR_TASKS:
        if task_type != "RAG":  # RAG tasks have no target: nothing to say
            for target in ("CONCEPT", "ERROR"):
                skipped.append(_skip(target, f"not supported for {task_type} tasks yet"))
        targets = []
    else:
        if not targets:
            skipped.append(_skip("CONCEPT", "the data schema has no TARGET column"))
        error = _error_spec(task_type, columns, own, targets)
        if error is None:
            skipped.append(_skip("ERROR", "no prediction of the model matches a TARGET column"))
    probability = _probability_spec(task_type, columns, own, error)
    return Plan(named("ID"), named("TIME_ID"), inputs, predictions, targets, error, skipped,
                texts, task_type == "RAG", probability)


def _probability_spec(task_type: str, columns: list[dict], own: list[dict],
                      error: ErrorSpec | None) -> ProbabilitySpec | None:
    """The model's probability column, for MODEL_ENTROPY and LOG_LIKELIHOOD (classification)."""
    if task_type not in _CLASSIFICATION:
        return None
    column = next((c for c in own if c.get("sub_role") == "MODEL_PROBABILITY"
                   and (c.get("data_type") in _NUMERIC_TYPES or c.get("data_type") == "ARRAY_1")),
                  None)
    if column is None:
        return None
    classes: tuple[str, ...] = ()
    distribution = column["data_type"] == "ARRAY_1"
    if distribution:
        target = next((c for c in columns if error is not None and c["name"] == error.target),
                      None)
        size = (column.get("dims") or [0])[0]
        for names in (column.get("classes_names"), (target or {}).get("possible_values")):
            if names and (not size or len(names) == size):
                classes = tuple(names)
                break
    return ProbabilitySpec(column["name"], distribution, classes,
                           error.prediction if error else "", error.target if error else "",
                           task_type == "CLASSIFICATION_BINARY")


def _error_spec(task_type: str, columns: list[dict], own: list[dict],
                targets: list[Column]) -> ErrorSpec | None:
    by_name = {t.name: t for t in targets}
    main = [c for c in own if not c.get("sub_role") and _scalar(c)]
    for prediction in main:
        target = by_name.get(prediction.get("predicted_target") or "") or (
            targets[0] if len(targets) == 1 else None)
        if target is None:
            continue
        if task_type == "REGRESSION":
            if prediction["data_type"] in _NUMERIC_TYPES and target.numeric:
                return ErrorSpec(prediction["name"], target.name, "absolute_error")
        else:
            return ErrorSpec(prediction["name"], target.name, "misclassification")
    return None


def _skip(target: str, reason: str) -> dict:
    return {"target": target, "reason": reason}


# -- per-sample statistics ---------------------------------------------------------------------


def numeric_values(table: pa.Table, name: str) -> np.ndarray:
    """A column as float64, missing values as NaN."""
    return pc.cast(table[name], pa.float64()).to_numpy(zero_copy_only=False).astype(
        np.float64, copy=False)


def categorical_values(table: pa.Table, name: str) -> np.ndarray:
    """A column as an object array of strings, missing values as None."""
    return np.asarray(pc.cast(table[name], pa.string()).to_pylist(), dtype=object)


def text_lengths(table: pa.Table, name: str) -> np.ndarray:
    """A text column's length in characters as float64, missing values as NaN."""
    lengths = pc.utf8_length(pc.cast(table[name], pa.string()))
    return pc.cast(lengths, pa.float64()).to_numpy(zero_copy_only=False).astype(
        np.float64, copy=False)


def probabilities(table: pa.Table, spec: ProbabilitySpec) -> np.ndarray:
    """The model's probabilities: one row per sample, one column per class of a distribution
    (rows of missing or wrongly sized lists as NaN), or one column."""
    if not spec.distribution:
        return numeric_values(table, spec.column).reshape(-1, 1)
    column = pc.cast(table[spec.column].combine_chunks(), pa.list_(pa.float64()))
    sizes = pc.fill_null(pc.list_value_length(column), 0).to_numpy(zero_copy_only=False)
    width = len(spec.classes) or int(np.bincount(sizes).argmax()) if sizes.size else 0
    out = np.full((len(column), width), np.nan)
    whole = sizes == width
    if width and whole.any():
        values = pc.list_flatten(column.filter(pa.array(whole))).to_numpy(zero_copy_only=False)
        out[whole] = np.asarray(values, dtype=np.float64).reshape(-1, width)
    return out


def entropy_values(table: pa.Table, spec: ProbabilitySpec) -> np.ndarray:
    """Each sample's entropy (nats) of the model's probabilities; one probability p is the
    split (p, 1 - p). NaN where the probabilities are missing or not a distribution."""
    p = probabilities(table, spec)
    if not spec.distribution:
        p = np.column_stack([p[:, 0], 1.0 - p[:, 0]])
    valid = np.all(np.isfinite(p) & (p >= 0), axis=1) & (p.shape[1] > 0)
    total = np.where(valid, p.sum(axis=1), np.nan)
    valid &= np.abs(total - 1.0) < 1e-3  # a distribution, up to rounding
    p = np.where(valid[:, None], p / np.where(valid, total, 1.0)[:, None], 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return np.where(valid, terms.sum(axis=1), np.nan)


def log_likelihood_values(table: pa.Table, spec: ProbabilitySpec) -> np.ndarray:
    """Each labelled sample's ln p(observed class) under the model's probabilities (clipped
    to [1e-15, 1]); NaN where the target, the probability or its class is unknown."""
    actual = categorical_values(table, spec.target)
    p = probabilities(table, spec)
    if spec.distribution:
        index = {label: i for i, label in enumerate(spec.classes)}
        where = np.array([index.get(a, -1) if a is not None else -1 for a in actual],
                         dtype=np.int64)
        known = where >= 0
        chosen = np.full(len(actual), np.nan)
        chosen[known] = p[np.flatnonzero(known), where[known]]
    else:
        of = (categorical_values(table, spec.prediction) if spec.of_predicted
              else np.full(len(actual), spec.positive_label, dtype=object))
        known = (actual != None) & (of != None)  # noqa: E711 - elementwise
        chosen = np.where(known, np.where(actual == of, p[:, 0], 1.0 - p[:, 0]), np.nan)
    with np.errstate(invalid="ignore"):
        return np.log(np.clip(chosen, 1e-15, 1.0))


def resolve_probability(spec: ProbabilitySpec, table: pa.Table) -> ProbabilitySpec | None:
    """What one probability is of, read off labelled reference samples: of the predicted class
    when it is at least one half, on average, for every class the model predicts; else of the
    class the model predicts when it is high (binary tasks). None when neither holds."""
    if spec.distribution:
        return spec if spec.classes else None
    if not spec.binary or not spec.prediction:
        return None  # one probability of several classes says nothing of the others
    predicted = categorical_values(table, spec.prediction)
    p = numeric_values(table, spec.column)
    known = (predicted != None) & np.isfinite(p)  # noqa: E711 - elementwise
    labels = sorted({str(v) for v in predicted[known]})
    if not labels:
        return None
    means = [float(np.mean(p[known & (predicted == label)])) for label in labels]
    if min(means) >= 0.5:
        return dataclasses.replace(spec, of_predicted=True)
    return dataclasses.replace(spec, positive_label=labels[int(np.argmax(means))])


def category_codes(profile: ReferenceProfile, name: str, values: np.ndarray) -> np.ndarray:
    """Each value's code among the column's reference categories: -1 where missing, and one
    code past the reference's categories for those it never saw."""
    column = profile.categorical[profile.categorical_names.index(name)]
    # One profile per column keeps encode_categorical's column order trivial.
    single = ReferenceProfile(categorical=(column,), sketch_size=profile.sketch_size,
                              n_bins=profile.n_bins)
    return encode_categorical(single, values.reshape(-1, 1))[:, 0].astype(np.int64)


def surprisal(profile: ReferenceProfile, name: str, values: np.ndarray) -> np.ndarray:
    """-ln of each value's smoothed reference frequency; missing values are left out."""
    column = profile.categorical[profile.categorical_names.index(name)]
    codes = category_codes(profile, name, values)
    codes = codes[codes >= 0]
    counts = column.counts.astype(np.float64)  # the last entry is the unseen bucket (0)
    probabilities = (counts + SMOOTHING) / (counts.sum() + SMOOTHING * counts.size)
    return -np.log(probabilities[codes])


@dataclass
class JointModel:
    """Several columns as one quantity: their design matrix and a PCA fitted on the reference."""

    numeric: list[str]
    means: list[float]
    categorical: list[tuple[str, list[str]]]
    pca: PCAReconstruction
    texts: list[str] = field(default_factory=list)  # by their log length
    text_means: list[float] = field(default_factory=list)

    def design(self, table: pa.Table) -> np.ndarray:
        parts = []
        for name, mean in zip(self.numeric, self.means):
            values = numeric_values(table, name)
            parts.append(np.where(np.isfinite(values), values, mean))
        for name, mean in zip(self.texts, self.text_means):
            values = np.log1p(text_lengths(table, name))
            parts.append(np.where(np.isfinite(values), values, mean))
        for name, categories in self.categorical:
            values = categorical_values(table, name)
            parts += [(values == category).astype(np.float64) for category in categories]
        return np.column_stack(parts) if parts else np.zeros((table.num_rows, 0))

    def values(self, table: pa.Table) -> np.ndarray:
        """Each row's reconstruction error."""
        return self.pca.row_errors(self.design(table))


def fit_joint(table: pa.Table, columns: list[Column], seed: int = 0) -> JointModel | None:
    """The joint model of ``columns``; None when their design has fewer than two dimensions."""
    numeric, means, categorical, texts, text_means = [], [], [], [], []
    for column in columns:
        if column.numeric or column.text:
            values = (np.log1p(text_lengths(table, column.name)) if column.text
                      else numeric_values(table, column.name))
            finite = values[np.isfinite(values)]
            if finite.size:
                (texts if column.text else numeric).append(column.name)
                (text_means if column.text else means).append(float(finite.mean()))
        else:
            values = categorical_values(table, column.name)
            present = values[values != None]  # noqa: E711 - elementwise on an object array
            if present.size:
                found, counts = np.unique(present.astype(str), return_counts=True)
                top = found[np.argsort(-counts, kind="stable")][:MAX_ONE_HOT]
                categorical.append((column.name, sorted(top.tolist())))
    model = JointModel(numeric, means, categorical, PCAReconstruction(seed=seed), texts,
                       text_means)
    design = model.design(table)
    dimensions = design.shape[1]
    if dimensions < 2:
        return None
    # Keeping as many components as the design has independent dimensions (one-hot columns
    # of a category sum to one, for one) reconstructs every row exactly: keep one fewer.
    rank = _rank(design)
    if rank < 2:
        return None
    model.pca.fit(design)
    if model.pca.components_.shape[0] >= rank:
        model.pca = PCAReconstruction(n_components=rank - 1, seed=seed).fit(design)
    return model


def _rank(design: np.ndarray) -> int:
    """The number of independent dimensions of the standardised design."""
    deviation = design.std(axis=0)
    deviation[deviation == 0] = 1.0
    singular = np.linalg.svd((design - design.mean(axis=0)) / deviation, compute_uv=False)
    return int(np.count_nonzero(singular > singular[0] * 1e-8)) if singular.size else 0


# -- fitting -----------------------------------------------------------------------------------


@dataclass
class Quantity:
    """One monitored quantity: the summary the contract shows. Its batch test compares a
    batch's values with the reference's, kept in its profile (``profile``, or the joint
    model's held-out errors for ``joint``)."""

    target: str
    metric: str  # "" (the target as a whole) or "FEATURE"
    feature: str
    columns: list[str]
    statistic: str
    sample_count: int
    profile: str = ""  # the profile holding the column (value, surprisal)
    joint: str = ""  # the joint model (reconstruction_error)

    def summary(self, calibration: "TargetCalibration | None" = None,
                batches_between_false_alarms: float = 0.0) -> dict:
        """What the contract shows; the thresholds are the p-values under which a batch
        raises a warning or a drift at the reference's setting."""
        summary = {
            "target": self.target, "metric": self.metric, "feature": self.feature,
            "columns": list(self.columns), "statistic": self.statistic,
            "detector": DETECTOR, "sample_count": self.sample_count,
            "warning_threshold": 0.0, "drift_threshold": 0.0,
        }
        if calibration is not None and batches_between_false_alarms:
            levels = alarm_levels(batches_between_false_alarms)
            summary["warning_threshold"] = calibration.threshold(levels.warning)
            summary["drift_threshold"] = calibration.threshold(levels.drift)
        return summary


@dataclass(frozen=True)
class AlarmLevels:
    """Per-batch false-alarm probabilities of a target: of a drift, and of a warning."""

    drift: float
    warning: float


def alarm_levels(batches_between_false_alarms: float) -> AlarmLevels:
    """The levels that keep the promise: one false DRIFT_ON per target every
    ``batches_between_false_alarms`` stationary batches, warnings up to WARNING_FACTOR times
    as often."""
    drift = alarm_probability(batches_between_false_alarms, RELEASE_BATCHES,
                              CALM_PROBABILITY)
    return AlarmLevels(drift, max(drift, min(MAX_WARNING_LEVEL, WARNING_FACTOR * drift)))


@dataclass
class FittedReference:
    sample_count: int
    labelled_sample_count: int
    quantities: list[Quantity]
    skipped: list[dict]
    profiles: dict[str, ReferenceProfile]
    joints: dict[str, JointModel]
    batches_between_false_alarms: float
    # Per target: the null distribution of its smallest batch p-value (core.batch_tests).
    calibrations: dict[str, TargetCalibration] = field(default_factory=dict)
    probability: ProbabilitySpec | None = None  # resolved on the reference

    def calibration(self, target: str) -> TargetCalibration:
        """The target's calibration; a reference fitted before calibration existed gets the
        conservative Bonferroni table over its tests."""
        found = self.calibrations.get(target)
        if found is None:
            distinct = {(tuple(q.columns), q.statistic) for q in self.quantities
                        if q.target == target}
            tests = sum(1 if statistic == "surprisal" else 2 for _, statistic in distinct)
            found = self.calibrations[target] = TargetCalibration.bonferroni(tests)
        return found

    def summaries(self) -> list[dict]:
        return [q.summary(self.calibration(q.target), self.batches_between_false_alarms)
                for q in self.quantities]

    def to_bytes(self) -> bytes:
        header = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "sample_count": self.sample_count,
            "labelled_sample_count": self.labelled_sample_count,
            "batches_between_false_alarms": self.batches_between_false_alarms,
            "skipped": self.skipped,
            "quantities": [dict(summary, profile=q.profile, joint=q.joint)
                           for q, summary in zip(self.quantities, self.summaries())],
            "calibrations": {target: c.to_dict() for target, c in self.calibrations.items()},
            "profiles": sorted(self.profiles),
            "joints": {name: {"numeric": j.numeric, "means": j.means,
                              "categorical": [[n, c] for n, c in j.categorical],
                              "texts": j.texts, "text_means": j.text_means}
                       for name, j in self.joints.items()},
            "probability": self.probability.to_dict() if self.probability else None,
        }
        arrays = {f"profile__{name}": np.frombuffer(profile.to_bytes(), dtype=np.uint8)
                  for name, profile in self.profiles.items()}
        for name, joint in self.joints.items():
            pca = joint.pca
            errors = pca.reference_errors_
            if errors.size > MAX_REFERENCE_ERRORS:
                errors = np.random.default_rng(0).choice(errors, MAX_REFERENCE_ERRORS,
                                                         replace=False)
            arrays.update({f"joint__{name}__mean": pca.mean_, f"joint__{name}__scale": pca.scale_,
                           f"joint__{name}__components": pca.components_,
                           f"joint__{name}__errors": errors})
        buffer = io.BytesIO()
        np.savez(buffer, __header__=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                 **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "FittedReference":
        """A stored reference; one of format 1 (per-sample CUSUMs calibrated in samples) is
        read with its profiles, tested per batch with Bonferroni's thresholds, at the default
        setting."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            header = json.loads(bytes(z["__header__"]).decode())
            if header.get("format") != FORMAT or header["format_version"] > FORMAT_VERSION:
                raise ValueError("not a model reference this server can read")
            profiles = {name: ReferenceProfile.from_bytes(bytes(z[f"profile__{name}"]))
                        for name in header["profiles"]}
            joints = {}
            for name, spec in header["joints"].items():
                pca = PCAReconstruction()
                pca.mean_ = z[f"joint__{name}__mean"]
                pca.scale_ = z[f"joint__{name}__scale"]
                pca.components_ = z[f"joint__{name}__components"]
                pca.reference_errors_ = z[f"joint__{name}__errors"]
                joints[name] = JointModel(spec["numeric"], spec["means"],
                                          [(n, c) for n, c in spec["categorical"]], pca,
                                          spec.get("texts", []), spec.get("text_means", []))
        quantities = [
            Quantity(q["target"], q["metric"], q["feature"], q["columns"], q["statistic"],
                     q["sample_count"], q["profile"], q["joint"])
            for q in header["quantities"]
        ]
        probability = header.get("probability")
        calibrations = {target: TargetCalibration.from_dict(data)
                        for target, data in header.get("calibrations", {}).items()}
        return cls(header["sample_count"], header["labelled_sample_count"], quantities,
                   header["skipped"], profiles, joints,
                   float(header.get("batches_between_false_alarms",
                                    DEFAULT_BATCHES_BETWEEN_FALSE_ALARMS)),
                   calibrations, ProbabilitySpec.from_dict(probability) if probability else None)


class _Fitter:
    def __init__(self, batches_between_false_alarms: float, check_cancelled=None):
        self.batches_between_false_alarms = batches_between_false_alarms
        self.quantities: list[Quantity] = []
        self.skipped: list[dict] = []
        self.profiles: dict[str, ReferenceProfile] = {}
        self.joints: dict[str, JointModel] = {}
        # Per target, each quantity's values on the target's rows, for its calibration.
        self.samples: dict[str, list[QuantitySample]] = {}
        self._check_cancelled = check_cancelled or (lambda: None)

    def add(self, target: str, metric: str, feature: str, columns: list[str], statistic: str,
            values: np.ndarray, profile: str = "", joint: str = "",
            sample: QuantitySample | None = None) -> Quantity | None:
        """Keep the quantity, with its values on the target's rows (``sample``, NUMERIC
        ``values`` when not given) for the target's calibration; a constant statistic (or one
        with too few values) is left out with its reason."""
        self._check_cancelled()
        finite = values[np.isfinite(values)]
        what = " ".join(part for part in (target, "" if metric == "FEATURE" else metric, feature)
                        if part)
        spread = float(np.std(finite)) if finite.size else 0.0
        if finite.size < 10 or not spread > 1e-9 * max(1.0, float(np.abs(finite).max())):
            self.skipped.append(_skip(target, f"{what}: its {statistic} is constant on the "
                                      "reference (or nearly absent), so no change of it could "
                                      "be tested"))
            return None
        quantity = Quantity(target, metric, feature, columns, statistic, int(finite.size),
                            profile, joint)
        self.quantities.append(quantity)
        self.samples.setdefault(target, []).append(
            sample if sample is not None else QuantitySample(NUMERIC, values))
        return quantity

    def calibrate(self) -> dict[str, TargetCalibration]:
        """Each target's calibration, by splitting its rows (enough splits that the drift
        level's threshold rests on about fifty of them, up to MAX_PERMUTATIONS)."""
        drift = alarm_levels(self.batches_between_false_alarms).drift
        permutations = int(min(MAX_PERMUTATIONS, max(MIN_PERMUTATIONS, 50 / drift)))
        calibrations = {}
        for seed, (target, samples) in enumerate(sorted(self.samples.items())):
            self._check_cancelled()
            calibrations[target] = calibrate_target(samples, permutations=permutations,
                                                    seed=seed)
        return calibrations

    def profile(self, name: str, table: pa.Table, columns: list[Column]) -> ReferenceProfile | None:
        """The core's profile of ``columns``; columns with no values are left out."""
        numeric, categorical = [], []
        for column in columns:
            if column.numeric:
                values = numeric_values(table, column.name)
                if np.isfinite(values).any():
                    numeric.append((column.name, values))
            else:
                categorical.append((column.name, categorical_values(table, column.name)))
        if not numeric and not categorical:
            return None
        profile = fit_reference(
            np.column_stack([v for _, v in numeric]) if numeric else None,
            np.column_stack([v for _, v in categorical]) if categorical else None,
            numeric_names=[n for n, _ in numeric] or None,
            categorical_names=[n for n, _ in categorical] or None,
            sketch_size=SKETCH_SIZE)
        self.profiles[name] = profile
        return profile

    def columns_of(self, target: str, profile_name: str, table: pa.Table,
                   columns: list[Column]) -> None:
        """Per-column quantities of a target (metric FEATURE), and the target as a whole."""
        profile = self.profile(profile_name, table, columns)
        if profile is None:
            self.skipped.append(_skip(target, "its columns have no values in the range"))
            return
        added = []
        for column in columns:
            if column.numeric and column.name in profile.numeric_names:
                values, statistic = numeric_values(table, column.name), "value"
            elif not column.numeric:
                raw = categorical_values(table, column.name)
                values = surprisal(profile, column.name, raw)
                statistic = "surprisal"
            else:
                self.skipped.append(_skip(target, f"column {column.name} has no values"))
                continue
            sample = (QuantitySample(CATEGORICAL, category_codes(profile, column.name, raw))
                      if statistic == "surprisal" else None)
            quantity = self.add(target, "FEATURE", column.name, [column.name], statistic,
                                values, profile=profile_name, sample=sample)
            if quantity is not None:
                added.append((quantity, values))
        if len(columns) == 1 and added:
            # One column: the target as a whole is that column, with the same detector.
            quantity, _ = added[0]
            self.quantities.append(dataclasses.replace(quantity, metric="", feature=""))
        elif len(columns) > 1:
            self.jointly(target, table, columns)

    def jointly(self, target: str, table: pa.Table, columns: list[Column],
                metric: str = "") -> None:
        joint = fit_joint(table, columns)
        if joint is None:
            self.skipped.append(_skip(target, "its columns have fewer than two dimensions "
                                              "with values to monitor jointly"))
            return
        self.joints[target] = joint
        # The held-out errors are what batches are tested against; the in-sample errors of
        # every row are what the calibration splits (the columns' dependence lives there).
        self.add(target, metric, "", [c.name for c in columns], "reconstruction_error",
                 joint.pca.reference_errors_, joint=target,
                 sample=QuantitySample(NUMERIC, joint.values(table)))

    def lengths_of(self, target: str, table: pa.Table, columns: list[Column]) -> None:
        """TEXT_LENGTH of each text column of a target (their lengths profiled together, for
        the batch tests), and of several as a whole."""
        lengths = [(c.name, text_lengths(table, c.name)) for c in columns]
        lengths = [(name, values) for name, values in lengths if np.isfinite(values).any()]
        if not lengths:
            self.skipped.append(_skip(target, "its text columns have no values in the range"))
            return
        name = text_profile(target)
        self.profiles[name] = fit_reference(
            np.column_stack([v for _, v in lengths]), numeric_names=[n for n, _ in lengths],
            sketch_size=SKETCH_SIZE)
        for column, values in lengths:
            self.add(target, "TEXT_LENGTH", column, [column], "text_length", values,
                     profile=name)
        if len(columns) > 1:
            self.jointly(target, table, columns, metric="TEXT_LENGTH")

    def statistic(self, target: str, metric: str, feature: str, columns: list[str],
                  statistic: str, values: np.ndarray) -> None:
        """A quantity of one derived statistic, profiled on its own for the batch test."""
        finite = values[np.isfinite(values)]
        if finite.size < 10:
            self.skipped.append(_skip(target, f"{metric or statistic}: {finite.size} samples "
                                              "have it, too few to calibrate on"))
            return
        name = metric or target
        if self.add(target, metric, feature, columns, statistic, values, profile=name):
            self.profiles[name] = fit_reference(finite.reshape(-1, 1),
                                                numeric_names=[statistic],
                                                sketch_size=SKETCH_SIZE)


def text_profile(target: str) -> str:
    """The name of the profile of a target's text lengths."""
    return f"TEXT_LENGTH/{target}"


def error_values(spec: ErrorSpec, table: pa.Table) -> np.ndarray:
    """Each labelled sample's error (NaN where the target or the prediction is missing)."""
    if spec.statistic == "absolute_error":
        return np.abs(numeric_values(table, spec.prediction) - numeric_values(table, spec.target))
    predicted = categorical_values(table, spec.prediction)
    actual = categorical_values(table, spec.target)
    known = (predicted != None) & (actual != None)  # noqa: E711 - elementwise
    return np.where(known, (predicted != actual).astype(np.float64), np.nan)


def apply_suggestion(table: pa.Table, id_column: str, sample_ids: list[str],
                     weights: list[float] | None, seed: int = 0) -> pa.Table:
    """The reference samples a retraining suggestion proposes: the rows it names, each as often
    as it draws it (RESAMPLED_DATASET), or as many rows as ``table`` has drawn in proportion to
    the weights (SAMPLE_WEIGHTS; systematic resampling, seeded). Rows it names that ``table``
    lacks are left out."""
    from driftline_server.monitoring.core import resample

    position = {sample_id: index for index, sample_id
                in enumerate(pc.cast(table[id_column], pa.string()).to_pylist())}
    if weights is None:
        rows = [position[i] for i in sample_ids if i in position]
    else:
        known = [(position[i], w) for i, w in zip(sample_ids, weights) if i in position]
        if not known:
            return table.slice(0, 0)
        indices, values = zip(*known)
        drawn = resample(np.asarray(values), len(indices), seed=seed)
        rows = [indices[i] for i in drawn]
    return table.take(pa.array(rows, pa.int64()))


def fit_model_reference(plan: Plan, table: pa.Table, *, min_samples: int,
                        batches_between_false_alarms: float = 0.0,
                        check_cancelled=None) -> FittedReference:
    """Fit every quantity of ``plan`` on the reference samples ``table``.

    Raises ReferenceTooSmall when the table has fewer than ``min_samples`` rows. Targets that
    need labels (CONCEPT, ERROR) are fitted on the labelled samples, when there are at least
    ``min_samples`` of them.
    """
    if table.num_rows < min_samples:
        raise ReferenceTooSmall(table.num_rows, min_samples)
    batches_between_false_alarms = (batches_between_false_alarms
                                    or DEFAULT_BATCHES_BETWEEN_FALSE_ALARMS)
    fitter = _Fitter(batches_between_false_alarms, check_cancelled)
    fitter.skipped += plan.skipped
    if plan.inputs:
        fitter.columns_of("INPUT", "INPUT", table, plan.inputs)
    if plan.predictions:
        fitter.columns_of("PREDICTION", "PREDICTION", table, plan.predictions)
        if plan.inputs:
            fitter.jointly("INPUT_PREDICTION", table, plan.inputs + plan.predictions)
    for target, columns in plan.texts.items():
        fitter.lengths_of(target, table, columns)
    if plan.rag:
        for pair, (first, second) in RAG_PAIRS.items():
            if plan.texts.get(first) and plan.texts.get(second):
                fitter.jointly(pair, table, plan.texts[first] + plan.texts[second],
                               metric="TEXT_LENGTH")
            else:
                fitter.skipped.append(_skip(pair, f"the data schema lacks a text column of "
                                                  f"{first if not plan.texts.get(first) else second}"))
    probability = plan.probability
    if probability is not None:
        fitter.statistic("PREDICTION", "MODEL_ENTROPY", probability.column,
                         [probability.column], "entropy", entropy_values(table, probability))
    labelled = table
    if plan.targets:
        valid = None
        for target in plan.targets:
            present = pc.is_valid(table[target.name])
            valid = present if valid is None else pc.and_(valid, present)
        labelled = table.filter(valid)
    labelled_count = labelled.num_rows if plan.targets else 0
    if plan.targets:
        if labelled_count < min_samples:
            reason = (f"{labelled_count} of the {table.num_rows} samples have a target, at "
                      f"least {min_samples} needed")
            fitter.skipped.append(_skip("CONCEPT", reason))
            if plan.error is not None:
                fitter.skipped.append(_skip("ERROR", reason))
        else:
            fitter.profile("TARGET", labelled, plan.targets)
            if plan.inputs:
                fitter.jointly("CONCEPT", labelled, plan.inputs + plan.targets)
            else:
                fitter.skipped.append(_skip("CONCEPT", "the data schema has no scalar input"))
            if plan.error is not None:
                errors = error_values(plan.error, labelled)
                if np.isfinite(errors).sum() >= min_samples:
                    fitter.statistic("ERROR", "", "", [plan.error.prediction, plan.error.target],
                                     plan.error.statistic, errors)
                else:
                    fitter.skipped.append(_skip(
                        "ERROR", f"{np.isfinite(errors).sum()} labelled samples have the "
                                 f"model's prediction, at least {min_samples} needed"))
            if probability is not None and probability.target:
                probability = _log_likelihood(fitter, probability, labelled, min_samples)
    return FittedReference(table.num_rows, labelled_count, fitter.quantities, fitter.skipped,
                           fitter.profiles, fitter.joints, batches_between_false_alarms,
                           fitter.calibrate(), probability)


def _log_likelihood(fitter: _Fitter, spec: ProbabilitySpec, labelled: pa.Table,
                    min_samples: int) -> ProbabilitySpec:
    """The LOG_LIKELIHOOD quantity, when the labelled reference says what the probabilities
    are of; the spec resolved (or as it was)."""
    resolved = resolve_probability(spec, labelled)
    if resolved is None:
        fitter.skipped.append(_skip("ERROR", f"LOG_LIKELIHOOD: it is not known which class the "
                                             f"probabilities of {spec.column} are of (set the "
                                             "column's classes_names)"))
        return spec
    values = log_likelihood_values(labelled, resolved)
    if np.isfinite(values).sum() < min_samples:
        fitter.skipped.append(_skip("ERROR", f"LOG_LIKELIHOOD: {np.isfinite(values).sum()} "
                                             "labelled samples have the model's probability, "
                                             f"at least {min_samples} needed"))
        return resolved
    columns = [resolved.column, resolved.target] + (
        [resolved.prediction] if resolved.of_predicted else [])
    fitter.statistic("ERROR", "LOG_LIKELIHOOD", resolved.column, columns, "log_likelihood",
                     values)
    return resolved


__all__ = ["CoreInputError", "FittedReference", "Plan", "ReferenceTooSmall",
           "fit_model_reference", "plan_reference"]
