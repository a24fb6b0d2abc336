"""Catalog's schema history: the migrations build exactly the tables of models.py, go down and
up again, and a restarted server keeps every row."""

from __future__ import annotations

import pytest

import driftline
from catalog_helpers import accuracy_model, binary_schema, binary_task
from conftest import wait_for_auth_cache
from driftline_server.platform import migrations
from harness import ServerProcess, fresh_database

TABLES = {
    "catalog_projects",
    "catalog_tasks",
    "catalog_models",
    "catalog_data_schemas",
    "catalog_kpis",
}


@pytest.fixture
def empty_database(tmp_path):
    database = fresh_database(tmp_path)
    yield database.url
    database.drop()


def test_migrations_build_exactly_the_models(empty_database):
    migrations.upgrade("catalog", empty_database)
    assert migrations.owned_tables("catalog", empty_database) == TABLES
    assert migrations.schema_differences("catalog", empty_database) == []
    assert migrations.current_revision("catalog", empty_database) == migrations.head_revision(
        "catalog", empty_database
    )


def test_downgrade_to_base_and_upgrade_again(empty_database):
    migrations.upgrade("catalog", empty_database)
    migrations.downgrade("catalog", empty_database, "base")
    assert migrations.owned_tables("catalog", empty_database) == set()
    assert migrations.current_revision("catalog", empty_database) is None
    migrations.upgrade("catalog", empty_database)
    assert migrations.owned_tables("catalog", empty_database) == TABLES and migrations.schema_differences("catalog", empty_database) == []


def test_a_restarted_server_keeps_every_row(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url).start()
    try:
        _, api_key = process.create_user("restart@example.com")
        with driftline.Client(process.address, api_key) as client:
            client.create_company(name="Restart", address="1 Loop Road", vat="IT1")
            wait_for_auth_cache()
            project_id = client.create_project("kept", "survives a restart")
            task_id = binary_task(client, project_id)
            model_id = accuracy_model(client, task_id)
            client.update_model_version(model_id, "v2")
            client.add_data_schema(task_id, binary_schema(model_id))
            client.add_data_schema(task_id, binary_schema())
            client.create_kpi(project_id, "revenue")

            before = (
                client.get_projects(),
                client.get_tasks(project_id),
                client.get_models(task_id),
                client.get_data_schema(task_id),
                client.get_kpis(project_id),
            )
        process.stop()
        process.start()
        with driftline.Client(process.address, api_key) as client:
            after = (
                client.get_projects(),
                client.get_tasks(project_id),
                client.get_models(task_id),
                client.get_data_schema(task_id),
                client.get_kpis(project_id),
            )
        assert after == before
        assert [len(part) for part in before[:3]] == [1, 1, 2] and before[3].version == 2
    finally:
        process.stop()
        database.drop()
