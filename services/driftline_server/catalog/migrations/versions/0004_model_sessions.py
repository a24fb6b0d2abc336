"""Catalog: model sessions, their registry (build log entries and metrics), the models built in
them or detached, and the model session event log that WatchModelSession follows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _times() -> list[sa.Column]:
    return [sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
            sa.Column("end_time", sa.DateTime(timezone=True), nullable=True)]


def upgrade() -> None:
    op.create_table(
        "catalog_model_sessions",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("dataset_id", AutoString(length=200), nullable=False),
        sa.Column("category", AutoString(length=20), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("state", AutoString(length=24), nullable=False),
        *_times(),
        sa.Column("default_model_id", AutoString(length=32), nullable=False),
        sa.Column("build_log_count", sa.Integer(), nullable=False),
        sa.Column("first_sequence", SEQUENCE, nullable=False),
        sa.Column("last_sequence", SEQUENCE, nullable=False),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["catalog_projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_catalog_model_sessions_listing", "catalog_model_sessions",
                    ["project_id", "create_time", "id"])
    op.create_index("ix_catalog_model_sessions_by_dataset", "catalog_model_sessions",
                    ["project_id", "dataset_id", "create_time", "id"])
    op.create_table(
        "catalog_model_session_logs",
        sa.Column("model_session_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", AutoString(length=10), nullable=False),
        sa.Column("message", AutoString(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["model_session_id"], ["catalog_model_sessions.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("model_session_id", "position"),
    )
    op.create_table(
        "catalog_model_session_metrics",
        sa.Column("model_session_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["model_session_id"], ["catalog_model_sessions.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("model_session_id", "name"),
    )
    op.create_table(
        "catalog_built_models",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("model_session_id", sa.String(length=32), nullable=True),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("dataset_id", AutoString(length=200), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("state", AutoString(length=24), nullable=False),
        *_times(),
        sa.Column("binary_key", AutoString(length=1024), nullable=False),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["catalog_projects.id"]),
        sa.ForeignKeyConstraint(["model_session_id"], ["catalog_model_sessions.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_catalog_built_models_listing", "catalog_built_models",
                    ["project_id", "create_time", "id"])
    op.create_index("ix_catalog_built_models_of_session", "catalog_built_models",
                    ["model_session_id", "create_time", "id"])
    op.create_table(
        "catalog_model_session_events",
        sa.Column("sequence", SEQUENCE, autoincrement=True, nullable=False),
        sa.Column("event_type", AutoString(length=20), nullable=False),
        sa.Column("model_session_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("state", AutoString(length=24), nullable=False),
        sa.Column("previous_state", AutoString(length=24), nullable=True),
        *_times(),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_catalog_model_session_events_session", "catalog_model_session_events",
                    ["model_session_id", "sequence"])
    op.create_index("ix_catalog_model_session_events_project", "catalog_model_session_events",
                    ["project_id", "sequence"])


def downgrade() -> None:
    op.drop_table("catalog_model_session_events")
    op.drop_table("catalog_built_models")
    op.drop_table("catalog_model_session_metrics")
    op.drop_table("catalog_model_session_logs")
    op.drop_table("catalog_model_sessions")
