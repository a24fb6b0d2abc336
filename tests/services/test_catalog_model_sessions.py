"""Model sessions and built models through the Python client (and raw stubs where the client
cannot say it), against a real server on the module's database: create, read, list with filters
and pages, update, the state rules and the times the server keeps, the registry and its limits,
models in a session or detached, the session's default model, a delete that takes the models and
registry with it, watching (every change in order, resuming, heartbeats, the end); who may do
what; every kind of bad input, and that it leaves what is stored as it was."""

from __future__ import annotations

import itertools
import math
import time
from datetime import datetime, timedelta, timezone

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf import field_mask_pb2, struct_pb2

import driftline
from catalog_helpers import raises
from conftest import unique, wait_for_auth_cache
from driftline.enums import BuiltModelType, ModelSessionCategory
from driftline.enums import ModelSessionState as State
from driftline.types import BuildLogEntry, ModelSessionRegistry
from driftline.catalog.v1 import catalog_service_pb2 as pb, model_session_pb2 as ms
from harness import ServerProcess, fails, fresh_database
from jobs_helpers import Collector

INVALID = grpc.StatusCode.INVALID_ARGUMENT
NOT_FOUND = grpc.StatusCode.NOT_FOUND
DENIED = grpc.StatusCode.PERMISSION_DENIED
PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION

METADATA = {"search": "grid", "folds": 5, "params": {"depth": [4, 6]}, "seed": None}


def call(client, method: str, request):
    return client.stubs.call(getattr(client.stubs.catalog, method), request)


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def struct(value: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(value)
    return message


@pytest.fixture(scope="module")
def project_id(owner):
    return owner.create_project(unique("sessions"))


def new_session(client, project_id, **overrides):
    arguments = dict(name=unique("session"), dataset_id="batch-2026-11",
                     targets=["churned", "revenue"])
    arguments.update(overrides)
    return client.create_model_session(project_id, **arguments)


# -- create and read --------------------------------------------------------------------------


def test_a_session_is_created_and_read_back(owner, project_id):
    session = owner.create_model_session(
        project_id, "churn-gbm", "batch-2026-11", category="PLATFORM_MODEL",
        targets=["churned", "revenue"], metadata=METADATA)
    assert (session.project_id, session.name, session.dataset_id, session.category,
            session.target, session.metadata) == (
        project_id, "churn-gbm", "batch-2026-11", ModelSessionCategory.PLATFORM_MODEL,
        ["churned", "revenue"],
        METADATA)
    assert (session.state, session.start_time, session.end_time, session.total_time) == (
        State.QUEUED, None, None, None)
    assert (session.model_count, session.default_model_id, session.creator_id) == (
        0, "", owner.user_id)
    assert session.registry == ModelSessionRegistry()
    assert session.creation_datetime.tzinfo is not None and session.update_datetime == session.creation_datetime
    assert not session.ended
    assert owner.get_model_session(session.model_session_id) == session
    plain = owner.create_model_session(project_id, "  spaced  ", " ds ")
    assert (plain.name, plain.dataset_id, plain.category, plain.target, plain.metadata) == (
        "spaced", "ds", ModelSessionCategory.USER_MODEL, [], {})


def test_create_with_a_request_id_is_idempotent(owner, project_id):
    request_id = unique("req")
    first = new_session(owner, project_id, request_id=request_id)
    again = new_session(owner, project_id, request_id=request_id)  # another name: still the first
    assert again == first
    first_id = first.model_session_id
    assert [s.model_session_id for s in owner.get_model_sessions(project_id)].count(
        first_id) == 1
    model = owner.create_built_model("m", session_id=first_id, request_id=request_id)
    assert owner.create_built_model("other", session_id=first_id, request_id=request_id) == model
    with raises(INVALID, "REQUEST_ID_TOO_LONG", "request_id"):
        new_session(owner, project_id, request_id="r" * 65)
    with raises(INVALID, "REQUEST_ID_TOO_LONG", "request_id"):
        owner.create_built_model("m", session_id=first_id, request_id="r" * 65)


# -- states and times -------------------------------------------------------------------------


def test_states_move_forward_and_the_server_keeps_the_times(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    building = owner.set_model_session_state(session_id, "BUILDING_MODELS")
    assert building.state == State.BUILDING_MODELS and building.end_time is None
    assert building.start_time >= session.creation_datetime and building.total_time is None
    candidates = owner.set_model_session_state(session_id, "GENERATING_CANDIDATES")
    assert candidates.start_time == building.start_time  # started once
    time.sleep(0.05)
    complete = owner.set_model_session_state(session_id, "COMPLETE")
    assert complete.ended and complete.start_time == building.start_time
    assert complete.total_time == complete.end_time - complete.start_time
    assert complete.total_time >= timedelta(seconds=0.05)
    assert owner.set_model_session_state(session_id, "COMPLETE").end_time == complete.end_time
    assert owner.get_model_session(session_id).total_time == complete.total_time


def test_states_may_be_skipped_forward_and_a_session_may_start_later_than_queued(owner,
                                                                                 project_id):
    skipped = owner.set_model_session_state(new_session(owner, project_id).model_session_id,
                                            "COMPLETE")
    assert skipped.start_time == skipped.end_time and skipped.total_time == timedelta(0)
    started = new_session(owner, project_id, state="BUILDING_MODELS")
    assert started.state == State.BUILDING_MODELS and started.start_time == started.creation_datetime
    failed = new_session(owner, project_id, state="ERROR")
    assert failed.ended and failed.total_time == timedelta(0)


@pytest.mark.parametrize(("path", "to", "said"), [
    (["BUILDING_MODELS", "GENERATING_CANDIDATES"], "BUILDING_MODELS",
     "a session cannot go back from GENERATING_CANDIDATES to BUILDING_MODELS; from "
     "GENERATING_CANDIDATES it may move to COMPLETE, ERROR"),
    (["BUILDING_MODELS"], "QUEUED", "cannot go back from BUILDING_MODELS to QUEUED"),
    (["COMPLETE"], "ERROR", "the session has ended (COMPLETE)"),
    (["ERROR"], "BUILDING_MODELS", "the session has ended (ERROR)"),
])
def test_going_back_or_moving_an_ended_session_is_refused_saying_what_is_allowed(
        owner, project_id, path, to, said):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    for state in path:
        session = owner.set_model_session_state(session_id, state)
    with raises(PRECONDITION, "MODEL_SESSION_STATE_MOVE_REFUSED") as caught:
        owner.set_model_session_state(session_id, to)
    assert said in caught.value.error_message
    assert caught.value.metadata["state"] == path[-1]
    assert caught.value.metadata["requested_state"] == to
    assert owner.get_model_session(session_id, include_build_logs=False) == session


def test_a_refused_update_changes_none_of_its_fields(owner, project_id):
    session = owner.set_model_session_state(new_session(owner, project_id).model_session_id,
                                            "BUILDING_MODELS")
    request = pb.UpdateModelSessionRequest(
        model_session=ms.ModelSession(id=session.model_session_id, name="renamed",
                                      state=ms.MODEL_SESSION_STATE_QUEUED,
                                      metadata=struct({"changed": True})),
        update_mask=mask("name", "state", "metadata"))
    with raises(PRECONDITION, "MODEL_SESSION_STATE_MOVE_REFUSED"):
        call(owner, "UpdateModelSession", request)
    assert owner.get_model_session(session.model_session_id, include_build_logs=False) == session


def test_update_changes_only_the_fields_named(owner, project_id):
    session = new_session(owner, project_id, metadata={"v": 1})
    session_id = session.model_session_id
    renamed = owner.update_model_session(session_id, name="renamed")
    assert (renamed.name, renamed.metadata, renamed.state) == ("renamed", {"v": 1}, State.QUEUED)
    assert renamed.update_datetime > session.update_datetime and renamed.creation_datetime == session.creation_datetime
    replaced = owner.update_model_session(session_id, metadata={"v": 2, "new": [1]})
    assert (replaced.name, replaced.metadata) == ("renamed", {"v": 2, "new": [1]})
    assert owner.update_model_session(session_id, metadata={}).metadata == {}
    assert owner.update_model_session(session_id) == owner.get_model_session(
        session_id, include_build_logs=False)
    # An ended session keeps its name and metadata editable.
    owner.set_model_session_state(session_id, "COMPLETE")
    assert owner.update_model_session(session_id, name="final").name == "final"


def test_update_mask_paths_are_checked(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    for path in ("dataset_id", "category", "targets", "project_id", "model_count", "nope"):
        with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
            call(owner, "UpdateModelSession", pb.UpdateModelSessionRequest(
                model_session=ms.ModelSession(id=session_id, dataset_id="other"),
                update_mask=mask(path)))
    with raises(INVALID, "UPDATE_MASK_REQUIRED", "update_mask"):
        call(owner, "UpdateModelSession", pb.UpdateModelSessionRequest(
            model_session=ms.ModelSession(id=session_id, dataset_id="ignored")))
    with raises(INVALID, "STATE_REQUIRED", "model_session.state"):
        call(owner, "UpdateModelSession", pb.UpdateModelSessionRequest(
            model_session=ms.ModelSession(id=session_id), update_mask=mask("state")))
    # An empty mask updates the updatable fields that are set.
    response = call(owner, "UpdateModelSession", pb.UpdateModelSessionRequest(
        model_session=ms.ModelSession(id=session_id, name="by-empty-mask", dataset_id="ignored",
                                      state=ms.MODEL_SESSION_STATE_BUILDING_MODELS)))
    assert (response.model_session.name, response.model_session.dataset_id,
            response.model_session.state) == (
        "by-empty-mask", session.dataset_id, ms.MODEL_SESSION_STATE_BUILDING_MODELS)


# -- the registry -----------------------------------------------------------------------------


def test_build_logs_and_metrics_are_kept_in_order(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    when = datetime(2026, 11, 25, 9, 0, 1, tzinfo=timezone.utc)
    added = owner.add_model_session_logs(session_id, [
        "loading the dataset", ("WARNING", "12 rows without a target"),
        BuildLogEntry("fold 1", level="DEBUG", time=when)])
    assert added.registry.build_log_count == 3 and added.registry.build_logs == []
    owner.add_model_session_logs(session_id, [("error", "fold 2 failed")])
    owner.add_model_session_metrics(session_id, {"auc": 0.91, "rmse": 3})
    registry = owner.add_model_session_metrics(session_id, {"auc": 0.93, "f1": 0.5}).registry
    assert registry.metrics == {"auc": 0.93, "f1": 0.5, "rmse": 3.0}
    full = owner.get_model_session(session_id)
    logs = full.registry.build_logs
    assert [(e.level.name, e.message) for e in logs] == [
        ("INFO", "loading the dataset"), ("WARNING", "12 rows without a target"),
        ("DEBUG", "fold 1"), ("ERROR", "fold 2 failed")]
    assert logs[2].time == when and logs[0].time >= session.creation_datetime
    assert full.registry.build_log_count == 4 and full.update_datetime > session.update_datetime
    basic = owner.get_model_session(session_id, include_build_logs=False)
    assert basic.registry.build_logs == [] and basic.registry.metrics == registry.metrics
    listed = {s.model_session_id: s for s in owner.get_model_sessions(project_id)}[session_id]
    assert listed.registry.build_logs == [] and listed.registry.build_log_count == 4
    with_logs = {s.model_session_id: s
                 for s in owner.get_model_sessions(project_id, include_build_logs=True)}
    assert with_logs[session_id].registry.build_logs == logs


def test_the_registry_refuses_what_it_cannot_keep_and_adds_nothing_of_it(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    with raises(INVALID, "TOO_MANY_BUILD_LOGS", "build_logs"):
        owner.add_model_session_logs(session_id, ["line"] * 1001)
    owner.add_model_session_logs(session_id, [f"line {i}" for i in range(999)])
    request = pb.AddModelSessionRegistryEntriesRequest(
        model_session_id=session_id, metrics={"kept": 1.0},
        build_logs=[ms.BuildLogEntry(message="one more"), ms.BuildLogEntry(message="too many")])
    with raises(PRECONDITION, "MODEL_SESSION_BUILD_LOG_FULL"):
        call(owner, "AddModelSessionRegistryEntries", request)
    after = owner.get_model_session(session_id)
    assert after.registry.build_log_count == 999 and after.registry.metrics == {}
    assert len(after.registry.build_logs) == 999
    assert owner.add_model_session_logs(session_id, ["the last"]).registry.build_log_count == 1000
    with raises(PRECONDITION, "MODEL_SESSION_BUILD_LOG_FULL"):
        owner.add_model_session_logs(session_id, ["beyond"])

    owner.add_model_session_metrics(session_id, {f"m{i}": i for i in range(500)})
    with raises(INVALID, "TOO_MANY_METRICS", "metrics"):
        owner.add_model_session_metrics(session_id, {f"x{i}": i for i in range(501)})
    with raises(PRECONDITION, "MODEL_SESSION_METRICS_FULL"):
        owner.add_model_session_metrics(session_id, {"m0": -1, "new": 1})
    assert owner.get_model_session(session_id).registry.metrics["m0"] == 0  # nothing of it
    assert owner.add_model_session_metrics(session_id, {"m0": -1}).registry.metrics["m0"] == -1


@pytest.mark.parametrize(("entries", "metrics", "reason", "field"), [
    ([], {}, "REGISTRY_ENTRIES_REQUIRED", "build_logs"),
    ([ms.BuildLogEntry(message="  ")], {}, "BUILD_LOG_MESSAGE_REQUIRED", "build_logs[0].message"),
    ([ms.BuildLogEntry(message="ok"), ms.BuildLogEntry(message="x" * 1001)], {},
     "BUILD_LOG_MESSAGE_TOO_LONG", "build_logs[1].message"),
    ([ms.BuildLogEntry(message="ok", level=99)], {}, "INVALID_ENUM_VALUE", "build_logs[0].level"),
    ([], {"auc": math.nan}, "METRIC_VALUE_INVALID", "metrics['auc']"),
    ([], {"auc": math.inf}, "METRIC_VALUE_INVALID", "metrics['auc']"),
    ([], {" ": 1.0}, "METRIC_NAME_REQUIRED", "metrics"),
    ([], {"n" * 201: 1.0}, "METRIC_NAME_TOO_LONG", None),
])
def test_bad_registry_entries_are_invalid(owner, project_id, entries, metrics, reason, field):
    session = new_session(owner, project_id)
    with raises(INVALID, reason, field):
        call(owner, "AddModelSessionRegistryEntries", pb.AddModelSessionRegistryEntriesRequest(
            model_session_id=session.model_session_id, build_logs=entries, metrics=metrics))
    assert owner.get_model_session(session.model_session_id) == session


# -- listing and pages ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def listed(owner):
    """Seven sessions in a project of their own: states, datasets and categories mixed."""
    project = owner.create_project(unique("listed"))
    specs = [("QUEUED", "a", "USER_MODEL"), ("BUILDING_MODELS", "a", "USER_MODEL"),
             ("COMPLETE", "b", "PLATFORM_MODEL"), ("ERROR", "a", "PLATFORM_MODEL"),
             ("QUEUED", "b", "USER_MODEL"), ("GENERATING_CANDIDATES", "b", "USER_MODEL"),
             ("COMPLETE", "a", "USER_MODEL")]
    sessions = [new_session(owner, project, dataset_id=dataset, category=category, state=state)
                for state, dataset, category in specs]
    return project, sessions


def test_sessions_are_listed_oldest_first_with_their_filters(owner, listed):
    project, sessions = listed
    ids = [s.model_session_id for s in sessions]
    assert [s.model_session_id for s in owner.get_model_sessions(project)] == ids

    def only(**filters):
        return [s.model_session_id for s in owner.get_model_sessions(project, **filters)]

    assert only(state="QUEUED") == [ids[0], ids[4]]
    assert only(state=["COMPLETE", "ERROR"]) == [ids[2], ids[3], ids[6]]
    assert only(dataset_id="b") == [ids[2], ids[4], ids[5]]
    assert only(category="PLATFORM_MODEL") == [ids[2], ids[3]]
    assert only(state="COMPLETE", dataset_id="a", category="USER_MODEL") == [ids[6]]
    assert only(dataset_id="nothing") == []


def test_pages_cover_every_session_once(owner, listed):
    project, sessions = listed
    request = pb.ListModelSessionsRequest(project_id=project, page_size=3,
                                          states=[ms.MODEL_SESSION_STATE_QUEUED,
                                                  ms.MODEL_SESSION_STATE_COMPLETE,
                                                  ms.MODEL_SESSION_STATE_ERROR])
    seen, sizes = [], []
    while True:
        response = call(owner, "ListModelSessions", request)
        seen += [s.id for s in response.model_sessions]
        sizes.append(len(response.model_sessions))
        if not response.next_page_token:
            break
        request.page_token = response.next_page_token
    assert seen == [sessions[i].model_session_id for i in (0, 2, 3, 4, 6)] and sizes == [3, 2]
    assert [s.model_session_id for s in owner.get_model_sessions(project, page_size=2)] == [
        s.model_session_id for s in sessions]
    first = call(owner, "ListModelSessions", pb.ListModelSessionsRequest(project_id=project,
                                                                          page_size=2))
    with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):  # a token of another listing
        call(owner, "ListModelSessions", pb.ListModelSessionsRequest(
            project_id=project, dataset_id="a", page_token=first.next_page_token))
    with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):
        call(owner, "ListModelSessions", pb.ListModelSessionsRequest(project_id=project,
                                                                      page_token="garbage"))
    with raises(INVALID, "INVALID_PAGE_SIZE", "page_size"):
        call(owner, "ListModelSessions", pb.ListModelSessionsRequest(project_id=project,
                                                                      page_size=-1))
    for field_name, value in (("states", [99]), ("category", 99), ("view", 99)):
        with raises(INVALID, "INVALID_ENUM_VALUE"):
            call(owner, "ListModelSessions", pb.ListModelSessionsRequest(
                project_id=project, **{field_name: value}))


def test_pages_with_whole_build_logs_hold_at_most_fifty_sessions(owner):
    project = owner.create_project(unique("full-pages"))
    ids = [new_session(owner, project).model_session_id for _ in range(52)]
    owner.add_model_session_logs(ids[-1], ["the last one logs"])
    first = call(owner, "ListModelSessions", pb.ListModelSessionsRequest(
        project_id=project, page_size=100, view=ms.MODEL_SESSION_VIEW_FULL))
    assert len(first.model_sessions) == 50 and first.next_page_token
    assert len(call(owner, "ListModelSessions", pb.ListModelSessionsRequest(
        project_id=project, page_size=100)).model_sessions) == 52
    listed = list(owner.get_model_sessions(project, include_build_logs=True, page_size=100))
    assert [s.model_session_id for s in listed] == ids
    assert listed[-1].registry.build_logs[0].message == "the last one logs"


def test_show_model_sessions_prints_a_table(owner, listed, capsys):
    project, sessions = listed
    owner.show_model_sessions(project, state="COMPLETE")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Session", "ID", "Name", "Category", "State", "Dataset",
                                "Models", "Total", "Created"]
    assert len(lines) == 4
    assert sessions[2].model_session_id in lines[2] and "PLATFORM_MODEL" in lines[2]
    assert "0:00:00" in lines[2]


# -- built models ----------------------------------------------------------------------------


def test_a_model_of_a_session_takes_its_project_dataset_and_targets(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    model = owner.create_built_model("gbm-6", session_id=session_id, metadata={"depth": 6},
                                     binary_key="s3://acme-ml/models/gbm-6.bin")
    assert (model.project_id, model.model_session_id, model.type, model.name, model.dataset_id,
            model.target, model.metadata, model.state, model.model_binary_key,
            model.creator_id) == (
        project_id, session_id, BuiltModelType.SESSION, "gbm-6",
        session.dataset_id, session.target, {"depth": 6}, State.QUEUED,
        "s3://acme-ml/models/gbm-6.bin", owner.user_id)
    narrow = owner.create_built_model("gbm-churn", session_id=session_id, targets=["churned"],
                                      project_id=project_id, dataset_id=session.dataset_id)
    assert narrow.target == ["churned"]
    assert owner.get_built_model(model.built_model_id) == model
    assert owner.get_model_session(session_id).model_count == 2
    assert [m.built_model_id for m in owner.get_built_models(session_id=session_id)] == [
        model.built_model_id, narrow.built_model_id]
    for arguments, reason, field in [
        ({"targets": ["churned", "price"]}, "TARGET_NOT_IN_SESSION", "built_model.targets"),
        ({"dataset_id": "another"}, "DATASET_MISMATCH", "built_model.dataset_id"),
        ({"project_id": owner.create_project(unique("elsewhere"))}, "PROJECT_MISMATCH",
         "project_id"),
    ]:
        with raises(INVALID, reason, field):
            owner.create_built_model("refused", session_id=session_id, **arguments)
    assert owner.get_model_session(session_id).model_count == 2


def test_a_model_moves_through_the_states_of_a_session(owner, project_id):
    model = owner.create_built_model(
        "m", session_id=new_session(owner, project_id).model_session_id)
    building = owner.set_built_model_state(model.built_model_id, "BUILDING_MODELS")
    assert building.start_time is not None and building.end_time is None
    with raises(PRECONDITION, "BUILT_MODEL_STATE_MOVE_REFUSED") as caught:
        owner.set_built_model_state(model.built_model_id, "QUEUED")
    assert "a model cannot go back from BUILDING_MODELS to QUEUED" in caught.value.error_message
    done = owner.update_built_model(model.built_model_id, state="COMPLETE", binary_key="key/m.bin",
                                    name="m-final", metadata={"auc": 0.9})
    assert (done.state, done.model_binary_key, done.name, done.metadata) == (
        State.COMPLETE, "key/m.bin", "m-final", {"auc": 0.9})
    assert done.total_time == done.end_time - building.start_time
    with raises(PRECONDITION, "BUILT_MODEL_STATE_MOVE_REFUSED") as caught:
        owner.set_built_model_state(model.built_model_id, "ERROR")
    assert "the model has ended (COMPLETE)" in caught.value.error_message
    with raises(PRECONDITION, "BUILT_MODEL_STATE_MOVE_REFUSED"):  # nothing of it is kept
        owner.update_built_model(model.built_model_id, name="renamed", state="QUEUED")
    assert owner.get_built_model(model.built_model_id) == done
    started = owner.create_built_model("started", session_id=done.model_session_id,
                                       state="GENERATING_CANDIDATES")
    assert started.start_time == started.creation_datetime
    for path in ("model_session_id", "dataset_id", "targets", "type"):
        with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
            call(owner, "UpdateBuiltModel", pb.UpdateBuiltModelRequest(
                built_model=ms.BuiltModel(id=model.built_model_id), update_mask=mask(path)))


def test_detached_models_stand_alone_in_a_project(owner):
    project = owner.create_project(unique("detached"))
    session = new_session(owner, project, dataset_id="d1")
    session_id = session.model_session_id
    in_session = owner.create_built_model("in-session", session_id=session_id,
                                          state="COMPLETE")
    alone = owner.create_built_model("alone", project_id=project, dataset_id="d2",
                                     targets=["y"])
    other = owner.create_built_model("other", project_id=project, dataset_id="d1")
    assert (alone.type, alone.model_session_id, alone.dataset_id, alone.target) == (
        BuiltModelType.DETACHED, "", "d2", ["y"])

    def names(**filters):
        return [m.name for m in owner.get_built_models(**filters)]

    assert names(project_id=project) == ["in-session", "alone", "other"]
    assert names(project_id=project, detached_only=True) == ["alone", "other"]
    assert names(session_id=session_id) == ["in-session"]
    assert names(session_id=session_id, project_id=project) == ["in-session"]
    assert names(project_id=project, dataset_id="d1") == ["in-session", "other"]
    assert names(project_id=project, state="COMPLETE") == ["in-session"]
    assert names(project_id=project, state=["QUEUED"], detached_only=True) == ["alone", "other"]
    assert [m.built_model_id for m in owner.get_built_models(project_id=project, page_size=1)] == [
        in_session.built_model_id, alone.built_model_id, other.built_model_id]
    with raises(INVALID, "FILTERS_CONFLICT", "detached_only"):
        names(session_id=session_id, detached_only=True)
    with raises(INVALID, "PROJECT_MISMATCH", "project_id"):
        names(session_id=session_id, project_id=owner.create_project(unique("mismatch")))
    with raises(INVALID, "PROJECT_ID_REQUIRED", "project_id"):
        owner.create_built_model("nowhere", dataset_id="d")
    with raises(INVALID, "DATASET_ID_REQUIRED", "built_model.dataset_id"):
        owner.create_built_model("no-data", project_id=project)


def test_show_built_models_prints_a_table(owner, capsys):
    project = owner.create_project(unique("shown"))
    session = new_session(owner, project)
    session_id = session.model_session_id
    model = owner.create_built_model("shown", session_id=session_id, binary_key="k/shown.bin")
    owner.create_built_model("alone", project_id=project, dataset_id="d")
    owner.show_built_models(session_id=session_id)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Model", "ID", "Name", "Type", "Session", "ID", "State",
                                "Dataset", "Binary", "key", "Created"]
    assert len(lines) == 3 and model.built_model_id in lines[2] and "k/shown.bin" in lines[2]
    owner.show_built_models(project, detached_only=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "DETACHED" in lines[2]


def test_an_ended_session_takes_no_new_model(owner, project_id):
    for state in ("COMPLETE", "ERROR"):
        session = new_session(owner, project_id, state=state)
        with raises(PRECONDITION, "MODEL_SESSION_ENDED"):
            owner.create_built_model("late", session_id=session.model_session_id)
        assert owner.get_model_session(session.model_session_id).model_count == 0


def test_the_default_model_is_one_of_the_sessions_own(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    first = owner.create_built_model("first", session_id=session_id)
    second = owner.create_built_model("second", session_id=session_id)
    first_id = first.built_model_id
    assert owner.update_model_session(session_id, default_model_id=first_id).default_model_id \
        == first_id
    foreign = owner.create_built_model(
        "foreign", session_id=new_session(owner, project_id).model_session_id)
    detached = owner.create_built_model("detached", project_id=project_id, dataset_id="d")
    for model_id in (foreign.built_model_id, detached.built_model_id, "no-such-model"):
        with raises(NOT_FOUND, "BUILT_MODEL_NOT_FOUND"):
            owner.update_model_session(session_id, default_model_id=model_id)
    assert owner.get_model_session(session_id).default_model_id == first_id
    owner.delete_built_model(second.built_model_id)  # not the default: it stays
    assert owner.get_model_session(session_id).default_model_id == first_id
    owner.delete_built_model(first_id)
    after = owner.get_model_session(session_id)
    assert (after.default_model_id, after.model_count) == ("", 0)
    third = owner.create_built_model("third", session_id=session_id)
    owner.update_model_session(session_id, default_model_id=third.built_model_id)
    assert owner.update_model_session(session_id, default_model_id="").default_model_id == ""
    with raises(INVALID, "DEFAULT_MODEL_NOT_ALLOWED", "model_session.default_model_id"):
        call(owner, "CreateModelSession", pb.CreateModelSessionRequest(
            project_id=project_id, model_session=ms.ModelSession(
                name="n", dataset_id="d", category=ms.MODEL_SESSION_CATEGORY_USER_MODEL,
                default_model_id=third.built_model_id)))
    with fails(driftline.NotFoundError, "BUILT_MODEL_NOT_FOUND"):
        owner.delete_built_model(first_id)


# -- delete --------------------------------------------------------------------------------------


def _rows(database, table: str, session_id: str) -> int:
    with database.connect() as connection:
        return connection.execute(sa.text(
            f"SELECT count(*) FROM {table} WHERE model_session_id = :id"), {"id": session_id}
        ).scalar_one()


REGISTRY_TABLES = ("catalog_model_session_logs", "catalog_model_session_metrics",
                   "catalog_built_models")


def test_delete_removes_the_session_its_models_and_registry(owner, project_id, database):
    doomed, kept = new_session(owner, project_id), new_session(owner, project_id)
    doomed_id = doomed.model_session_id
    for session in (doomed, kept):
        models = [owner.create_built_model(f"m{i}", session_id=session.model_session_id)
                  for i in range(3)]
        owner.update_model_session(session.model_session_id,
                                   default_model_id=models[0].built_model_id)
        owner.add_model_session_logs(session.model_session_id, ["built", "evaluated"])
        owner.add_model_session_metrics(session.model_session_id, {"auc": 0.9})
    detached = owner.create_built_model("alone", project_id=project_id, dataset_id="d")
    doomed_models = [m.built_model_id for m in owner.get_built_models(session_id=doomed_id)]
    assert [_rows(database, table, doomed_id) for table in REGISTRY_TABLES] == [2, 1, 3]

    owner.delete_model_session(doomed_id)
    assert [_rows(database, table, doomed_id) for table in REGISTRY_TABLES] == [0, 0, 0]
    with database.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM catalog_model_session_events WHERE model_session_id = :id "
            "AND event_type = 'DELETED'"), {"id": doomed_id}).scalar_one() == 1
    with fails(driftline.NotFoundError, "MODEL_SESSION_NOT_FOUND"):
        owner.get_model_session(doomed_id)
    for model_id in doomed_models:
        with fails(driftline.NotFoundError, "BUILT_MODEL_NOT_FOUND"):
            owner.get_built_model(model_id)
    assert doomed_id not in [s.model_session_id for s in owner.get_model_sessions(project_id)]
    with fails(driftline.NotFoundError, "MODEL_SESSION_NOT_FOUND"):
        owner.delete_model_session(doomed_id)
    # The other session and the detached model are untouched.
    assert [_rows(database, table, kept.model_session_id) for table in REGISTRY_TABLES] == [2, 1, 3]
    assert owner.get_model_session(kept.model_session_id).model_count == 3
    assert owner.get_built_model(detached.built_model_id) == detached


# -- watching ---------------------------------------------------------------------------------


def _changes(events) -> list[tuple[str, str, str]]:
    """Each event's type, previous state and state, by name ("" for none)."""
    return [(e.event_type.name, e.previous_state.name if e.previous_state else "", e.state.name)
            for e in events]


def test_a_watch_sees_every_state_change_in_order_and_ends_with_the_session(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    watcher = Collector(lambda: owner.watch_model_session(session_id, timeout=30))
    watcher.start()
    for state in ("BUILDING_MODELS", "BUILDING_MODELS", "GENERATING_CANDIDATES"):
        owner.set_model_session_state(session_id, state)
    owner.update_model_session(session_id, name="not a state change")
    complete = owner.set_model_session_state(session_id, "COMPLETE")
    watcher.join(30)
    assert not watcher.is_alive() and watcher.error is None, watcher.error
    events = watcher.events
    assert _changes(events) == [
        ("STATE_CHANGED", "", "QUEUED"), ("STATE_CHANGED", "QUEUED", "BUILDING_MODELS"),
        ("STATE_CHANGED", "BUILDING_MODELS", "GENERATING_CANDIDATES"),
        ("STATE_CHANGED", "GENERATING_CANDIDATES", "COMPLETE")]
    assert [e.sequence for e in events] == sorted({e.sequence for e in events})
    assert {e.model_session_id for e in events} == {session_id}
    assert events[-1].end_time == complete.end_time
    assert events[-1].total_time == complete.total_time and events[-1].ends_session
    assert events[1].start_time == complete.start_time and events[1].end_time is None
    # Watching an ended session replays its history and ends; after its last event, at once.
    assert list(owner.watch_model_session(session_id, timeout=10)) == events
    assert list(owner.watch_model_session(session_id, after_sequence=events[1].sequence,
                                          timeout=10)) == events[2:]
    assert list(owner.watch_model_session(session_id, after_sequence=events[-1].sequence,
                                          timeout=10)) == []


def test_a_watcher_that_resumes_from_a_sequence_misses_nothing(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    owner.set_model_session_state(session_id, "BUILDING_MODELS")
    first = Collector(lambda: owner.watch_model_session(session_id, timeout=30),
                      stop_when=lambda e: e.state == State.BUILDING_MODELS)
    first.start()
    first.join(30)
    assert first.error is None and _changes(first.events)[-1][2] == "BUILDING_MODELS"
    # Changes made while nobody watches.
    owner.set_model_session_state(session_id, "GENERATING_CANDIDATES")
    owner.set_model_session_state(session_id, "ERROR")
    rest = list(owner.watch_model_session(session_id, after_sequence=first.events[-1].sequence,
                                          timeout=30))
    assert _changes(rest) == [("STATE_CHANGED", "BUILDING_MODELS", "GENERATING_CANDIDATES"),
                              ("STATE_CHANGED", "GENERATING_CANDIDATES", "ERROR")]
    assert first.events + rest == list(owner.watch_model_session(session_id, timeout=10))


def test_a_quiet_watch_gets_heartbeats_to_resume_from(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    watcher = Collector(lambda: owner.watch_model_session(
        session_id, heartbeat_interval=1, include_heartbeats=True, timeout=30))
    watcher.start()
    time.sleep(2.5)
    beats = [e for e in watcher.events if e.heartbeat]
    assert len(beats) >= 1 and watcher.events[0].state == State.QUEUED
    assert beats[-1].sequence >= watcher.events[0].sequence
    owner.set_model_session_state(session_id, "COMPLETE")
    watcher.join(30)
    assert watcher.error is None and watcher.events[-1].state == State.COMPLETE
    # From the last heartbeat on, exactly what came after it.
    assert _changes(owner.watch_model_session(session_id, after_sequence=beats[-1].sequence,
                                              timeout=10)) == [
        ("STATE_CHANGED", "QUEUED", "COMPLETE")]


def test_a_watch_ends_when_its_session_is_deleted(owner, project_id):
    session = new_session(owner, project_id)
    session_id = session.model_session_id
    watcher = Collector(lambda: owner.watch_model_session(session_id, timeout=30))
    watcher.start()
    time.sleep(0.5)
    owner.delete_model_session(session_id)
    watcher.join(30)
    assert watcher.error is None and _changes(watcher.events) == [
        ("STATE_CHANGED", "", "QUEUED"), ("DELETED", "QUEUED", "QUEUED")]
    with fails(driftline.NotFoundError, "MODEL_SESSION_NOT_FOUND"):
        list(owner.watch_model_session(session_id, timeout=10))


def test_watching_a_project_follows_its_sessions_only(owner):
    watched, other = owner.create_project(unique("watched")), owner.create_project(unique("o"))
    opening = Collector(lambda: owner.watch_model_sessions(watched, include_heartbeats=True,
                                                           heartbeat_interval=1),
                        stop_when=lambda e: e.state == State.COMPLETE)
    opening.start()
    time.sleep(1.0)
    assert opening.events and opening.events[0].heartbeat  # where it starts
    start = opening.events[0].sequence
    new_session(owner, other, state="COMPLETE")
    session = new_session(owner, watched)
    owner.set_model_session_state(session.model_session_id, "COMPLETE")
    opening.join(30)
    assert opening.error is None, opening.error
    events = [e for e in opening.events if not e.heartbeat]
    assert _changes(events) == [("STATE_CHANGED", "", "QUEUED"),
                                ("STATE_CHANGED", "QUEUED", "COMPLETE")]
    assert {e.project_id for e in events} == {watched}
    replay = Collector(lambda: owner.watch_model_sessions(watched, after_sequence=start),
                       stop_when=lambda e: e.state == State.COMPLETE)
    replay.start()
    replay.join(30)
    assert replay.error is None and replay.events == events


def test_waiting_for_a_session_returns_it_once_it_has_ended(owner, project_id):
    session = new_session(owner, project_id, state="BUILDING_MODELS")
    session_id = session.model_session_id
    with fails(driftline.DeadlineExceededError, "MODEL_SESSION_WAIT_TIMEOUT"):
        owner.wait_model_session(session_id, max_wait_timeout=1)
    waiter = Collector(lambda: [owner.wait_model_session(session_id, max_wait_timeout=30)])
    waiter.start()
    time.sleep(0.5)
    owner.add_model_session_logs(session_id, ["done"])
    owner.set_model_session_state(session_id, "COMPLETE")
    waiter.join(30)
    assert waiter.error is None, waiter.error
    ended = waiter.events[0]
    assert ended.state == State.COMPLETE and ended.registry.build_logs[0].message == "done"
    assert owner.wait_model_session(session_id, max_wait_timeout=5) == ended


def test_bad_watch_requests_are_invalid(owner, project_id):
    session = new_session(owner, project_id)
    with raises(INVALID, "INVALID_AFTER_SEQUENCE", "after_sequence"):
        list(owner.watch_model_session(session.model_session_id, after_sequence=-1, timeout=5))
    with raises(INVALID, "INVALID_AFTER_SEQUENCE", "after_sequence"):
        next(owner.watch_model_sessions(project_id, after_sequence=-1))
    for seconds in (0.5, 61):
        with raises(INVALID, "INVALID_ARGUMENT", "heartbeat_interval"):
            next(owner.watch_model_session(session.model_session_id, heartbeat_interval=seconds,
                                           timeout=5))
    with raises(NOT_FOUND, "MODEL_SESSION_NOT_FOUND"):
        list(owner.watch_model_session("no-such-session", timeout=5))


def test_a_restarted_server_keeps_sessions_models_and_the_event_log(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url).start()
    try:
        _, api_key = process.create_user("sessions-restart@example.com")
        with driftline.Client(process.address, api_key) as client:
            client.create_company(name="Restart", address="1 Loop Road", vat="IT1")
            wait_for_auth_cache()
            project = client.create_project("kept")
            session = client.create_model_session(project, "kept", "d", targets=["y"],
                                                  metadata=METADATA)
            session_id = session.model_session_id
            model = client.create_built_model("m", session_id=session_id, state="COMPLETE")
            client.set_model_session_state(session_id, "BUILDING_MODELS")
            client.add_model_session_logs(session_id, ["before the restart"])
            client.add_model_session_metrics(session_id, {"auc": 0.9})

            def read():
                return (client.get_model_session(session_id),
                        client.get_built_model(model.built_model_id),
                        list(itertools.islice(client.watch_model_session(session_id,
                                                                         timeout=10), 2)))

            before = read()
        process.stop()
        process.start()
        with driftline.Client(process.address, api_key) as client:
            assert read() == before
            client.set_model_session_state(session_id, "COMPLETE")
            rest = list(client.watch_model_session(session_id, timeout=10,
                                                   after_sequence=before[2][-1].sequence))
        assert [e.state for e in rest] == [State.COMPLETE]
        assert rest[0].sequence > before[2][-1].sequence  # the log goes on, never reused
    finally:
        process.stop()
        database.drop()


# -- who may do what ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(owner, company, project_id):
    session = new_session(owner, project_id)
    model = owner.create_built_model("guarded", session_id=session.model_session_id)
    return {
        "session": session, "model": model,
        "viewer": company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"}),
        "user": company.member("COMPANY_USER", {project_id: "PROJECT_USER"}),
        "no_role": company.user,
    }


def _reads(client, project_id, session_id, model_id):
    client.get_model_session(session_id)
    assert session_id in [s.model_session_id for s in client.get_model_sessions(project_id)]
    client.get_built_model(model_id)
    assert model_id in [m.built_model_id for m in client.get_built_models(session_id=session_id)]
    assert model_id in [m.built_model_id for m in client.get_built_models(project_id)]
    assert next(client.watch_model_session(session_id, timeout=10)).state == State.QUEUED
    assert next(client.watch_model_sessions(project_id, include_heartbeats=True)).heartbeat


def _writes(client, project_id, session_id, model_id):
    return [
        lambda: new_session(client, project_id),
        lambda: client.update_model_session(session_id, name="renamed"),
        lambda: client.set_model_session_state(session_id, "QUEUED"),
        lambda: client.add_model_session_logs(session_id, ["line"]),
        lambda: client.add_model_session_metrics(session_id, {"m": 1}),
        lambda: client.create_built_model("m", session_id=session_id),
        lambda: client.create_built_model("m", project_id=project_id, dataset_id="d"),
        lambda: client.update_built_model(model_id, name="renamed"),
        lambda: client.delete_built_model(client.create_built_model(
            "doomed", session_id=session_id).built_model_id),
        lambda: client.delete_model_session(new_session(client, project_id).model_session_id),
    ]


def test_project_view_reads_but_does_not_write(guarded, project_id):
    viewer, session, model = guarded["viewer"], guarded["session"], guarded["model"]
    _reads(viewer, project_id, session.model_session_id, model.built_model_id)
    for write in _writes(viewer, project_id, session.model_session_id, model.built_model_id):
        with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
            write()


def test_project_user_writes(guarded, project_id):
    user, session, model = guarded["user"], guarded["session"], guarded["model"]
    session_id = session.model_session_id
    _reads(user, project_id, session_id, model.built_model_id)
    for write in _writes(user, project_id, session_id, model.built_model_id):
        write()
    assert user.get_model_session(session_id).registry.metrics == {"m": 1}


def test_a_user_without_a_project_role_is_denied(guarded, project_id):
    no_role, session, model = guarded["no_role"], guarded["session"], guarded["model"]
    session_id = session.model_session_id
    for action in [lambda: _reads(no_role, project_id, session_id, model.built_model_id),
                   *_writes(no_role, project_id, session_id, model.built_model_id)]:
        with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
            action()


def test_another_company_finds_nothing(other_company, guarded, project_id):
    session, model = guarded["session"], guarded["model"]
    session_id = session.model_session_id
    for action in [lambda: other_company.get_model_session(session_id),
                   lambda: other_company.update_model_session(session_id, name="x"),
                   lambda: other_company.set_model_session_state(session_id, "ERROR"),
                   lambda: other_company.add_model_session_logs(session_id, ["x"]),
                   lambda: other_company.delete_model_session(session_id),
                   lambda: list(other_company.watch_model_session(session_id, timeout=5)),
                   lambda: list(other_company.get_built_models(session_id=session_id)),
                   lambda: other_company.create_built_model("x", session_id=session_id)]:
        with raises(NOT_FOUND, "MODEL_SESSION_NOT_FOUND"):
            action()
    for action in [lambda: other_company.get_built_model(model.built_model_id),
                   lambda: other_company.update_built_model(model.built_model_id, name="x"),
                   lambda: other_company.delete_built_model(model.built_model_id)]:
        with raises(NOT_FOUND, "BUILT_MODEL_NOT_FOUND"):
            action()
    for action in [lambda: new_session(other_company, project_id),
                   lambda: list(other_company.get_model_sessions(project_id)),
                   lambda: list(other_company.get_built_models(project_id)),
                   lambda: next(other_company.watch_model_sessions(project_id)),
                   lambda: other_company.create_built_model("x", project_id=project_id,
                                                            dataset_id="d")]:
        with raises(NOT_FOUND, "PROJECT_NOT_FOUND"):
            action()
    # Named with its own project, the session is still not found (never "in another project").
    own = other_company.create_project(unique("own"))
    with raises(NOT_FOUND, "MODEL_SESSION_NOT_FOUND"):
        other_company.create_built_model("x", session_id=session_id, project_id=own)


# -- bad input --------------------------------------------------------------------------------


def _create(owner, project_id, **fields) -> None:
    values = dict(name="n", dataset_id="d", category=ms.MODEL_SESSION_CATEGORY_USER_MODEL)
    values.update(fields)
    call(owner, "CreateModelSession", pb.CreateModelSessionRequest(
        project_id=project_id, model_session=ms.ModelSession(**values)))


@pytest.mark.parametrize(("fields", "reason", "field"), [
    ({"name": ""}, "NAME_REQUIRED", "model_session.name"),
    ({"name": "   "}, "NAME_REQUIRED", "model_session.name"),
    ({"name": "x" * 201}, "NAME_TOO_LONG", "model_session.name"),
    ({"dataset_id": ""}, "DATASET_ID_REQUIRED", "model_session.dataset_id"),
    ({"dataset_id": "d" * 201}, "DATASET_ID_TOO_LONG", "model_session.dataset_id"),
    ({"category": 0}, "CATEGORY_REQUIRED", "model_session.category"),
    ({"category": 99}, "INVALID_ENUM_VALUE", "model_session.category"),
    ({"state": 99}, "INVALID_ENUM_VALUE", "model_session.state"),
    ({"targets": ["y", "y"]}, "TARGET_DUPLICATE", "model_session.targets[1]"),
    ({"targets": ["y", " "]}, "TARGET_REQUIRED", "model_session.targets[1]"),
    ({"targets": [f"t{i}" for i in range(101)]}, "TOO_MANY_TARGETS", "model_session.targets"),
    ({"metadata": struct({"big": "x" * 70_000})}, "METADATA_TOO_LARGE",
     "model_session.metadata"),
])
def test_bad_sessions_are_invalid_and_nothing_is_stored(owner, fields, reason, field):
    project = owner.create_project(unique("bad"))
    with raises(INVALID, reason, field):
        _create(owner, project, **fields)
    assert list(owner.get_model_sessions(project)) == []


def test_metadata_must_be_json_without_nan(owner):
    project = owner.create_project(unique("metadata"))
    metadata = struct({"ok": 1})
    metadata.fields["bad"].number_value = math.nan
    with raises(INVALID, "METADATA_INVALID_VALUE", "model_session.metadata.bad"):
        _create(owner, project, metadata=metadata)
    unset = struct({})
    unset.fields.get_or_create("empty")  # a Value with no kind
    with raises(INVALID, "METADATA_INVALID_VALUE", "model_session.metadata.empty"):
        _create(owner, project, metadata=unset)
    for bad in ([1, 2], "text"):
        with fails(driftline.InvalidArgumentError, "METADATA_NOT_AN_OBJECT"):
            owner.create_model_session(project, "n", "d", metadata=bad)
    with fails(driftline.InvalidArgumentError, "METADATA_INVALID_VALUE"):
        owner.create_model_session(project, "n", "d", metadata={"a": {1, 2}})
    assert list(owner.get_model_sessions(project)) == []


def test_bad_updates_and_models_are_invalid_and_change_nothing(owner, project_id):
    session = new_session(owner, project_id, metadata={"kept": True})
    session_id = session.model_session_id
    model = owner.create_built_model("m", session_id=session_id)
    for arguments, reason, field in [
        ({"name": " "}, "NAME_REQUIRED", "model_session.name"),
        ({"name": "x" * 201}, "NAME_TOO_LONG", "model_session.name"),
    ]:
        with raises(INVALID, reason, field):
            owner.update_model_session(session_id, **arguments)
    with raises(INVALID, "INVALID_ENUM_VALUE", "model_session.state"):
        call(owner, "UpdateModelSession", pb.UpdateModelSessionRequest(
            model_session=ms.ModelSession(id=session_id, state=42), update_mask=mask("state")))
    assert owner.get_model_session(session_id, include_build_logs=False).name == session.name
    for arguments, reason, field in [
        ({"name": ""}, "NAME_REQUIRED", "built_model.name"),
        ({"binary_key": "k" * 1025}, "BINARY_KEY_TOO_LONG", "built_model.binary_key"),
        ({"targets": ["churned", "churned"]}, "TARGET_DUPLICATE", "built_model.targets[1]"),
        ({"metadata": [1]}, "METADATA_NOT_AN_OBJECT", None),
    ]:
        with fails(driftline.InvalidArgumentError, reason, field):
            owner.create_built_model(**{"name": "m", "session_id": session_id, **arguments})
    with raises(INVALID, "BINARY_KEY_TOO_LONG", "built_model.binary_key"):
        owner.update_built_model(model.built_model_id, binary_key="k" * 1025)
    with raises(INVALID, "UPDATE_MASK_REQUIRED", "update_mask"):
        call(owner, "UpdateBuiltModel", pb.UpdateBuiltModelRequest(
            built_model=ms.BuiltModel(id=model.built_model_id)))
    assert owner.get_model_session(session_id).model_count == 1
    assert owner.get_built_model(model.built_model_id) == model
    for missing in ("", "no-such-session"):
        with raises(NOT_FOUND, "MODEL_SESSION_NOT_FOUND"):
            owner.get_model_session(missing)
        with raises(NOT_FOUND, "BUILT_MODEL_NOT_FOUND"):
            owner.get_built_model(missing or "")
