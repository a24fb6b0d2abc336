"""Jobs' tables: the jobs themselves and their event log.

The event log (``jobs_events``) is the single source of truth for watchers: one row per status
change or progress report, keyed by a sequence number the database assigns and never reuses.
Statuses and event types are stored as their names (``RUNNING``), times as timezone-aware UTC.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# SQLite reuses the rowid of a deleted last row unless the table says AUTOINCREMENT, and only an
# INTEGER (not BIGINT) primary key is its rowid: hence the variant and sqlite_autoincrement.
SEQUENCE_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time(nullable: bool = False) -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class JobRow(SQLModel, table=True):
    __tablename__ = "jobs_jobs"
    __table_args__ = (
        # AIP-155: a retried submission with the same request id finds the first job.
        sa.UniqueConstraint("company_id", "request_id"),
        # The dispatcher's question: which queued jobs are due?
        sa.Index("ix_jobs_jobs_status_schedule_time", "status", "schedule_time"),
    )

    id: str = Field(primary_key=True, max_length=32)
    type: str = Field(max_length=64)
    status: str = Field(max_length=16)
    # "" for the suite's own jobs, which belong to no company.
    company_id: str = Field(max_length=32, index=True)
    project_id: str | None = Field(default=None, max_length=32, index=True)
    task_id: str | None = Field(default=None, max_length=32)
    model_id: str | None = Field(default=None, max_length=32)
    arguments: dict = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    result: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    progress_fraction: float = Field(default=0.0)
    progress_message: str = Field(default="", max_length=500)
    error_reason: str | None = Field(default=None, max_length=64)
    error_message: str | None = Field(default=None, max_length=2000)
    # Structured facts of a failure, from handlers that have them (JobFailure.details).
    error_details: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    attempt: int = Field(default=0)
    max_attempts: int = Field(default=3)
    cancel_requested: bool = Field(default=False)
    # The engine's token of the current attempt: reports from an older attempt are refused.
    run_id: str | None = Field(default=None, max_length=32)
    # The replica whose engine runs the current attempt, and until when it holds the job
    # without renewing: past that, any replica puts the job back in the queue.
    owner: str | None = Field(default=None, max_length=64)
    lease_expire_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    schedule_time: datetime = Field(sa_column=_time())
    request_id: str | None = Field(default=None, max_length=64)
    # Sequence of the job's first event: a growing sort key for listings, newest first.
    submit_sequence: int = Field(default=0, sa_column=sa.Column(SEQUENCE_TYPE, nullable=False))
    last_sequence: int = Field(default=0, sa_column=sa.Column(SEQUENCE_TYPE, nullable=False))
    create_time: datetime = Field(sa_column=_time())
    start_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    finish_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    update_time: datetime = Field(sa_column=_time())


class JobEventRow(SQLModel, table=True):
    __tablename__ = "jobs_events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    sequence: int | None = Field(
        default=None,
        sa_column=sa.Column(SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    )
    job_id: str = Field(max_length=32, index=True)
    job_type: str = Field(max_length=64)
    event_type: str = Field(max_length=32)
    # The job as the event leaves it, copied so that watchers never join.
    status: str = Field(max_length=16)
    progress_fraction: float = Field(default=0.0)
    progress_message: str = Field(default="", max_length=500)
    error_reason: str | None = Field(default=None, max_length=64)
    error_message: str | None = Field(default=None, max_length=2000)
    attempt: int = Field(default=0)
    message: str = Field(default="", max_length=500)
    company_id: str = Field(max_length=32)
    project_id: str | None = Field(default=None, max_length=32)
    task_id: str | None = Field(default=None, max_length=32)
    model_id: str | None = Field(default=None, max_length=32)
    event_time: datetime = Field(sa_column=_time())
