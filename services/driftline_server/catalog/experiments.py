"""Experiment tracking: experiments in a project, each a namespace of models addressed by a hash
unique in the experiment (and by a global id anywhere); each model owns its iterations (one per
phase and epoch), its metric points and its modules.

Nothing here knows gRPC. Reads need at least PROJECT_VIEW on the experiment's project, writes at
least PROJECT_USER; anything of another company is NOT_FOUND, under the name of what was asked
for (an experiment, a model).

Metric points arrive in bulk. Each message of a LogMetrics stream is checked as it arrives (its
models once a stream), the points are kept in memory, and the stream is stored when it ends, in
one transaction and chunks of bulk inserts (COPY on PostgreSQL): a refused message stores
nothing of the stream, and SQLite's single writer is held only while the rows are written, never
while the client is still sending. MAX_STREAM_POINTS bounds that memory.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog.domain import replayed, visible_project, visible_row
from driftline_server.catalog.model_runs import canonical
from driftline_server.catalog.models import (
    ExperimentModelRow,
    ExperimentRow,
    IterationRow,
    MetricPointRow,
    ModuleRow,
)
from driftline_server.catalog.rules import (
    MAX_DESCRIPTION,
    MAX_NAME,
    Violations,
    check_name as check_name,
    check_request_id,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, bulk_insert, is_unique_violation
from driftline_server.platform.errors import (
    AlreadyExists,
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    not_found,
)
from driftline_server.platform.roles import Caller, ProjectRole

MAX_HASH = 128
MAX_METRIC_NAME = 200
MAX_MESSAGE_POINTS = 10_000  # of a LogMetrics message or an AppendMetrics request
MAX_STREAM_POINTS = 100_000  # held in memory until the stream ends: ~30 MB at most
MAX_MODULES = 1000
INSERT_CHUNK = 10_000  # rows of one bulk insert

EXPERIMENT_UPDATABLE = ("name", "description")
MODEL_UPDATABLE = ("name", "description", "step")

_HASH = re.compile(rf"[^\s\x00-\x1f\x7f]{{1,{MAX_HASH}}}")
_METRIC_COLUMNS = ["model_id", "name", "value", "phase", "epoch", "step", "time"]


class Phase(enum.StrEnum):
    TRAINING = "TRAINING"
    VALIDATION = "VALIDATION"
    TEST = "TEST"
    EVALUATION = "EVALUATION"


@dataclass(frozen=True)
class ModuleDraft:
    name: str
    type: str
    arguments: dict | None  # None: {}
    hash: str = ""


@dataclass(frozen=True)
class MetricsLogged:
    """What a LogMetrics stream stored."""

    points: int
    messages: int
    models: int


# A metric point as the servicer passes it in:
# (model_id, name, value, phase or None, epoch or None, step or None, time or None).
PointDraft = tuple[str, str, float, Phase | None, int | None, int | None, datetime | None]


# -- rules ------------------------------------------------------------------------------------


def _check_description(found: Violations, description: str, path: str) -> None:
    if len(description) > MAX_DESCRIPTION:
        found.add("DESCRIPTION_TOO_LONG", path,
                  f"has {len(description)} characters; at most {MAX_DESCRIPTION} are allowed")


def _check_label(found: Violations, name: str, path: str) -> None:
    """An optional name: "" is none."""
    if len(name) > MAX_NAME:
        found.add("NAME_TOO_LONG", path, f"has {len(name)} characters; at most {MAX_NAME} are allowed")


def _check_hash(found: Violations, hash: str, path: str) -> None:
    rule = f"1 to {MAX_HASH} characters without blanks or control characters (a hex digest, say)"
    if not hash:
        found.add("HASH_REQUIRED", path, f"is required: {rule}")
    elif not _HASH.fullmatch(hash):
        shown = hash[:40] + ("..." if len(hash) > 40 else "")
        found.add("HASH_INVALID", path, f"must be {rule}, not {shown!r}")


def _check_step(found: Violations, value: int | None, path: str, reason: str) -> None:
    if value is not None and value < 0:
        found.add(reason, path, f"must be 0 or more, not {value}")


def _model_changes(changes: dict, path: str = "experiment_model") -> dict:
    found = Violations()
    if "name" in changes:
        _check_label(found, changes["name"], f"{path}.name")
    if "description" in changes:
        _check_description(found, changes["description"], f"{path}.description")
    if "step" in changes:
        _check_step(found, changes["step"], f"{path}.step", "STEP_NEGATIVE")
    found.raise_if_any()
    return {key: value.strip() if key == "name" else value for key, value in changes.items()}


def _in_message(error: DomainError, index: int) -> DomainError:
    """``error`` of message ``index`` of a stream, said so (message_index in its metadata)."""
    return replace(error, message=f"message {index}: {error.message}; nothing of this stream "
                   "was stored", metadata={**error.metadata, "message_index": str(index)})


def _point_error(index: int, field: str, description: str, reason: str) -> InvalidArgument:
    path = f"metric_points[{index}].{field}"
    return InvalidArgument(reason=reason, message=f"{path}: {description}",
                           metadata={"point_index": str(index)},
                           violations=[FieldViolation(path, description)])


def _metric_name_problem(name: str) -> str:
    if not name.isprintable():
        return "must be printable characters: no control characters or line breaks"
    if name.isspace():
        return "must not be blank"
    return f"must be 1 to {MAX_METRIC_NAME} characters, not {len(name)}"


def _message_size(count: int) -> None:
    if not 1 <= count <= MAX_MESSAGE_POINTS:
        raise InvalidArgument.for_field(
            "metric_points", f"give 1 to {MAX_MESSAGE_POINTS} points, not {count}: send more in "
            "several messages", "METRIC_BATCH_SIZE")


class _StoredTime:
    """Times as the column type writes them (SQLite keeps text; PostgreSQL takes datetimes), so
    that bulk-inserted rows read back like any other."""

    def __init__(self, database: Database):
        dialect = database.engine.dialect
        time_type = MetricPointRow.__table__.c.time.type.dialect_impl(dialect)
        self.of = time_type.bind_processor(dialect) or (lambda moment: moment)


# -- the domain -------------------------------------------------------------------------------


class Experiments:
    """Experiments, their models, and each model's iterations, metric points and modules."""

    def __init__(self, database: Database):
        self._db = database
        self._stored_time = _StoredTime(database).of

    # -- access --------------------------------------------------------------------------------

    @staticmethod
    async def _experiment(session, caller: Caller, experiment_id: str, needed: ProjectRole,
                          action: str) -> ExperimentRow:
        return await visible_row(session, caller, ExperimentRow, experiment_id, "experiment",
                                 needed, action)

    async def _model(self, session, caller: Caller, model_id: str, needed: ProjectRole,
                     action: str) -> ExperimentModelRow:
        return await visible_row(
            session, caller, ExperimentModelRow, model_id, "experiment model", needed, action,
            owner=lambda model: self._experiment(session, caller, model.experiment_id, needed,
                                                 action))

    async def _model_by_hash(self, session, caller: Caller, experiment_id: str, hash: str,
                             needed: ProjectRole, action: str) -> ExperimentModelRow:
        experiment = await self._experiment(session, caller, experiment_id, needed, action)
        model = (await session.exec(select(ExperimentModelRow).where(
            ExperimentModelRow.experiment_id == experiment.id,
            ExperimentModelRow.hash == hash))).first()
        if model is None:
            raise NotFound(
                reason="EXPERIMENT_MODEL_NOT_FOUND",
                message=f"experiment '{experiment_id}' has no model with hash '{hash}'",
                metadata={"experiment_id": experiment_id, "hash": hash})
        return model

    @staticmethod
    async def _once_more_on_conflict(create: Callable[[], Awaitable]):
        """``create()``, run again after a unique violation: a concurrent create came first, and
        the second run sees it (as the same request id's row, or as ALREADY_EXISTS)."""
        try:
            return await create()
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
        return await create()

    # -- experiments ---------------------------------------------------------------------------

    async def create_experiment(self, caller: Caller, project_id: str, name: str,
                                description: str = "", request_id: str = "") -> ExperimentRow:
        check_request_id(request_id)
        found = Violations()
        check_name(found, name, "experiment.name")
        _check_description(found, description, "experiment.description")
        found.raise_if_any()

        async def create() -> ExperimentRow:
            async with self._db.transaction() as session:
                await visible_project(session, caller, project_id, ProjectRole.USER,
                                      "CreateExperiment")
                existing = await replayed(session, ExperimentRow, request_id,
                                          project_id=project_id)
                if existing is not None:
                    return existing
                now = utcnow()
                experiment = ExperimentRow(
                    id=new_id(), project_id=project_id, name=name.strip(),
                    description=description, creator_id=caller.user_id[:64],
                    request_id=request_id or None, create_time=now, update_time=now)
                session.add(experiment)
            return experiment

        return await self._once_more_on_conflict(create)

    async def get_experiment(self, caller: Caller, experiment_id: str) -> ExperimentRow:
        async with self._db.reading() as session:
            return await self._experiment(session, caller, experiment_id, ProjectRole.VIEW,
                                          "GetExperiment")

    async def list_experiments(self, caller: Caller, project_id: str, page_size: int,
                               page_token: str) -> tuple[list[ExperimentRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint("experiments", project_id))
        async with self._db.reading() as session:
            await visible_project(session, caller, project_id, ProjectRole.VIEW,
                                  "ListExperiments")
            statement = select(ExperimentRow).where(ExperimentRow.project_id == project_id)
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, ExperimentRow.create_time, ExperimentRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def update_experiment(self, caller: Caller, experiment_id: str,
                                changes: dict) -> ExperimentRow:
        """``changes``: new values of EXPERIMENT_UPDATABLE fields."""
        found = Violations()
        if "name" in changes:
            check_name(found, changes["name"], "experiment.name")
        if "description" in changes:
            _check_description(found, changes["description"], "experiment.description")
        found.raise_if_any()
        async with self._db.transaction() as session:
            experiment = await self._experiment(session, caller, experiment_id, ProjectRole.USER,
                                                "UpdateExperiment")
            if "name" in changes:
                experiment.name = changes["name"].strip()
            if "description" in changes:
                experiment.description = changes["description"]
            experiment.update_time = utcnow()
            session.add(experiment)
        return experiment

    async def delete_experiment(self, caller: Caller, experiment_id: str) -> None:
        """The experiment, its models and everything they own, in one transaction."""
        async with self._db.transaction() as session:
            experiment = await self._experiment(session, caller, experiment_id, ProjectRole.USER,
                                                "DeleteExperiment")
            models = select(ExperimentModelRow.id).where(
                ExperimentModelRow.experiment_id == experiment.id)
            # Locked first: a LogMetrics stream storing points of these models finishes before
            # (and its points are deleted) or finds its models gone (and stores nothing).
            await session.exec(models.with_for_update())
            await self._delete_owned(session, models)
            await session.execute(sa.delete(ExperimentModelRow.__table__).where(
                ExperimentModelRow.__table__.c.experiment_id == experiment.id))
            await session.delete(experiment)

    @staticmethod
    async def _delete_owned(session, model_ids) -> None:
        for table in (MetricPointRow.__table__, IterationRow.__table__, ModuleRow.__table__):
            await session.execute(sa.delete(table).where(table.c.model_id.in_(model_ids)))

    # -- models --------------------------------------------------------------------------------

    async def create_model(self, caller: Caller, experiment_id: str, hash: str, name: str = "",
                           description: str = "", step: int | None = None,
                           request_id: str = "") -> ExperimentModelRow:
        check_request_id(request_id)
        found = Violations()
        _check_hash(found, hash, "experiment_model.hash")
        _check_label(found, name, "experiment_model.name")
        _check_description(found, description, "experiment_model.description")
        _check_step(found, step, "experiment_model.step", "STEP_NEGATIVE")
        found.raise_if_any()

        async def create() -> ExperimentModelRow:
            async with self._db.transaction() as session:
                experiment = await self._experiment(session, caller, experiment_id,
                                                    ProjectRole.USER, "CreateExperimentModel")
                existing = await replayed(session, ExperimentModelRow, request_id,
                                          experiment_id=experiment.id)
                if existing is not None:
                    return existing
                taken = await session.exec(select(ExperimentModelRow.id).where(
                    ExperimentModelRow.experiment_id == experiment.id,
                    ExperimentModelRow.hash == hash))
                if taken.first() is not None:
                    raise AlreadyExists(
                        reason="EXPERIMENT_MODEL_ALREADY_EXISTS",
                        message=f"experiment '{experiment_id}' already has a model with hash "
                        f"'{hash}': read it by its hash, or give the new model another one",
                        metadata={"experiment_id": experiment_id, "hash": hash})
                now = utcnow()
                model = ExperimentModelRow(
                    id=new_id(), experiment_id=experiment.id, hash=hash, name=name.strip(),
                    description=description, step=step, creator_id=caller.user_id[:64],
                    request_id=request_id or None, create_time=now, update_time=now)
                session.add(model)
            return model

        return await self._once_more_on_conflict(create)

    async def get_model(self, caller: Caller, model_id: str) -> ExperimentModelRow:
        async with self._db.reading() as session:
            return await self._model(session, caller, model_id, ProjectRole.VIEW,
                                     "GetExperimentModel")

    async def get_model_by_hash(self, caller: Caller, experiment_id: str,
                                hash: str) -> ExperimentModelRow:
        async with self._db.reading() as session:
            return await self._model_by_hash(session, caller, experiment_id, hash,
                                             ProjectRole.VIEW, "GetExperimentModelByHash")

    async def list_models(self, caller: Caller, experiment_id: str, page_size: int,
                          page_token: str) -> tuple[list[ExperimentModelRow], str]:
        page = paging.parse(page_size, page_token,
                            paging.fingerprint("experiment_models", experiment_id))
        async with self._db.reading() as session:
            await self._experiment(session, caller, experiment_id, ProjectRole.VIEW,
                                   "ListExperimentModels")
            statement = select(ExperimentModelRow).where(
                ExperimentModelRow.experiment_id == experiment_id)
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, ExperimentModelRow.create_time, ExperimentModelRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def update_model(self, caller: Caller, model_id: str, changes: dict,
                           experiment_id: str = "", hash: str = "") -> ExperimentModelRow:
        """The model named by ``model_id`` or, when it is "", by ``experiment_id`` and ``hash``;
        ``changes``: new values of MODEL_UPDATABLE fields (step None clears it)."""
        changes = _model_changes(changes)
        async with self._db.transaction() as session:
            if model_id or not (experiment_id or hash):
                model = await self._model(session, caller, model_id, ProjectRole.USER,
                                          "UpdateExperimentModel")
            else:
                model = await self._model_by_hash(session, caller, experiment_id, hash,
                                                  ProjectRole.USER, "UpdateExperimentModel")
            for key, value in changes.items():
                setattr(model, key, value)
            model.update_time = utcnow()
            session.add(model)
        return model

    async def delete_model(self, caller: Caller, model_id: str) -> None:
        """The model, its iterations, metric points and modules, in one transaction."""
        async with self._db.transaction() as session:
            model = await self._model(session, caller, model_id, ProjectRole.USER,
                                      "DeleteExperimentModel")
            table = ExperimentModelRow.__table__
            # Locked first, as in delete_experiment.
            await session.execute(sa.select(table.c.id).where(table.c.id == model.id)
                                  .with_for_update())
            await self._delete_owned(session, [model.id])
            await session.delete(model)

    # -- iterations ----------------------------------------------------------------------------

    async def create_iteration(self, caller: Caller, model_id: str, epoch: int,
                               phase: Phase | None, start_time: datetime | None = None,
                               end_time: datetime | None = None,
                               request_id: str = "") -> IterationRow:
        """An iteration of the model; ``start_time`` None: now."""
        check_request_id(request_id)
        start_time = start_time or utcnow()
        found = Violations()
        if phase is None:
            found.add("PHASE_REQUIRED", "iteration.phase",
                      "is required: " + ", ".join(f"PHASE_{phase}" for phase in Phase))
        _check_step(found, epoch, "iteration.epoch", "EPOCH_NEGATIVE")
        if end_time is not None and end_time < start_time:
            found.add("ITERATION_ENDS_BEFORE_START", "iteration.end_time",
                      f"{end_time.isoformat()} is before the start, {start_time.isoformat()} "
                      "(the time the server received it when start_time is unset)")
        found.raise_if_any()

        async def create() -> IterationRow:
            async with self._db.transaction() as session:
                model = await self._model(session, caller, model_id, ProjectRole.USER,
                                          "CreateIteration")
                existing = await replayed(session, IterationRow, request_id, model_id=model.id)
                if existing is not None:
                    return existing
                taken = await session.exec(select(IterationRow.id).where(
                    IterationRow.model_id == model.id, IterationRow.phase == phase.value,
                    IterationRow.epoch == epoch))
                if taken.first() is not None:
                    raise AlreadyExists(
                        reason="ITERATION_ALREADY_EXISTS",
                        message=f"model '{model_id}' already has its {phase.value} iteration of "
                        f"epoch {epoch}: a model has one iteration per phase and epoch",
                        metadata={"model_id": model_id, "phase": f"PHASE_{phase.value}",
                                  "epoch": str(epoch)})
                iteration = IterationRow(
                    id=new_id(), model_id=model.id, epoch=epoch, phase=phase.value,
                    start_time=start_time, end_time=end_time, request_id=request_id or None,
                    create_time=utcnow())
                session.add(iteration)
            return iteration

        return await self._once_more_on_conflict(create)

    async def list_iterations(self, caller: Caller, model_id: str, phase: Phase | None,
                              page_size: int, page_token: str) -> tuple[list[IterationRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint(
            "iterations", model_id, phase.value if phase else ""))
        async with self._db.reading() as session:
            await self._model(session, caller, model_id, ProjectRole.VIEW, "ListIterations")
            statement = select(IterationRow).where(IterationRow.model_id == model_id)
            if phase is not None:
                statement = statement.where(IterationRow.phase == phase.value)
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, IterationRow.start_time, IterationRow.id))).all())
        return paging.time_and_id_page(page, rows, "start_time")

    # -- metric points -------------------------------------------------------------------------

    def _metric_rows(self, points: list[PointDraft]) -> list[tuple]:
        """The points as rows to insert; INVALID_ARGUMENT naming the first bad point."""
        now = utcnow()
        stored_time = self._stored_time
        rows = []
        for index, (model_id, name, value, phase, epoch, step, time) in enumerate(points):
            if not 0 < len(name) <= MAX_METRIC_NAME or not name.isprintable() or name.isspace():
                raise _point_error(index, "name", _metric_name_problem(name),
                                   "METRIC_NAME_INVALID")
            if not math.isfinite(value):
                raise _point_error(index, "value", f"{value} is not a finite number: NaN and "
                                   "infinities are not stored", "METRIC_VALUE_NOT_FINITE")
            if epoch is not None and epoch < 0:
                raise _point_error(index, "epoch", f"must be 0 or more, not {epoch}",
                                   "EPOCH_NEGATIVE")
            if step is not None and step < 0:
                raise _point_error(index, "step", f"must be 0 or more, not {step}",
                                   "STEP_NEGATIVE")
            rows.append((model_id, name, value, phase.value if phase else None, epoch, step,
                         stored_time(time or now)))
        return rows

    async def _check_models(self, session, caller: Caller, rows: list[tuple], known: set[str],
                            action: str) -> None:
        """Every model of ``rows`` not in ``known`` must be visible with at least PROJECT_USER
        (NOT_FOUND naming the first of its points); those are added to ``known``."""
        for model_id in sorted({row[0] for row in rows} - known):
            try:
                await self._model(session, caller, model_id, ProjectRole.USER, action)
            except NotFound as error:
                index = next(i for i, row in enumerate(rows) if row[0] == model_id)
                raise replace(error, message=f"metric_points[{index}]: {error.message}",
                              metadata={**error.metadata, "point_index": str(index)}) from None
            known.add(model_id)

    @staticmethod
    async def _store_points(session, rows: list[tuple], models: set[str]) -> None:
        """``rows``, in the session's transaction, when their models still exist."""
        table = ExperimentModelRow.__table__
        # Shared locks: a concurrent delete of one of the models waits for this commit.
        present = set((await session.execute(
            sa.select(table.c.id).where(table.c.id.in_(sorted(models)))
            .with_for_update(read=True))).scalars())
        missing = sorted(models - present)
        if missing:  # deleted since the stream checked it
            raise not_found("experiment model", missing[0])
        for start in range(0, len(rows), INSERT_CHUNK):
            await bulk_insert(session, MetricPointRow.__tablename__, _METRIC_COLUMNS,
                              rows[start:start + INSERT_CHUNK])

    async def append_metrics(self, caller: Caller, points: list[PointDraft]) -> int:
        """Up to MAX_MESSAGE_POINTS points, stored all or none; returns how many."""
        _message_size(len(points))
        rows = self._metric_rows(points)
        models: set[str] = set()
        async with self._db.transaction() as session:
            await self._check_models(session, caller, rows, models, "AppendMetrics")
            await self._store_points(session, rows, models)
        return len(rows)

    async def log_metrics(self, caller: Caller,
                          messages: AsyncIterator[list[PointDraft]]) -> MetricsLogged:
        """A stream of messages of points, stored whole when it ends, or nothing of it when a
        message is refused (the error names the message: ``message_index``)."""
        rows: list[tuple] = []
        models: set[str] = set()
        index = 0
        iterator = messages.__aiter__()
        while True:
            try:
                points = await anext(iterator, None)
                if points is None:
                    break
                _message_size(len(points))
                if len(rows) + len(points) > MAX_STREAM_POINTS:
                    raise InvalidArgument.for_field(
                        "metric_points", f"the stream would hold more than {MAX_STREAM_POINTS} "
                        "points: send more in several streams", "METRIC_STREAM_TOO_LARGE")
                message_rows = self._metric_rows(points)
                if {row[0] for row in message_rows} - models:
                    async with self._db.reading() as session:
                        await self._check_models(session, caller, message_rows, models,
                                                 "LogMetrics")
            except (InvalidArgument, NotFound) as error:
                raise _in_message(error, index) from None
            rows += message_rows
            index += 1
        if rows:
            async with self._db.transaction() as session:
                await self._store_points(session, rows, models)
        return MetricsLogged(points=len(rows), messages=index, models=len(models))

    async def list_metrics(self, caller: Caller, model_id: str, name: str, phase: Phase | None,
                           page_size: int, page_token: str) -> tuple[list, str]:
        """The model's points (rows with model_id, name, value, phase, epoch, step, time, id),
        by name, time and arrival; of one metric when ``name`` is not "", of one phase when
        ``phase`` is not None."""
        if len(name) > MAX_METRIC_NAME:
            raise InvalidArgument.for_field(
                "name", f"has {len(name)} characters; at most {MAX_METRIC_NAME} are allowed",
                "METRIC_NAME_INVALID")
        page = paging.parse(page_size, page_token, paging.fingerprint(
            "metrics", model_id, name, phase.value if phase else ""))
        table = MetricPointRow.__table__
        statement = sa.select(table).where(table.c.model_id == model_id)
        if name:
            statement = statement.where(table.c.name == name)
        if phase is not None:
            statement = statement.where(table.c.phase == phase.value)
        # Keyset pages on the index (model_id, name, time, id); with one name, on (time, id)
        # within it, so that a deep page is a range of the index, not a scan to its start.
        key = [table.c.time, table.c.id] if name else [table.c.name, table.c.time, table.c.id]
        if page.after is not None:
            try:
                after_name, after_time, after_id = page.after
                after = [str(after_name), as_utc(datetime.fromisoformat(after_time)),
                         int(after_id)][-len(key):]
            except (ValueError, TypeError):
                raise InvalidArgument.for_field(
                    "page_token", "is not a token returned by this listing: start again "
                    "without it", "INVALID_PAGE_TOKEN") from None
            statement = statement.where(sa.tuple_(*key) > sa.tuple_(*(
                sa.literal(value, column.type) for value, column in zip(after, key))))
        statement = statement.order_by(*key).limit(page.size + 1)
        async with self._db.reading() as session:
            await self._model(session, caller, model_id, ProjectRole.VIEW, "ListMetrics")
            rows = list((await session.execute(statement)).all())
        return rows[:page.size], paging.next_token(
            page, rows, lambda row: [row.name, as_utc(row.time).isoformat(), row.id])

    # -- modules -------------------------------------------------------------------------------

    async def add_modules(self, caller: Caller, model_id: str,
                          modules: list[ModuleDraft]) -> list[ModuleRow]:
        """Modules of the model, in this order, all or none."""
        if not 1 <= len(modules) <= MAX_MODULES:
            raise InvalidArgument.for_field(
                "modules", f"give 1 to {MAX_MODULES} modules, not {len(modules)}",
                "MODULE_BATCH_SIZE")
        found = Violations()
        names: dict[str, int] = {}
        arguments = []
        for index, module in enumerate(modules):
            path = f"modules[{index}]"
            check_name(found, module.name, f"{path}.name")
            if not module.type.strip():
                found.add("MODULE_TYPE_REQUIRED", f"{path}.type",
                          "is required: what the module is, e.g. torch.nn.Linear")
            elif len(module.type) > MAX_NAME:
                found.add("MODULE_TYPE_TOO_LONG", f"{path}.type",
                          f"has {len(module.type)} characters; at most {MAX_NAME} are allowed")
            if module.hash:
                _check_hash(found, module.hash, f"{path}.hash")
            if module.name.strip() in names:
                found.add("MODULE_NAME_DUPLICATE", f"{path}.name",
                          f"'{module.name.strip()}' is also modules[{names[module.name.strip()]}]"
                          "'s name: names are unique in a model")
            names.setdefault(module.name.strip(), index)
            arguments.append(canonical(module.arguments or {}, f"{path}.arguments",
                                       "MODULE_ARGUMENTS"))
        found.raise_if_any()

        async def add() -> list[ModuleRow]:
            async with self._db.transaction() as session:
                model = await self._model(session, caller, model_id, ProjectRole.USER,
                                          "AddModules")
                taken = (await session.exec(select(ModuleRow.name).where(
                    ModuleRow.model_id == model.id, ModuleRow.name.in_(list(names))))).all()
                if taken:
                    raise AlreadyExists(
                        reason="MODULE_ALREADY_EXISTS",
                        message=f"model '{model_id}' already has modules named "
                        f"{', '.join(sorted(taken))}: names are unique in a model",
                        metadata={"model_id": model_id, "names": ",".join(sorted(taken))})
                start = utcnow()  # distinct times keep the request's order when listed
                rows = [ModuleRow(id=new_id(), model_id=model.id, name=module.name.strip(),
                                  type=module.type.strip(), arguments=arguments[index],
                                  hash=module.hash,
                                  create_time=start + timedelta(microseconds=index))
                        for index, module in enumerate(modules)]
                session.add_all(rows)
            return rows

        return await self._once_more_on_conflict(add)

    async def list_modules(self, caller: Caller, model_id: str, page_size: int,
                           page_token: str) -> tuple[list[ModuleRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint("modules", model_id))
        async with self._db.reading() as session:
            await self._model(session, caller, model_id, ProjectRole.VIEW, "ListModules")
            statement = select(ModuleRow).where(ModuleRow.model_id == model_id)
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, ModuleRow.create_time, ModuleRow.id))).all())
        return paging.time_and_id_page(page, rows)
