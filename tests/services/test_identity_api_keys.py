"""API keys: creation with each expiration, listing without secrets, deletion, keys of other
users, and the keys that must not work (expired, deleted, malformed)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import driftline
import grpc
import pytest
from conftest import wait_for_auth_cache
from driftline.identity.v1 import api_key_pb2, identity_service_pb2_grpc
from driftline.identity.v1 import identity_service_pb2 as pb
from driftline_server.identity.models import ApiKeyRow
from harness import fails
from sqlalchemy import text, update

DAYS = {"ONE_MONTH": 30, "THREE_MONTHS": 90, "SIX_MONTHS": 180, "ONE_YEAR": 365}


def key_id(api_key: str) -> str:
    return api_key[3:35]


@pytest.fixture(scope="module")
def identity(server):
    """(stub, internal metadata) to ask AuthenticateApiKey as another service would."""
    channel = grpc.insecure_channel(server.address)
    token = (server.data_dir / "internal.token").read_text().strip()
    yield (
        identity_service_pb2_grpc.IdentityServiceStub(channel),
        (("authorization", f"Bearer {token}"),),
    )
    channel.close()


def authenticate(identity, api_key: str):
    stub, metadata = identity
    return stub.AuthenticateApiKey(pb.AuthenticateApiKeyRequest(api_key=api_key), metadata=metadata)


@pytest.mark.parametrize(
    "expiration", ["ONE_MONTH", "THREE_MONTHS", "SIX_MONTHS", "ONE_YEAR", "NEVER"]
)
def test_create_api_key_with_each_expiration(company, expiration):
    member = company.member("COMPANY_USER")
    before = datetime.now(timezone.utc)
    key = member.create_api_key(f"key {expiration}", expiration)
    assert key.startswith("dl_")
    listed = {k.api_key_id: k for k in member.get_api_keys()}
    entry = listed[key_id(key)]
    assert entry.name == f"key {expiration}"
    assert entry.expiration_time == api_key_pb2.ApiKeyExpirationTime.Value(
        f"API_KEY_EXPIRATION_TIME_{expiration}"
    )
    assert key.startswith(entry.prefix)
    if expiration == "NEVER":
        assert entry.expiration_datetime is None
    else:
        expires = entry.expiration_datetime
        assert abs(expires - (before + timedelta(days=DAYS[expiration]))) < timedelta(minutes=1)
    with driftline.Client(company.address, key) as client:
        assert client.get_current_user().user_id == member.user_id


def test_create_api_key_positional_expiration_only(company):
    key = company.user.create_api_key(api_key_pb2.API_KEY_EXPIRATION_TIME_ONE_MONTH)
    assert any(k.api_key_id == key_id(key) for k in company.user.get_api_keys())


@pytest.mark.parametrize(
    "request_fields, field",
    [
        (dict(expiration_time=api_key_pb2.API_KEY_EXPIRATION_TIME_UNSPECIFIED), "expiration_time"),
        (dict(expiration_time=42), "expiration_time"),
        (dict(name="x" * 201, expiration_time=1), "name"),
    ],
)
def test_create_api_key_validation(company, request_fields, field):
    with fails(driftline.InvalidArgumentError, field=field):
        company.user.stubs.call(
            company.user.stubs.identity.CreateApiKey, pb.CreateApiKeyRequest(**request_fields)
        )


def test_listing_never_shows_secrets(company, database):
    member = company.member("COMPANY_USER")
    key = member.create_api_key("secret check", "ONE_YEAR")
    secret = key[36:]
    own = member.stubs.call(member.stubs.identity.ListApiKeys, pb.ListApiKeysRequest())
    theirs = company.owner.stubs.call(
        company.owner.stubs.identity.ListUserApiKeys, pb.ListUserApiKeysRequest(user_id=member.user_id)
    )
    for response in (own, theirs):
        assert secret.encode() not in response.SerializeToString()
        assert key_id(key) in [k.id for k in response.api_keys]
    # Stored as SHA-256 only: no column holds the key or its secret.
    with database.connect() as connection:
        row = (
            connection.execute(
                text("SELECT * FROM identity_api_keys WHERE id = :id"), {"id": key_id(key)}
            )
            .mappings()
            .one()
        )
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert all(secret not in str(value) for value in row.values())


def test_delete_api_key_stops_it_at_once(company, identity):
    member = company.member("COMPANY_USER")
    key = member.create_api_key("to delete", "NEVER")
    with driftline.Client(company.address, key) as client:
        assert client.get_current_user().user_id == member.user_id
        assert authenticate(identity, key).api_key_id == key_id(key)
        member.delete_api_key(key_id(key))
        with pytest.raises(grpc.RpcError) as error:
            authenticate(identity, key)
        assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
        wait_for_auth_cache()
        with fails(driftline.UnauthenticatedError, "API_KEY_INVALID"):
            client.get_current_user()
    assert key_id(key) not in [k.api_key_id for k in member.get_api_keys()]
    with fails(driftline.NotFoundError, "API_KEY_NOT_FOUND"):
        member.delete_api_key(key_id(key))


def test_delete_api_key_of_someone_else_is_not_found(company):
    victim_key = company.admin.create_api_key("admin's", "NEVER")
    with fails(driftline.NotFoundError, "API_KEY_NOT_FOUND"):
        company.user.delete_api_key(victim_key)  # the whole key works as well as its id
    company.admin.delete_api_key(victim_key)


def test_expired_key_is_refused(company, database, identity):
    member = company.member("COMPANY_USER")
    key = member.create_api_key("short-lived", "ONE_MONTH")
    # Make the expiry real: the row says it expired a second ago.
    with database.begin() as connection:
        table = ApiKeyRow.__table__
        connection.execute(
            update(table)
            .where(table.c.id == key_id(key))
            .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
        )
    with pytest.raises(grpc.RpcError) as error:
        authenticate(identity, key)
    assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with driftline.Client(company.address, key) as client:
        with fails(driftline.UnauthenticatedError, "API_KEY_EXPIRED"):
            client.get_current_user()


@pytest.mark.parametrize(
    "make_key",
    [
        lambda key: "garbage",
        lambda key: "dl_",
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # right shape, wrong secret
        lambda key: key + "x",
        lambda key: "dl_" + "0" * 32 + "_" + key[36:],  # unknown id
        lambda key: key.upper(),
    ],
)
def test_malformed_or_wrong_keys_are_unauthenticated(company, make_key):
    key = company.user.create_api_key("model", "ONE_MONTH")
    with driftline.Client(company.address, make_key(key)) as client:
        with fails(driftline.UnauthenticatedError, "API_KEY_INVALID"):
            client.get_company()


def test_missing_key_is_unauthenticated(company):
    with driftline.Client(company.address, None) as client:
        with fails(driftline.UnauthenticatedError, "API_KEY_MISSING"):
            client.get_company()


def test_user_api_keys_by_owner_and_admin(company):
    member = company.member("COMPANY_USER")
    key = company.admin.create_user_api_key(member.user_id, "from admin", "SIX_MONTHS")
    with driftline.Client(company.address, key) as client:
        assert client.get_current_user().user_id == member.user_id
    listed = company.owner.get_user_api_keys(member.user_id)
    assert key_id(key) in [k.api_key_id for k in listed]
    company.owner.show_user_api_keys(member.user_id)
    company.admin.delete_user_api_key(member.user_id, key_id(key))
    assert key_id(key) not in [k.api_key_id
                               for k in company.admin.get_user_api_keys(member.user_id)]

    with fails(driftline.NotFoundError, "API_KEY_NOT_FOUND"):
        company.owner.delete_user_api_key(member.user_id, key_id(key))
    # A key of another user cannot be deleted through the wrong user id.
    owner_key = company.owner.create_api_key("owner's", "ONE_MONTH")
    with fails(driftline.NotFoundError, "API_KEY_NOT_FOUND"):
        company.owner.delete_user_api_key(member.user_id, key_id(owner_key))
    company.owner.delete_api_key(key_id(owner_key))


def test_admin_cannot_manage_keys_of_owner_or_other_admins(company):
    admin2 = company.member("COMPANY_ADMIN")
    for target in (company.owner.user_id, admin2.user_id):
        with fails(driftline.PermissionDeniedError, "COMPANY_OWNER_REQUIRED"):
            company.admin.create_user_api_key(target, "steal", "NEVER")
        with fails(driftline.PermissionDeniedError, "COMPANY_OWNER_REQUIRED"):
            company.admin.get_user_api_keys(target)
    # The owner can; an admin can manage their own through these methods too.
    company.owner.get_user_api_keys(admin2.user_id)
    company.admin.get_user_api_keys(company.admin.user_id)


def test_user_api_keys_validation(company):
    with fails(driftline.InvalidArgumentError, field="user_id"):
        company.owner.create_user_api_key("", "x", "NEVER")
    with fails(driftline.InvalidArgumentError, field="expiration_time"):
        company.owner.create_user_api_key(company.user.user_id, "x", 0)
    with fails(driftline.InvalidArgumentError, field="api_key_id"):
        company.owner.delete_user_api_key(company.user.user_id, "")
    with fails(driftline.InvalidArgumentError, field="page_size"):
        company.owner.stubs.call(
            company.owner.stubs.identity.ListUserApiKeys,
            pb.ListUserApiKeysRequest(user_id=company.user.user_id, page_size=-5),
        )


def test_api_key_list_pages(company):
    member = company.member("COMPANY_USER")
    made = [key_id(member.create_api_key(f"k{i}", "NEVER")) for i in range(4)]
    seen, token = [], ""
    while True:
        response = member.stubs.call(
            member.stubs.identity.ListApiKeys, pb.ListApiKeysRequest(page_size=2, page_token=token)
        )
        seen += [k.id for k in response.api_keys]
        token = response.next_page_token
        if not token:
            break
    assert set(made) <= set(seen) and len(seen) == len(set(seen)) == 5  # + the member's first
    member.show_api_keys()


def test_deleted_user_keys_stop_working(company, identity):
    member = company.member("COMPANY_USER")
    key = member.create_api_key("doomed", "NEVER")
    company.owner.delete_company_user(member.user_id)
    with pytest.raises(grpc.RpcError) as error:
        authenticate(identity, key)
    assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with driftline.Client(company.address, key) as client:
        with fails(driftline.UnauthenticatedError):
            client.get_current_user()
