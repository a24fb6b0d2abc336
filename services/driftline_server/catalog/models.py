"""Catalog's tables. Enums are stored as their names (``REGRESSION``), times as timezone-aware
UTC datetimes, structured values (tags, cost information, schema columns) as JSON."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Every table here is ``catalog_*``; SQLModel.metadata is shared with the other services, which
# is why migrations filter by prefix (platform.migrations.owned_by).


def _time() -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=False)


class ProjectRow(SQLModel, table=True):
    __tablename__ = "catalog_projects"
    # AIP-155: a retried CreateProject with the same request id finds the first one.
    __table_args__ = (sa.UniqueConstraint("company_id", "request_id"),)

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32, index=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    default_storage_policy: str = Field(max_length=32)
    # s3://bucket[/prefix] where a CUSTOMER project's batches are kept; "" when not set.
    data_storage_uri: str = Field(default="", max_length=1024)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class TaskRow(SQLModel, table=True):
    __tablename__ = "catalog_tasks"
    __table_args__ = (sa.UniqueConstraint("project_id", "request_id"),)

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id", index=True)
    name: str = Field(max_length=200)
    tags: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    task_type: str = Field(max_length=40)
    data_structure: str = Field(max_length=20)
    # {"kind": "REGRESSION"|"BINARY_CLASSIFICATION"|"MULTICLASS_CLASSIFICATION",
    #  "currency": "EURO"|"DOLLAR", "costs": {name: decimal string}}
    cost_info: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    optional_target: bool = Field(default=False)
    text_language: str | None = Field(default=None, max_length=20)
    # {"type": "string"|"int"|"bool", "value": ...}: the label keeps the type the model outputs.
    positive_class: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    rag_contexts_separator: str | None = Field(default=None, max_length=100)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class ModelRow(SQLModel, table=True):
    """One version of a model; versions of the same model share task and name."""

    __tablename__ = "catalog_models"
    __table_args__ = (
        sa.UniqueConstraint("task_id", "name", "version"),
        sa.UniqueConstraint("task_id", "request_id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    task_id: str = Field(max_length=32, foreign_key="catalog_tasks.id", index=True)
    name: str = Field(max_length=200)
    version: str = Field(max_length=100)
    metric_name: str | None = Field(default=None, max_length=40)
    with_probabilistic_output: bool = Field(default=False)
    preferred_suggestion_type: str | None = Field(default=None, max_length=40)
    resampled_dataset_size: int | None = Field(default=None, sa_type=sa.BigInteger)
    retraining_cost_amount: str = Field(default="0", max_length=40)
    retraining_cost_currency: str | None = Field(default=None, max_length=20)
    previous_version_id: str | None = Field(default=None, max_length=32)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())


class DataSchemaRow(SQLModel, table=True):
    """One version of a task's data schema; the highest version is the current one."""

    __tablename__ = "catalog_data_schemas"
    __table_args__ = (sa.UniqueConstraint("task_id", "version"),)

    id: str = Field(primary_key=True, max_length=32)
    task_id: str = Field(max_length=32, foreign_key="catalog_tasks.id", index=True)
    version: int
    # A list of column dicts, keys as in domain.Column.
    columns: list = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    create_time: datetime = Field(sa_column=_time())


class KpiRow(SQLModel, table=True):
    __tablename__ = "catalog_kpis"
    __table_args__ = (sa.UniqueConstraint("project_id", "request_id"),)

    id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(max_length=32, foreign_key="catalog_projects.id", index=True)
    name: str = Field(max_length=200)
    request_id: str | None = Field(default=None, max_length=64)
    create_time: datetime = Field(sa_column=_time())
    update_time: datetime = Field(sa_column=_time())
