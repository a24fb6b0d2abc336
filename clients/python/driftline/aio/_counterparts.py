"""Hand-written asyncio counterparts of what the generator cannot derive from the blocking
client (see tools/generate_async_client.py, ``COUNTERPARTS``): the one place for them.

- ``AsyncMetricsLogger`` for ``MetricsLogger``: buffered metric points sent by an asyncio task
  instead of a background thread; ``log``, ``flush`` and ``close`` are coroutines.
- ``read_arrow_stream`` for ``driftline.arrow_stream.read_arrow_stream``: decodes the pieces of
  an async stream on a worker thread as they arrive, one piece held at a time.
- ``islice`` for ``itertools.islice`` over an async iterator.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime

import pyarrow as pa

from driftline import arrow_stream
from driftline._experiments import MAX_STREAM_POINTS, MetricPoint, _logged_point, _MetricsBuffer


async def read_arrow_stream(pieces: AsyncIterable[bytes]) -> pa.Table:
    """The table of an Arrow IPC stream whose pieces arrive on an async iterable: decoded by
    ``driftline.arrow_stream.read_arrow_stream`` on a worker thread, which takes each piece
    from the event loop as it needs it, so neither the whole stream is held nor the loop
    blocked while decoding."""
    loop = asyncio.get_running_loop()
    iterator = aiter(pieces)

    def blocking_pieces():
        while True:
            try:
                yield asyncio.run_coroutine_threadsafe(anext(iterator), loop).result()
            except StopAsyncIteration:
                return

    return await asyncio.to_thread(arrow_stream.read_arrow_stream, blocking_pieces())


async def islice(iterable: AsyncIterable, stop: int | None) -> AsyncIterator:
    """The first ``stop`` items of an async iterable (None: all), as ``itertools.islice``."""
    if stop is not None and stop <= 0:
        return
    count = 0
    async for item in iterable:
        yield item
        count += 1
        if stop is not None and count >= stop:
            return


class AsyncMetricsLogger(_MetricsBuffer):
    """``MetricsLogger`` for an event loop: buffers a model's metric points and streams them
    (LogMetrics) from an asyncio task, every ``flush_interval`` seconds or as soon as
    ``batch_size`` points wait; what it holds and decides is ``MetricsLogger``'s (the shared
    ``_MetricsBuffer``), only the lock and the sender differ. ``await log(...)`` returns at once
    unless ``max_buffered`` points already wait; ``await flush()`` waits until everything
    logged is stored; ``await close()`` (the end of an ``async with`` block) flushes and stops
    the task. A refusal by the server stops the logger and is raised by the next ``log``,
    ``flush`` or ``close``. Create it (``client.metrics_logger``) inside the event loop.

    Example:
        >>> async with client.metrics_logger(model.id, flush_interval=0.5) as logger:
        ...     await logger.log("loss", 0.93, phase="TRAINING", epoch=0, step=0)
        >>> logger.stored
        1
    """

    def __init__(self, client, model_id: str, *, flush_interval: float = 1.0,
                 batch_size: int = 1000, max_buffered: int = MAX_STREAM_POINTS):
        super().__init__(model_id, flush_interval, batch_size, max_buffered)
        self._client = client
        self._changed = asyncio.Condition()
        self._task = asyncio.get_running_loop().create_task(self._send_forever(),
                                                            name="driftline-metrics")

    async def log(self, name: str, value: float, *, phase=None, epoch: int | None = None,
                  step: int | None = None, time: datetime | None = None,
                  model_id: str | None = None) -> None:
        """Buffer one point of the logger's model (or of ``model_id``), measured now unless
        ``time`` is given.

        Example:
            >>> await logger.log("loss", 0.42, phase="TRAINING", epoch=3, step=1200)
        """
        point = _logged_point(model_id or self.model_id, name, value, phase, epoch, step, time)
        async with self._changed:
            self._raise_if_stopped()
            while self._full():
                await self._changed.wait()
                self._raise_if_stopped()
            if self._append(point):
                self._changed.notify_all()

    async def flush(self) -> None:
        """Wait until every point logged so far is stored; raises the server's refusal."""
        async with self._changed:
            self._flushes += 1
            self._changed.notify_all()
            try:
                while self._unstored():
                    await self._changed.wait()
            finally:
                self._flushes -= 1
            self._raise_error()

    async def close(self) -> None:
        """Store what is buffered and stop the task; raises the server's refusal. Closing
        again does nothing."""
        await self._stop()
        self._raise_error()

    async def __aenter__(self) -> "AsyncMetricsLogger":
        return self

    async def __aexit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            await self.close()
        else:
            await self._stop()

    async def _stop(self) -> None:
        async with self._changed:
            self._closed = True
            self._changed.notify_all()
        await self._task

    async def _next_stream(self) -> list[MetricPoint] | None:
        async with self._changed:
            while True:
                stop, stream, wait = self._due()
                if stop or stream is not None:
                    return stream
                try:
                    await asyncio.wait_for(self._changed.wait(), wait)
                except TimeoutError:
                    pass

    async def _send_forever(self) -> None:
        while (stream := await self._next_stream()) is not None:
            try:
                stored, failure = await self._client.log_metrics(
                    stream, batch_size=self._batch_size), None
            except Exception as error:
                stored, failure = 0, error
            async with self._changed:
                self._sent(stored, failure)
                self._changed.notify_all()
