"""One channel (plaintext or TLS), the API key on every call, deadlines, retries and error
mapping."""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable, Iterator
from typing import TypeVar

import grpc

from driftline.errors import TLSError, from_rpc_error
from driftline.tls import TLSConfig, is_loopback

Response = TypeVar("Response")

# Codes that can succeed on a retry, retried only for calls that are safe to repeat (reads,
# updates to a given state, deletes, creates carrying a request id). A create that may have
# reached the server is never repeated behind the caller's back.
_RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.ABORTED})


class TransportBase:
    """What the blocking ``Transport`` and the asyncio one (``driftline.aio``) share, none of it
    I/O: the target and TLS from the URL and options, the API key's metadata, the channel's
    options, error mapping and the retry schedule. A subclass opens its kind of channel
    (``_open_channel``) and makes the calls."""

    def __init__(
        self,
        url: str,
        api_key: str | None,
        timeout: float,
        max_attempts: int = 4,
        initial_backoff: float = 0.2,
        max_backoff: float = 3.0,
        max_message_mib: int = 64,
        tls: TLSConfig | None = None,
    ):
        """``tls``: how to speak TLS (see driftline.tls), None for plaintext; a URL starting
        with https:// or grpcs:// asks for TLS with the public CAs."""
        self.url = _target(url)
        self.tls = tls if tls is not None or not _asks_tls(url) else TLSConfig()
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self._metadata = (("authorization", f"Bearer {api_key}"),) if api_key else ()
        if api_key and self.tls is None and not is_loopback(self.url):
            warnings.warn(
                f"the API key is sent to {self.url} without TLS, readable by anyone on the "
                "network: pass tls=True or root_certificates= to driftline.Client",
                stacklevel=3,
            )
        options = [
            ("grpc.max_send_message_length", max_message_mib * 1024 * 1024),
            ("grpc.max_receive_message_length", max_message_mib * 1024 * 1024),
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.keepalive_timeout_ms", 10_000),
        ]
        credentials = None if self.tls is None else self.tls.credentials()
        self.channel = self._open_channel(self.url, credentials, options)

    def _open_channel(self, target: str, credentials: grpc.ChannelCredentials | None,
                      options: list):
        raise NotImplementedError

    def error(self, error: grpc.RpcError):
        """The DriftlineError for a failed call on this channel (a TLSError when the client and
        the server disagree about TLS)."""
        return from_rpc_error(error, target=self.url, tls=self.tls)

    def _final_error(self, error: grpc.RpcError, retryable: frozenset, attempt: int):
        """The error to raise for a failed attempt, or None to try again."""
        failure = self.error(error)
        # A disagreement about TLS is UNAVAILABLE too, but no retry can mend it.
        if (error.code() in retryable and not isinstance(failure, TLSError)
                and attempt < self.max_attempts):
            return None
        return failure

    def _pauses(self) -> Iterator[float]:
        """The seconds to wait before each retry: jittered exponential backoff."""
        backoff = self.initial_backoff
        while True:
            yield backoff * random.uniform(0.5, 1.0)
            backoff = min(backoff * 2, self.max_backoff)

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        return self._metadata


class Transport(TransportBase):
    """One blocking channel; see ``TransportBase`` for the options."""

    def _open_channel(self, target: str, credentials: grpc.ChannelCredentials | None,
                      options: list) -> grpc.Channel:
        if credentials is None:
            return grpc.insecure_channel(target, options=options)
        return grpc.secure_channel(target, credentials, options=options)

    def call(
        self,
        method: Callable[..., Response],
        request,
        *,
        idempotent: bool = False,
        timeout: float | None = None,
    ) -> Response:
        """Call a unary stub method; an idempotent call is retried with jittered exponential
        backoff while the server answers UNAVAILABLE or ABORTED."""
        retryable = _RETRYABLE if idempotent else frozenset()
        pauses = self._pauses()
        for attempt in range(1, self.max_attempts + 1):
            try:
                return method(request, metadata=self._metadata, timeout=timeout or self.timeout)
            except grpc.RpcError as error:
                failure = self._final_error(error, retryable, attempt)
                if failure is not None:
                    raise failure from None
            time.sleep(next(pauses))
        raise AssertionError("unreachable")

    def client_stream(
        self,
        method: Callable[..., Response],
        requests: Callable[[], Iterator],
        *,
        idempotent: bool = False,
        timeout: float | None = None,
    ) -> Response:
        """Call a client-streaming stub method. ``requests`` is a factory that builds a fresh
        request iterator for each attempt, so that an idempotent call (an upload carrying a
        request id) can be sent again, whole, while the server answers UNAVAILABLE or ABORTED.

        No deadline unless ``timeout`` is given: an upload takes as long as its data takes to
        send, and keepalives notice a dead connection.

        An exception raised while building the requests (a file that vanished, data that does
        not serialize) is raised as itself, not as the CANCELLED that gRPC turns it into.
        """
        retryable = _RETRYABLE if idempotent else frozenset()
        pauses = self._pauses()
        for attempt in range(1, self.max_attempts + 1):
            source = _RecordingIterator(requests())
            try:
                return method(source, metadata=self._metadata, timeout=timeout)
            except grpc.RpcError as error:
                if source.error is not None:
                    raise source.error from None
                failure = self._final_error(error, retryable, attempt)
                if failure is not None:
                    raise failure from None
            time.sleep(next(pauses))
        raise AssertionError("unreachable")

    def stream(self, method, request, *, timeout: float | None = None) -> Iterator:
        """Iterate a server-streaming stub method, mapping a failure to a DriftlineError."""
        try:
            yield from method(request, metadata=self._metadata, timeout=timeout)
        except grpc.RpcError as error:
            raise self.error(error) from None

    def close(self) -> None:
        self.channel.close()


class _RecordingIterator:
    """Passes requests through and keeps the exception that ended them, if any: gRPC consumes
    a request iterator on its own thread and reports its failure only as a cancelled call."""

    def __init__(self, requests: Iterator):
        self._requests = requests
        self.error: BaseException | None = None

    def __iter__(self) -> "_RecordingIterator":
        return self

    def __next__(self):
        try:
            return next(self._requests)
        except StopIteration:
            raise
        except BaseException as error:
            self.error = error
            raise


def _asks_tls(url: str) -> bool:
    return url.startswith(("https://", "grpcs://"))


def _target(url: str) -> str:
    """Accept 'host:port', 'grpc://host:port', 'http://host:port', and for TLS
    'grpcs://host:port' or 'https://host:port'."""
    for scheme in ("grpc://", "grpcs://", "http://", "https://", "dns:///"):
        if url.startswith(scheme):
            return url[len(scheme):].rstrip("/")
    return url
