"""The client's conversions of CatalogService's projects, tasks, models, data schemas and KPIs
(driftline.conversions.catalog): every message, each oneof choice, round trip; the SDK's field
names; unset values as None; what callers build (ColumnInfo, DataSchema, cost informations)
taking members, numbers and names."""

from __future__ import annotations

from datetime import timezone
from decimal import Decimal

import pydantic
import pytest

from conversions_helpers import assert_round_trip, filled
from driftline.catalog.v1 import data_schema_pb2, kpi_pb2, model_pb2, project_pb2, task_pb2
from driftline.conversions import catalog as convert
from driftline.enums import (
    ColumnRole,
    ColumnSubRole,
    Currency,
    DataType,
    ModelMetricName,
    StoragePolicy,
    SuggestionType,
    TaskType,
)
from driftline.types import (
    KPI,
    BinaryClassificationTaskCostInfo,
    ColumnInfo,
    DataSchema,
    Model,
    Project,
    RegressionTaskCostInfo,
    Task,
)

# Amounts are decimal strings: filled() writes any text, these are amounts.
AMOUNTS = {"overestimation_cost": "1.5", "underestimation_cost": "2",
           "false_positive_cost": "5", "false_negative_cost": "50.25",
           "misclassification_cost": "0.0001", "amount": "120.50"}


def with_amounts(message):
    """The message with every amount (at any depth) a decimal string."""
    for field, value in message.ListFields():
        if field.message_type is not None and not field.is_repeated:
            with_amounts(value)
        elif field.name in AMOUNTS:
            setattr(message, field.name, AMOUNTS[field.name])
    return message


MESSAGES = [
    (project_pb2.Project, 0, convert.project_from_proto, convert.project_to_proto),
    (task_pb2.RegressionTaskCostInfo, 0, convert.regression_task_cost_info_from_proto,
     convert.regression_task_cost_info_to_proto),
    (task_pb2.BinaryClassificationTaskCostInfo, 0,
     convert.binary_classification_task_cost_info_from_proto,
     convert.binary_classification_task_cost_info_to_proto),
    (task_pb2.MulticlassClassificationTaskCostInfo, 0,
     convert.multiclass_classification_task_cost_info_from_proto,
     convert.multiclass_classification_task_cost_info_to_proto),
    *[(task_pb2.TaskCostInfo, choice, convert.task_cost_info_from_proto,
       convert.task_cost_info_to_proto) for choice in range(3)],
    *[(task_pb2.ClassLabel, choice, convert.class_label_from_proto,
       convert.class_label_to_proto) for choice in range(3)],
    *[(task_pb2.Task, choice, convert.task_from_proto, convert.task_to_proto)
      for choice in range(3)],
    (model_pb2.Model, 0, convert.model_from_proto, convert.model_to_proto),
    (data_schema_pb2.ColumnInfo, 0, convert.column_info_from_proto,
     convert.column_info_to_proto),
    (data_schema_pb2.DataSchema, 0, convert.data_schema_from_proto,
     convert.data_schema_to_proto),
    (kpi_pb2.Kpi, 0, convert.kpi_from_proto, convert.kpi_to_proto),
]


@pytest.mark.parametrize("message_type, choice, from_proto, to_proto", MESSAGES,
                         ids=[f"{m[0].__name__}-{m[1]}" for m in MESSAGES])
def test_every_message_survives_the_round_trip(message_type, choice, from_proto, to_proto):
    assert_round_trip(with_amounts(filled(message_type, choice)), from_proto, to_proto)


@pytest.mark.parametrize("message_type, from_proto, to_proto", [
    (project_pb2.Project, convert.project_from_proto, convert.project_to_proto),
    (task_pb2.Task, convert.task_from_proto, convert.task_to_proto),
    (model_pb2.Model, convert.model_from_proto, convert.model_to_proto),
    (data_schema_pb2.ColumnInfo, convert.column_info_from_proto,
     convert.column_info_to_proto),
    (kpi_pb2.Kpi, convert.kpi_from_proto, convert.kpi_to_proto),
])
def test_a_message_with_only_its_required_fields_survives_too(message_type, from_proto,
                                                               to_proto):
    """Unset texts, enums, labels, cost informations and times come back unset."""
    message = with_amounts(filled(message_type))
    kept = {"id", "company_id", "project_id", "task_id", "name", "version", "task_type",
            "data_structure", "role", "data_type"}
    for field, _ in message.ListFields():
        if field.name not in kept and field.name != "retraining_cost":
            message.ClearField(field.name)
    if message_type is model_pb2.Model:
        message.retraining_cost.CopyFrom(model_pb2.Model().retraining_cost)
        message.retraining_cost.amount = "0"
    assert_round_trip(message, from_proto, to_proto)


def test_results_carry_the_sdks_field_names():
    assert {"model_id", "task_id", "name", "version", "metric_name", "creation_datetime",
            "retraining_cost"} <= set(Model.model_fields)
    assert {"name", "role", "is_nullable", "data_type", "predicted_target", "possible_values",
            "model_id", "dims", "classes_names", "subrole"} <= set(ColumnInfo.model_fields)
    assert "columns" in DataSchema.model_fields
    assert {"kpi_id", "name"} <= set(KPI.model_fields)
    assert {"project_id", "name", "description", "default_storage_policy"} <= set(
        Project.model_fields)
    assert {"task_id", "name", "tags", "task_type", "data_structure", "cost_info",
            "optional_target", "text_language", "positive_class",
            "rag_contexts_separator"} <= set(Task.model_fields)


def test_a_model_in_the_sdks_words():
    message = with_amounts(filled(model_pb2.Model))
    message.metric_name = model_pb2.MODEL_METRIC_NAME_ACCURACY
    model = convert.model_from_proto(message)
    assert model.model_id == message.id and model.metric_name is ModelMetricName.ACCURACY
    assert model.retraining_cost == Decimal("120.50")
    assert model.retraining_cost_currency is Currency.DOLLAR
    assert model.preferred_suggestion_type is SuggestionType.RESAMPLED_DATASET
    assert model.creation_datetime == message.create_time.ToDatetime(tzinfo=timezone.utc)
    assert model.creation_datetime.tzinfo is timezone.utc
    assert model.metric_name == model_pb2.MODEL_METRIC_NAME_ACCURACY  # IntEnum: equal to the int


def test_unset_enums_texts_and_labels_are_none():
    task = convert.task_from_proto(task_pb2.Task(id="t", task_type=1, data_structure=1))
    assert task.cost_info is None and task.positive_class is None
    assert task.text_language is None and task.rag_contexts_separator is None
    assert task.creation_datetime is None and task.tags == []
    model = convert.model_from_proto(model_pb2.Model(id="m"))
    assert model.metric_name is None and model.preferred_suggestion_type is None
    assert model.previous_version_id is None and model.retraining_cost == 0
    column = convert.column_info_from_proto(data_schema_pb2.ColumnInfo(name="c", role=3,
                                                                       data_type=1))
    assert column.subrole is None and column.possible_values is None and column.dims is None
    assert column.model_id is None and not column.is_nullable


def test_a_task_keeps_its_cost_shape_and_its_labels_type():
    message = with_amounts(filled(task_pb2.Task, 1))
    for field, value in (("bool_value", True), ("int_value", 7), ("string_value", "yes")):
        setattr(message.positive_class, field, value)
        task = convert.task_from_proto(message)
        assert task.positive_class == value and type(task.positive_class) is type(value)
    assert isinstance(task.cost_info, BinaryClassificationTaskCostInfo)
    assert task.cost_info.false_negative_cost == Decimal("50.25")
    assert task.task_type is TaskType.TIME_SERIES


def test_an_unknown_newer_enum_number_is_kept_as_an_int():
    project = convert.project_from_proto(project_pb2.Project(id="p", default_storage_policy=99))
    assert project.default_storage_policy == 99
    assert convert.project_to_proto(project).default_storage_policy == 99


def test_columns_and_cost_informations_take_members_numbers_and_names():
    column = ColumnInfo(name="p", role="input", data_type="DATA_TYPE_CATEGORICAL",
                        subrole=data_schema_pb2.COLUMN_SUB_ROLE_TREND,
                        possible_values=["a", "b"])
    assert (column.role, column.data_type, column.subrole) == (
        ColumnRole.INPUT, DataType.CATEGORICAL, ColumnSubRole.TREND)
    assert convert.column_info_to_proto(column) == data_schema_pb2.ColumnInfo(
        name="p", role=data_schema_pb2.COLUMN_ROLE_INPUT,
        data_type=data_schema_pb2.DATA_TYPE_CATEGORICAL,
        sub_role=data_schema_pb2.COLUMN_SUB_ROLE_TREND, possible_values=["a", "b"])
    with pytest.raises(pydantic.ValidationError, match="not a ColumnRole"):
        ColumnInfo(name="p", role="FEATURE", data_type="FLOAT")
    cost = RegressionTaskCostInfo(currency="EURO", overestimation_cost=1.5,
                                  underestimation_cost="2")
    assert convert.task_cost_info_to_proto(cost) == task_pb2.TaskCostInfo(
        regression=task_pb2.RegressionTaskCostInfo(currency=1, overestimation_cost="1.5",
                                                   underestimation_cost="2"))


def test_amounts_are_written_without_an_exponent():
    cost = BinaryClassificationTaskCostInfo(false_positive_cost=Decimal("1E+2"),
                                            false_negative_cost=Decimal("0.10"))
    message = convert.binary_classification_task_cost_info_to_proto(cost)
    assert (message.false_positive_cost, message.false_negative_cost) == ("100", "0.10")


def test_results_are_frozen_and_the_storage_policy_is_a_member():
    project = convert.project_from_proto(filled(project_pb2.Project))
    assert project.default_storage_policy is StoragePolicy.CUSTOMER
    with pytest.raises(pydantic.ValidationError):
        project.name = "renamed"
