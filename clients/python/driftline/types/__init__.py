"""The client's results: frozen Pydantic models (``Result``), one module per service, named as
the monitoring platform's SDK names them.

Example:
    >>> from driftline.types import Job
    >>> job = client.get_job(job_id)
    >>> job.job_id, job.status.name
"""

from driftline.types._base import Result

# -- Identity -----------------------------------------------------------------------------------
from driftline.types.identity import (
    ApiKey,
    AwsCompatibleCredentials,
    AwsCredentials,
    AzureCredentials,
    Company,
    CompanyUser,
    GcpCredentials,
    IntegrationCredentials,
    LlmProviderCredentials,
    SubscriptionPlanInfo,
    UserProject,
)


# -- Catalog ------------------------------------------------------------------------------------
from driftline.types.catalog import (
    KPI,
    BinaryClassificationTaskCostInfo,
    ColumnInfo,
    DataSchema,
    Model,
    MulticlassClassificationTaskCostInfo,
    Project,
    RegressionTaskCostInfo,
    Task,
    TaskCostInfo,
)

# -- Catalog: experiments, model runs, model sessions, Python models ----------------------------
from driftline.types.experiments import Experiment, ExperimentModel, Iteration, MetricPoint, Module
from driftline.types.model_runs import ModelRun
from driftline.types.model_sessions import (
    BuildLogEntry,
    BuiltModel,
    ModelSession,
    ModelSessionEvent,
    ModelSessionRegistry,
)
from driftline.types.python_models import PythonModel, PythonModelVersion, TrainingInput

# -- Data ---------------------------------------------------------------------------------------
from driftline.types.data import (
    Batch,
    BatchPart,
    BatchProblem,
    DataSummary,
    KindSummary,
)

# -- Jobs ---------------------------------------------------------------------------------------
from driftline.types.jobs import (
    DetectionResult,
    DiagnosticsResult,
    Job,
    JobError,
    JobEvent,
    JobProgress,
)


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
__all__ += ["ApiKey", "AwsCompatibleCredentials", "AwsCredentials", "AzureCredentials", "Company",
            "CompanyUser", "GcpCredentials", "IntegrationCredentials", "LlmProviderCredentials",
            "SubscriptionPlanInfo", "UserProject"]


# -- Catalog names ------------------------------------------------------------------------------
__all__ += ["BinaryClassificationTaskCostInfo", "ColumnInfo", "DataSchema", "KPI", "Model",
            "MulticlassClassificationTaskCostInfo", "Project", "RegressionTaskCostInfo", "Task",
            "TaskCostInfo"]

# -- Catalog extras' names ----------------------------------------------------------------------
__all__ += ["BuildLogEntry", "BuiltModel", "Experiment", "ExperimentModel", "Iteration",
            "MetricPoint", "ModelRun", "ModelSession", "ModelSessionEvent", "ModelSessionRegistry",
            "Module", "PythonModel", "PythonModelVersion", "TrainingInput"]

# -- Data names ---------------------------------------------------------------------------------
__all__ += ["Batch", "BatchPart", "BatchProblem", "DataSummary", "KindSummary"]

# -- Jobs names ---------------------------------------------------------------------------------
__all__ += ["DetectionResult", "DiagnosticsResult", "Job", "JobError", "JobEvent", "JobProgress"]


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
