from driftline.identity.v1 import api_key_pb2 as _api_key_pb2
from driftline.identity.v1 import company_pb2 as _company_pb2
from driftline.identity.v1 import integration_credentials_pb2 as _integration_credentials_pb2
from driftline.identity.v1 import subscription_plan_pb2 as _subscription_plan_pb2
from driftline.identity.v1 import user_pb2 as _user_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SignInRequest(_message.Message):
    __slots__ = ("username", "password", "new_password", "api_key_name", "expiration_time")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    API_KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    new_password: str
    api_key_name: str
    expiration_time: _api_key_pb2.ApiKeyExpirationTime
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ..., new_password: _Optional[str] = ..., api_key_name: _Optional[str] = ..., expiration_time: _Optional[_Union[_api_key_pb2.ApiKeyExpirationTime, str]] = ...) -> None: ...

class SignInResponse(_message.Message):
    __slots__ = ("api_key", "key", "user_id")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    key: _api_key_pb2.ApiKey
    user_id: str
    def __init__(self, api_key: _Optional[str] = ..., key: _Optional[_Union[_api_key_pb2.ApiKey, _Mapping]] = ..., user_id: _Optional[str] = ...) -> None: ...

class ChangePasswordRequest(_message.Message):
    __slots__ = ("current_password", "new_password")
    CURRENT_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    current_password: str
    new_password: str
    def __init__(self, current_password: _Optional[str] = ..., new_password: _Optional[str] = ...) -> None: ...

class ChangePasswordResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCurrentUserRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCurrentUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class AuthenticateApiKeyRequest(_message.Message):
    __slots__ = ("api_key",)
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    def __init__(self, api_key: _Optional[str] = ...) -> None: ...

class AuthenticateApiKeyResponse(_message.Message):
    __slots__ = ("user_id", "company_id", "company_role", "project_roles", "api_key_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ROLE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLES_FIELD_NUMBER: _ClassVar[int]
    API_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    company_id: str
    company_role: _user_pb2.CompanyRole
    project_roles: _containers.RepeatedCompositeFieldContainer[_user_pb2.ProjectRoleBinding]
    api_key_id: str
    def __init__(self, user_id: _Optional[str] = ..., company_id: _Optional[str] = ..., company_role: _Optional[_Union[_user_pb2.CompanyRole, str]] = ..., project_roles: _Optional[_Iterable[_Union[_user_pb2.ProjectRoleBinding, _Mapping]]] = ..., api_key_id: _Optional[str] = ...) -> None: ...

class CreateCompanyRequest(_message.Message):
    __slots__ = ("name", "address", "vat", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    VAT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    address: str
    vat: str
    request_id: str
    def __init__(self, name: _Optional[str] = ..., address: _Optional[str] = ..., vat: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: _company_pb2.Company
    def __init__(self, company: _Optional[_Union[_company_pb2.Company, _Mapping]] = ...) -> None: ...

class GetCompanyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: _company_pb2.Company
    def __init__(self, company: _Optional[_Union[_company_pb2.Company, _Mapping]] = ...) -> None: ...

class UpdateCompanyRequest(_message.Message):
    __slots__ = ("company", "update_mask")
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    company: _company_pb2.Company
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, company: _Optional[_Union[_company_pb2.Company, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: _company_pb2.Company
    def __init__(self, company: _Optional[_Union[_company_pb2.Company, _Mapping]] = ...) -> None: ...

class ListCompanySubscriptionPlansRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCompanySubscriptionPlansResponse(_message.Message):
    __slots__ = ("subscription_plans", "next_page_token")
    SUBSCRIPTION_PLANS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    subscription_plans: _containers.RepeatedCompositeFieldContainer[_subscription_plan_pb2.SubscriptionPlan]
    next_page_token: str
    def __init__(self, subscription_plans: _Optional[_Iterable[_Union[_subscription_plan_pb2.SubscriptionPlan, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetActiveSubscriptionPlanRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class GetActiveSubscriptionPlanResponse(_message.Message):
    __slots__ = ("subscription_plan",)
    SUBSCRIPTION_PLAN_FIELD_NUMBER: _ClassVar[int]
    subscription_plan: _subscription_plan_pb2.SubscriptionPlan
    def __init__(self, subscription_plan: _Optional[_Union[_subscription_plan_pb2.SubscriptionPlan, _Mapping]] = ...) -> None: ...

class CreateCompanyUserRequest(_message.Message):
    __slots__ = ("name", "surname", "username", "password", "email", "company_role", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SURNAME_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ROLE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    surname: str
    username: str
    password: str
    email: str
    company_role: _user_pb2.CompanyRole
    request_id: str
    def __init__(self, name: _Optional[str] = ..., surname: _Optional[str] = ..., username: _Optional[str] = ..., password: _Optional[str] = ..., email: _Optional[str] = ..., company_role: _Optional[_Union[_user_pb2.CompanyRole, str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateCompanyUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class ListCompanyUsersRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCompanyUsersResponse(_message.Message):
    __slots__ = ("users", "next_page_token")
    USERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_user_pb2.User]
    next_page_token: str
    def __init__(self, users: _Optional[_Iterable[_Union[_user_pb2.User, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ChangeUserCompanyRoleRequest(_message.Message):
    __slots__ = ("user_id", "company_role")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ROLE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    company_role: _user_pb2.CompanyRole
    def __init__(self, user_id: _Optional[str] = ..., company_role: _Optional[_Union[_user_pb2.CompanyRole, str]] = ...) -> None: ...

class ChangeUserCompanyRoleResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class ChangeCompanyOwnerRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class ChangeCompanyOwnerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteCompanyUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class DeleteCompanyUserResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetUserProjectsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetUserProjectsResponse(_message.Message):
    __slots__ = ("projects",)
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[_user_pb2.UserProject]
    def __init__(self, projects: _Optional[_Iterable[_Union[_user_pb2.UserProject, _Mapping]]] = ...) -> None: ...

class AddUserProjectRoleRequest(_message.Message):
    __slots__ = ("user_id", "project_id", "project_role")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    project_id: str
    project_role: _user_pb2.ProjectRole
    def __init__(self, user_id: _Optional[str] = ..., project_id: _Optional[str] = ..., project_role: _Optional[_Union[_user_pb2.ProjectRole, str]] = ...) -> None: ...

class AddUserProjectRoleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteUserProjectRoleRequest(_message.Message):
    __slots__ = ("user_id", "project_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    project_id: str
    def __init__(self, user_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class DeleteUserProjectRoleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateApiKeyRequest(_message.Message):
    __slots__ = ("name", "expiration_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    expiration_time: _api_key_pb2.ApiKeyExpirationTime
    def __init__(self, name: _Optional[str] = ..., expiration_time: _Optional[_Union[_api_key_pb2.ApiKeyExpirationTime, str]] = ...) -> None: ...

class CreateApiKeyResponse(_message.Message):
    __slots__ = ("api_key", "key")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    key: _api_key_pb2.ApiKey
    def __init__(self, api_key: _Optional[str] = ..., key: _Optional[_Union[_api_key_pb2.ApiKey, _Mapping]] = ...) -> None: ...

class ListApiKeysRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListApiKeysResponse(_message.Message):
    __slots__ = ("api_keys", "next_page_token")
    API_KEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    api_keys: _containers.RepeatedCompositeFieldContainer[_api_key_pb2.ApiKey]
    next_page_token: str
    def __init__(self, api_keys: _Optional[_Iterable[_Union[_api_key_pb2.ApiKey, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteApiKeyRequest(_message.Message):
    __slots__ = ("api_key_id",)
    API_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    api_key_id: str
    def __init__(self, api_key_id: _Optional[str] = ...) -> None: ...

class DeleteApiKeyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateUserApiKeyRequest(_message.Message):
    __slots__ = ("user_id", "name", "expiration_time")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    name: str
    expiration_time: _api_key_pb2.ApiKeyExpirationTime
    def __init__(self, user_id: _Optional[str] = ..., name: _Optional[str] = ..., expiration_time: _Optional[_Union[_api_key_pb2.ApiKeyExpirationTime, str]] = ...) -> None: ...

class CreateUserApiKeyResponse(_message.Message):
    __slots__ = ("api_key", "key")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    key: _api_key_pb2.ApiKey
    def __init__(self, api_key: _Optional[str] = ..., key: _Optional[_Union[_api_key_pb2.ApiKey, _Mapping]] = ...) -> None: ...

class ListUserApiKeysRequest(_message.Message):
    __slots__ = ("user_id", "page_size", "page_token")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    page_size: int
    page_token: str
    def __init__(self, user_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListUserApiKeysResponse(_message.Message):
    __slots__ = ("api_keys", "next_page_token")
    API_KEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    api_keys: _containers.RepeatedCompositeFieldContainer[_api_key_pb2.ApiKey]
    next_page_token: str
    def __init__(self, api_keys: _Optional[_Iterable[_Union[_api_key_pb2.ApiKey, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteUserApiKeyRequest(_message.Message):
    __slots__ = ("user_id", "api_key_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    API_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    api_key_id: str
    def __init__(self, user_id: _Optional[str] = ..., api_key_id: _Optional[str] = ...) -> None: ...

class DeleteUserApiKeyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AwsCredentialsInput(_message.Message):
    __slots__ = ("role_arn",)
    ROLE_ARN_FIELD_NUMBER: _ClassVar[int]
    role_arn: str
    def __init__(self, role_arn: _Optional[str] = ...) -> None: ...

class AwsCompatibleCredentialsInput(_message.Message):
    __slots__ = ("access_key_id", "secret_access_key", "endpoint_url")
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_URL_FIELD_NUMBER: _ClassVar[int]
    access_key_id: str
    secret_access_key: str
    endpoint_url: str
    def __init__(self, access_key_id: _Optional[str] = ..., secret_access_key: _Optional[str] = ..., endpoint_url: _Optional[str] = ...) -> None: ...

class GcpCredentialsInput(_message.Message):
    __slots__ = ("service_account_info_json",)
    SERVICE_ACCOUNT_INFO_JSON_FIELD_NUMBER: _ClassVar[int]
    service_account_info_json: str
    def __init__(self, service_account_info_json: _Optional[str] = ...) -> None: ...

class AzureCredentialsInput(_message.Message):
    __slots__ = ("service_principal_credentials_json",)
    SERVICE_PRINCIPAL_CREDENTIALS_JSON_FIELD_NUMBER: _ClassVar[int]
    service_principal_credentials_json: str
    def __init__(self, service_principal_credentials_json: _Optional[str] = ...) -> None: ...

class LlmProviderCredentialsInput(_message.Message):
    __slots__ = ("provider", "api_key", "endpoint_url", "api_version")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_URL_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    provider: _integration_credentials_pb2.ExternalIntegration
    api_key: str
    endpoint_url: str
    api_version: str
    def __init__(self, provider: _Optional[_Union[_integration_credentials_pb2.ExternalIntegration, str]] = ..., api_key: _Optional[str] = ..., endpoint_url: _Optional[str] = ..., api_version: _Optional[str] = ...) -> None: ...

class CreateIntegrationCredentialsRequest(_message.Message):
    __slots__ = ("project_id", "name", "default", "request_id", "aws", "aws_compatible", "gcp", "azure", "llm_provider")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AWS_FIELD_NUMBER: _ClassVar[int]
    AWS_COMPATIBLE_FIELD_NUMBER: _ClassVar[int]
    GCP_FIELD_NUMBER: _ClassVar[int]
    AZURE_FIELD_NUMBER: _ClassVar[int]
    LLM_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    name: str
    default: bool
    request_id: str
    aws: AwsCredentialsInput
    aws_compatible: AwsCompatibleCredentialsInput
    gcp: GcpCredentialsInput
    azure: AzureCredentialsInput
    llm_provider: LlmProviderCredentialsInput
    def __init__(self, project_id: _Optional[str] = ..., name: _Optional[str] = ..., default: _Optional[bool] = ..., request_id: _Optional[str] = ..., aws: _Optional[_Union[AwsCredentialsInput, _Mapping]] = ..., aws_compatible: _Optional[_Union[AwsCompatibleCredentialsInput, _Mapping]] = ..., gcp: _Optional[_Union[GcpCredentialsInput, _Mapping]] = ..., azure: _Optional[_Union[AzureCredentialsInput, _Mapping]] = ..., llm_provider: _Optional[_Union[LlmProviderCredentialsInput, _Mapping]] = ...) -> None: ...

class CreateIntegrationCredentialsResponse(_message.Message):
    __slots__ = ("credentials",)
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    credentials: _integration_credentials_pb2.IntegrationCredentials
    def __init__(self, credentials: _Optional[_Union[_integration_credentials_pb2.IntegrationCredentials, _Mapping]] = ...) -> None: ...

class GetIntegrationCredentialsRequest(_message.Message):
    __slots__ = ("credentials_id",)
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    def __init__(self, credentials_id: _Optional[str] = ...) -> None: ...

class GetIntegrationCredentialsResponse(_message.Message):
    __slots__ = ("credentials",)
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    credentials: _integration_credentials_pb2.IntegrationCredentials
    def __init__(self, credentials: _Optional[_Union[_integration_credentials_pb2.IntegrationCredentials, _Mapping]] = ...) -> None: ...

class ListIntegrationCredentialsRequest(_message.Message):
    __slots__ = ("project_id", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListIntegrationCredentialsResponse(_message.Message):
    __slots__ = ("credentials", "next_page_token")
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    credentials: _containers.RepeatedCompositeFieldContainer[_integration_credentials_pb2.IntegrationCredentials]
    next_page_token: str
    def __init__(self, credentials: _Optional[_Iterable[_Union[_integration_credentials_pb2.IntegrationCredentials, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteIntegrationCredentialsRequest(_message.Message):
    __slots__ = ("credentials_id",)
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    def __init__(self, credentials_id: _Optional[str] = ...) -> None: ...

class DeleteIntegrationCredentialsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetDefaultIntegrationCredentialsRequest(_message.Message):
    __slots__ = ("credentials_id",)
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    def __init__(self, credentials_id: _Optional[str] = ...) -> None: ...

class SetDefaultIntegrationCredentialsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResolveStorageCredentialsRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class StorageAccessKey(_message.Message):
    __slots__ = ("access_key_id", "secret_access_key", "endpoint_url")
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_URL_FIELD_NUMBER: _ClassVar[int]
    access_key_id: str
    secret_access_key: str
    endpoint_url: str
    def __init__(self, access_key_id: _Optional[str] = ..., secret_access_key: _Optional[str] = ..., endpoint_url: _Optional[str] = ...) -> None: ...

class ResolveStorageCredentialsResponse(_message.Message):
    __slots__ = ("credentials_id", "name", "type", "access_key", "aws_role")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    AWS_ROLE_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    name: str
    type: _integration_credentials_pb2.ExternalIntegration
    access_key: StorageAccessKey
    aws_role: _integration_credentials_pb2.AwsCredentials
    def __init__(self, credentials_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[_integration_credentials_pb2.ExternalIntegration, str]] = ..., access_key: _Optional[_Union[StorageAccessKey, _Mapping]] = ..., aws_role: _Optional[_Union[_integration_credentials_pb2.AwsCredentials, _Mapping]] = ...) -> None: ...

class ResolveIntegrationCredentialsRequest(_message.Message):
    __slots__ = ("credentials_id", "project_id")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    project_id: str
    def __init__(self, credentials_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class ResolveIntegrationCredentialsResponse(_message.Message):
    __slots__ = ("credentials_id", "type", "credentials")
    CREDENTIALS_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    credentials_id: str
    type: _integration_credentials_pb2.ExternalIntegration
    credentials: _struct_pb2.Struct
    def __init__(self, credentials_id: _Optional[str] = ..., type: _Optional[_Union[_integration_credentials_pb2.ExternalIntegration, str]] = ..., credentials: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
