"""Sign-in with username and password: temporary passwords, password rules, throttling,
password changes, and what is stored and logged."""

from __future__ import annotations

import uuid
from datetime import timedelta

import driftline
import pytest
from conftest import TEMPORARY_PASSWORD
from driftline.identity.v1 import identity_service_pb2 as pb
from driftline_server.identity.models import SignInFailureRow, UserRow
from harness import fails
from sqlalchemy import select, text, update

NEW_PASSWORD = "Correct-horse-battery-9"


def sign_in(server, username, password, new_password=None) -> str:
    return driftline.Client.sign_in(server.address, username, password, new_password)


def test_temporary_password_must_be_changed_at_first_sign_in(server, company):
    member = company.member("COMPANY_USER")
    with fails(driftline.FailedPreconditionError, "PASSWORD_CHANGE_REQUIRED"):
        sign_in(server, member.username, TEMPORARY_PASSWORD)
    with fails(driftline.InvalidArgumentError, field="new_password"):
        sign_in(server, member.username, TEMPORARY_PASSWORD, "short")
    with fails(driftline.InvalidArgumentError, field="new_password"):
        sign_in(server, member.username, TEMPORARY_PASSWORD, TEMPORARY_PASSWORD)
    with fails(driftline.InvalidArgumentError, field="new_password"):
        sign_in(server, member.username, TEMPORARY_PASSWORD, f"xx{member.username}xx")
    key = sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    with driftline.Client(server.address, key) as client:
        me = client.get_current_user()
        assert me.user_id == member.user_id and not me.password_change_required
    with fails(driftline.UnauthenticatedError, "INVALID_CREDENTIALS"):
        sign_in(server, member.username, TEMPORARY_PASSWORD)
    # The new password works without another change, and usernames ignore case.
    second = sign_in(server, member.username.upper(), NEW_PASSWORD)
    assert second != key


def test_sign_in_key_expires_in_a_month_by_default(server, company):
    member = company.member("COMPANY_USER")
    key = sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    with driftline.Client(server.address, key) as client:
        entry = next(k for k in client.get_api_keys() if k.api_key_id == key[3:35])
        lifetime = (entry.expiration_datetime - entry.creation_datetime).total_seconds()
        assert abs(lifetime - 30 * 24 * 3600) < 1



@pytest.mark.parametrize(
    "username, password, field",
    [
        ("", "whatever-password", "username"),
        ("someone", "", "password"),
        ("u" * 65, "x", "username"),
    ],
)
def test_sign_in_validation(server, username, password, field):
    with fails(driftline.InvalidArgumentError, field=field):
        sign_in(server, username, password)


def test_wrong_password_and_unknown_user_look_the_same(server, company):
    member = company.member("COMPANY_USER")
    with fails(driftline.UnauthenticatedError, "INVALID_CREDENTIALS") as wrong:
        sign_in(server, member.username, "not-the-password")
    with fails(driftline.UnauthenticatedError, "INVALID_CREDENTIALS") as unknown:
        sign_in(server, f"nobody-{uuid.uuid4().hex[:8]}", "not-the-password")
    assert wrong.value.error_message == unknown.value.error_message


def test_repeated_failures_are_throttled_until_the_window_passes(server, company, database):
    member = company.member("COMPANY_USER")
    bystander = company.member("COMPANY_USER")
    for _ in range(5):
        with fails(driftline.UnauthenticatedError, "INVALID_CREDENTIALS"):
            sign_in(server, member.username, "wrong-password-!")
    # Even the right password is refused now...
    with fails(driftline.ResourceExhaustedError, "SIGN_IN_THROTTLED") as throttled:
        sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    assert 0 < int(throttled.value.metadata["retry_after_seconds"]) <= 15 * 60
    # ...for that username only.
    sign_in(server, bystander.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    # The failures are rows in the database: age them past the 15-minute window.
    table = SignInFailureRow.__table__
    with database.begin() as connection:
        rows = connection.execute(
            select(table.c.id, table.c.failed_at).where(table.c.username == member.username)
        ).all()
        assert len(rows) == 5
        for row_id, failed_at in rows:
            connection.execute(
                update(table)
                .where(table.c.id == row_id)
                .values(failed_at=failed_at - timedelta(minutes=16))
            )
    key = sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    assert key.startswith("dl_")
    with database.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM identity_sign_in_failures WHERE username = :u"),
            {"u": member.username},
        ).scalar()
    assert left == 0  # a successful sign-in clears the record


def test_change_password(server, company):
    member = company.member("COMPANY_USER")
    key = sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    with driftline.Client(server.address, key) as client:
        with fails(
            driftline.InvalidArgumentError, "CURRENT_PASSWORD_WRONG", field="current_password"
        ):
            client.change_password("not-my-password", "Another-password-2")
        with fails(driftline.InvalidArgumentError, field="new_password"):
            client.change_password(NEW_PASSWORD, "tiny")
        client.change_password(NEW_PASSWORD, "Another-password-2")
    with fails(driftline.UnauthenticatedError):
        sign_in(server, member.username, NEW_PASSWORD)
    sign_in(server, member.username, "Another-password-2")


def test_admin_created_user_sets_a_first_password(server):
    email = f"boot-{uuid.uuid4().hex[:8]}@example.com"
    _, key = server.create_user(email)
    with fails(driftline.UnauthenticatedError, "INVALID_CREDENTIALS"):
        sign_in(server, email, "anything-at-all")
    with driftline.Client(server.address, key) as client:
        client.change_password("", NEW_PASSWORD)
    assert sign_in(server, email, NEW_PASSWORD).startswith("dl_")


def test_sign_in_is_public_and_every_other_method_needs_a_key(server):
    with driftline.Client(server.address, None) as anonymous:
        with fails(driftline.UnauthenticatedError, "API_KEY_MISSING"):
            anonymous.change_password("a", "b")
        with fails(driftline.UnauthenticatedError, "INVALID_CREDENTIALS"):
            anonymous.stubs.call(
                anonymous.stubs.identity.SignIn, pb.SignInRequest(username="x" * 5, password="y" * 12)
            )


def test_passwords_are_stored_only_as_argon2_hashes(server, company, database):
    member = company.member("COMPANY_USER")
    sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    with database.connect() as connection:
        rows = (
            connection.execute(text("SELECT * FROM identity_users WHERE password_hash IS NOT NULL"))
            .mappings()
            .all()
        )
    assert rows
    for row in rows:
        assert row["password_hash"].startswith("$argon2id$")
        for value in row.values():
            assert TEMPORARY_PASSWORD not in str(value) and NEW_PASSWORD not in str(value)
    if server.database_url.startswith("sqlite"):
        raw = b"".join(p.read_bytes() for p in server.data_dir.glob("driftline.db*"))
        assert TEMPORARY_PASSWORD.encode() not in raw and NEW_PASSWORD.encode() not in raw


def test_secrets_never_reach_the_server_log(server, company):
    member = company.member("COMPANY_USER")
    key = sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    created = member.create_api_key("logged?", "NEVER")
    with driftline.Client(server.address, created) as client:
        client.get_current_user()
    log = server.log_path.read_text(errors="replace")
    assert '"method": "SignIn"' in log and '"method": "CreateApiKey"' in log
    for secret in (TEMPORARY_PASSWORD, NEW_PASSWORD, key, created, key[36:], created[36:]):
        assert secret not in log


def test_hashes_with_older_parameters_are_renewed_at_sign_in(server, company, database):
    from argon2 import PasswordHasher

    member = company.member("COMPANY_USER")
    sign_in(server, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD)
    table = UserRow.__table__
    old_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(NEW_PASSWORD)
    with database.begin() as connection:
        connection.execute(
            update(table).where(table.c.id == member.user_id).values(password_hash=old_hash)
        )
    sign_in(server, member.username, NEW_PASSWORD)
    with database.connect() as connection:
        renewed = connection.execute(
            select(table.c.password_hash).where(table.c.id == member.user_id)
        ).scalar_one()
    assert renewed != old_hash and "m=19456,t=2,p=1" in renewed
    sign_in(server, member.username, NEW_PASSWORD)
