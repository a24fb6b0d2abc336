"""Catalog: Python models (a definition in source code per model of a task), the training of
each of their versions, and which Python model a model version was trained from.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
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
        "catalog_python_models",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("task_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("source_code", sa.Text(), nullable=False),
        sa.Column("functions", sa.JSON(), nullable=False),
        sa.Column("training_inputs", sa.JSON(), nullable=False),
        sa.Column("cpu_size", AutoString(length=20), nullable=False),
        sa.Column("memory_gb", sa.Integer(), nullable=False),
        sa.Column("package_requirements", sa.JSON(), nullable=False),
        sa.Column("use_gpu", sa.Boolean(), nullable=False),
        sa.Column("is_thread_safe", sa.Boolean(), nullable=False),
        sa.Column("training_config", sa.JSON(), nullable=False),
        sa.Column("metric_name", AutoString(length=40), nullable=True),
        sa.Column("with_probabilistic_output", sa.Boolean(), nullable=False),
        sa.Column("training_timeout_seconds", sa.Integer(), nullable=False),
        sa.Column("prediction_timeout_seconds", sa.Integer(), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("latest_version_id", AutoString(length=32), nullable=True),
        sa.Column("creator_id", AutoString(length=64), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["catalog_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "name"),
        sa.UniqueConstraint("task_id", "request_id"),
    )
    op.create_index("ix_catalog_python_models_task_id", "catalog_python_models", ["task_id"])
    op.create_table(
        "catalog_python_model_versions",
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("python_model_id", AutoString(length=32), nullable=False),
        sa.Column("status", AutoString(length=20), nullable=False),
        sa.Column("job_id", AutoString(length=32), nullable=True),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("error", AutoString(length=4000), nullable=False),
        sa.Column("failure", AutoString(length=20), nullable=True),
        sa.Column("output_tail", sa.Text(), nullable=False),
        sa.Column("training_start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("training_complete_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("training_sample_count", sa.BigInteger(), nullable=False),
        sa.Column("sample_weighted", sa.Boolean(), nullable=False),
        sa.Column("suggestion_id", AutoString(length=32), nullable=True),
        sa.Column("suggestion_from_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suggestion_to_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("previous_version_id", AutoString(length=32), nullable=True),
        sa.Column("set_reference", sa.Boolean(), nullable=False),
        sa.Column("reference_job_id", AutoString(length=32), nullable=True),
        sa.Column("artifact_path", AutoString(length=1024), nullable=False),
        sa.Column("artifact_size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["catalog_models.id"]),
        sa.ForeignKeyConstraint(["python_model_id"], ["catalog_python_models.id"]),
        sa.PrimaryKeyConstraint("model_id"),
        sa.UniqueConstraint("python_model_id", "request_id"),
    )
    op.create_index("ix_catalog_python_model_versions_listing", "catalog_python_model_versions",
                    ["python_model_id", "create_time", "model_id"])
    # Existing model versions were not trained from a Python model.
    with op.batch_alter_table("catalog_models") as batch:
        batch.add_column(sa.Column("python_model_id", AutoString(length=32), nullable=True))
        batch.create_index("ix_catalog_models_python_model_id", ["python_model_id"])


def downgrade() -> None:
    with op.batch_alter_table("catalog_models") as batch:
        batch.drop_index("ix_catalog_models_python_model_id")
        batch.drop_column("python_model_id")
    op.drop_table("catalog_python_model_versions")
    op.drop_table("catalog_python_models")
