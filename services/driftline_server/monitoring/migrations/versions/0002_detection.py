"""Monitoring: detection: detector states, quantity statuses, detected batches, the detection
event log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQUENCE_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, AutoString(length=length), nullable=False)


def upgrade() -> None:
    op.create_table(
        "monitoring_detection_states",
        _text("reference_id", 32), _text("task_id", 32), _text("model_id", 32),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        _time("update_time"),
        sa.PrimaryKeyConstraint("reference_id"),
    )
    op.create_index("ix_monitoring_detection_states_task_id", "monitoring_detection_states",
                    ["task_id"])
    op.create_table(
        "monitoring_quantity_statuses",
        _text("reference_id", 32), _text("quantity", 600), _text("task_id", 32),
        _text("model_id", 32), _text("target", 48), _text("metric", 32), _text("feature", 512),
        _text("status", 16), _time("status_time", nullable=True), _text("last_batch_id", 32),
        _time("update_time"),
        sa.PrimaryKeyConstraint("reference_id", "quantity"),
    )
    op.create_index("ix_monitoring_quantity_statuses_task_id", "monitoring_quantity_statuses",
                    ["task_id"])
    op.create_table(
        "monitoring_detected_batches",
        _text("reference_id", 32), _text("batch_id", 32),
        sa.Column("event_count", sa.Integer(), nullable=False),
        _time("record_time"),
        sa.PrimaryKeyConstraint("reference_id", "batch_id"),
    )
    op.create_table(
        "monitoring_detection_events",
        sa.Column("sequence", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
        _text("id", 32), _text("company_id", 32), _text("project_id", 32), _text("task_id", 32),
        _text("model_id", 32), _text("model_name", 256), _text("model_version", 256),
        _text("reference_id", 32), _text("batch_id", 32), _text("event_type", 16),
        _text("target", 48), _text("metric", 32), _text("feature", 512),
        _text("evaluation_metric", 32), _text("severity", 8), _text("previous_status", 16),
        _text("status", 16), _text("sample_id", 200), _time("sample_time", nullable=True),
        sa.Column("statistics", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("user_feedback", sa.Boolean(), nullable=True),
        _time("create_time"),
        sa.UniqueConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_monitoring_detection_events_task_sequence",
                    "monitoring_detection_events", ["task_id", "sequence"])
    op.create_index("ix_monitoring_detection_events_project_sequence",
                    "monitoring_detection_events", ["project_id", "sequence"])


def downgrade() -> None:
    op.drop_table("monitoring_detection_events")
    op.drop_table("monitoring_detected_batches")
    op.drop_table("monitoring_quantity_statuses")
    op.drop_table("monitoring_detection_states")
