import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ModelSessionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_SESSION_STATE_UNSPECIFIED: _ClassVar[ModelSessionState]
    MODEL_SESSION_STATE_QUEUED: _ClassVar[ModelSessionState]
    MODEL_SESSION_STATE_BUILDING_MODELS: _ClassVar[ModelSessionState]
    MODEL_SESSION_STATE_GENERATING_CANDIDATES: _ClassVar[ModelSessionState]
    MODEL_SESSION_STATE_COMPLETE: _ClassVar[ModelSessionState]
    MODEL_SESSION_STATE_ERROR: _ClassVar[ModelSessionState]

class ModelSessionCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_SESSION_CATEGORY_UNSPECIFIED: _ClassVar[ModelSessionCategory]
    MODEL_SESSION_CATEGORY_USER_MODEL: _ClassVar[ModelSessionCategory]
    MODEL_SESSION_CATEGORY_PLATFORM_MODEL: _ClassVar[ModelSessionCategory]

class ModelSessionView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_SESSION_VIEW_UNSPECIFIED: _ClassVar[ModelSessionView]
    MODEL_SESSION_VIEW_BASIC: _ClassVar[ModelSessionView]
    MODEL_SESSION_VIEW_FULL: _ClassVar[ModelSessionView]

class BuildLogLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUILD_LOG_LEVEL_UNSPECIFIED: _ClassVar[BuildLogLevel]
    BUILD_LOG_LEVEL_DEBUG: _ClassVar[BuildLogLevel]
    BUILD_LOG_LEVEL_INFO: _ClassVar[BuildLogLevel]
    BUILD_LOG_LEVEL_WARNING: _ClassVar[BuildLogLevel]
    BUILD_LOG_LEVEL_ERROR: _ClassVar[BuildLogLevel]

class BuiltModelType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUILT_MODEL_TYPE_UNSPECIFIED: _ClassVar[BuiltModelType]
    BUILT_MODEL_TYPE_SESSION: _ClassVar[BuiltModelType]
    BUILT_MODEL_TYPE_DETACHED: _ClassVar[BuiltModelType]

class ModelSessionEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_SESSION_EVENT_TYPE_UNSPECIFIED: _ClassVar[ModelSessionEventType]
    MODEL_SESSION_EVENT_TYPE_STATE_CHANGED: _ClassVar[ModelSessionEventType]
    MODEL_SESSION_EVENT_TYPE_DELETED: _ClassVar[ModelSessionEventType]
MODEL_SESSION_STATE_UNSPECIFIED: ModelSessionState
MODEL_SESSION_STATE_QUEUED: ModelSessionState
MODEL_SESSION_STATE_BUILDING_MODELS: ModelSessionState
MODEL_SESSION_STATE_GENERATING_CANDIDATES: ModelSessionState
MODEL_SESSION_STATE_COMPLETE: ModelSessionState
MODEL_SESSION_STATE_ERROR: ModelSessionState
MODEL_SESSION_CATEGORY_UNSPECIFIED: ModelSessionCategory
MODEL_SESSION_CATEGORY_USER_MODEL: ModelSessionCategory
MODEL_SESSION_CATEGORY_PLATFORM_MODEL: ModelSessionCategory
MODEL_SESSION_VIEW_UNSPECIFIED: ModelSessionView
MODEL_SESSION_VIEW_BASIC: ModelSessionView
MODEL_SESSION_VIEW_FULL: ModelSessionView
BUILD_LOG_LEVEL_UNSPECIFIED: BuildLogLevel
BUILD_LOG_LEVEL_DEBUG: BuildLogLevel
BUILD_LOG_LEVEL_INFO: BuildLogLevel
BUILD_LOG_LEVEL_WARNING: BuildLogLevel
BUILD_LOG_LEVEL_ERROR: BuildLogLevel
BUILT_MODEL_TYPE_UNSPECIFIED: BuiltModelType
BUILT_MODEL_TYPE_SESSION: BuiltModelType
BUILT_MODEL_TYPE_DETACHED: BuiltModelType
MODEL_SESSION_EVENT_TYPE_UNSPECIFIED: ModelSessionEventType
MODEL_SESSION_EVENT_TYPE_STATE_CHANGED: ModelSessionEventType
MODEL_SESSION_EVENT_TYPE_DELETED: ModelSessionEventType

class BuildLogEntry(_message.Message):
    __slots__ = ("time", "level", "message")
    TIME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    time: _timestamp_pb2.Timestamp
    level: BuildLogLevel
    message: str
    def __init__(self, time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., level: _Optional[_Union[BuildLogLevel, str]] = ..., message: _Optional[str] = ...) -> None: ...

class ModelSessionRegistry(_message.Message):
    __slots__ = ("build_logs", "build_log_count", "metrics")
    class MetricsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    BUILD_LOGS_FIELD_NUMBER: _ClassVar[int]
    BUILD_LOG_COUNT_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    build_logs: _containers.RepeatedCompositeFieldContainer[BuildLogEntry]
    build_log_count: int
    metrics: _containers.ScalarMap[str, float]
    def __init__(self, build_logs: _Optional[_Iterable[_Union[BuildLogEntry, _Mapping]]] = ..., build_log_count: _Optional[int] = ..., metrics: _Optional[_Mapping[str, float]] = ...) -> None: ...

class ModelSession(_message.Message):
    __slots__ = ("id", "project_id", "name", "dataset_id", "category", "targets", "metadata", "state", "start_time", "end_time", "total_duration", "default_model_id", "model_count", "registry", "creator_id", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DURATION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_COUNT_FIELD_NUMBER: _ClassVar[int]
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    project_id: str
    name: str
    dataset_id: str
    category: ModelSessionCategory
    targets: _containers.RepeatedScalarFieldContainer[str]
    metadata: _struct_pb2.Struct
    state: ModelSessionState
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    total_duration: _duration_pb2.Duration
    default_model_id: str
    model_count: int
    registry: ModelSessionRegistry
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ..., dataset_id: _Optional[str] = ..., category: _Optional[_Union[ModelSessionCategory, str]] = ..., targets: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., state: _Optional[_Union[ModelSessionState, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., total_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., default_model_id: _Optional[str] = ..., model_count: _Optional[int] = ..., registry: _Optional[_Union[ModelSessionRegistry, _Mapping]] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BuiltModel(_message.Message):
    __slots__ = ("id", "project_id", "model_session_id", "type", "name", "dataset_id", "targets", "metadata", "state", "start_time", "end_time", "total_duration", "binary_key", "creator_id", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DURATION_FIELD_NUMBER: _ClassVar[int]
    BINARY_KEY_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    project_id: str
    model_session_id: str
    type: BuiltModelType
    name: str
    dataset_id: str
    targets: _containers.RepeatedScalarFieldContainer[str]
    metadata: _struct_pb2.Struct
    state: ModelSessionState
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    total_duration: _duration_pb2.Duration
    binary_key: str
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., project_id: _Optional[str] = ..., model_session_id: _Optional[str] = ..., type: _Optional[_Union[BuiltModelType, str]] = ..., name: _Optional[str] = ..., dataset_id: _Optional[str] = ..., targets: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., state: _Optional[_Union[ModelSessionState, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., total_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., binary_key: _Optional[str] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ModelSessionEvent(_message.Message):
    __slots__ = ("sequence", "type", "model_session_id", "project_id", "state", "previous_state", "start_time", "end_time", "total_duration", "event_time")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DURATION_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    type: ModelSessionEventType
    model_session_id: str
    project_id: str
    state: ModelSessionState
    previous_state: ModelSessionState
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    total_duration: _duration_pb2.Duration
    event_time: _timestamp_pb2.Timestamp
    def __init__(self, sequence: _Optional[int] = ..., type: _Optional[_Union[ModelSessionEventType, str]] = ..., model_session_id: _Optional[str] = ..., project_id: _Optional[str] = ..., state: _Optional[_Union[ModelSessionState, str]] = ..., previous_state: _Optional[_Union[ModelSessionState, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., total_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
