"""Jobs' initial tables: jobs and their event log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY is the rowid.
SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "jobs_jobs",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("type", AutoString(length=64), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=True),
        sa.Column("task_id", AutoString(length=32), nullable=True),
        sa.Column("model_id", AutoString(length=32), nullable=True),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("progress_fraction", sa.Float(), nullable=False),
        sa.Column("progress_message", AutoString(length=500), nullable=False),
        sa.Column("error_reason", AutoString(length=64), nullable=True),
        sa.Column("error_message", AutoString(length=2000), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("run_id", AutoString(length=32), nullable=True),
        sa.Column("owner", AutoString(length=64), nullable=True),
        sa.Column("lease_expire_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("schedule_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("submit_sequence", SEQUENCE, nullable=False),
        sa.Column("last_sequence", SEQUENCE, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finish_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "request_id"),
    )
    op.create_index("ix_jobs_jobs_company_id", "jobs_jobs", ["company_id"])
    op.create_index("ix_jobs_jobs_project_id", "jobs_jobs", ["project_id"])
    op.create_index("ix_jobs_jobs_status_schedule_time", "jobs_jobs", ["status", "schedule_time"])
    op.create_table(
        "jobs_events",
        sa.Column("sequence", SEQUENCE, autoincrement=True, nullable=False),
        sa.Column("job_id", AutoString(length=32), nullable=False),
        sa.Column("job_type", AutoString(length=64), nullable=False),
        sa.Column("event_type", AutoString(length=32), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("progress_fraction", sa.Float(), nullable=False),
        sa.Column("progress_message", AutoString(length=500), nullable=False),
        sa.Column("error_reason", AutoString(length=64), nullable=True),
        sa.Column("error_message", AutoString(length=2000), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("message", AutoString(length=500), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=True),
        sa.Column("task_id", AutoString(length=32), nullable=True),
        sa.Column("model_id", AutoString(length=32), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_jobs_events_job_id", "jobs_events", ["job_id"])


def downgrade() -> None:
    op.drop_index("ix_jobs_events_job_id", table_name="jobs_events")
    op.drop_table("jobs_events")
    op.drop_index("ix_jobs_jobs_status_schedule_time", table_name="jobs_jobs")
    op.drop_index("ix_jobs_jobs_project_id", table_name="jobs_jobs")
    op.drop_index("ix_jobs_jobs_company_id", table_name="jobs_jobs")
    op.drop_table("jobs_jobs")
