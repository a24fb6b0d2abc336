import datetime

from driftline.catalog.v1 import model_pb2 as _model_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RetrainingReportState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RETRAINING_REPORT_STATE_UNSPECIFIED: _ClassVar[RetrainingReportState]
    RETRAINING_REPORT_STATE_PENDING: _ClassVar[RetrainingReportState]
    RETRAINING_REPORT_STATE_COMPLETE: _ClassVar[RetrainingReportState]
    RETRAINING_REPORT_STATE_FAILED: _ClassVar[RetrainingReportState]
RETRAINING_REPORT_STATE_UNSPECIFIED: RetrainingReportState
RETRAINING_REPORT_STATE_PENDING: RetrainingReportState
RETRAINING_REPORT_STATE_COMPLETE: RetrainingReportState
RETRAINING_REPORT_STATE_FAILED: RetrainingReportState

class RetrainingSuggestion(_message.Message):
    __slots__ = ("id", "type", "sample_ids", "weights", "sample_count", "executed", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_IDS_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXECUTED_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: _model_pb2.SuggestionType
    sample_ids: _containers.RepeatedScalarFieldContainer[str]
    weights: _containers.RepeatedScalarFieldContainer[float]
    sample_count: int
    executed: bool
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[_model_pb2.SuggestionType, str]] = ..., sample_ids: _Optional[_Iterable[str]] = ..., weights: _Optional[_Iterable[float]] = ..., sample_count: _Optional[int] = ..., executed: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReweightedColumn(_message.Message):
    __slots__ = ("column", "distance_before", "distance_after", "mean_gap_before", "mean_gap_after", "shifted", "shift_p_value", "gap_closed", "worsened")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_BEFORE_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_AFTER_FIELD_NUMBER: _ClassVar[int]
    MEAN_GAP_BEFORE_FIELD_NUMBER: _ClassVar[int]
    MEAN_GAP_AFTER_FIELD_NUMBER: _ClassVar[int]
    SHIFTED_FIELD_NUMBER: _ClassVar[int]
    SHIFT_P_VALUE_FIELD_NUMBER: _ClassVar[int]
    GAP_CLOSED_FIELD_NUMBER: _ClassVar[int]
    WORSENED_FIELD_NUMBER: _ClassVar[int]
    column: str
    distance_before: float
    distance_after: float
    mean_gap_before: float
    mean_gap_after: float
    shifted: bool
    shift_p_value: float
    gap_closed: float
    worsened: bool
    def __init__(self, column: _Optional[str] = ..., distance_before: _Optional[float] = ..., distance_after: _Optional[float] = ..., mean_gap_before: _Optional[float] = ..., mean_gap_after: _Optional[float] = ..., shifted: _Optional[bool] = ..., shift_p_value: _Optional[float] = ..., gap_closed: _Optional[float] = ..., worsened: _Optional[bool] = ...) -> None: ...

class RetrainingReport(_message.Message):
    __slots__ = ("id", "model_id", "task_id", "state", "job_id", "reference_id", "suggestion", "effective_sample_size", "model_metric_name", "performance_lower_bound", "performance_upper_bound", "bounds_available", "cost_lower_bound", "cost_upper_bound", "method", "method_scores", "diagnostics", "columns", "reference_sample_count", "production_sample_count", "failure_message", "trigger_outcome", "triggered", "weights_help", "gap_closed", "advice", "creator_id", "create_time", "finish_time")
    class BoundsAvailableEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class MethodScoresEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_SAMPLE_SIZE_FIELD_NUMBER: _ClassVar[int]
    MODEL_METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_UPPER_BOUND_FIELD_NUMBER: _ClassVar[int]
    BOUNDS_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    COST_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    COST_UPPER_BOUND_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    METHOD_SCORES_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTICS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    PRODUCTION_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    TRIGGERED_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_HELP_FIELD_NUMBER: _ClassVar[int]
    GAP_CLOSED_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    model_id: str
    task_id: str
    state: RetrainingReportState
    job_id: str
    reference_id: str
    suggestion: RetrainingSuggestion
    effective_sample_size: float
    model_metric_name: str
    performance_lower_bound: float
    performance_upper_bound: float
    bounds_available: _containers.ScalarMap[str, str]
    cost_lower_bound: float
    cost_upper_bound: float
    method: str
    method_scores: _containers.ScalarMap[str, float]
    diagnostics: _struct_pb2.Struct
    columns: _containers.RepeatedCompositeFieldContainer[ReweightedColumn]
    reference_sample_count: int
    production_sample_count: int
    failure_message: str
    trigger_outcome: str
    triggered: bool
    weights_help: bool
    gap_closed: float
    advice: str
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., model_id: _Optional[str] = ..., task_id: _Optional[str] = ..., state: _Optional[_Union[RetrainingReportState, str]] = ..., job_id: _Optional[str] = ..., reference_id: _Optional[str] = ..., suggestion: _Optional[_Union[RetrainingSuggestion, _Mapping]] = ..., effective_sample_size: _Optional[float] = ..., model_metric_name: _Optional[str] = ..., performance_lower_bound: _Optional[float] = ..., performance_upper_bound: _Optional[float] = ..., bounds_available: _Optional[_Mapping[str, str]] = ..., cost_lower_bound: _Optional[float] = ..., cost_upper_bound: _Optional[float] = ..., method: _Optional[str] = ..., method_scores: _Optional[_Mapping[str, float]] = ..., diagnostics: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., columns: _Optional[_Iterable[_Union[ReweightedColumn, _Mapping]]] = ..., reference_sample_count: _Optional[int] = ..., production_sample_count: _Optional[int] = ..., failure_message: _Optional[str] = ..., trigger_outcome: _Optional[str] = ..., triggered: _Optional[bool] = ..., weights_help: _Optional[bool] = ..., gap_closed: _Optional[float] = ..., advice: _Optional[str] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RetrainTrigger(_message.Message):
    __slots__ = ("aws_event_bridge", "gcp_pubsub", "azure_event_grid", "driftline")
    AWS_EVENT_BRIDGE_FIELD_NUMBER: _ClassVar[int]
    GCP_PUBSUB_FIELD_NUMBER: _ClassVar[int]
    AZURE_EVENT_GRID_FIELD_NUMBER: _ClassVar[int]
    DRIFTLINE_FIELD_NUMBER: _ClassVar[int]
    aws_event_bridge: AwsEventBridgeRetrainTrigger
    gcp_pubsub: GcpPubSubRetrainTrigger
    azure_event_grid: AzureEventGridRetrainTrigger
    driftline: DriftlineRetrainTrigger
    def __init__(self, aws_event_bridge: _Optional[_Union[AwsEventBridgeRetrainTrigger, _Mapping]] = ..., gcp_pubsub: _Optional[_Union[GcpPubSubRetrainTrigger, _Mapping]] = ..., azure_event_grid: _Optional[_Union[AzureEventGridRetrainTrigger, _Mapping]] = ..., driftline: _Optional[_Union[DriftlineRetrainTrigger, _Mapping]] = ...) -> None: ...

class DriftlineRetrainTrigger(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AwsEventBridgeRetrainTrigger(_message.Message):
    __slots__ = ("credentials_id", "aws_region_name", "event_bus_name")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    AWS_REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_BUS_NAME_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    aws_region_name: str
    event_bus_name: str
    def __init__(self, credentials_id: _Optional[str] = ..., aws_region_name: _Optional[str] = ..., event_bus_name: _Optional[str] = ...) -> None: ...

class GcpPubSubRetrainTrigger(_message.Message):
    __slots__ = ("credentials_id", "project_id", "topic_name")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_NAME_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    project_id: str
    topic_name: str
    def __init__(self, credentials_id: _Optional[str] = ..., project_id: _Optional[str] = ..., topic_name: _Optional[str] = ...) -> None: ...

class AzureEventGridRetrainTrigger(_message.Message):
    __slots__ = ("credentials_id", "topic_endpoint")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    topic_endpoint: str
    def __init__(self, credentials_id: _Optional[str] = ..., topic_endpoint: _Optional[str] = ...) -> None: ...
