import datetime

from driftline.data.v1 import batch_pb2 as _batch_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UploadHeader(_message.Message):
    __slots__ = ("task_id", "project_id", "kpi_id", "kind", "request_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    project_id: str
    kpi_id: str
    kind: _batch_pb2.BatchKind
    request_id: str
    def __init__(self, task_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kpi_id: _Optional[str] = ..., kind: _Optional[_Union[_batch_pb2.BatchKind, str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class PartHeader(_message.Message):
    __slots__ = ("kind", "model_id", "format", "size_bytes")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    kind: _batch_pb2.PartKind
    model_id: str
    format: _batch_pb2.DataFormat
    size_bytes: int
    def __init__(self, kind: _Optional[_Union[_batch_pb2.PartKind, str]] = ..., model_id: _Optional[str] = ..., format: _Optional[_Union[_batch_pb2.DataFormat, str]] = ..., size_bytes: _Optional[int] = ...) -> None: ...

class UploadBatchRequest(_message.Message):
    __slots__ = ("header", "part", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: UploadHeader
    part: PartHeader
    chunk: bytes
    def __init__(self, header: _Optional[_Union[UploadHeader, _Mapping]] = ..., part: _Optional[_Union[PartHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class UploadBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: _batch_pb2.Batch
    def __init__(self, batch: _Optional[_Union[_batch_pb2.Batch, _Mapping]] = ...) -> None: ...

class GetBatchRequest(_message.Message):
    __slots__ = ("batch_id",)
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    def __init__(self, batch_id: _Optional[str] = ...) -> None: ...

class GetBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: _batch_pb2.Batch
    def __init__(self, batch: _Optional[_Union[_batch_pb2.Batch, _Mapping]] = ...) -> None: ...

class ListBatchesRequest(_message.Message):
    __slots__ = ("task_id", "project_id", "kpi_id", "kinds", "states", "from_time", "to_time", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    project_id: str
    kpi_id: str
    kinds: _containers.RepeatedScalarFieldContainer[_batch_pb2.BatchKind]
    states: _containers.RepeatedScalarFieldContainer[_batch_pb2.BatchState]
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kpi_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[_batch_pb2.BatchKind, str]]] = ..., states: _Optional[_Iterable[_Union[_batch_pb2.BatchState, str]]] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBatchesResponse(_message.Message):
    __slots__ = ("batches", "next_page_token")
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    batches: _containers.RepeatedCompositeFieldContainer[_batch_pb2.Batch]
    next_page_token: str
    def __init__(self, batches: _Optional[_Iterable[_Union[_batch_pb2.Batch, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReadBatchRequest(_message.Message):
    __slots__ = ("batch_id", "columns")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    columns: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, batch_id: _Optional[str] = ..., columns: _Optional[_Iterable[str]] = ...) -> None: ...

class ReadBatchResponse(_message.Message):
    __slots__ = ("arrow_ipc",)
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    arrow_ipc: bytes
    def __init__(self, arrow_ipc: _Optional[bytes] = ...) -> None: ...

class ReadSamplesRequest(_message.Message):
    __slots__ = ("task_id", "kinds", "from_time", "to_time", "columns", "batch_ids")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    BATCH_IDS_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    kinds: _containers.RepeatedScalarFieldContainer[_batch_pb2.BatchKind]
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    columns: _containers.RepeatedScalarFieldContainer[str]
    batch_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, task_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[_batch_pb2.BatchKind, str]]] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., columns: _Optional[_Iterable[str]] = ..., batch_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ReadSamplesResponse(_message.Message):
    __slots__ = ("arrow_ipc",)
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    arrow_ipc: bytes
    def __init__(self, arrow_ipc: _Optional[bytes] = ...) -> None: ...

class GetDataSummaryRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class GetDataSummaryResponse(_message.Message):
    __slots__ = ("summary",)
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    summary: _batch_pb2.DataSummary
    def __init__(self, summary: _Optional[_Union[_batch_pb2.DataSummary, _Mapping]] = ...) -> None: ...

class CommitBatchRequest(_message.Message):
    __slots__ = ("batch_id",)
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    def __init__(self, batch_id: _Optional[str] = ...) -> None: ...

class CommitBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: _batch_pb2.Batch
    def __init__(self, batch: _Optional[_Union[_batch_pb2.Batch, _Mapping]] = ...) -> None: ...

class FailBatchRequest(_message.Message):
    __slots__ = ("batch_id", "failure_message", "problems")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    failure_message: str
    problems: _containers.RepeatedCompositeFieldContainer[_batch_pb2.BatchProblem]
    def __init__(self, batch_id: _Optional[str] = ..., failure_message: _Optional[str] = ..., problems: _Optional[_Iterable[_Union[_batch_pb2.BatchProblem, _Mapping]]] = ...) -> None: ...

class FailBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: _batch_pb2.Batch
    def __init__(self, batch: _Optional[_Union[_batch_pb2.Batch, _Mapping]] = ...) -> None: ...
