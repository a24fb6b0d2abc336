"""Every Identity RPC that takes an id names the missing or malformed one in its
INVALID_ARGUMENT (BadRequest field violations)."""

from __future__ import annotations

import driftline
import pytest
from driftline.identity.v1 import identity_service_pb2 as pb

CASES = [
    ("ChangeUserCompanyRole", pb.ChangeUserCompanyRoleRequest(company_role=3), "user_id"),
    ("ChangeCompanyOwner", pb.ChangeCompanyOwnerRequest(), "user_id"),
    ("DeleteCompanyUser", pb.DeleteCompanyUserRequest(user_id="x" * 65), "user_id"),
    ("GetUserProjects", pb.GetUserProjectsRequest(), "user_id"),
    ("DeleteUserProjectRole", pb.DeleteUserProjectRoleRequest(user_id="u"), "project_id"),
    ("DeleteApiKey", pb.DeleteApiKeyRequest(), "api_key_id"),
    ("ListUserApiKeys", pb.ListUserApiKeysRequest(), "user_id"),
    ("CreateUserApiKey", pb.CreateUserApiKeyRequest(expiration_time=1), "user_id"),
    ("DeleteUserApiKey", pb.DeleteUserApiKeyRequest(api_key_id="k"), "user_id"),
    ("GetIntegrationCredentials", pb.GetIntegrationCredentialsRequest(), "credentials_id"),
    ("ListIntegrationCredentials", pb.ListIntegrationCredentialsRequest(), "project_id"),
    ("DeleteIntegrationCredentials", pb.DeleteIntegrationCredentialsRequest(), "credentials_id"),
    (
        "SetDefaultIntegrationCredentials",
        pb.SetDefaultIntegrationCredentialsRequest(),
        "credentials_id",
    ),
    ("ListApiKeys", pb.ListApiKeysRequest(page_size=-1), "page_size"),
    ("ListApiKeys", pb.ListApiKeysRequest(page_token="bm90IGEgdG9rZW4="), "page_token"),
    ("ChangePassword", pb.ChangePasswordRequest(new_password="short"), "new_password"),
    ("SignIn", pb.SignInRequest(username="someone"), "password"),
]


@pytest.mark.parametrize(
    "rpc, request_message, field", CASES, ids=[f"{rpc}-{field}" for rpc, _, field in CASES]
)
def test_invalid_ids_are_named(company, rpc, request_message, field):
    client = company.owner
    with pytest.raises(driftline.InvalidArgumentError) as error:
        client.stubs.call(getattr(client.stubs.identity, rpc), request_message)
    assert field in [f for f, _ in error.value.field_violations], error.value
    assert error.value.error_message
