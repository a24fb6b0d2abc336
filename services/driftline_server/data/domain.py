"""Data's operations: uploads staged and handed to their ingestion job, commits and failures,
and the reads of batches and samples.

Nothing here knows gRPC: the servicer passes the caller and plain values in. Tasks, schemas,
models and KPIs are Catalog's, asked over gRPC (catalog/remote.py); jobs are submitted to
JobsService (jobs/remote.py). Authorization goes through ``platform.roles``: uploading needs
PROJECT_USER, reading PROJECT_VIEW, and anything of another company is NOT_FOUND.

A batch of a CUSTOMER project is kept in the project's own bucket (its data_storage_uri, recorded
on the batch as ``storage_root`` at upload), reached with the project's integration credentials,
which Identity hands out (identity/remote.py); every other batch is kept under the server's root.
Uploads are staged under the server's root either way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from driftline_server.catalog.remote import CatalogTasks, TaskInfo
from driftline_server.data import reading
from driftline_server.data.models import BatchRow, SampleRow
from driftline_server.data.storage import BatchStorage, S3Access, StorageSet, refused_access
from driftline_server.data.vocabulary import (
    PARTS_OF_KIND,
    SAMPLE_KINDS,
    INGESTION_JOB,
    BatchKind,
    BatchState,
    PartKind,
    PartStart,
    UploadHeader,
)
from driftline_server.jobs.remote import JobsClient
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, bulk_insert, is_unique_violation
from driftline_server.platform.errors import (
    FailedPrecondition,
    InvalidArgument,
    ResourceExhausted,
    Unavailable,
    not_found,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.plans import (
    PLAN_LIMIT_REACHED,
    UNLIMITED,
    PlanLimits,
    check_count,
    limit_reached,
)
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import MAX_REQUEST_ID, require_id

if TYPE_CHECKING:
    from driftline_server.identity.remote import ProjectStorageCredentials
    from driftline_server.monitoring.remote import MonitoringClient

_log = get_logger("driftline.data")

MAX_SAMPLE_ID = 200  # characters; the index's column
_CHUNK_ROWS = 5_000
_NOTIFY_RETRIES = 6  # then the periodic recovery tells Monitoring  # ids per statement (SQLite allows 32k variables)
_MAX_PROBLEM_ROWS = 10


@dataclass(frozen=True)
class Scope:
    """What a batch belongs to, resolved through Catalog and checked against the caller."""

    company_id: str
    project_id: str
    task: TaskInfo | None = None
    kpi_id: str = ""


@dataclass(frozen=True)
class CommitFacts:
    """What the commit reads of a written Parquet file (reading.commit_facts)."""

    row_count: int
    first_sample_time: datetime | None
    last_sample_time: datetime | None
    stored_bytes: int


class Data:
    def __init__(self, database: Database, storage: BatchStorage, catalog: CatalogTasks,
                 jobs: JobsClient, staging_grace_seconds: float = 600.0,
                 credentials: ProjectStorageCredentials | None = None,
                 monitoring: MonitoringClient | None = None, plans=None):
        self._db = database
        self._plans = plans  # identity.remote.CompanyPlans: max_stored_bytes
        self._monitoring = monitoring
        self._notifying: set[asyncio.Task] = set()
        self._storage = storage  # the server's root: staging, and the batches it keeps
        self._catalog = catalog
        self._jobs = jobs
        self._staging_grace_seconds = staging_grace_seconds
        self._credentials = credentials

    # -- where batches are kept ------------------------------------------------------------------

    async def _storage_root(self, project_id: str) -> str | None:
        """Where a new batch of the project goes: its own bucket (CUSTOMER projects), or None
        for the server's root. FAILED_PRECONDITION when a CUSTOMER project cannot be stored:
        no data_storage_uri, or no credentials to reach it."""
        project = await self._catalog.get_project(project_id)
        if project is None or not project.customer_storage:
            return None
        if not project.data_storage_uri:
            raise FailedPrecondition(
                reason="DATA_STORAGE_URI_REQUIRED",
                message=f"project '{project_id}' keeps its data in the customer's storage "
                        "(STORAGE_POLICY_CUSTOMER) but says nowhere where: set the project's "
                        "data_storage_uri to s3://<bucket>[/<prefix>] (UpdateProject)",
                metadata={"project_id": project_id})
        # Fresh: credentials created a moment ago count, deleted ones do not.
        await self._storage_at(project_id, project.data_storage_uri, fresh=True)
        return project.data_storage_uri

    async def _storage_at(self, project_id: str, root: str | None,
                          fresh: bool = False) -> BatchStorage:
        """The storage of a project's batches kept at ``root`` (None: the server's root)."""
        if not root:
            return self._storage
        if not root.startswith("s3://"):  # not a customer bucket: pyarrow's own credentials
            return BatchStorage(root)
        credentials = await self._credentials.get(project_id, fresh=fresh) \
            if self._credentials is not None else None
        if credentials is None:
            raise FailedPrecondition(
                reason="STORAGE_CREDENTIALS_REQUIRED",
                message=f"project '{project_id}' keeps its data in {root} but has no default "
                        "integration credentials to reach it: create AWS_COMPATIBLE credentials "
                        "(an access key, with the endpoint of an S3-compatible service) or AWS "
                        "credentials (an IAM role) with default=True, or make existing ones the "
                        "default",
                metadata={"project_id": project_id, "data_storage_uri": root})
        return BatchStorage(root, S3Access.from_credentials(credentials))

    async def _batch_storage(self, batch: BatchRow, fresh: bool = False) -> BatchStorage:
        return await self._storage_at(batch.project_id, batch.storage_root, fresh)

    def _paths_of(self, batch: BatchRow) -> BatchStorage:
        """The batch's storage for naming its files (names need no credentials)."""
        return BatchStorage(batch.storage_root) if batch.storage_root else self._storage

    def _refused(self, project_id: str, root: str, error: OSError) -> FailedPrecondition:
        """A customer's storage refusing the project's credentials, as the caller sees it."""
        if self._credentials is not None:
            self._credentials.forget(project_id)  # the next call asks Identity again
        return FailedPrecondition(
            reason="STORAGE_ACCESS_REFUSED",
            message=f"the project's storage {root} refused the project's integration "
                    f"credentials: {error}",
            metadata={"project_id": project_id, "data_storage_uri": root})

    # -- access ------------------------------------------------------------------------------

    async def _task_scope(self, caller: Caller, task_id: str, needed: ProjectRole,
                          action: str, field: str = "task_id") -> Scope:
        require_id(task_id, field)
        task = await self._catalog.get_task(task_id)
        if task is None or not caller.sees_company(task.company_id):
            raise not_found("task", task_id)
        caller.require_project_role(task.project_id, task.company_id, needed, action)
        return Scope(task.company_id, task.project_id, task=task)

    async def _kpi_scope(self, caller: Caller, project_id: str, kpi_id: str,
                         needed: ProjectRole, action: str) -> Scope:
        require_id(project_id, "project_id")
        require_id(kpi_id, "kpi_id")
        project = await self._catalog.get_project(project_id)
        if project is None or not caller.sees_company(project.company_id):
            raise not_found("project", project_id)
        caller.require_project_role(project.id, project.company_id, needed, action)
        if await self._catalog.kpi_project(kpi_id) != project_id:
            raise not_found("KPI", kpi_id)
        return Scope(project.company_id, project.id, kpi_id=kpi_id)

    @staticmethod
    def _visible(caller: Caller, batch: BatchRow | None, batch_id: str,
                 needed: ProjectRole, action: str) -> BatchRow:
        if batch is None or not caller.sees_company(batch.company_id):
            raise not_found("batch", batch_id)
        caller.require_project_role(batch.project_id, batch.company_id, needed, action)
        return batch

    # -- uploading ---------------------------------------------------------------------------

    async def upload(self, caller: Caller, header: UploadHeader,
                     content: AsyncIterator[PartStart | bytes]) -> BatchRow:
        """Stage an upload's parts, store its batch PENDING and submit its ingestion job.

        ``content`` yields a PartStart, then that part's bytes, for each part. A request id seen
        before answers with the first batch (and stages nothing). On any failure, including the
        client going away mid-stream, what was staged is removed.
        """
        scope, schema_version, columns, model_ids = await self._resolve_upload(caller, header)
        if header.request_id:
            existing = await self._by_request_id(scope.project_id, header.request_id)
            if existing is not None:
                return await self._ensure_job(existing)
        await self._check_room(scope.company_id)
        storage_root = await self._storage_root(scope.project_id)
        batch_id = new_id()
        try:
            parts = await self._stage(batch_id, header.kind, content, model_ids)
            if header.kind in SAMPLE_KINDS and scope.task.task_type == "RAG" and not any(
                part["kind"] == PartKind.PREDICTIONS for part in parts
            ):
                raise InvalidArgument.for_field(
                    "part", "a RAG task's historical and production data need the predictions "
                    "(model output) of at least one model: add a PREDICTIONS part",
                    "PREDICTIONS_REQUIRED")
            batch = BatchRow(
                id=batch_id, company_id=scope.company_id, project_id=scope.project_id,
                task_id=scope.task.id if scope.task else None, kpi_id=scope.kpi_id or None,
                kind=header.kind.value, state=BatchState.PENDING.value, parts=parts,
                schema_version=schema_version, schema_columns=columns,
                task_type=scope.task.task_type if scope.task else "",
                request_id=header.request_id or None, creator_id=caller.user_id,
                create_time=utcnow(), storage_root=storage_root,
            )
            async with self._db.transaction() as session:
                session.add(batch)
        except IntegrityError as error:
            await asyncio.to_thread(self._storage.delete_folder,
                                    self._storage.staging_folder(batch_id))
            if header.request_id and is_unique_violation(error):  # a concurrent retry won
                existing = await self._by_request_id(scope.project_id, header.request_id)
                if existing is not None:
                    return await self._ensure_job(existing)
            raise
        except BaseException:  # refused, cut off or cancelled: nothing of it stays
            await asyncio.shield(asyncio.to_thread(
                self._storage.delete_folder, self._storage.staging_folder(batch_id)))
            raise
        try:
            return await self._ensure_job(batch, model_ids, enforce_plan_limit=True)
        except ResourceExhausted:  # the plan's max_concurrent_jobs: the batch is not kept
            await self._forget_unsubmitted(batch.id)
            raise

    async def _forget_unsubmitted(self, batch_id: str) -> None:
        """Remove a PENDING batch that never got its ingestion job, and its staged parts."""
        async with self._db.transaction() as session:
            await session.exec(sa.delete(BatchRow).where(
                BatchRow.id == batch_id, BatchRow.state == BatchState.PENDING.value,
                BatchRow.ingestion_job_id.is_(None)))
        await asyncio.shield(asyncio.to_thread(
            self._storage.delete_folder, self._storage.staging_folder(batch_id)))

    # -- the plan's max_stored_bytes -----------------------------------------------------------

    async def _limits(self, company_id: str) -> PlanLimits:
        return await self._plans.limits(company_id) if self._plans is not None else UNLIMITED

    @staticmethod
    def _stored_bytes(company_id: str):
        return select(func.coalesce(func.sum(BatchRow.stored_bytes), 0)).where(
            BatchRow.company_id == company_id, BatchRow.state == BatchState.COMMITTED.value)

    async def _check_room(self, company_id: str) -> None:
        """Refuse an upload before staging it when the company's stored data already fills
        its plan (the exact check, with the batch's size, is at the commit)."""
        limits = await self._limits(company_id)
        if not limits.max_stored_bytes:
            return
        async with self._db.reading() as session:
            stored = int((await session.exec(self._stored_bytes(company_id))).one() or 0)
        if stored >= limits.max_stored_bytes:
            raise limit_reached(limits, "max_stored_bytes", "bytes of stored data",
                                f"{stored} bytes are stored already, so no batch fits",
                                current=str(stored))

    async def _resolve_upload(self, caller: Caller, header: UploadHeader):
        if header.kind is None:
            raise InvalidArgument.for_field(
                "header.kind", "say what the batch is: HISTORICAL, PRODUCTION, TARGET or KPI",
                "BATCH_KIND_REQUIRED")
        if len(header.request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.for_field(
                "header.request_id", f"at most {MAX_REQUEST_ID} characters (a uuid fits)",
                "REQUEST_ID_TOO_LONG")
        if header.kind is BatchKind.KPI:
            scope = await self._kpi_scope(caller, header.project_id, header.kpi_id,
                                          ProjectRole.USER, "uploading KPI data")
            return scope, 0, [], set()
        scope = await self._task_scope(caller, header.task_id, ProjectRole.USER,
                                       "uploading data", "header.task_id")
        schema = await self._catalog.get_data_schema(scope.task.id)
        if schema is None:
            raise FailedPrecondition(
                reason="DATA_SCHEMA_REQUIRED",
                message=f"task '{scope.task.id}' has no data schema yet: add one with "
                        "CreateDataSchema (GetDataSchemaTemplate gives a starting point)",
                metadata={"task_id": scope.task.id})
        model_ids = await self._catalog.task_model_ids(scope.task.id)
        return scope, schema.version, schema.columns, model_ids

    async def _stage(self, batch_id: str, kind: BatchKind,
                     content: AsyncIterator[PartStart | bytes], model_ids: set[str]) -> list[dict]:
        """Write each part's bytes to its staging file as they arrive."""
        required, allowed = PARTS_OF_KIND[kind]
        parts: list[dict] = []
        seen: set[tuple[PartKind, str]] = set()
        output = None

        async def close_part() -> None:
            nonlocal output
            if output is None:
                return
            await output.close()
            output = None
            part = parts[-1]
            index = len(parts) - 1
            if part["size_bytes"] == 0:
                raise InvalidArgument.for_field(
                    f"part[{index}]", "the part has no bytes: send its content in chunks "
                    "after its PartHeader", "PART_EMPTY")
            if part["expected_bytes"] and part["expected_bytes"] != part["size_bytes"]:
                raise InvalidArgument.for_field(
                    f"part[{index}].size_bytes",
                    f"the part announced {part['expected_bytes']} bytes but "
                    f"{part['size_bytes']} arrived: the upload was cut or corrupted, send it "
                    "again", "PART_SIZE_MISMATCH")

        try:
            async for item in content:
                if isinstance(item, PartStart):
                    await close_part()
                    index = len(parts)
                    self._check_part(item, index, kind, allowed, seen, model_ids)
                    path = self._storage.staged_part(batch_id, index, item.data_format.value)
                    output = _StagingWriter(
                        await asyncio.to_thread(self._storage.open_output, path))
                    parts.append({"kind": item.kind.value, "model_id": item.model_id,
                                  "format": item.data_format.value, "path": path,
                                  "size_bytes": 0, "expected_bytes": item.size_bytes})
                else:
                    if output is None:
                        raise InvalidArgument.for_field(
                            "chunk", "bytes came before any PartHeader: send the header, then "
                            "a PartHeader, then the part's chunks", "PART_HEADER_REQUIRED")
                    await output.write(item)
                    parts[-1]["size_bytes"] += len(item)
            await close_part()
        finally:
            if output is not None:
                await asyncio.shield(output.close())
        missing = required - {part_kind for part_kind, _ in seen}
        if missing:
            raise InvalidArgument.for_field(
                "part", f"a {kind.value} batch needs a {', '.join(sorted(missing))} part",
                "PART_MISSING")
        for part in parts:
            del part["expected_bytes"]
        return parts

    @staticmethod
    def _check_part(part: PartStart, index: int, kind: BatchKind, allowed: set[PartKind],
                    seen: set, model_ids: set[str]) -> None:
        path = f"part[{index}]"

        def refuse(field: str, description: str, reason: str) -> InvalidArgument:
            return InvalidArgument.for_field(f"{path}.{field}", description, reason)

        if part.kind is None:
            raise refuse("kind", "say which table the part holds: INPUTS, TARGET, PREDICTIONS "
                         "or KPI", "PART_KIND_REQUIRED")
        if part.kind not in allowed:
            raise refuse("kind", f"a {kind.value} batch takes "
                         f"{', '.join(sorted(allowed))} parts, not {part.kind.value}",
                         "PART_NOT_ALLOWED")
        if part.data_format is None:
            raise refuse("format", "say how the bytes are encoded: ARROW_IPC_STREAM, PARQUET "
                         "or CSV", "FORMAT_REQUIRED")
        if part.size_bytes < 0:
            raise refuse("size_bytes", "must not be negative", "PART_SIZE_INVALID")
        if part.kind is PartKind.PREDICTIONS:
            if not part.model_id:
                raise refuse("model_id", "a PREDICTIONS part names its model",
                             "MODEL_ID_REQUIRED")
            if part.model_id not in model_ids:
                raise refuse("model_id", f"'{part.model_id}' is not a model of this task: "
                             "create it first (CreateModel)", "MODEL_NOT_FOUND")
        elif part.model_id:
            raise refuse("model_id", "only PREDICTIONS parts name a model",
                         "MODEL_ID_NOT_ALLOWED")
        key = (part.kind, part.model_id)
        if key in seen:
            raise refuse("kind", "this part was already sent in this batch", "PART_DUPLICATE")
        seen.add(key)

    async def _by_request_id(self, project_id: str, request_id: str) -> BatchRow | None:
        async with self._db.reading() as session:
            return (await session.exec(select(BatchRow).where(
                BatchRow.project_id == project_id, BatchRow.request_id == request_id
            ))).first()

    def ingestion_arguments(self, batch: BatchRow) -> dict:
        """Everything the ingestion job needs, so that it asks no other service for it, except
        the credentials of a customer's bucket: job arguments are stored in plain text, so the
        job asks Identity for them when it runs."""
        paths = self._paths_of(batch)
        final = paths.batch_file(batch.id, batch.task_id, batch.kpi_id)
        arguments = {
            "batch_id": batch.id, "kind": batch.kind, "task_type": batch.task_type,
            "columns": batch.schema_columns, "parts": batch.parts,
            "storage": self._storage.root,  # where the parts are staged
            # An S3 object appears only whole, when its upload completes, and only COMMITTED
            # batches are read: there the file is written under its final name, which spares
            # the commit a copy (S3 has no rename) and its 5 GB limit. Elsewhere, a partial name.
            "output": final if _whole_on_close(paths.root) else paths.partial(final),
        }
        if batch.storage_root:
            arguments.update(batch_storage=batch.storage_root, project_id=batch.project_id)
        return arguments

    async def _ensure_job(self, batch: BatchRow, model_ids: set[str] | None = None,
                          enforce_plan_limit: bool = False) -> BatchRow:
        """Submit the batch's ingestion job unless it has one (the batch id makes it once).
        ``model_ids``: the task's models as the upload found them; asked of Catalog when not
        given (a replayed or recovered batch). ``enforce_plan_limit``: a new upload, refused
        past the plan's max_concurrent_jobs."""
        if batch.ingestion_job_id or batch.state != BatchState.PENDING:
            return batch
        arguments = self.ingestion_arguments(batch)
        # The models of the task when the batch was uploaded: predictions name one of them.
        if model_ids is None and batch.task_id:
            model_ids = await self._catalog.task_model_ids(batch.task_id)
        arguments["model_ids"] = sorted(model_ids or ())
        job_id = await self._jobs.submit(
            INGESTION_JOB, arguments, company_id=batch.company_id,
            project_id=batch.project_id, task_id=batch.task_id or "", request_id=batch.id,
            max_attempts=3, enforce_plan_limit=enforce_plan_limit,
        )
        async with self._db.transaction() as session:
            stored = await session.get(BatchRow, batch.id)
            stored.ingestion_job_id = job_id
            batch = stored
        return batch

    # -- committing and failing (the ingestion job, internal) ---------------------------------

    async def commit_batch(self, batch_id: str) -> BatchRow:
        """Record the samples of a written batch, move its file to its final name and mark it
        COMMITTED, all or nothing. A batch whose samples clash with stored ones is FAILED."""
        async with self._db.reading() as session:
            batch = await session.get(BatchRow, batch_id)
        if batch is None:
            raise not_found("batch", batch_id)
        if batch.state == BatchState.COMMITTED:
            return batch
        if batch.state == BatchState.FAILED:
            raise FailedPrecondition(reason="BATCH_FAILED",
                                     message=f"batch '{batch_id}' already failed")
        # Fresh credentials: the ingestion job has just written the file with Identity's.
        storage = await self._batch_storage(batch, fresh=True)
        final = storage.batch_file(batch.id, batch.task_id, batch.kpi_id)
        partial = storage.partial(final)
        try:
            # After a crash between the move and the database commit, the file is already final.
            source = partial if await asyncio.to_thread(storage.exists, partial) else final
            if not await asyncio.to_thread(storage.exists, source):
                raise FailedPrecondition(
                    reason="BATCH_FILE_MISSING",
                    message=f"batch '{batch_id}' has no written file to commit: run its "
                            "ingestion again")
            facts = await asyncio.to_thread(reading.commit_facts, storage, source, batch)
        except OSError as error:
            if batch.storage_root and refused_access(error):
                raise self._refused(batch.project_id, batch.storage_root, error) from None
            raise

        def sample_ids():
            return reading.in_thread(reading.sample_id_chunks(storage, source, batch))

        limits = await self._limits(batch.company_id)
        try:
            async with self._db.transaction() as session:
                stored = await session.get(BatchRow, batch_id, with_for_update=True)
                if stored.state != BatchState.PENDING:
                    return stored
                await check_count(
                    session, limits, stored.company_id, "max_stored_bytes",
                    self._stored_bytes(stored.company_id), "bytes of stored data",
                    f"this batch needs {facts.stored_bytes} bytes: send less data",
                    adding=facts.stored_bytes)
                kind = BatchKind(stored.kind)
                if kind in SAMPLE_KINDS:
                    await _insert_samples(session, stored, sample_ids())
                elif kind is BatchKind.TARGET:
                    stored.labelled_batches = await _attach_targets(session, stored, sample_ids())
                if source != final:
                    await asyncio.to_thread(storage.move, source, final)
                stored.state = BatchState.COMMITTED.value
                stored.row_count = facts.row_count
                stored.first_sample_time = facts.first_sample_time
                stored.last_sample_time = facts.last_sample_time
                stored.stored_bytes = facts.stored_bytes
                stored.finish_time = utcnow()
                batch = stored
        except _Refused as refused:
            return await self.fail_batch(batch_id, _summary(refused.problems), refused.problems)
        except ResourceExhausted as refused:  # the plan's max_stored_bytes: nothing is kept
            problem = {"code": PLAN_LIMIT_REACHED, "column": "", "part": "", "model_id": "",
                       "message": refused.message, "rows": [], "row_count": 0,
                       "values": [f"{key}={value}" for key, value in refused.metadata.items()]}
            return await self.fail_batch(batch_id, refused.message, [problem])
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            problems = await self._already_stored(batch, sample_ids())
            return await self.fail_batch(batch_id, _summary(problems), problems)
        await asyncio.to_thread(self._storage.delete_folder,
                                self._storage.staging_folder(batch_id))
        _log.info("batch_committed", batch_id=batch_id, kind=batch.kind, rows=batch.row_count)
        await self._notify_monitoring(batch)
        return batch

    async def _notify_later(self, batch: BatchRow, retry: int) -> None:
        await asyncio.sleep(min(2.0 ** retry, 60.0))
        await self._notify_monitoring(batch, retry)

    async def _notify_monitoring(self, batch: BatchRow, retry: int = 0) -> None:
        """Tell Monitoring the batch is committed (it starts the batch's detection). When it
        cannot be told now, recovery tells it later: the commit stands either way."""
        if self._monitoring is None or batch.monitoring_notify_time is not None:
            return
        try:
            job_id = await self._monitoring.notify_batch_committed(
                batch.id, batch.task_id or "", batch.kind, batch.kpi_id or "", batch.project_id)
        except Unavailable:
            _log.warning("monitoring_not_notified", batch_id=batch.id, retry=retry)
            if retry < _NOTIFY_RETRIES:  # soon, rather than at the next recovery pass
                task = asyncio.create_task(self._notify_later(batch, retry + 1))
                self._notifying.add(task)
                task.add_done_callback(self._notifying.discard)
            return
        async with self._db.transaction() as session:
            stored = await session.get(BatchRow, batch.id)
            stored.monitoring_notify_time = utcnow()
        _log.info("monitoring_notified", batch_id=batch.id, detection_job_id=job_id or None)

    async def _already_stored(self, batch: BatchRow, chunks) -> list[dict]:
        """Where the batch's sample ids clash with stored ones (after a unique violation)."""
        found = _Rows()
        offset = 0
        async with self._db.reading() as session:
            async with contextlib.aclosing(chunks):  # stop its reader thread if we stop early
                async for chunk, _ in chunks:
                    stored = await _stored_samples(session, batch.task_id, chunk)
                    found.add(offset, chunk, lambda sample_id: sample_id in stored)
                    offset += len(chunk)
        return [found.problem(
            "SAMPLE_ALREADY_STORED", "these sample ids are already stored for the task: a "
            "sample is uploaded once (send late targets with add_target_data)")]

    async def fail_batch(self, batch_id: str, message: str, problems: list[dict]) -> BatchRow:
        """Mark a PENDING batch FAILED with what was wrong, and remove its files."""
        async with self._db.transaction() as session:
            batch = await session.get(BatchRow, batch_id, with_for_update=True)
            if batch is None:
                raise not_found("batch", batch_id)
            if batch.state == BatchState.COMMITTED:
                raise FailedPrecondition(reason="BATCH_COMMITTED",
                                         message=f"batch '{batch_id}' is already committed")
            if batch.state == BatchState.PENDING:
                batch.state = BatchState.FAILED.value
                batch.failure_message = message[:2000]
                batch.problems = problems
                batch.finish_time = utcnow()
        try:
            storage = await self._batch_storage(batch, fresh=True)
            final = storage.batch_file(batch.id, batch.task_id, batch.kpi_id)
            await asyncio.to_thread(self._remove_files, storage, final)
        except Exception:
            if not batch.storage_root:
                raise
            # The customer's storage refuses or cannot be reached: the batch is FAILED all the
            # same, and what is left there is a .partial file that no read ever names.
            _log.warning("batch_files_not_removed", batch_id=batch_id,
                         storage=batch.storage_root, exc_info=True)
        await asyncio.to_thread(self._storage.delete_folder,
                                self._storage.staging_folder(batch_id))
        _log.info("batch_failed", batch_id=batch_id, message=message[:200])
        return batch

    @staticmethod
    def _remove_files(storage: BatchStorage, final: str) -> None:
        storage.delete_file(storage.partial(final))
        storage.delete_file(final)

    # -- recovery ----------------------------------------------------------------------------

    async def recover(self) -> None:
        """Tidy up after crashes: remove staging folders that no pending batch needs, submit
        the ingestion of batches stored without a job, and fail batches whose job ended
        without deciding them."""
        staged = await asyncio.to_thread(self._storage.staged_batches)
        if staged:
            ids = [batch_id for batch_id, _ in staged]
            async with self._db.reading() as session:
                states = dict((await session.exec(
                    select(BatchRow.id, BatchRow.state).where(BatchRow.id.in_(ids)))).all())
            for batch_id, age in staged:
                state = states.get(batch_id)
                orphan = state is None and age >= self._staging_grace_seconds
                if orphan or state in (BatchState.COMMITTED, BatchState.FAILED):
                    await asyncio.to_thread(self._storage.delete_folder,
                                            self._storage.staging_folder(batch_id))
                    _log.info("staging_removed", batch_id=batch_id, state=state or "none")
        async with self._db.reading() as session:
            pending = list((await session.exec(select(BatchRow).where(
                BatchRow.state == BatchState.PENDING.value))).all())
        for batch in pending:
            if not batch.ingestion_job_id:
                await self._ensure_job(batch)
                continue
            outcome = await self._jobs.outcome(batch.ingestion_job_id)
            if outcome is None or (outcome.finished and outcome.status != "COMPLETED"):
                why = (f"its ingestion job {outcome.status.lower()}"
                       + (f": {outcome.error_message}" if outcome.error_message else "")
                       if outcome else "its ingestion job is gone")
                await self.fail_batch(batch.id, f"the batch was not ingested: {why}", [])
        async with self._db.reading() as session:
            unannounced = list((await session.exec(select(BatchRow).where(
                BatchRow.state == BatchState.COMMITTED.value,
                BatchRow.monitoring_notify_time.is_(None)).order_by(
                BatchRow.finish_time))).all())
        for batch in unannounced:
            await self._notify_monitoring(batch)

    # -- reading -----------------------------------------------------------------------------

    async def get_batch(self, caller: Caller, batch_id: str) -> BatchRow:
        require_id(batch_id, "batch_id")
        async with self._db.reading() as session:
            batch = await session.get(BatchRow, batch_id)
        return self._visible(caller, batch, batch_id, ProjectRole.VIEW, "GetBatch")

    async def list_batches(
        self, caller: Caller, *, task_id: str, project_id: str, kpi_id: str,
        kinds: list[BatchKind], states: list[BatchState], from_time: datetime | None,
        to_time: datetime | None, page_size: int, page_token: str,
    ) -> tuple[list[BatchRow], str]:
        if task_id:
            scope = await self._task_scope(caller, task_id, ProjectRole.VIEW, "ListBatches")
            statement = select(BatchRow).where(BatchRow.task_id == task_id)
        elif kpi_id or project_id:
            scope = await self._kpi_scope(caller, project_id, kpi_id, ProjectRole.VIEW,
                                          "ListBatches")
            statement = select(BatchRow).where(BatchRow.kpi_id == kpi_id)
        else:
            raise InvalidArgument.for_field(
                "task_id", "name the task whose batches to list (or project_id and kpi_id)",
                "TASK_ID_REQUIRED")
        del scope
        page = paging.parse(page_size, page_token, paging.fingerprint(
            "batches", task_id, project_id, kpi_id, sorted(kinds), sorted(states),
            from_time, to_time))
        if kinds:
            statement = statement.where(BatchRow.kind.in_([kind.value for kind in kinds]))
        if states:
            statement = statement.where(BatchRow.state.in_([state.value for state in states]))
        statement = _with_samples_in(statement, from_time, to_time)
        async with self._db.reading() as session:
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, BatchRow.create_time, BatchRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def data_summary(self, caller: Caller, task_id: str) -> dict:
        await self._task_scope(caller, task_id, ProjectRole.VIEW, "GetDataSummary")
        async with self._db.reading() as session:
            by_kind = (await session.exec(
                select(BatchRow.kind, func.count(), func.sum(BatchRow.row_count),
                       func.min(BatchRow.first_sample_time), func.max(BatchRow.last_sample_time))
                .where(BatchRow.task_id == task_id,
                       BatchRow.state == BatchState.COMMITTED.value)
                .group_by(BatchRow.kind))).all()
            by_state = dict((await session.exec(
                select(BatchRow.state, func.count()).where(BatchRow.task_id == task_id)
                .group_by(BatchRow.state))).all())
            labelled = (await session.exec(select(func.count()).select_from(SampleRow).where(
                SampleRow.task_id == task_id, SampleRow.has_target.is_(True)))).one()
        return {
            "task_id": task_id,
            "kinds": [
                {"kind": BatchKind(kind), "batch_count": count, "row_count": int(rows or 0),
                 "first_sample_time": as_utc(first), "last_sample_time": as_utc(last)}
                for kind, count, rows, first, last in sorted(by_kind)
            ],
            "pending_batch_count": by_state.get(BatchState.PENDING.value, 0),
            "failed_batch_count": by_state.get(BatchState.FAILED.value, 0),
            "labelled_sample_count": labelled,
        }

    async def read_batch(self, caller: Caller, batch_id: str,
                         columns: list[str]) -> AsyncIterator[bytes]:
        """The pieces of an Arrow IPC stream of a committed batch's rows."""
        batch = await self.get_batch(caller, batch_id)
        if batch.state != BatchState.COMMITTED:
            raise FailedPrecondition(
                reason="BATCH_NOT_COMMITTED",
                message=f"batch '{batch_id}' is {batch.state}: only committed batches are read"
                        + (" (wait for its ingestion job)" if batch.state == "PENDING" else ""))
        storage = await self._batch_storage(batch)
        path = storage.batch_file(batch.id, batch.task_id, batch.kpi_id)
        try:
            # Opening reads the file's footer: a network call when the batch is in a bucket.
            pieces = await asyncio.to_thread(reading.batch_pieces, storage, path, columns)
        except OSError as error:
            if batch.storage_root and refused_access(error):
                raise self._refused(batch.project_id, batch.storage_root, error) from None
            raise
        return reading.in_thread(pieces)

    async def read_samples(
        self, caller: Caller, task_id: str, kinds: list[BatchKind],
        from_time: datetime | None, to_time: datetime | None, columns: list[str],
        batch_ids: list[str] = (),
    ) -> AsyncIterator[bytes]:
        """The pieces of an Arrow IPC stream of a task's committed samples in a time range
        (and, when ``batch_ids`` are given, of those batches only), with late targets joined,
        in the columns of the task's current schema."""
        for batch_id in batch_ids:
            require_id(batch_id, "batch_ids")
        scope = await self._task_scope(caller, task_id, ProjectRole.VIEW, "ReadSamples")
        kinds = kinds or list(SAMPLE_KINDS)
        wrong = [kind.value for kind in kinds if kind not in SAMPLE_KINDS]
        if wrong:
            raise InvalidArgument.for_field(
                "kinds", f"samples are HISTORICAL or PRODUCTION, not {', '.join(wrong)} "
                "(late targets are joined to their samples)", "KIND_NOT_READABLE")
        if from_time and to_time and from_time >= to_time:
            raise InvalidArgument.for_field("to_time", "must be after from_time",
                                            "TIME_RANGE_INVALID")
        schema = await self._catalog.get_data_schema(scope.task.id)
        if schema is None:
            raise FailedPrecondition(reason="DATA_SCHEMA_REQUIRED",
                                     message=f"task '{task_id}' has no data schema yet")
        reading.check_columns(schema.columns, columns)
        statement = select(BatchRow).where(
            BatchRow.task_id == task_id, BatchRow.state == BatchState.COMMITTED.value,
            BatchRow.kind.in_([kind.value for kind in kinds]))
        statement = _with_samples_in(statement, from_time, to_time)
        if batch_ids:
            statement = statement.where(BatchRow.id.in_(batch_ids))
        async with self._db.reading() as session:
            batches = list((await session.exec(statement.order_by(
                BatchRow.first_sample_time, BatchRow.id))).all())
            late: dict[str, list[str]] = {}  # sample batch -> the TARGET batches labelling it
            roots: dict[str, str | None] = {batch.id: batch.storage_root for batch in batches}
            if batches:
                targets = (await session.exec(
                    select(BatchRow.id, BatchRow.labelled_batches, BatchRow.storage_root).where(
                        BatchRow.task_id == task_id, BatchRow.kind == BatchKind.TARGET.value,
                        BatchRow.state == BatchState.COMMITTED.value))).all()
                selected = set(roots)
                for target_batch_id, labelled_batches, storage_root in targets:
                    labelled = [b for b in labelled_batches or [] if b in selected]
                    if labelled:
                        roots[target_batch_id] = storage_root
                    for batch_id in labelled:
                        late.setdefault(batch_id, []).append(target_batch_id)
        storages = {root: await self._storage_at(scope.project_id, root)
                    for root in set(roots.values())}
        # The batches of a task are usually in one storage; a project whose storage changed
        # has some in each, read through one filesystem that sends each path to its own.
        mixed = StorageSet(list(storages.values())) if len(storages) > 1 else None
        storage = mixed or (next(iter(storages.values())) if storages else self._storage)

        def path_of(batch_id: str) -> str:
            own = storages[roots[batch_id]]
            path = own.batch_file(batch_id, task_id, None)
            return mixed.path(own, path) if mixed else path

        sources = [
            reading.SampleSource(
                path=path_of(batch.id), columns=batch.schema_columns,
                target_paths=[path_of(target) for target in sorted(late.get(batch.id, []))],
            )
            for batch in batches
        ]
        pieces = reading.sample_pieces(storage, sources, schema.columns, columns,
                                       from_time, to_time)
        customer = next((root for root in storages if root), None)
        return reading.in_thread(_storage_refusals(pieces, self, scope.project_id, customer))


class _StagingWriter:
    """Writes an upload's chunks to its staging file in a worker thread, one write in flight
    while the next chunk is received, so that the network and the disk work side by side."""

    def __init__(self, stream):
        self._stream = stream
        self._pending: asyncio.Future | None = None

    async def write(self, chunk: bytes) -> None:
        if self._pending is not None:
            await self._pending
        self._pending = asyncio.ensure_future(asyncio.to_thread(self._stream.write, chunk))

    async def close(self) -> None:
        try:
            if self._pending is not None:
                await self._pending
        finally:
            self._pending = None
            await asyncio.to_thread(self._stream.close)


def _whole_on_close(root: str) -> bool:
    """Whether files of this storage become visible only once completely written (S3)."""
    return root.startswith("s3://")


def _with_samples_in(statement, from_time: datetime | None, to_time: datetime | None):
    """Only batches with samples in [from_time, to_time)."""
    if from_time is not None:
        statement = statement.where(BatchRow.last_sample_time >= from_time)
    if to_time is not None:
        statement = statement.where(BatchRow.first_sample_time < to_time)
    return statement


class _Refused(Exception):
    def __init__(self, problems: list[dict]):
        super().__init__(_summary(problems))
        self.problems = problems


class _Rows:
    """The first offending rows of a check over a batch read in chunks, and how many in all."""

    def __init__(self):
        self.rows: list[int] = []
        self.values: list[str] = []
        self.count = 0

    def add(self, offset: int, sample_ids: list[str], offends) -> None:
        for index, sample_id in enumerate(sample_ids):
            if offends(sample_id):
                self.count += 1
                if len(self.rows) < _MAX_PROBLEM_ROWS:
                    self.rows.append(offset + index)
                    self.values.append(sample_id)

    def problem(self, code: str, message: str, part: str = "") -> dict:
        return {"code": code, "column": "", "part": part, "model_id": "", "message": message,
                "rows": self.rows, "values": self.values, "row_count": self.count}


def _summary(problems: list[dict]) -> str:
    first = problems[0]
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{first['code']}: {first['message']}; {first['row_count']} rows, e.g. " \
           f"{', '.join(first['values'][:3])}{more}"


async def _stored_samples(session, task_id: str,
                         sample_ids: list[str]) -> dict[str, tuple[bool, str]]:
    """Which of ``sample_ids`` the task has: whether each has a target, and its batch."""
    known: dict[str, tuple[bool, str]] = {}
    for start in range(0, len(sample_ids), _CHUNK_ROWS):
        chunk = sample_ids[start:start + _CHUNK_ROWS]
        rows = (await session.exec(
            select(SampleRow.sample_id, SampleRow.has_target, SampleRow.batch_id).where(
                SampleRow.task_id == task_id, SampleRow.sample_id.in_(chunk)))).all()
        known.update((sample_id, (labelled, batch_id)) for sample_id, labelled, batch_id in rows)
    return known


def _check_lengths(offset: int, sample_ids: list[str]) -> None:
    too_long = _Rows()
    too_long.add(offset, sample_ids, lambda sample_id: len(sample_id) > MAX_SAMPLE_ID)
    if too_long.count:
        raise _Refused([too_long.problem(
            "SAMPLE_ID_TOO_LONG", f"sample ids have at most {MAX_SAMPLE_ID} characters")])


async def _insert_samples(session, batch: BatchRow, chunks) -> None:
    table = SampleRow.__table__
    offset = 0
    async with contextlib.aclosing(chunks):  # stop its reader thread if we stop early
        async for sample_ids, has_target in chunks:
            _check_lengths(offset, sample_ids)
            offset += len(sample_ids)
            await bulk_insert(
                session, table.name, ["task_id", "sample_id", "batch_id", "has_target"],
                [(batch.task_id, sample_id, batch.id, labelled)
                 for sample_id, labelled in zip(sample_ids, has_target)])


async def _attach_targets(session, batch: BatchRow, chunks) -> list[str]:
    """Mark the samples of a TARGET batch as labelled by it and return the batches they belong
    to; _Refused when some are unknown or already have a target (the caller's transaction then
    rolls every change back)."""
    missing, labelled = _Rows(), _Rows()
    sample_batches: set[str] = set()
    offset = 0
    async with contextlib.aclosing(chunks):  # stop its reader thread if we stop early
        async for sample_ids, _ in chunks:
            _check_lengths(offset, sample_ids)
            known = await _stored_samples(session, batch.task_id, sample_ids)
            missing.add(offset, sample_ids, lambda sample_id: sample_id not in known)
            labelled.add(offset, sample_ids,
                         lambda sample_id: sample_id in known and known[sample_id][0])
            sample_batches.update(batch_id for _, batch_id in known.values())
            offset += len(sample_ids)
            if missing.count or labelled.count:
                continue  # keep looking, to report every problem; nothing will be kept
            for start in range(0, len(sample_ids), _CHUNK_ROWS):
                chunk = sample_ids[start:start + _CHUNK_ROWS]
                await session.execute(sa.update(SampleRow).where(
                    SampleRow.task_id == batch.task_id, SampleRow.sample_id.in_(chunk)
                ).values(has_target=True, target_batch_id=batch.id))
    problems = []
    if missing.count:
        problems.append(missing.problem(
            "SAMPLE_NOT_FOUND", "these sample ids are not stored for the task: upload the "
            "samples first (add_historical_data or add_production_data)", "TARGET"))
    if labelled.count:
        problems.append(labelled.problem(
            "TARGET_ALREADY_STORED", "these samples already have a target, which is kept",
            "TARGET"))
    if problems:
        raise _Refused(problems)
    return sorted(sample_batches)


def _storage_refusals(pieces, data: Data, project_id: str, root: str | None):
    """``pieces``, with a customer storage's refusal as FAILED_PRECONDITION (STORAGE_ACCESS_
    REFUSED) rather than an internal error."""
    if root is None:
        yield from pieces
        return
    try:
        yield from pieces
    except OSError as error:
        if not refused_access(error):
            raise
        raise data._refused(project_id, root, error) from None
