"""Monitoring: task reports (RAG evaluation, topic modelling).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_task_reports",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("kind", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("state", AutoString(length=16), nullable=False),
        sa.Column("from_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("to_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job_id", AutoString(length=32), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("sample_count", sa.BigInteger(), nullable=False),
        sa.Column("samples_path", AutoString(length=1024), nullable=False),
        sa.Column("failure_message", AutoString(length=2000), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finish_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "kind", "request_id"),
    )
    op.create_index("ix_monitoring_task_reports_task_time", "monitoring_task_reports",
                    ["task_id", "kind", "create_time"])


def downgrade() -> None:
    op.drop_table("monitoring_task_reports")
