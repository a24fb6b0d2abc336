"""Monitoring: retraining reports, their suggestions' samples, retrain triggers; references
set from a suggestion; KPI monitoring (states, and events of a KPI).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("monitoring_references") as batch:
        batch.add_column(_text("suggestion_id", 32, nullable=True))
        batch.add_column(_text("suggestion_model_id", 32, nullable=True))
    with op.batch_alter_table("monitoring_detection_events") as batch:
        batch.add_column(sa.Column("kpi_id", AutoString(length=32), nullable=False,
                                   server_default=""))
    op.create_table(
        "monitoring_kpi_states",
        _text("kpi_id", 32), _text("company_id", 32), _text("project_id", 32),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False), _text("status", 16),
        _time("status_time", nullable=True),
        sa.Column("reference_value_count", sa.Integer(), nullable=False),
        _text("last_batch_id", 32), _time("update_time"),
        sa.PrimaryKeyConstraint("kpi_id"),
    )
    op.create_table(
        "monitoring_retraining_reports",
        _text("id", 32), _text("company_id", 32), _text("project_id", 32), _text("task_id", 32),
        _text("model_id", 32), _text("reference_id", 32), _text("state", 16),
        _text("purpose", 16), _text("job_id", 32, nullable=True), _text("suggestion_type", 32),
        sa.Column("sample_count", sa.BigInteger(), nullable=False),
        sa.Column("executed", sa.Boolean(), nullable=False),
        sa.Column("effective_sample_size", sa.Float(), nullable=False),
        _text("metric_name", 32),
        sa.Column("performance_lower_bound", sa.Float(), nullable=True),
        sa.Column("performance_upper_bound", sa.Float(), nullable=True),
        sa.Column("bounds_available", sa.JSON(), nullable=False),
        sa.Column("cost_lower_bound", sa.Float(), nullable=True),
        sa.Column("cost_upper_bound", sa.Float(), nullable=True),
        _text("method", 32),
        sa.Column("method_scores", sa.JSON(), nullable=False),
        sa.Column("diagnostics", sa.JSON(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("reference_sample_count", sa.BigInteger(), nullable=False),
        sa.Column("production_sample_count", sa.BigInteger(), nullable=False),
        _text("failure_message", 2000), _text("trigger_outcome", 1000),
        sa.Column("triggered", sa.Boolean(), nullable=False),
        _text("request_id", 80, nullable=True), _text("creator_id", 64),
        _time("create_time"), _time("finish_time", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model_id", "request_id"),
    )
    op.create_index("ix_monitoring_retraining_reports_model_time",
                    "monitoring_retraining_reports", ["model_id", "create_time"])
    op.create_table(
        "monitoring_retraining_samples",
        _text("report_id", 32), sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_table(
        "monitoring_retrain_triggers",
        _text("model_id", 32), _text("company_id", 32), _text("project_id", 32),
        _text("task_id", 32), sa.Column("trigger", sa.JSON(), nullable=False),
        _time("update_time"),
        sa.PrimaryKeyConstraint("model_id"),
    )


def downgrade() -> None:
    with op.batch_alter_table("monitoring_references") as batch:
        batch.drop_column("suggestion_model_id")
        batch.drop_column("suggestion_id")
    op.drop_table("monitoring_kpi_states")
    with op.batch_alter_table("monitoring_detection_events") as batch:
        batch.drop_column("kpi_id")
    op.drop_table("monitoring_retrain_triggers")
    op.drop_table("monitoring_retraining_samples")
    op.drop_table("monitoring_retraining_reports")
