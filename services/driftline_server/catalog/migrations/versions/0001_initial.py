"""Catalog's initial tables: projects, tasks, models (one row per version), data schemas (one row
per version) and KPIs.

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


def _times() -> list[sa.Column]:
    return [
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "catalog_projects",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("description", AutoString(length=2000), nullable=False),
        sa.Column("default_storage_policy", AutoString(length=32), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        *_times(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "request_id"),
    )
    op.create_index("ix_catalog_projects_company_id", "catalog_projects", ["company_id"])
    op.create_table(
        "catalog_tasks",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("task_type", AutoString(length=40), nullable=False),
        sa.Column("data_structure", AutoString(length=20), nullable=False),
        sa.Column("cost_info", sa.JSON(), nullable=True),
        sa.Column("optional_target", sa.Boolean(), nullable=False),
        sa.Column("text_language", AutoString(length=20), nullable=True),
        sa.Column("positive_class", sa.JSON(), nullable=True),
        sa.Column("rag_contexts_separator", AutoString(length=100), nullable=True),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        *_times(),
        sa.ForeignKeyConstraint(["project_id"], ["catalog_projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_catalog_tasks_project_id", "catalog_tasks", ["project_id"])
    op.create_table(
        "catalog_models",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("version", AutoString(length=100), nullable=False),
        sa.Column("metric_name", AutoString(length=40), nullable=True),
        sa.Column("with_probabilistic_output", sa.Boolean(), nullable=False),
        sa.Column("preferred_suggestion_type", AutoString(length=40), nullable=True),
        sa.Column("resampled_dataset_size", sa.BigInteger(), nullable=True),
        sa.Column("retraining_cost_amount", AutoString(length=40), nullable=False),
        sa.Column("retraining_cost_currency", AutoString(length=20), nullable=True),
        sa.Column("previous_version_id", AutoString(length=32), nullable=True),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        *_times(),
        sa.ForeignKeyConstraint(["task_id"], ["catalog_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "name", "version"),
        sa.UniqueConstraint("task_id", "request_id"),
    )
    op.create_index("ix_catalog_models_task_id", "catalog_models", ["task_id"])
    op.create_table(
        "catalog_data_schemas",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["catalog_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "version"),
    )
    op.create_index("ix_catalog_data_schemas_task_id", "catalog_data_schemas", ["task_id"])
    op.create_table(
        "catalog_kpis",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        *_times(),
        sa.ForeignKeyConstraint(["project_id"], ["catalog_projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_catalog_kpis_project_id", "catalog_kpis", ["project_id"])


def downgrade() -> None:
    op.drop_table("catalog_kpis")
    op.drop_table("catalog_data_schemas")
    op.drop_table("catalog_models")
    op.drop_table("catalog_tasks")
    op.drop_table("catalog_projects")
