"""Monitoring: detection event rules and their actions' deliveries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "monitoring_rules",
        _text("id", 32), _text("company_id", 32), _text("project_id", 32), _text("task_id", 32),
        _text("name", 200), _text("model_name", 256), _text("severity", 8),
        _text("event_type", 16), _text("target", 48), _text("metric", 32),
        sa.Column("actions_shown", sa.JSON(), nullable=False),
        sa.Column("actions_sealed", sa.Text(), nullable=False),
        _text("request_id", 64, nullable=True), _text("creator_id", 64),
        _time("create_time"), _time("update_time"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "request_id"),
    )
    op.create_index("ix_monitoring_rules_task_id", "monitoring_rules", ["task_id"])
    op.create_table(
        "monitoring_action_deliveries",
        _text("event_id", 32), _text("rule_id", 32),
        sa.Column("action_index", sa.Integer(), nullable=False),
        _text("company_id", 32), _text("project_id", 32), _text("task_id", 32),
        _text("action_type", 48), _text("state", 16),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _text("last_error", 2000), _text("outcome", 500), _text("job_id", 32, nullable=True),
        _time("create_time"), _time("last_attempt_time", nullable=True),
        sa.PrimaryKeyConstraint("event_id", "rule_id", "action_index"),
    )
    op.create_index("ix_monitoring_action_deliveries_rule", "monitoring_action_deliveries",
                    ["rule_id", "create_time"])


def downgrade() -> None:
    op.drop_table("monitoring_action_deliveries")
    op.drop_table("monitoring_rules")
