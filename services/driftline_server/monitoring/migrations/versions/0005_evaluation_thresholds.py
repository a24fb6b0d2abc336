"""Monitoring: evaluation metric thresholds, and the statuses of the metrics compared with them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("monitoring_quantity_statuses") as batch:
        batch.add_column(sa.Column("evaluation_metric", AutoString(length=32), nullable=False,
                                   server_default=""))
    op.create_table(
        "monitoring_evaluation_thresholds",
        sa.Column("model_id", AutoString(length=32), nullable=False),
        sa.Column("evaluation_metric", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("warning_threshold", sa.Float(), nullable=False),
        sa.Column("drift_threshold", sa.Float(), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("model_id", "evaluation_metric"),
    )
    op.create_index("ix_monitoring_evaluation_thresholds_task_id",
                    "monitoring_evaluation_thresholds", ["task_id"])


def downgrade() -> None:
    op.drop_table("monitoring_evaluation_thresholds")
    with op.batch_alter_table("monitoring_quantity_statuses") as batch:
        batch.drop_column("evaluation_metric")
