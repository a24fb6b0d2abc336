"""MonitoringService's results: model references, monitoring statuses, detection events, rules
and their actions, action deliveries, evaluation metric thresholds, KPI statuses, retraining
reports and suggestions, retrain triggers, and the RAG evaluation and topic modelling reports.

Fields are named as the monitoring platform's SDK names them where it has the type
(``DetectionEvent.event_id``, ``event_type``, ``monitoring_target``, ``severity_type``,
``specification``, ``sample_customer_id``, ``insert_datetime``; ``RetrainingReport.report_id``;
``Suggestion.suggestion_id``, ``suggestion_type``; the reports' ``id``, ``name``, ``status``,
``creation_datetime``, ``from_datetime``, ``to_datetime``), and Driftline's own fields beside
them by one rule: ``<type>_id`` for the type's own id, ``*_datetime`` for an aware UTC
datetime, ``*_timestamp`` for epoch seconds (as the SDK's ``sample_timestamp``),
``specification`` for the column a quantity is monitored on (MONITORING_METRIC_FEATURE,
TEXT_LENGTH), ``status`` for where a thing stands. An enum whose zero means "not set" is None
there; so is an empty optional text.

Example:
    >>> event = client.get_detection_events(task_id)[0]
    >>> event.event_type.name, event.monitoring_target.name, event.specification
    ('DRIFT_ON', 'INPUT', 'age')
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Union

import pyarrow as pa

from driftline.enums import (
    ActionDeliveryState,
    DetectionEventActionType,
    DetectionEventSeverity,
    DetectionEventType,
    KpiStatus,
    ModelReferenceState,
    MonitoringEvaluationMetric,
    MonitoringMetric,
    MonitoringStatus,
    MonitoringTarget,
    RetrainingReportState,
    SuggestionType,
    TaskReportState,
)
from driftline.types._base import Result

# -- model references -----------------------------------------------------------------------


class MonitoredQuantity(Result):
    """One quantity a reference monitors (a target as a whole, or one of its columns), how a
    sample's value of it is computed, and the p-values under which a batch's test of it warns
    (``warning_threshold``) or drifts (``drift_threshold``), calibrated for its target. The
    run lengths are those of references fitted before batch tests (0 since)."""

    monitoring_target: MonitoringTarget | int | None
    monitoring_metric: MonitoringMetric | int | None  # None: the target as a whole
    specification: str | None  # the column, with MONITORING_METRIC_FEATURE (or TEXT_LENGTH)
    columns: list[str]
    statistic: str
    detector: str
    warning_threshold: float
    drift_threshold: float
    warning_mean_run_length: float = 0.0
    drift_mean_run_length: float = 0.0
    sample_count: int


class SkippedTarget(Result):
    """A target a reference does not monitor, and why."""

    monitoring_target: MonitoringTarget | int | None
    reason: str


class ModelReference(Result):
    """A model's reference: the samples of a time range that production data is compared with,
    numbered ``version`` 1, 2, ... among the model's references; the newest COMPLETE one is
    ``active``. ``batches_between_false_alarms``: the promise its thresholds keep (on
    stationary data, one false DRIFT_ON per target in that many batches on average)."""

    reference_id: str
    model_id: str
    task_id: str
    version: int
    status: ModelReferenceState | int | None
    active: bool
    from_datetime: datetime | None
    to_datetime: datetime | None
    job_id: str | None
    sample_count: int
    labelled_sample_count: int
    batches_between_false_alarms: float
    quantities: list[MonitoredQuantity]
    skipped_targets: list[SkippedTarget]
    failure_message: str | None
    request_id: str | None
    creator_id: str | None
    creation_datetime: datetime | None
    finish_datetime: datetime | None
    suggestion_id: str | None  # set from a retraining suggestion's samples
    # Legacy: references fitted before batch tests were calibrated in samples (0 since).
    target_drift_mean_run_length: float = 0.0
    target_warning_mean_run_length: float = 0.0


# -- statuses ---------------------------------------------------------------------------------


class MonitoringQuantityStatus(Result):
    """Where a monitored quantity of a task stands (OK, WARNING, DRIFT): the SDK's
    monitoring_target, status and monitoring_metric, and which model, reference and column."""

    monitoring_target: MonitoringTarget | int | None
    status: MonitoringStatus | int | None
    monitoring_metric: MonitoringMetric | int | None  # None: the target as a whole
    specification: str | None  # the column; None: every column of the metric (the worst)
    model_id: str | None  # None: a task-wide summary of several models (the worst)
    model_name: str | None
    model_version: str | None
    reference_id: str | None
    status_start_datetime: datetime | None  # the sample where the status began
    last_batch_id: str | None
    update_datetime: datetime | None  # when a detection last updated it
    monitoring_evaluation_metric: MonitoringEvaluationMetric | int | None


class KpiMonitoringStatus(Result):
    """Where a KPI stands: NOT_INITIALIZED until its reference values have arrived, then OK,
    WARNING or DRIFT."""

    kpi_id: str
    status: KpiStatus | int | None
    status_start_datetime: datetime | None
    reference_value_count: int
    required_value_count: int
    last_batch_id: str | None
    update_datetime: datetime | None


class EvaluationMetricThreshold(Result):
    """The warning and drift thresholds a model's evaluation metric is compared with."""

    model_id: str
    monitoring_evaluation_metric: MonitoringEvaluationMetric | int | None
    warning_threshold: float
    drift_threshold: float
    update_datetime: datetime | None


# -- detection events -----------------------------------------------------------------------


class ColumnDrift(Result):
    """How one column compared with the reference in a batch: part of an event's
    explanation."""

    column: str
    test: str
    statistic: float
    p_value: float
    adjusted_p_value: float
    effect_size: float
    effect_measure: str
    sample_count: int


class DetectionEvent(Result):
    """A transition of a monitored quantity between OK, WARNING and DRIFT, in the SDK's words
    (event_id, event_type, monitoring_target, monitoring_metric, severity_type,
    monitoring_evaluation_metric, insert_datetime, sample_timestamp, sample_customer_id,
    model_id, model_name, model_version, user_feedback, specification), with Driftline's
    explanation: the batch's statistics and the columns that moved most."""

    event_id: str
    sequence: int  # its place in the event log (watch_detection_events resumes after it)
    task_id: str | None  # None for a KPI's event
    project_id: str | None
    event_type: DetectionEventType | int | None
    monitoring_target: MonitoringTarget | int | None
    monitoring_metric: MonitoringMetric | int | None  # None: the target as a whole
    specification: str | None  # the column, with MONITORING_METRIC_FEATURE (or TEXT_LENGTH)
    monitoring_evaluation_metric: MonitoringEvaluationMetric | int | None
    severity_type: DetectionEventSeverity | int | None  # drift events only
    model_id: str | None
    model_name: str | None
    model_version: str | None
    reference_id: str | None
    batch_id: str | None
    previous_status: MonitoringStatus | int | None
    status: MonitoringStatus | int | None
    sample_customer_id: str | None  # the sample where the change is estimated to start
    sample_timestamp: float | None  # its time, epoch seconds
    statistics: dict
    explanation: list[ColumnDrift]
    user_feedback: bool | None
    insert_datetime: datetime | None  # when the event was recorded
    kpi_id: str | None


class WatchedDetectionEvent(Result):
    """What ``watch_detection_events`` yields: an event with its ``sequence`` (to resume
    after), or a heartbeat (``event`` None)."""

    event: DetectionEvent | None
    heartbeat: bool
    sequence: int


# -- rules and their actions ------------------------------------------------------------------


class SlackNotificationAction(Result):
    """A message to a Slack incoming webhook (shown masked)."""

    type: ClassVar = DetectionEventActionType.SLACK_NOTIFICATION
    webhook: str
    channel: str | None = None


class DiscordNotificationAction(Result):
    """A message to a Discord webhook (shown masked)."""

    type: ClassVar = DetectionEventActionType.DISCORD_NOTIFICATION
    webhook: str


class TeamsNotificationAction(Result):
    """A message to a Microsoft Teams incoming webhook (shown masked)."""

    type: ClassVar = DetectionEventActionType.TEAMS_NOTIFICATION
    webhook: str


class WebhookAction(Result):
    """The event as signed JSON to an HTTPS endpoint; url, secret and header values are shown
    masked."""

    type: ClassVar = DetectionEventActionType.WEBHOOK
    url: str
    secret: str
    headers: dict[str, str] = {}


class EmailNotificationAction(Result):
    """An e-mail to these addresses over the server's SMTP relay."""

    type: ClassVar = DetectionEventActionType.EMAIL_NOTIFICATION
    addresses: list[str]


class MqttNotificationAction(Result):
    """A message published to an MQTT broker (the connection string shown masked)."""

    type: ClassVar = DetectionEventActionType.MQTT_NOTIFICATION
    connection_string: str
    topic: str
    payload: str | None = None  # a template of the event's fields; None: the event as JSON


class AwsEventBridgeNotificationAction(Result):
    """An event put on an AWS EventBridge bus with the project's integration credentials."""

    type: ClassVar = DetectionEventActionType.AWS_EVENT_BRIDGE_NOTIFICATION
    credentials_id: str
    aws_region_name: str
    event_bus_name: str


class GcpPubSubNotificationAction(Result):
    """A message published to a GCP Pub/Sub topic with the project's integration
    credentials."""

    type: ClassVar = DetectionEventActionType.GCP_PUBSUB_NOTIFICATION
    credentials_id: str
    project_id: str
    topic_name: str


class AzureEventGridNotificationAction(Result):
    """A CloudEvent sent to an Azure Event Grid topic with the project's integration
    credentials."""

    type: ClassVar = DetectionEventActionType.AZURE_EVENT_GRID_NOTIFICATION
    credentials_id: str
    topic_endpoint: str


class RetrainAction(Result):
    """Compute the model's retraining report, then fire its retrain trigger."""

    type: ClassVar = DetectionEventActionType.RETRAIN


# One action of a rule: each kind's ``type`` names it (the SDK's DetectionEventActionType).
DetectionEventAction = Union[
    SlackNotificationAction, DiscordNotificationAction, TeamsNotificationAction, WebhookAction,
    EmailNotificationAction, MqttNotificationAction, AwsEventBridgeNotificationAction,
    GcpPubSubNotificationAction, AzureEventGridNotificationAction, RetrainAction]


class DetectionEventRule(Result):
    """What to do when a task's detection events of a kind are recorded: ``actions``, in order.
    The SDK's rule_id, name, task_id, model_name, severity, detection_event_type,
    monitoring_target and monitoring_metric (also as the one-element lists
    ``monitoring_targets`` and ``monitoring_metrics``), actions."""

    rule_id: str
    name: str
    task_id: str
    project_id: str | None
    model_name: str | None  # None: any model
    severity: DetectionEventSeverity | int | None  # None: any
    detection_event_type: DetectionEventType | int | None
    monitoring_target: MonitoringTarget | int | None
    monitoring_metric: MonitoringMetric | int | None  # None: the target as a whole
    actions: list[DetectionEventAction]
    creator_id: str | None
    creation_datetime: datetime | None
    update_datetime: datetime | None

    @property
    def monitoring_targets(self) -> list:
        """The rule's target as a list (the SDK's newer rules take several)."""
        return [self.monitoring_target] if self.monitoring_target is not None else []

    @property
    def monitoring_metrics(self) -> list:
        """The rule's metric as a list (empty: the target as a whole)."""
        return [self.monitoring_metric] if self.monitoring_metric is not None else []


class ActionDelivery(Result):
    """Where the delivery of one event to one action of a matching rule stands."""

    event_id: str
    rule_id: str
    action_index: int  # the action's place in the rule's actions, from 0
    action_type: DetectionEventActionType | int | None
    status: ActionDeliveryState | int | None
    attempts: int
    last_error: str | None
    outcome: str | None
    job_id: str | None
    creation_datetime: datetime | None  # when the event matched the rule
    last_attempt_datetime: datetime | None


# -- retraining -------------------------------------------------------------------------------


class Suggestion(Result):
    """A retraining dataset: a weight for each reference sample (SAMPLE_WEIGHTS) or sample ids
    drawn by those weights (RESAMPLED_DATASET). The SDK's Suggestion (suggestion_id,
    suggestion_type, sample_ids, weights) and, as ``get_suggestions_info`` lists it, its
    SuggestionInfo (``id``, ``executed``, ``timestamp``)."""

    suggestion_id: str
    suggestion_type: SuggestionType | int | None
    sample_ids: list[str]  # empty unless asked for (include_samples)
    weights: list[float]  # SAMPLE_WEIGHTS: aligned with sample_ids
    sample_count: int
    executed: bool  # a model version's reference was set to it
    creation_datetime: datetime | None

    @property
    def id(self) -> str:
        """``suggestion_id``, as the SDK's SuggestionInfo names it."""
        return self.suggestion_id

    @property
    def timestamp(self) -> datetime | None:
        """``creation_datetime``, as the SDK's SuggestionInfo names it."""
        return self.creation_datetime


SuggestionInfo = Suggestion  # the SDK's name for a suggestion as get_suggestions_info lists it


class ReweightedColumn(Result):
    """One input column's gap to production before and after the weights: its distance
    (Wasserstein-1 in reference standard deviations, or total variation for a categorical
    column), a numeric column's standardised mean gap, whether it had shifted, the share of
    its gap the weights close, and whether a column that had not shifted got worse."""

    column: str
    distance_before: float
    distance_after: float
    mean_gap_before: float | None = None
    mean_gap_after: float | None = None
    shifted: bool = False
    shift_p_value: float = 0.0
    gap_closed: float | None = None
    worsened: bool = False


class RetrainingReport(Result):
    """A model's retraining report: the SDK's report_id, suggestion, effective_sample_size,
    model_metric_name, performance and cost bounds, with how the weights were estimated and
    what they change."""

    report_id: str
    model_id: str
    task_id: str
    status: RetrainingReportState | int | None
    job_id: str | None
    reference_id: str | None
    suggestion: Suggestion | None
    effective_sample_size: float
    model_metric_name: str | None
    performance_lower_bound: float | None
    performance_upper_bound: float | None
    bounds_available: dict[str, str]  # which bounds could be computed, and why not the others
    cost_lower_bound: float | None
    cost_upper_bound: float | None
    method: str | None  # the estimator the validation chose
    method_scores: dict[str, float]
    diagnostics: dict
    columns: list[ReweightedColumn]
    reference_sample_count: int
    production_sample_count: int
    failure_message: str | None
    trigger_outcome: str | None
    triggered: bool
    creator_id: str | None
    creation_datetime: datetime | None
    finish_datetime: datetime | None
    weights_help: bool = False  # whether the weights make the reference look like production
    gap_closed: float | None = None  # median share of the shifted columns' gap they close
    advice: str | None = None  # what to do, in words (when weights cannot help: what instead)


class AwsEventBridgeRetrainTrigger(Result):
    """Tell a training pipeline through an AWS EventBridge bus."""

    credentials_id: str
    aws_region_name: str
    event_bus_name: str


class GcpPubSubRetrainTrigger(Result):
    """Tell a training pipeline through a GCP Pub/Sub topic."""

    credentials_id: str
    project_id: str
    topic_name: str


class AzureEventGridRetrainTrigger(Result):
    """Tell a training pipeline through an Azure Event Grid topic."""

    credentials_id: str
    topic_endpoint: str


class DriftlineRetrainTrigger(Result):
    """Driftline retrains the model itself (versions of a Python model)."""


# A model's retrain trigger: one of the four.
RetrainTrigger = Union[AwsEventBridgeRetrainTrigger, GcpPubSubRetrainTrigger,
                       AzureEventGridRetrainTrigger, DriftlineRetrainTrigger]


# -- task reports ---------------------------------------------------------------------------


class TaskReportInfo(Result):
    """What every task report has: the SDK's report item (id, name, status,
    creation_datetime, from_datetime, to_datetime) and Driftline's job, author and outcome."""

    id: str
    task_id: str
    name: str
    status: TaskReportState | int | None
    job_id: str | None
    from_datetime: datetime | None
    to_datetime: datetime | None
    creation_datetime: datetime | None
    finish_datetime: datetime | None
    creator_id: str | None
    failure_message: str | None
    sample_count: int


class Quantile(Result):
    """One quantile of a distribution."""

    level: float
    value: float


class RagMetricSummary(Result):
    """How one metric of a RAG evaluation is distributed over the samples."""

    metric: str
    description: str
    count: int
    mean: float
    minimum: float
    maximum: float
    quantiles: list[Quantile]
    share_below_threshold: float  # NaN for lengths
    histogram_edges: list[float]
    histogram_counts: list[int]


class LlmJudge(Result):
    """The LLM judge a RAG evaluation asked, as it was asked."""

    credentials_id: str
    model: str
    provider: str | None
    model_version: str | None
    system_prompt: str | None
    user_prompt_template: str | None
    temperature: float
    endpoint_host: str | None
    judged_sample_count: int
    failed_sample_count: int


class RagEvaluationReport(TaskReportInfo):
    """A RAG evaluation report (the SDK's TaskRagEvalReportItem, with its summaries): the local
    scores' ``metrics`` and, when a judge was asked, its ``judge_metrics``."""

    model_id: str | None
    threshold: float
    metrics: list[RagMetricSummary]
    judge: LlmJudge | None
    judge_metrics: list[RagMetricSummary]


TaskRagEvalReportItem = RagEvaluationReport  # the SDK's name


class TopicTerm(Result):
    """A term of a topic and its weight within the topic."""

    term: str
    weight: float


class TopicPeriodShare(Result):
    """A topic's share of the samples of one period."""

    from_datetime: datetime | None
    to_datetime: datetime | None
    sample_count: int
    share: float


class Topic(Result):
    """A topic of a text task's samples."""

    topic_id: int
    label: str
    terms: list[TopicTerm]
    sample_count: int
    share: float
    shares_over_time: list[TopicPeriodShare]


class TopicCountCandidate(Result):
    """How coherent the topics were with a number of topics tried."""

    topic_count: int
    coherence: float


class TopicModelingReport(TaskReportInfo):
    """A topic modelling report (the SDK's TaskTopicModelingReportItem, with its topics)."""

    language: str | None
    topics: list[Topic]
    coherence: float
    candidates: list[TopicCountCandidate]
    unassigned_sample_count: int  # samples with no known term (topic_id -1)
    fitted_sample_count: int
    text_columns: list[str]


TaskTopicModelingReportItem = TopicModelingReport  # the SDK's name


class TopicModelingReportDetails(Result):
    """A topic modelling report with every sample's topic (the SDK's
    TaskTopicModelingReportDetails: ``topics``, ``sample_ids``).

    ``samples`` is the per-sample Arrow table: sample_id, timestamp, topic_id (-1: no known
    term), topic_label, confidence; empty until the report is COMPLETE.
    """

    report: TopicModelingReport
    samples: pa.Table

    @property
    def topics(self) -> list[Topic]:
        return list(self.report.topics)

    @property
    def sample_ids(self) -> list[str]:
        return self.samples.column("sample_id").to_pylist()

    @property
    def sample_topics(self) -> list[int]:
        """Each sample's topic id, aligned with ``sample_ids``."""
        return self.samples.column("topic_id").to_pylist()
