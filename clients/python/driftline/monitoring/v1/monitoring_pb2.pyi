import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MonitoringTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MONITORING_TARGET_UNSPECIFIED: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_INPUT: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_CONCEPT: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_PREDICTION: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_INPUT_PREDICTION: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_ERROR: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_USER_INPUT: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_RETRIEVED_CONTEXT: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_USER_INPUT_RETRIEVED_CONTEXT: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_USER_INPUT_MODEL_OUTPUT: _ClassVar[MonitoringTarget]
    MONITORING_TARGET_MODEL_OUTPUT_RETRIEVED_CONTEXT: _ClassVar[MonitoringTarget]

class MonitoringMetric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MONITORING_METRIC_UNSPECIFIED: _ClassVar[MonitoringMetric]
    MONITORING_METRIC_FEATURE: _ClassVar[MonitoringMetric]
    MONITORING_METRIC_TEXT_LENGTH: _ClassVar[MonitoringMetric]
    MONITORING_METRIC_MODEL_ENTROPY: _ClassVar[MonitoringMetric]
    MONITORING_METRIC_LOG_LIKELIHOOD: _ClassVar[MonitoringMetric]

class MonitoringEvaluationMetric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MONITORING_EVALUATION_METRIC_UNSPECIFIED: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_ACCURACY: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_BALANCED_ACCURACY: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_PRECISION: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_RECALL: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_F1: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_ROC_AUC: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_PR_AUC: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_LOG_LOSS: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_MAE: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_RMSE: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_MAPE: _ClassVar[MonitoringEvaluationMetric]
    MONITORING_EVALUATION_METRIC_R_SQUARED: _ClassVar[MonitoringEvaluationMetric]

class MonitoringStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MONITORING_STATUS_UNSPECIFIED: _ClassVar[MonitoringStatus]
    MONITORING_STATUS_OK: _ClassVar[MonitoringStatus]
    MONITORING_STATUS_WARNING: _ClassVar[MonitoringStatus]
    MONITORING_STATUS_DRIFT: _ClassVar[MonitoringStatus]

class DetectionEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DETECTION_EVENT_TYPE_UNSPECIFIED: _ClassVar[DetectionEventType]
    DETECTION_EVENT_TYPE_WARNING_ON: _ClassVar[DetectionEventType]
    DETECTION_EVENT_TYPE_WARNING_OFF: _ClassVar[DetectionEventType]
    DETECTION_EVENT_TYPE_DRIFT_ON: _ClassVar[DetectionEventType]
    DETECTION_EVENT_TYPE_DRIFT_OFF: _ClassVar[DetectionEventType]

class DetectionEventSeverity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DETECTION_EVENT_SEVERITY_UNSPECIFIED: _ClassVar[DetectionEventSeverity]
    DETECTION_EVENT_SEVERITY_LOW: _ClassVar[DetectionEventSeverity]
    DETECTION_EVENT_SEVERITY_MEDIUM: _ClassVar[DetectionEventSeverity]
    DETECTION_EVENT_SEVERITY_HIGH: _ClassVar[DetectionEventSeverity]

class KpiStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KPI_STATUS_UNSPECIFIED: _ClassVar[KpiStatus]
    KPI_STATUS_NOT_INITIALIZED: _ClassVar[KpiStatus]
    KPI_STATUS_OK: _ClassVar[KpiStatus]
    KPI_STATUS_WARNING: _ClassVar[KpiStatus]
    KPI_STATUS_DRIFT: _ClassVar[KpiStatus]

class ModelReferenceState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_REFERENCE_STATE_UNSPECIFIED: _ClassVar[ModelReferenceState]
    MODEL_REFERENCE_STATE_PENDING: _ClassVar[ModelReferenceState]
    MODEL_REFERENCE_STATE_COMPLETE: _ClassVar[ModelReferenceState]
    MODEL_REFERENCE_STATE_FAILED: _ClassVar[ModelReferenceState]
MONITORING_TARGET_UNSPECIFIED: MonitoringTarget
MONITORING_TARGET_INPUT: MonitoringTarget
MONITORING_TARGET_CONCEPT: MonitoringTarget
MONITORING_TARGET_PREDICTION: MonitoringTarget
MONITORING_TARGET_INPUT_PREDICTION: MonitoringTarget
MONITORING_TARGET_ERROR: MonitoringTarget
MONITORING_TARGET_USER_INPUT: MonitoringTarget
MONITORING_TARGET_RETRIEVED_CONTEXT: MonitoringTarget
MONITORING_TARGET_USER_INPUT_RETRIEVED_CONTEXT: MonitoringTarget
MONITORING_TARGET_USER_INPUT_MODEL_OUTPUT: MonitoringTarget
MONITORING_TARGET_MODEL_OUTPUT_RETRIEVED_CONTEXT: MonitoringTarget
MONITORING_METRIC_UNSPECIFIED: MonitoringMetric
MONITORING_METRIC_FEATURE: MonitoringMetric
MONITORING_METRIC_TEXT_LENGTH: MonitoringMetric
MONITORING_METRIC_MODEL_ENTROPY: MonitoringMetric
MONITORING_METRIC_LOG_LIKELIHOOD: MonitoringMetric
MONITORING_EVALUATION_METRIC_UNSPECIFIED: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_ACCURACY: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_BALANCED_ACCURACY: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_PRECISION: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_RECALL: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_F1: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_ROC_AUC: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_PR_AUC: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_LOG_LOSS: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_MAE: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_RMSE: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_MAPE: MonitoringEvaluationMetric
MONITORING_EVALUATION_METRIC_R_SQUARED: MonitoringEvaluationMetric
MONITORING_STATUS_UNSPECIFIED: MonitoringStatus
MONITORING_STATUS_OK: MonitoringStatus
MONITORING_STATUS_WARNING: MonitoringStatus
MONITORING_STATUS_DRIFT: MonitoringStatus
DETECTION_EVENT_TYPE_UNSPECIFIED: DetectionEventType
DETECTION_EVENT_TYPE_WARNING_ON: DetectionEventType
DETECTION_EVENT_TYPE_WARNING_OFF: DetectionEventType
DETECTION_EVENT_TYPE_DRIFT_ON: DetectionEventType
DETECTION_EVENT_TYPE_DRIFT_OFF: DetectionEventType
DETECTION_EVENT_SEVERITY_UNSPECIFIED: DetectionEventSeverity
DETECTION_EVENT_SEVERITY_LOW: DetectionEventSeverity
DETECTION_EVENT_SEVERITY_MEDIUM: DetectionEventSeverity
DETECTION_EVENT_SEVERITY_HIGH: DetectionEventSeverity
KPI_STATUS_UNSPECIFIED: KpiStatus
KPI_STATUS_NOT_INITIALIZED: KpiStatus
KPI_STATUS_OK: KpiStatus
KPI_STATUS_WARNING: KpiStatus
KPI_STATUS_DRIFT: KpiStatus
MODEL_REFERENCE_STATE_UNSPECIFIED: ModelReferenceState
MODEL_REFERENCE_STATE_PENDING: ModelReferenceState
MODEL_REFERENCE_STATE_COMPLETE: ModelReferenceState
MODEL_REFERENCE_STATE_FAILED: ModelReferenceState

class MonitoredQuantity(_message.Message):
    __slots__ = ("target", "metric", "feature", "columns", "statistic", "detector", "warning_threshold", "drift_threshold", "warning_mean_run_length", "drift_mean_run_length", "sample_count")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    STATISTIC_FIELD_NUMBER: _ClassVar[int]
    DETECTOR_FIELD_NUMBER: _ClassVar[int]
    WARNING_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    DRIFT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    WARNING_MEAN_RUN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    DRIFT_MEAN_RUN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    target: MonitoringTarget
    metric: MonitoringMetric
    feature: str
    columns: _containers.RepeatedScalarFieldContainer[str]
    statistic: str
    detector: str
    warning_threshold: float
    drift_threshold: float
    warning_mean_run_length: float
    drift_mean_run_length: float
    sample_count: int
    def __init__(self, target: _Optional[_Union[MonitoringTarget, str]] = ..., metric: _Optional[_Union[MonitoringMetric, str]] = ..., feature: _Optional[str] = ..., columns: _Optional[_Iterable[str]] = ..., statistic: _Optional[str] = ..., detector: _Optional[str] = ..., warning_threshold: _Optional[float] = ..., drift_threshold: _Optional[float] = ..., warning_mean_run_length: _Optional[float] = ..., drift_mean_run_length: _Optional[float] = ..., sample_count: _Optional[int] = ...) -> None: ...

class SkippedTarget(_message.Message):
    __slots__ = ("target", "reason")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    target: MonitoringTarget
    reason: str
    def __init__(self, target: _Optional[_Union[MonitoringTarget, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class ModelReference(_message.Message):
    __slots__ = ("id", "model_id", "task_id", "version", "state", "active", "from_time", "to_time", "job_id", "sample_count", "labelled_sample_count", "target_drift_mean_run_length", "target_warning_mean_run_length", "batches_between_false_alarms", "quantities", "skipped_targets", "failure_message", "request_id", "creator_id", "create_time", "finish_time", "suggestion_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    LABELLED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    TARGET_DRIFT_MEAN_RUN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    TARGET_WARNING_MEAN_RUN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    BATCHES_BETWEEN_FALSE_ALARMS_FIELD_NUMBER: _ClassVar[int]
    QUANTITIES_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_TARGETS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    model_id: str
    task_id: str
    version: int
    state: ModelReferenceState
    active: bool
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    job_id: str
    sample_count: int
    labelled_sample_count: int
    target_drift_mean_run_length: float
    target_warning_mean_run_length: float
    batches_between_false_alarms: float
    quantities: _containers.RepeatedCompositeFieldContainer[MonitoredQuantity]
    skipped_targets: _containers.RepeatedCompositeFieldContainer[SkippedTarget]
    failure_message: str
    request_id: str
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    suggestion_id: str
    def __init__(self, id: _Optional[str] = ..., model_id: _Optional[str] = ..., task_id: _Optional[str] = ..., version: _Optional[int] = ..., state: _Optional[_Union[ModelReferenceState, str]] = ..., active: _Optional[bool] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., job_id: _Optional[str] = ..., sample_count: _Optional[int] = ..., labelled_sample_count: _Optional[int] = ..., target_drift_mean_run_length: _Optional[float] = ..., target_warning_mean_run_length: _Optional[float] = ..., batches_between_false_alarms: _Optional[float] = ..., quantities: _Optional[_Iterable[_Union[MonitoredQuantity, _Mapping]]] = ..., skipped_targets: _Optional[_Iterable[_Union[SkippedTarget, _Mapping]]] = ..., failure_message: _Optional[str] = ..., request_id: _Optional[str] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., suggestion_id: _Optional[str] = ...) -> None: ...

class ColumnDrift(_message.Message):
    __slots__ = ("column", "test", "statistic", "p_value", "adjusted_p_value", "effect_size", "effect_measure", "sample_count")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    TEST_FIELD_NUMBER: _ClassVar[int]
    STATISTIC_FIELD_NUMBER: _ClassVar[int]
    P_VALUE_FIELD_NUMBER: _ClassVar[int]
    ADJUSTED_P_VALUE_FIELD_NUMBER: _ClassVar[int]
    EFFECT_SIZE_FIELD_NUMBER: _ClassVar[int]
    EFFECT_MEASURE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    column: str
    test: str
    statistic: float
    p_value: float
    adjusted_p_value: float
    effect_size: float
    effect_measure: str
    sample_count: int
    def __init__(self, column: _Optional[str] = ..., test: _Optional[str] = ..., statistic: _Optional[float] = ..., p_value: _Optional[float] = ..., adjusted_p_value: _Optional[float] = ..., effect_size: _Optional[float] = ..., effect_measure: _Optional[str] = ..., sample_count: _Optional[int] = ...) -> None: ...

class DetectionEvent(_message.Message):
    __slots__ = ("id", "sequence", "task_id", "project_id", "type", "target", "metric", "feature", "evaluation_metric", "severity", "model_id", "model_name", "model_version", "reference_id", "batch_id", "previous_status", "status", "sample_id", "sample_time", "statistics", "explanation", "user_feedback", "create_time", "kpi_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_METRIC_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATISTICS_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    USER_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    sequence: int
    task_id: str
    project_id: str
    type: DetectionEventType
    target: MonitoringTarget
    metric: MonitoringMetric
    feature: str
    evaluation_metric: MonitoringEvaluationMetric
    severity: DetectionEventSeverity
    model_id: str
    model_name: str
    model_version: str
    reference_id: str
    batch_id: str
    previous_status: MonitoringStatus
    status: MonitoringStatus
    sample_id: str
    sample_time: _timestamp_pb2.Timestamp
    statistics: _struct_pb2.Struct
    explanation: _containers.RepeatedCompositeFieldContainer[ColumnDrift]
    user_feedback: bool
    create_time: _timestamp_pb2.Timestamp
    kpi_id: str
    def __init__(self, id: _Optional[str] = ..., sequence: _Optional[int] = ..., task_id: _Optional[str] = ..., project_id: _Optional[str] = ..., type: _Optional[_Union[DetectionEventType, str]] = ..., target: _Optional[_Union[MonitoringTarget, str]] = ..., metric: _Optional[_Union[MonitoringMetric, str]] = ..., feature: _Optional[str] = ..., evaluation_metric: _Optional[_Union[MonitoringEvaluationMetric, str]] = ..., severity: _Optional[_Union[DetectionEventSeverity, str]] = ..., model_id: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[str] = ..., reference_id: _Optional[str] = ..., batch_id: _Optional[str] = ..., previous_status: _Optional[_Union[MonitoringStatus, str]] = ..., status: _Optional[_Union[MonitoringStatus, str]] = ..., sample_id: _Optional[str] = ..., sample_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., statistics: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., explanation: _Optional[_Iterable[_Union[ColumnDrift, _Mapping]]] = ..., user_feedback: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kpi_id: _Optional[str] = ...) -> None: ...

class MonitoringQuantityStatus(_message.Message):
    __slots__ = ("target", "metric", "feature", "status", "model_id", "model_name", "model_version", "reference_id", "status_time", "last_batch_id", "update_time", "evaluation_metric")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_METRIC_FIELD_NUMBER: _ClassVar[int]
    target: MonitoringTarget
    metric: MonitoringMetric
    feature: str
    status: MonitoringStatus
    model_id: str
    model_name: str
    model_version: str
    reference_id: str
    status_time: _timestamp_pb2.Timestamp
    last_batch_id: str
    update_time: _timestamp_pb2.Timestamp
    evaluation_metric: MonitoringEvaluationMetric
    def __init__(self, target: _Optional[_Union[MonitoringTarget, str]] = ..., metric: _Optional[_Union[MonitoringMetric, str]] = ..., feature: _Optional[str] = ..., status: _Optional[_Union[MonitoringStatus, str]] = ..., model_id: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[str] = ..., reference_id: _Optional[str] = ..., status_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_batch_id: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., evaluation_metric: _Optional[_Union[MonitoringEvaluationMetric, str]] = ...) -> None: ...

class KpiMonitoringStatus(_message.Message):
    __slots__ = ("kpi_id", "status", "status_time", "reference_value_count", "required_value_count", "last_batch_id", "update_time")
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_TIME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_VALUE_COUNT_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_VALUE_COUNT_FIELD_NUMBER: _ClassVar[int]
    LAST_BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    kpi_id: str
    status: KpiStatus
    status_time: _timestamp_pb2.Timestamp
    reference_value_count: int
    required_value_count: int
    last_batch_id: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, kpi_id: _Optional[str] = ..., status: _Optional[_Union[KpiStatus, str]] = ..., status_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reference_value_count: _Optional[int] = ..., required_value_count: _Optional[int] = ..., last_batch_id: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EvaluationMetricThreshold(_message.Message):
    __slots__ = ("model_id", "evaluation_metric", "warning_threshold", "drift_threshold", "update_time")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_METRIC_FIELD_NUMBER: _ClassVar[int]
    WARNING_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    DRIFT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    evaluation_metric: MonitoringEvaluationMetric
    warning_threshold: float
    drift_threshold: float
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, model_id: _Optional[str] = ..., evaluation_metric: _Optional[_Union[MonitoringEvaluationMetric, str]] = ..., warning_threshold: _Optional[float] = ..., drift_threshold: _Optional[float] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
