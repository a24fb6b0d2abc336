"""Model sessions: the models built from one dataset for one set of targets, the state of the
build with the times the server keeps as it changes (catalog/session_states.py), a registry of
build log entries and metrics, and the models themselves (built models), in a session or
detached. Nothing here knows gRPC.

Every state change of a session is appended to the model session event log in the transaction
that makes it (platform.eventlog: sequenced, group-committed), with the session's creation and
its delete, so that WatchModelSession(s) follow them in order and a watcher that resumes after
the last sequence it saw misses nothing. The log keeps no name or metadata: after a delete it
only says that the session was there.

Authorization as the rest of the Catalog: reading needs PROJECT_VIEW, writing PROJECT_USER,
and whatever belongs to another company is NOT_FOUND.
"""

from __future__ import annotations

import enum
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog import rules
from driftline_server.catalog.domain import replayed, visible_project, visible_row
from driftline_server.catalog.model_runs import canonical
from driftline_server.catalog.models import (
    BuiltModelRow,
    ModelSessionEventRow,
    ModelSessionLogRow,
    ModelSessionMetricRow,
    ModelSessionRow,
)
from driftline_server.catalog.rules import Violations, check_request_id
from driftline_server.catalog.session_states import (
    ENDED,
    SessionState,
    StateMoveRefused,
    Timeline,
    allowed_moves,
    move,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from driftline_server.platform.eventlog import LogFeed, LogWriter, SequencedLog, stopping_error
from driftline_server.platform.roles import Caller, ProjectRole

MAX_METADATA_BYTES = 64 * 1024  # canonical JSON, UTF-8
MAX_BUILD_LOGS = 1000  # entries a session's build log keeps (and one request may add)
MAX_LOG_MESSAGE = 1000
MAX_METRICS = 500  # metrics a session keeps (and one request may set)
MAX_METRIC_NAME = 200
FULL_PAGE_SIZE = 50  # a page of sessions with their whole build logs stays a few MiB
SESSION_UPDATABLE = ("name", "metadata", "state", "default_model_id")
MODEL_UPDATABLE = ("name", "metadata", "state", "binary_key")

NOTIFY_CHANNEL = "driftline_model_session_events"
_APPEND_LOCK_KEY = 0x6361747365737373  # "catsesss"; the same in every replica


class SessionCategory(enum.StrEnum):
    USER_MODEL = "USER_MODEL"
    PLATFORM_MODEL = "PLATFORM_MODEL"


class SessionView(enum.StrEnum):
    BASIC = "BASIC"  # no build log entries (their count and the metrics stay)
    FULL = "FULL"


class BuildLogLevel(enum.StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class BuiltModelType(enum.StrEnum):
    SESSION = "SESSION"
    DETACHED = "DETACHED"


class SessionEventType(enum.StrEnum):
    STATE_CHANGED = "STATE_CHANGED"
    DELETED = "DELETED"


# -- what requests bring and answers carry ----------------------------------------------------


@dataclass
class SessionDraft:
    name: str
    dataset_id: str
    category: SessionCategory | None
    targets: list[str] = field(default_factory=list)
    metadata: dict | None = None
    state: SessionState | None = None
    default_model_id: str = ""


@dataclass
class BuiltModelDraft:
    name: str
    model_session_id: str = ""
    dataset_id: str = ""
    targets: list[str] = field(default_factory=list)
    metadata: dict | None = None
    state: SessionState | None = None
    binary_key: str = ""


@dataclass
class LogEntryDraft:
    message: str
    level: BuildLogLevel | None = None
    time: datetime | None = None


@dataclass
class SessionRecord:
    """A session as answered: its row, how many models it has, its metrics by name and (in the
    FULL view) its build log in order."""

    row: ModelSessionRow
    model_count: int
    metrics: dict[str, float]
    build_logs: list[ModelSessionLogRow] = field(default_factory=list)


def timeline_of(row) -> Timeline:
    """A session's or built model's state and times, as session_states reads them."""
    return Timeline(SessionState(row.state), as_utc(row.start_time), as_utc(row.end_time))


def model_type(row: BuiltModelRow) -> BuiltModelType:
    return BuiltModelType.SESSION if row.model_session_id else BuiltModelType.DETACHED


# -- the event log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionEvent:
    """One logged event, as watchers see it."""

    sequence: int
    event_type: SessionEventType
    model_session_id: str
    project_id: str
    state: SessionState
    previous_state: SessionState | None
    start_time: datetime | None
    end_time: datetime | None
    event_time: datetime

    @property
    def ended(self) -> bool:
        """The last event of its session: it ended or was deleted."""
        return self.event_type is SessionEventType.DELETED or self.state in ENDED

    @classmethod
    def from_row(cls, row: ModelSessionEventRow) -> "SessionEvent":
        return cls(
            sequence=row.sequence, event_type=SessionEventType(row.event_type),
            model_session_id=row.model_session_id, project_id=row.project_id,
            state=SessionState(row.state),
            previous_state=SessionState(row.previous_state) if row.previous_state else None,
            start_time=as_utc(row.start_time), end_time=as_utc(row.end_time),
            event_time=as_utc(row.event_time),
        )


@dataclass(frozen=True)
class Heartbeat:
    """What a quiet watcher is sent: the sequence to resume after."""

    sequence: int


class SessionEventWriter(LogWriter):
    """Appends session events inside one session-changing transaction."""

    async def append(self, session: ModelSessionRow, event_type: SessionEventType,
                     previous_state: str | None) -> int:
        """Log ``session`` as it is now; keeps its first and last sequence (unless deleted)."""
        row = ModelSessionEventRow(
            event_type=event_type.value, model_session_id=session.id,
            project_id=session.project_id, state=session.state, previous_state=previous_state,
            start_time=session.start_time, end_time=session.end_time, event_time=utcnow(),
        )
        sequence = await self.add(row)
        if event_type is not SessionEventType.DELETED:
            session.first_sequence = session.first_sequence or sequence
            session.last_sequence = sequence
            self.session.add(session)
        return sequence


class SessionEventLog(SequencedLog[SessionEvent, SessionEventWriter]):
    def __init__(self, database: Database):
        super().__init__(database, ModelSessionEventRow, SessionEvent.from_row,
                         lock_key=_APPEND_LOCK_KEY, notify_channel=NOTIFY_CHANNEL,
                         writer_type=SessionEventWriter)


def session_event_feed(log: SessionEventLog, poll_seconds: float) -> LogFeed:
    return LogFeed(log, Heartbeat, stopping_error("catalog"), poll_seconds=poll_seconds)


# -- checks -------------------------------------------------------------------------------------


def _metadata(value: dict | None, path: str) -> dict:
    """Canonical metadata; unset is the empty object."""
    if value is None:
        return {}
    return canonical(value, path, "METADATA", MAX_METADATA_BYTES)


def _check_session_draft(draft: SessionDraft) -> dict:
    found = Violations()
    rules.check_built_name(found, draft.name, "model_session.name")
    rules.check_dataset_id(found, draft.dataset_id, "model_session.dataset_id", required=True)
    if draft.category is None:
        found.add("CATEGORY_REQUIRED", "model_session.category",
                  "is required: USER_MODEL or PLATFORM_MODEL")
    rules.check_targets(found, draft.targets, "model_session.targets")
    if draft.default_model_id:
        found.add("DEFAULT_MODEL_NOT_ALLOWED", "model_session.default_model_id",
                  "a new session has no models: set it with UpdateModelSession once it has")
    found.raise_if_any()
    return _metadata(draft.metadata, "model_session.metadata")


def _check_model_draft(draft: BuiltModelDraft) -> dict:
    found = Violations()
    rules.check_built_name(found, draft.name, "built_model.name")
    # A model of a session takes its session's dataset when it names none.
    rules.check_dataset_id(found, draft.dataset_id, "built_model.dataset_id",
                           required=not draft.model_session_id)
    rules.check_targets(found, draft.targets, "built_model.targets")
    rules.check_binary_key(found, draft.binary_key, "built_model.binary_key")
    found.raise_if_any()
    return _metadata(draft.metadata, "built_model.metadata")


def _check_changes(changes: dict, prefix: str) -> dict:
    """The checked values of an update's fields (metadata canonical)."""
    found = Violations()
    rules.check_built_name(found, changes.get("name"), f"{prefix}.name")
    rules.check_binary_key(found, changes.get("binary_key"), f"{prefix}.binary_key")
    if "state" in changes and changes["state"] is None:
        found.add("STATE_REQUIRED", f"{prefix}.state", "is required when updated: give the state "
                  "to move to")
    found.raise_if_any()
    checked = dict(changes)
    if "metadata" in changes:
        checked["metadata"] = _metadata(changes["metadata"], f"{prefix}.metadata")
    return checked


def _moved(row, to: SessionState, now: datetime, subject: str, reason: str) -> bool:
    """Move ``row`` (a session or a model) to ``to`` following the state rules; whether its
    state changed. FAILED_PRECONDITION saying what is allowed when the move is refused."""
    before = timeline_of(row)
    try:
        after = move(before, to, now, subject)
    except StateMoveRefused as refused:
        raise FailedPrecondition(
            reason=reason, message=str(refused),
            metadata={"id": row.id, "state": before.state.value, "requested_state": to.value,
                      "allowed_states": ",".join(allowed_moves(before.state))},
        ) from None
    row.state, row.start_time, row.end_time = after.state.value, after.start_time, after.end_time
    return after.state is not before.state


def _check_registry(entries: list[LogEntryDraft], metrics: dict[str, float]) -> None:
    found = Violations()
    if not entries and not metrics:
        found.add("REGISTRY_ENTRIES_REQUIRED", "build_logs",
                  "give build log entries or metrics to add")
    if len(entries) > MAX_BUILD_LOGS:
        found.add("TOO_MANY_BUILD_LOGS", "build_logs",
                  f"has {len(entries)} entries; at most {MAX_BUILD_LOGS} are added at once")
    else:
        for index, entry in enumerate(entries):
            path = f"build_logs[{index}].message"
            if not entry.message.strip():
                found.add("BUILD_LOG_MESSAGE_REQUIRED", path, "must not be blank")
            elif len(entry.message) > MAX_LOG_MESSAGE:
                found.add("BUILD_LOG_MESSAGE_TOO_LONG", path, f"has {len(entry.message)} "
                          f"characters; at most {MAX_LOG_MESSAGE} are allowed")
    if len(metrics) > MAX_METRICS:
        found.add("TOO_MANY_METRICS", "metrics",
                  f"has {len(metrics)} metrics; at most {MAX_METRICS} are set at once")
    else:
        for name, value in metrics.items():
            path = f"metrics[{name!r}]"
            if not name.strip():
                found.add("METRIC_NAME_REQUIRED", "metrics", "a metric name must not be blank")
            elif len(name) > MAX_METRIC_NAME:
                found.add("METRIC_NAME_TOO_LONG", path, f"the name has {len(name)} characters; "
                          f"at most {MAX_METRIC_NAME} are allowed")
            elif not math.isfinite(value):
                found.add("METRIC_VALUE_INVALID", path, f"{value} is not a finite number")
    found.raise_if_any()


# -- the service ----------------------------------------------------------------------------------


class ModelSessions:
    """Model sessions, their registry, the models built in them or detached, and the watches of
    their state changes."""

    def __init__(self, database: Database, log: SessionEventLog, feed: LogFeed):
        self._db = database
        self._log = log
        self._feed = feed

    # -- access ----------------------------------------------------------------------------------

    @staticmethod
    async def _session(db, caller: Caller, session_id: str, needed: ProjectRole, action: str,
                       lock: bool = False) -> ModelSessionRow:
        """The session, when the caller may act on it (NOT_FOUND otherwise, as for another
        company's). ``lock``: held until the transaction ends (PostgreSQL; SQLite has one
        writer anyway)."""
        return await visible_row(db, caller, ModelSessionRow, session_id, "model session",
                                 needed, action, lock=lock)

    @staticmethod
    async def _model(db, caller: Caller, model_id: str, needed: ProjectRole,
                     action: str) -> BuiltModelRow:
        return await visible_row(db, caller, BuiltModelRow, model_id, "built model", needed,
                                 action)

    # -- sessions: create and read -----------------------------------------------------------------

    async def create(self, caller: Caller, project_id: str, draft: SessionDraft,
                     request_id: str = "") -> SessionRecord:
        check_request_id(request_id)
        metadata = _check_session_draft(draft)

        async def change(writer: SessionEventWriter) -> ModelSessionRow:
            db = writer.session
            await visible_project(db, caller, project_id, ProjectRole.USER, "CreateModelSession")
            earlier = await replayed(db, ModelSessionRow, request_id, project_id=project_id)
            if earlier is not None:
                return earlier
            now = utcnow()
            row = ModelSessionRow(
                id=new_id(), project_id=project_id, name=draft.name.strip(),
                dataset_id=draft.dataset_id.strip(), category=draft.category.value,
                targets=list(draft.targets), session_metadata=metadata,
                state=SessionState.QUEUED.value, creator_id=caller.user_id[:64],
                request_id=request_id or None, create_time=now, update_time=now,
            )
            # A later first state starts the session at once (QUEUED -> it, by the rules).
            _moved(row, draft.state or SessionState.QUEUED, now, "session",
                   "MODEL_SESSION_STATE_MOVE_REFUSED")
            db.add(row)
            await db.flush()
            await writer.append(row, SessionEventType.STATE_CHANGED, None)
            return row

        try:
            row = await self._log.write(change)
        except IntegrityError as error:  # the same request id, at the same time
            if not (request_id and is_unique_violation(error)):
                raise
            async with self._db.reading() as db:
                row = await replayed(db, ModelSessionRow, request_id, project_id=project_id)
        async with self._db.reading() as db:
            return (await self._records(db, [row], SessionView.FULL))[0]

    async def get(self, caller: Caller, session_id: str,
                  view: SessionView | None = None) -> SessionRecord:
        async with self._db.reading() as db:
            row = await self._session(db, caller, session_id, ProjectRole.VIEW, "GetModelSession")
            return (await self._records(db, [row], view or SessionView.FULL))[0]

    async def list(self, caller: Caller, project_id: str, page_size: int, page_token: str,
                   states: list[SessionState] = (), dataset_id: str = "",
                   category: SessionCategory | None = None,
                   view: SessionView | None = None) -> tuple[list[SessionRecord], str]:
        """The project's sessions, oldest first, in one of ``states`` (any when empty), of this
        dataset and category (any when ""/None)."""
        view = view or SessionView.BASIC
        page = paging.parse(page_size, page_token, paging.fingerprint(
            "model_sessions", project_id, sorted(states), dataset_id, category))
        if view is SessionView.FULL:
            page = paging.Page(min(page.size, FULL_PAGE_SIZE), page.after, page.query)
        async with self._db.reading() as db:
            await visible_project(db, caller, project_id, ProjectRole.VIEW, "ListModelSessions")
            statement = select(ModelSessionRow).where(ModelSessionRow.project_id == project_id)
            if states:
                statement = statement.where(ModelSessionRow.state.in_([s.value for s in states]))
            if dataset_id:
                statement = statement.where(ModelSessionRow.dataset_id == dataset_id)
            if category is not None:
                statement = statement.where(ModelSessionRow.category == category.value)
            rows = (await db.exec(paging.by_time_and_id(
                statement, page, ModelSessionRow.create_time, ModelSessionRow.id))).all()
            rows, token = paging.time_and_id_page(page, rows)
            return await self._records(db, rows, view), token

    @staticmethod
    async def _records(db, rows: list[ModelSessionRow], view: SessionView) -> list[SessionRecord]:
        ids = [row.id for row in rows]
        counts: dict[str, int] = {}
        metrics: dict[str, dict[str, float]] = {session_id: {} for session_id in ids}
        logs: dict[str, list[ModelSessionLogRow]] = {session_id: [] for session_id in ids}
        if ids:
            counts = dict((await db.exec(
                select(BuiltModelRow.model_session_id, sa.func.count())
                .where(BuiltModelRow.model_session_id.in_(ids))
                .group_by(BuiltModelRow.model_session_id))).all())
            for session_id, name, value in (await db.exec(
                    select(ModelSessionMetricRow.model_session_id, ModelSessionMetricRow.name,
                           ModelSessionMetricRow.value)
                    .where(ModelSessionMetricRow.model_session_id.in_(ids))
                    .order_by(ModelSessionMetricRow.name))).all():
                metrics[session_id][name] = value
            if view is SessionView.FULL:
                for entry in (await db.exec(
                        select(ModelSessionLogRow)
                        .where(ModelSessionLogRow.model_session_id.in_(ids))
                        .order_by(ModelSessionLogRow.model_session_id,
                                  ModelSessionLogRow.position))).all():
                    logs[entry.model_session_id].append(entry)
        return [SessionRecord(row, counts.get(row.id, 0), metrics[row.id], logs[row.id])
                for row in rows]

    # -- sessions: change ------------------------------------------------------------------------

    async def update(self, caller: Caller, session_id: str, changes: dict) -> SessionRecord:
        """``changes``: new values of SESSION_UPDATABLE fields (metadata replaced whole, "" as
        the default model clears it). All of them change, or none."""
        checked = _check_changes(changes, "model_session")

        async def change(writer: SessionEventWriter) -> ModelSessionRow:
            db = writer.session
            row = await self._session(db, caller, session_id, ProjectRole.USER,
                                      "UpdateModelSession", lock=True)
            now = utcnow()
            if "name" in checked:
                row.name = checked["name"].strip()
            if "metadata" in checked:
                row.session_metadata = checked["metadata"]
            if checked.get("default_model_id"):
                await self._model_of_session(db, checked["default_model_id"], row)
            if "default_model_id" in checked:
                row.default_model_id = checked["default_model_id"]
            previous = row.state
            if "state" in checked and _moved(row, checked["state"], now, "session",
                                             "MODEL_SESSION_STATE_MOVE_REFUSED"):
                await writer.append(row, SessionEventType.STATE_CHANGED, previous)
            row.update_time = now
            db.add(row)
            await db.flush()
            return row

        row = await self._log.write(change)
        async with self._db.reading() as db:
            return (await self._records(db, [row], SessionView.BASIC))[0]

    @staticmethod
    async def _model_of_session(db, model_id: str, session: ModelSessionRow) -> BuiltModelRow:
        model = await db.get(BuiltModelRow, model_id)
        if model is None or model.model_session_id != session.id:
            raise NotFound(
                reason="BUILT_MODEL_NOT_FOUND",
                message=f"built model '{model_id}' is not a model of session '{session.id}': "
                "the default model is one of the session's own",
                metadata={"id": model_id, "model_session_id": session.id},
            )
        return model

    async def delete(self, caller: Caller, session_id: str) -> None:
        """The session, its models, build log and metrics, in one transaction."""

        async def change(writer: SessionEventWriter) -> None:
            db = writer.session
            row = await self._session(db, caller, session_id, ProjectRole.USER,
                                      "DeleteModelSession", lock=True)
            for table in (ModelSessionLogRow.__table__, ModelSessionMetricRow.__table__,
                          BuiltModelRow.__table__):
                await db.execute(sa.delete(table).where(table.c.model_session_id == row.id))
            await writer.append(row, SessionEventType.DELETED, row.state)
            await db.delete(row)

        await self._log.write(change)

    async def add_registry_entries(self, caller: Caller, session_id: str,
                                   entries: list[LogEntryDraft],
                                   metrics: dict[str, float]) -> SessionRecord:
        """Appends ``entries`` to the build log and sets ``metrics``, all or none: refused when
        the session would keep more than MAX_BUILD_LOGS entries or MAX_METRICS metrics."""
        _check_registry(entries, metrics)
        table = ModelSessionRow.__table__
        async with self._db.transaction() as db:
            row = await self._session(db, caller, session_id, ProjectRole.USER,
                                      "AddModelSessionRegistryEntries")
            now = utcnow()
            # One UPDATE checks and raises the count, holding the row until the commit, so that
            # concurrent additions take their positions one after the other.
            result = await db.execute(
                sa.update(table)
                .where(table.c.id == row.id,
                       table.c.build_log_count + len(entries) <= MAX_BUILD_LOGS)
                .values(build_log_count=table.c.build_log_count + len(entries), update_time=now)
                .returning(table.c.build_log_count))
            count = result.scalar_one_or_none()
            if count is None:
                raise self._full("MODEL_SESSION_BUILD_LOG_FULL", session_id,
                                 f"its build log holds {row.build_log_count} of at most "
                                 f"{MAX_BUILD_LOGS} entries, and {len(entries)} more do not fit")
            start = count - len(entries)
            for offset, entry in enumerate(entries):
                db.add(ModelSessionLogRow(
                    model_session_id=row.id, position=start + offset, time=entry.time or now,
                    level=(entry.level or BuildLogLevel.INFO).value, message=entry.message))
            if metrics:
                await self._set_metrics(db, row.id, metrics, now)
            await db.flush()
            await db.refresh(row)
            return (await self._records(db, [row], SessionView.BASIC))[0]

    async def _set_metrics(self, db, session_id: str, metrics: dict[str, float],
                           now: datetime) -> None:
        kept = {metric.name: metric for metric in (await db.exec(
            select(ModelSessionMetricRow).where(
                ModelSessionMetricRow.model_session_id == session_id))).all()}
        added = [name for name in metrics if name not in kept]
        if len(kept) + len(added) > MAX_METRICS:
            raise self._full("MODEL_SESSION_METRICS_FULL", session_id,
                             f"it has {len(kept)} of at most {MAX_METRICS} metrics, and "
                             f"{len(added)} new ones do not fit (values of existing names are "
                             "replaced)")
        for name, value in metrics.items():
            metric = kept.get(name) or ModelSessionMetricRow(model_session_id=session_id,
                                                             name=name)
            metric.value, metric.update_time = value, now
            db.add(metric)

    @staticmethod
    def _full(reason: str, session_id: str, why: str) -> FailedPrecondition:
        return FailedPrecondition(
            reason=reason,
            message=f"model session '{session_id}' cannot take these entries: {why}; nothing "
            "was added. Keep longer logs elsewhere and store their location in the metadata",
            metadata={"id": session_id},
        )

    # -- watching --------------------------------------------------------------------------------

    async def watch(self, caller: Caller, session_id: str, after: int,
                    heartbeat_seconds: float) -> AsyncIterator[SessionEvent | Heartbeat]:
        """The session's events after ``after`` (0: its whole history), with heartbeats when
        quiet, ending after the event that ends it (COMPLETE, ERROR or its delete)."""
        _check_after(after)
        async with self._db.reading() as db:
            row = await self._session(db, caller, session_id, ProjectRole.VIEW,
                                      "WatchModelSession")
        if SessionState(row.state) in ENDED and row.last_sequence <= after:
            return

        async def read_log(cursor: int, up_to: int) -> list[SessionEvent]:
            return await self._log.read(
                cursor, up_to, where=[ModelSessionEventRow.model_session_id == session_id])

        async for event in self._feed.follow(
                max(after, row.first_sequence - 1), lambda e: e.model_session_id == session_id,
                read_log, heartbeat_seconds):
            yield event
            if isinstance(event, SessionEvent) and event.ended:
                return

    async def watch_project(self, caller: Caller, project_id: str, after: int,
                            heartbeat_seconds: float) -> AsyncIterator[SessionEvent | Heartbeat]:
        """The events of every session of the project after ``after`` (0: from now on, with a
        first heartbeat to resume from), with heartbeats when quiet, forever."""
        _check_after(after)
        async with self._db.reading() as db:
            await visible_project(db, caller, project_id, ProjectRole.VIEW, "WatchModelSessions")
        if after == 0:
            after = self._feed.high_water
            yield Heartbeat(after)

        async def read_log(cursor: int, up_to: int) -> list[SessionEvent]:
            return await self._log.read(
                cursor, up_to, where=[ModelSessionEventRow.project_id == project_id])

        async for event in self._feed.follow(
                after, lambda e: e.project_id == project_id, read_log, heartbeat_seconds):
            yield event

    # -- built models ---------------------------------------------------------------------------

    async def create_model(self, caller: Caller, project_id: str, draft: BuiltModelDraft,
                           request_id: str = "") -> BuiltModelRow:
        """A model of ``draft.model_session_id`` (in its project), or a detached one of
        ``project_id``."""
        check_request_id(request_id)
        metadata = _check_model_draft(draft)
        if not draft.model_session_id and not project_id:
            raise InvalidArgument.for_field(
                "project_id", "is required for a detached model (or give "
                "built_model.model_session_id)", "PROJECT_ID_REQUIRED")
        try:
            async with self._db.transaction() as db:
                dataset_id, targets = draft.dataset_id.strip(), list(draft.targets)
                if draft.model_session_id:
                    parent = await self._parent_session(db, caller, draft, project_id)
                    project_id = parent.project_id
                    dataset_id, targets = parent.dataset_id, targets or list(parent.targets)
                else:
                    await visible_project(db, caller, project_id, ProjectRole.USER,
                                          "CreateBuiltModel")
                earlier = await replayed(db, BuiltModelRow, request_id, project_id=project_id)
                if earlier is not None:
                    return earlier
                now = utcnow()
                row = BuiltModelRow(
                    id=new_id(), project_id=project_id,
                    model_session_id=draft.model_session_id or None, name=draft.name.strip(),
                    dataset_id=dataset_id, targets=targets, model_metadata=metadata,
                    state=SessionState.QUEUED.value, binary_key=draft.binary_key.strip(),
                    creator_id=caller.user_id[:64], request_id=request_id or None,
                    create_time=now, update_time=now,
                )
                _moved(row, draft.state or SessionState.QUEUED, now, "model",
                       "BUILT_MODEL_STATE_MOVE_REFUSED")
                db.add(row)
                await db.flush()
                return row
        except IntegrityError as error:  # the same request id, at the same time
            if not (request_id and is_unique_violation(error)):
                raise
        async with self._db.reading() as db:
            return await replayed(db, BuiltModelRow, request_id, project_id=project_id)

    async def _parent_session(self, db, caller: Caller, draft: BuiltModelDraft,
                              project_id: str) -> ModelSessionRow:
        """The session a new model joins: visible, not ended, with the model's dataset and a
        superset of its targets. Locked, so that it does not end or go meanwhile."""
        parent = await self._session(db, caller, draft.model_session_id, ProjectRole.USER,
                                     "CreateBuiltModel", lock=True)
        found = Violations()
        if project_id and project_id != parent.project_id:
            found.add("PROJECT_MISMATCH", "project_id",
                      f"the session is in project '{parent.project_id}': leave project_id empty "
                      "or give that one")
        if draft.dataset_id.strip() and draft.dataset_id.strip() != parent.dataset_id:
            found.add("DATASET_MISMATCH", "built_model.dataset_id",
                      f"a model of the session is built from its dataset '{parent.dataset_id}': "
                      "leave dataset_id empty or give that one")
        unknown = [target for target in draft.targets if target not in parent.targets]
        if unknown:
            found.add("TARGET_NOT_IN_SESSION", "built_model.targets",
                      f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not among "
                      f"the session's targets ({', '.join(parent.targets) or 'none'})")
        found.raise_if_any()
        if SessionState(parent.state) in ENDED:
            raise FailedPrecondition(
                reason="MODEL_SESSION_ENDED",
                message=f"model session '{parent.id}' has ended ({parent.state}): build again in "
                "a new session",
                metadata={"id": parent.id, "state": parent.state},
            )
        return parent

    async def get_model(self, caller: Caller, model_id: str) -> BuiltModelRow:
        async with self._db.reading() as db:
            return await self._model(db, caller, model_id, ProjectRole.VIEW, "GetBuiltModel")

    async def list_models(
        self, caller: Caller, project_id: str, page_size: int, page_token: str,
        session_id: str = "", detached_only: bool = False, states: list[SessionState] = (),
        dataset_id: str = "",
    ) -> tuple[list[BuiltModelRow], str]:
        """Models oldest first: of the project, of one session, or only the detached ones, in
        one of ``states`` (any when empty), of this dataset (any when "")."""
        if session_id and detached_only:
            raise InvalidArgument.for_field(
                "detached_only", "a session's models are not detached: give model_session_id or "
                "detached_only, not both", "FILTERS_CONFLICT")
        page = paging.parse(page_size, page_token, paging.fingerprint(
            "built_models", project_id, session_id, detached_only, sorted(states), dataset_id))
        async with self._db.reading() as db:
            statement = select(BuiltModelRow)
            if session_id:
                parent = await self._session(db, caller, session_id, ProjectRole.VIEW,
                                             "ListBuiltModels")
                if project_id and project_id != parent.project_id:
                    raise InvalidArgument.for_field(
                        "project_id", f"the session is in project '{parent.project_id}': leave "
                        "project_id empty or give that one", "PROJECT_MISMATCH")
                statement = statement.where(BuiltModelRow.model_session_id == session_id)
            else:
                await visible_project(db, caller, project_id, ProjectRole.VIEW,
                                      "ListBuiltModels")
                statement = statement.where(BuiltModelRow.project_id == project_id)
            if detached_only:
                statement = statement.where(BuiltModelRow.model_session_id.is_(None))
            if states:
                statement = statement.where(BuiltModelRow.state.in_([s.value for s in states]))
            if dataset_id:
                statement = statement.where(BuiltModelRow.dataset_id == dataset_id)
            rows = (await db.exec(paging.by_time_and_id(
                statement, page, BuiltModelRow.create_time, BuiltModelRow.id))).all()
            return paging.time_and_id_page(page, rows)

    async def update_model(self, caller: Caller, model_id: str, changes: dict) -> BuiltModelRow:
        """``changes``: new values of MODEL_UPDATABLE fields (metadata replaced whole). All of
        them change, or none."""
        checked = _check_changes(changes, "built_model")
        async with self._db.transaction() as db:
            row = await self._model(db, caller, model_id, ProjectRole.USER, "UpdateBuiltModel")
            now = utcnow()
            if "name" in checked:
                row.name = checked["name"].strip()
            if "metadata" in checked:
                row.model_metadata = checked["metadata"]
            if "binary_key" in checked:
                row.binary_key = checked["binary_key"].strip()
            if "state" in checked:
                _moved(row, checked["state"], now, "model", "BUILT_MODEL_STATE_MOVE_REFUSED")
            row.update_time = now
            db.add(row)
            await db.flush()
            return row

    async def delete_model(self, caller: Caller, model_id: str) -> None:
        """The model; its session, if it was the session's default, has none after."""
        async with self._db.transaction() as db:
            row = await self._model(db, caller, model_id, ProjectRole.USER, "DeleteBuiltModel")
            if row.model_session_id:
                await db.execute(
                    sa.update(ModelSessionRow.__table__)
                    .where(ModelSessionRow.id == row.model_session_id,
                           ModelSessionRow.default_model_id == row.id)
                    .values(default_model_id="", update_time=utcnow()))
            await db.delete(row)


def _check_after(after: int) -> None:
    if after < 0:
        raise InvalidArgument.for_field("after_sequence", "must not be negative",
                                        "INVALID_AFTER_SEQUENCE")
