"""Catalog's protobuf <-> domain conversions round-trip every enum value and every message that
carries data (no server needed)."""

from __future__ import annotations

import pytest

from driftline.catalog.v1 import data_schema_pb2 as ds, task_pb2
from driftline.common.v1 import money_pb2
from driftline_server.catalog import conversions as convert
from driftline_server.catalog.vocabulary import ClassLabel, Column, CostInfo
from driftline_server.platform.errors import InvalidArgument


def _services_enums():
    from driftline_server.data import conversions as data_convert
    from driftline_server.monitoring import conversions as monitoring_convert

    for module in (convert, data_convert, monitoring_convert):
        for domain_enum in module._ENUMS.wrappers:
            yield pytest.param(module, domain_enum,
                               id=f"{module.__name__.split('.')[1]}-{domain_enum.__name__}")


@pytest.mark.parametrize(("module", "domain_enum"), list(_services_enums()))
def test_every_enum_value_round_trips(module, domain_enum):
    """Every service's enums: the domain knows every value of the contract, both ways."""
    wrapper = module._ENUMS.wrappers[domain_enum]
    numbers = [value.number for value in wrapper.DESCRIPTOR.values if value.number]
    assert len(numbers) == len(domain_enum)  # the domain knows every value of the contract
    for number in numbers:
        value = module.enum_from_proto(domain_enum, number, "field")
        assert module.enum_to_proto(domain_enum, value) == number
    assert module.enum_from_proto(domain_enum, 0, "field") is None
    with pytest.raises(InvalidArgument) as info:
        module.enum_from_proto(domain_enum, 999, "some.field")
    assert info.value.violations[0].field == "some.field"


COSTS = [
    task_pb2.TaskCostInfo(
        regression=task_pb2.RegressionTaskCostInfo(
            currency=money_pb2.CURRENCY_EURO, overestimation_cost="1.5", underestimation_cost="2"
        )
    ),
    task_pb2.TaskCostInfo(
        binary_classification=task_pb2.BinaryClassificationTaskCostInfo(
            currency=money_pb2.CURRENCY_DOLLAR,
            false_positive_cost="0",
            false_negative_cost="9.9999",
        )
    ),
    task_pb2.TaskCostInfo(
        multiclass_classification=task_pb2.MulticlassClassificationTaskCostInfo(
            currency=money_pb2.CURRENCY_EURO, misclassification_cost="3"
        )
    ),
]


@pytest.mark.parametrize("message", COSTS, ids=lambda m: m.WhichOneof("cost_info"))
def test_cost_info_round_trips_through_proto_and_json(message):
    cost_info = convert.cost_info_from_proto(message)
    assert CostInfo.from_json(cost_info.to_json()) == cost_info
    assert convert.cost_info_to_proto(cost_info) == message


@pytest.mark.parametrize(
    "label",
    [
        task_pb2.ClassLabel(string_value="yes"),
        task_pb2.ClassLabel(int_value=-3),
        task_pb2.ClassLabel(bool_value=True),
        task_pb2.ClassLabel(bool_value=False),
    ],
)
def test_class_labels_keep_their_type(label):
    domain = convert.class_label_from_proto(label)
    assert ClassLabel.from_json(domain.to_json()) == domain
    assert type(ClassLabel.from_json(domain.to_json()).value) is type(domain.value)
    assert convert.class_label_to_proto(domain) == label


def test_columns_round_trip_through_proto_and_json():
    message = ds.ColumnInfo(
        name="p",
        role=ds.COLUMN_ROLE_PREDICTION,
        sub_role=ds.COLUMN_SUB_ROLE_MODEL_PROBABILITY,
        data_type=ds.DATA_TYPE_ARRAY_2,
        nullable=True,
        dims=[2, 3],
        model_id="m1",
        predicted_target="y",
        possible_values=[],
        classes_names=["a"],
    )
    column = convert.column_from_proto(message, 0)
    assert Column.from_json(column.to_json()) == column
    assert convert.column_to_proto(column) == message
    categorical = ds.ColumnInfo(
        name="c",
        role=ds.COLUMN_ROLE_INPUT,
        data_type=ds.DATA_TYPE_CATEGORICAL,
        possible_values=["x", "y"],
    )
    assert convert.column_to_proto(convert.column_from_proto(categorical, 1)) == categorical
