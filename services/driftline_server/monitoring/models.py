"""Monitoring's tables: model references (one row per reference of a model, numbered 1, 2, ...)
and what their jobs fitted, kept apart so that listing references never loads it; the state of
each reference's detectors, the quantities' statuses, the batches detected and the detection
event log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def _time(nullable: bool = False) -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class ReferenceRow(SQLModel, table=True):
    __tablename__ = "monitoring_references"
    __table_args__ = (
        # The numbering of a model's references; a concurrent setter that loses retries.
        sa.UniqueConstraint("model_id", "version"),
        # AIP-155: a retried SetModelReference with the same request id finds the first one.
        sa.UniqueConstraint("model_id", "request_id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32, index=True)
    model_id: str = Field(max_length=32)
    version: int = Field()
    state: str = Field(max_length=16)  # ReferenceState: PENDING, COMPLETE, FAILED
    from_time: datetime = Field(sa_column=_time())
    to_time: datetime = Field(sa_column=_time())
    job_id: str | None = Field(default=None, max_length=32)
    sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    labelled_sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    # Legacy: the sample-based calibration of references fitted before batch tests (0 since).
    drift_mean_run_length: float = Field()
    warning_mean_run_length: float = Field()
    # The promise its thresholds keep: stationary batches per target between false drifts.
    batches_between_false_alarms: float = Field(default=100.0)
    min_samples: int = Field()
    # [{"target": "INPUT", "metric": "FEATURE", "feature": "age", "columns": [...],
    #   "statistic": "value", "detector": "batch_test", "warning_threshold": ..., ...}]
    quantities: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    # [{"target": "ERROR", "reason": "..."}]
    skipped_targets: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    failure_message: str = Field(default="", max_length=2000)
    request_id: str | None = Field(default=None, max_length=64)
    creator_id: str = Field(default="", max_length=64)
    create_time: datetime = Field(sa_column=_time())
    finish_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    # Set from a retraining suggestion (its report), of a model of the same task.
    suggestion_id: str | None = Field(default=None, max_length=32)
    suggestion_model_id: str | None = Field(default=None, max_length=32)


def active_references(*, task_id: str = "", model_id: str = ""):
    """The query of the active reference of each model (of a task, or of one model): its
    newest COMPLETE version. The one place this rule is written."""
    from sqlmodel import func, select

    from driftline_server.monitoring.vocabulary import ReferenceState

    newest = select(ReferenceRow.model_id, func.max(ReferenceRow.version).label("version")) \
        .where(ReferenceRow.state == ReferenceState.COMPLETE.value)
    if task_id:
        newest = newest.where(ReferenceRow.task_id == task_id)
    if model_id:
        newest = newest.where(ReferenceRow.model_id == model_id)
    newest = newest.group_by(ReferenceRow.model_id).subquery()
    return select(ReferenceRow).join(
        newest, (ReferenceRow.model_id == newest.c.model_id)
        & (ReferenceRow.version == newest.c.version)).order_by(ReferenceRow.create_time)


class ReferenceFitRow(SQLModel, table=True):
    """What a COMPLETE reference's job fitted: profiles and detectors (references.py's format)."""

    __tablename__ = "monitoring_reference_fits"

    reference_id: str = Field(primary_key=True, max_length=32)
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary(), nullable=False))
    size_bytes: int = Field(default=0, sa_type=sa.BigInteger)


# -- detection ---------------------------------------------------------------------------------

# SQLite reuses the rowid of a deleted last row unless the table says AUTOINCREMENT, and only an
# INTEGER (not BIGINT) primary key is its rowid: hence the variant and sqlite_autoincrement.
SEQUENCE_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class DetectionStateRow(SQLModel, table=True):
    """The detectors of one reference, as its detections leave them: one JSON document, changed
    by one detection at a time (``version`` tells a detection that another one came first)."""

    __tablename__ = "monitoring_detection_states"

    reference_id: str = Field(primary_key=True, max_length=32)
    task_id: str = Field(max_length=32, index=True)
    model_id: str = Field(max_length=32)
    version: int = Field(default=0, sa_type=sa.BigInteger)
    # {quantity key: {"detector": {...}, "status": "OK", "status_time": iso, "run_start": [...]}}
    state: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    update_time: datetime = Field(sa_column=_time())


class QuantityStatusRow(SQLModel, table=True):
    """Where one quantity of a reference stands (written with the detection that moved it)."""

    __tablename__ = "monitoring_quantity_statuses"

    reference_id: str = Field(primary_key=True, max_length=32)
    quantity: str = Field(primary_key=True, max_length=600)  # detection.quantity_key
    task_id: str = Field(max_length=32, index=True)
    model_id: str = Field(max_length=32)
    target: str = Field(max_length=48)
    metric: str = Field(default="", max_length=32)
    feature: str = Field(default="", max_length=512)
    status: str = Field(max_length=16)  # OK, WARNING, DRIFT
    status_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    evaluation_metric: str = Field(default="", max_length=32)  # e.g. ACCURACY vs thresholds
    last_batch_id: str = Field(max_length=32)
    update_time: datetime = Field(sa_column=_time())


class DetectedBatchRow(SQLModel, table=True):
    """A batch whose detection a reference has recorded: a retried job records it once."""

    __tablename__ = "monitoring_detected_batches"

    reference_id: str = Field(primary_key=True, max_length=32)
    batch_id: str = Field(primary_key=True, max_length=32)
    event_count: int = Field(default=0)
    record_time: datetime = Field(sa_column=_time())


class DetectionEventRow(SQLModel, table=True):
    """The detection event log: one row per transition, keyed by a sequence number the
    database assigns and never reuses (WatchDetectionEvents follows it)."""

    __tablename__ = "monitoring_detection_events"
    __table_args__ = (
        sa.Index("ix_monitoring_detection_events_task_sequence", "task_id", "sequence"),
        sa.Index("ix_monitoring_detection_events_project_sequence", "project_id", "sequence"),
        {"sqlite_autoincrement": True},
    )

    sequence: int | None = Field(
        default=None, sa_column=sa.Column(SEQUENCE_TYPE, primary_key=True, autoincrement=True))
    id: str = Field(max_length=32, unique=True)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32)
    model_id: str = Field(max_length=32)
    model_name: str = Field(default="", max_length=256)
    model_version: str = Field(default="", max_length=256)
    reference_id: str = Field(max_length=32)
    batch_id: str = Field(max_length=32)
    event_type: str = Field(max_length=16)  # WARNING_ON, WARNING_OFF, DRIFT_ON, DRIFT_OFF
    target: str = Field(max_length=48)
    metric: str = Field(default="", max_length=32)
    feature: str = Field(default="", max_length=512)
    evaluation_metric: str = Field(default="", max_length=32)
    severity: str = Field(default="", max_length=8)
    previous_status: str = Field(max_length=16)
    status: str = Field(max_length=16)
    sample_id: str = Field(default="", max_length=200)
    sample_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    statistics: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    explanation: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    user_feedback: bool | None = Field(default=None)
    create_time: datetime = Field(sa_column=_time())
    kpi_id: str = Field(default="", max_length=32)  # a KPI's event: task and model are ""


# -- detection event rules ---------------------------------------------------------------------


class RuleRow(SQLModel, table=True):
    """A detection event rule: what it matches and its actions (secrets sealed)."""

    __tablename__ = "monitoring_rules"
    __table_args__ = (
        # AIP-155: a retried CreateDetectionEventRule with the same request id finds the first.
        sa.UniqueConstraint("task_id", "request_id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32, index=True)
    name: str = Field(max_length=200)
    model_name: str = Field(default="", max_length=256)
    severity: str = Field(default="", max_length=8)  # "" matches any
    event_type: str = Field(max_length=16)
    target: str = Field(max_length=48)
    metric: str = Field(default="", max_length=32)
    # The actions as users see them: [{"type": "SLACK_NOTIFICATION", "webhook_url": "https://
    # hooks.slack.com/…XYZ9", ...}] (secrets masked), and whole, sealed with the secret key.
    actions_shown: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    actions_sealed: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    request_id: str | None = Field(default=None, max_length=64)
    creator_id: str = Field(default="", max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class DeliveryRow(SQLModel, table=True):
    """One detection event's delivery to one action of a matching rule."""

    __tablename__ = "monitoring_action_deliveries"
    __table_args__ = (sa.Index("ix_monitoring_action_deliveries_rule", "rule_id", "create_time"),)

    event_id: str = Field(primary_key=True, max_length=32)
    rule_id: str = Field(primary_key=True, max_length=32)
    action_index: int = Field(primary_key=True)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32)
    action_type: str = Field(max_length=48)
    state: str = Field(max_length=16)  # PENDING, DELIVERED, FAILED
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=2000)
    outcome: str = Field(default="", max_length=500)
    job_id: str | None = Field(default=None, max_length=32)
    create_time: datetime = Field(sa_column=_time())
    last_attempt_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))


# -- retraining --------------------------------------------------------------------------------


class RetrainingReportRow(SQLModel, table=True):
    """A model's retraining report; its suggestion's samples are kept apart
    (RetrainingSamplesRow), so that reading reports never loads them."""

    __tablename__ = "monitoring_retraining_reports"
    __table_args__ = (
        sa.UniqueConstraint("model_id", "request_id"),
        sa.Index("ix_monitoring_retraining_reports_model_time", "model_id", "create_time"),
    )

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32)
    model_id: str = Field(max_length=32)
    reference_id: str = Field(max_length=32)
    state: str = Field(max_length=16)  # PENDING, COMPLETE, FAILED
    purpose: str = Field(max_length=16)  # REPORT, or RETRAIN (then the trigger is fired)
    job_id: str | None = Field(default=None, max_length=32)
    suggestion_type: str = Field(default="", max_length=32)
    sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    executed: bool = Field(default=False)
    effective_sample_size: float = Field(default=0.0)
    metric_name: str = Field(default="", max_length=32)
    performance_lower_bound: float | None = Field(default=None)
    performance_upper_bound: float | None = Field(default=None)
    bounds_available: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    cost_lower_bound: float | None = Field(default=None)
    cost_upper_bound: float | None = Field(default=None)
    method: str = Field(default="", max_length=32)
    method_scores: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    diagnostics: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    columns: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    reference_sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    production_sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    failure_message: str = Field(default="", max_length=2000)
    trigger_outcome: str = Field(default="", max_length=1000)
    triggered: bool = Field(default=False)
    request_id: str | None = Field(default=None, max_length=80)
    creator_id: str = Field(default="", max_length=64)
    create_time: datetime = Field(sa_column=_time())
    finish_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))


class RetrainingSamplesRow(SQLModel, table=True):
    """A COMPLETE report's suggestion: sample ids (and weights), as an .npz container."""

    __tablename__ = "monitoring_retraining_samples"

    report_id: str = Field(primary_key=True, max_length=32)
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary(), nullable=False))


class RetrainTriggerRow(SQLModel, table=True):
    """A model's retrain trigger: {"type": "AWS_EVENT_BRIDGE", "credentials_id": ..., ...}."""

    __tablename__ = "monitoring_retrain_triggers"

    model_id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32)
    trigger: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    update_time: datetime = Field(sa_column=_time())


class KpiStateRow(SQLModel, table=True):
    """A KPI's monitoring: its reference (its first values), detector and status, changed by one
    detection at a time (``version``)."""

    __tablename__ = "monitoring_kpi_states"

    kpi_id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    version: int = Field(default=0, sa_type=sa.BigInteger)
    # {"reference": [values], "fitted": bool, "detector": {...}, "run_start": [...]}
    state: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    status: str = Field(max_length=16)  # NOT_INITIALIZED, OK, WARNING, DRIFT
    status_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    reference_value_count: int = Field(default=0)
    last_batch_id: str = Field(default="", max_length=32)
    update_time: datetime = Field(sa_column=_time())


class EvaluationThresholdRow(SQLModel, table=True):
    """The thresholds one evaluation metric of a model is compared with."""

    __tablename__ = "monitoring_evaluation_thresholds"

    model_id: str = Field(primary_key=True, max_length=32)
    evaluation_metric: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32, index=True)
    warning_threshold: float = Field()
    drift_threshold: float = Field()
    update_time: datetime = Field(sa_column=_time())


class TaskReportRow(SQLModel, table=True):
    """A task's report, RAG evaluation or topic modelling: what was asked (the range, the
    settings), where it is, and what its job computed (``result``, the summaries or topics);
    the per-sample table is a Parquet file in the suite's storage (``samples_path``)."""

    __tablename__ = "monitoring_task_reports"
    __table_args__ = (
        # AIP-155: a retried Compute call with the same request id finds the first report.
        sa.UniqueConstraint("task_id", "kind", "request_id"),
        sa.Index("ix_monitoring_task_reports_task_time", "task_id", "kind", "create_time"),
    )

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)  # TaskReportKind: RAG_EVALUATION, TOPIC_MODELING
    name: str = Field(max_length=200)
    state: str = Field(max_length=16)  # TaskReportState: PENDING, COMPLETE, FAILED
    from_time: datetime = Field(sa_column=_time())
    to_time: datetime = Field(sa_column=_time())
    job_id: str | None = Field(default=None, max_length=32)
    # What was asked beyond the range: {"model_id", "threshold", "judge": {...}} or
    # {"min_topics", "max_topics"}.
    settings: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    # What the job computed: the report's message without its common fields, as JSON.
    result: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    samples_path: str = Field(default="", max_length=1024)
    failure_message: str = Field(default="", max_length=2000)
    request_id: str | None = Field(default=None, max_length=64)
    creator_id: str = Field(default="", max_length=64)
    create_time: datetime = Field(sa_column=_time())
    finish_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
