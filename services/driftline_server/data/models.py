"""Data's tables: one row per batch, and the index of the samples that committed batches hold.

The samples themselves live in Parquet files (storage.py); the database keeps what must be
answered transactionally: which sample ids a task already has (so that an id is stored once), and
which samples have a target, and from which batch (so late targets join their samples).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def _time(nullable: bool = False) -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class BatchRow(SQLModel, table=True):
    __tablename__ = "data_batches"
    # AIP-155: a retried upload with the same request id finds the first batch of the project.
    __table_args__ = (
        sa.UniqueConstraint("project_id", "request_id"),
        sa.Index("ix_data_batches_task_kind_state", "task_id", "kind", "state"),
    )

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32, index=True)
    task_id: str | None = Field(default=None, max_length=32)
    kpi_id: str | None = Field(default=None, max_length=32, index=True)
    kind: str = Field(max_length=16)  # BatchKind without prefix: HISTORICAL, PRODUCTION, ...
    state: str = Field(max_length=16)  # PENDING, COMMITTED, FAILED
    ingestion_job_id: str | None = Field(default=None, max_length=32)
    # [{"kind": "INPUTS", "model_id": "", "format": "CSV", "size_bytes": 123, "path": "..."}]
    parts: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    schema_version: int = Field(default=0)
    # The schema's columns at upload time, as the ingestion job validates against them.
    schema_columns: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    task_type: str = Field(default="", max_length=40)
    row_count: int = Field(default=0, sa_type=sa.BigInteger)
    first_sample_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    last_sample_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    stored_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    problems: list | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    # For a TARGET batch: the sample batches whose samples it labels (ReadSamples joins them).
    labelled_batches: list | None = Field(
        default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    # Where the batch's Parquet file is kept: a CUSTOMER project's bucket (its data_storage_uri
    # at upload, e.g. "s3://acme-ml/driftline"); None for the server's own storage root.
    storage_root: str | None = Field(default=None, max_length=1024)
    failure_message: str = Field(default="", max_length=2000)
    request_id: str | None = Field(default=None, max_length=64)
    creator_id: str = Field(default="", max_length=64)
    create_time: datetime = Field(sa_column=_time())
    finish_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    # When Monitoring was told the batch is committed (it runs detection on it); None until
    # then, so that recovery tells it of batches a stopped server did not.
    monitoring_notify_time: datetime | None = Field(
        default=None, sa_column=_time(nullable=True))


class SampleRow(SQLModel, table=True):
    """One sample id of a task, stored once; written when its batch commits."""

    __tablename__ = "data_samples"
    # On SQLite the primary key is the table itself: one B-tree to insert into, not two.
    __table_args__ = ({"sqlite_with_rowid": False},)

    task_id: str = Field(primary_key=True, max_length=32)
    sample_id: str = Field(primary_key=True, max_length=200)
    batch_id: str = Field(max_length=32)
    has_target: bool = Field(default=False)
    # The TARGET batch that brought the sample's target after the sample; None otherwise.
    target_batch_id: str | None = Field(default=None, max_length=32)
