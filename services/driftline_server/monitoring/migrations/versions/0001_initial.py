"""Monitoring's initial tables: model references and what their jobs fitted.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_references",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("model_id", AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", AutoString(length=16), nullable=False),
        sa.Column("from_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("to_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job_id", AutoString(length=32), nullable=True),
        sa.Column("sample_count", sa.BigInteger(), nullable=False),
        sa.Column("labelled_sample_count", sa.BigInteger(), nullable=False),
        sa.Column("drift_mean_run_length", sa.Float(), nullable=False),
        sa.Column("warning_mean_run_length", sa.Float(), nullable=False),
        sa.Column("min_samples", sa.Integer(), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("skipped_targets", sa.JSON(), nullable=False),
        sa.Column("failure_message", AutoString(length=2000), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finish_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model_id", "version"),
        sa.UniqueConstraint("model_id", "request_id"),
    )
    op.create_index("ix_monitoring_references_task_id", "monitoring_references", ["task_id"])
    op.create_table(
        "monitoring_reference_fits",
        sa.Column("reference_id", AutoString(length=32), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("reference_id"),
    )


def downgrade() -> None:
    op.drop_table("monitoring_reference_fits")
    op.drop_table("monitoring_references")
