import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApiKeyExpirationTime(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    API_KEY_EXPIRATION_TIME_UNSPECIFIED: _ClassVar[ApiKeyExpirationTime]
    API_KEY_EXPIRATION_TIME_ONE_MONTH: _ClassVar[ApiKeyExpirationTime]
    API_KEY_EXPIRATION_TIME_THREE_MONTHS: _ClassVar[ApiKeyExpirationTime]
    API_KEY_EXPIRATION_TIME_SIX_MONTHS: _ClassVar[ApiKeyExpirationTime]
    API_KEY_EXPIRATION_TIME_ONE_YEAR: _ClassVar[ApiKeyExpirationTime]
    API_KEY_EXPIRATION_TIME_NEVER: _ClassVar[ApiKeyExpirationTime]
API_KEY_EXPIRATION_TIME_UNSPECIFIED: ApiKeyExpirationTime
API_KEY_EXPIRATION_TIME_ONE_MONTH: ApiKeyExpirationTime
API_KEY_EXPIRATION_TIME_THREE_MONTHS: ApiKeyExpirationTime
API_KEY_EXPIRATION_TIME_SIX_MONTHS: ApiKeyExpirationTime
API_KEY_EXPIRATION_TIME_ONE_YEAR: ApiKeyExpirationTime
API_KEY_EXPIRATION_TIME_NEVER: ApiKeyExpirationTime

class ApiKey(_message.Message):
    __slots__ = ("id", "prefix", "name", "user_id", "expiration_time", "create_time", "expire_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    prefix: str
    name: str
    user_id: str
    expiration_time: ApiKeyExpirationTime
    create_time: _timestamp_pb2.Timestamp
    expire_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., prefix: _Optional[str] = ..., name: _Optional[str] = ..., user_id: _Optional[str] = ..., expiration_time: _Optional[_Union[ApiKeyExpirationTime, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
