"""Catalog's schema history: a restarted server keeps every row (the migrations themselves are
checked for every service in test_migrations.py)."""

from __future__ import annotations


import driftline
from catalog_helpers import accuracy_model, binary_schema, binary_task
from conftest import wait_for_auth_cache
from harness import ServerProcess, fresh_database



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
