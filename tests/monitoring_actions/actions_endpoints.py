"""Real endpoints on loopback that the delivery tests send to: an HTTP server that records what
it receives (webhooks, Event Grid) and a gRPC Pub/Sub publisher service."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from concurrent import futures
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from google.pubsub_v1.types import PublishRequest, PublishResponse

from driftline_server.monitoring.actions import DeliverySettings

# Tests deliver to plain http:// endpoints on loopback.
LOOPBACK = DeliverySettings(allow_http=True)


def free_port() -> int:
    """A port nothing listens on (it was free a moment ago): connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    """What the HTTP endpoint answers: a status, a body, headers, and a delay before it does."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class RecordingHTTPServer:
    """An HTTP server on 127.0.0.1 that records every request and answers ``self.answer``."""

    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self.answer = Answer()
        self._released = threading.Event()  # ends the delays of slow answers at shutdown
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                recorder.requests.append(ReceivedRequest(
                    "POST", self.path, dict(self.headers.items()), self.rfile.read(length)))
                answer = recorder.answer
                if answer.delay:
                    recorder._released.wait(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format, *args) -> None:  # quiet test output
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll keeps shutdown (each test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def last(self) -> ReceivedRequest:
        assert self.requests, "the endpoint received no request"
        return self.requests[-1]

    def start(self) -> RecordingHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class PubSubPublisherService:
    """google.pubsub.v1.Publisher's Publish on a plaintext loopback gRPC server (what the
    emulator offers), with the request and response classes of google-cloud-pubsub. Records
    each request and answers a message id per message, or ``self.fail_with`` (a status code)."""

    SERVICE = "google.pubsub.v1.Publisher"

    def __init__(self) -> None:
        self.requests: list[PublishRequest] = []
        self.fail_with: grpc.StatusCode | None = None
        self._ids = itertools.count(1000)
        handler = grpc.method_handlers_generic_handler(self.SERVICE, {
            "Publish": grpc.unary_unary_rpc_method_handler(
                self._publish,
                request_deserializer=PublishRequest.deserialize,
                response_serializer=PublishResponse.serialize,
            ),
        })
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        self._server.add_generic_rpc_handlers((handler,))
        self.port = self._server.add_insecure_port("127.0.0.1:0")

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _publish(self, request: PublishRequest, context: grpc.ServicerContext) -> PublishResponse:
        self.requests.append(request)
        if self.fail_with is not None:
            context.abort(self.fail_with, f"refused by the test ({self.fail_with.name})")
        return PublishResponse(message_ids=[str(next(self._ids)) for _ in request.messages])

    def start(self) -> PubSubPublisherService:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop(grace=None).wait(5)
