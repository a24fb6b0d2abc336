"""Jobs: submission, reading, cancellation and watching for callers; the engine's side of a
job's life (claiming, starting, progress, finishing, leases) for the engine and its workers.

Every change of a job goes through ``EventLog.write()`` and appends its event in the same
transaction, so the log and the jobs never disagree.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.jobs.events import EventFeed, EventLog, JobEvent
from driftline_server.jobs.models import JobEventRow, JobRow
from driftline_server.jobs.registry import HandlerRegistry
from driftline_server.jobs.vocabulary import (
    DEFAULT_MAX_ATTEMPTS,
    IN_FLIGHT,
    MAX_MAX_ATTEMPTS,
    EventType,
    JobStatus,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.errors import (
    FailedPrecondition,
    FieldViolation,
    not_found,
    require,
)
from driftline_server.platform.plans import UNLIMITED, check_count
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import check_text

# project id -> its company id; NotFound when the project does not exist.
ProjectCompany = Callable[[str], Awaitable[str]]
# (project ids, task ids, model ids) -> their names (catalog.remote.ResourceNames).
NameLookup = Callable[[set[str], set[str], set[str]], Awaitable["ResourceNames"]]


class ResourceNames(Protocol):
    projects: dict[str, str]
    tasks: dict[str, str]
    models: dict[str, str]


@dataclass(frozen=True)
class JobNames:
    """The names of the project, task and model a job concerns ("" for none, or one deleted)."""

    project: str = ""
    task: str = ""
    model: str = ""


@dataclass(frozen=True)
class JobFilter:
    project_id: str | None = None
    task_id: str | None = None
    model_id: str | None = None
    statuses: frozenset[JobStatus] = frozenset()
    types: frozenset[str] = frozenset()

    def matches(self, event: JobEvent) -> bool:
        return (
            (self.project_id is None or event.project_id == self.project_id)
            and (self.task_id is None or event.task_id == self.task_id)
            and (self.model_id is None or event.model_id == self.model_id)
            and (not self.statuses or event.status in self.statuses)
            and (not self.types or event.job_type in self.types)
        )

    def where(self, table) -> list:
        clauses = []
        for name in ("project_id", "task_id", "model_id"):
            if getattr(self, name) is not None:
                clauses.append(getattr(table, name) == getattr(self, name))
        if self.statuses:
            clauses.append(table.status.in_(sorted(s.value for s in self.statuses)))
        if self.types:
            clauses.append(table.job_type.in_(sorted(self.types)) if table is JobEventRow
                           else table.type.in_(sorted(self.types)))
        return clauses


@dataclass(frozen=True)
class JobDraft:
    """A job to submit."""

    type: str
    arguments: dict = field(default_factory=dict)
    company_id: str = ""
    project_id: str | None = None
    task_id: str | None = None
    model_id: str | None = None
    max_attempts: int = 0  # 0: the type's default, else DEFAULT_MAX_ATTEMPTS
    request_id: str | None = None
    schedule_time: datetime | None = None
    # A job a user's call starts: refused past the company plan's max_concurrent_jobs.
    enforce_plan_limit: bool = False


@dataclass(frozen=True)
class Claim:
    """A job the engine took from the queue, to run as attempt ``attempt`` under ``run_id``."""

    job_id: str
    run_id: str
    type: str
    attempt: int
    arguments: dict
    company_id: str
    project_id: str | None
    task_id: str | None
    model_id: str | None
    max_attempts: int = 1


def retry_delay(attempt: int) -> float:
    """Seconds before attempt ``attempt + 1`` after attempt ``attempt`` failed: 0.5, 1, 2, ... 60."""
    return min(60.0, 0.5 * 2 ** (attempt - 1))


def _may_see(caller: Caller, company_id: str, project_id: str | None) -> bool:
    """The suite's rule for jobs: a project's jobs need at least PROJECT_VIEW, company-level
    jobs a company manager; another company's jobs are invisible."""
    if caller.internal:
        return True
    if not company_id or company_id != caller.company_id:
        return False
    if project_id is None:
        return caller.is_company_manager
    return caller.project_role(project_id) is not None


class Jobs:
    def __init__(
        self, database: Database, log: EventLog, feed: EventFeed, registry: HandlerRegistry,
        project_company: ProjectCompany, plans=None, name_lookup: NameLookup | None = None,
    ):
        self._database = database
        self._name_lookup = name_lookup
        self._plans = plans  # identity.remote.CompanyPlans: max_concurrent_jobs
        self._log = log
        self._feed = feed
        self._registry = registry
        self._project_company = project_company
        self.on_submitted: Callable[[], None] = lambda: None

    # -- reading -------------------------------------------------------------------------

    async def _visible_job(
        self, session, caller: Caller, job_id: str, needed: ProjectRole, action: str
    ) -> JobRow:
        job = await session.get(JobRow, job_id) if job_id else None
        if job is None or not caller.sees_company(job.company_id) or (
            not caller.internal and not job.company_id
        ):
            raise not_found("job", job_id)
        if caller.internal:
            return job
        if job.project_id is None:
            caller.require_company_manager(f"{action} a company-level job")
        else:
            caller.require_project_role(job.project_id, job.company_id, needed, action)
        return job

    async def get(self, caller: Caller, job_id: str) -> JobRow:
        async with self._database.reading() as session:
            return await self._visible_job(session, caller, job_id, ProjectRole.VIEW, "reading")

    async def list(
        self, caller: Caller, job_filter: JobFilter, page_size: int, page_token: str
    ) -> tuple[list[JobRow], str]:
        page = paging.parse(
            page_size, page_token,
            paging.fingerprint("jobs", caller.user_id, caller.company_id, job_filter.project_id,
                               job_filter.task_id, job_filter.model_id,
                               sorted(s.value for s in job_filter.statuses),
                               sorted(job_filter.types)),
        )
        query = select(JobRow).where(*job_filter.where(JobRow))
        if not caller.internal:
            query = query.where(JobRow.company_id == caller.require_company())
            if not caller.is_company_manager:
                visible = sorted(p for p in caller.project_roles if caller.project_role(p))
                query = query.where(JobRow.project_id.in_(visible))
        if page.after is not None:
            query = query.where(JobRow.submit_sequence < page.after[0])
        query = query.order_by(JobRow.submit_sequence.desc()).limit(page.size + 1)
        async with self._database.reading() as session:
            rows = list((await session.exec(query)).all())
        return rows[: page.size], paging.next_token(page, rows, lambda row: [row.submit_sequence])

    async def names(self, jobs: list[JobRow]) -> dict[str, JobNames]:
        """Job id -> the names of what it concerns, looked up once for all the jobs (names can
        change, so they are read, not stored with the job)."""
        concerned = [job for job in jobs if job.project_id or job.task_id or job.model_id]
        if self._name_lookup is None or not concerned:
            return {}
        found = await self._name_lookup(
            {job.project_id for job in concerned if job.project_id},
            {job.task_id for job in concerned if job.task_id},
            {job.model_id for job in concerned if job.model_id})
        return {job.id: JobNames(found.projects.get(job.project_id or "", ""),
                                 found.tasks.get(job.task_id or "", ""),
                                 found.models.get(job.model_id or "", ""))
                for job in concerned}

    # -- submitting ----------------------------------------------------------------------

    def _check_draft(self, draft: JobDraft, prefix: str = "") -> JobDraft:
        violations: list[FieldViolation] = []
        job_type = check_text(violations, f"{prefix}type", draft.type, 64)
        registration = self._registry.get(job_type) if job_type else None
        if job_type and registration is None:
            violations.append(FieldViolation(
                f"{prefix}type",
                f"no handler is registered for job type '{job_type}'; known types: "
                f"{', '.join(self._registry.types())}",
            ))
        max_attempts = draft.max_attempts or (
            registration.max_attempts if registration and registration.max_attempts
            else DEFAULT_MAX_ATTEMPTS
        )
        if not 1 <= max_attempts <= MAX_MAX_ATTEMPTS:
            violations.append(FieldViolation(
                f"{prefix}max_attempts", f"must be between 1 and {MAX_MAX_ATTEMPTS}"
            ))
        for name in ("company_id", "project_id", "task_id", "model_id"):
            value = getattr(draft, name)
            if value and len(value) > 32:
                violations.append(FieldViolation(f"{prefix}{name}", "is not an id"))
        request_id = check_text(violations, f"{prefix}request_id", draft.request_id or "", 64,
                                required=False)
        if draft.project_id and not draft.company_id:
            violations.append(FieldViolation(
                f"{prefix}company_id", "is required when project_id is set"
            ))
        require(violations)
        return JobDraft(
            type=job_type, arguments=dict(draft.arguments), company_id=draft.company_id,
            project_id=draft.project_id or None, task_id=draft.task_id or None,
            model_id=draft.model_id or None, max_attempts=max_attempts,
            request_id=request_id or None, schedule_time=draft.schedule_time,
            enforce_plan_limit=draft.enforce_plan_limit,
        )

    async def submit(self, draft: JobDraft) -> JobRow:
        """Store a QUEUED job (internal callers only: the servicer's internal method).

        A draft with ``enforce_plan_limit`` is refused (RESOURCE_EXHAUSTED, PLAN_LIMIT_REACHED)
        when its company's unfinished jobs (queued, starting or running) already number its
        plan's max_concurrent_jobs. Counted in the event log's transaction, which writers
        enter one at a time."""
        draft = self._check_draft(draft)
        limits = (await self._plans.limits(draft.company_id)
                  if draft.enforce_plan_limit and self._plans is not None else UNLIMITED)
        now = utcnow()
        job = JobRow(
            id=new_id(), type=draft.type, status=JobStatus.QUEUED.value,
            company_id=draft.company_id, project_id=draft.project_id, task_id=draft.task_id,
            model_id=draft.model_id, arguments=draft.arguments,
            max_attempts=draft.max_attempts, request_id=draft.request_id,
            schedule_time=as_utc(draft.schedule_time) or now, create_time=now, update_time=now,
        )


        async def store(writer):
            if draft.request_id:  # in the transaction: it sees submissions of the same batch
                existing = (await writer.session.exec(select(JobRow).where(
                    JobRow.company_id == draft.company_id, JobRow.request_id == draft.request_id
                ))).first()
                if existing is not None:
                    return existing
            await check_count(
                writer.session, limits, draft.company_id, "max_concurrent_jobs",
                select(func.count()).select_from(JobRow).where(
                    JobRow.company_id == draft.company_id,
                    JobRow.status.in_([JobStatus.QUEUED.value, *(s.value for s in IN_FLIGHT)])),
                "unfinished jobs at once", "wait for one of your jobs to finish, or cancel one")
            writer.session.add(job)
            job.submit_sequence = await writer.append(job, EventType.STATUS_CHANGED, "submitted")
            return job

        try:
            job = await self._log.write(store)
        except IntegrityError as error:
            if draft.request_id and is_unique_violation(error):
                existing = await self._by_request_id(draft.company_id, draft.request_id)
                if existing is not None:
                    return existing
            raise
        # This replica's engine claims it now, not when the event feed next brings it.
        self.on_submitted()
        return job

    async def _by_request_id(self, company_id: str, request_id: str) -> JobRow | None:
        async with self._database.reading() as session:
            return (await session.exec(select(JobRow).where(
                JobRow.company_id == company_id, JobRow.request_id == request_id
            ))).first()

    async def submit_diagnostics(
        self, caller: Caller, project_id: str | None, arguments: dict, max_attempts: int,
        request_id: str | None,
    ) -> JobRow:
        """A diagnostics job for a project (PROJECT_USER) or the company (manager)."""
        if project_id:
            company_id = await self._project_company(project_id)
            caller.require_project_role(
                project_id, company_id, ProjectRole.USER, "submitting a diagnostics job"
            )
        else:
            company_id = caller.require_company_manager("submitting a company-level job")
        return await self.submit(JobDraft(
            type="diagnostics", arguments=arguments, company_id=company_id,
            project_id=project_id or None, max_attempts=max_attempts, request_id=request_id,
            enforce_plan_limit=True,
        ))

    # -- cancelling ----------------------------------------------------------------------

    async def cancel(self, caller: Caller, job_id: str) -> JobRow:
        async def change(writer):
            job = await self._visible_job(
                writer.session, caller, job_id, ProjectRole.USER, "cancelling"
            )
            status = JobStatus(job.status)
            if status.terminal or job.cancel_requested:
                return job
            if status is JobStatus.RUNNING:
                job.cancel_requested = True
                await writer.append(job, EventType.CANCEL_REQUESTED,
                                    f"cancellation requested by {caller.user_id}")
            else:  # QUEUED or STARTING: it never begins (a worker that starts it is told no)
                job.cancel_requested = True
                self._finish(job, JobStatus.CANCELLED)
                await writer.append(job, EventType.STATUS_CHANGED,
                                    f"cancelled by {caller.user_id} before it began")
            return job

        return await self._log.write(change)

    # -- watching ------------------------------------------------------------------------

    async def watch_job(self, caller: Caller, job_id: str, after: int) -> AsyncIterator[JobEvent]:
        """The job's events after ``after``, ending with its terminal event."""
        job = await self.get(caller, job_id)
        if JobStatus(job.status).terminal and job.last_sequence <= after:
            return

        async def read_log(cursor: int, up_to: int) -> list[JobEvent]:
            return await self._log.read(cursor, up_to, where=[JobEventRow.job_id == job_id])

        async for event in self._feed.follow(
            max(after, job.submit_sequence - 1), lambda e: e.job_id == job_id, read_log
        ):
            yield event
            if event.status.terminal and event.event_type is EventType.STATUS_CHANGED:
                return

    async def watch_jobs(
        self, caller: Caller, job_filter: JobFilter, after: int, heartbeat_seconds: float
    ) -> AsyncIterator[JobEvent]:
        """Events of the jobs ``caller`` may see that match ``job_filter``, forever."""
        if not caller.internal:
            caller.require_company()
        if after <= 0:
            after = self._feed.high_water
            yield JobEvent.heartbeat(after)  # the point to resume from
        where = job_filter.where(JobEventRow)
        if not caller.internal:
            where.append(JobEventRow.company_id == caller.company_id)

        async def read_log(cursor: int, up_to: int) -> list[JobEvent]:
            return await self._log.read(cursor, up_to, where=where)

        def matches(event: JobEvent) -> bool:
            return job_filter.matches(event) and _may_see(
                caller, event.company_id, event.project_id
            )

        async for event in self._feed.follow(after, matches, read_log, heartbeat_seconds):
            yield event

    # -- the engine's side ---------------------------------------------------------------

    @staticmethod
    def _finish(job: JobRow, status: JobStatus, error: tuple[str, str] | None = None) -> None:
        job.status = status.value
        job.finish_time = utcnow()
        job.owner = job.lease_expire_time = None
        if error:
            job.error_reason, job.error_message = error[0], error[1][:2000]

    async def claim_due(self, owner: str, limit: int, lease_seconds: float) -> list[Claim]:
        """Take up to ``limit`` due QUEUED jobs for ``owner``'s engine (STARTING)."""
        now = utcnow()
        claims = []

        async def change(writer):
            jobs = (await writer.session.exec(
                select(JobRow)
                .where(JobRow.status == JobStatus.QUEUED.value, JobRow.schedule_time <= now)
                .order_by(JobRow.schedule_time, JobRow.submit_sequence)
                .limit(limit)
            )).all()
            for job in jobs:
                if job.attempt >= job.max_attempts:  # it was requeued after its last attempt
                    self._finish(job, JobStatus.FAILED, (
                        "JOB_ATTEMPTS_EXHAUSTED",
                        f"all {job.max_attempts} attempts were interrupted "
                        "(the service or worker running them stopped)",
                    ))
                    await writer.append(job, EventType.STATUS_CHANGED, "no attempt left",
                                        (job.error_reason, job.error_message))
                    continue
                job.status = JobStatus.STARTING.value
                job.attempt += 1
                job.run_id = new_id()
                job.owner = owner
                job.lease_expire_time = now + timedelta(seconds=lease_seconds)
                await writer.append(job, EventType.STATUS_CHANGED,
                                    f"attempt {job.attempt} of {job.max_attempts} handed to the engine")
                claims.append(Claim(
                    job.id, job.run_id, job.type, job.attempt, dict(job.arguments),
                    job.company_id, job.project_id, job.task_id, job.model_id, job.max_attempts,
                ))

        await self._log.write(change)
        return claims

    async def next_due_time(self) -> datetime | None:
        async with self._database.reading() as session:
            job = (await session.exec(
                select(JobRow).where(JobRow.status == JobStatus.QUEUED.value)
                .order_by(JobRow.schedule_time).limit(1)
            )).first()
        return as_utc(job.schedule_time) if job else None

    async def _attempt(self, session, job_id: str, run_id: str) -> JobRow:
        job = await session.get(JobRow, job_id)
        if job is None:
            raise not_found("job", job_id)
        if job.run_id != run_id or JobStatus(job.status) not in IN_FLIGHT:
            raise FailedPrecondition(
                reason="JOB_RUN_SUPERSEDED",
                message=f"job '{job_id}' is no longer run by this attempt: stop working on it",
                metadata={"id": job_id},
            )
        return job

    async def start_attempt(self, job_id: str, run_id: str) -> tuple[bool, JobRow]:
        """A worker begins the attempt: RUNNING, unless it was cancelled or superseded."""

        async def change(writer):
            job = await writer.session.get(JobRow, job_id)
            if job is None:
                raise not_found("job", job_id)
            if job.run_id != run_id or JobStatus(job.status) not in IN_FLIGHT:
                return False, job
            if job.cancel_requested:
                return False, job
            if job.status == JobStatus.STARTING.value:
                job.status = JobStatus.RUNNING.value
                job.start_time = utcnow()
                await writer.append(job, EventType.STATUS_CHANGED,
                                    f"attempt {job.attempt} running")
            return True, job

        return await self._log.write(change)

    async def report_progress(
        self, job_id: str, run_id: str, fraction: float, message: str
    ) -> bool:
        """Record progress of the running attempt; answers whether it should stop."""
        violations: list[FieldViolation] = []
        if not (0.0 <= fraction <= 1.0) or math.isnan(fraction):
            violations.append(FieldViolation("progress.fraction", "must be between 0 and 1"))
        message = check_text(violations, "progress.message", message, 500, required=False)
        require(violations)

        async def change(writer):
            job = await self._attempt(writer.session, job_id, run_id)
            job.progress_fraction, job.progress_message = fraction, message
            await writer.append(job, EventType.PROGRESS, message)
            return job.cancel_requested

        return await self._log.write(change)

    async def check_cancellation(self, job_id: str, run_id: str) -> bool:
        async with self._database.reading() as session:
            job = await self._attempt(session, job_id, run_id)
            return job.cancel_requested

    async def finish_attempt(self, job_id: str, run_id: str, outcome: dict) -> JobRow | None:
        """Record how an attempt ended (the engine's outcome dict); None when it no longer
        owned the job (cancelled before it began, or requeued)."""

        async def change(writer):
            job = await writer.session.get(JobRow, job_id)
            if job is None or job.run_id != run_id or JobStatus(job.status) not in IN_FLIGHT:
                return None
            kind = outcome.get("outcome")
            if kind in ("skipped", "interrupted"):  # nothing to record: the lease decides
                return None
            if job.cancel_requested or kind == "cancelled":
                self._finish(job, JobStatus.CANCELLED)
                await writer.append(job, EventType.STATUS_CHANGED, "cancelled while running")
            elif kind == "completed":
                job.result = outcome.get("result") or {}
                job.progress_fraction = 1.0
                self._finish(job, JobStatus.COMPLETED)
                await writer.append(job, EventType.STATUS_CHANGED, "completed")
            elif outcome.get("permanent") or job.attempt >= job.max_attempts:
                error = (outcome.get("reason") or "HANDLER_ERROR", outcome.get("message") or "")
                if not outcome.get("permanent"):
                    error = ("JOB_ATTEMPTS_EXHAUSTED",
                             f"all {job.max_attempts} attempts failed; the last with "
                             f"{error[0]}: {error[1]}")
                self._finish(job, JobStatus.FAILED, error)
                if outcome.get("permanent") and outcome.get("details"):
                    job.error_details = outcome["details"]
                await writer.append(job, EventType.STATUS_CHANGED, "failed", error)
            else:
                delay = retry_delay(job.attempt)
                job.status = JobStatus.QUEUED.value
                job.owner = job.lease_expire_time = job.run_id = None
                job.schedule_time = utcnow() + timedelta(seconds=delay)
                error = (outcome.get("reason") or "HANDLER_ERROR", outcome.get("message") or "")
                await writer.append(
                    job, EventType.STATUS_CHANGED,
                    f"attempt {job.attempt} failed; retrying in {delay:g} s", error,
                )
            return job

        return await self._log.write(change)

    async def renew_leases(self, owner: str, job_ids: list[str], lease_seconds: float) -> None:
        if not job_ids:
            return
        until = utcnow() + timedelta(seconds=lease_seconds)

        async def change(writer):
            jobs = (await writer.session.exec(select(JobRow).where(
                JobRow.owner == owner, JobRow.id.in_(job_ids),
                JobRow.status.in_([s.value for s in IN_FLIGHT]),
            ))).all()
            for job in jobs:
                job.lease_expire_time = until
                writer.session.add(job)

        await self._log.write(change)

    async def requeue(self, owner: str | None = None, reason: str = "") -> int:
        """Put back in the queue the in-flight jobs whose lease expired (``owner`` None), or
        every in-flight job of ``owner`` (an engine that stops). Returns how many."""
        now = utcnow()

        async def change(writer):
            query = select(JobRow).where(JobRow.status.in_([s.value for s in IN_FLIGHT]))
            if owner is None:
                query = query.where(or_(JobRow.lease_expire_time.is_(None),
                                        JobRow.lease_expire_time < now))
            else:
                query = query.where(JobRow.owner == owner)
            jobs = (await writer.session.exec(query)).all()
            for job in jobs:
                job.status = JobStatus.QUEUED.value
                job.owner = job.lease_expire_time = job.run_id = None
                job.schedule_time = now
                await writer.append(job, EventType.STATUS_CHANGED,
                                    f"attempt {job.attempt} interrupted ({reason}); requeued")
            return len(jobs)

        return await self._log.write(change)
