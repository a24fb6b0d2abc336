"""Sequenced event logs that Watch streams follow (Jobs' job events, Monitoring's detection
events).

An event log is a table whose rows carry a sequence number the database assigns and never
reuses. Changes that append events go through ``SequencedLog.write``; writes are serialized
(one committer task per process, an advisory transaction lock on PostgreSQL), so events become
visible in sequence order and a reader that has seen sequence N has seen every event before it.
Changes queued while a transaction commits are committed together in the next one (group
commit), each in a savepoint of its own, so one change's error undoes only that change.

``LogFeed`` reads the log once for everyone in the process and keeps the latest events in
memory; watchers follow it and fall back to reading the log when they are further behind than
it remembers. It is woken by local commits (``poke``) and, with several replicas on PostgreSQL,
by LISTEN/NOTIFY (``PostgresListener``); a slow poll covers a missed notification.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, Protocol, TypeVar

from sqlalchemy import func, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from driftline_server.platform.database import Database, is_sqlite
from driftline_server.platform.errors import Unavailable
from driftline_server.platform.logging import get_logger

_log = get_logger("driftline.eventlog")

T = TypeVar("T")


class Sequenced(Protocol):
    sequence: int


E = TypeVar("E", bound=Sequenced)


class LogWriter:
    """Appends event rows inside one change's transaction (``SequencedLog.write``)."""

    def __init__(self, session):
        self.session = session
        self.appended = 0

    async def add(self, row) -> int:
        """Append ``row``; returns the sequence number the database gave it."""
        self.session.add(row)
        await self.session.flush()
        self.appended += 1
        return row.sequence


W = TypeVar("W", bound=LogWriter)


class SequencedLog(Generic[E, W]):
    """Writes (group-committed, one transaction at a time) and reads of one event log.

    Args:
        database: where the log's table lives.
        row_type: the table's model; its ``sequence`` column is the autoincrement key.
        to_event: turns a row into the event watchers see.
        lock_key: the PostgreSQL advisory lock that serializes writers across replicas (any
            constant, the same in every replica, distinct per log).
        notify_channel: the LISTEN/NOTIFY channel replicas are woken on.
        writer_type: what changes append through (a ``LogWriter`` with the log's own helpers).
    """

    def __init__(self, database: Database, row_type, to_event: Callable[[object], E], *,
                 lock_key: int, notify_channel: str,
                 writer_type: Callable[[object], W] = LogWriter, max_batch: int = 256):
        self._database = database
        self._postgres = not is_sqlite(database.url)
        self._row_type = row_type
        self._to_event = to_event
        self._lock_key = lock_key
        self.notify_channel = notify_channel
        self._writer_type = writer_type
        self._max_batch = max_batch
        self._queue: list[tuple[Callable[[W], Awaitable[object]], asyncio.Future]] = []
        self._committer: asyncio.Task | None = None
        self.on_commit: Callable[[], None] = lambda: None

    async def write(self, change: Callable[[W], Awaitable[T]]) -> T:
        """Run ``change(writer)`` (which may change rows and append events) in a transaction,
        and return its result once committed. Its exceptions propagate, undoing only it."""
        future = asyncio.get_running_loop().create_future()
        self._queue.append((change, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(
                self._commit_queued(), name=f"{self.notify_channel}-committer")
        return await future

    async def _commit_queued(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch:]
            outcomes: list[tuple[asyncio.Future, object, BaseException | None]] = []
            appended = 0
            try:
                async with self._database.transaction() as session:
                    connection = await session.connection()
                    if self._postgres:
                        await connection.execute(
                            text("SELECT pg_advisory_xact_lock(:key)"), {"key": self._lock_key})
                    for change, future in batch:
                        writer = self._writer_type(session)
                        try:
                            async with session.begin_nested():
                                result = await change(writer)
                        except Exception as error:
                            outcomes.append((future, None, error))
                            continue
                        appended += writer.appended
                        outcomes.append((future, result, None))
                    if appended and self._postgres:
                        # Delivered to every listening replica when (and only if) this commits.
                        await connection.execute(text(f"NOTIFY {self.notify_channel}"))
            except Exception as error:  # the transaction itself failed: so did every change
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for future, result, error in outcomes:
                if future.done():  # its caller went away (cancelled)
                    continue
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(result)
            if appended:
                self.on_commit()

    async def last_sequence(self) -> int:
        async with self._database.reading() as session:
            value = (await session.exec(select(func.max(self._row_type.sequence)))).one()
        return value or 0

    async def read(self, after: int, up_to: int | None = None, limit: int = 500,
                   where=()) -> list[E]:
        """Events after sequence ``after`` (and at most ``up_to``), oldest first."""
        sequence = self._row_type.sequence
        query = select(self._row_type).where(sequence > after, *where)
        if up_to is not None:
            query = query.where(sequence <= up_to)
        query = query.order_by(sequence).limit(limit)
        async with self._database.reading() as session:
            rows = (await session.exec(query)).all()
        return [self._to_event(row) for row in rows]


class LogFeed(Generic[E]):
    """The latest events of a log in memory, read once per process for every watcher.

    Args:
        log: the log.
        heartbeat: the event a quiet watcher is sent, at a sequence (to resume from).
        stopping: the error followers end with when the process stops.
    """

    def __init__(self, log: SequencedLog, heartbeat: Callable[[int], E],
                 stopping: Callable[[], Exception], capacity: int = 4096,
                 poll_seconds: float = 1.0):
        self._log = log
        self._heartbeat = heartbeat
        self._stopping = stopping
        self._capacity = capacity
        self._poll_seconds = poll_seconds
        self._events: list[E] = []
        self._sequences: list[int] = []
        self.high_water = 0  # every event up to here has been read
        self.floor = 0  # every event in (floor, high_water] is in memory
        self._advanced = asyncio.Event()
        self._poked = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self._closed = False

    async def start(self) -> None:
        self.high_water = self.floor = await self._log.last_sequence()
        self._reader = asyncio.create_task(self._read_forever(),
                                           name=f"{self._log.notify_channel}-feed")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    def close(self) -> None:
        """The process is stopping: every follower ends with the ``stopping`` error, so that
        clients reconnect (to another replica, or to this one once it is back) and resume."""
        self._closed = True
        advanced, self._advanced = self._advanced, asyncio.Event()
        advanced.set()

    def poke(self) -> None:
        """New events were committed: read them soon."""
        self._poked.set()

    async def _read_forever(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._poked.wait(), self._poll_seconds)
            except TimeoutError:
                pass
            self._poked.clear()
            try:
                await self._catch_up()
            except Exception:  # the database is away: try again at the next poke or poll
                _log.warning("event_feed_read_failed", log=self._log.notify_channel,
                             exc_info=True)
                await asyncio.sleep(self._poll_seconds)

    async def _catch_up(self) -> None:
        while True:
            events = await self._log.read(self.high_water, limit=1000)
            if not events:
                return
            self._events.extend(events)
            self._sequences.extend(event.sequence for event in events)
            self.high_water = events[-1].sequence
            if len(self._events) > 2 * self._capacity:
                cut = len(self._events) - self._capacity
                self.floor = self._sequences[cut - 1]
                del self._events[:cut], self._sequences[:cut]
            advanced, self._advanced = self._advanced, asyncio.Event()
            advanced.set()
            if len(events) < 1000:
                return

    def events_after(self, sequence: int) -> list[E]:
        """Remembered events after ``sequence``; only meaningful when ``sequence >= floor``."""
        return self._events[bisect.bisect_right(self._sequences, sequence):]

    async def wait_beyond(self, sequence: int, timeout: float) -> bool:
        """Wait until the feed has read past ``sequence``; False after ``timeout`` seconds."""
        while self.high_water <= sequence and not self._closed:
            advanced = self._advanced
            try:
                await asyncio.wait_for(advanced.wait(), timeout)
            except TimeoutError:
                return False
        return True

    async def follow(
        self,
        after: int,
        matches: Callable[[E], bool],
        read_log: Callable[[int, int], Awaitable[list[E]]],
        heartbeat_seconds: float | None = None,
    ) -> AsyncIterator[E]:
        """Every event after ``after`` that ``matches``, in order, forever; a heartbeat after
        ``heartbeat_seconds`` of quiet. ``read_log(after, up_to)`` reads the log (narrowed as
        the caller likes) when the watcher is behind what the feed remembers."""
        cursor = after
        while True:
            if self._closed:
                raise self._stopping()
            if cursor < self.floor:
                up_to = self.high_water
                events = await read_log(cursor, up_to)
                for event in events:
                    if matches(event):
                        yield event
                # A short page means nothing else up to up_to matches the narrowed read.
                cursor = events[-1].sequence if len(events) >= 500 else up_to
                continue
            events = self.events_after(cursor)
            if events:
                for event in events:
                    cursor = event.sequence
                    if matches(event):
                        yield event
                continue
            if not await self.wait_beyond(cursor, heartbeat_seconds or 3600.0):
                if heartbeat_seconds is not None:
                    yield self._heartbeat(cursor)


class LiveFeed:
    """A log's feed kept current in a service: woken by local commits and, with several
    replicas on PostgreSQL, by LISTEN/NOTIFY; polling is the safety net. ``start``,
    ``stopping`` and ``stop`` are the service's on_start, on_stopping and on_stop.

    Args:
        log: the log.
        make_feed: the feed of the log, given how often it polls.
        database_url: the log's database.
    """

    def __init__(self, log: SequencedLog, make_feed: Callable[[float], LogFeed],
                 database_url: str):
        postgres = not is_sqlite(database_url)
        self.feed = make_feed(5.0 if postgres else 1.0)
        log.on_commit = self.feed.poke
        self._listener = (PostgresListener(database_url, log.notify_channel, self.feed.poke)
                          if postgres else None)

    async def start(self) -> None:
        if self._listener is not None:
            await self._listener.start()
        await self.feed.start()

    async def stopping(self) -> None:
        self.feed.close()  # watchers reconnect to another replica and resume where they were

    async def stop(self) -> None:
        await self.feed.stop()
        if self._listener is not None:
            await self._listener.stop()


def stopping_error(service: str) -> Callable[[], Exception]:
    """The error a stopping replica ends its watchers with."""
    return lambda: Unavailable(
        reason=f"{service.upper()}_SERVICE_STOPPING",
        message=f"this {service.capitalize()} replica is stopping: reconnect and resume after "
                "the last sequence you received")


def psycopg_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as a libpq URI."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False)


class PostgresListener:
    """LISTEN/NOTIFY: with several replicas on PostgreSQL, each learns at once that another
    committed events to a log (its feed then reads them). Reconnects on its own."""

    def __init__(self, database_url: str, channel: str, on_notify: Callable[[], None]):
        self._conninfo = psycopg_conninfo(database_url)
        self._channel = channel
        self._on_notify = on_notify
        self._task: asyncio.Task | None = None
        self._listening = asyncio.Event()

    async def start(self, timeout: float = 10.0) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name=f"{self._channel}-listen")
        await asyncio.wait_for(self._listening.wait(), timeout)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen_forever(self) -> None:
        import psycopg

        delay = 0.5
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True)
                async with connection:
                    await connection.execute(f"LISTEN {self._channel}")
                    self._listening.set()
                    delay = 0.5
                    # Events may have been committed while we were not listening.
                    self._on_notify()
                    async for _ in connection.notifies():
                        self._on_notify()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                _log.warning("listen_failed", channel=self._channel, error=str(error),
                             retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
