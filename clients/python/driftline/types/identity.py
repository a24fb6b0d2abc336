"""IdentityService's results: companies, users, their projects, API keys, integration credentials
and subscription plans, named as the monitoring platform's SDK names them.

Example:
    >>> company = client.get_company()
    >>> company.company_id, company.name
    >>> [user.username for user in client.get_company_users()]
"""

from __future__ import annotations

from datetime import datetime

from driftline.enums import ApiKeyExpirationTime, CompanyRole, ExternalIntegration, ProjectRole
from driftline.types._base import Result


class Company(Result):
    """Your company.

    Example:
        >>> client.get_company().vat
    """

    company_id: str
    name: str
    address: str = ""
    vat: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


class CompanyUser(Result):
    """A user of a company (``get_company_users``, ``get_current_user``).

    ``password_change_required``: the user still has a temporary password, to be replaced at
    the first sign-in.

    Example:
        >>> me = client.get_current_user()
        >>> me.user_id, me.company_role.name
    """

    user_id: str
    name: str
    surname: str
    username: str
    email: str
    company_role: CompanyRole | int
    company_id: str | None = None
    password_change_required: bool = False
    creation_datetime: datetime | None = None


class UserProject(Result):
    """A project a user can view, with the user's role on it (``get_user_projects``).

    Example:
        >>> [(p.name, p.role.name) for p in client.get_user_projects(user_id)]
    """

    project_id: str
    name: str
    description: str | None = None
    role: ProjectRole | int = 0


class ApiKey(Result):
    """An API key, never its secret: ``prefix`` is the key's visible start, ``expiration_datetime``
    None for a key that never expires.

    Example:
        >>> [(key.api_key_id, key.name) for key in client.get_api_keys()]
    """

    api_key_id: str
    prefix: str
    name: str
    user_id: str
    expiration_time: ApiKeyExpirationTime | int = 0
    creation_datetime: datetime | None = None
    expiration_datetime: datetime | None = None


class AwsCredentials(Result):
    """An IAM role to assume: ``external_id`` goes into the role's trust policy."""

    role_arn: str
    external_id: str


class AwsCompatibleCredentials(Result):
    """An S3-compatible service's access key (AWS itself when ``endpoint_url`` is None)."""

    access_key_id: str
    masked_secret_access_key: str
    endpoint_url: str | None = None


class GcpCredentials(Result):
    """A GCP service account."""

    client_email: str
    gcp_project_id: str
    masked_private_key_id: str


class AzureCredentials(Result):
    """An Azure service principal."""

    client_id: str
    tenant_id: str
    subscription_id: str
    masked_client_secret: str


class LlmProviderCredentials(Result):
    """An LLM provider's API key (masked), and the endpoint and API version when set."""

    masked_api_key: str
    endpoint_url: str | None = None
    api_version: str | None = None


class IntegrationCredentials(Result):
    """A project's credentials for a third-party service, secrets masked. ``type`` says which
    service, and exactly one of ``aws``, ``aws_compatible``, ``gcp``, ``azure`` and
    ``llm_provider`` holds its details.

    Example:
        >>> creds = client.create_aws_integration_credentials(
        ...     "prod", True, project_id, "arn:aws:iam::123456789012:role/driftline")
        >>> creds.credentials_id, creds.aws.external_id
    """

    credentials_id: str
    project_id: str
    name: str
    type: ExternalIntegration | int
    default: bool = False
    creation_datetime: datetime | None = None
    aws: AwsCredentials | None = None
    aws_compatible: AwsCompatibleCredentials | None = None
    gcp: GcpCredentials | None = None
    azure: AzureCredentials | None = None
    llm_provider: LlmProviderCredentials | None = None


class SubscriptionPlanInfo(Result):
    """One period of your company's subscription plan: the plan's ``name`` and the limits that
    hold from ``start_date`` until ``expiration_date`` (None while it is the active plan).

    Every limit counts the whole company, and 0 means unlimited. A call that would pass one is
    refused with ``ResourceExhaustedError`` (``error_code`` "PLAN_LIMIT_REACHED", ``metadata``
    naming the limit, its value and the plan). Only the operator changes plans
    (``driftline-server admin set-plan``).

    Example:
        >>> plan = client.get_active_subscription_plan()
        >>> plan.name, plan.is_active, plan.max_projects
    """

    subscription_id: str
    company_id: str
    name: str
    is_active: bool
    start_date: datetime | None = None
    expiration_date: datetime | None = None
    max_projects: int = 0
    max_tasks: int = 0
    max_models: int = 0
    max_users: int = 0
    max_stored_bytes: int = 0
    max_concurrent_jobs: int = 0
    max_calls_per_minute: int = 0
