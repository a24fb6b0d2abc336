"""Monitoring's words as the domain uses them (names without the proto prefixes)."""

from __future__ import annotations

import enum

# The job type that fits a model reference (monitoring/job_handlers.py).
REFERENCE_JOB = "set_model_reference"
# The job type that detects drift in one committed batch (monitoring/job_handlers.py).
DETECTION_JOB = "detect_drift"
# The job type that detects drift in one committed KPI batch.
KPI_DETECTION_JOB = "detect_kpi_drift"
# The job type that delivers one detection event to the actions of one rule.
DELIVERY_JOB = "deliver_actions"
# The job type that computes a retraining report (and, to retrain, fires the model's trigger).
RETRAINING_JOB = "compute_retraining_report"
# The job types that compute a task's reports (monitoring/reports/jobs.py).
RAG_EVALUATION_JOB = "compute_rag_evaluation_report"
TOPIC_MODELING_JOB = "compute_topic_modeling_report"
# A text task's language (TextLanguage) as the reports' stop words and stemmers name it.
REPORT_LANGUAGES = {"ENGLISH": "english", "ITALIAN": "italian", "MULTILANGUAGE": "multilanguage"}
# Retrain triggers by type, and the action (monitoring/actions/) that sends each.
TRIGGER_ACTIONS = {"AWS_EVENT_BRIDGE": "AWS_EVENT_BRIDGE_NOTIFICATION",
                   "GCP_PUBSUB": "GCP_PUBSUB_NOTIFICATION",
                   "AZURE_EVENT_GRID": "AZURE_EVENT_GRID_NOTIFICATION"}
# The retrain trigger by which Driftline trains a Python model's next version itself.
DRIFTLINE_TRIGGER = "DRIFTLINE"
# The action that retrains a model (the others are notifications: monitoring/actions/).
RETRAIN_ACTION = "RETRAIN"
# Targets whose events concern a model: a rule on them names the model.
MODEL_TARGETS = ("PREDICTION", "INPUT_PREDICTION", "CONCEPT", "ERROR",
                 "USER_INPUT_MODEL_OUTPUT", "MODEL_OUTPUT_RETRIEVED_CONTEXT")


class ReferenceState(enum.StrEnum):
    PENDING = "PENDING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


class TaskReportKind(enum.StrEnum):
    RAG_EVALUATION = "RAG_EVALUATION"
    TOPIC_MODELING = "TOPIC_MODELING"


class TaskReportState(enum.StrEnum):
    PENDING = "PENDING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


class MonitoringTarget(enum.StrEnum):
    INPUT = "INPUT"
    CONCEPT = "CONCEPT"
    PREDICTION = "PREDICTION"
    INPUT_PREDICTION = "INPUT_PREDICTION"
    ERROR = "ERROR"
    USER_INPUT = "USER_INPUT"
    RETRIEVED_CONTEXT = "RETRIEVED_CONTEXT"
    USER_INPUT_RETRIEVED_CONTEXT = "USER_INPUT_RETRIEVED_CONTEXT"
    USER_INPUT_MODEL_OUTPUT = "USER_INPUT_MODEL_OUTPUT"
    MODEL_OUTPUT_RETRIEVED_CONTEXT = "MODEL_OUTPUT_RETRIEVED_CONTEXT"


class MonitoringMetric(enum.StrEnum):
    FEATURE = "FEATURE"
    TEXT_LENGTH = "TEXT_LENGTH"
    MODEL_ENTROPY = "MODEL_ENTROPY"
    LOG_LIKELIHOOD = "LOG_LIKELIHOOD"


class MonitoringEvaluationMetric(enum.StrEnum):
    ACCURACY = "ACCURACY"
    BALANCED_ACCURACY = "BALANCED_ACCURACY"
    PRECISION = "PRECISION"
    RECALL = "RECALL"
    F1 = "F1"
    ROC_AUC = "ROC_AUC"
    PR_AUC = "PR_AUC"
    LOG_LOSS = "LOG_LOSS"
    MAE = "MAE"
    RMSE = "RMSE"
    MAPE = "MAPE"
    R_SQUARED = "R_SQUARED"


class MonitoringStatus(enum.StrEnum):
    OK = "OK"
    WARNING = "WARNING"
    DRIFT = "DRIFT"


class DetectionEventType(enum.StrEnum):
    WARNING_ON = "WARNING_ON"
    WARNING_OFF = "WARNING_OFF"
    DRIFT_ON = "DRIFT_ON"
    DRIFT_OFF = "DRIFT_OFF"


class DetectionEventSeverity(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


# The kinds of committed batches detection looks at: production samples, and late targets
# (which complete samples for the quantities that need labels).
DETECTED_BATCH_KINDS = ("PRODUCTION", "TARGET")


_STATUS_LEVEL = {MonitoringStatus.OK: 0, MonitoringStatus.WARNING: 1, MonitoringStatus.DRIFT: 2}


def worst(statuses) -> str:
    """The most serious of several statuses (OK when there are none)."""
    return max(statuses, key=lambda s: _STATUS_LEVEL[MonitoringStatus(s)],
               default=MonitoringStatus.OK.value)


def quantity_key(target: str, metric: str, feature: str, evaluation_metric: str = "") -> str:
    """A quantity's name in detector states and status rows: 'INPUT//', 'INPUT/FEATURE/age',
    'ERROR/EVALUATION/ACCURACY' (an evaluation metric compared with its thresholds)."""
    if evaluation_metric:
        return f"ERROR/EVALUATION/{evaluation_metric}"
    return f"{target}/{metric}/{feature}"


class DeliveryState(enum.StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class DetectionEventActionType(enum.StrEnum):
    SLACK_NOTIFICATION = "SLACK_NOTIFICATION"
    DISCORD_NOTIFICATION = "DISCORD_NOTIFICATION"
    TEAMS_NOTIFICATION = "TEAMS_NOTIFICATION"
    WEBHOOK = "WEBHOOK"
    EMAIL_NOTIFICATION = "EMAIL_NOTIFICATION"
    MQTT_NOTIFICATION = "MQTT_NOTIFICATION"
    AWS_EVENT_BRIDGE_NOTIFICATION = "AWS_EVENT_BRIDGE_NOTIFICATION"
    GCP_PUBSUB_NOTIFICATION = "GCP_PUBSUB_NOTIFICATION"
    AZURE_EVENT_GRID_NOTIFICATION = "AZURE_EVENT_GRID_NOTIFICATION"
    RETRAIN = "RETRAIN"


class ReportState(enum.StrEnum):
    PENDING = "PENDING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


class SuggestionType(enum.StrEnum):
    SAMPLE_WEIGHTS = "SAMPLE_WEIGHTS"
    RESAMPLED_DATASET = "RESAMPLED_DATASET"


class KpiStatus(enum.StrEnum):
    NOT_INITIALIZED = "NOT_INITIALIZED"
    OK = "OK"
    WARNING = "WARNING"
    DRIFT = "DRIFT"


# A KPI's reference is its first values (detection.advance_kpi).
KPI_REFERENCE_VALUES = 30


# Evaluation metrics where a larger value is better (the others are errors), those of
# classification, and those that need the model's probabilities.
HIGHER_IS_BETTER = frozenset({"ACCURACY", "BALANCED_ACCURACY", "PRECISION", "RECALL", "F1",
                              "ROC_AUC", "PR_AUC", "R_SQUARED"})
CLASSIFICATION_METRICS = frozenset({"ACCURACY", "BALANCED_ACCURACY", "PRECISION", "RECALL", "F1",
                                    "ROC_AUC", "PR_AUC", "LOG_LOSS"})
PROBABILITY_METRICS = frozenset({"ROC_AUC", "PR_AUC", "LOG_LOSS"})


# Where a RAG task's schema puts the user input and the retrieved contexts: their own roles, or
# INPUT columns with the RAG sub-roles.
_RAG_ROLES = {"USER_INPUT": ("USER_INPUT", "RAG_USER_INPUT"),
              "RETRIEVED_CONTEXT": ("RETRIEVED_CONTEXT", "RAG_RETRIEVED_CONTEXT")}


def rag_column_target(column: dict) -> str:
    """The RAG target a schema column (Column.to_json) belongs to: USER_INPUT,
    RETRIEVED_CONTEXT, or "" for none."""
    for target, (role, sub_role) in _RAG_ROLES.items():
        if column.get("role") == role or (column.get("role") == "INPUT"
                                          and column.get("sub_role") == sub_role):
            return target
    return ""
