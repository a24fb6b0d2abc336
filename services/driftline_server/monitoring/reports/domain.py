"""Task reports as the service keeps them: asked for, computed by a job, read back.

A report is stored PENDING with what was asked (its range and settings), then its job
(reports/jobs.py) streams the task's samples in the range from the Data service, writes the
per-sample table to the suite's storage and has the service store the report COMPLETE with
what it computed (``result``), or FAILED with why. Nothing here knows gRPC.

Which columns a report reads is decided here, once, from the task's schema: a RAG evaluation
needs the user input, the retrieved contexts and the answers (a model's PREDICTION column), and
reads the target answer where the schema has one; a topic modelling reads the task's text
inputs. Authorization: computing needs PROJECT_USER on the task's project, reading
PROJECT_VIEW; another company's report is NOT_FOUND.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog.remote import CatalogModels, TaskInfo
from driftline_server.data.storage import BatchStorage
from driftline_server.jobs.remote import JobsClient
from driftline_server.monitoring.access import visible_task
from driftline_server.monitoring.models import TaskReportRow
from driftline_server.monitoring.vocabulary import (
    RAG_EVALUATION_JOB,
    REPORT_LANGUAGES,
    TOPIC_MODELING_JOB,
    TaskReportKind,
    TaskReportState,
    rag_column_target,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.plans import forget_if_refused
from driftline_server.platform.errors import (
    FailedPrecondition,
    FieldViolation,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import MAX_REQUEST_ID, require_id

_log = get_logger("driftline.monitoring.reports")

MAX_NAME = 200
DEFAULT_THRESHOLD = 0.5
TOPIC_BOUNDS = (2, 30)  # the fewest and the most topics a report may try
DEFAULT_TOPICS = (2, 10)
_KIND_NAMES = {TaskReportKind.RAG_EVALUATION: "RAG evaluation report",
               TaskReportKind.TOPIC_MODELING: "topic modeling report"}


@dataclass(frozen=True)
class ReportRequest:
    """What every report is asked with."""

    task_id: str
    name: str
    from_time: datetime | None
    to_time: datetime | None
    request_id: str = ""


def _check_request(request: ReportRequest, found: list[FieldViolation]) -> None:
    name = request.name.strip()
    if not name:
        found.append(FieldViolation("report_name", "required: a name for the report"))
    elif len(name) > MAX_NAME:
        found.append(FieldViolation("report_name", f"has {len(name)} characters; at most "
                                                   f"{MAX_NAME} are allowed"))
    if request.from_time is None:
        found.append(FieldViolation("from_time", "required: the start of the samples' range"))
    if request.to_time is None:
        found.append(FieldViolation("to_time", "required: the end of the samples' range"))
    if (request.from_time is not None and request.to_time is not None
            and request.from_time >= request.to_time):
        found.append(FieldViolation("to_time", "must be after from_time: the range "
                                               "[from_time, to_time) holds no time"))
    if len(request.request_id) > MAX_REQUEST_ID:
        found.append(FieldViolation("request_id",
                                    f"at most {MAX_REQUEST_ID} characters (a uuid fits)"))


def _require(found: list[FieldViolation]) -> None:
    require(found, "TIME_RANGE_INVALID" if any(
        v.field in ("from_time", "to_time") for v in found) else "INVALID_ARGUMENT")


def _named(schema_columns: list[dict], role: str) -> str:
    return next(c["name"] for c in schema_columns if c["role"] == role)


def _require_rag(task: TaskInfo) -> None:
    if task.task_type != "RAG":
        raise FailedPrecondition(
            reason="TASK_NOT_RAG",
            message=f"task '{task.id}' is a {task.task_type} task: a RAG evaluation report is "
                    "computed for RAG tasks only (TASK_TYPE_RAG)",
            metadata={"task_id": task.id})


def _require_text(task: TaskInfo) -> None:
    if task.data_structure != "TEXT":
        raise FailedPrecondition(
            reason="TASK_NOT_TEXT",
            message=f"task '{task.id}' holds {task.data_structure or 'no'} data: a topic "
                    "modeling report is computed for text tasks only (DATA_STRUCTURE_TEXT)",
            metadata={"task_id": task.id})


class TaskReports:
    def __init__(self, database: Database, catalog: CatalogModels, jobs: JobsClient,
                 storage: BatchStorage, resolve_credentials=None):
        self._db = database
        self._catalog = catalog
        self._jobs = jobs
        self._storage = storage
        # async (credentials_id, project_id) -> dict: an LLM judge's credentials, checked when
        # the report is asked for so that a wrong id fails the call, not the job.
        self._resolve_credentials = resolve_credentials

    # -- computing ---------------------------------------------------------------------------

    async def compute_rag_evaluation(self, caller: Caller, request: ReportRequest,
                                     model_id: str = "", threshold: float = 0.0,
                                     judge: dict | None = None) -> TaskReportRow:
        """Store a RAG evaluation report PENDING and submit its job."""
        found: list[FieldViolation] = []
        _check_request(request, found)
        if not 0.0 <= threshold <= 1.0:
            found.append(FieldViolation("threshold", f"is {threshold}; scores are in [0, 1], "
                                                     "so a threshold is too (0 means 0.5)"))
        if model_id:
            require_id(model_id, "model_id")
        judge = {k: v.strip() for k, v in (judge or {}).items() if v and v.strip()}
        if judge and not (judge.get("credentials_id") and judge.get("model")):
            found.append(FieldViolation("judge", "an LLM judge needs both credentials_id (the "
                                                 "project's LLM provider credentials) and model"))
        _require(found)
        task, existing = await self._asked(caller, request, TaskReportKind.RAG_EVALUATION,
                                           "ComputeRagEvaluationReport", _require_rag)
        if existing is not None:
            return await self._settled(existing)
        columns = await self._schema_columns(task)
        answers = [c for c in columns if c["role"] == "PREDICTION"
                   and c["data_type"] == "STRING" and (not model_id or c["model_id"] == model_id)]
        if not answers or (len(answers) > 1 and not model_id):
            offered = ", ".join(f"{c['name']} (model {c['model_id']})" for c in answers)
            raise FailedPrecondition(
                reason="RAG_ANSWER_COLUMN_REQUIRED" if not answers else "MODEL_ID_REQUIRED",
                message=(f"task '{task.id}' has no text PREDICTION column"
                         + (f" of model '{model_id}'" if model_id else "")
                         + ": the answers to evaluate are a model's PREDICTION column (STRING)"
                         if not answers else
                         f"task '{task.id}' has several models' answers ({offered}): name the "
                         "one to evaluate with model_id"),
                metadata={"task_id": task.id})
        texts = {target: [c["name"] for c in columns if rag_column_target(c) == target
                          and c["data_type"] == "STRING"]
                 for target in ("USER_INPUT", "RETRIEVED_CONTEXT")}
        for role in ("USER_INPUT", "RETRIEVED_CONTEXT"):
            if not texts[role]:
                raise FailedPrecondition(
                    reason="RAG_COLUMNS_REQUIRED",
                    message=f"task '{task.id}' has no {role} column (STRING) in its schema: a RAG "
                            "evaluation reads the user input, the retrieved contexts and the "
                            "answers", metadata={"task_id": task.id})
        if judge:
            judge = await self._checked_judge(task, judge)
        answer = answers[0]
        settings = {"model_id": answer["model_id"], "threshold": threshold or DEFAULT_THRESHOLD,
                    "judge": judge}
        arguments = {
            "id_column": _named(columns, "ID"), "time_column": _named(columns, "TIME_ID"),
            "user_input_column": texts["USER_INPUT"][0],
            "context_columns": texts["RETRIEVED_CONTEXT"],
            "answer_column": answer["name"],
            "target_column": next((c["name"] for c in columns if c["role"] == "TARGET"
                                   and c["data_type"] == "STRING"), ""),
            "separator": task.rag_contexts_separator,
            "language": REPORT_LANGUAGES.get(task.text_language, "multilanguage"),
            "threshold": settings["threshold"], "judge": judge,
        }
        return await self._submit(caller, task, TaskReportKind.RAG_EVALUATION, request,
                                  settings, RAG_EVALUATION_JOB, arguments)

    async def compute_topic_modeling(self, caller: Caller, request: ReportRequest,
                                     min_topics: int = 0, max_topics: int = 0) -> TaskReportRow:
        """Store a topic modelling report PENDING and submit its job."""
        found: list[FieldViolation] = []
        _check_request(request, found)
        low, high = min_topics or DEFAULT_TOPICS[0], max_topics or DEFAULT_TOPICS[1]
        for field, value in (("min_topics", low), ("max_topics", high)):
            if not TOPIC_BOUNDS[0] <= value <= TOPIC_BOUNDS[1]:
                found.append(FieldViolation(field, f"is {value}; a report tries between "
                                                   f"{TOPIC_BOUNDS[0]} and {TOPIC_BOUNDS[1]} "
                                                   "topics (0 means the default)"))
        if low > high:
            found.append(FieldViolation("max_topics", f"is {high}, below min_topics {low}"))
        _require(found)
        task, existing = await self._asked(caller, request, TaskReportKind.TOPIC_MODELING,
                                           "ComputeTopicModelingReport", _require_text)
        if existing is not None:
            return await self._settled(existing)
        columns = await self._schema_columns(task)
        # A RAG task's topics are its users' questions; another text task's, its text inputs.
        questions = [c["name"] for c in columns
                     if rag_column_target(c) == "USER_INPUT" and c["data_type"] == "STRING"]
        texts = questions or [c["name"] for c in columns if c["role"] == "INPUT"
                              and not rag_column_target(c) and c["data_type"] == "STRING"]
        if not texts:
            raise FailedPrecondition(
                reason="TEXT_COLUMNS_REQUIRED",
                message=f"task '{task.id}' has no text (STRING) input column in its schema: "
                        "topics are found in the samples' input texts",
                metadata={"task_id": task.id})
        settings = {"min_topics": low, "max_topics": high}
        arguments = {
            "id_column": _named(columns, "ID"), "time_column": _named(columns, "TIME_ID"),
            "text_columns": texts, "language": REPORT_LANGUAGES.get(task.text_language, "multilanguage"),
            "min_topics": low, "max_topics": high,
        }
        return await self._submit(caller, task, TaskReportKind.TOPIC_MODELING, request,
                                  settings, TOPIC_MODELING_JOB, arguments)

    async def _asked(self, caller: Caller, request: ReportRequest, kind: TaskReportKind,
                     action: str, require_kind) -> tuple[TaskInfo, TaskReportRow | None]:
        """The task a report is asked of, once the caller may compute it and the task is of a
        kind the report reads (``require_kind``); and the report a retried call already made."""
        task = await self._task(caller, request.task_id, ProjectRole.USER, action)
        require_kind(task)
        return task, await self._by_request_id(task.id, kind, request.request_id)

    async def _task(self, caller: Caller, task_id: str, needed: ProjectRole,
                    action: str) -> TaskInfo:
        return await visible_task(self._catalog, caller, task_id.strip(), needed, action)

    async def _schema_columns(self, task: TaskInfo) -> list[dict]:
        schema = await self._catalog.get_data_schema(task.id)
        if schema is None:
            raise FailedPrecondition(
                reason="DATA_SCHEMA_REQUIRED",
                message=f"task '{task.id}' has no data schema yet, so no samples to report on: "
                        "add a schema (CreateDataSchema) and upload data first",
                metadata={"task_id": task.id})
        return schema.columns

    async def _checked_judge(self, task: TaskInfo, judge: dict) -> dict:
        from driftline_server.monitoring.reports.judge import LlmJudge

        require_id(judge["credentials_id"], "judge.credentials_id")
        credentials = await self._resolve_credentials(judge["credentials_id"], task.project_id)
        try:
            checked = LlmJudge.from_credentials(credentials, judge["model"])
        except ValueError as problem:
            raise FailedPrecondition(
                reason="LLM_CREDENTIALS_INVALID",
                message=f"integration credentials '{judge['credentials_id']}' cannot reach an "
                        f"LLM judge: {problem}",
                metadata={"credentials_id": judge["credentials_id"]}) from None
        return dict(judge, provider=checked.record()["provider"])

    async def _submit(self, caller: Caller, task: TaskInfo, kind: TaskReportKind,
                      request: ReportRequest, settings: dict, job_type: str,
                      arguments: dict) -> TaskReportRow:
        row = TaskReportRow(
            id=new_id(), company_id=task.company_id, project_id=task.project_id,
            task_id=task.id, kind=kind.value, name=request.name.strip(),
            state=TaskReportState.PENDING.value, from_time=request.from_time,
            to_time=request.to_time, settings=settings, result={},
            request_id=request.request_id or None, creator_id=caller.user_id,
            create_time=utcnow())
        row.samples_path = self._storage.report_samples(task.id, row.id)
        # Kept with the report, so that a job never submitted (Jobs unreachable, a stop in
        # between) is submitted when the call is retried or the report is read.
        row.settings = dict(settings, job={"type": job_type, "arguments": dict(
            arguments, report_id=row.id, task_id=task.id,
            from_time=as_utc(row.from_time).isoformat(), to_time=as_utc(row.to_time).isoformat(),
            storage=self._storage.root, samples_path=row.samples_path)})
        try:
            async with self._db.transaction() as session:
                session.add(row)
        except IntegrityError as error:
            if not (request.request_id and is_unique_violation(error)):
                raise
            return await self._settled(await self._by_request_id(task.id, kind,
                                                                 request.request_id))
        return await forget_if_refused(self._db, TaskReportRow, row.id,
                                       self._ensure_job(row, enforce_plan_limit=True))

    async def _ensure_job(self, row: TaskReportRow,
                          enforce_plan_limit: bool = False) -> TaskReportRow:
        """Submit the report's job unless it has one; the report's id is the job's request id,
        so a second submit starts no second job. ``enforce_plan_limit``: a new report, refused
        past the plan's max_concurrent_jobs."""
        if row.job_id or row.state != TaskReportState.PENDING:
            return row
        job = row.settings["job"]
        job_id = await self._jobs.submit(
            job["type"], job["arguments"], company_id=row.company_id, project_id=row.project_id,
            task_id=row.task_id, request_id=row.id, max_attempts=3,
            enforce_plan_limit=enforce_plan_limit)
        async with self._db.transaction() as session:
            stored = await session.get(TaskReportRow, row.id)
            stored.job_id = job_id
            session.add(stored)
        _log.info("task_report_submitted", report_id=row.id, kind=row.kind, task_id=row.task_id,
                  job_id=job_id)
        return stored

    async def _settled(self, row: TaskReportRow) -> TaskReportRow:
        """A PENDING report as its job left it: submitted when it never was, FAILED when its job
        ended without finishing it (cancelled before it began, or failed for good)."""
        if row.state != TaskReportState.PENDING:
            return row
        if not row.job_id:
            return await self._ensure_job(row)
        outcome = await self._jobs.outcome(row.job_id)
        if outcome is None or not outcome.finished:
            return row
        why = ("was cancelled" if outcome.status == "CANCELLED" else
               f"ended {outcome.status}: {outcome.error_message or outcome.error_reason}")
        return await self.finish(row.id, TaskReportState.FAILED, f"the report's job {why}", 0,
                                 {})

    async def _by_request_id(self, task_id: str, kind: TaskReportKind,
                             request_id: str) -> TaskReportRow | None:
        if not request_id:
            return None
        async with self._db.reading() as session:
            return (await session.exec(select(TaskReportRow).where(
                TaskReportRow.task_id == task_id, TaskReportRow.kind == kind.value,
                TaskReportRow.request_id == request_id))).first()

    # -- reading -----------------------------------------------------------------------------

    async def get(self, caller: Caller, report_id: str, kind: TaskReportKind | None,
                  action: str) -> TaskReportRow:
        """The report, once the caller may read its task; NOT_FOUND naming the kind asked for
        when it does not exist, is another company's, or is of the other kind."""
        shown = _KIND_NAMES.get(kind, "task report")
        require_id(report_id.strip(), "report_id")
        async with self._db.reading() as session:
            row = await session.get(TaskReportRow, report_id.strip())
        if row is None or (kind is not None and row.kind != kind.value) \
                or not caller.sees_company(row.company_id):
            raise not_found(shown, report_id)
        await visible_task(self._catalog, caller, row.task_id, ProjectRole.VIEW, action,
                           kind=shown, shown_id=report_id)
        return await self._settled(row)

    async def list(self, caller: Caller, task_id: str, kind: TaskReportKind, action: str,
                   page_size: int = 0, page_token: str = "") -> tuple[list[TaskReportRow], str]:
        """A page of the task's reports of ``kind``, newest first, and the next page's token."""
        task = await self._task(caller, task_id, ProjectRole.VIEW, action)
        page = paging.parse(page_size, page_token,
                            paging.fingerprint("task reports", task.id, kind.value))
        statement = select(TaskReportRow).where(TaskReportRow.task_id == task.id,
                                                TaskReportRow.kind == kind.value)
        async with self._db.reading() as session:
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, TaskReportRow.create_time, TaskReportRow.id,
                descending=True))).all())
        rows, token = paging.time_and_id_page(page, rows)
        return [await self._settled(row) for row in rows], token

    async def samples(self, caller: Caller, report_id: str):
        """The pieces of an Arrow IPC stream of a COMPLETE report's per-sample table."""
        from driftline_server.data import reading

        row = await self.get(caller, report_id, None, "ReadTaskReportSamples")
        if row.state != TaskReportState.COMPLETE:
            raise FailedPrecondition(
                reason="TASK_REPORT_NOT_COMPLETE",
                message=f"report '{row.id}' is {row.state}"
                        + (": wait for its job" if row.state == "PENDING" else
                           f": {row.failure_message}"),
                metadata={"report_id": row.id})
        pieces = await asyncio.to_thread(reading.batch_pieces, self._storage, row.samples_path,
                                         [])
        return reading.in_thread(pieces)

    # -- the job (internal) ------------------------------------------------------------------

    async def finish(self, report_id: str, state: TaskReportState, failure: str,
                     sample_count: int, result: dict) -> TaskReportRow:
        """Store what the job computed (COMPLETE), or why it could not (FAILED)."""
        require_id(report_id, "report_id")
        async with self._db.transaction() as session:
            row = await session.get(TaskReportRow, report_id, with_for_update=True)
            if row is None:
                raise not_found("task report", report_id)
            if row.state != TaskReportState.PENDING:
                return row  # a re-run after the commit changes nothing
            row.finish_time = utcnow()
            row.state = state.value
            if state is TaskReportState.COMPLETE:
                row.sample_count = sample_count
                row.result = result
            else:
                row.failure_message = failure[:2000] or "the report's job failed"
            session.add(row)
        _log.info("task_report_finished", report_id=report_id, state=row.state)
        return row
