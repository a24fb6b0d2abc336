"""The Python client's transport: deadlines, retries with backoff, and error mapping."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

import driftline
from driftline._transport import Transport
from harness import ServerProcess, free_port, fresh_database


def _health(transport: Transport):
    return health_pb2_grpc.HealthStub(transport.channel).Check


def test_idempotent_call_retries_until_the_server_comes_up(tmp_path):
    port = free_port()
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url)
    transport = Transport(f"127.0.0.1:{port}", None, timeout=5, max_attempts=60,
                          initial_backoff=0.1, max_backoff=0.5)
    starter = threading.Timer(0.5, lambda: process.start(port=port))
    starter.start()
    try:
        started = time.monotonic()
        response = transport.call(_health(transport), health_pb2.HealthCheckRequest(),
                                  idempotent=True)
        assert response.status == health_pb2.HealthCheckResponse.SERVING
        assert time.monotonic() - started > 0.5  # it really waited for the server
    finally:
        starter.join()
        process.stop()
        transport.close()
        database.drop()


def test_idempotent_call_gives_up_after_its_attempts_with_backoff():
    transport = Transport(f"127.0.0.1:{free_port()}", None, timeout=2, max_attempts=4,
                          initial_backoff=0.2, max_backoff=1.0)
    started = time.monotonic()
    with pytest.raises(driftline.UnavailableError) as raised:
        transport.call(_health(transport), health_pb2.HealthCheckRequest(), idempotent=True)
    # Three waits of 0.2, 0.4 and 0.8 s, each jittered down to no less than half.
    assert time.monotonic() - started >= 0.7
    assert raised.value.error_code == "UNAVAILABLE"
    transport.close()


def test_a_call_that_is_not_idempotent_is_never_repeated():
    transport = Transport(f"127.0.0.1:{free_port()}", None, timeout=2, max_attempts=4,
                          initial_backoff=1.0)
    started = time.monotonic()
    with pytest.raises(driftline.UnavailableError):
        transport.call(_health(transport), health_pb2.HealthCheckRequest(), idempotent=False)
    assert time.monotonic() - started < 1.0
    transport.close()


def test_deadline_is_reported_as_its_own_error():
    # A peer that accepts the connection but never speaks: the call can only run out of time.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        transport = Transport(f"127.0.0.1:{silent.getsockname()[1]}", None, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(driftline.DeadlineExceededError):
            transport.call(_health(transport), health_pb2.HealthCheckRequest(), idempotent=True)
        assert 0.25 < time.monotonic() - started < 5
        transport.close()


@pytest.mark.parametrize("url", ["127.0.0.1:{port}", "grpc://127.0.0.1:{port}",
                                 "http://127.0.0.1:{port}/"])
def test_url_forms(server, url):
    transport = Transport(url.format(port=server.port), None, timeout=5)
    assert transport.call(_health(transport), health_pb2.HealthCheckRequest()).status == 1
    transport.close()


def test_the_stubs_call_rpcs_on_the_clients_connection(owner):
    """client.stubs: the generated stubs on the client's channel, called with its key, its
    deadline and its error mapping (call), or raw with its metadata."""
    import grpc

    from driftline.identity.v1 import identity_service_pb2 as pb

    mapped = owner.stubs.call(owner.stubs.identity.GetCompany, pb.GetCompanyRequest(),
                              idempotent=True)
    raw = owner.stubs.identity.GetCompany(pb.GetCompanyRequest(), metadata=owner.stubs.metadata)
    assert mapped.company.id == raw.company.id != ""
    assert owner.stubs.target.startswith("127.0.0.1:")
    with pytest.raises(driftline.NotFoundError):  # a status, mapped as the methods map it
        owner.stubs.call(owner.stubs.identity.GetIntegrationCredentials,
                         pb.GetIntegrationCredentialsRequest(credentials_id="nobody"))
    with pytest.raises(grpc.RpcError) as raw_error:  # raw: the plain gRPC error
        owner.stubs.identity.GetCompany(pb.GetCompanyRequest(), timeout=5)
    assert raw_error.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_no_test_reaches_a_private_attribute_of_the_client():
    """The tests use the client as its users may: methods and client.stubs, nothing private."""
    import ast

    from harness import ROOT

    probe = driftline.Client("127.0.0.1:1", api_key=None)
    private = {name for name in [*vars(probe), *dir(driftline.Client)]
               if name.startswith("_") and not name.startswith("__")}
    probe.close()
    found = []
    for path in [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in private and not (
                    isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not found, "\n".join(found)
