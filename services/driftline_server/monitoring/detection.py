"""Detecting drift in one batch against a model's reference. Pure NumPy and pyarrow: no gRPC, no
database. The detection job (job_handlers.py) reads the batch and records what this finds.

Every quantity a reference monitors (references.py) is tested on the batch as a whole
(``core.batch_tests``): a numeric quantity by Kolmogorov-Smirnov and by Mann-Whitney (a shift),
a categorical column by chi-square, against the reference's values. The quantity's
p-value is compared with thresholds calibrated for its target (``FittedReference.calibration``):
on stationary data, a target raises a false drift once every ``batches_between_false_alarms``
batches on average, whatever the number of its columns and however they correlate. Events show
that p-value adjusted to the target's family, and the change's effect size (Wasserstein distance
over the reference's deviation, or Cramer's V).

A quantity's status after the batch (:func:`next_status`): DRIFT when its p-value is under the
drift threshold, WARNING under the warning one; a drift or a warning ends only after
``RELEASE_BATCHES`` calm batches in a row (whose test, alone and with the previous batch's,
finds nothing at the ``RELEASE_P`` level), so a change that persists keeps its status instead of
flapping, small as it is. Every
change of status is a detection event; an ON event names the sample where the change began
(:func:`change_start`: where the samples' scores on the change the test found moved most).

The status part (:func:`advance`) is separate from the test part (:func:`examine`), so that a
detection whose state changed meanwhile (another batch of the task recorded first) redoes only
the cheap part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from driftline_server.monitoring.core import (
    ReferenceProfile,
    adjust_p_values,
    compare_categorical,
    compare_numeric,
    detector_from_dict,
    encode_categorical,
    fit_reference,
)
from driftline_server.monitoring.core.batch_tests import (
    QuantityTest,
    categorical_batch_test,
    categorical_summary,
    numeric_batch_test,
    numeric_summary,
    pooled_p_value,
    rank_scores,
)
from driftline_server.monitoring.core.sequential import DRIFT, WARNING
from driftline_server.monitoring.vocabulary import (
    HIGHER_IS_BETTER,
    KPI_REFERENCE_VALUES,
    PROBABILITY_METRICS,
    MonitoringStatus,
    quantity_key,
)
from driftline_server.monitoring.references import (
    DETECTOR,
    RELEASE_BATCHES,
    RELEASE_P,
    ErrorSpec,
    FittedReference,
    Quantity,
    alarm_levels,
    categorical_values,
    category_codes,
    entropy_values,
    error_values,
    log_likelihood_values,
    numeric_values,
    surprisal,
    text_lengths,
    text_profile,
)

# A KPI's CUSUM alarm is confirmed by its batch test at these levels, with this effect at least.
DRIFT_ALPHA = 0.001
WARNING_ALPHA = 0.01
MIN_EFFECT = 0.05
MIN_CONFIRMED_SAMPLES = 30
# A quantity with fewer values in a batch is not tested on it: it stands as it was.
MIN_TESTED_SAMPLES = 10
# A change is placed at least this many samples before the batch's end.
MIN_CHANGE_TAIL = 10
MAX_EXPLAINED_COLUMNS = 10
# Targets whose quantities need labelled samples (a target value).
LABELLED_TARGETS = ("CONCEPT", "ERROR")
# Severity of a drift from its effect size: Cohen's conventions for a standardised shift
# (0.5 medium, 0.8 large) and for Cramer's V (0.3 medium, 0.5 large).
_SEVERITY_BOUNDS = {"wasserstein_normed": (0.5, 0.8), "cramers_v": (0.3, 0.5)}

OK, WARNING_STATUS, DRIFT_STATUS = (MonitoringStatus.OK.value, MonitoringStatus.WARNING.value,
                                   MonitoringStatus.DRIFT.value)
# The events each transition of status raises, in order.
TRANSITIONS = {
    (OK, WARNING_STATUS): ("WARNING_ON",),
    (OK, DRIFT_STATUS): ("DRIFT_ON",),
    (WARNING_STATUS, OK): ("WARNING_OFF",),
    (WARNING_STATUS, DRIFT_STATUS): ("DRIFT_ON",),
    (DRIFT_STATUS, OK): ("DRIFT_OFF",),
    (DRIFT_STATUS, WARNING_STATUS): ("DRIFT_OFF", "WARNING_ON"),
}


def key_of(quantity: Quantity) -> str:
    return quantity_key(quantity.target, quantity.metric, quantity.feature)


# -- the reference, ready for detection --------------------------------------------------------


@dataclass
class DetectionReference:
    """A fitted reference with what detection derives from it once (profiles of the joint
    quantities' reference statistics)."""

    fitted: FittedReference
    statistic_profiles: dict[str, ReferenceProfile]
    # A digest of each profile and joint model: the models of a task whose references were
    # fitted on the same samples share their input profiles, and detection computes once what
    # they share (see Shared).
    digests: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, blob: bytes) -> "DetectionReference":
        import hashlib

        fitted = FittedReference.from_bytes(blob)
        profiles = {
            name: fit_reference(joint.pca.reference_errors_.reshape(-1, 1),
                                numeric_names=[name])
            for name, joint in fitted.joints.items()
        }
        digests = {f"profile/{name}": hashlib.sha256(profile.to_bytes()).hexdigest()
                   for name, profile in fitted.profiles.items()}
        for name, joint in fitted.joints.items():
            digest = hashlib.sha256(repr((joint.numeric, joint.means, joint.categorical,
                                          joint.texts, joint.text_means)).encode())
            for part in (joint.pca.mean_, joint.pca.scale_, joint.pca.components_):
                digest.update(np.ascontiguousarray(part).tobytes())
            digests[f"joint/{name}"] = digest.hexdigest()
        return cls(fitted, profiles, digests)

    def columns(self) -> list[str]:
        """Every column a quantity of the reference is computed from."""
        names: list[str] = []
        for quantity in self.fitted.quantities:
            names += quantity.columns
        return list(dict.fromkeys(names))


# -- the batch part ----------------------------------------------------------------------------


@dataclass
class ColumnDrift:
    column: str
    test: str
    statistic: float
    p_value: float
    adjusted_p_value: float
    effect_size: float
    effect_measure: str
    sample_count: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class QuantityBatch:
    """One quantity in one batch: its per-sample statistics in time order (finite ones, with
    their row positions) and its batch test."""

    quantity: Quantity
    values: np.ndarray
    rows: np.ndarray
    test: ColumnDrift
    explanation: list[ColumnDrift] = field(default_factory=list)
    # Each sample's score on the change the test found (positive where it moved).
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # What the next batch needs to be tested with this one (core.batch_tests' summaries).
    summary: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return key_of(self.quantity)


@dataclass
class BatchSamples:
    """The batch's samples in time order: their ids and times, and the table itself."""

    table: pa.Table
    ids: list[str]
    times: list[datetime | None]

    @classmethod
    def of(cls, table: pa.Table, id_column: str, time_column: str) -> "BatchSamples":
        if time_column and table.num_rows:
            table = table.take(pc.sort_indices(table[time_column]))  # stable: ties keep order
        ids = [str(v) for v in table[id_column].to_pylist()] if id_column else []
        times = table[time_column].to_pylist() if time_column else []
        return cls(table, ids, times)


def _nan(value) -> float:
    value = float(value)
    return value if np.isfinite(value) else float("nan")


class Shared(dict):
    """What one batch's detection computed for one model and another can reuse: column tests
    and joint statistics, keyed by the digests of the profiles and joint models they come from
    (models whose references were fitted on the same samples have the same). One per batch."""


class _ColumnTests:
    """Per-column tests of a profile on a subset of the batch, computed once and shared by the
    quantities that show them (and, through ``shared``, by the other models of the batch)."""

    def __init__(self, reference: DetectionReference, table: pa.Table, labelled: pa.Table,
                 labelled_by: tuple, shared: Shared):
        self._reference = reference
        self._tables = {"all": table, "labelled": labelled}
        self._subsets = {"all": (), "labelled": labelled_by}
        self._shared = shared

    def of(self, profile_name: str, subset: str) -> dict[str, ColumnDrift]:
        digest = self._reference.digests.get(f"profile/{profile_name}", id(self._reference))
        key = ("tests", profile_name, digest, subset, self._subsets[subset])
        if key not in self._shared:
            profile = self._reference.fitted.profiles.get(profile_name)
            table = self._tables[subset]
            self._shared[key] = _column_drifts(profile_name, profile, table) \
                if profile is not None else {}
        return self._shared[key]

    def column(self, name: str, subset: str) -> ColumnDrift | None:
        """A column's test: its values (INPUT, PREDICTION, TARGET) or its text's lengths."""
        for profile_name, profile in self._reference.fitted.profiles.items():
            if (profile_name in _COLUMN_PROFILES or profile_name.startswith(_TEXT_PROFILES)) \
                    and name in profile.numeric_names + profile.categorical_names:
                return self.of(profile_name, subset).get(name)
        return None


# The profiles of columns' values, and (by prefix) of text columns' lengths.
_COLUMN_PROFILES = ("INPUT", "PREDICTION", "TARGET")
_TEXT_PROFILES = text_profile("")


def _column_drifts(profile_name: str, profile: ReferenceProfile,
                   table: pa.Table) -> dict[str, ColumnDrift]:
    """KS (numeric) or chi-square (categorical) of every column of ``profile`` in ``table``,
    p-values adjusted together (Holm)."""
    drifts: dict[str, ColumnDrift] = {}
    if table.num_rows == 0:
        return drifts
    read = text_lengths if profile_name.startswith(_TEXT_PROFILES) else numeric_values
    if profile.numeric_names:
        batch = np.column_stack([read(table, n) for n in profile.numeric_names])
        report = compare_numeric(profile, batch, tests=("ks", "wasserstein"))
        counts = np.isfinite(batch).sum(axis=0)
        for i, name in enumerate(profile.numeric_names):
            drifts[name] = ColumnDrift(
                name, "ks", _nan(report["ks"].statistic[i]), _nan(report["ks"].p_value[i]),
                float("nan"), _nan(report["wasserstein"].effect_size[i]), "wasserstein_normed",
                int(counts[i]))
    if profile.categorical_names:
        raw = np.column_stack([categorical_values(table, n) for n in profile.categorical_names])
        codes = encode_categorical(profile, raw)
        report = compare_categorical(profile, codes, tests=("chi2",))
        counts = (codes >= 0).sum(axis=0)
        for i, name in enumerate(profile.categorical_names):
            drifts[name] = ColumnDrift(
                name, "chi2", _nan(report["chi2"].statistic[i]), _nan(report["chi2"].p_value[i]),
                float("nan"), _nan(report["chi2"].effect_size[i]), "cramers_v", int(counts[i]))
    names = list(drifts)
    adjusted = adjust_p_values(np.array([drifts[n].p_value for n in names]), "holm")
    for name, p in zip(names, adjusted):
        drifts[name].adjusted_p_value = _nan(p)
    return drifts


def _statistic_test(name: str, profile: ReferenceProfile, values: np.ndarray) -> ColumnDrift:
    """KS of a quantity's per-sample statistics against the reference's."""
    report = compare_numeric(profile, values.reshape(-1, 1), tests=("ks", "wasserstein"))
    p = _nan(report["ks"].p_value[0])
    return ColumnDrift(name, "ks", _nan(report["ks"].statistic[0]), p, p,
                       _nan(report["wasserstein"].effect_size[0]), "wasserstein_normed",
                       int(values.size))


def _values(reference: DetectionReference, quantity: Quantity, table: pa.Table,
            shared: Shared) -> np.ndarray:
    """Each sample's statistic of the quantity (NaN where it is not defined)."""
    fitted = reference.fitted
    statistic = quantity.statistic
    if statistic == "value":
        return numeric_values(table, quantity.columns[0])
    if statistic == "surprisal":
        name = quantity.columns[0]
        values = categorical_values(table, name)
        out = np.full(table.num_rows, np.nan)
        present = values != None  # noqa: E711 - elementwise on an object array
        if present.any():
            out[present] = surprisal(fitted.profiles[quantity.profile], name, values[present])
        return out
    if statistic == "reconstruction_error":
        digest = reference.digests.get(f"joint/{quantity.joint}", id(reference))
        key = ("joint", digest)
        if key not in shared:
            shared[key] = fitted.joints[quantity.joint].values(table)
        return shared[key]
    if statistic in ("absolute_error", "misclassification"):
        prediction, target = quantity.columns
        return error_values(ErrorSpec(prediction, target, statistic), table)
    if statistic == "text_length":
        return text_lengths(table, quantity.columns[0])
    if statistic == "entropy":
        return entropy_values(table, fitted.probability)
    if statistic == "log_likelihood":
        return log_likelihood_values(table, fitted.probability)
    raise ValueError(f"unknown statistic {statistic!r}")


def examine(reference: DetectionReference, samples: BatchSamples, *,
            labelled_only: bool = False, shared: Shared | None = None) -> list[QuantityBatch]:
    """The batch part of detection: every quantity of the reference with values in the batch,
    with its batch test (``core.batch_tests``: KS and Mann-Whitney, or chi-square), the columns that
    explain it and each sample's score on the change the test found.
    ``labelled_only``: only the quantities that need targets (a batch of late targets).
    ``shared``: what the batch's other models computed (and a place to leave what this
    computes)."""
    shared = Shared() if shared is None else shared
    table = samples.table
    labelled_mask = _labelled(reference, table)
    labelled = table.filter(pa.array(labelled_mask)) if labelled_mask is not None else table
    target_profile = reference.fitted.profiles.get("TARGET")
    labelled_by = tuple(target_profile.numeric_names + target_profile.categorical_names) \
        if target_profile is not None else ()
    tests = _ColumnTests(reference, table, labelled, labelled_by, shared)
    found: list[QuantityBatch] = []
    # Column -> its FEATURE quantity's test, so that a joint quantity explains itself with the
    # same figures its columns' events show.
    decided: dict[tuple[str, str], ColumnDrift] = {}
    for quantity in sorted(reference.fitted.quantities, key=lambda q: q.metric != "FEATURE"):
        needs_labels = quantity.target in LABELLED_TARGETS
        if labelled_only and not needs_labels:
            continue
        values = _values(reference, quantity, table, shared)
        usable = np.isfinite(values)
        if needs_labels and labelled_mask is not None:
            usable &= labelled_mask
        rows = np.flatnonzero(usable)
        if rows.size < MIN_TESTED_SAMPLES:
            continue  # too little of it in this batch: the quantity stands as it was
        values = values[rows]
        subset = "labelled" if needs_labels else "all"
        decision, scores, summary = _decide(reference, quantity, table, values, rows)
        if decision is None:
            continue
        if quantity.metric == "FEATURE" or quantity.statistic in _COLUMN_STATISTICS:
            described = tests.column(quantity.columns[0], subset)
            test = _reported(reference, quantity, decision, described)
            decided[(quantity.columns[0], subset)] = test
            explanation = [test]
        else:
            profile = (reference.statistic_profiles.get(quantity.joint)
                       or reference.fitted.profiles.get(quantity.profile))
            test = _reported(reference, quantity, decision,
                             _statistic_test(quantity.statistic, profile, values))
            explanation = [c for name in quantity.columns
                           if name not in _error_columns(quantity)
                           and (c := decided.get((name, subset))
                                or tests.column(name, subset)) is not None]
            explanation.sort(key=lambda c: -(c.effect_size if np.isfinite(c.effect_size)
                                             else -1.0))
        found.append(QuantityBatch(quantity, values, rows, test,
                                   explanation[:MAX_EXPLAINED_COLUMNS], scores, summary))
    return found


def _reported(reference: DetectionReference, quantity: Quantity, decision: QuantityTest,
              described: ColumnDrift | None) -> ColumnDrift:
    """The test that decided, as events show it: its p-value adjusted to the target's family
    (the share of stationary batches with a p-value as small on some quantity), and the effect
    size of the distribution's change."""
    effect, measure = ((described.effect_size, described.effect_measure) if described is not None
                       else (float("nan"), "wasserstein_normed"))
    calibration = reference.fitted.calibration(quantity.target)
    return ColumnDrift(quantity.feature or quantity.statistic, decision.test,
                       _nan(decision.statistic), _nan(decision.p_value),
                       _nan(calibration.adjusted(decision.p_value)), effect, measure,
                       decision.sample_count)


def _decide(reference: DetectionReference, quantity: Quantity, table: pa.Table,
            values: np.ndarray, rows: np.ndarray
            ) -> tuple[QuantityTest | None, np.ndarray, dict]:
    """The quantity's batch test; each sample's score on the change it found (a mean shift,
    the share under the point where the distributions differ most, or the share of the
    category that moved most), signed so that the change raises it; and the batch's summary,
    to be tested with the next batch's."""
    fitted = reference.fitted
    if quantity.statistic == "surprisal":
        profile = fitted.profiles[quantity.profile]
        name = quantity.columns[0]
        codes = category_codes(profile, name, categorical_values(table, name)[rows])
        column = profile.categorical[profile.categorical_names.index(name)]
        counts = column.counts.astype(np.float64)
        decision = categorical_batch_test(counts, codes)
        if decision is None:
            return None, np.zeros(0), {}
        moved = int(decision.where)
        share = counts[moved] / counts.sum() if moved < counts.size else 0.0
        return (decision, decision.direction * ((codes == moved) - share),
                categorical_summary(codes, counts))
    profile = (reference.statistic_profiles.get(quantity.joint)
               or fitted.profiles.get(quantity.profile))
    names = profile.numeric_names
    column = profile.numeric[names.index(quantity.columns[0])
                             if quantity.columns[0] in names and len(names) > 1 else 0]
    decision = numeric_batch_test(column.values, column.n_finite, values)
    if decision is None:
        return None, np.zeros(0), {}
    summary = numeric_summary(column.values, column.n_finite, values)
    if decision.test == "mann_whitney":
        return decision, decision.direction * (rank_scores(column.values, values) - 0.5), summary
    below = np.searchsorted(column.values, decision.where, side="right") / column.values.size
    return decision, decision.direction * ((values <= decision.where) - below), summary


# Statistics of one column, tested as that column (the others: as the statistic itself).
_COLUMN_STATISTICS = ("value", "surprisal", "text_length")


def _error_columns(quantity: Quantity) -> tuple[str, ...]:
    return tuple(quantity.columns) if quantity.target == "ERROR" else ()


def _labelled(reference: DetectionReference, table: pa.Table) -> np.ndarray | None:
    """Which rows have every target (None when the reference monitors nothing that needs one)."""
    target_profile = reference.fitted.profiles.get("TARGET")
    if target_profile is None:
        return None
    mask = np.ones(table.num_rows, dtype=bool)
    for name in target_profile.numeric_names + target_profile.categorical_names:
        if name in table.column_names:
            mask &= pc.is_valid(table[name]).to_numpy(zero_copy_only=False)
        else:
            mask[:] = False
    return mask


# -- the sequential part -----------------------------------------------------------------------


@dataclass
class Transition:
    """A detection event before it is stored."""

    event_type: str
    quantity: Quantity
    previous_status: str
    status: str
    severity: str
    sample_id: str
    sample_time: datetime | None
    statistics: dict
    explanation: list[ColumnDrift]
    evaluation_metric: str = ""


@dataclass
class Advance:
    state: dict
    # key -> {"target", "metric", "feature", "status", "status_time"} of the quantities updated
    statuses: dict[str, dict]
    transitions: list[Transition]


def severity(test: ColumnDrift) -> str:
    medium, high = _SEVERITY_BOUNDS.get(test.effect_measure, (0.5, 0.8))
    effect = test.effect_size if np.isfinite(test.effect_size) else 0.0
    return "HIGH" if effect >= high else "MEDIUM" if effect >= medium else "LOW"


def _confirms(test: ColumnDrift, alpha: float) -> bool:
    """A KPI's CUSUM alarm confirmed by its batch test."""
    if test.sample_count < MIN_CONFIRMED_SAMPLES:
        return True  # too few values to test: the sequential detector decides alone
    p = test.adjusted_p_value
    effect = test.effect_size if np.isfinite(test.effect_size) else 0.0
    return bool(np.isfinite(p) and p < alpha and effect >= MIN_EFFECT)


@dataclass(frozen=True)
class Thresholds:
    """The p-values a quantity's batch test is compared with: under ``drift`` it drifts, under
    ``warning`` it warns, at or above ``release`` the batch is calm."""

    drift: float
    warning: float
    release: float = RELEASE_P

    @classmethod
    def of(cls, fitted: FittedReference, target: str) -> "Thresholds":
        calibration = fitted.calibration(target)
        levels = alarm_levels(fitted.batches_between_false_alarms)
        return cls(calibration.threshold(levels.drift), calibration.threshold(levels.warning))


def next_status(status: str, calm: int, p_value: float, thresholds: Thresholds,
                pooled_p_value: float = 1.0) -> tuple[str, int]:
    """The quantity's status after a batch whose test gave ``p_value``, and how many calm
    batches in a row it has had. A batch is calm when neither its test nor the test of it
    with the previous batch (``pooled_p_value``) finds anything at the release level; a drift
    (or a warning) ends only after RELEASE_BATCHES calm batches, so a change that persists keeps
    it on however its p-value wavers."""
    if p_value < thresholds.drift:
        return DRIFT_STATUS, 0
    if p_value < thresholds.warning and status != DRIFT_STATUS:
        return WARNING_STATUS, 0
    if status == OK:
        return OK, 0
    if min(p_value, pooled_p_value) < thresholds.release:
        return status, 0
    calm += 1
    return (OK, 0) if calm >= RELEASE_BATCHES else (status, calm)


def change_start(scores: np.ndarray) -> int:
    """Where in the batch a change began: the position after which the scores' mean moved
    most, in standard units (the changepoint a shift of unknown size from a known mean has
    most likely), leaving at least MIN_CHANGE_TAIL samples after it."""
    n = scores.size
    if n == 0:
        return 0
    tail = np.cumsum(scores[::-1])[::-1]  # sum of scores from each position on
    lengths = np.arange(n, 0, -1)
    strength = tail / np.sqrt(lengths)
    last = max(1, n - min(MIN_CHANGE_TAIL, n) + 1)
    return int(np.argmax(strength[:last]))


def advance(reference: DetectionReference, state: dict, batch: list[QuantityBatch],
            samples: BatchSamples) -> Advance:
    """The quantities' statuses after the batch, from ``state`` (JSON: per quantity key the
    status, when and at which sample it began, and its calm batches in a row), and the
    transitions. ``state`` is not changed."""
    new_state = {key: dict(value) for key, value in state.items()}
    statuses: dict[str, dict] = {}
    transitions: list[Transition] = []
    by_key = {key_of(q): q for q in reference.fitted.quantities}
    thresholds: dict[str, Thresholds] = {}
    batches = reference.fitted.batches_between_false_alarms
    for item in batch:
        quantity = by_key[item.key]
        limits = thresholds.get(quantity.target)
        if limits is None:
            limits = thresholds[quantity.target] = Thresholds.of(reference.fitted,
                                                                  quantity.target)
        previous = new_state.get(item.key) or {"status": OK, "status_time": None}
        was = previous.get("status", OK)
        pooled = pooled_p_value([previous["recent"], item.summary]) \
            if previous.get("recent") and item.summary else 1.0
        status, calm = next_status(was, int(previous.get("calm", 0)), item.test.p_value, limits,
                                   pooled)
        entry = {"status": was, "status_time": previous.get("status_time"),
                 "status_sample": previous.get("status_sample"), "calm": calm,
                 "recent": item.summary}
        if status != was:
            first = _sample(samples, int(item.rows[0]))
            began = _sample(samples, int(item.rows[change_start(item.scores)]))
            if was == WARNING_STATUS and status == DRIFT_STATUS and previous.get("status_sample"):
                # The change that warned is the one that drifted: it began with the warning.
                began = previous["status_sample"], _parse_time(previous.get("status_time"))
            statistics = dict(item.test.to_dict(), detector=DETECTOR,
                              warning_threshold=limits.warning, drift_threshold=limits.drift,
                              batches_between_false_alarms=batches)
            statistics.pop("column", None)
            for event_type in TRANSITIONS[(was, status)]:
                sample_id, sample_time = began if event_type.endswith("_ON") else first
                transitions.append(Transition(
                    event_type, quantity, was, status,
                    severity(item.test) if event_type == "DRIFT_ON" else "",
                    sample_id, sample_time, statistics, item.explanation))
            entry["status"] = status
            sample_id, when = began if status != OK else first
            entry["status_time"] = when.isoformat() if isinstance(when, datetime) else None
            entry["status_sample"] = sample_id if status != OK else None
        new_state[item.key] = entry
        statuses[item.key] = {"target": quantity.target, "metric": quantity.metric,
                              "feature": quantity.feature, "evaluation_metric": "",
                              "status": entry["status"],
                              "status_time": _parse_time(entry["status_time"])}
    return Advance(new_state, statuses, transitions)


def _sample(samples: BatchSamples, row: int) -> tuple[str, datetime | None]:
    sample_id = samples.ids[row] if samples.ids else ""
    sample_time = samples.times[row] if samples.times else None
    return sample_id, sample_time


def _parse_time(value) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# -- KPIs ----------------------------------------------------------------------------------------

# A KPI's reference is its first values; its detector is calibrated to this many values between
# false drift alarms (KPIs come a few values at a time, not thousands of samples).
KPI_DRIFT_RUN_LENGTH = 1_000.0
NOT_INITIALIZED = "NOT_INITIALIZED"


@dataclass
class KpiAdvance:
    state: dict
    status: str
    status_time: datetime | None
    reference_value_count: int
    transitions: list[dict]  # {"event_type", "previous_status", "status", "severity", ...}


def advance_kpi(state: dict, values: np.ndarray, times: list) -> KpiAdvance:
    """A KPI batch's values (in time order) against the KPI's state (JSON): gathered into the
    reference until it has KPI_REFERENCE_VALUES of them (NOT_INITIALIZED), then fed to the
    CUSUM calibrated on them and confirmed by a KS test of the batch, as a target's quantity."""
    from driftline_server.monitoring.core import Cusum, calibrate

    state = dict(state or {})
    status = state.get("status", NOT_INITIALIZED)
    status_time = _parse_time(state.get("status_time"))
    values = np.asarray(values, dtype=np.float64)
    keep = np.isfinite(values)
    values, times = values[keep], [t for t, k in zip(times, keep) if k]
    reference = list(state.get("reference", []))
    transitions: list[dict] = []
    if not state.get("detector"):
        needed = KPI_REFERENCE_VALUES - len(reference)
        reference += values[:needed].tolist()
        values, times = values[needed:], times[needed:]
        if len(reference) >= KPI_REFERENCE_VALUES and np.std(reference) > 0:
            fitted = calibrate(Cusum(), np.asarray(reference), drift_arl=KPI_DRIFT_RUN_LENGTH,
                               n_streams=200, seed=0)
            state["detector"] = fitted.detector.to_dict()
            status, status_time = OK, times[0] if times else datetime.now().astimezone()
        state["reference"] = reference
    if state.get("detector") and values.size:
        detector = detector_from_dict(state["detector"])
        output = detector.update(values)
        profile = fit_reference(np.asarray(reference).reshape(-1, 1), numeric_names=["value"])
        test = _statistic_test("value", profile, values)
        level = int(output.state.max())
        new = OK
        if level >= DRIFT and _confirms(test, DRIFT_ALPHA):
            new = DRIFT_STATUS
        elif level >= WARNING and _confirms(test, WARNING_ALPHA):
            new = WARNING_STATUS
        state["detector"] = detector.to_dict()
        if new != status:
            first = times[0] if times else None
            for event_type in TRANSITIONS[(status, new)]:
                transitions.append({
                    "event_type": event_type, "previous_status": status, "status": new,
                    "severity": severity(test) if event_type == "DRIFT_ON" else "",
                    "sample_time": first,
                    "statistics": dict(test.to_dict(), detector=detector.kind,
                                       detector_statistic=float(output.statistic.max()),
                                       warning_threshold=detector.warning_threshold,
                                       drift_threshold=detector.drift_threshold),
                    "explanation": [test]})
            status, status_time = new, first
    state["status"] = status
    state["status_time"] = status_time.isoformat() if isinstance(status_time, datetime) \
        else None
    return KpiAdvance(state, status, status_time, min(len(reference), KPI_REFERENCE_VALUES),
                      transitions)


# -- evaluation metrics --------------------------------------------------------------------------

MIN_EVALUATED_SAMPLES = 10


def evaluation_key(metric: str) -> str:
    return quantity_key("ERROR", "", "", metric)


def _rank_auc(positive: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC by the Mann-Whitney statistic (ties count half)."""
    from scipy.stats import rankdata

    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if not n_pos or not n_neg:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(positive: np.ndarray, score: np.ndarray) -> float:
    """The area under the precision-recall curve as the step sum over the distinct scores
    (tied scores form one threshold, as scikit-learn's average_precision_score has it); NaN
    without a positive sample."""
    order = np.argsort(-score, kind="stable")
    hits, ordered = positive[order].astype(float), score[order]
    if not hits.sum():
        return float("nan")
    ends = np.r_[np.flatnonzero(np.diff(ordered)), hits.size - 1]  # last row of each threshold
    true_positives = np.cumsum(hits)[ends]
    precision = true_positives / (ends + 1)
    recall = true_positives / hits.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def evaluation_metric(metric: str, actual: np.ndarray, predicted: np.ndarray,
                      probability: np.ndarray | None = None,
                      positive_label: str | None = None) -> float:
    """The model's ``metric`` on labelled samples: class labels (or numbers, for regression)
    actual and predicted; ``probability`` of ``positive_label`` for the probabilistic metrics.
    Precision, recall and F1 are macro averages over the classes. NaN when not computable."""
    if metric in ("MAE", "RMSE", "MAPE", "R_SQUARED"):
        actual, predicted = actual.astype(np.float64), predicted.astype(np.float64)
        error = predicted - actual
        if metric == "MAE":
            return float(np.mean(np.abs(error)))
        if metric == "RMSE":
            return float(np.sqrt(np.mean(error ** 2)))
        if metric == "MAPE":
            nonzero = actual != 0
            return float(np.mean(np.abs(error[nonzero] / actual[nonzero]))) \
                if nonzero.any() else float("nan")
        total = np.sum((actual - actual.mean()) ** 2)
        return float(1 - np.sum(error ** 2) / total) if total > 0 else float("nan")
    actual, predicted = actual.astype(str), predicted.astype(str)
    if metric in PROBABILITY_METRICS:
        if probability is None or positive_label is None:
            return float("nan")
        positive = actual == positive_label
        score = np.clip(probability.astype(np.float64), 1e-15, 1 - 1e-15)
        if metric == "ROC_AUC":
            return _rank_auc(positive, score)
        if metric == "PR_AUC":
            return average_precision(positive, score)
        return float(-np.mean(np.where(positive, np.log(score), np.log(1 - score))))
    if metric == "ACCURACY":
        return float(np.mean(actual == predicted))
    classes = np.unique(np.concatenate([actual, predicted]))
    recalls, precisions, f1s = [], [], []
    for label in classes:
        true_positive = np.sum((predicted == label) & (actual == label))
        recall = true_positive / max(np.sum(actual == label), 1)
        precision = true_positive / max(np.sum(predicted == label), 1)
        recalls.append(recall)
        precisions.append(precision)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    present = [r for label, r in zip(classes, recalls) if np.any(actual == label)]
    return float({"BALANCED_ACCURACY": np.mean(present) if present else np.nan,
                  "RECALL": np.mean(recalls), "PRECISION": np.mean(precisions),
                  "F1": np.mean(f1s)}[metric])


@dataclass
class Threshold:
    metric: str
    warning: float
    drift: float


def _evaluation_status(value: float, threshold: Threshold) -> str:
    worse = (lambda a, b: a < b) if threshold.metric in HIGHER_IS_BETTER else \
        (lambda a, b: a > b)
    if worse(value, threshold.drift):
        return DRIFT_STATUS
    if worse(value, threshold.warning):
        return WARNING_STATUS
    return OK


def _evaluation_severity(value: float, threshold: Threshold) -> str:
    """How far past the drift threshold, in units of the gap between the two thresholds."""
    gap = abs(threshold.warning - threshold.drift) or 1e-9
    excess = abs(value - threshold.drift) / gap
    return "HIGH" if excess >= 1.5 else "MEDIUM" if excess >= 0.5 else "LOW"


def evaluate(state: dict, thresholds: list[Threshold], columns: dict[str, str],
             samples: BatchSamples, positive_label: str | None) -> Advance:
    """The evaluation metrics of a model on the batch's labelled samples against their
    thresholds: statuses and transitions, as ``advance`` gives them for the quantities.
    ``columns``: the model's "prediction", "target" and (optional) "probability" columns."""
    new_state = {key: dict(value) for key, value in state.items()}
    statuses: dict[str, dict] = {}
    transitions: list[Transition] = []
    table = samples.table
    if not thresholds or not {"prediction", "target"} <= set(columns) or \
            not {columns["prediction"], columns["target"]} <= set(table.column_names):
        return Advance(new_state, statuses, transitions)
    labelled = (pc.is_valid(table[columns["target"]]).to_numpy(zero_copy_only=False)
                & pc.is_valid(table[columns["prediction"]]).to_numpy(zero_copy_only=False))
    rows = np.flatnonzero(labelled)
    if rows.size < MIN_EVALUATED_SAMPLES:
        return Advance(new_state, statuses, transitions)
    taken = table.take(pa.array(rows))
    actual = np.asarray(taken[columns["target"]].to_pylist(), dtype=object)
    predicted = np.asarray(taken[columns["prediction"]].to_pylist(), dtype=object)
    probability = (numeric_values(taken, columns["probability"])
                   if columns.get("probability") in taken.column_names else None)
    if positive_label is None and probability is not None:
        # The class the model predicts when its probability is high is the positive one.
        labels = [str(v) for v in np.unique(predicted.astype(str))]
        means = [np.nanmean(probability[predicted.astype(str) == label]) for label in labels]
        positive_label = labels[int(np.nanargmax(means))] if labels else None
    for threshold in thresholds:
        value = evaluation_metric(threshold.metric, actual, predicted, probability,
                                  positive_label)
        if not np.isfinite(value):
            continue
        key = evaluation_key(threshold.metric)
        previous = new_state.get(key) or {"status": OK, "status_time": None}
        status = _evaluation_status(value, threshold)
        quantity = Quantity("ERROR", "", "", [columns["prediction"], columns["target"]],
                            threshold.metric, int(rows.size))
        first_id, first_time = _sample(samples, int(rows[0]))
        entry = {"status": previous["status"], "status_time": previous.get("status_time"),
                 "value": value}
        if status != previous["status"]:
            statistics = {"evaluation_metric": threshold.metric, "value": value,
                          "warning_threshold": threshold.warning,
                          "drift_threshold": threshold.drift, "sample_count": int(rows.size)}
            for event_type in TRANSITIONS[(previous["status"], status)]:
                transitions.append(Transition(
                    event_type, quantity, previous["status"], status,
                    _evaluation_severity(value, threshold) if event_type == "DRIFT_ON" else "",
                    first_id, first_time, statistics, [], evaluation_metric=threshold.metric))
            entry["status"] = status
            entry["status_time"] = first_time.isoformat() \
                if isinstance(first_time, datetime) else None
        new_state[key] = entry
        statuses[key] = {"target": "ERROR", "metric": "", "feature": "",
                         "evaluation_metric": threshold.metric, "status": entry["status"],
                         "status_time": _parse_time(entry["status_time"])}
    return Advance(new_state, statuses, transitions)


def model_columns(schema: list[dict], model_id: str) -> dict[str, str]:
    """A model's "prediction", "probability" and "target" columns in the data schema (those
    present), for its evaluation metrics."""
    found: dict[str, str] = {}
    for column in schema:
        if column.get("role") != "PREDICTION" or column.get("model_id") != model_id:
            continue
        if not column.get("sub_role"):
            found["prediction"] = column["name"]
            if column.get("predicted_target"):
                found["target"] = column["predicted_target"]
        elif column.get("sub_role") == "MODEL_PROBABILITY":
            found["probability"] = column["name"]
    targets = [c["name"] for c in schema if c.get("role") == "TARGET" and not c.get("sub_role")]
    if "target" not in found and len(targets) == 1:
        found["target"] = targets[0]
    return found
