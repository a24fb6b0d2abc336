"""Identity's pieces on their own: the suite's key resolver, conversions, keys, passwords,
secrets and page tokens."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet
from driftline.identity.v1 import api_key_pb2, user_pb2
from driftline.identity.v1 import integration_credentials_pb2 as cpb
from driftline_server.identity import conversions as conv
from driftline_server.identity import keys
from driftline_server.identity.common import ApiKeyExpiration, ExternalIntegration
from driftline_server.identity.credentials import StoredCredentials
from driftline_server.platform.crypto import SecretBox, mask
from driftline_server.identity.passwords import password_violations
from driftline_server.identity.remote import make_resolver
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.config import Settings
from driftline_server.platform.errors import Unauthenticated, Unavailable
from driftline_server.platform.roles import Caller, CompanyRole, ProjectRole


def resolver_for(identity_address: str, internal_token: str):
    settings = Settings(
        services=("catalog",),
        service_addresses={"identity": identity_address},
        internal_token=internal_token,
    )
    channels = ServiceChannels(settings, [])
    channels.bind("127.0.0.1:9")  # this process's own address; Identity is elsewhere
    return channels, make_resolver(channels)


def run(channels, coroutine):
    async def main():
        try:
            return await coroutine
        finally:
            await channels.close()

    return asyncio.run(main())


def test_resolver_turns_identity_answers_into_callers(server, company):
    token = (server.data_dir / "internal.token").read_text().strip()
    api_key = company.user.stubs.metadata[0][1].removeprefix("Bearer ")
    channels, resolve = resolver_for(server.address, token)
    caller = run(channels, resolve(api_key))
    assert caller == Caller(
        user_id=company.user.user_id,
        company_id=company.company_id,
        company_role=CompanyRole.USER,
        project_roles={},
        api_key_id=api_key[3:35],
    )
    channels, resolve = resolver_for(server.address, token)
    with pytest.raises(Unauthenticated) as error:
        run(channels, resolve(api_key[:-2] + "zz"))
    assert error.value.reason == "API_KEY_INVALID"


def test_resolver_reports_an_unreachable_identity_as_unavailable():
    channels, resolve = resolver_for("127.0.0.1:1", "token")
    with pytest.raises(Unavailable) as error:
        run(channels, resolve("dl_" + "0" * 32 + "_" + "x" * 43))
    assert error.value.reason == "IDENTITY_UNAVAILABLE"


def test_caller_round_trip():
    caller = Caller(
        user_id="u1",
        company_id="c1",
        company_role=CompanyRole.ADMIN,
        project_roles={"p1": ProjectRole.VIEW, "p2": ProjectRole.ADMIN},
        api_key_id="k1",
    )
    assert conv.caller_from_pb(conv.caller_to_pb(caller)) == caller
    lonely = Caller(user_id="u2")
    assert conv.caller_from_pb(conv.caller_to_pb(lonely)) == lonely


@pytest.mark.parametrize(
    "enum_type, mapping",
    [
        (user_pb2.CompanyRole, conv.COMPANY_ROLE_FROM_PB),
        (user_pb2.ProjectRole, conv.PROJECT_ROLE_FROM_PB),
        (api_key_pb2.ApiKeyExpirationTime, conv.EXPIRATION_FROM_PB),
        (cpb.ExternalIntegration, conv.INTEGRATION_FROM_PB),
    ],
)
def test_every_enum_value_has_a_domain_meaning(enum_type, mapping):
    assert set(enum_type.values()) - {0} == set(mapping)
    assert 0 not in mapping


@pytest.mark.parametrize(
    "kind, details, field",
    [
        (ExternalIntegration.AWS, {"role_arn": "arn", "external_id": "e"}, "aws"),
        (
            ExternalIntegration.AWS_COMPATIBLE,
            {"access_key_id": "a", "endpoint_url": "", "masked_secret": "****1234"},
            "aws_compatible",
        ),
        (
            ExternalIntegration.GCP,
            {"client_email": "x@y", "gcp_project_id": "p", "masked_private_key_id": "****abcd"},
            "gcp",
        ),
        (
            ExternalIntegration.AZURE,
            {
                "client_id": "c",
                "tenant_id": "t",
                "subscription_id": "",
                "masked_client_secret": "****",
            },
            "azure",
        ),
    ],
)
def test_credentials_conversion(kind, details, field):
    stored = StoredCredentials(
        id="i",
        project_id="p",
        name="n",
        type=kind,
        default=True,
        created_at=datetime(2026, 1, 2, tzinfo=timezone.utc),
        details=details,
    )
    message = conv.credentials_to_pb(stored)
    assert message.WhichOneof("details") == field
    assert message.type == conv.INTEGRATION_TO_PB[kind] and message.default
    assert message.create_time.ToDatetime(tzinfo=timezone.utc) == stored.created_at


def test_api_keys_shape_and_check():
    new = keys.generate()
    assert keys.parse_id(new.secret) == new.id and new.secret.startswith(new.prefix)
    assert keys.matches(new.secret, new.digest)
    assert not keys.matches(new.secret + "x", new.digest)
    assert keys.parse_id("dl_short") is None and keys.parse_id("") is None
    assert len({keys.generate().secret for _ in range(100)}) == 100
    assert ApiKeyExpiration.NEVER.value is None


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short", False),
        ("a" * 129, False),
        ("aaaaaaaaaaaaa", False),
        (" leading-space-1", False),
        ("contains-ada-name", False),
        ("Good-password-1", True),
    ],
)
def test_password_rules(password, ok):
    assert (password_violations("p", password, username="ada") == []) is ok


def test_password_must_change():
    assert password_violations("p", "Same-password-1", current="Same-password-1")


def test_secret_box_and_mask():
    box = SecretBox(Fernet.generate_key().decode())
    sealed = box.seal({"secret": "hunter2-hunter2"})
    assert "hunter2" not in sealed and box.open(sealed) == {"secret": "hunter2-hunter2"}
    with pytest.raises(RuntimeError):
        SecretBox(Fernet.generate_key().decode()).open(sealed)
    assert mask("abcdefghijkl") == "********ijkl" and mask("short") == "********"
