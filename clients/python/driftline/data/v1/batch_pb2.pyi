import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BatchKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BATCH_KIND_UNSPECIFIED: _ClassVar[BatchKind]
    BATCH_KIND_HISTORICAL: _ClassVar[BatchKind]
    BATCH_KIND_PRODUCTION: _ClassVar[BatchKind]
    BATCH_KIND_TARGET: _ClassVar[BatchKind]
    BATCH_KIND_KPI: _ClassVar[BatchKind]

class BatchState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BATCH_STATE_UNSPECIFIED: _ClassVar[BatchState]
    BATCH_STATE_PENDING: _ClassVar[BatchState]
    BATCH_STATE_COMMITTED: _ClassVar[BatchState]
    BATCH_STATE_FAILED: _ClassVar[BatchState]

class DataFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_FORMAT_UNSPECIFIED: _ClassVar[DataFormat]
    DATA_FORMAT_ARROW_IPC_STREAM: _ClassVar[DataFormat]
    DATA_FORMAT_PARQUET: _ClassVar[DataFormat]
    DATA_FORMAT_CSV: _ClassVar[DataFormat]

class PartKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PART_KIND_UNSPECIFIED: _ClassVar[PartKind]
    PART_KIND_INPUTS: _ClassVar[PartKind]
    PART_KIND_TARGET: _ClassVar[PartKind]
    PART_KIND_PREDICTIONS: _ClassVar[PartKind]
    PART_KIND_KPI: _ClassVar[PartKind]
BATCH_KIND_UNSPECIFIED: BatchKind
BATCH_KIND_HISTORICAL: BatchKind
BATCH_KIND_PRODUCTION: BatchKind
BATCH_KIND_TARGET: BatchKind
BATCH_KIND_KPI: BatchKind
BATCH_STATE_UNSPECIFIED: BatchState
BATCH_STATE_PENDING: BatchState
BATCH_STATE_COMMITTED: BatchState
BATCH_STATE_FAILED: BatchState
DATA_FORMAT_UNSPECIFIED: DataFormat
DATA_FORMAT_ARROW_IPC_STREAM: DataFormat
DATA_FORMAT_PARQUET: DataFormat
DATA_FORMAT_CSV: DataFormat
PART_KIND_UNSPECIFIED: PartKind
PART_KIND_INPUTS: PartKind
PART_KIND_TARGET: PartKind
PART_KIND_PREDICTIONS: PartKind
PART_KIND_KPI: PartKind

class BatchPart(_message.Message):
    __slots__ = ("kind", "model_id", "format", "size_bytes")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    kind: PartKind
    model_id: str
    format: DataFormat
    size_bytes: int
    def __init__(self, kind: _Optional[_Union[PartKind, str]] = ..., model_id: _Optional[str] = ..., format: _Optional[_Union[DataFormat, str]] = ..., size_bytes: _Optional[int] = ...) -> None: ...

class BatchProblem(_message.Message):
    __slots__ = ("code", "column", "part", "model_id", "message", "rows", "values", "row_count")
    CODE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    code: str
    column: str
    part: PartKind
    model_id: str
    message: str
    rows: _containers.RepeatedScalarFieldContainer[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    row_count: int
    def __init__(self, code: _Optional[str] = ..., column: _Optional[str] = ..., part: _Optional[_Union[PartKind, str]] = ..., model_id: _Optional[str] = ..., message: _Optional[str] = ..., rows: _Optional[_Iterable[int]] = ..., values: _Optional[_Iterable[str]] = ..., row_count: _Optional[int] = ...) -> None: ...

class Batch(_message.Message):
    __slots__ = ("id", "task_id", "project_id", "kpi_id", "kind", "state", "ingestion_job_id", "parts", "schema_version", "row_count", "first_sample_time", "last_sample_time", "stored_bytes", "problems", "failure_message", "request_id", "creator_id", "create_time", "finish_time", "labelled_batch_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    INGESTION_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_VERSION_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    FIRST_SAMPLE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SAMPLE_TIME_FIELD_NUMBER: _ClassVar[int]
    STORED_BYTES_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    LABELLED_BATCH_IDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    task_id: str
    project_id: str
    kpi_id: str
    kind: BatchKind
    state: BatchState
    ingestion_job_id: str
    parts: _containers.RepeatedCompositeFieldContainer[BatchPart]
    schema_version: int
    row_count: int
    first_sample_time: _timestamp_pb2.Timestamp
    last_sample_time: _timestamp_pb2.Timestamp
    stored_bytes: int
    problems: _containers.RepeatedCompositeFieldContainer[BatchProblem]
    failure_message: str
    request_id: str
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    labelled_batch_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., task_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kpi_id: _Optional[str] = ..., kind: _Optional[_Union[BatchKind, str]] = ..., state: _Optional[_Union[BatchState, str]] = ..., ingestion_job_id: _Optional[str] = ..., parts: _Optional[_Iterable[_Union[BatchPart, _Mapping]]] = ..., schema_version: _Optional[int] = ..., row_count: _Optional[int] = ..., first_sample_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_sample_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stored_bytes: _Optional[int] = ..., problems: _Optional[_Iterable[_Union[BatchProblem, _Mapping]]] = ..., failure_message: _Optional[str] = ..., request_id: _Optional[str] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., labelled_batch_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class KindSummary(_message.Message):
    __slots__ = ("kind", "batch_count", "row_count", "first_sample_time", "last_sample_time")
    KIND_FIELD_NUMBER: _ClassVar[int]
    BATCH_COUNT_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    FIRST_SAMPLE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SAMPLE_TIME_FIELD_NUMBER: _ClassVar[int]
    kind: BatchKind
    batch_count: int
    row_count: int
    first_sample_time: _timestamp_pb2.Timestamp
    last_sample_time: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[_Union[BatchKind, str]] = ..., batch_count: _Optional[int] = ..., row_count: _Optional[int] = ..., first_sample_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_sample_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DataSummary(_message.Message):
    __slots__ = ("task_id", "kinds", "pending_batch_count", "failed_batch_count", "labelled_sample_count")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    PENDING_BATCH_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILED_BATCH_COUNT_FIELD_NUMBER: _ClassVar[int]
    LABELLED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    kinds: _containers.RepeatedCompositeFieldContainer[KindSummary]
    pending_batch_count: int
    failed_batch_count: int
    labelled_sample_count: int
    def __init__(self, task_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[KindSummary, _Mapping]]] = ..., pending_batch_count: _Optional[int] = ..., failed_batch_count: _Optional[int] = ..., labelled_sample_count: _Optional[int] = ...) -> None: ...
