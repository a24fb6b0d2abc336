"""Catalog: experiments, their models (addressed by a hash unique in the experiment) and what
each model owns: iterations, metric points and modules.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _owner(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "catalog_experiments",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("description", AutoString(length=2000), nullable=False),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["catalog_projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "request_id"),
    )
    op.create_index("ix_catalog_experiments_listing", "catalog_experiments",
                    ["project_id", "create_time", "id"])
    op.create_table(
        "catalog_experiment_models",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("experiment_id", sa.String(length=32), nullable=False),
        sa.Column("hash", AutoString(length=128), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("description", AutoString(length=2000), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=True),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        _owner("experiment_id", "catalog_experiments"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("experiment_id", "hash"),
        sa.UniqueConstraint("experiment_id", "request_id"),
    )
    op.create_index("ix_catalog_experiment_models_listing", "catalog_experiment_models",
                    ["experiment_id", "create_time", "id"])
    op.create_table(
        "catalog_experiment_iterations",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.Column("phase", AutoString(length=20), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        _owner("model_id", "catalog_experiment_models"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model_id", "phase", "epoch"),
        sa.UniqueConstraint("model_id", "request_id"),
    )
    op.create_index("ix_catalog_experiment_iterations_listing", "catalog_experiment_iterations",
                    ["model_id", "start_time", "id"])
    op.create_table(
        "catalog_experiment_metrics",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False,
                  autoincrement=True),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=True),
        sa.Column("epoch", sa.BigInteger(), nullable=True),
        sa.Column("step", sa.BigInteger(), nullable=True),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalog_experiment_metrics_listing", "catalog_experiment_metrics",
                    ["model_id", "name", "time", "id"])
    op.create_table(
        "catalog_experiment_modules",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("type", AutoString(length=200), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("hash", AutoString(length=128), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        _owner("model_id", "catalog_experiment_models"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model_id", "name"),
    )
    op.create_index("ix_catalog_experiment_modules_listing", "catalog_experiment_modules",
                    ["model_id", "create_time", "id"])


def downgrade() -> None:
    op.drop_table("catalog_experiment_modules")
    op.drop_table("catalog_experiment_metrics")
    op.drop_table("catalog_experiment_iterations")
    op.drop_table("catalog_experiment_models")
    op.drop_table("catalog_experiments")
