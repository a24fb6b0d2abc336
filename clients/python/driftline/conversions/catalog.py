"""CatalogService's messages (projects, tasks, models, data schemas, KPIs) to the client's
results and back: ``<message>_from_proto`` and ``<message>_to_proto`` for each.

Unset optional texts and enums become None; amounts of money (decimal strings) become
``Decimal``; a task's ``TaskCostInfo`` becomes the one cost information it holds and a
``ClassLabel`` the label in its own type.
"""

from __future__ import annotations

from decimal import Decimal

from driftline.catalog.v1 import data_schema_pb2, kpi_pb2, model_pb2, project_pb2, task_pb2
from driftline.common.v1 import money_pb2
from driftline.conversions._common import text_or_none, to_datetime, to_timestamp
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
    enum_member,
)
from driftline.types.catalog import (
    KPI,
    BinaryClassificationTaskCostInfo,
    ColumnInfo,
    DataSchema,
    Model,
    MulticlassClassificationTaskCostInfo,
    Project,
    RegressionTaskCostInfo,
    Task,
    TaskCostInfo,
)


def _optional_enum(enum_type, number: int):
    """The member of a number, None for the unset zero."""
    return enum_member(enum_type, number) if number else None


def _amount(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def _amount_text(amount: Decimal) -> str:
    """A decimal string as the contracts take it: fixed point, never an exponent."""
    return format(Decimal(amount), "f")


# -- projects ------------------------------------------------------------------------------


def project_from_proto(message: project_pb2.Project) -> Project:
    return Project(
        project_id=message.id,
        company_id=message.company_id,
        name=message.name,
        description=text_or_none(message.description),
        default_storage_policy=_optional_enum(StoragePolicy, message.default_storage_policy),
        data_storage_uri=text_or_none(message.data_storage_uri),
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time),
    )


def project_to_proto(project: Project) -> project_pb2.Project:
    return project_pb2.Project(
        id=project.project_id,
        company_id=project.company_id,
        name=project.name,
        description=project.description or "",
        default_storage_policy=project.default_storage_policy or 0,
        data_storage_uri=project.data_storage_uri or "",
        create_time=to_timestamp(project.creation_datetime),
        update_time=to_timestamp(project.update_datetime),
    )


# -- tasks ---------------------------------------------------------------------------------


def regression_task_cost_info_from_proto(
        message: task_pb2.RegressionTaskCostInfo) -> RegressionTaskCostInfo:
    return RegressionTaskCostInfo(
        currency=_optional_enum(Currency, message.currency),
        overestimation_cost=_amount(message.overestimation_cost),
        underestimation_cost=_amount(message.underestimation_cost),
    )


def regression_task_cost_info_to_proto(
        cost: RegressionTaskCostInfo) -> task_pb2.RegressionTaskCostInfo:
    return task_pb2.RegressionTaskCostInfo(
        currency=cost.currency or 0,
        overestimation_cost=_amount_text(cost.overestimation_cost),
        underestimation_cost=_amount_text(cost.underestimation_cost),
    )


def binary_classification_task_cost_info_from_proto(
        message: task_pb2.BinaryClassificationTaskCostInfo) -> BinaryClassificationTaskCostInfo:
    return BinaryClassificationTaskCostInfo(
        currency=_optional_enum(Currency, message.currency),
        false_positive_cost=_amount(message.false_positive_cost),
        false_negative_cost=_amount(message.false_negative_cost),
    )


def binary_classification_task_cost_info_to_proto(
        cost: BinaryClassificationTaskCostInfo) -> task_pb2.BinaryClassificationTaskCostInfo:
    return task_pb2.BinaryClassificationTaskCostInfo(
        currency=cost.currency or 0,
        false_positive_cost=_amount_text(cost.false_positive_cost),
        false_negative_cost=_amount_text(cost.false_negative_cost),
    )


def multiclass_classification_task_cost_info_from_proto(
        message: task_pb2.MulticlassClassificationTaskCostInfo,
) -> MulticlassClassificationTaskCostInfo:
    return MulticlassClassificationTaskCostInfo(
        currency=_optional_enum(Currency, message.currency),
        misclassification_cost=_amount(message.misclassification_cost),
    )


def multiclass_classification_task_cost_info_to_proto(
        cost: MulticlassClassificationTaskCostInfo,
) -> task_pb2.MulticlassClassificationTaskCostInfo:
    return task_pb2.MulticlassClassificationTaskCostInfo(
        currency=cost.currency or 0,
        misclassification_cost=_amount_text(cost.misclassification_cost),
    )


def task_cost_info_from_proto(message: task_pb2.TaskCostInfo) -> TaskCostInfo | None:
    """The one cost information a TaskCostInfo holds; None when it holds none."""
    shape = message.WhichOneof("cost_info")
    if shape == "regression":
        return regression_task_cost_info_from_proto(message.regression)
    if shape == "binary_classification":
        return binary_classification_task_cost_info_from_proto(message.binary_classification)
    if shape == "multiclass_classification":
        return multiclass_classification_task_cost_info_from_proto(
            message.multiclass_classification)
    return None


def task_cost_info_to_proto(cost: TaskCostInfo | None) -> task_pb2.TaskCostInfo | None:
    """A cost information wrapped in the TaskCostInfo of its shape; None stays None."""
    if cost is None:
        return None
    if isinstance(cost, RegressionTaskCostInfo):
        return task_pb2.TaskCostInfo(regression=regression_task_cost_info_to_proto(cost))
    if isinstance(cost, BinaryClassificationTaskCostInfo):
        return task_pb2.TaskCostInfo(
            binary_classification=binary_classification_task_cost_info_to_proto(cost))
    if isinstance(cost, MulticlassClassificationTaskCostInfo):
        return task_pb2.TaskCostInfo(
            multiclass_classification=multiclass_classification_task_cost_info_to_proto(cost))
    raise TypeError(
        "cost_info must be a RegressionTaskCostInfo, BinaryClassificationTaskCostInfo or "
        f"MulticlassClassificationTaskCostInfo, not {type(cost).__name__}")


def class_label_from_proto(message: task_pb2.ClassLabel) -> str | int | bool | None:
    """The label in its own type; None when unset."""
    shape = message.WhichOneof("value")
    return getattr(message, shape) if shape else None


def class_label_to_proto(label: str | int | bool | None) -> task_pb2.ClassLabel | None:
    if label is None:
        return None
    if isinstance(label, bool):
        return task_pb2.ClassLabel(bool_value=label)
    if isinstance(label, int):
        return task_pb2.ClassLabel(int_value=label)
    return task_pb2.ClassLabel(string_value=str(label))


def task_from_proto(message: task_pb2.Task) -> Task:
    return Task(
        task_id=message.id,
        project_id=message.project_id,
        name=message.name,
        tags=list(message.tags),
        task_type=enum_member(TaskType, message.task_type),
        data_structure=enum_member(DataStructure, message.data_structure),
        cost_info=(task_cost_info_from_proto(message.cost_info)
                   if message.HasField("cost_info") else None),
        optional_target=message.optional_target,
        text_language=_optional_enum(TextLanguage, message.text_language),
        positive_class=(class_label_from_proto(message.positive_class)
                        if message.HasField("positive_class") else None),
        rag_contexts_separator=text_or_none(message.rag_contexts_separator),
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time),
    )


def task_to_proto(task: Task) -> task_pb2.Task:
    return task_pb2.Task(
        id=task.task_id,
        project_id=task.project_id,
        name=task.name,
        tags=task.tags,
        task_type=task.task_type,
        data_structure=task.data_structure,
        cost_info=task_cost_info_to_proto(task.cost_info),
        optional_target=task.optional_target,
        text_language=task.text_language or 0,
        positive_class=class_label_to_proto(task.positive_class),
        rag_contexts_separator=task.rag_contexts_separator or "",
        create_time=to_timestamp(task.creation_datetime),
        update_time=to_timestamp(task.update_datetime),
    )


# -- models --------------------------------------------------------------------------------


def model_from_proto(message: model_pb2.Model) -> Model:
    return Model(
        model_id=message.id,
        task_id=message.task_id,
        name=message.name,
        version=message.version,
        metric_name=_optional_enum(ModelMetricName, message.metric_name),
        creation_datetime=to_datetime(message.create_time),
        retraining_cost=_amount(message.retraining_cost.amount),
        retraining_cost_currency=_optional_enum(Currency, message.retraining_cost.currency),
        with_probabilistic_output=message.with_probabilistic_output,
        preferred_suggestion_type=_optional_enum(SuggestionType,
                                                 message.preferred_suggestion_type),
        resampled_dataset_size=message.resampled_dataset_size or None,
        previous_version_id=text_or_none(message.previous_version_id),
        python_model_id=text_or_none(message.python_model_id),
        update_datetime=to_datetime(message.update_time),
    )


def model_to_proto(model: Model) -> model_pb2.Model:
    return model_pb2.Model(
        id=model.model_id,
        task_id=model.task_id,
        name=model.name,
        version=model.version,
        metric_name=model.metric_name or 0,
        create_time=to_timestamp(model.creation_datetime),
        retraining_cost=money_pb2.Money(currency=model.retraining_cost_currency or 0,
                                        amount=_amount_text(model.retraining_cost)),
        with_probabilistic_output=model.with_probabilistic_output,
        preferred_suggestion_type=model.preferred_suggestion_type or 0,
        resampled_dataset_size=model.resampled_dataset_size or 0,
        previous_version_id=model.previous_version_id or "",
        python_model_id=model.python_model_id or "",
        update_time=to_timestamp(model.update_datetime),
    )


# -- data schemas --------------------------------------------------------------------------


def column_info_from_proto(message: data_schema_pb2.ColumnInfo) -> ColumnInfo:
    return ColumnInfo(
        name=message.name,
        role=enum_member(ColumnRole, message.role),
        is_nullable=message.nullable,
        data_type=enum_member(DataType, message.data_type),
        predicted_target=text_or_none(message.predicted_target),
        possible_values=list(message.possible_values) or None,
        model_id=text_or_none(message.model_id),
        dims=list(message.dims) or None,
        classes_names=list(message.classes_names) or None,
        subrole=_optional_enum(ColumnSubRole, message.sub_role),
    )


def column_info_to_proto(column: ColumnInfo) -> data_schema_pb2.ColumnInfo:
    return data_schema_pb2.ColumnInfo(
        name=column.name,
        role=column.role,
        sub_role=column.subrole or 0,
        data_type=column.data_type,
        nullable=column.is_nullable,
        possible_values=column.possible_values or [],
        dims=column.dims or [],
        model_id=column.model_id or "",
        predicted_target=column.predicted_target or "",
        classes_names=column.classes_names or [],
    )


def data_schema_from_proto(message: data_schema_pb2.DataSchema) -> DataSchema:
    return DataSchema(
        columns=[column_info_from_proto(column) for column in message.columns],
        task_id=text_or_none(message.task_id),
        version=message.version or None,
        creation_datetime=to_datetime(message.create_time),
    )


def data_schema_to_proto(schema: DataSchema) -> data_schema_pb2.DataSchema:
    return data_schema_pb2.DataSchema(
        task_id=schema.task_id or "",
        version=schema.version or 0,
        columns=[column_info_to_proto(column) for column in schema.columns],
        create_time=to_timestamp(schema.creation_datetime),
    )


# -- KPIs ----------------------------------------------------------------------------------


def kpi_from_proto(message: kpi_pb2.Kpi) -> KPI:
    return KPI(
        kpi_id=message.id,
        project_id=message.project_id,
        name=message.name,
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time),
    )


def kpi_to_proto(kpi: KPI) -> kpi_pb2.Kpi:
    return kpi_pb2.Kpi(
        id=kpi.kpi_id,
        project_id=kpi.project_id,
        name=kpi.name,
        create_time=to_timestamp(kpi.creation_datetime),
        update_time=to_timestamp(kpi.update_datetime),
    )
