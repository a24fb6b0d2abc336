"""IdentityService over gRPC: each method translates protobuf to domain calls and back."""

from __future__ import annotations

from driftline.identity.v1 import identity_service_pb2 as pb
from driftline.identity.v1 import identity_service_pb2_grpc
from driftline_server.identity import conversions as conv
from driftline_server.identity.accounts import Accounts
from driftline_server.identity.common import ApiKeyExpiration
from driftline_server.identity.credentials import IntegrationCredentialsStore
from driftline_server.identity.plans import Plans
from driftline_server.platform.errors import PermissionDenied
from driftline_server.platform.roles import current_caller


class IdentityServicer(identity_service_pb2_grpc.IdentityServiceServicer):
    def __init__(self, accounts: Accounts, credentials: IntegrationCredentialsStore,
                 plans: Plans):
        self._accounts = accounts
        self._credentials = credentials
        self._plans = plans

    # ---- sign-in and authentication ------------------------------------------------------

    async def SignIn(self, request, context):
        result = await self._accounts.sign_in(
            request.username,
            request.password,
            request.new_password,
            request.api_key_name,
            conv.expiration_from_pb(request.expiration_time) or ApiKeyExpiration.ONE_MONTH,
        )
        return pb.SignInResponse(user_id=result.user.id, **conv.issued_key_fields(result.key))

    async def ChangePassword(self, request, context):
        await self._accounts.change_password(
            current_caller(), request.current_password, request.new_password
        )
        return pb.ChangePasswordResponse()

    async def GetCurrentUser(self, request, context):
        user = await self._accounts.get_current_user(current_caller())
        return pb.GetCurrentUserResponse(user=conv.user_to_pb(user))

    async def AuthenticateApiKey(self, request, context):
        if not current_caller().internal:  # also enforced by the server's internal_methods
            raise PermissionDenied(
                reason="INTERNAL_METHOD", message="for Driftline's services only"
            )
        caller = await self._accounts.authenticate_api_key(request.api_key)
        return conv.caller_to_pb(caller)

    # ---- companies -----------------------------------------------------------------------

    async def CreateCompany(self, request, context):
        company = await self._accounts.create_company(
            current_caller(), request.name, request.address, request.vat, request.request_id
        )
        return pb.CreateCompanyResponse(company=conv.company_to_pb(company))

    async def GetCompany(self, request, context):
        company = await self._accounts.get_company(current_caller())
        return pb.GetCompanyResponse(company=conv.company_to_pb(company))

    async def UpdateCompany(self, request, context):
        company = await self._accounts.update_company(
            current_caller(),
            conv.company_values_from_pb(request.company),
            list(request.update_mask.paths),
        )
        return pb.UpdateCompanyResponse(company=conv.company_to_pb(company))

    # ---- subscription plans --------------------------------------------------------------

    async def ListCompanySubscriptionPlans(self, request, context):
        rows, token = await self._plans.list_company_plans(
            current_caller(), request.page_size, request.page_token
        )
        return pb.ListCompanySubscriptionPlansResponse(
            subscription_plans=[conv.subscription_plan_to_pb(row) for row in rows],
            next_page_token=token,
        )

    async def GetActiveSubscriptionPlan(self, request, context):
        row = await self._plans.active_plan(current_caller(), request.company_id)
        if row is None:
            return pb.GetActiveSubscriptionPlanResponse()
        return pb.GetActiveSubscriptionPlanResponse(
            subscription_plan=conv.subscription_plan_to_pb(row)
        )

    # ---- company users -------------------------------------------------------------------

    async def CreateCompanyUser(self, request, context):
        user = await self._accounts.create_company_user(
            current_caller(),
            request.name,
            request.surname,
            request.username,
            request.password,
            request.email,
            conv.company_role_from_pb(request.company_role),
            request.request_id,
        )
        return pb.CreateCompanyUserResponse(user=conv.user_to_pb(user))

    async def ListCompanyUsers(self, request, context):
        users, token = await self._accounts.list_company_users(
            current_caller(), request.page_size, request.page_token
        )
        return pb.ListCompanyUsersResponse(
            users=[conv.user_to_pb(u) for u in users], next_page_token=token
        )

    async def ChangeUserCompanyRole(self, request, context):
        user = await self._accounts.change_user_company_role(
            current_caller(), request.user_id, conv.company_role_from_pb(request.company_role)
        )
        return pb.ChangeUserCompanyRoleResponse(user=conv.user_to_pb(user))

    async def ChangeCompanyOwner(self, request, context):
        await self._accounts.change_company_owner(current_caller(), request.user_id)
        return pb.ChangeCompanyOwnerResponse()

    async def DeleteCompanyUser(self, request, context):
        await self._accounts.delete_company_user(current_caller(), request.user_id)
        return pb.DeleteCompanyUserResponse()

    # ---- project roles -------------------------------------------------------------------

    async def GetUserProjects(self, request, context):
        projects = await self._accounts.get_user_projects(current_caller(), request.user_id)
        return pb.GetUserProjectsResponse(projects=[conv.user_project_to_pb(p) for p in projects])

    async def AddUserProjectRole(self, request, context):
        await self._accounts.add_user_project_role(
            current_caller(),
            request.user_id,
            request.project_id,
            conv.project_role_from_pb(request.project_role),
        )
        return pb.AddUserProjectRoleResponse()

    async def DeleteUserProjectRole(self, request, context):
        await self._accounts.delete_user_project_role(
            current_caller(), request.user_id, request.project_id
        )
        return pb.DeleteUserProjectRoleResponse()

    # ---- API keys ------------------------------------------------------------------------

    async def CreateApiKey(self, request, context):
        issued = await self._accounts.create_api_key(
            current_caller(), request.name, conv.expiration_from_pb(request.expiration_time)
        )
        return pb.CreateApiKeyResponse(**conv.issued_key_fields(issued))

    async def ListApiKeys(self, request, context):
        rows, token = await self._accounts.list_api_keys(
            current_caller(), request.page_size, request.page_token
        )
        return pb.ListApiKeysResponse(
            api_keys=[conv.api_key_to_pb(r) for r in rows], next_page_token=token
        )

    async def DeleteApiKey(self, request, context):
        await self._accounts.delete_api_key(current_caller(), request.api_key_id)
        return pb.DeleteApiKeyResponse()

    async def CreateUserApiKey(self, request, context):
        issued = await self._accounts.create_user_api_key(
            current_caller(),
            request.user_id,
            request.name,
            conv.expiration_from_pb(request.expiration_time),
        )
        return pb.CreateUserApiKeyResponse(**conv.issued_key_fields(issued))

    async def ListUserApiKeys(self, request, context):
        rows, token = await self._accounts.list_user_api_keys(
            current_caller(), request.user_id, request.page_size, request.page_token
        )
        return pb.ListUserApiKeysResponse(
            api_keys=[conv.api_key_to_pb(r) for r in rows], next_page_token=token
        )

    async def DeleteUserApiKey(self, request, context):
        await self._accounts.delete_user_api_key(
            current_caller(), request.user_id, request.api_key_id
        )
        return pb.DeleteUserApiKeyResponse()

    # ---- integration credentials ---------------------------------------------------------

    async def CreateIntegrationCredentials(self, request, context):
        stored = await self._credentials.create(
            current_caller(),
            request.project_id,
            request.name,
            request.default,
            conv.credentials_input_from_pb(request),
            request.request_id,
        )
        return pb.CreateIntegrationCredentialsResponse(credentials=conv.credentials_to_pb(stored))

    async def GetIntegrationCredentials(self, request, context):
        stored = await self._credentials.get(current_caller(), request.credentials_id)
        return pb.GetIntegrationCredentialsResponse(credentials=conv.credentials_to_pb(stored))

    async def ListIntegrationCredentials(self, request, context):
        items, token = await self._credentials.list(
            current_caller(), request.project_id, request.page_size, request.page_token
        )
        return pb.ListIntegrationCredentialsResponse(
            credentials=[conv.credentials_to_pb(c) for c in items], next_page_token=token
        )

    async def DeleteIntegrationCredentials(self, request, context):
        await self._credentials.delete(current_caller(), request.credentials_id)
        return pb.DeleteIntegrationCredentialsResponse()

    async def SetDefaultIntegrationCredentials(self, request, context):
        await self._credentials.set_default(current_caller(), request.credentials_id)
        return pb.SetDefaultIntegrationCredentialsResponse()

    async def ResolveStorageCredentials(self, request, context):
        resolved = await self._credentials.resolve_storage(current_caller(), request.project_id)
        return conv.storage_credentials_to_pb(resolved)

    async def ResolveIntegrationCredentials(self, request, context):
        kind, resolved = await self._credentials.resolve(
            current_caller(), request.credentials_id, request.project_id)
        response = pb.ResolveIntegrationCredentialsResponse(
            credentials_id=request.credentials_id.strip(),
            type=conv.INTEGRATION_TO_PB[kind])
        response.credentials.update(resolved)
        return response
