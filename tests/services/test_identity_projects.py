"""Project roles of COMPANY_USER members and the projects each user can view."""

from __future__ import annotations

import uuid

import driftline
import grpc
import pytest
from driftline.identity.v1 import identity_service_pb2 as pb
from driftline.identity.v1 import identity_service_pb2_grpc, user_pb2
from harness import fails


@pytest.fixture(scope="module")
def projects(company, new_project):
    return [new_project(company.owner, f"roles-{i}") for i in range(3)]


def roles_seen_by_services(server, client) -> dict[str, int]:
    """The project roles AuthenticateApiKey reports for ``client``'s key (what services see)."""
    token = (server.data_dir / "internal.token").read_text().strip()
    with grpc.insecure_channel(server.address) as channel:
        response = identity_service_pb2_grpc.IdentityServiceStub(channel).AuthenticateApiKey(
            pb.AuthenticateApiKeyRequest(api_key=client.stubs.metadata[0][1][7:]),
            metadata=(("authorization", f"Bearer {token}"),),
        )
    return {binding.project_id: binding.role for binding in response.project_roles}


def test_add_change_and_delete_project_roles(server, company, projects):
    member = company.member("COMPANY_USER")
    assert member.get_user_projects(member.user_id) == []
    company.owner.add_user_project_role(member.user_id, projects[0], "PROJECT_VIEW")
    company.admin.add_user_project_role(
        member.user_id, projects[1], user_pb2.PROJECT_ROLE_PROJECT_USER
    )
    seen = {p.project_id: p for p in member.get_user_projects(member.user_id)}
    assert {pid: p.role for pid, p in seen.items()} == {
        projects[0]: user_pb2.PROJECT_ROLE_PROJECT_VIEW,
        projects[1]: user_pb2.PROJECT_ROLE_PROJECT_USER,
    }
    assert seen[projects[0]].name == "roles-0"

    assert roles_seen_by_services(server, member) == {
        projects[0]: user_pb2.PROJECT_ROLE_PROJECT_VIEW,
        projects[1]: user_pb2.PROJECT_ROLE_PROJECT_USER,
    }
    # Adding again replaces the role.
    company.owner.add_user_project_role(member.user_id, projects[0], "PROJECT_ADMIN")
    assert {p.project_id: p.role for p in company.owner.get_user_projects(member.user_id)}[
        projects[0]
    ] == user_pb2.PROJECT_ROLE_PROJECT_ADMIN
    company.admin.delete_project_role(member.user_id, projects[0])
    assert [p.project_id for p in member.get_user_projects(member.user_id)] == [projects[1]]
    with fails(driftline.NotFoundError, "PROJECT_ROLE_NOT_FOUND"):
        company.owner.delete_project_role(member.user_id, projects[0])
    company.owner.show_user_projects(member.user_id)


def test_managers_view_every_project_as_admin(company, projects):
    for client in (company.owner, company.admin):
        for who in (company.owner.user_id, company.admin.user_id):
            seen = {p.project_id: p.role for p in client.get_user_projects(who)}
            assert set(projects) <= set(seen)
            assert set(seen.values()) == {user_pb2.PROJECT_ROLE_PROJECT_ADMIN}


def test_company_none_views_nothing(company, projects):
    nobody = company.member("COMPANY_NONE")
    assert company.owner.get_user_projects(nobody.user_id) == []


def test_company_user_sees_only_their_own_projects_list(company):
    with fails(driftline.PermissionDeniedError, "COMPANY_ROLE_REQUIRED"):
        company.user.get_user_projects(company.owner.user_id)
    assert company.user.get_user_projects(company.user.user_id) == []


@pytest.mark.parametrize("role", ["COMPANY_ADMIN", "COMPANY_NONE", "owner"])
def test_project_roles_only_for_company_users(company, projects, role):
    target = company.owner.user_id if role == "owner" else company.member(role).user_id
    with fails(driftline.FailedPreconditionError, "PROJECT_ROLES_ONLY_FOR_COMPANY_USERS") as error:
        company.admin.add_user_project_role(target, projects[0], "PROJECT_VIEW")
    assert "COMPANY_USER" in error.value.error_message
    with fails(driftline.FailedPreconditionError, "PROJECT_ROLES_ONLY_FOR_COMPANY_USERS"):
        company.admin.delete_project_role(target, projects[0])


def test_leaving_company_user_drops_project_roles(company, projects):
    member = company.member("COMPANY_USER", {projects[2]: "PROJECT_USER"})
    assert [p.project_id for p in member.get_user_projects(member.user_id)] == [projects[2]]
    company.owner.change_user_company_role(member.user_id, "COMPANY_NONE")
    company.owner.change_user_company_role(member.user_id, "COMPANY_USER")
    assert member.get_user_projects(member.user_id) == []


def test_projects_of_other_companies_are_not_found(company, other_company, new_project):
    foreign = new_project(other_company, "foreign")
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        company.owner.add_user_project_role(company.user.user_id, foreign, "PROJECT_VIEW")
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        company.owner.add_user_project_role(company.user.user_id, uuid.uuid4().hex, "PROJECT_VIEW")
    assert foreign not in [
        p.project_id for p in company.owner.get_user_projects(company.owner.user_id)
    ]


@pytest.mark.parametrize(
    "fields, field",
    [
        (dict(project_role=user_pb2.PROJECT_ROLE_UNSPECIFIED), "project_role"),
        (dict(project_role=17), "project_role"),
        (dict(project_id=""), "project_id"),
        (dict(user_id=""), "user_id"),
    ],
)
def test_add_project_role_validation(company, projects, fields, field):
    request = (
        dict(
            user_id=company.user.user_id,
            project_id=projects[0],
            project_role=user_pb2.PROJECT_ROLE_PROJECT_VIEW,
        )
        | fields
    )
    with fails(driftline.InvalidArgumentError, field=field):
        company.owner.stubs.call(
            company.owner.stubs.identity.AddUserProjectRole, pb.AddUserProjectRoleRequest(**request)
        )
