"""Who may call what: every Identity RPC against every kind of caller.

Callers: the company's owner and admin, COMPANY_USER members without project roles and with
each project role on the matrix's project, a COMPANY_NONE member, a user without a company,
and the owner of another company (who must find nothing of this one).
"""

from __future__ import annotations

import uuid

import driftline
import pytest
from driftline.identity.v1 import identity_service_pb2 as pb

ROLE_ARN = "arn:aws:iam::123456789012:role/matrix"
CALLERS = [
    "owner",
    "admin",
    "user",
    "project_admin",
    "project_user",
    "project_view",
    "none",
    "no_company",
    "other",
]
OK = "ok"
PD = driftline.PermissionDeniedError
NF = driftline.NotFoundError
FP = driftline.FailedPreconditionError


class Context:
    def __init__(self, company, project_id: str, credentials_id: str):
        self.company = company
        self.owner = company.owner
        self.project_id = project_id
        self.credentials_id = credentials_id

    def target(self, project_role: str | None = None) -> str:
        """A fresh COMPANY_USER of the company (optionally with a role on the project)."""
        name = f"target-{uuid.uuid4().hex[:10]}"
        user_id = self.owner.create_company_user(
            "Target", "User", name, "Temporary-password-1", f"{name}@example.com", "COMPANY_USER"
        )
        if project_role:
            self.owner.add_user_project_role(user_id, self.project_id, project_role)
        return user_id

    def credentials(self) -> str:
        return self.owner.create_aws_integration_credentials(
            "matrix", False, self.project_id, ROLE_ARN
        ).credentials_id


def internal_only(client, ctx):
    client.stubs.call(
        client.stubs.identity.AuthenticateApiKey, pb.AuthenticateApiKeyRequest(api_key="dl_x")
    )


def storage_credentials(client, ctx):
    client.stubs.call(
        client.stubs.identity.ResolveStorageCredentials,
        pb.ResolveStorageCredentialsRequest(project_id=ctx.project_id),
    )


def integration_credentials(client, ctx):
    client.stubs.call(
        client.stubs.identity.ResolveIntegrationCredentials,
        pb.ResolveIntegrationCredentialsRequest(credentials_id="0" * 32,
                                                project_id=ctx.project_id),
    )


def delete_own_key(client, ctx):
    client.delete_api_key(client.create_api_key("to delete", "ONE_MONTH"))


def delete_user_key(client, ctx):
    target = ctx.target()
    key = ctx.owner.create_user_api_key(target, "k", "NEVER")
    client.delete_user_api_key(target, key)


def managers(other=NF, no_company=FP, **overrides):
    """Owner and admin may; everyone else in the company is denied."""
    expected = {c: PD for c in CALLERS} | {
        "owner": OK,
        "admin": OK,
        "other": other,
        "no_company": no_company,
    }
    return expected | overrides


def project_admins(**overrides):
    expected = {c: PD for c in CALLERS} | {
        "owner": OK,
        "admin": OK,
        "project_admin": OK,
        "no_company": NF,
        "other": NF,
    }
    return expected | overrides


def project_viewers(**overrides):
    return project_admins(project_user=OK, project_view=OK) | overrides


def everyone(**overrides):
    return {c: OK for c in CALLERS} | overrides


MATRIX = {
    "GetCurrentUser": (lambda c, x: c.get_current_user(), everyone()),
    "GetCompany": (lambda c, x: c.get_company(), everyone(no_company=FP)),
    "UpdateCompany": (lambda c, x: c.update_company(address="Matrix Street 1"), managers(other=OK)),
    "CreateCompany": (
        lambda c, x: c.create_company(name="Second"),
        {c: FP for c in CALLERS if c != "no_company"},
    ),
    "CreateCompanyUser": (
        lambda c, x: c.create_company_user(
            "N",
            "S",
            f"m-{uuid.uuid4().hex[:10]}",
            "Temporary-password-1",
            f"m-{uuid.uuid4().hex[:10]}@example.com",
            "COMPANY_USER",
        ),
        managers(admin=PD, other=OK),
    ),
    "ListCompanyUsers": (lambda c, x: c.get_company_users(), everyone(none=PD, no_company=FP)),

    "ChangeUserCompanyRole": (
        lambda c, x: c.change_user_company_role(x.target(), "COMPANY_NONE"),
        managers(),
    ),
    "ChangeCompanyOwner": (
        lambda c, x: c.change_company_owner(x.target()),
        {k: v for k, v in managers().items() if k != "owner"} | {"admin": PD},
    ),
    "DeleteCompanyUser": (lambda c, x: c.delete_company_user(x.target()), managers()),
    "GetUserProjects": (lambda c, x: c.get_user_projects(x.target("PROJECT_VIEW")), managers()),
    "GetUserProjects(self)": (lambda c, x: c.get_user_projects(c.user_id), everyone(no_company=FP)),
    "AddUserProjectRole": (
        lambda c, x: c.add_user_project_role(x.target(), x.project_id, "PROJECT_VIEW"),
        managers(),
    ),
    "DeleteUserProjectRole": (
        lambda c, x: c.delete_project_role(x.target("PROJECT_USER"), x.project_id),
        managers(),
    ),
    "CreateApiKey": (lambda c, x: c.create_api_key("matrix", "ONE_MONTH"), everyone()),
    "ListApiKeys": (lambda c, x: c.get_api_keys(), everyone()),
    "DeleteApiKey": (delete_own_key, everyone()),
    "CreateUserApiKey": (lambda c, x: c.create_user_api_key(x.target(), "k", "NEVER"), managers()),
    "ListUserApiKeys": (lambda c, x: c.get_user_api_keys(x.target()), managers()),
    "DeleteUserApiKey": (delete_user_key, managers()),
    "CreateIntegrationCredentials": (
        lambda c, x: c.create_aws_integration_credentials("m", False, x.project_id, ROLE_ARN),
        project_admins(),
    ),
    "GetIntegrationCredentials": (
        lambda c, x: c.get_integration_credentials(x.credentials_id),
        project_viewers(),
    ),
    "ListIntegrationCredentials": (
        lambda c, x: c.get_all_project_integration_credentials(x.project_id),
        project_viewers(),
    ),
    "DeleteIntegrationCredentials": (
        lambda c, x: c.delete_integration_credentials(x.credentials()),
        project_admins(),
    ),
    "SetDefaultIntegrationCredentials": (
        lambda c, x: c.set_integration_credentials_as_default(x.credentials()),
        project_admins(),
    ),
    "ListCompanySubscriptionPlans": (
        lambda c, x: c.get_all_company_subscription_plans(), managers(other=OK)),
    "GetActiveSubscriptionPlan": (
        lambda c, x: c.get_active_subscription_plan(), managers(other=OK)),
    "AuthenticateApiKey": (internal_only, {c: PD for c in CALLERS}),
    "ResolveStorageCredentials": (storage_credentials, {c: PD for c in CALLERS}),
    "ResolveIntegrationCredentials": (integration_credentials, {c: PD for c in CALLERS}),
}

CASES = [
    (rpc, caller, expected)
    for rpc, (_, table) in MATRIX.items()
    for caller, expected in table.items()
]


@pytest.fixture(scope="module")
def context(company, new_project):
    project_id = new_project(company.owner, "matrix")
    credentials_id = company.owner.create_aws_integration_credentials(
        "matrix", False, project_id, ROLE_ARN
    ).credentials_id
    return Context(company, project_id, credentials_id)


@pytest.fixture(scope="module")
def callers(server, company, other_company, context):
    def no_company():
        user_id, key = server.create_user(f"loner-{uuid.uuid4().hex[:8]}@example.com")
        client = company.client(key, user_id)
        return client

    made = {
        "owner": company.owner,
        "admin": company.admin,
        "user": company.user,
        "project_admin": company.member("COMPANY_USER", {context.project_id: "PROJECT_ADMIN"}),
        "project_user": company.member("COMPANY_USER", {context.project_id: "PROJECT_USER"}),
        "project_view": company.member("COMPANY_USER", {context.project_id: "PROJECT_VIEW"}),
        "none": company.member("COMPANY_NONE"),
        "no_company": no_company(),
        "other": other_company,
    }
    if not hasattr(other_company, "user_id"):
        other_company.user_id = other_company.get_current_user().user_id

    return made


@pytest.mark.parametrize(
    "rpc, caller, expected",
    CASES,
    ids=[f"{rpc}-{caller}" for rpc, caller, _ in CASES],
)
def test_authorization(rpc, caller, expected, callers, context):
    call = MATRIX[rpc][0]
    client = callers[caller]
    if expected == OK:
        call(client, context)
    else:
        with pytest.raises(expected) as error:
            call(client, context)
        if expected is NF:
            assert error.value.error_code.endswith("_NOT_FOUND")


def test_every_rpc_is_in_the_matrix():
    rpcs = set(pb.DESCRIPTOR.services_by_name["IdentityService"].methods_by_name)
    covered = {name.split("(")[0] for name in MATRIX}
    # SignIn and ChangePassword need no role (tested in test_identity_sign_in).
    assert rpcs - covered == {"SignIn", "ChangePassword"}
