"""The asyncio transport: ``Transport``'s options, retries and error mapping on a grpc.aio
channel. Everything that is not I/O (target and TLS from the URL, the API key's metadata, the
channel's options, error mapping, the retry schedule) is ``TransportBase``'s, shared with the
blocking transport; only the channel and the waits differ."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from typing import Any

import grpc
import grpc.aio

from driftline._transport import _RETRYABLE, TransportBase

_END = object()


class AsyncTransport(TransportBase):
    """One grpc.aio channel, with the options of ``Transport`` (TLS included). Open it inside
    the event loop that uses it, as grpc.aio requires."""

    def _open_channel(self, target: str, credentials: grpc.ChannelCredentials | None,
                      options: list) -> grpc.aio.Channel:
        if credentials is None:
            return grpc.aio.insecure_channel(target, options=options)
        return grpc.aio.secure_channel(target, credentials, options=options)

    async def _mapped(self, error: grpc.RpcError, retryable: frozenset, attempt: int):
        """``_final_error`` off the event loop when it may probe the server (an UNAVAILABLE
        call can be a TLS disagreement, diagnosed with one blocking handshake)."""
        if error.code() is grpc.StatusCode.UNAVAILABLE:
            return await asyncio.to_thread(self._final_error, error, retryable, attempt)
        return self._final_error(error, retryable, attempt)

    async def call(self, method: Callable[..., Any], request, *, idempotent: bool = False,
                   timeout: float | None = None):
        """Await a unary stub method; an idempotent call is retried with jittered exponential
        backoff (``asyncio.sleep``) while the server answers UNAVAILABLE or ABORTED."""
        retryable = _RETRYABLE if idempotent else frozenset()
        pauses = self._pauses()
        for attempt in range(1, self.max_attempts + 1):
            try:
                return await method(request, metadata=self._metadata,
                                    timeout=timeout or self.timeout)
            except grpc.RpcError as error:
                failure = await self._mapped(error, retryable, attempt)
                if failure is not None:
                    raise failure from None
            await asyncio.sleep(next(pauses))
        raise AssertionError("unreachable")

    async def client_stream(self, method: Callable[..., Any],
                            requests: Callable[[], Iterable | AsyncIterable], *,
                            idempotent: bool = False, timeout: float | None = None):
        """Await a client-streaming stub method; ``requests`` builds a fresh request iterator
        (blocking or async) for each attempt, as ``Transport.client_stream``.

        A blocking iterator (one that reads a file or serializes Arrow record batches) is
        advanced on a worker thread (``asyncio.to_thread``), so the event loop never waits on
        the disk. An exception raised while building the requests is raised as itself."""
        retryable = _RETRYABLE if idempotent else frozenset()
        pauses = self._pauses()
        for attempt in range(1, self.max_attempts + 1):
            source = _RecordingAsyncIterator(requests())
            try:
                return await method(source, metadata=self._metadata, timeout=timeout)
            except grpc.RpcError as error:
                if source.error is not None:
                    raise source.error from None
                failure = await self._mapped(error, retryable, attempt)
                if failure is not None:
                    raise failure from None
            await asyncio.sleep(next(pauses))
        raise AssertionError("unreachable")

    async def stream(self, method, request, *, timeout: float | None = None) -> AsyncIterator:
        """Iterate a server-streaming stub method, mapping a failure to a DriftlineError; the
        call is cancelled when the iteration stops early."""
        call = method(request, metadata=self._metadata, timeout=timeout)
        try:
            async for response in call:
                yield response
        except grpc.RpcError as error:
            raise (await self._mapped(error, frozenset(), self.max_attempts)) from None
        finally:
            call.cancel()

    async def close(self) -> None:
        await self.channel.close()


class _RecordingAsyncIterator:
    """An async iterator over a blocking or async request iterator that keeps the exception
    that ended it: grpc.aio reports that only as a cancelled call."""

    def __init__(self, requests: Iterable | AsyncIterable):
        self.error: BaseException | None = None
        if isinstance(requests, AsyncIterable):
            self._async = requests.__aiter__()
            self._blocking = None
        else:
            self._async = None
            self._blocking = iter(requests)

    def __aiter__(self) -> "_RecordingAsyncIterator":
        return self

    async def __anext__(self):
        try:
            if self._async is not None:
                return await self._async.__anext__()
            item = await asyncio.to_thread(next, self._blocking, _END)
        except StopAsyncIteration:
            raise
        except BaseException as error:
            self.error = error
            raise
        if item is _END:
            raise StopAsyncIteration
        return item
