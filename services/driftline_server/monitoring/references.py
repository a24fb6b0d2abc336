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

Text, arrays and the RAG targets need metrics (TEXT_LENGTH, ...) that come with detection; a
reference names each target it leaves out and why.

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
- ``absolute_error`` and ``misclassification`` for ERROR.

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
    Cusum,
    PCAReconstruction,
    ReferenceProfile,
    calibrate,
    detector_from_dict,
    encode_categorical,
    fit_reference,
)

FORMAT = "driftline.model_reference"
FORMAT_VERSION = 1
# Numeric profiles keep a sketch above this many values: its ECDF is within 1/20000 of the
# full one, and a reference of any size stays a few MB (it travels in one gRPC message).
SKETCH_SIZE = 20_000
# One-hot columns a categorical column brings to a joint quantity: its most frequent categories.
MAX_ONE_HOT = 20
# Held-out reconstruction errors kept for the per-batch test of a joint quantity.
MAX_REFERENCE_ERRORS = 20_000
PCA_VARIANCE = 0.95
CALIBRATION_STREAMS = 200
SMOOTHING = 0.5

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


@dataclass(frozen=True)
class ErrorSpec:
    prediction: str
    target: str
    statistic: str  # "absolute_error" or "misclassification"


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

    @property
    def columns(self) -> list[str]:
        """The columns to read, each once, in the schema's roles' order."""
        names = [self.id_column, self.time_column]
        names += [c.name for c in self.inputs + self.targets + self.predictions]
        return list(dict.fromkeys(name for name in names if name))


def _scalar(column: dict) -> Column | None:
    if column.get("data_type") in _NUMERIC_TYPES:
        return Column(column["name"], True)
    if column.get("data_type") == "CATEGORICAL":
        return Column(column["name"], False)
    return None  # text and arrays need metrics of their own (TEXT_LENGTH, embeddings)


def plan_reference(task_type: str, columns: list[dict], model_id: str) -> Plan:
    """What a reference of ``model_id`` monitors, from the task's type and data schema
    (columns as Catalog's ``Column.to_json`` writes them)."""
    def named(role: str) -> str:
        return next((c["name"] for c in columns if c.get("role") == role), "")

    inputs = [s for c in columns if c.get("role") == "INPUT" and (s := _scalar(c))]
    targets = [s for c in columns
               if c.get("role") == "TARGET" and not c.get("sub_role") and (s := _scalar(c))]
    own = [c for c in columns if c.get("role") == "PREDICTION" and c.get("model_id") == model_id]
    predictions = [s for c in own if (s := _scalar(c))]
    skipped: list[dict] = []
    left_out = [c["name"] for c in columns if c.get("role") in ("INPUT", "PREDICTION")
                and (c.get("role") == "INPUT" or c.get("model_id") == model_id)
                and _scalar(c) is None]
    if left_out:
        skipped.append(_skip("INPUT", f"columns {', '.join(left_out)} are text or arrays, "
                                      "monitored with metrics that come with detection"))
    if not inputs:
        skipped.append(_skip("INPUT", "the data schema has no numeric or categorical input"))
    if not predictions:
        skipped.append(_skip("PREDICTION", "the data schema has no numeric or categorical "
                                           f"PREDICTION column of model '{model_id}'"))
    error = None
    if task_type not in TABULAR_TASKS:
        for target in ("CONCEPT", "ERROR"):
            skipped.append(_skip(target, f"not supported for {task_type} tasks yet"))
        targets = []
    else:
        if not targets:
            skipped.append(_skip("CONCEPT", "the data schema has no TARGET column"))
        error = _error_spec(task_type, columns, own, targets)
        if error is None:
            skipped.append(_skip("ERROR", "no prediction of the model matches a TARGET column"))
    if task_type == "RAG":
        for target in _RAG_TARGETS:
            skipped.append(_skip(target, "RAG targets need the TEXT_LENGTH metric, which "
                                         "comes with detection"))
    return Plan(named("ID"), named("TIME_ID"), inputs, predictions, targets, error, skipped)


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


def surprisal(profile: ReferenceProfile, name: str, values: np.ndarray) -> np.ndarray:
    """-ln of each value's smoothed reference frequency; missing values are left out."""
    index = profile.categorical_names.index(name)
    column = profile.categorical[index]
    # One profile per column keeps encode_categorical's column order trivial.
    single = ReferenceProfile(categorical=(column,), sketch_size=profile.sketch_size,
                              n_bins=profile.n_bins)
    codes = encode_categorical(single, values.reshape(-1, 1))[:, 0]
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

    def design(self, table: pa.Table) -> np.ndarray:
        parts = []
        for name, mean in zip(self.numeric, self.means):
            values = numeric_values(table, name)
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
    numeric, means, categorical = [], [], []
    for column in columns:
        if column.numeric:
            values = numeric_values(table, column.name)
            finite = values[np.isfinite(values)]
            if finite.size:
                numeric.append(column.name)
                means.append(float(finite.mean()))
        else:
            values = categorical_values(table, column.name)
            present = values[values != None]  # noqa: E711 - elementwise on an object array
            if present.size:
                found, counts = np.unique(present.astype(str), return_counts=True)
                top = found[np.argsort(-counts, kind="stable")][:MAX_ONE_HOT]
                categorical.append((column.name, sorted(top.tolist())))
    model = JointModel(numeric, means, categorical, PCAReconstruction(seed=seed))
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
    """One monitored quantity: the summary the contract shows, and its detector."""

    target: str
    metric: str  # "" (the target as a whole) or "FEATURE"
    feature: str
    columns: list[str]
    statistic: str
    detector: object
    warning_mean_run_length: float
    drift_mean_run_length: float
    sample_count: int
    profile: str = ""  # the profile holding the column (value, surprisal)
    joint: str = ""  # the joint model (reconstruction_error)

    def summary(self) -> dict:
        return {
            "target": self.target, "metric": self.metric, "feature": self.feature,
            "columns": list(self.columns), "statistic": self.statistic,
            "detector": self.detector.kind,
            "warning_threshold": float(self.detector.warning_threshold),
            "drift_threshold": float(self.detector.drift_threshold),
            "warning_mean_run_length": float(self.warning_mean_run_length),
            "drift_mean_run_length": float(self.drift_mean_run_length),
            "sample_count": self.sample_count,
        }


@dataclass
class FittedReference:
    sample_count: int
    labelled_sample_count: int
    quantities: list[Quantity]
    skipped: list[dict]
    profiles: dict[str, ReferenceProfile]
    joints: dict[str, JointModel]
    drift_mean_run_length: float
    warning_mean_run_length: float

    def to_bytes(self) -> bytes:
        header = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "sample_count": self.sample_count,
            "labelled_sample_count": self.labelled_sample_count,
            "drift_mean_run_length": self.drift_mean_run_length,
            "warning_mean_run_length": self.warning_mean_run_length,
            "skipped": self.skipped,
            "quantities": [dict(q.summary(), detector_state=q.detector.to_dict(),
                                profile=q.profile, joint=q.joint) for q in self.quantities],
            "profiles": sorted(self.profiles),
            "joints": {name: {"numeric": j.numeric, "means": j.means,
                              "categorical": [[n, c] for n, c in j.categorical]}
                       for name, j in self.joints.items()},
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
                                          [(n, c) for n, c in spec["categorical"]], pca)
        quantities = [
            Quantity(q["target"], q["metric"], q["feature"], q["columns"], q["statistic"],
                     detector_from_dict(q["detector_state"]), q["warning_mean_run_length"],
                     q["drift_mean_run_length"], q["sample_count"], q["profile"], q["joint"])
            for q in header["quantities"]
        ]
        return cls(header["sample_count"], header["labelled_sample_count"], quantities,
                   header["skipped"], profiles, joints, header["drift_mean_run_length"],
                   header["warning_mean_run_length"])


class _Fitter:
    def __init__(self, drift_arl: float, warning_arl: float, check_cancelled=None):
        self.drift_arl = drift_arl
        self.warning_arl = warning_arl
        self.quantities: list[Quantity] = []
        self.skipped: list[dict] = []
        self.profiles: dict[str, ReferenceProfile] = {}
        self.joints: dict[str, JointModel] = {}
        self._check_cancelled = check_cancelled or (lambda: None)

    def add(self, target: str, metric: str, feature: str, columns: list[str], statistic: str,
            values: np.ndarray, profile: str = "", joint: str = "") -> Quantity | None:
        """Calibrate a CUSUM on ``values`` and keep the quantity; a constant statistic (or one
        with too few values) is left out with its reason."""
        self._check_cancelled()
        values = values[np.isfinite(values)]
        what = f"{target} {feature}".strip() if feature else target
        spread = float(np.std(values)) if values.size else 0.0
        if values.size < 10 or not spread > 1e-9 * max(1.0, float(np.abs(values).max())):
            self.skipped.append(_skip(target, f"{what}: its {statistic} is constant on the "
                                      "reference (or nearly absent), so no detector can be "
                                      "calibrated on it"))
            return None
        # A fixed seed: a job that runs again fits the same thresholds.
        result = calibrate(Cusum(), values, drift_arl=self.drift_arl,
                           warning_arl=self.warning_arl, n_streams=CALIBRATION_STREAMS,
                           seed=len(self.quantities))
        # No false alarm in the whole simulation: its length is what can be said (a lower bound).
        simulated = float(result.n_streams * result.horizon)
        quantity = Quantity(target, metric, feature, columns, statistic, result.detector,
                            min(result.warning_arl, simulated), min(result.drift_arl, simulated),
                            int(values.size), profile, joint)
        self.quantities.append(quantity)
        return quantity

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
                values = surprisal(profile, column.name, categorical_values(table, column.name))
                statistic = "surprisal"
            else:
                self.skipped.append(_skip(target, f"column {column.name} has no values"))
                continue
            quantity = self.add(target, "FEATURE", column.name, [column.name], statistic,
                                values, profile=profile_name)
            if quantity is not None:
                added.append((quantity, values))
        if len(columns) == 1 and added:
            # One column: the target as a whole is that column, with the same detector.
            quantity, _ = added[0]
            self.quantities.append(dataclasses.replace(quantity, metric="", feature=""))
        elif len(columns) > 1:
            self.jointly(target, table, columns)

    def jointly(self, target: str, table: pa.Table, columns: list[Column]) -> None:
        joint = fit_joint(table, columns)
        if joint is None:
            self.skipped.append(_skip(target, "its columns have fewer than two dimensions "
                                              "with values to monitor jointly"))
            return
        self.joints[target] = joint
        self.add(target, "", "", [c.name for c in columns], "reconstruction_error",
                 joint.pca.reference_errors_, joint=target)


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
                        drift_mean_run_length: float, warning_mean_run_length: float,
                        check_cancelled=None) -> FittedReference:
    """Fit every quantity of ``plan`` on the reference samples ``table``.

    Raises ReferenceTooSmall when the table has fewer than ``min_samples`` rows. Targets that
    need labels (CONCEPT, ERROR) are fitted on the labelled samples, when there are at least
    ``min_samples`` of them.
    """
    if table.num_rows < min_samples:
        raise ReferenceTooSmall(table.num_rows, min_samples)
    fitter = _Fitter(drift_mean_run_length, warning_mean_run_length, check_cancelled)
    fitter.skipped += plan.skipped
    if plan.inputs:
        fitter.columns_of("INPUT", "INPUT", table, plan.inputs)
    if plan.predictions:
        fitter.columns_of("PREDICTION", "PREDICTION", table, plan.predictions)
        if plan.inputs:
            fitter.jointly("INPUT_PREDICTION", table, plan.inputs + plan.predictions)
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
                finite = errors[np.isfinite(errors)]
                if finite.size >= min_samples:
                    fitter.profiles["ERROR"] = fit_reference(
                        finite.reshape(-1, 1), numeric_names=["error"], sketch_size=SKETCH_SIZE)
                    fitter.add("ERROR", "", "", [plan.error.prediction, plan.error.target],
                               plan.error.statistic, finite, profile="ERROR")
                else:
                    fitter.skipped.append(_skip(
                        "ERROR", f"{finite.size} labelled samples have the model's prediction, "
                                 f"at least {min_samples} needed"))
    return FittedReference(table.num_rows, labelled_count, fitter.quantities, fitter.skipped,
                           fitter.profiles, fitter.joints, drift_mean_run_length,
                           warning_mean_run_length)


__all__ = ["CoreInputError", "FittedReference", "Plan", "ReferenceTooSmall",
           "fit_model_reference", "plan_reference"]
