"""The job event log and its live feed (``platform.eventlog``: sequenced, group-committed,
followed by Watch streams).

Every change of a job appends one row to ``jobs_events`` in the transaction that changes the
job, through ``EventLog.write``; ``EventFeed`` serves WatchJob, WatchJobs and the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from driftline_server.jobs.models import JobEventRow, JobRow
from driftline_server.jobs.vocabulary import EventType, JobStatus
from driftline_server.platform.clock import as_utc, utcnow
from driftline_server.platform.database import Database
from driftline_server.platform.eventlog import LogFeed, LogWriter, SequencedLog, stopping_error

NOTIFY_CHANNEL = "driftline_jobs_events"
# Any constant works: every replica must use the same one.
_APPEND_LOCK_KEY = 0x6A6F627365767473  # "jobsevts"


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


class EventWriter(LogWriter):
    """Appends job events inside one job-changing transaction."""

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
        job.last_sequence = await self.add(row)
        job.update_time = row.event_time
        self.session.add(job)
        return row.sequence


class EventLog(SequencedLog[JobEvent, EventWriter]):
    """The jobs' event log."""

    def __init__(self, database: Database, max_batch: int = 256):
        super().__init__(database, JobEventRow, JobEvent.from_row, lock_key=_APPEND_LOCK_KEY,
                         notify_channel=NOTIFY_CHANNEL, writer_type=EventWriter,
                         max_batch=max_batch)


class EventFeed(LogFeed[JobEvent]):
    """The latest job events in memory, for every watcher of the process."""

    def __init__(self, log: EventLog, capacity: int = 4096, poll_seconds: float = 1.0):
        super().__init__(log, JobEvent.heartbeat, stopping_error("jobs"), capacity=capacity,
                         poll_seconds=poll_seconds)
