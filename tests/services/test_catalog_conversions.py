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


# -- model sessions ----------------------------------------------------------------------------


def _session_message():
    from google.protobuf import struct_pb2

    from driftline.catalog.v1 import model_session_pb2 as ms

    metadata = struct_pb2.Struct()
    metadata.update({"search": "grid", "depths": [4, 6], "note": None})
    return ms.ModelSession(
        name="churn", dataset_id="batch-1", category=ms.MODEL_SESSION_CATEGORY_PLATFORM_MODEL,
        targets=["y", "z"], metadata=metadata, state=ms.MODEL_SESSION_STATE_GENERATING_CANDIDATES)


def test_a_model_session_round_trips_through_its_row():
    from datetime import datetime, timedelta, timezone

    from driftline.catalog.v1 import model_session_pb2 as ms
    from driftline_server.catalog.model_sessions import SessionRecord
    from driftline_server.catalog.models import ModelSessionLogRow, ModelSessionRow

    message = _session_message()
    draft = convert.model_session_draft_from_proto(message)
    start = datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
    row = ModelSessionRow(
        id="s1", project_id="p1", name=draft.name, dataset_id=draft.dataset_id,
        category=draft.category.value, targets=draft.targets, session_metadata=draft.metadata,
        state="COMPLETE", start_time=start, end_time=start + timedelta(seconds=90.5),
        default_model_id="m1", build_log_count=1, creator_id="u1", create_time=start,
        update_time=start)
    entry = ms.BuildLogEntry(level=ms.BUILD_LOG_LEVEL_WARNING, message="slow fold")
    entry.time.FromDatetime(start)
    [added] = convert.build_log_entries_from_proto([entry])
    assert (added.time, added.level.value, added.message) == (start, "WARNING", "slow fold")
    logs = [ModelSessionLogRow(model_session_id="s1", position=0, time=added.time,
                               level=added.level.value, message=added.message)]
    back = convert.model_session_to_proto(SessionRecord(row, 2, {"auc": 0.9}, logs))
    assert (back.name, back.dataset_id, back.category, back.targets, back.metadata) == (
        message.name, message.dataset_id, message.category, message.targets, message.metadata)
    assert back.total_duration.ToTimedelta() == timedelta(seconds=90.5)
    assert (back.model_count, back.default_model_id, back.registry.build_log_count) == (2, "m1", 1)
    assert list(back.registry.build_logs) == [entry] and dict(back.registry.metrics) == {"auc": 0.9}
    again = convert.model_session_draft_from_proto(back)
    assert (again.name, again.targets, again.metadata, again.category) == (
        draft.name, draft.targets, draft.metadata, draft.category)
    assert convert.enum_to_proto(type(again.state), again.state) == ms.MODEL_SESSION_STATE_COMPLETE


def test_a_built_model_and_an_event_round_trip():
    from datetime import datetime, timedelta, timezone

    from driftline.catalog.v1 import catalog_service_pb2 as pb, model_session_pb2 as ms
    from driftline_server.catalog.model_sessions import (
        Heartbeat,
        SessionEvent,
        SessionEventType,
    )
    from driftline_server.catalog.models import BuiltModelRow
    from driftline_server.catalog.session_states import SessionState

    message = ms.BuiltModel(model_session_id="s1", name="gbm", dataset_id="d", targets=["y"],
                            state=ms.MODEL_SESSION_STATE_BUILDING_MODELS, binary_key="k/gbm.bin")
    message.metadata.update({"depth": 6})
    draft = convert.built_model_draft_from_proto(message)
    start = datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
    row = BuiltModelRow(
        id="m1", project_id="p1", model_session_id=draft.model_session_id, name=draft.name,
        dataset_id=draft.dataset_id, targets=draft.targets, model_metadata=draft.metadata,
        state=draft.state.value, start_time=start, binary_key=draft.binary_key,
        create_time=start, update_time=start)
    back = convert.built_model_to_proto(row)
    assert back.type == ms.BUILT_MODEL_TYPE_SESSION and not back.HasField("total_duration")
    for name in ("model_session_id", "name", "dataset_id", "targets", "metadata", "state",
                 "binary_key"):
        assert getattr(back, name) == getattr(message, name), name
    row.model_session_id = None
    assert convert.built_model_to_proto(row).type == ms.BUILT_MODEL_TYPE_DETACHED

    event = SessionEvent(7, SessionEventType.STATE_CHANGED, "s1", "p1", SessionState.ERROR,
                         SessionState.QUEUED, start, start + timedelta(seconds=3), start)
    response = convert.model_session_watch_response(event, pb.WatchModelSessionResponse)
    assert (response.sequence, response.heartbeat, response.event.sequence) == (7, False, 7)
    assert (response.event.state, response.event.previous_state) == (
        ms.MODEL_SESSION_STATE_ERROR, ms.MODEL_SESSION_STATE_QUEUED)
    assert response.event.total_duration.ToTimedelta() == timedelta(seconds=3)
    beat = convert.model_session_watch_response(Heartbeat(9), pb.WatchModelSessionsResponse)
    assert (beat.sequence, beat.heartbeat, beat.HasField("event")) == (9, True, False)
