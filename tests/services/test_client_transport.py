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
