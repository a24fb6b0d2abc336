"""Data's initial tables: batches, and the index of the samples committed batches hold.

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


def upgrade() -> None:
    op.create_table(
        "data_batches",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=True),
        sa.Column("kpi_id", AutoString(length=32), nullable=True),
        sa.Column("kind", AutoString(length=16), nullable=False),
        sa.Column("state", AutoString(length=16), nullable=False),
        sa.Column("ingestion_job_id", AutoString(length=32), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("schema_columns", sa.JSON(), nullable=False),
        sa.Column("task_type", AutoString(length=40), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("first_sample_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sample_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stored_bytes", sa.BigInteger(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.Column("labelled_batches", sa.JSON(), nullable=True),
        sa.Column("storage_root", AutoString(length=1024), nullable=True),
        sa.Column("failure_message", AutoString(length=2000), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finish_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_data_batches_project_id", "data_batches", ["project_id"])
    op.create_index("ix_data_batches_kpi_id", "data_batches", ["kpi_id"])
    op.create_index("ix_data_batches_task_kind_state", "data_batches",
                    ["task_id", "kind", "state"])
    op.create_table(
        "data_samples",
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("sample_id", AutoString(length=200), nullable=False),
        sa.Column("batch_id", AutoString(length=32), nullable=False),
        sa.Column("has_target", sa.Boolean(), nullable=False),
        sa.Column("target_batch_id", AutoString(length=32), nullable=True),
        sa.PrimaryKeyConstraint("task_id", "sample_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("data_samples")
    op.drop_table("data_batches")
