import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlanLimits(_message.Message):
    __slots__ = ("max_projects", "max_tasks", "max_models", "max_users", "max_stored_bytes", "max_concurrent_jobs", "max_calls_per_minute")
    MAX_PROJECTS_FIELD_NUMBER: _ClassVar[int]
    MAX_TASKS_FIELD_NUMBER: _ClassVar[int]
    MAX_MODELS_FIELD_NUMBER: _ClassVar[int]
    MAX_USERS_FIELD_NUMBER: _ClassVar[int]
    MAX_STORED_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENT_JOBS_FIELD_NUMBER: _ClassVar[int]
    MAX_CALLS_PER_MINUTE_FIELD_NUMBER: _ClassVar[int]
    max_projects: int
    max_tasks: int
    max_models: int
    max_users: int
    max_stored_bytes: int
    max_concurrent_jobs: int
    max_calls_per_minute: int
    def __init__(self, max_projects: _Optional[int] = ..., max_tasks: _Optional[int] = ..., max_models: _Optional[int] = ..., max_users: _Optional[int] = ..., max_stored_bytes: _Optional[int] = ..., max_concurrent_jobs: _Optional[int] = ..., max_calls_per_minute: _Optional[int] = ...) -> None: ...

class SubscriptionPlan(_message.Message):
    __slots__ = ("id", "company_id", "name", "limits", "start_time", "end_time", "active")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    name: str
    limits: PlanLimits
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    active: bool
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., name: _Optional[str] = ..., limits: _Optional[_Union[PlanLimits, _Mapping]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., active: _Optional[bool] = ...) -> None: ...
