"""Companies and their users: creation, reading, update, company roles, ownership, deletion."""

from __future__ import annotations

import uuid

import driftline
import pytest
from driftline.identity.v1 import company_pb2, user_pb2
from driftline.identity.v1 import identity_service_pb2 as pb
from google.protobuf import field_mask_pb2
from harness import fails


def uid() -> str:
    return uuid.uuid4().hex[:10]


def role_of(client: driftline.Client, user_id: str) -> int:
    return next(u.company_role for u in client.get_company_users() if u.user_id == user_id)


# ---- companies ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lonely(server):
    """A user without a company, made by the admin CLI."""
    _, key = server.create_user(f"lonely-{uid()}@example.com")
    with driftline.Client(server.address, key) as client:
        yield client


def test_create_company_makes_the_creator_owner(server):
    user_id, key = server.create_user(f"founder-{uid()}@example.com")
    with driftline.Client(server.address, key) as client:
        with fails(driftline.FailedPreconditionError, "COMPANY_REQUIRED"):
            client.get_company()
        company_id = client.create_company(
            name="  Initech  ", address="4120 Freidrich Ln", vat="US1"
        )
        company = client.get_company()
        assert (company.company_id, company.name, company.address, company.vat) == (
            company_id,
            "Initech",
            "4120 Freidrich Ln",
            "US1",
        )
        assert company.creation_datetime is not None
        me = client.get_current_user()
        assert me.company_id == company_id
        assert me.company_role == user_pb2.COMPANY_ROLE_COMPANY_OWNER
        with fails(driftline.FailedPreconditionError, "COMPANY_ALREADY_SET"):
            client.create_company(name="Second", address="", vat="")


@pytest.mark.parametrize(
    "fields, field",
    [
        (dict(name=""), "name"),
        (dict(name="   "), "name"),
        (dict(name="x" * 201), "name"),
        (dict(name="ok", address="x" * 501), "address"),
        (dict(name="ok", vat="x" * 65), "vat"),
    ],
)
def test_create_company_validation(lonely, fields, field):
    with fails(driftline.InvalidArgumentError, field=field):
        lonely.create_company(**fields)
    with fails(driftline.FailedPreconditionError, "COMPANY_REQUIRED"):
        lonely.get_company()  # nothing was created


def test_update_company_with_field_mask(company):
    company.owner.update_company(address="2 Side Street")
    assert company.owner.get_company().address == "2 Side Street"
    company.admin.update_company(name="Acme Renamed", vat="IT000")
    updated = company.user.get_company()
    assert (updated.name, updated.address, updated.vat) == (
        "Acme Renamed",
        "2 Side Street",
        "IT000",
    )
    # A path in the mask with an empty value clears an optional field.
    company.owner.stubs.call(
        company.owner.stubs.identity.UpdateCompany,
        pb.UpdateCompanyRequest(
            company=company_pb2.Company(vat=""), update_mask=field_mask_pb2.FieldMask(paths=["vat"])
        ),
    )
    assert company.owner.get_company().vat == ""
    company.owner.update_company(name="Acme", vat="IT12345678901")


@pytest.mark.parametrize(
    "company_fields, paths, field",
    [
        (dict(name="x"), ["name", "owner"], "update_mask.paths"),
        (dict(name=""), ["name"], "company.name"),
        (dict(address="x" * 501), ["address"], "company.address"),
        (dict(), [], "update_mask"),
    ],
)
def test_update_company_validation(company, company_fields, paths, field):
    with fails(driftline.InvalidArgumentError, field=field):
        company.owner.stubs.call(
            company.owner.stubs.identity.UpdateCompany,
            pb.UpdateCompanyRequest(
                company=company_pb2.Company(**company_fields),
                update_mask=field_mask_pb2.FieldMask(paths=paths),
            ),
        )


def test_update_company_needs_owner_or_admin(company):
    with fails(driftline.PermissionDeniedError, "COMPANY_ROLE_REQUIRED"):
        company.user.update_company(name="Hijacked")
    assert company.owner.get_company().name != "Hijacked"


# ---- company users -----------------------------------------------------------------------


def test_create_company_user_and_list(company):
    username = f"grace-{uid()}"
    user_id = company.owner.create_company_user(
        "Grace",
        "Hopper",
        username,
        "Temporary-password-1",
        f"{username}@Example.com",
        user_pb2.COMPANY_ROLE_COMPANY_USER,
    )
    listed = {u.user_id: u for u in company.user.get_company_users()}
    assert listed[user_id].username == username
    assert listed[user_id].email == f"{username}@example.com"  # e-mails are stored lower-case
    assert listed[user_id].password_change_required
    assert {company.owner.user_id, company.admin.user_id, company.user.user_id} <= set(listed)
    company.owner.show_company_users()


def test_list_company_users_pages(company):
    for _ in range(3):
        company.member("COMPANY_NONE")
    everyone = [u.user_id for u in company.owner.get_company_users()]
    seen, token = [], ""
    while True:
        response = company.owner.stubs.call(
            company.owner.stubs.identity.ListCompanyUsers,
            pb.ListCompanyUsersRequest(page_size=2, page_token=token),
        )
        assert len(response.users) <= 2
        seen += [u.id for u in response.users]
        token = response.next_page_token
        if not token:
            break
    assert seen == everyone and len(seen) >= 6


def test_list_company_users_rejects_bad_paging(company, other_company):
    call = company.owner.stubs.call
    with fails(driftline.InvalidArgumentError, field="page_size"):
        call(company.owner.stubs.identity.ListCompanyUsers, pb.ListCompanyUsersRequest(page_size=-1))
    with fails(driftline.InvalidArgumentError, field="page_token"):
        call(
            company.owner.stubs.identity.ListCompanyUsers,
            pb.ListCompanyUsersRequest(page_token="garbage"),
        )
    foreign = other_company.stubs.call(
        other_company.stubs.identity.ListCompanyUsers, pb.ListCompanyUsersRequest(page_size=1)
    )
    if foreign.next_page_token:
        with fails(driftline.InvalidArgumentError, field="page_token"):
            call(
                company.owner.stubs.identity.ListCompanyUsers,
                pb.ListCompanyUsersRequest(page_token=foreign.next_page_token),
            )


GOOD = dict(
    name="Ada", surname="Lovelace", password="Temporary-password-1", company_role="COMPANY_USER"
)


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(name=""), "name"),
        (dict(surname="  "), "surname"),
        (dict(username="ab"), "username"),
        (dict(username="has space"), "username"),
        (dict(email="not-an-email"), "email"),
        (dict(email=""), "email"),
        (dict(password="short"), "password"),
        (dict(password="aaaaaaaaaaaa"), "password"),
        (dict(company_role=user_pb2.COMPANY_ROLE_UNSPECIFIED), "company_role"),
        (dict(company_role=99), "company_role"),
        (dict(company_role="COMPANY_OWNER"), "company_role"),
    ],
)
def test_create_company_user_validation(company, change, field):
    username = f"v{uid()}"
    args = dict(GOOD, username=username, email=f"{username}@example.com") | change
    with fails(driftline.InvalidArgumentError, field=field):
        company.owner.create_company_user(**args)


def test_create_company_user_duplicates(company, other_company):
    username = f"dup-{uid()}"
    company.owner.create_company_user(**GOOD, username=username, email=f"{username}@example.com")
    with fails(driftline.AlreadyExistsError, "USERNAME_TAKEN"):
        other_company.create_company_user(
            **GOOD, username=username.upper(), email=f"{uid()}@example.com"
        )
    with fails(driftline.AlreadyExistsError, "EMAIL_TAKEN"):
        company.owner.create_company_user(
            **GOOD, username=f"x{uid()}", email=f"{username}@example.com"
        )


def test_change_user_company_role_rules(company):
    member = company.member("COMPANY_USER")
    company.owner.change_user_company_role(member.user_id, "COMPANY_ADMIN")
    assert role_of(company.owner, member.user_id) == user_pb2.COMPANY_ROLE_COMPANY_ADMIN
    # An admin cannot touch another admin, nor make admins.
    with fails(driftline.PermissionDeniedError, "COMPANY_OWNER_REQUIRED"):
        company.admin.change_user_company_role(member.user_id, "COMPANY_USER")
    other = company.member("COMPANY_USER")
    with fails(driftline.PermissionDeniedError, "COMPANY_OWNER_REQUIRED"):
        company.admin.change_user_company_role(other.user_id, "COMPANY_ADMIN")
    company.admin.change_user_company_role(other.user_id, "COMPANY_NONE")
    assert role_of(company.owner, other.user_id) == user_pb2.COMPANY_ROLE_COMPANY_NONE
    # Ownership moves only through ChangeCompanyOwner; nobody changes their own role.
    with fails(driftline.InvalidArgumentError, field="company_role"):
        company.owner.change_user_company_role(other.user_id, "COMPANY_OWNER")
    with fails(driftline.FailedPreconditionError, "OWNER_ROLE_FIXED"):
        company.admin.change_user_company_role(company.owner.user_id, "COMPANY_USER")
    with fails(driftline.FailedPreconditionError, "OWN_ROLE_FIXED"):
        company.admin.change_user_company_role(company.admin.user_id, "COMPANY_USER")
    with fails(driftline.InvalidArgumentError, field="company_role"):
        company.owner.change_user_company_role(other.user_id, user_pb2.COMPANY_ROLE_UNSPECIFIED)
    with fails(driftline.NotFoundError, "USER_NOT_FOUND"):
        company.owner.change_user_company_role(uuid.uuid4().hex, "COMPANY_USER")


def test_delete_company_user_rules(company):
    plain = company.member("COMPANY_USER")
    admin2 = company.member("COMPANY_ADMIN")
    with fails(driftline.PermissionDeniedError, "COMPANY_OWNER_REQUIRED"):
        company.admin.delete_company_user(admin2.user_id)
    with fails(driftline.FailedPreconditionError, "OWNER_CANNOT_BE_DELETED"):
        company.admin.delete_company_user(company.owner.user_id)
    with fails(driftline.FailedPreconditionError, "OWNER_CANNOT_BE_DELETED"):
        company.owner.delete_company_user(company.owner.user_id)
    with fails(driftline.PermissionDeniedError):
        company.user.delete_company_user(plain.user_id)
    company.admin.delete_company_user(plain.user_id)
    company.owner.delete_company_user(admin2.user_id)
    remaining = {u.user_id for u in company.owner.get_company_users()}
    assert plain.user_id not in remaining and admin2.user_id not in remaining
    with fails(driftline.NotFoundError, "USER_NOT_FOUND"):
        company.owner.delete_company_user(plain.user_id)
    # A deleted user's keys stop working at Identity at once.
    with fails(driftline.UnauthenticatedError):
        plain.get_current_user()


def test_change_company_owner_passes_ownership(company_factory):
    company = company_factory("Handover")
    with fails(driftline.PermissionDeniedError, "COMPANY_OWNER_REQUIRED"):
        company.admin.change_company_owner(company.user.user_id)
    with fails(driftline.FailedPreconditionError, "ALREADY_OWNER"):
        company.owner.change_company_owner(company.owner.user_id)
    company.owner.change_company_owner(company.user.user_id)
    roles = {u.user_id: u.company_role for u in company.admin.get_company_users()}
    assert roles[company.user.user_id] == user_pb2.COMPANY_ROLE_COMPANY_OWNER
    assert roles[company.owner.user_id] == user_pb2.COMPANY_ROLE_COMPANY_ADMIN
    assert list(roles.values()).count(user_pb2.COMPANY_ROLE_COMPANY_OWNER) == 1
    # The new owner now has the owner's rights; the old one has an admin's.
    company.user.create_company_user(**GOOD, username=f"n{uid()}", email=f"n{uid()}@example.com")
    with fails(driftline.PermissionDeniedError):
        company.owner.create_company_user(
            **GOOD, username=f"n{uid()}", email=f"n{uid()}@example.com"
        )
    with fails(driftline.FailedPreconditionError, "OWNER_CANNOT_BE_DELETED"):
        company.owner.delete_company_user(company.user.user_id)


def test_other_company_sees_nothing(company, other_company):
    ids = {u.user_id for u in other_company.get_company_users()}
    assert company.owner.user_id not in ids and company.user.user_id not in ids
    assert other_company.get_company().company_id != company.company_id

    for call in (
        lambda: other_company.change_user_company_role(company.user.user_id, "COMPANY_NONE"),
        lambda: other_company.delete_company_user(company.user.user_id),
        lambda: other_company.get_user_projects(company.user.user_id),
        lambda: other_company.get_user_api_keys(company.user.user_id),
        lambda: other_company.create_user_api_key(company.user.user_id, "x", "NEVER"),
        lambda: other_company.change_company_owner(company.user.user_id),
    ):
        with fails(driftline.NotFoundError, "USER_NOT_FOUND"):
            call()
    assert role_of(company.owner, company.user.user_id) == user_pb2.COMPANY_ROLE_COMPANY_USER


def test_create_company_is_idempotent_with_a_request_id(server):
    _, key = server.create_user(f"retry-{uid()}@example.com")
    with driftline.Client(server.address, key) as client:
        request = pb.CreateCompanyRequest(name="Retry Inc", request_id="req-1")
        first = client.stubs.call(client.stubs.identity.CreateCompany, request).company
        again = client.stubs.call(client.stubs.identity.CreateCompany, request).company
        assert again.id == first.id
        with fails(driftline.FailedPreconditionError, "COMPANY_ALREADY_SET"):
            client.stubs.call(
                client.stubs.identity.CreateCompany,
                pb.CreateCompanyRequest(name="Retry Inc", request_id="req-2"),
            )
        with fails(driftline.InvalidArgumentError, field="request_id"):
            client.stubs.call(
                client.stubs.identity.CreateCompany,
                pb.CreateCompanyRequest(name="X", request_id="r" * 65),
            )


def test_create_company_user_is_idempotent_with_a_request_id(company):
    username = f"idem-{uid()}"
    request = pb.CreateCompanyUserRequest(
        name="Idem",
        surname="Potent",
        username=username,
        password="Temporary-password-1",
        email=f"{username}@example.com",
        company_role=user_pb2.COMPANY_ROLE_COMPANY_USER,
        request_id=uuid.uuid4().hex,
    )
    call = company.owner.stubs.call
    first = call(company.owner.stubs.identity.CreateCompanyUser, request).user
    assert call(company.owner.stubs.identity.CreateCompanyUser, request).user.id == first.id
    request.request_id = uuid.uuid4().hex  # another request: the same user cannot be made twice
    with fails(driftline.AlreadyExistsError, "EMAIL_TAKEN"):
        call(company.owner.stubs.identity.CreateCompanyUser, request)
