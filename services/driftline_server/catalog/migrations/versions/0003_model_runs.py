"""Catalog: model runs (free-form information in a project), their associations with models,
and SQLite's containment index of their information (PostgreSQL uses a GIN index instead).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel.sql.sqltypes import AutoString

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_model_runs",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("model_name", AutoString(length=200), nullable=False),
        sa.Column("info", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("info_digest", AutoString(length=64), nullable=False),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["catalog_projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_catalog_model_runs_listing", "catalog_model_runs",
                    ["project_id", "create_time", "id"])
    op.create_index("ix_catalog_model_runs_by_name", "catalog_model_runs",
                    ["project_id", "model_name", "create_time", "id"])
    op.create_index("ix_catalog_model_runs_digest", "catalog_model_runs",
                    ["project_id", "info_digest"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_catalog_model_runs_info", "catalog_model_runs", ["info"],
                        postgresql_using="gin", postgresql_ops={"info": "jsonb_path_ops"})
    op.create_table(
        "catalog_model_run_models",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["catalog_model_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["model_id"], ["catalog_models.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "model_id"),
    )
    op.create_index("ix_catalog_model_run_models_model_id", "catalog_model_run_models",
                    ["model_id"])
    op.create_table(
        "catalog_model_run_terms",
        sa.Column("term", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["catalog_model_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("term", "create_time", "run_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_catalog_model_run_terms_run_id", "catalog_model_run_terms", ["run_id"])


def downgrade() -> None:
    op.drop_table("catalog_model_run_terms")
    op.drop_table("catalog_model_run_models")
    op.drop_table("catalog_model_runs")
