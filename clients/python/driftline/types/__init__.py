"""The client's results: frozen Pydantic models (``Result``), one module per service, named as
the monitoring platform's SDK names them.

Example:
    >>> from driftline.types import Job
    >>> job = client.get_job(job_id)
    >>> job.job_id, job.status.name
"""

from driftline.types._base import Result

# -- Identity -----------------------------------------------------------------------------------


# -- Catalog ------------------------------------------------------------------------------------


# -- Catalog: experiments, model runs, model sessions, Python models ----------------------------


# -- Data ---------------------------------------------------------------------------------------


# -- Jobs ---------------------------------------------------------------------------------------


# -- Monitoring ---------------------------------------------------------------------------------

from driftline.types.monitoring import (
    ActionDelivery,
    AwsEventBridgeNotificationAction,
    AwsEventBridgeRetrainTrigger,
    AzureEventGridNotificationAction,
    AzureEventGridRetrainTrigger,
    ColumnDrift,
    DetectionEvent,
    DetectionEventAction,
    DetectionEventRule,
    DiscordNotificationAction,
    DriftlineRetrainTrigger,
    EmailNotificationAction,
    EvaluationMetricThreshold,
    GcpPubSubNotificationAction,
    GcpPubSubRetrainTrigger,
    KpiMonitoringStatus,
    LlmJudge,
    ModelReference,
    MonitoredQuantity,
    MonitoringQuantityStatus,
    MqttNotificationAction,
    Quantile,
    RagEvaluationReport,
    RagMetricSummary,
    RetrainAction,
    RetrainTrigger,
    RetrainingReport,
    ReweightedColumn,
    SkippedTarget,
    SlackNotificationAction,
    Suggestion,
    SuggestionInfo,
    TaskRagEvalReportItem,
    TaskReportInfo,
    TaskTopicModelingReportItem,
    TeamsNotificationAction,
    Topic,
    TopicCountCandidate,
    TopicModelingReport,
    TopicModelingReportDetails,
    TopicPeriodShare,
    TopicTerm,
    WatchedDetectionEvent,
    WebhookAction,
)

__all__ = ["Result"]  # each section adds its names below

# -- Identity names -----------------------------------------------------------------------------


# -- Catalog names ------------------------------------------------------------------------------


# -- Catalog extras' names ----------------------------------------------------------------------


# -- Data names ---------------------------------------------------------------------------------


# -- Jobs names ---------------------------------------------------------------------------------


# -- Monitoring names ---------------------------------------------------------------------------

__all__ += [
    "ActionDelivery",
    "AwsEventBridgeNotificationAction",
    "AwsEventBridgeRetrainTrigger",
    "AzureEventGridNotificationAction",
    "AzureEventGridRetrainTrigger",
    "ColumnDrift",
    "DetectionEvent",
    "DetectionEventAction",
    "DetectionEventRule",
    "DiscordNotificationAction",
    "DriftlineRetrainTrigger",
    "EmailNotificationAction",
    "EvaluationMetricThreshold",
    "GcpPubSubNotificationAction",
    "GcpPubSubRetrainTrigger",
    "KpiMonitoringStatus",
    "LlmJudge",
    "ModelReference",
    "MonitoredQuantity",
    "MonitoringQuantityStatus",
    "MqttNotificationAction",
    "Quantile",
    "RagEvaluationReport",
    "RagMetricSummary",
    "RetrainAction",
    "RetrainTrigger",
    "RetrainingReport",
    "ReweightedColumn",
    "SkippedTarget",
    "SlackNotificationAction",
    "Suggestion",
    "SuggestionInfo",
    "TaskRagEvalReportItem",
    "TaskReportInfo",
    "TaskTopicModelingReportItem",
    "TeamsNotificationAction",
    "Topic",
    "TopicCountCandidate",
    "TopicModelingReport",
    "TopicModelingReportDetails",
    "TopicPeriodShare",
    "TopicTerm",
    "WatchedDetectionEvent",
    "WebhookAction",
]
