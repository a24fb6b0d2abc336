"""IdentityService's messages to the client's results and back, one pair per message."""

from __future__ import annotations

from driftline.conversions._common import text_or_none, to_datetime, to_timestamp
from driftline.enums import (
    ApiKeyExpirationTime,
    CompanyRole,
    ExternalIntegration,
    ProjectRole,
    enum_member,
)
from driftline.identity.v1 import (
    api_key_pb2,
    company_pb2,
    integration_credentials_pb2 as credentials_pb2,
    subscription_plan_pb2,
    user_pb2,
)
from driftline.types.identity import (
    ApiKey,
    AwsCompatibleCredentials,
    AwsCredentials,
    AzureCredentials,
    Company,
    CompanyUser,
    GcpCredentials,
    IntegrationCredentials,
    LlmProviderCredentials,
    SubscriptionPlanInfo,
    UserProject,
)


# -- companies and users ---------------------------------------------------------------------


def company_from_proto(message: company_pb2.Company) -> Company:
    return Company(
        company_id=message.id, name=message.name, address=message.address, vat=message.vat,
        creation_datetime=to_datetime(message.create_time), update_datetime=to_datetime(message.update_time),
    )


def company_to_proto(company: Company) -> company_pb2.Company:
    return company_pb2.Company(
        id=company.company_id, name=company.name, address=company.address, vat=company.vat,
        create_time=to_timestamp(company.creation_datetime),
        update_time=to_timestamp(company.update_datetime),
    )


def user_from_proto(message: user_pb2.User) -> CompanyUser:
    return CompanyUser(
        user_id=message.id, name=message.name, surname=message.surname,
        username=message.username, email=message.email,
        company_role=enum_member(CompanyRole, message.company_role),
        company_id=text_or_none(message.company_id),
        password_change_required=message.password_change_required,
        creation_datetime=to_datetime(message.create_time),
    )


def user_to_proto(user: CompanyUser) -> user_pb2.User:
    return user_pb2.User(
        id=user.user_id, name=user.name, surname=user.surname, username=user.username,
        email=user.email, company_role=int(user.company_role), company_id=user.company_id or "",
        password_change_required=user.password_change_required,
        create_time=to_timestamp(user.creation_datetime),
    )


def user_project_from_proto(message: user_pb2.UserProject) -> UserProject:
    return UserProject(
        project_id=message.project_id, name=message.project_name,
        description=text_or_none(message.project_description),
        role=enum_member(ProjectRole, message.role),
    )


def user_project_to_proto(project: UserProject) -> user_pb2.UserProject:
    return user_pb2.UserProject(
        project_id=project.project_id, project_name=project.name,
        project_description=project.description or "", role=int(project.role),
    )


# -- API keys --------------------------------------------------------------------------------


def api_key_from_proto(message: api_key_pb2.ApiKey) -> ApiKey:
    return ApiKey(
        api_key_id=message.id, prefix=message.prefix, name=message.name,
        user_id=message.user_id,
        expiration_time=enum_member(ApiKeyExpirationTime, message.expiration_time),
        creation_datetime=to_datetime(message.create_time), expiration_datetime=to_datetime(message.expire_time),
    )


def api_key_to_proto(key: ApiKey) -> api_key_pb2.ApiKey:
    return api_key_pb2.ApiKey(
        id=key.api_key_id, prefix=key.prefix, name=key.name, user_id=key.user_id,
        expiration_time=int(key.expiration_time), create_time=to_timestamp(key.creation_datetime),
        expire_time=to_timestamp(key.expiration_datetime),
    )


# -- integration credentials -----------------------------------------------------------------


def aws_credentials_from_proto(message: credentials_pb2.AwsCredentials) -> AwsCredentials:
    return AwsCredentials(role_arn=message.role_arn, external_id=message.external_id)


def aws_credentials_to_proto(details: AwsCredentials) -> credentials_pb2.AwsCredentials:
    return credentials_pb2.AwsCredentials(role_arn=details.role_arn,
                                          external_id=details.external_id)


def aws_compatible_credentials_from_proto(
        message: credentials_pb2.AwsCompatibleCredentials) -> AwsCompatibleCredentials:
    return AwsCompatibleCredentials(
        access_key_id=message.access_key_id,
        masked_secret_access_key=message.masked_secret_access_key,
        endpoint_url=text_or_none(message.endpoint_url),
    )


def aws_compatible_credentials_to_proto(
        details: AwsCompatibleCredentials) -> credentials_pb2.AwsCompatibleCredentials:
    return credentials_pb2.AwsCompatibleCredentials(
        access_key_id=details.access_key_id,
        masked_secret_access_key=details.masked_secret_access_key,
        endpoint_url=details.endpoint_url or "",
    )


def gcp_credentials_from_proto(message: credentials_pb2.GcpCredentials) -> GcpCredentials:
    return GcpCredentials(client_email=message.client_email,
                          gcp_project_id=message.gcp_project_id,
                          masked_private_key_id=message.masked_private_key_id)


def gcp_credentials_to_proto(details: GcpCredentials) -> credentials_pb2.GcpCredentials:
    return credentials_pb2.GcpCredentials(client_email=details.client_email,
                                          gcp_project_id=details.gcp_project_id,
                                          masked_private_key_id=details.masked_private_key_id)


def azure_credentials_from_proto(message: credentials_pb2.AzureCredentials) -> AzureCredentials:
    return AzureCredentials(client_id=message.client_id, tenant_id=message.tenant_id,
                            subscription_id=message.subscription_id,
                            masked_client_secret=message.masked_client_secret)


def azure_credentials_to_proto(details: AzureCredentials) -> credentials_pb2.AzureCredentials:
    return credentials_pb2.AzureCredentials(client_id=details.client_id,
                                            tenant_id=details.tenant_id,
                                            subscription_id=details.subscription_id,
                                            masked_client_secret=details.masked_client_secret)


def llm_provider_credentials_from_proto(
        message: credentials_pb2.LlmProviderCredentials) -> LlmProviderCredentials:
    return LlmProviderCredentials(masked_api_key=message.masked_api_key,
                                  endpoint_url=text_or_none(message.endpoint_url),
                                  api_version=text_or_none(message.api_version))


def llm_provider_credentials_to_proto(
        details: LlmProviderCredentials) -> credentials_pb2.LlmProviderCredentials:
    return credentials_pb2.LlmProviderCredentials(masked_api_key=details.masked_api_key,
                                                  endpoint_url=details.endpoint_url or "",
                                                  api_version=details.api_version or "")


# The `details` oneof: its field, and that field's pair of conversions.
_DETAILS = {
    "aws": (aws_credentials_from_proto, aws_credentials_to_proto),
    "aws_compatible": (aws_compatible_credentials_from_proto,
                       aws_compatible_credentials_to_proto),
    "gcp": (gcp_credentials_from_proto, gcp_credentials_to_proto),
    "azure": (azure_credentials_from_proto, azure_credentials_to_proto),
    "llm_provider": (llm_provider_credentials_from_proto, llm_provider_credentials_to_proto),
}


def integration_credentials_from_proto(
        message: credentials_pb2.IntegrationCredentials) -> IntegrationCredentials:
    chosen = message.WhichOneof("details")
    details = {chosen: _DETAILS[chosen][0](getattr(message, chosen))} if chosen else {}
    return IntegrationCredentials(
        credentials_id=message.id, project_id=message.project_id, name=message.name,
        type=enum_member(ExternalIntegration, message.type), default=message.default,
        creation_datetime=to_datetime(message.create_time), **details,
    )


def integration_credentials_to_proto(
        credentials: IntegrationCredentials) -> credentials_pb2.IntegrationCredentials:
    details = {field: convert[1](getattr(credentials, field))
               for field, convert in _DETAILS.items() if getattr(credentials, field) is not None}
    return credentials_pb2.IntegrationCredentials(
        id=credentials.credentials_id, project_id=credentials.project_id,
        name=credentials.name, type=int(credentials.type), default=credentials.default,
        create_time=to_timestamp(credentials.creation_datetime), **details,
    )


# -- subscription plans ----------------------------------------------------------------------

# PlanLimits' fields are the plan's own max_* fields (the SDK's SubscriptionPlanInfo is flat).
_LIMITS = [field.name for field in subscription_plan_pb2.PlanLimits.DESCRIPTOR.fields]


def subscription_plan_from_proto(
        message: subscription_plan_pb2.SubscriptionPlan) -> SubscriptionPlanInfo:
    return SubscriptionPlanInfo(
        subscription_id=message.id, company_id=message.company_id, name=message.name,
        is_active=message.active, start_date=to_datetime(message.start_time),
        expiration_date=to_datetime(message.end_time),
        **{limit: getattr(message.limits, limit) for limit in _LIMITS},
    )


def subscription_plan_to_proto(
        plan: SubscriptionPlanInfo) -> subscription_plan_pb2.SubscriptionPlan:
    return subscription_plan_pb2.SubscriptionPlan(
        id=plan.subscription_id, company_id=plan.company_id, name=plan.name,
        active=plan.is_active, start_time=to_timestamp(plan.start_date),
        end_time=to_timestamp(plan.expiration_date),
        limits=subscription_plan_pb2.PlanLimits(
            **{limit: getattr(plan, limit) for limit in _LIMITS}),
    )
