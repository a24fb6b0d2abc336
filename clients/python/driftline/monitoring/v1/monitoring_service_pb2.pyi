import datetime

from driftline.monitoring.v1 import monitoring_pb2 as _monitoring_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SetModelReferenceRequest(_message.Message):
    __slots__ = ("model_id", "from_time", "to_time", "request_id")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    request_id: str
    def __init__(self, model_id: _Optional[str] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class SetModelReferenceResponse(_message.Message):
    __slots__ = ("job_id", "reference")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    reference: _monitoring_pb2.ModelReference
    def __init__(self, job_id: _Optional[str] = ..., reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class GetModelReferenceRequest(_message.Message):
    __slots__ = ("model_id", "version")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    version: int
    def __init__(self, model_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetModelReferenceResponse(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: _monitoring_pb2.ModelReference
    def __init__(self, reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class ListModelReferencesRequest(_message.Message):
    __slots__ = ("model_id", "page_size", "page_token")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    page_size: int
    page_token: str
    def __init__(self, model_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelReferencesResponse(_message.Message):
    __slots__ = ("references", "next_page_token")
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    references: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.ModelReference]
    next_page_token: str
    def __init__(self, references: _Optional[_Iterable[_Union[_monitoring_pb2.ModelReference, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CompleteModelReferenceRequest(_message.Message):
    __slots__ = ("reference_id", "sample_count", "labelled_sample_count", "quantities", "skipped_targets", "fitted")
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    LABELLED_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    QUANTITIES_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_TARGETS_FIELD_NUMBER: _ClassVar[int]
    FITTED_FIELD_NUMBER: _ClassVar[int]
    reference_id: str
    sample_count: int
    labelled_sample_count: int
    quantities: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.MonitoredQuantity]
    skipped_targets: _containers.RepeatedCompositeFieldContainer[_monitoring_pb2.SkippedTarget]
    fitted: bytes
    def __init__(self, reference_id: _Optional[str] = ..., sample_count: _Optional[int] = ..., labelled_sample_count: _Optional[int] = ..., quantities: _Optional[_Iterable[_Union[_monitoring_pb2.MonitoredQuantity, _Mapping]]] = ..., skipped_targets: _Optional[_Iterable[_Union[_monitoring_pb2.SkippedTarget, _Mapping]]] = ..., fitted: _Optional[bytes] = ...) -> None: ...

class CompleteModelReferenceResponse(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: _monitoring_pb2.ModelReference
    def __init__(self, reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...

class FailModelReferenceRequest(_message.Message):
    __slots__ = ("reference_id", "failure_message", "sample_count")
    REFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    reference_id: str
    failure_message: str
    sample_count: int
    def __init__(self, reference_id: _Optional[str] = ..., failure_message: _Optional[str] = ..., sample_count: _Optional[int] = ...) -> None: ...

class FailModelReferenceResponse(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: _monitoring_pb2.ModelReference
    def __init__(self, reference: _Optional[_Union[_monitoring_pb2.ModelReference, _Mapping]] = ...) -> None: ...
