"""Monitoring's tables: model references (one row per reference of a model, numbered 1, 2, ...)
and what their jobs fitted, kept apart so that listing references never loads it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def _time(nullable: bool = False) -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class ReferenceRow(SQLModel, table=True):
    __tablename__ = "monitoring_references"
    __table_args__ = (
        # The numbering of a model's references; a concurrent setter that loses retries.
        sa.UniqueConstraint("model_id", "version"),
        # AIP-155: a retried SetModelReference with the same request id finds the first one.
        sa.UniqueConstraint("model_id", "request_id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32)
    project_id: str = Field(max_length=32)
    task_id: str = Field(max_length=32, index=True)
    model_id: str = Field(max_length=32)
    version: int = Field()
    state: str = Field(max_length=16)  # ReferenceState: PENDING, COMPLETE, FAILED
    from_time: datetime = Field(sa_column=_time())
    to_time: datetime = Field(sa_column=_time())
    job_id: str | None = Field(default=None, max_length=32)
    sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    labelled_sample_count: int = Field(default=0, sa_type=sa.BigInteger)
    # The calibration targets, recorded when the reference is set (the server's settings then).
    drift_mean_run_length: float = Field()
    warning_mean_run_length: float = Field()
    min_samples: int = Field()
    # [{"target": "INPUT", "metric": "FEATURE", "feature": "age", "columns": [...],
    #   "statistic": "value", "detector": "cusum", "warning_threshold": ..., ...}]
    quantities: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    # [{"target": "ERROR", "reason": "..."}]
    skipped_targets: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    failure_message: str = Field(default="", max_length=2000)
    request_id: str | None = Field(default=None, max_length=64)
    creator_id: str = Field(default="", max_length=64)
    create_time: datetime = Field(sa_column=_time())
    finish_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))


class ReferenceFitRow(SQLModel, table=True):
    """What a COMPLETE reference's job fitted: profiles and detectors (references.py's format)."""

    __tablename__ = "monitoring_reference_fits"

    reference_id: str = Field(primary_key=True, max_length=32)
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary(), nullable=False))
    size_bytes: int = Field(default=0, sa_type=sa.BigInteger)
