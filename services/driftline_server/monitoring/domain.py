"""Monitoring's operations: model references, set, read and listed, and what their jobs store.

Nothing here knows gRPC: the servicer passes the caller and plain values in. Models, tasks and
schemas are Catalog's, asked over gRPC (catalog/remote.py); jobs are submitted to JobsService
(jobs/remote.py). Authorization goes through ``platform.roles``: setting a reference needs
PROJECT_USER on the model's project, reading PROJECT_VIEW, and another company's model is
NOT_FOUND.

A model's references are numbered 1, 2, ... in the order they are set; each is PENDING until its
job stores it COMPLETE (or FAILED). The newest COMPLETE one is the model's active reference; older
ones are kept, for audit and to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from driftline_server.catalog.remote import CatalogModels, TaskInfo
from driftline_server.jobs.remote import JobsClient
from driftline_server.monitoring.models import ReferenceFitRow, ReferenceRow, active_references
from driftline_server.monitoring.retrainings import Retrainings
from driftline_server.monitoring.vocabulary import REFERENCE_JOB, ReferenceState
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.plans import forget_if_refused
from driftline_server.platform.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.monitoring.access import visible_model
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import MAX_REQUEST_ID, require_id

_log = get_logger("driftline.monitoring")

_VERSION_ATTEMPTS = 5
# The promise a reference may be set for: a drift alarm blocks new ones while it lasts, so
# fewer than 10 batches cannot be kept; past a million, calibration would take too long.
MIN_BATCHES_BETWEEN_FALSE_ALARMS = 10.0
MAX_BATCHES_BETWEEN_FALSE_ALARMS = 1_000_000.0


@dataclass(frozen=True)
class ReferenceSettings:
    """The server's settings a reference is set with (recorded on it)."""

    min_samples: int = 300
    # Stationary batches per target between two false drift alarms, unless the call names it.
    batches_between_false_alarms: float = 100.0


@dataclass
class Reference:
    """A stored reference and whether it is its model's active one."""

    row: ReferenceRow
    active: bool


class Monitoring:
    def __init__(self, database: Database, catalog: CatalogModels, jobs: JobsClient,
                 settings: ReferenceSettings):
        self._db = database
        self._catalog = catalog
        self._jobs = jobs
        self._settings = settings
        self.retrainings: Retrainings | None = None  # set once both exist (__init__.py)

    # -- access ------------------------------------------------------------------------------

    async def _model_task(self, caller: Caller, model_id: str, needed: ProjectRole,
                          action: str) -> TaskInfo:
        """The model's task, once the caller may do ``action`` on it."""
        return (await visible_model(self._catalog, caller, model_id, needed, action))[1]

    # -- setting -----------------------------------------------------------------------------

    async def set_model_reference(self, caller: Caller, model_id: str,
                                  from_time: datetime | None, to_time: datetime | None,
                                  request_id: str, suggestion_id: str = "",
                                  batches_between_false_alarms: float = 0.0) -> Reference:
        """Store a new reference of the model PENDING and submit the job that fits it: on the
        task's samples in [from_time, to_time), or on a retraining suggestion's samples.
        ``batches_between_false_alarms``: the promise its thresholds keep (0: the server's)."""
        if batches_between_false_alarms and not (
                MIN_BATCHES_BETWEEN_FALSE_ALARMS <= batches_between_false_alarms
                <= MAX_BATCHES_BETWEEN_FALSE_ALARMS):
            raise InvalidArgument.for_field(
                "batches_between_false_alarms",
                f"must be between {MIN_BATCHES_BETWEEN_FALSE_ALARMS:g} and "
                f"{MAX_BATCHES_BETWEEN_FALSE_ALARMS:g} (stationary batches per target between "
                "two false drift alarms), or 0 for the server's default")
        suggestion = None
        if suggestion_id:
            task = await self._model_task(caller, model_id, ProjectRole.USER,
                                          "SetModelReference")
            suggestion, weighted = await self.retrainings.suggestion_for_reference(
                caller, task.id, suggestion_id)
            from_time, to_time = weighted.from_time, weighted.to_time
        violations = []
        if from_time is None:
            violations.append(FieldViolation("from_time", "required: the start of the range"))
        if to_time is None:
            violations.append(FieldViolation("to_time", "required: the end of the range"))
        if from_time is not None and to_time is not None and from_time >= to_time:
            violations.append(FieldViolation("to_time", "must be after from_time"))
        if len(request_id) > MAX_REQUEST_ID:
            violations.append(FieldViolation(
                "request_id", f"at most {MAX_REQUEST_ID} characters (a uuid fits)"))
        require(violations, "TIME_RANGE_INVALID" if any(
            v.field in ("from_time", "to_time") for v in violations) else "INVALID_ARGUMENT")
        task = await self._model_task(caller, model_id, ProjectRole.USER, "SetModelReference")
        if request_id:
            existing = await self._by_request_id(model_id, request_id)
            if existing is not None:
                return await self._reference(await self._ensure_job(existing))
        schema = await self._catalog.get_data_schema(task.id)
        if schema is None:
            raise FailedPrecondition(
                reason="DATA_SCHEMA_REQUIRED",
                message=f"task '{task.id}' has no data schema yet, so no data to fit a "
                        "reference on: add a schema (CreateDataSchema) and upload data first",
                metadata={"task_id": task.id})
        settings = self._settings
        for attempt in range(_VERSION_ATTEMPTS):
            async with self._db.reading() as session:
                last = (await session.exec(select(func.max(ReferenceRow.version)).where(
                    ReferenceRow.model_id == model_id))).one()
            row = ReferenceRow(
                id=new_id(), company_id=task.company_id, project_id=task.project_id,
                task_id=task.id, model_id=model_id, version=(last or 0) + 1,
                state=ReferenceState.PENDING.value, from_time=from_time, to_time=to_time,
                drift_mean_run_length=0.0, warning_mean_run_length=0.0,
                batches_between_false_alarms=(batches_between_false_alarms
                                              or settings.batches_between_false_alarms),
                min_samples=settings.min_samples, quantities=[], skipped_targets=[],
                request_id=request_id or None, creator_id=caller.user_id, create_time=utcnow(),
                suggestion_id=suggestion_id or None,
                suggestion_model_id=suggestion.model_id if suggestion else None,
            )
            try:
                async with self._db.transaction() as session:
                    session.add(row)
                break
            except IntegrityError as error:
                if not is_unique_violation(error):
                    raise
                if request_id:  # a concurrent retry of the same call won
                    existing = await self._by_request_id(model_id, request_id)
                    if existing is not None:
                        return await self._reference(await self._ensure_job(existing))
                if attempt == _VERSION_ATTEMPTS - 1:
                    raise
                # Another reference of the model took this number: take the next one.
        row = await forget_if_refused(self._db, ReferenceRow, row.id, self._ensure_job(
            row, task, schema.columns, enforce_plan_limit=True))
        _log.info("reference_set", reference_id=row.id, model_id=model_id, version=row.version)
        return await self._reference(row)

    async def _by_request_id(self, model_id: str, request_id: str) -> ReferenceRow | None:
        async with self._db.reading() as session:
            return (await session.exec(select(ReferenceRow).where(
                ReferenceRow.model_id == model_id, ReferenceRow.request_id == request_id
            ))).first()

    async def _ensure_job(self, row: ReferenceRow, task: TaskInfo | None = None,
                          columns: list[dict] | None = None,
                          enforce_plan_limit: bool = False) -> ReferenceRow:
        """Submit the reference's job unless it has one (the reference id makes it once).
        ``enforce_plan_limit``: a new reference, refused past the plan's max_concurrent_jobs."""
        if row.job_id or row.state != ReferenceState.PENDING:
            return row
        if task is None:
            task = await self._catalog.get_task(row.task_id)
        if columns is None:
            schema = await self._catalog.get_data_schema(row.task_id)
            columns = schema.columns if schema is not None else []
        arguments = {
            "reference_id": row.id, "version": row.version, "model_id": row.model_id,
            "task_id": row.task_id,
            "task_type": task.task_type if task else "", "columns": columns,
            "from_time": as_utc(row.from_time).isoformat(),
            "to_time": as_utc(row.to_time).isoformat(),
            "min_samples": row.min_samples,
            "batches_between_false_alarms": row.batches_between_false_alarms,
            "suggestion_id": row.suggestion_id or "",
            "suggestion_model_id": row.suggestion_model_id or "",
        }
        job_id = await self._jobs.submit(
            REFERENCE_JOB, arguments, company_id=row.company_id, project_id=row.project_id,
            task_id=row.task_id, model_id=row.model_id, request_id=row.id, max_attempts=3,
            enforce_plan_limit=enforce_plan_limit)
        async with self._db.transaction() as session:
            stored = await session.get(ReferenceRow, row.id)
            stored.job_id = job_id
        return stored

    # -- reading -----------------------------------------------------------------------------

    async def _active_version(self, model_id: str) -> int | None:
        async with self._db.reading() as session:
            active = (await session.exec(active_references(model_id=model_id))).first()
        return active.version if active is not None else None

    async def _reference(self, row: ReferenceRow) -> Reference:
        return Reference(row, row.version == await self._active_version(row.model_id))

    async def get_model_reference(self, caller: Caller, model_id: str,
                                  version: int) -> Reference:
        if version < 0:
            raise InvalidArgument.for_field(
                "version", "a reference's number is 1, 2, ... (0 or unset: the active one)",
                "INVALID_ARGUMENT")
        await self._model_task(caller, model_id, ProjectRole.VIEW, "GetModelReference")
        active = await self._active_version(model_id)
        wanted = version or active
        if wanted is None:
            raise await self._no_active_reference(model_id)
        async with self._db.reading() as session:
            row = (await session.exec(select(ReferenceRow).where(
                ReferenceRow.model_id == model_id, ReferenceRow.version == wanted))).first()
        if row is None:
            raise NotFound(reason="MODEL_REFERENCE_NOT_FOUND",
                           message=f"model '{model_id}' has no reference number {version}",
                           metadata={"model_id": model_id, "version": str(version)})
        return Reference(row, row.version == active)

    async def _no_active_reference(self, model_id: str) -> NotFound:
        async with self._db.reading() as session:
            last = (await session.exec(select(ReferenceRow).where(
                ReferenceRow.model_id == model_id).order_by(
                ReferenceRow.version.desc()))).first()
        if last is None:
            why = "none was set: set one with SetModelReference"
        elif last.state == ReferenceState.PENDING:
            why = f"reference {last.version} is still PENDING (job {last.job_id}): wait for it"
        else:
            why = f"reference {last.version} FAILED: {last.failure_message}"
        return NotFound(reason="MODEL_REFERENCE_NOT_FOUND",
                        message=f"model '{model_id}' has no active reference: {why}",
                        metadata={"model_id": model_id})

    async def list_model_references(self, caller: Caller, model_id: str, page_size: int,
                                    page_token: str) -> tuple[list[Reference], str]:
        await self._model_task(caller, model_id, ProjectRole.VIEW, "ListModelReferences")
        page = paging.parse(page_size, page_token, paging.fingerprint("references", model_id))
        statement = select(ReferenceRow).where(ReferenceRow.model_id == model_id)
        async with self._db.reading() as session:
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, ReferenceRow.create_time, ReferenceRow.id))).all())
        rows, token = paging.time_and_id_page(page, rows)
        active = await self._active_version(model_id)
        return [Reference(row, row.version == active) for row in rows], token

    async def fitted(self, reference_id: str) -> bytes | None:
        """What the reference's job fitted (references.FittedReference.to_bytes), if COMPLETE."""
        async with self._db.reading() as session:
            fit = await session.get(ReferenceFitRow, reference_id)
        return fit.content if fit is not None else None

    # -- the reference job (internal) --------------------------------------------------------

    async def complete_reference(self, reference_id: str, sample_count: int,
                                 labelled_sample_count: int, quantities: list[dict],
                                 skipped: list[dict], fitted: bytes) -> Reference:
        """Store what the job fitted and mark the reference COMPLETE, all or nothing."""
        require_id(reference_id, "reference_id")
        async with self._db.transaction() as session:
            row = await session.get(ReferenceRow, reference_id, with_for_update=True)
            if row is None:
                raise not_found("reference", reference_id)
            if row.state == ReferenceState.FAILED:
                raise FailedPrecondition(
                    reason="REFERENCE_FAILED",
                    message=f"reference '{reference_id}' already FAILED: "
                            f"{row.failure_message}")
            if row.state == ReferenceState.PENDING:  # a re-run after the commit changes nothing
                row.state = ReferenceState.COMPLETE.value
                row.sample_count = sample_count
                row.labelled_sample_count = labelled_sample_count
                row.quantities = quantities
                row.skipped_targets = skipped
                row.finish_time = utcnow()
                session.add(ReferenceFitRow(reference_id=reference_id, content=fitted,
                                            size_bytes=len(fitted)))
        if row.suggestion_id:  # the suggestion has made a model version's reference
            await self.retrainings.mark_executed(row.suggestion_id)
        _log.info("reference_complete", reference_id=reference_id, model_id=row.model_id,
                  version=row.version, quantities=len(quantities))
        return await self._reference(row)

    async def fail_reference(self, reference_id: str, message: str,
                             sample_count: int) -> Reference:
        """Mark a PENDING reference FAILED with why; any other state is answered as it is."""
        require_id(reference_id, "reference_id")
        async with self._db.transaction() as session:
            row = await session.get(ReferenceRow, reference_id, with_for_update=True)
            if row is None:
                raise not_found("reference", reference_id)
            if row.state == ReferenceState.PENDING:
                row.state = ReferenceState.FAILED.value
                row.failure_message = message[:2000]
                row.sample_count = sample_count
                row.finish_time = utcnow()
        _log.info("reference_failed", reference_id=reference_id, message=message[:200])
        return await self._reference(row)
