"""Catalog's results: projects, tasks (with their cost information), model versions, data
schemas and their columns, KPIs; named as the monitoring platform's SDK names them (Model's
``model_id``, ``creation_datetime``; ColumnInfo's ``is_nullable``, ``subrole``; KPI's
``kpi_id``), with Driftline's own fields beside.

Amounts of money are ``Decimal`` (the contracts carry them as decimal strings, so that nothing
rounds them); enum fields hold ``driftline.enums`` members, None where the contract leaves them
unset. ``ColumnInfo``, ``DataSchema`` and the three cost informations are also built by callers
(``add_data_schema``, ``create_task``): their enum fields take members, numbers or names.

Example:
    >>> from driftline.types import ColumnInfo, DataSchema
    >>> from driftline.enums import ColumnRole, DataType
    >>> template = client.get_data_schema_template(task_id)
    >>> client.add_data_schema(task_id, DataSchema(columns=[
    ...     *template.columns,
    ...     ColumnInfo(name="age", role=ColumnRole.INPUT, is_nullable=False,
    ...                data_type=DataType.FLOAT)]))
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Union


from driftline.enums import (
    ColumnRole,
    ColumnSubRole,
    Currency,
    DataStructure,
    DataType,
    ModelMetricName,
    StoragePolicy,
    SuggestionType,
    TaskType,
    TextLanguage,
)
from driftline.types._base import Result
from driftline.types._fields import enum_field


# -- projects ------------------------------------------------------------------------------


class Project(Result):
    """A project of a company: its tasks, KPIs and members work on one business problem.

    ``data_storage_uri`` is where a CUSTOMER project keeps its batches (``s3://bucket/prefix``).
    """

    project_id: str
    company_id: str
    name: str
    description: str | None = None
    default_storage_policy: enum_field(StoragePolicy) | None = None
    data_storage_uri: str | None = None
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


# -- tasks ---------------------------------------------------------------------------------


class RegressionTaskCostInfo(Result):
    """What a regression model's errors cost, per unit: predicting too high and too low."""

    currency: enum_field(Currency) | None = None
    overestimation_cost: Decimal
    underestimation_cost: Decimal


class BinaryClassificationTaskCostInfo(Result):
    """What a binary classifier's errors cost, per sample."""

    currency: enum_field(Currency) | None = None
    false_positive_cost: Decimal
    false_negative_cost: Decimal


class MulticlassClassificationTaskCostInfo(Result):
    """What a multiclass classifier's misclassified sample costs."""

    currency: enum_field(Currency) | None = None
    misclassification_cost: Decimal


# The cost information of a task: the shape of its task type (the SDK's TaskCostInfoUnion).
TaskCostInfo = Union[RegressionTaskCostInfo, BinaryClassificationTaskCostInfo,
                     MulticlassClassificationTaskCostInfo]


class Task(Result):
    """A task: one machine-learning problem of a project, with its models, data schema and data.

    ``positive_class`` keeps the label's own type (str, int or bool); ``cost_info`` is one of
    the three cost informations, or None.
    """

    task_id: str
    project_id: str
    name: str
    tags: list[str] = []
    task_type: enum_field(TaskType)
    data_structure: enum_field(DataStructure)
    cost_info: TaskCostInfo | None = None
    optional_target: bool = False
    text_language: enum_field(TextLanguage) | None = None
    positive_class: str | int | bool | None = None
    rag_contexts_separator: str | None = None
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


# -- models --------------------------------------------------------------------------------


class Model(Result):
    """One version of a model of a task; each version has its own ``model_id``.

    ``retraining_cost`` is in ``retraining_cost_currency`` (the task's);
    ``previous_version_id`` is the version this one was made from (None for the first);
    ``python_model_id`` the Python model it was trained from, if any.
    """

    model_id: str
    task_id: str
    name: str
    version: str
    metric_name: enum_field(ModelMetricName) | None = None
    creation_datetime: datetime | None = None
    retraining_cost: Decimal = Decimal(0)
    retraining_cost_currency: enum_field(Currency) | None = None
    with_probabilistic_output: bool = False
    preferred_suggestion_type: enum_field(SuggestionType) | None = None
    resampled_dataset_size: int | None = None
    previous_version_id: str | None = None
    python_model_id: str | None = None
    update_datetime: datetime | None = None


# -- data schemas --------------------------------------------------------------------------


class ColumnInfo(Result):
    """One column of a data schema.

    ``possible_values`` for CATEGORICAL columns, ``dims`` for ARRAY_1/2/3 ones,
    ``model_id`` (and optionally ``predicted_target``) for PREDICTION columns,
    ``classes_names`` for the TARGET of a multilabel task; None where they do not apply.

    Example:
        >>> ColumnInfo(name="plan", role="INPUT", is_nullable=False, data_type="CATEGORICAL",
        ...            possible_values=["basic", "pro"])
    """

    name: str
    role: enum_field(ColumnRole)
    is_nullable: bool = False
    data_type: enum_field(DataType)
    predicted_target: str | None = None
    possible_values: list[str] | None = None
    model_id: str | None = None
    dims: list[int] | None = None
    classes_names: list[str] | None = None
    subrole: enum_field(ColumnSubRole) | None = None


class DataSchema(Result):
    """The columns of a task's data, in order. A schema read from a task also carries the task,
    its version (1 for the first, one more for each replacement; None for a template) and when
    it was added."""

    columns: list[ColumnInfo]
    task_id: str | None = None
    version: int | None = None
    creation_datetime: datetime | None = None


# -- KPIs ----------------------------------------------------------------------------------


class KPI(Result):
    """A business KPI of a project; its values are uploaded and monitored beside the tasks'
    data (its monitoring status: ``get_kpi_status``)."""

    kpi_id: str
    project_id: str
    name: str
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None
