"""The first steps on a fresh server: create-user CLI, company, members, sign-in."""

from __future__ import annotations

import driftline
import grpc
import pytest
from driftline.identity.v1 import identity_service_pb2 as pb
from driftline.identity.v1 import identity_service_pb2_grpc, user_pb2


def test_create_user_cli_prints_a_working_never_expiring_key(server):
    user_id, api_key = server.create_user("first@example.com")
    assert api_key.startswith("dl_") and len(api_key) >= 40
    with driftline.Client(server.address, api_key) as client:
        me = client.get_current_user()
        assert me.user_id == user_id and me.company_id is None
        assert me.company_role == user_pb2.COMPANY_ROLE_COMPANY_NONE
        [key] = client.get_api_keys()
        assert key.expiration_datetime is None


def test_create_user_cli_refuses_a_duplicate_email(server):
    server.create_user("twice@example.com")
    result = server.cli(
        "admin",
        "create-user",
        "--email",
        "twice@example.com",
        "--name",
        "A",
        "--surname",
        "B",
        check=False,
    )
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert "api_key" not in result.stdout


def test_company_fixture_roles(company):
    assert company.owner.get_company().company_id == company.company_id
    roles = {u.user_id: u.company_role for u in company.owner.get_company_users()}

    assert roles[company.owner.user_id] == user_pb2.COMPANY_ROLE_COMPANY_OWNER
    assert roles[company.admin.user_id] == user_pb2.COMPANY_ROLE_COMPANY_ADMIN
    assert roles[company.user.user_id] == user_pb2.COMPANY_ROLE_COMPANY_USER
    assert company.user.get_current_user().company_id == company.company_id


def test_authenticate_api_key_is_internal_only(server, company):
    channel = grpc.insecure_channel(server.address)
    stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
    key = company.owner.stubs.metadata
    with pytest.raises(grpc.RpcError) as error:
        stub.AuthenticateApiKey(pb.AuthenticateApiKeyRequest(api_key=key[0][1][7:]), metadata=key)
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    internal = (server.data_dir / "internal.token").read_text().strip()
    response = stub.AuthenticateApiKey(
        pb.AuthenticateApiKeyRequest(api_key=key[0][1][7:]),
        metadata=(("authorization", f"Bearer {internal}"),),
    )
    assert response.user_id == company.owner.user_id
    assert response.company_id == company.company_id
    assert response.company_role == user_pb2.COMPANY_ROLE_COMPANY_OWNER
    channel.close()
