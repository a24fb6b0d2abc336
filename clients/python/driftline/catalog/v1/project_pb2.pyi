import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StoragePolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STORAGE_POLICY_UNSPECIFIED: _ClassVar[StoragePolicy]
    STORAGE_POLICY_DRIFTLINE: _ClassVar[StoragePolicy]
    STORAGE_POLICY_CUSTOMER: _ClassVar[StoragePolicy]
STORAGE_POLICY_UNSPECIFIED: StoragePolicy
STORAGE_POLICY_DRIFTLINE: StoragePolicy
STORAGE_POLICY_CUSTOMER: StoragePolicy

class Project(_message.Message):
    __slots__ = ("id", "company_id", "name", "description", "default_storage_policy", "create_time", "update_time", "data_storage_uri")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_STORAGE_POLICY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DATA_STORAGE_URI_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    name: str
    description: str
    default_storage_policy: StoragePolicy
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    data_storage_uri: str
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., default_storage_policy: _Optional[_Union[StoragePolicy, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., data_storage_uri: _Optional[str] = ...) -> None: ...
