import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExternalIntegration(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXTERNAL_INTEGRATION_UNSPECIFIED: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_AWS: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_GCP: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_AZURE: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_AWS_COMPATIBLE: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_OPENAI: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_ANTHROPIC: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_AZURE_OPENAI: _ClassVar[ExternalIntegration]
    EXTERNAL_INTEGRATION_GOOGLE_AI: _ClassVar[ExternalIntegration]
EXTERNAL_INTEGRATION_UNSPECIFIED: ExternalIntegration
EXTERNAL_INTEGRATION_AWS: ExternalIntegration
EXTERNAL_INTEGRATION_GCP: ExternalIntegration
EXTERNAL_INTEGRATION_AZURE: ExternalIntegration
EXTERNAL_INTEGRATION_AWS_COMPATIBLE: ExternalIntegration
EXTERNAL_INTEGRATION_OPENAI: ExternalIntegration
EXTERNAL_INTEGRATION_ANTHROPIC: ExternalIntegration
EXTERNAL_INTEGRATION_AZURE_OPENAI: ExternalIntegration
EXTERNAL_INTEGRATION_GOOGLE_AI: ExternalIntegration

class AwsCredentials(_message.Message):
    __slots__ = ("role_arn", "external_id")
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    role_arn: str
    external_id: str
    def __init__(self, role_arn: _Optional[str] = ..., external_id: _Optional[str] = ...) -> None: ...

class AwsCompatibleCredentials(_message.Message):
    __slots__ = ("access_key_id", "masked_secret_access_key", "endpoint_url")
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    MASKED_SECRET_ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_URL_FIELD_NUMBER: _ClassVar[int]
    access_key_id: str
    masked_secret_access_key: str
    endpoint_url: str
    def __init__(self, access_key_id: _Optional[str] = ..., masked_secret_access_key: _Optional[str] = ..., endpoint_url: _Optional[str] = ...) -> None: ...

class GcpCredentials(_message.Message):
    __slots__ = ("client_email", "gcp_project_id", "masked_private_key_id")
    CLIENT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    GCP_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MASKED_PRIVATE_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    client_email: str
    gcp_project_id: str
    masked_private_key_id: str
    def __init__(self, client_email: _Optional[str] = ..., gcp_project_id: _Optional[str] = ..., masked_private_key_id: _Optional[str] = ...) -> None: ...

class AzureCredentials(_message.Message):
    __slots__ = ("client_id", "tenant_id", "subscription_id", "masked_client_secret")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    MASKED_CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    tenant_id: str
    subscription_id: str
    masked_client_secret: str
    def __init__(self, client_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., masked_client_secret: _Optional[str] = ...) -> None: ...

class LlmProviderCredentials(_message.Message):
    __slots__ = ("masked_api_key", "endpoint_url", "api_version")
    MASKED_API_KEY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_URL_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    masked_api_key: str
    endpoint_url: str
    api_version: str
    def __init__(self, masked_api_key: _Optional[str] = ..., endpoint_url: _Optional[str] = ..., api_version: _Optional[str] = ...) -> None: ...

class IntegrationCredentials(_message.Message):
    __slots__ = ("id", "project_id", "name", "type", "default", "create_time", "aws", "aws_compatible", "gcp", "azure", "llm_provider")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    AWS_FIELD_NUMBER: _ClassVar[int]
    AWS_COMPATIBLE_FIELD_NUMBER: _ClassVar[int]
    GCP_FIELD_NUMBER: _ClassVar[int]
    AZURE_FIELD_NUMBER: _ClassVar[int]
    LLM_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    id: str
    project_id: str
    name: str
    type: ExternalIntegration
    default: bool
    create_time: _timestamp_pb2.Timestamp
    aws: AwsCredentials
    aws_compatible: AwsCompatibleCredentials
    gcp: GcpCredentials
    azure: AzureCredentials
    llm_provider: LlmProviderCredentials
    def __init__(self, id: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[ExternalIntegration, str]] = ..., default: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., aws: _Optional[_Union[AwsCredentials, _Mapping]] = ..., aws_compatible: _Optional[_Union[AwsCompatibleCredentials, _Mapping]] = ..., gcp: _Optional[_Union[GcpCredentials, _Mapping]] = ..., azure: _Optional[_Union[AzureCredentials, _Mapping]] = ..., llm_provider: _Optional[_Union[LlmProviderCredentials, _Mapping]] = ...) -> None: ...
