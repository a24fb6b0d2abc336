"""Identity operations of ``driftline.Client``: companies, users, roles, API keys, credentials."""

from __future__ import annotations

import uuid

from google.protobuf import field_mask_pb2

from driftline import display
from driftline._pagination import Pager
from driftline._enums import enum_value
from driftline._transport import Transport
from driftline.conversions import identity as convert
from driftline.tls import TLSConfig
from driftline.identity.v1 import (
    api_key_pb2,
    company_pb2,
    identity_service_pb2 as pb,
    identity_service_pb2_grpc,
    integration_credentials_pb2,
    user_pb2,
)
from driftline.types.identity import (
    ApiKey,
    Company,
    CompanyUser,
    IntegrationCredentials,
    SubscriptionPlanInfo,
    UserProject,
)


def _company_role(value) -> int:
    return enum_value(user_pb2.CompanyRole, value, "COMPANY_ROLE_")


def _project_role(value) -> int:
    return enum_value(user_pb2.ProjectRole, value, "PROJECT_ROLE_")


def _expiration(value) -> int:
    return enum_value(api_key_pb2.ApiKeyExpirationTime, value, "API_KEY_EXPIRATION_TIME_")


def _request_id() -> str:
    """A fresh AIP-155 request id: retries of one call share it, so they create one resource."""
    return uuid.uuid4().hex


def _key_id(api_key: str) -> str:
    """Accept a key's id or the whole key (``dl_<id>_<secret>``), whose id is embedded."""
    if api_key.startswith("dl_") and len(api_key) > 36 and api_key[35] == "_":
        return api_key[3:35]
    return api_key



_LLM_PROVIDERS = {
    "OPENAI": "OPENAI",
    "ANTHROPIC": "ANTHROPIC",
    "AZURE_OPENAI": "AZURE_OPENAI",
    "GOOGLE": "GOOGLE_AI",
    "GOOGLE_AI": "GOOGLE_AI",
}


def _llm_provider(value) -> int:
    """An LLM provider by name ("openai", "anthropic", "azure_openai", "google") or value."""
    if isinstance(value, str):
        name = value.strip().upper().removeprefix("EXTERNAL_INTEGRATION_")
        if name not in _LLM_PROVIDERS:
            raise ValueError(
                f"unknown LLM provider {value!r}: use openai, anthropic, azure_openai or google"
            )
        value = _LLM_PROVIDERS[name]
    return enum_value(integration_credentials_pb2.ExternalIntegration, value,
                      "EXTERNAL_INTEGRATION_")


class IdentityMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._identity``."""

    _transport: Transport
    _identity: identity_service_pb2_grpc.IdentityServiceStub

    # ---- sign-in -------------------------------------------------------------------------

    @staticmethod
    def sign_in(
        url: str,
        username: str,
        password: str,
        new_password: str | None = None,
        expiration_time=api_key_pb2.API_KEY_EXPIRATION_TIME_ONE_MONTH,
        timeout: float = 60,
        *,
        tls: bool = False,
        root_certificates=None,
        certificate_chain=None,
        private_key=None,
    ) -> str:
        """Exchange a username and password for a new API key (valid one month by default).

        A temporary password must be replaced at the first sign-in: pass ``new_password``.
        ``tls``, ``root_certificates``, ``certificate_chain`` and ``private_key`` are
        ``driftline.Client``'s.

        Example:
            >>> api_key = driftline.Client.sign_in("127.0.0.1:50051", "ada", "temporary-pw",
            ...                                    new_password="a much better one")
            >>> client = driftline.Client("127.0.0.1:50051", api_key=api_key)
            >>> api_key = driftline.Client.sign_in("driftline.example.com:443", "ada",
            ...                                    "a much better one", tls=True)
        """
        transport = Transport(url, None, timeout, tls=TLSConfig.from_arguments(
            tls, root_certificates, certificate_chain, private_key))
        try:
            stub = identity_service_pb2_grpc.IdentityServiceStub(transport.channel)
            response = transport.call(
                stub.SignIn,
                pb.SignInRequest(
                    username=username,
                    password=password,
                    new_password=new_password or "",
                    expiration_time=_expiration(expiration_time),
                ),
            )
        finally:
            transport.close()
        return response.api_key

    def change_password(self, current_password: str, new_password: str) -> None:
        """Change your password (at least 10 characters).

        Example:
            >>> client.change_password("old password 1", "new password 2")
        """
        self._transport.call(
            self._identity.ChangePassword,
            pb.ChangePasswordRequest(current_password=current_password, new_password=new_password),
        )

    def get_current_user(self) -> CompanyUser:
        """The user this client's API key belongs to.

        Example:
            >>> me = client.get_current_user()
            >>> me.user_id, me.company_role.name
        """
        return convert.user_from_proto(self._transport.call(
            self._identity.GetCurrentUser, pb.GetCurrentUserRequest(), idempotent=True
        ).user)

    # ---- company -------------------------------------------------------------------------

    def create_company(self, name: str, address: str = "", vat: str = "") -> str:
        """Create your company (only if you have none); you become its COMPANY_OWNER.

        Example:
            >>> company_id = client.create_company(name="Acme", address="1 Main St", vat="IT1")
        """
        response = self._transport.call(
            self._identity.CreateCompany,
            pb.CreateCompanyRequest(
                name=name, address=address or "", vat=vat or "", request_id=_request_id()
            ),
            idempotent=True,  # the request id makes a retry return the same company
        )
        return response.company.id

    def get_company(self) -> Company:
        """Your company.

        Example:
            >>> company = client.get_company()
            >>> company.company_id, company.name
        """
        return convert.company_from_proto(self._transport.call(
            self._identity.GetCompany, pb.GetCompanyRequest(), idempotent=True
        ).company)

    def update_company(
        self, name: str | None = None, address: str | None = None, vat: str | None = None
    ) -> None:
        """Update your company; fields left None are not changed (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> client.update_company(vat="IT0987654321")
        """
        values = {"name": name, "address": address, "vat": vat}
        paths = [field for field, value in values.items() if value is not None]
        if not paths:
            return
        self._transport.call(
            self._identity.UpdateCompany,
            pb.UpdateCompanyRequest(
                company=company_pb2.Company(**{f: values[f] for f in paths}),
                update_mask=field_mask_pb2.FieldMask(paths=paths),
            ),
            idempotent=True,
        )

    # ---- subscription plans ----------------------------------------------------------------

    def get_all_company_subscription_plans(self) -> list[SubscriptionPlanInfo]:
        """Every plan period of your company, newest first: the active one, then those it
        replaced (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> for plan in client.get_all_company_subscription_plans():
            ...     print(plan.name, plan.start_date, plan.expiration_date, plan.max_projects)
        """

        return list(Pager(self._transport.call, self._identity.ListCompanySubscriptionPlans,
                          pb.ListCompanySubscriptionPlansRequest(), "subscription_plans",
                          convert.subscription_plan_from_proto))

    def get_active_subscription_plan(self) -> SubscriptionPlanInfo | None:
        """Your company's plan now, or None when it has none (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> plan = client.get_active_subscription_plan()
            >>> plan.name, plan.max_projects  # 0: unlimited
            ('default', 0)
        """
        response = self._transport.call(
            self._identity.GetActiveSubscriptionPlan,
            pb.GetActiveSubscriptionPlanRequest(),
            idempotent=True,
        )
        if not response.HasField("subscription_plan"):
            return None
        return convert.subscription_plan_from_proto(response.subscription_plan)

    # ---- company users -------------------------------------------------------------------

    def create_company_user(
        self, name: str, surname: str, username: str, password: str, email: str, company_role
    ) -> str:
        """Create a user in your company with a temporary password (COMPANY_OWNER).

        ``company_role``: ``user_pb2.COMPANY_ROLE_COMPANY_USER`` (or "COMPANY_USER"),
        COMPANY_ADMIN or COMPANY_NONE. Returns the new user's id.

        Example:
            >>> user_id = client.create_company_user("Ada", "Lovelace", "ada", "temporary-pw1",
            ...                                      "ada@example.com", "COMPANY_USER")
        """
        response = self._transport.call(
            self._identity.CreateCompanyUser,
            pb.CreateCompanyUserRequest(
                name=name,
                surname=surname,
                username=username,
                password=password,
                email=email,
                company_role=_company_role(company_role),
                request_id=_request_id(),
            ),
            idempotent=True,
        )
        return response.user.id

    def iter_company_users(self, *, page_size: int | None = None,
                           limit: int | None = None) -> Pager[CompanyUser]:
        """The users of your company, fetched a page at a time as you iterate.

        Example:
            >>> for user in client.iter_company_users(page_size=100):
            ...     print(user.user_id, user.username)
        """
        return Pager(self._transport.call, self._identity.ListCompanyUsers,
                     pb.ListCompanyUsersRequest(), "users", convert.user_from_proto,
                     page_size=page_size, limit=limit)

    def get_company_users(self) -> list[CompanyUser]:
        """The users of your company.

        Example:
            >>> [user.username for user in client.get_company_users()]
        """
        return list(self.iter_company_users())

    def show_company_users(self) -> None:
        """Print the users of your company.

        Example:
            >>> client.show_company_users()
        """
        display.show(self.iter_company_users(), display.COMPANY_USER_COLUMNS)

    def change_user_company_role(self, user_id: str, company_role) -> None:
        """Change a user's company role (COMPANY_OWNER; COMPANY_ADMIN for users below admin).

        Example:
            >>> client.change_user_company_role(user_id, "COMPANY_ADMIN")
        """
        self._transport.call(
            self._identity.ChangeUserCompanyRole,
            pb.ChangeUserCompanyRoleRequest(
                user_id=user_id, company_role=_company_role(company_role)
            ),
            idempotent=True,
        )

    def change_company_owner(self, user_id: str) -> None:
        """Pass ownership of your company to another user; you become COMPANY_ADMIN.

        Example:
            >>> client.change_company_owner(user_id)
        """
        self._transport.call(
            self._identity.ChangeCompanyOwner, pb.ChangeCompanyOwnerRequest(user_id=user_id)
        )

    def delete_company_user(self, user_id: str) -> None:
        """Delete a user of your company, with their API keys and project roles.

        Example:
            >>> client.delete_company_user(user_id)
        """
        self._transport.call(
            self._identity.DeleteCompanyUser, pb.DeleteCompanyUserRequest(user_id=user_id)
        )

    # ---- project roles -------------------------------------------------------------------

    def get_user_projects(self, user_id: str) -> list[UserProject]:
        """The projects a user can view, with their role on each.

        Example:
            >>> [(p.name, p.role.name) for p in client.get_user_projects(user_id)]
        """
        response = self._transport.call(
            self._identity.GetUserProjects,
            pb.GetUserProjectsRequest(user_id=user_id),
            idempotent=True,
        )
        return [convert.user_project_from_proto(project) for project in response.projects]

    def show_user_projects(self, user_id: str) -> None:
        """Print the projects a user can view.

        Example:
            >>> client.show_user_projects(user_id)
        """
        display.show(self.get_user_projects(user_id), display.USER_PROJECT_COLUMNS)

    def add_user_project_role(self, user_id: str, project_id: str, project_role) -> None:
        """Give a COMPANY_USER a role on a project (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> client.add_user_project_role(user_id, project_id, "PROJECT_VIEW")
        """
        self._transport.call(
            self._identity.AddUserProjectRole,
            pb.AddUserProjectRoleRequest(
                user_id=user_id, project_id=project_id, project_role=_project_role(project_role)
            ),
            idempotent=True,
        )

    def delete_project_role(self, user_id: str, project_id: str) -> None:
        """Remove a COMPANY_USER's role on a project (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> client.delete_project_role(user_id, project_id)
        """
        self._transport.call(
            self._identity.DeleteUserProjectRole,
            pb.DeleteUserProjectRoleRequest(user_id=user_id, project_id=project_id),
        )

    # ---- API keys ------------------------------------------------------------------------

    def _keys(self, user_id: str | None) -> Pager[ApiKey]:
        if user_id is None:
            return Pager(self._transport.call, self._identity.ListApiKeys,
                         pb.ListApiKeysRequest(), "api_keys", convert.api_key_from_proto)
        return Pager(self._transport.call, self._identity.ListUserApiKeys,
                     pb.ListUserApiKeysRequest(user_id=user_id), "api_keys",
                     convert.api_key_from_proto)

    def get_api_keys(self) -> list[ApiKey]:
        """Your API keys (never their secrets).

        Example:
            >>> [(key.api_key_id, key.prefix) for key in client.get_api_keys()]
        """
        return list(self._keys(None))

    def show_api_keys(self) -> None:
        """Print your API keys.

        Example:
            >>> client.show_api_keys()
        """
        display.show(self._keys(None), display.API_KEY_COLUMNS)

    def create_api_key(self, name: str | None = None, expiration_time=None) -> str:
        """Create an API key for yourself; the key is returned only here.

        ``expiration_time``: ``api_key_pb2.API_KEY_EXPIRATION_TIME_ONE_MONTH`` (or "ONE_MONTH"),
        THREE_MONTHS, SIX_MONTHS, ONE_YEAR or NEVER. ``create_api_key(expiration_time)`` alone
        works too.

        Example:
            >>> key = client.create_api_key("ci", "ONE_YEAR")
        """
        if expiration_time is None and not isinstance(name, str | None):
            name, expiration_time = None, name
        response = self._transport.call(
            self._identity.CreateApiKey,
            pb.CreateApiKeyRequest(name=name or "", expiration_time=_expiration(expiration_time)),
        )
        return response.api_key

    def delete_api_key(self, api_key: str) -> None:
        """Delete one of your API keys (give its id or the key itself); it stops working at once.

        Example:
            >>> client.delete_api_key(key_id)
        """
        self._transport.call(
            self._identity.DeleteApiKey, pb.DeleteApiKeyRequest(api_key_id=_key_id(api_key))
        )

    def get_user_api_keys(self, user_id: str) -> list[ApiKey]:
        """Another user's API keys (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> [key.api_key_id for key in client.get_user_api_keys(user_id)]
        """
        return list(self._keys(user_id))

    def show_user_api_keys(self, user_id: str) -> None:
        """Print another user's API keys (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> client.show_user_api_keys(user_id)
        """
        display.show(self._keys(user_id), display.API_KEY_COLUMNS)

    def create_user_api_key(
        self, user_id: str, name: str | None = None, expiration_time=None
    ) -> str:
        """Create an API key for another user of your company (COMPANY_OWNER, COMPANY_ADMIN).

        Example:
            >>> key = client.create_user_api_key(user_id, "laptop", "ONE_MONTH")
        """
        if expiration_time is None and not isinstance(name, str | None):
            name, expiration_time = None, name
        response = self._transport.call(
            self._identity.CreateUserApiKey,
            pb.CreateUserApiKeyRequest(
                user_id=user_id, name=name or "", expiration_time=_expiration(expiration_time)
            ),
        )
        return response.api_key

    def delete_user_api_key(self, user_id: str, api_key: str) -> None:
        """Delete another user's API key (its id or the key itself).

        Example:
            >>> client.delete_user_api_key(user_id, key_id)
        """
        self._transport.call(
            self._identity.DeleteUserApiKey,
            pb.DeleteUserApiKeyRequest(user_id=user_id, api_key_id=_key_id(api_key)),
        )

    # ---- integration credentials ---------------------------------------------------------

    def _create_credentials(self, **fields) -> IntegrationCredentials:
        return convert.integration_credentials_from_proto(self._transport.call(
            self._identity.CreateIntegrationCredentials,
            pb.CreateIntegrationCredentialsRequest(**fields, request_id=_request_id()),
            idempotent=True,
        ).credentials)

    def create_aws_integration_credentials(
        self, name: str, default: bool, project_id: str, role_arn: str
    ) -> IntegrationCredentials:
        """Credentials for AWS through an IAM role. The result's ``aws.external_id`` goes into
        the role's trust policy; ``credentials_id`` identifies the credentials.

        Example:
            >>> creds = client.create_aws_integration_credentials(
            ...     "prod", True, project_id, "arn:aws:iam::123456789012:role/driftline")
            >>> creds.aws.external_id
        """
        return self._create_credentials(
            name=name,
            default=default,
            project_id=project_id,
            aws=pb.AwsCredentialsInput(role_arn=role_arn),
        )

    def create_aws_compatible_integration_credentials(
        self,
        name: str,
        default: bool,
        project_id: str,
        access_key_id: str,
        secret_access_key: str,
        endpoint_url: str | None = None,
    ) -> IntegrationCredentials:
        """Credentials for an S3-compatible service (or AWS itself when endpoint_url is None).

        Example:
            >>> creds = client.create_aws_compatible_integration_credentials(
            ...     "minio", False, project_id, "AKIA...", "secret", "https://minio.local")
        """
        return self._create_credentials(
            name=name,
            default=default,
            project_id=project_id,
            aws_compatible=pb.AwsCompatibleCredentialsInput(
                access_key_id=access_key_id,
                secret_access_key=secret_access_key,
                endpoint_url=endpoint_url or "",
            ),
        )

    def create_gcp_integration_credentials(
        self, name: str, default: bool, project_id: str, service_account_info_json: str
    ) -> IntegrationCredentials:
        """Credentials for GCP from a service account key file's JSON.

        Example:
            >>> creds = client.create_gcp_integration_credentials(
            ...     "gcp", True, project_id, open("key.json").read())
        """
        return self._create_credentials(
            name=name,
            default=default,
            project_id=project_id,
            gcp=pb.GcpCredentialsInput(service_account_info_json=service_account_info_json),
        )

    def create_azure_integration_credentials(
        self, name: str, default: bool, project_id: str, service_principal_credentials_json: str
    ) -> IntegrationCredentials:
        """Credentials for Azure from a service principal's JSON.

        Example:
            >>> creds = client.create_azure_integration_credentials(
            ...     "azure", True, project_id, sp_json)
        """
        return self._create_credentials(
            name=name,
            default=default,
            project_id=project_id,
            azure=pb.AzureCredentialsInput(
                service_principal_credentials_json=service_principal_credentials_json
            ),
        )

    def create_llm_integration_credentials(
        self,
        name: str,
        default: bool,
        project_id: str,
        provider,
        api_key: str,
        endpoint_url: str | None = None,
        api_version: str | None = None,
    ) -> IntegrationCredentials:
        """Credentials for an LLM provider (e.g. the LLM judge of RAG evaluation reports).

        ``provider`` is "openai", "anthropic", "azure_openai" or "google" (the Gemini API; also
        "google_ai"), or an ``ExternalIntegration`` value. ``endpoint_url`` overrides the
        provider's public base URL (a gateway or a compatible server); Azure OpenAI requires it,
        the resource's endpoint, and ``api_version``. The key is stored encrypted and returned
        masked (``llm_provider.masked_api_key``).

        Example:
            >>> creds = client.create_llm_integration_credentials(
            ...     "judge", True, project_id, "openai", "sk-...")
            >>> azure = client.create_llm_integration_credentials(
            ...     "azure judge", False, project_id, "azure_openai", azure_key,
            ...     endpoint_url="https://my-resource.openai.azure.com",
            ...     api_version="2024-10-21")
            >>> creds.llm_provider.masked_api_key
        """
        return self._create_credentials(
            name=name,
            default=default,
            project_id=project_id,
            llm_provider=pb.LlmProviderCredentialsInput(
                provider=_llm_provider(provider),
                api_key=api_key,
                endpoint_url=endpoint_url or "",
                api_version=api_version or "",
            ),
        )

    def get_integration_credentials(
        self, credentials_id: str
    ) -> IntegrationCredentials:
        """One set of credentials, secrets masked.

        Example:
            >>> client.get_integration_credentials(credentials_id).name
        """
        return convert.integration_credentials_from_proto(self._transport.call(
            self._identity.GetIntegrationCredentials,
            pb.GetIntegrationCredentialsRequest(credentials_id=credentials_id),
            idempotent=True,
        ).credentials)

    def get_all_project_integration_credentials(
        self, project_id: str
    ) -> list[IntegrationCredentials]:
        """Every set of credentials of a project, secrets masked.

        Example:
            >>> [c.name for c in client.get_all_project_integration_credentials(project_id)]
        """

        return list(Pager(self._transport.call, self._identity.ListIntegrationCredentials,
                          pb.ListIntegrationCredentialsRequest(project_id=project_id),
                          "credentials", convert.integration_credentials_from_proto))

    def delete_integration_credentials(self, credentials_id: str) -> None:
        """Delete a set of credentials.

        Example:
            >>> client.delete_integration_credentials(credentials_id)
        """
        self._transport.call(
            self._identity.DeleteIntegrationCredentials,
            pb.DeleteIntegrationCredentialsRequest(credentials_id=credentials_id),
        )

    def set_integration_credentials_as_default(self, credentials_id: str) -> None:
        """Make a set of credentials the project's default for its provider.

        Example:
            >>> client.set_integration_credentials_as_default(credentials_id)
        """
        self._transport.call(
            self._identity.SetDefaultIntegrationCredentials,
            pb.SetDefaultIntegrationCredentialsRequest(credentials_id=credentials_id),
            idempotent=True,
        )
