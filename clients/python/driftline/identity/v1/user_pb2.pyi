import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CompanyRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPANY_ROLE_UNSPECIFIED: _ClassVar[CompanyRole]
    COMPANY_ROLE_COMPANY_OWNER: _ClassVar[CompanyRole]
    COMPANY_ROLE_COMPANY_ADMIN: _ClassVar[CompanyRole]
    COMPANY_ROLE_COMPANY_USER: _ClassVar[CompanyRole]
    COMPANY_ROLE_COMPANY_NONE: _ClassVar[CompanyRole]

class ProjectRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROJECT_ROLE_UNSPECIFIED: _ClassVar[ProjectRole]
    PROJECT_ROLE_PROJECT_ADMIN: _ClassVar[ProjectRole]
    PROJECT_ROLE_PROJECT_USER: _ClassVar[ProjectRole]
    PROJECT_ROLE_PROJECT_VIEW: _ClassVar[ProjectRole]
COMPANY_ROLE_UNSPECIFIED: CompanyRole
COMPANY_ROLE_COMPANY_OWNER: CompanyRole
COMPANY_ROLE_COMPANY_ADMIN: CompanyRole
COMPANY_ROLE_COMPANY_USER: CompanyRole
COMPANY_ROLE_COMPANY_NONE: CompanyRole
PROJECT_ROLE_UNSPECIFIED: ProjectRole
PROJECT_ROLE_PROJECT_ADMIN: ProjectRole
PROJECT_ROLE_PROJECT_USER: ProjectRole
PROJECT_ROLE_PROJECT_VIEW: ProjectRole

class User(_message.Message):
    __slots__ = ("id", "name", "surname", "username", "email", "company_id", "company_role", "password_change_required", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SURNAME_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ROLE_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_CHANGE_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    surname: str
    username: str
    email: str
    company_id: str
    company_role: CompanyRole
    password_change_required: bool
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., surname: _Optional[str] = ..., username: _Optional[str] = ..., email: _Optional[str] = ..., company_id: _Optional[str] = ..., company_role: _Optional[_Union[CompanyRole, str]] = ..., password_change_required: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProjectRoleBinding(_message.Message):
    __slots__ = ("project_id", "role")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    role: ProjectRole
    def __init__(self, project_id: _Optional[str] = ..., role: _Optional[_Union[ProjectRole, str]] = ...) -> None: ...

class UserProject(_message.Message):
    __slots__ = ("project_id", "project_name", "project_description", "role")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    project_name: str
    project_description: str
    role: ProjectRole
    def __init__(self, project_id: _Optional[str] = ..., project_name: _Optional[str] = ..., project_description: _Optional[str] = ..., role: _Optional[_Union[ProjectRole, str]] = ...) -> None: ...
