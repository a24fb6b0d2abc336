"""Identity's schema through migrations, and a restart that keeps every row."""

from __future__ import annotations

import driftline
import pytest
from conftest import TEMPORARY_PASSWORD
from driftline_server.identity import models
from driftline_server.platform import migrations
from harness import fresh_database

NEW_PASSWORD = "Survives-a-restart-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/restart"


def test_migrations_match_the_models_and_go_down_and_up(tmp_path):
    database = fresh_database(tmp_path)
    try:
        migrations.upgrade("identity", database.url)
        assert migrations.current_revision("identity", database.url) == migrations.head_revision(
            "identity", database.url
        )
        assert migrations.schema_differences("identity", database.url) == []
        assert migrations.owned_tables("identity", database.url) == {
            table.name
            for table in models.SQLModel.metadata.sorted_tables
            if table.name.startswith("identity_")
        }
        migrations.downgrade("identity", database.url, "base")
        assert migrations.owned_tables("identity", database.url) == set()
        migrations.upgrade("identity", database.url)
        assert migrations.schema_differences("identity", database.url) == []
    finally:
        database.drop()


def key_of(client: driftline.Client) -> str:
    return client.stubs.metadata[0][1].removeprefix("Bearer ")


def snapshot(owner, member, project_id):
    """Everything Identity knows, as the owner and a member read it."""
    return {
        "company": owner.get_company(),
        "users": owner.get_company_users(),
        "member keys": owner.get_user_api_keys(member.user_id),
        "own keys": owner.get_api_keys(),
        "member projects": member.get_user_projects(member.user_id),
        "credentials": owner.get_all_project_integration_credentials(project_id),
        "member": member.get_current_user(),
    }


def test_restart_keeps_every_row(server, company, new_project):
    project_id = new_project(company.owner, "restart")
    member = company.member("COMPANY_USER", {project_id: "PROJECT_USER"})
    signed_in = driftline.Client.sign_in(
        server.address, member.username, TEMPORARY_PASSWORD, NEW_PASSWORD
    )
    company.owner.create_aws_integration_credentials("aws", True, project_id, ROLE_ARN)
    company.owner.create_gcp_integration_credentials(
        "gcp",
        False,
        project_id,
        '{"type": "service_account", "project_id": "p", "private_key_id": "k1234567890",'
        ' "private_key": "-----BEGIN PRIVATE KEY-----", "client_email": "a@p.iam"}',
    )
    throttled = company.member("COMPANY_USER")
    for _ in range(5):
        with pytest.raises(driftline.UnauthenticatedError):
            driftline.Client.sign_in(server.address, throttled.username, "wrong-password!")
    before = snapshot(company.owner, member, project_id)

    server.stop()
    server.start()

    with (
        driftline.Client(server.address, key_of(company.owner)) as owner,
        driftline.Client(server.address, signed_in) as again,
    ):
        again.user_id = member.user_id
        after = snapshot(owner, again, project_id)
        assert after == before
        assert after["credentials"][0].aws.external_id  # the AWS external id kept
        # The password set before the restart still works, the throttle still holds.
        driftline.Client.sign_in(server.address, member.username, NEW_PASSWORD)
        with pytest.raises(driftline.ResourceExhaustedError):
            driftline.Client.sign_in(
                server.address, throttled.username, TEMPORARY_PASSWORD, NEW_PASSWORD
            )
