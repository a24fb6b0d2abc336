"""Resumable Watch streams from an event loop: ``driftline._watching`` with ``asyncio.sleep``
between reconnections and ``async for`` over the streams. The sequence bookkeeping is the
blocking version's ``Cursor``."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Callable

from driftline._watching import RECONNECT, Cursor, Reconnector, stream_ended
from driftline.errors import DriftlineError

__all__ = ["RECONNECT", "AsyncReconnector", "resuming"]


class AsyncReconnector(Reconnector):
    """``Reconnector`` that waits with ``asyncio.sleep``."""

    async def wait_or_raise(self, error: DriftlineError, deadline: float | None) -> None:
        await asyncio.sleep(self._pause_or_raise(error, deadline))


async def resuming(open_stream: Callable[[int], AsyncIterable],
                   position: Callable[[object], tuple[int, bool]], after_sequence: int,
                   patience: float, *, ended: Callable[[], object] | None = None,
                   deadline: float | None = None) -> AsyncIterator[tuple[object, bool]]:
    """``driftline._watching.resuming`` for async streams: ``open_stream(cursor)`` returns an
    async iterable, and ``ended()`` may return an awaitable (a call to the server)."""
    reconnector = AsyncReconnector(patience)
    cursor = Cursor(after_sequence, position)
    while True:
        try:
            async for response in open_stream(cursor.sequence):
                reconnector.succeeded()
                heartbeat = cursor.advance(response)
                if heartbeat is not None:
                    yield response, heartbeat
            if ended is not None:
                answer = ended()
                if inspect.isawaitable(answer):
                    answer = await answer
                if answer:
                    return
                raise stream_ended()
        except RECONNECT as error:
            await reconnector.wait_or_raise(error, deadline)
