"""Protobuf <-> domain for IdentityService: the only module that knows both."""

from __future__ import annotations



from driftline.identity.v1 import (
    api_key_pb2,
    company_pb2,
    identity_service_pb2 as service_pb2,
    integration_credentials_pb2 as credentials_pb2,
    subscription_plan_pb2,
    user_pb2,
)
from driftline_server.identity import credentials
from driftline_server.identity.accounts import IssuedKey, UserProject
from driftline_server.identity.common import (
    ApiKeyExpiration,
    LLM_INTEGRATIONS,
    ExternalIntegration,
    StorageCredentials,
)
from driftline_server.identity.models import ApiKeyRow, CompanyPlanRow, CompanyRow, UserRow
from driftline_server.identity.plans import limits_of
from driftline_server.platform.clock import to_timestamp
from driftline_server.platform.plans import LIMIT_NAMES, PlanLimits
from driftline_server.platform.roles import Caller, CompanyRole, ProjectRole

COMPANY_ROLE_TO_PB = {
    CompanyRole.OWNER: user_pb2.COMPANY_ROLE_COMPANY_OWNER,
    CompanyRole.ADMIN: user_pb2.COMPANY_ROLE_COMPANY_ADMIN,
    CompanyRole.USER: user_pb2.COMPANY_ROLE_COMPANY_USER,
    CompanyRole.NONE: user_pb2.COMPANY_ROLE_COMPANY_NONE,
}
COMPANY_ROLE_FROM_PB = {v: k for k, v in COMPANY_ROLE_TO_PB.items()}

PROJECT_ROLE_TO_PB = {
    ProjectRole.ADMIN: user_pb2.PROJECT_ROLE_PROJECT_ADMIN,
    ProjectRole.USER: user_pb2.PROJECT_ROLE_PROJECT_USER,
    ProjectRole.VIEW: user_pb2.PROJECT_ROLE_PROJECT_VIEW,
}
PROJECT_ROLE_FROM_PB = {v: k for k, v in PROJECT_ROLE_TO_PB.items()}

EXPIRATION_TO_PB = {
    ApiKeyExpiration.ONE_MONTH: api_key_pb2.API_KEY_EXPIRATION_TIME_ONE_MONTH,
    ApiKeyExpiration.THREE_MONTHS: api_key_pb2.API_KEY_EXPIRATION_TIME_THREE_MONTHS,
    ApiKeyExpiration.SIX_MONTHS: api_key_pb2.API_KEY_EXPIRATION_TIME_SIX_MONTHS,
    ApiKeyExpiration.ONE_YEAR: api_key_pb2.API_KEY_EXPIRATION_TIME_ONE_YEAR,
    ApiKeyExpiration.NEVER: api_key_pb2.API_KEY_EXPIRATION_TIME_NEVER,
}
EXPIRATION_FROM_PB = {v: k for k, v in EXPIRATION_TO_PB.items()}

INTEGRATION_TO_PB = {
    ExternalIntegration.AWS: credentials_pb2.EXTERNAL_INTEGRATION_AWS,
    ExternalIntegration.GCP: credentials_pb2.EXTERNAL_INTEGRATION_GCP,
    ExternalIntegration.AZURE: credentials_pb2.EXTERNAL_INTEGRATION_AZURE,
    ExternalIntegration.AWS_COMPATIBLE: credentials_pb2.EXTERNAL_INTEGRATION_AWS_COMPATIBLE,
    ExternalIntegration.OPENAI: credentials_pb2.EXTERNAL_INTEGRATION_OPENAI,
    ExternalIntegration.ANTHROPIC: credentials_pb2.EXTERNAL_INTEGRATION_ANTHROPIC,
    ExternalIntegration.AZURE_OPENAI: credentials_pb2.EXTERNAL_INTEGRATION_AZURE_OPENAI,
    ExternalIntegration.GOOGLE_AI: credentials_pb2.EXTERNAL_INTEGRATION_GOOGLE_AI,
}
INTEGRATION_FROM_PB = {v: k for k, v in INTEGRATION_TO_PB.items()}


# Unknown and UNSPECIFIED values become None: the domain reports them as invalid arguments.
def company_role_from_pb(value: int) -> CompanyRole | None:
    return COMPANY_ROLE_FROM_PB.get(value)


def project_role_from_pb(value: int) -> ProjectRole | None:
    return PROJECT_ROLE_FROM_PB.get(value)


def expiration_from_pb(value: int) -> ApiKeyExpiration | None:
    return EXPIRATION_FROM_PB.get(value)


def company_to_pb(row: CompanyRow) -> company_pb2.Company:
    return company_pb2.Company(
        id=row.id,
        name=row.name,
        address=row.address,
        vat=row.vat,
        create_time=to_timestamp(row.created_at),
        update_time=to_timestamp(row.updated_at),
    )


def company_values_from_pb(company: company_pb2.Company) -> dict[str, str]:
    return {"name": company.name, "address": company.address, "vat": company.vat}


def user_to_pb(row: UserRow) -> user_pb2.User:
    return user_pb2.User(
        id=row.id,
        name=row.name,
        surname=row.surname,
        username=row.username,
        email=row.email,
        company_id=row.company_id or "",
        company_role=COMPANY_ROLE_TO_PB[CompanyRole(row.company_role)],
        password_change_required=row.password_temporary,
        create_time=to_timestamp(row.created_at),
    )


def api_key_to_pb(row: ApiKeyRow) -> api_key_pb2.ApiKey:
    return api_key_pb2.ApiKey(
        id=row.id,
        prefix=row.prefix,
        name=row.name,
        user_id=row.user_id,
        expiration_time=EXPIRATION_TO_PB[ApiKeyExpiration[row.expiration]],
        create_time=to_timestamp(row.created_at),
        expire_time=to_timestamp(row.expires_at),
    )


def issued_key_fields(issued: IssuedKey) -> dict:
    return {"api_key": issued.secret, "key": api_key_to_pb(issued.row)}


def caller_to_pb(caller: Caller) -> service_pb2.AuthenticateApiKeyResponse:
    return service_pb2.AuthenticateApiKeyResponse(
        user_id=caller.user_id,
        company_id=caller.company_id or "",
        company_role=COMPANY_ROLE_TO_PB[caller.company_role],
        project_roles=[
            user_pb2.ProjectRoleBinding(project_id=project_id, role=PROJECT_ROLE_TO_PB[role])
            for project_id, role in sorted(caller.project_roles.items())
        ],
        api_key_id=caller.api_key_id or "",
    )


def caller_from_pb(response: service_pb2.AuthenticateApiKeyResponse) -> Caller:
    return Caller(
        user_id=response.user_id,
        company_id=response.company_id or None,
        company_role=COMPANY_ROLE_FROM_PB.get(response.company_role, CompanyRole.NONE),
        project_roles={
            binding.project_id: PROJECT_ROLE_FROM_PB[binding.role]
            for binding in response.project_roles
            if binding.role in PROJECT_ROLE_FROM_PB
        },
        api_key_id=response.api_key_id or None,
    )


def user_project_to_pb(item: UserProject) -> user_pb2.UserProject:
    return user_pb2.UserProject(
        project_id=item.project.id,
        project_name=item.project.name,
        project_description=item.project.description,
        role=PROJECT_ROLE_TO_PB[item.role],
    )


def credentials_input_from_pb(
    request: service_pb2.CreateIntegrationCredentialsRequest,
) -> credentials.CredentialsInput | None:
    which = request.WhichOneof("credentials")
    if which == "aws":
        return credentials.AwsRoleInput(role_arn=request.aws.role_arn)
    if which == "aws_compatible":
        spec = request.aws_compatible
        return credentials.AwsCompatibleInput(
            access_key_id=spec.access_key_id,
            secret_access_key=spec.secret_access_key,
            endpoint_url=spec.endpoint_url,
        )
    if which == "gcp":
        return credentials.GcpInput(service_account_info_json=request.gcp.service_account_info_json)
    if which == "azure":
        return credentials.AzureInput(
            service_principal_credentials_json=request.azure.service_principal_credentials_json
        )
    if which == "llm_provider":
        spec = request.llm_provider
        return credentials.LlmProviderInput(
            provider=INTEGRATION_FROM_PB.get(spec.provider),
            api_key=spec.api_key,
            endpoint_url=spec.endpoint_url,
            api_version=spec.api_version,
        )
    return None


def credentials_to_pb(
    stored: credentials.StoredCredentials,
) -> credentials_pb2.IntegrationCredentials:
    message = credentials_pb2.IntegrationCredentials(
        id=stored.id,
        project_id=stored.project_id,
        name=stored.name,
        type=INTEGRATION_TO_PB[stored.type],
        default=stored.default,
        create_time=to_timestamp(stored.created_at),
    )
    d = stored.details
    if stored.type is ExternalIntegration.AWS:
        message.aws.CopyFrom(
            credentials_pb2.AwsCredentials(role_arn=d["role_arn"], external_id=d["external_id"])
        )
    elif stored.type is ExternalIntegration.AWS_COMPATIBLE:
        message.aws_compatible.CopyFrom(
            credentials_pb2.AwsCompatibleCredentials(
                access_key_id=d["access_key_id"],
                masked_secret_access_key=d["masked_secret"],
                endpoint_url=d["endpoint_url"],
            )
        )
    elif stored.type is ExternalIntegration.GCP:
        message.gcp.CopyFrom(
            credentials_pb2.GcpCredentials(
                client_email=d["client_email"],
                gcp_project_id=d["gcp_project_id"],
                masked_private_key_id=d["masked_private_key_id"],
            )
        )
    elif stored.type in LLM_INTEGRATIONS:
        message.llm_provider.CopyFrom(
            credentials_pb2.LlmProviderCredentials(
                masked_api_key=d["masked_api_key"],
                endpoint_url=d["endpoint_url"],
                api_version=d["api_version"],
            )
        )
    else:
        message.azure.CopyFrom(
            credentials_pb2.AzureCredentials(
                client_id=d["client_id"],
                tenant_id=d["tenant_id"],
                subscription_id=d["subscription_id"],
                masked_client_secret=d["masked_client_secret"],
            )
        )
    return message


def storage_credentials_to_pb(
    resolved: StorageCredentials,
) -> service_pb2.ResolveStorageCredentialsResponse:
    message = service_pb2.ResolveStorageCredentialsResponse(
        credentials_id=resolved.credentials_id,
        name=resolved.name,
        type=INTEGRATION_TO_PB[resolved.type],
    )
    if resolved.type is ExternalIntegration.AWS:
        message.aws_role.CopyFrom(
            credentials_pb2.AwsCredentials(
                role_arn=resolved.role_arn, external_id=resolved.external_id
            )
        )
    else:
        message.access_key.CopyFrom(
            service_pb2.StorageAccessKey(
                access_key_id=resolved.access_key_id,
                secret_access_key=resolved.secret_access_key,
                endpoint_url=resolved.endpoint_url,
            )
        )
    return message


def storage_credentials_from_pb(
    message: service_pb2.ResolveStorageCredentialsResponse,
) -> StorageCredentials:
    common = dict(
        credentials_id=message.credentials_id,
        name=message.name,
        type=INTEGRATION_FROM_PB[message.type],
    )
    if message.WhichOneof("access") == "aws_role":
        return StorageCredentials(
            **common, role_arn=message.aws_role.role_arn,
            external_id=message.aws_role.external_id,
        )
    return StorageCredentials(
        **common,
        access_key_id=message.access_key.access_key_id,
        secret_access_key=message.access_key.secret_access_key,
        endpoint_url=message.access_key.endpoint_url,
    )


def subscription_plan_to_pb(row: CompanyPlanRow) -> subscription_plan_pb2.SubscriptionPlan:
    return subscription_plan_pb2.SubscriptionPlan(
        id=row.id,
        company_id=row.company_id,
        name=row.plan_name,
        limits=subscription_plan_pb2.PlanLimits(**limits_of(row).as_dict()),
        start_time=to_timestamp(row.start_time),
        end_time=to_timestamp(row.end_time),
        active=row.active_slot is not None,
    )


def plan_limits_from_pb(plan: subscription_plan_pb2.SubscriptionPlan) -> PlanLimits:
    """The limits a service enforces for a company's active plan."""
    return PlanLimits(plan.name, **{name: getattr(plan.limits, name) for name in LIMIT_NAMES})
