"""The job event log and its live feed.

Every change of a job appends one row to ``jobs_events`` in the transaction that changes the
job; the database assigns the sequence number. Writes are serialized (one committer task per
process, an advisory transaction lock on PostgreSQL), so events become visible in sequence
order and a reader that has seen sequence N has seen every event before it. Changes queued
while a transaction commits are committed together in the next one (group commit), each in a
savepoint of its own, so one change's error undoes only that change.

``EventFeed`` reads the log once for everyone in the process and keeps the latest events in
memory; watchers follow it and fall back to reading the log when they are further behind than
it remembers. It is woken by local commits (``poke``) and, with several replicas on
PostgreSQL, by LISTEN/NOTIFY; a slow poll covers a missed notification.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, text
from sqlmodel import select

from driftline_server.jobs.models import JobEventRow, JobRow
from driftline_server.jobs.vocabulary import EventType, JobStatus
from driftline_server.platform.clock import as_utc, utcnow
from driftline_server.platform.database import Database, is_sqlite
from driftline_server.platform.errors import Unavailable
from driftline_server.platform.logging import get_logger

_log = get_logger("driftline.jobs.events")

NOTIFY_CHANNEL = "driftline_jobs_events"
# Any constant works: every replica must use the same one.
_APPEND_LOCK_KEY = 0x6A6F627365767473  # "jobsevts"
T = TypeVar("T")


@dataclass(frozen=True)
class JobEvent:
    """One logged event, as watchers see it."""

    sequence: int
    event_type: EventType
    job_id: str
    job_type: str
    status: JobStatus
    progress_fraction: float
    progress_message: str
    error_reason: str | None
    error_message: str | None
    attempt: int
    message: str
    company_id: str
    project_id: str | None
    task_id: str | None
    model_id: str | None
    event_time: datetime

    @classmethod
    def from_row(cls, row: JobEventRow) -> "JobEvent":
        return cls(
            sequence=row.sequence, event_type=EventType(row.event_type), job_id=row.job_id,
            job_type=row.job_type, status=JobStatus(row.status),
            progress_fraction=row.progress_fraction, progress_message=row.progress_message,
            error_reason=row.error_reason, error_message=row.error_message, attempt=row.attempt,
            message=row.message, company_id=row.company_id, project_id=row.project_id,
            task_id=row.task_id, model_id=row.model_id, event_time=as_utc(row.event_time),
        )

    @classmethod
    def heartbeat(cls, sequence: int) -> "JobEvent":
        return cls(
            sequence=sequence, event_type=EventType.HEARTBEAT, job_id="", job_type="",
            status=JobStatus.QUEUED, progress_fraction=0.0, progress_message="",
            error_reason=None, error_message=None, attempt=0, message="", company_id="",
            project_id=None, task_id=None, model_id=None, event_time=utcnow(),
        )


class EventWriter:
    """Appends events inside one job-changing transaction."""

    def __init__(self, session):
        self.session = session
        self.appended = 0

    async def append(
        self, job: JobRow, event_type: EventType, message: str = "",
        error: tuple[str, str] | None = None,
    ) -> int:
        """Log ``job`` as it is now; sets ``job.last_sequence``; returns the sequence."""
        row = JobEventRow(
            job_id=job.id, job_type=job.type, event_type=event_type.value, status=job.status,
            progress_fraction=job.progress_fraction, progress_message=job.progress_message,
            error_reason=error[0] if error else None,
            error_message=error[1][:2000] if error else None,
            attempt=job.attempt, message=message[:500], company_id=job.company_id,
            project_id=job.project_id, task_id=job.task_id, model_id=job.model_id,
            event_time=utcnow(),
        )
        self.session.add(row)
        await self.session.flush()
        job.last_sequence = row.sequence
        job.update_time = row.event_time
        self.session.add(job)
        self.appended += 1
        return row.sequence


Change = Callable[[EventWriter], Awaitable[T]]


class EventLog:
    """Writes (group-committed, one transaction at a time) and reads of the event log."""

    def __init__(self, database: Database, max_batch: int = 256):
        self._database = database
        self._postgres = not is_sqlite(database.url)
        self._max_batch = max_batch
        self._queue: list[tuple[Change, asyncio.Future]] = []
        self._committer: asyncio.Task | None = None
        self.on_commit: Callable[[], None] = lambda: None

    async def write(self, change: Change[T]) -> T:
        """Run ``change(writer)`` (which may change jobs and append events) in a transaction,
        and return its result once committed. Its exceptions propagate, undoing only it."""
        future = asyncio.get_running_loop().create_future()
        self._queue.append((change, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_queued(), name="jobs-committer")
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
                            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK_KEY}
                        )
                    for change, future in batch:
                        writer = EventWriter(session)
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
                        await connection.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
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
            value = (await session.exec(select(func.max(JobEventRow.sequence)))).one()
        return value or 0

    async def read(
        self, after: int, up_to: int | None = None, limit: int = 500, where=()
    ) -> list[JobEvent]:
        """Events after sequence ``after`` (and at most ``up_to``), oldest first."""
        query = select(JobEventRow).where(JobEventRow.sequence > after, *where)
        if up_to is not None:
            query = query.where(JobEventRow.sequence <= up_to)
        query = query.order_by(JobEventRow.sequence).limit(limit)
        async with self._database.reading() as session:
            rows = (await session.exec(query)).all()
        return [JobEvent.from_row(row) for row in rows]


class EventFeed:
    """The latest events of the log in memory, read once per process for every watcher."""

    def __init__(self, log: EventLog, capacity: int = 4096, poll_seconds: float = 1.0):
        self._log = log
        self._capacity = capacity
        self._poll_seconds = poll_seconds
        self._events: list[JobEvent] = []
        self._sequences: list[int] = []
        self.high_water = 0  # every event up to here has been read
        self.floor = 0  # every event in (floor, high_water] is in memory
        self._advanced = asyncio.Event()
        self._poked = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self._closed = False

    async def start(self) -> None:
        self.high_water = self.floor = await self._log.last_sequence()
        self._reader = asyncio.create_task(self._read_forever(), name="jobs-event-feed")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    def close(self) -> None:
        """The process is stopping: every follower ends with Unavailable, so that clients
        reconnect (to another replica, or to this one once it is back) and resume."""
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
                _log.warning("event_feed_read_failed", exc_info=True)
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

    def events_after(self, sequence: int) -> list[JobEvent]:
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
        matches: Callable[[JobEvent], bool],
        read_log: Callable[[int, int], Awaitable[list[JobEvent]]],
        heartbeat_seconds: float | None = None,
    ) -> AsyncIterator[JobEvent]:
        """Every event after ``after`` that ``matches``, in order, forever; a heartbeat after
        ``heartbeat_seconds`` of quiet. ``read_log(after, up_to)`` reads the log (narrowed as
        the caller likes) when the watcher is behind what the feed remembers."""
        cursor = after
        while True:
            if self._closed:
                raise Unavailable(
                    reason="JOBS_SERVICE_STOPPING",
                    message="this Jobs replica is stopping: reconnect and resume after the last "
                    "sequence you received",
                )
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
                    yield JobEvent.heartbeat(cursor)
