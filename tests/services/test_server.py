"""The serving platform seen from outside: health, reflection, logging, errors, graceful stop,
one process per service, migrations, and `buf curl` through reflection."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

import driftline
from harness import ROOT, ServerProcess, free_port, fresh_database
from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc

SERVICES = {
    "identity": "driftline.identity.v1.IdentityService",
    "catalog": "driftline.catalog.v1.CatalogService",
    "jobs": "driftline.jobs.v1.JobsService",
}


@pytest.fixture(scope="module")
def owner(server):
    _, api_key = server.create_user("platform-owner@example.com")
    client = driftline.Client(server.address, api_key)
    client.create_company(name="Platform", address="1 Loop Road", vat="IT11111111111")
    return api_key, client


@pytest.fixture(scope="module")
def project_id(owner):
    return owner[1].create_project(name="platform", description="platform tests")


def test_health_reports_each_service_serving(server):
    with grpc.insecure_channel(server.address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for name in ["", *SERVICES.values()]:
            response = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
            assert response.status == health_pb2.HealthCheckResponse.SERVING, name
        with pytest.raises(grpc.RpcError) as raised:
            health.Check(health_pb2.HealthCheckRequest(service="driftline.nope.v1.X"), timeout=5)
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_every_service_without_a_key(server):
    with grpc.insecure_channel(server.address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        (response,) = list(stub.ServerReflectionInfo(iter([request]), timeout=5))
        names = {s.name for s in response.list_services_response.service}
    assert set(SERVICES.values()) <= names
    assert "grpc.health.v1.Health" in names


def test_calls_without_a_valid_key_are_unauthenticated(server, project_id):
    for api_key in (None, "", "not-a-key", "dl_" + "A" * 43):
        client = driftline.Client(server.address, api_key)
        with pytest.raises(driftline.UnauthenticatedError) as raised:
            client.get_project(project_id)
        assert raised.value.error_code.startswith("API_KEY_")
        assert "API key" in raised.value.error_message or "key" in raised.value.error_message


def test_wrong_scheme_is_explained(server, project_id):
    with grpc.insecure_channel(server.address) as channel:
        stub = catalog_service_pb2_grpc.CatalogServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.GetProject(catalog_service_pb2.GetProjectRequest(project_id=project_id),
                            metadata=(("authorization", "Basic abc"),), timeout=5)
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "Bearer" in raised.value.details()


def test_internal_methods_refuse_user_keys(server, owner):
    from driftline.identity.v1 import identity_service_pb2, identity_service_pb2_grpc

    api_key, _ = owner
    with grpc.insecure_channel(server.address) as channel:
        stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.AuthenticateApiKey(
                identity_service_pb2.AuthenticateApiKeyRequest(api_key=api_key),
                metadata=(("authorization", f"Bearer {api_key}"),), timeout=5)
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_one_json_log_line_per_rpc_without_secrets(server, owner, project_id):
    api_key, client = owner
    client.get_project(project_id)
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    rpcs = [line for line in lines if line.get("event") == "rpc"]
    get = [line for line in rpcs if line["method"] == "GetProject"][-1]
    assert get["service"] == SERVICES["catalog"] and get["code"] == "OK"
    assert get["latency_ms"] >= 0 and len(get["request_id"]) >= 16 and get["caller_id"]
    assert api_key not in server.log()


def test_request_id_from_the_caller_is_logged(server, owner, project_id):
    api_key, _ = owner
    with grpc.insecure_channel(server.address) as channel:
        stub = catalog_service_pb2_grpc.CatalogServiceStub(channel)
        stub.GetProject(catalog_service_pb2.GetProjectRequest(project_id=project_id),
                        metadata=(("authorization", f"Bearer {api_key}"),
                                  ("x-request-id", "trace-me-0123456789")), timeout=5)
    assert '"request_id": "trace-me-0123456789"' in server.log()


@pytest.mark.skipif(shutil.which("node") is None, reason="buf curl needs node")
def test_buf_curl_calls_each_service_through_reflection(server, owner, project_id):
    api_key, _ = owner
    buf = ROOT / "node_modules" / ".bin" / "buf"
    calls = {
        "identity": ("GetCompany", {}),
        "catalog": ("GetProject", {"project_id": project_id}),
    }
    for service, (method, body) in calls.items():
        result = subprocess.run(
            [str(buf), "curl", "--protocol", "grpc", "--http2-prior-knowledge",
             "-H", f"authorization: Bearer {api_key}", "-d", json.dumps(body),
             f"http://{server.address}/{SERVICES[service]}/{method}"],
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout), result.stdout


def test_graceful_stop_lets_in_flight_calls_finish(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url).start()
    try:
        _, api_key = process.create_user("graceful@example.com")
        client = driftline.Client(process.address, api_key)
        client.create_company(name="Graceful", address="2 Loop Road", vat="IT22222222222")
        project_id = client.create_project(name="graceful", description="")
        outcomes: list[str] = []
        stop = threading.Event()

        def hammer():
            with grpc.insecure_channel(process.address) as channel:
                stub = catalog_service_pb2_grpc.CatalogServiceStub(channel)
                request = catalog_service_pb2.GetProjectRequest(project_id=project_id)
                while not stop.is_set():
                    try:
                        stub.GetProject(request, metadata=(("authorization", f"Bearer {api_key}"),),
                                        timeout=10)
                        outcomes.append("OK")
                    except grpc.RpcError as error:
                        outcomes.append(error.code().name)
                        if error.code() == grpc.StatusCode.UNAVAILABLE:
                            return

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        started = time.monotonic()
        assert process.stop() == 0
        stop.set()
        for thread in threads:
            thread.join(10)
        assert time.monotonic() - started < 10
        assert outcomes.count("OK") > 10
        # Calls are either served in full or refused as unavailable: never cut off or broken.
        served = [json.loads(line) for line in process.log_path.read_text().splitlines()
                  if '"method": "GetProject"' in line]
        # Every call the server started finished in full, and its answer reached the client...
        assert {line["code"] for line in served} == {"OK"}
        assert outcomes.count("OK") == len(served)
        # ...and the others were refused at the door (a call racing the closing connection is
        # reset by gRPC before any handler sees it, which the client reads as CANCELLED).
        assert set(outcomes) <= {"OK", "UNAVAILABLE", "CANCELLED"}, set(outcomes)
    finally:
        process.stop()
        database.drop()


def test_each_service_in_its_own_process_with_its_own_database(tmp_path):
    identity_dir, catalog_dir = tmp_path / "identity", tmp_path / "catalog"
    identity_dir.mkdir()
    catalog_dir.mkdir()
    identity_db, catalog_db = fresh_database(identity_dir), fresh_database(catalog_dir)
    identity_port, catalog_port = free_port(), free_port()
    shared = {"DRIFTLINE_INTERNAL_TOKEN": "internal-" + "x" * 40,
              "DRIFTLINE_IDENTITY_ADDRESS": f"127.0.0.1:{identity_port}",
              "DRIFTLINE_CATALOG_ADDRESS": f"127.0.0.1:{catalog_port}"}
    identity = ServerProcess(identity_dir, identity_db.url,
                             shared | {"DRIFTLINE_SERVICES": "identity"})
    catalog = ServerProcess(catalog_dir, catalog_db.url, shared | {"DRIFTLINE_SERVICES": "catalog"})
    try:
        identity.start(port=identity_port)
        catalog.start(port=catalog_port)

        _, api_key = identity.create_user("split@example.com")
        to_identity = driftline.Client(identity.address, api_key)
        to_catalog = driftline.Client(catalog.address, api_key)
        to_identity.create_company(name="Split", address="3 Loop Road", vat="IT33333333333")
        project_id = to_catalog.create_project(name="split", description="")
        assert to_catalog.get_project(project_id).name == "split"
        # The catalog process does not serve Identity, and the identity one not the Catalog.
        with pytest.raises(driftline.DriftlineError) as raised:
            to_catalog.get_company()
        assert raised.value.rpc_error.code() == grpc.StatusCode.UNIMPLEMENTED
        # Each service wrote only its own tables, in its own database.
        assert _tables(identity_db.url) and all(t.startswith(("identity_", "alembic_version_identity"))
                                                for t in _tables(identity_db.url))
        assert all(t.startswith(("catalog_", "alembic_version_catalog")) for t in _tables(catalog_db.url))
    finally:
        catalog.stop()
        identity.stop()
        identity_db.drop()
        catalog_db.drop()


def _tables(url: str) -> list[str]:
    from sqlalchemy import create_engine, inspect

    from driftline_server.platform.database import sync_url

    engine = create_engine(sync_url(url))
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_migrate_command_builds_an_empty_database_to_head(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url)
    try:
        result = process.cli("migrate")
        assert "identity" in result.stdout and "catalog" in result.stdout
        from driftline_server.platform import migrations

        for service in SERVICES:
            head = migrations.head_revision(service, database.url)
            assert head and migrations.current_revision(service, database.url) == head
        # Migrating again is a no-op that keeps the data.
        process.cli("migrate")
    finally:
        database.drop()


def test_bad_flag_and_unknown_service_fail_clearly(tmp_path):
    process = ServerProcess(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    result = process.cli("serve", "--services", "identity,billing", check=False)
    assert result.returncode == 2 and "unknown service" in result.stderr
