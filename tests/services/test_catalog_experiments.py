"""Experiment tracking through the Python client (and raw stubs where the client cannot say it):
experiments, their models by hash and by id, iterations, metric points (the LogMetrics stream,
AppendMetrics, the metrics logger, listing with filters and pages) and modules; what a delete
takes with it; who may do what; every kind of bad input. The role matrix of every RPC is in
test_catalog_access.py."""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta, timezone

import grpc
import pydantic
import pytest
import sqlalchemy as sa
from google.protobuf import field_mask_pb2

import driftline
from catalog_helpers import raises
from conftest import unique
from driftline import MetricPoint, Module
from driftline.enums import Phase
from driftline.catalog.v1 import catalog_service_pb2 as pb, experiment_pb2
from harness import fails

INVALID = grpc.StatusCode.INVALID_ARGUMENT
NOT_FOUND = grpc.StatusCode.NOT_FOUND
DENIED = grpc.StatusCode.PERMISSION_DENIED
EXISTS = grpc.StatusCode.ALREADY_EXISTS


def call(client, method: str, request):
    return client.stubs.call(getattr(client.stubs.catalog, method), request)


def stream(client, messages: list[list[experiment_pb2.MetricPoint]]) -> pb.LogMetricsResponse:
    """A raw LogMetrics stream of these messages."""
    return client.stubs.client_stream(client.stubs.catalog.LogMetrics, lambda: (
        pb.LogMetricsRequest(metric_points=points) for points in messages))


def proto_points(model_id: str, count: int, name: str = "loss", **fields):
    return [experiment_pb2.MetricPoint(model_id=model_id, name=name, value=float(i), **fields)
            for i in range(count)]


def stored_points(database, model_id: str) -> int:
    with database.connect() as connection:
        return connection.execute(sa.text(
            "SELECT count(*) FROM catalog_experiment_metrics WHERE model_id = :m"),
            {"m": model_id}).scalar()


@pytest.fixture(scope="module")
def experiment(owner, project_id):
    return owner.create_experiment(project_id, "sweep", description="depth and width")


@pytest.fixture
def model(owner, experiment):
    """A fresh model of the experiment."""
    return owner.create_experiment_model(experiment.experiment_id, unique("hash"), name="resnet18")


# -- experiments ------------------------------------------------------------------------------


def test_an_experiment_is_created_read_updated_and_listed(owner, project_id, capsys):
    created = owner.create_experiment(project_id, "  baseline ", description="first try")
    assert (created.project_id, created.name, created.description, created.creator_id) == (
        project_id, "baseline", "first try", owner.user_id)
    assert created.creation_datetime.tzinfo is not None and created.update_datetime == created.creation_datetime
    assert owner.get_experiment(created.experiment_id) == created
    assert owner.create_experiment(project_id, "bare").description is None

    renamed = owner.update_experiment(created.experiment_id, name="baseline-2")
    assert (renamed.name, renamed.description) == ("baseline-2", "first try")
    assert renamed.update_datetime > created.update_datetime and renamed.creation_datetime == created.creation_datetime
    assert owner.update_experiment(created.experiment_id, description="").description is None
    assert owner.update_experiment(created.experiment_id) == owner.get_experiment(
        created.experiment_id)
    assert created.experiment_id in [e.experiment_id for e in owner.get_experiments(project_id)]

    owner.show_experiments(project_id)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Experiment", "ID", "Name", "Description", "Created"]
    assert any(created.experiment_id in line and "baseline-2" in line for line in lines[2:])


def test_experiments_are_listed_oldest_first_in_pages(owner):
    project = owner.create_project(unique("paged-experiments"))
    ids = [owner.create_experiment(project, f"e{i}").experiment_id for i in range(7)]
    assert [e.experiment_id for e in owner.get_experiments(project, page_size=3)] == ids
    first = call(owner, "ListExperiments", pb.ListExperimentsRequest(project_id=project,
                                                                      page_size=5))
    assert len(first.experiments) == 5 and first.next_page_token
    rest = call(owner, "ListExperiments", pb.ListExperimentsRequest(
        project_id=project, page_size=5, page_token=first.next_page_token))
    assert [e.id for e in rest.experiments] == ids[5:] and rest.next_page_token == ""
    with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):  # a token of another project
        call(owner, "ListExperiments", pb.ListExperimentsRequest(
            project_id=owner.create_project(unique("other")), page_token=first.next_page_token))


def test_creates_with_a_request_id_are_idempotent(owner, project_id, experiment):
    request = pb.CreateExperimentRequest(project_id=project_id, request_id=unique("req"),
                                         experiment=experiment_pb2.Experiment(name="retried"))
    first = call(owner, "CreateExperiment", request).experiment
    assert call(owner, "CreateExperiment", request).experiment == first

    request = pb.CreateExperimentModelRequest(
        experiment_id=experiment.experiment_id, request_id=unique("req"),
        experiment_model=experiment_pb2.ExperimentModel(hash=unique("retried")))
    first = call(owner, "CreateExperimentModel", request).experiment_model
    assert call(owner, "CreateExperimentModel", request).experiment_model == first  # not EXISTS

    request = pb.CreateIterationRequest(
        model_id=first.id, request_id=unique("req"),
        iteration=experiment_pb2.Iteration(epoch=0, phase=experiment_pb2.PHASE_TRAINING))
    iteration = call(owner, "CreateIteration", request).iteration
    assert call(owner, "CreateIteration", request).iteration == iteration
    with raises(INVALID, "REQUEST_ID_TOO_LONG", "request_id"):
        call(owner, "CreateExperiment", pb.CreateExperimentRequest(
            project_id=project_id, request_id="r" * 65,
            experiment=experiment_pb2.Experiment(name="x")))


# -- models -----------------------------------------------------------------------------------


def test_a_model_is_read_by_hash_and_by_id(owner, experiment, capsys):
    hash = unique("sha")
    model = owner.create_experiment_model(experiment.experiment_id, hash, name="resnet18",
                                          description="18 layers")
    assert (model.experiment_id, model.hash, model.name, model.description, model.step,
            model.creator_id) == (experiment.experiment_id, hash, "resnet18", "18 layers", None,
                                  owner.user_id)
    assert owner.read_experiment_model(experiment.experiment_id, hash) == model
    assert owner.get_experiment_model(model.experiment_model_id) == model
    assert owner.read_experiment_model(experiment.experiment_id, unique("missing")) is None
    bare = owner.create_experiment_model(experiment.experiment_id, unique("sha"))
    assert (bare.name, bare.description) == (None, None)

    owner.show_experiment_models(experiment.experiment_id)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Model", "ID", "Hash", "Name", "Step", "Created"]
    assert any(model.experiment_model_id in line and hash in line and "resnet18" in line
               for line in lines)


def test_a_hash_is_unique_in_its_experiment_only(owner, project_id, experiment):
    hash = unique("sha")
    first = owner.create_experiment_model(experiment.experiment_id, hash)
    with fails(driftline.AlreadyExistsError, "EXPERIMENT_MODEL_ALREADY_EXISTS") as caught:
        owner.create_experiment_model(experiment.experiment_id, hash, name="again")
    assert caught.value.metadata == {"experiment_id": experiment.experiment_id, "hash": hash}
    assert owner.read_experiment_model(experiment.experiment_id, hash) == first  # unchanged
    elsewhere = owner.create_experiment(project_id, "elsewhere")
    second = owner.create_experiment_model(elsewhere.experiment_id, hash)  # another namespace
    assert second.experiment_model_id != first.experiment_model_id
    assert owner.read_experiment_model(elsewhere.experiment_id, hash) == second
    upper = owner.create_experiment_model(experiment.experiment_id, hash.upper())
    assert upper.hash == hash.upper()


def test_concurrent_creates_of_one_hash_make_one_model(owner, experiment):
    hash = unique("raced")
    outcomes: list = []

    def create() -> None:
        try:
            outcomes.append(owner.create_experiment_model(experiment.experiment_id,
                                                          hash).experiment_model_id)
        except driftline.DriftlineError as error:
            outcomes.append(error.error_code)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    model_id = owner.read_experiment_model(experiment.experiment_id, hash).experiment_model_id
    assert sorted(outcomes) == sorted([model_id] + ["EXPERIMENT_MODEL_ALREADY_EXISTS"] * 5)


def test_a_model_is_renamed_by_hash_and_its_step_written(owner, experiment, model):
    model_id = model.experiment_model_id
    renamed = owner.update_experiment_model(experiment.experiment_id, model.hash, "resnet18-wide")
    assert (renamed.experiment_model_id, renamed.name, renamed.hash) == (
        model_id, "resnet18-wide", model.hash)
    assert renamed.update_datetime > model.update_datetime
    assert owner.set_experiment_model_step(model_id, 1200).step == 1200
    assert owner.get_experiment_model(model_id).step == 1200
    assert owner.set_experiment_model_step(model_id, 0).step == 0
    assert owner.set_experiment_model_step(model_id, None).step is None
    assert owner.update_experiment_model(experiment.experiment_id, model.hash, "").name is None
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        owner.update_experiment_model(experiment.experiment_id, unique("missing"), "x")


def test_update_mask_paths_are_checked(owner, experiment, model):
    model_id = model.experiment_model_id
    response = call(owner, "UpdateExperimentModel", pb.UpdateExperimentModelRequest(
        experiment_model=experiment_pb2.ExperimentModel(id=model_id, name="ignored",
                                                        description="kept", step=7),
        update_mask=field_mask_pb2.FieldMask(paths=["description", "step"])))
    assert (response.experiment_model.name, response.experiment_model.description,
            response.experiment_model.step) == ("resnet18", "kept", 7)
    for paths in (["hash"], ["experiment_id"], ["id"], ["name", "creator_id"]):
        with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
            call(owner, "UpdateExperimentModel", pb.UpdateExperimentModelRequest(
                experiment_model=experiment_pb2.ExperimentModel(id=model_id, hash="other"),
                update_mask=field_mask_pb2.FieldMask(paths=paths)))
    with raises(INVALID, "UPDATE_MASK_REQUIRED", "update_mask"):
        call(owner, "UpdateExperimentModel", pb.UpdateExperimentModelRequest(
            experiment_model=experiment_pb2.ExperimentModel(id=model_id)))
    with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
        call(owner, "UpdateExperiment", pb.UpdateExperimentRequest(
            experiment=experiment_pb2.Experiment(id=experiment.experiment_id,
                                                 project_id="elsewhere"),
            update_mask=field_mask_pb2.FieldMask(paths=["project_id"])))
    # An empty mask updates the fields that are set; the model is named by its hash here.
    response = call(owner, "UpdateExperimentModel", pb.UpdateExperimentModelRequest(
        experiment_model=experiment_pb2.ExperimentModel(
            experiment_id=experiment.experiment_id, hash=model.hash, name="by-hash")))
    assert (response.experiment_model.id, response.experiment_model.name,
            response.experiment_model.step) == (model_id, "by-hash", 7)
    assert owner.get_experiment(experiment.experiment_id).project_id != "elsewhere"


def test_models_are_listed_oldest_first_in_pages(owner, project_id):
    experiment = owner.create_experiment(project_id, "many models")
    hashes = [f"{i:064x}" for i in range(23)]
    for hash in hashes:
        owner.create_experiment_model(experiment.experiment_id, hash)
    listed = owner.list_experiment_models(experiment.experiment_id, page_size=5)
    assert [m.hash for m in listed] == hashes
    sizes = []
    request = pb.ListExperimentModelsRequest(experiment_id=experiment.experiment_id, page_size=10)
    while True:
        response = call(owner, "ListExperimentModels", request)
        sizes.append(len(response.experiment_models))
        if not response.next_page_token:
            break
        request.page_token = response.next_page_token
    assert sizes == [10, 10, 3]
    with raises(INVALID, "INVALID_PAGE_SIZE", "page_size"):
        call(owner, "ListExperimentModels", pb.ListExperimentModelsRequest(
            experiment_id=experiment.experiment_id, page_size=-1))


# -- iterations -------------------------------------------------------------------------------


def test_iterations_are_recorded_once_per_phase_and_epoch(owner, model, capsys):
    model_id = model.experiment_model_id
    start = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
    made = []
    for epoch in range(3):
        begin = start + timedelta(minutes=10 * epoch)
        made.append(owner.create_iteration(model_id, epoch, "TRAINING", begin,
                                           begin + timedelta(minutes=8)))
        made.append(owner.create_iteration(model_id, epoch, "PHASE_VALIDATION",
                                           begin + timedelta(minutes=8),
                                           begin + timedelta(minutes=9)))
    assert (made[0].epoch, made[0].phase, made[0].start_datetime, made[0].end_datetime) == (
        0, Phase.TRAINING, start, start + timedelta(minutes=8))
    assert list(owner.get_iterations(model_id, page_size=4)) == made  # by start time
    assert [i.epoch for i in owner.get_iterations(model_id, "VALIDATION")] == [0, 1, 2]
    assert list(owner.get_iterations(model_id, "TEST")) == []

    with fails(driftline.AlreadyExistsError, "ITERATION_ALREADY_EXISTS"):
        owner.create_iteration(model_id, 1, "TRAINING")
    evaluation = owner.create_iteration(model_id, 1, "EVALUATION")  # another phase
    assert evaluation.end_datetime is None and evaluation.start_datetime > start
    naive = owner.create_iteration(model_id, 9, "TEST", start_time=datetime(2026, 1, 1, 12))
    assert naive.start_datetime == datetime(2026, 1, 1, 12, tzinfo=timezone.utc)  # naive is UTC

    owner.show_iterations(model_id, "TRAINING")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Epoch", "Phase", "Started", "Ended", "Seconds"]
    assert lines[2].split() == ["0", "TRAINING", "2026-11-25", "10:00:00", "2026-11-25",
                                "10:08:00", "480.0"]


def test_bad_iterations_are_refused(owner, model):
    with fails(driftline.InvalidArgumentError, "PHASE_REQUIRED", "iteration.phase"):
        owner.create_iteration(model.experiment_model_id, 0, None)
    with fails(driftline.InvalidArgumentError, "EPOCH_NEGATIVE", "iteration.epoch"):
        owner.create_iteration(model.experiment_model_id, -1, "TRAINING")
    start = datetime(2026, 11, 25, tzinfo=timezone.utc)
    with fails(driftline.InvalidArgumentError, "ITERATION_ENDS_BEFORE_START",
               "iteration.end_time"):
        owner.create_iteration(model.experiment_model_id, 0, "TRAINING", start,
                               start - timedelta(seconds=1))
    with fails(driftline.InvalidArgumentError, "ITERATION_ENDS_BEFORE_START"):  # start: now
        owner.create_iteration(model.experiment_model_id, 0, "TRAINING", end_time=start)
    with raises(INVALID, "INVALID_ENUM_VALUE", "iteration.phase"):
        call(owner, "CreateIteration", pb.CreateIterationRequest(
            model_id=model.experiment_model_id, iteration=experiment_pb2.Iteration(phase=99)))
    request = pb.CreateIterationRequest(
        model_id=model.experiment_model_id,
        iteration=experiment_pb2.Iteration(phase=experiment_pb2.PHASE_TRAINING))
    request.iteration.start_time.seconds = 10**12  # beyond the year 9999
    with raises(INVALID, "INVALID_TIMESTAMP", "iteration.start_time"):
        call(owner, "CreateIteration", request)
    with raises(INVALID, "INVALID_ENUM_VALUE", "phase"):
        call(owner, "ListIterations", pb.ListIterationsRequest(
            model_id=model.experiment_model_id, phase=-3))
    assert list(owner.get_iterations(model.experiment_model_id)) == []


# -- metric points ----------------------------------------------------------------------------


def test_points_are_logged_and_listed_by_name_time_and_arrival(owner, experiment, capsys):
    first = owner.create_experiment_model(experiment.experiment_id,
                                          unique("m1")).experiment_model_id
    second = owner.create_experiment_model(experiment.experiment_id,
                                           unique("m2")).experiment_model_id
    start = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    points = []
    for step in range(1500):  # two models in the same stream, interleaved
        moment = start + timedelta(milliseconds=step)
        points.append(MetricPoint(first, "loss", 1 / (step + 1), "TRAINING", 0, step, moment))
        points.append(MetricPoint(second, "loss", 2.0, "TRAINING", 0, step, moment))
        if step % 10 == 0:
            points.append(MetricPoint(first, "accuracy", step / 1500, "VALIDATION", step // 100,
                                      None, moment))
    assert owner.log_metrics(points, batch_size=250) == len(points)

    listed = list(owner.get_metrics(first, page_size=1000))
    mine = [p for p in points if p.experiment_model_id == first]
    assert listed == sorted(mine, key=lambda p: (p.name, p.time))  # every field back as sent
    assert [p.name for p in listed[:150]] == ["accuracy"] * 150
    assert list(owner.get_metrics(first, "loss", page_size=333)) == [
        p for p in mine if p.name == "loss"]
    assert [p.step for p in owner.get_metrics(second, "loss", "TRAINING")] == list(range(1500))
    assert list(owner.get_metrics(first, "loss", "VALIDATION")) == []
    assert len(list(owner.get_metrics(first, phase="VALIDATION"))) == 150

    # Points of the same name and time come back in the order they were stored.
    same = [MetricPoint(first, "tie", float(i), time=start) for i in range(5)]
    owner.log_metrics(same)
    owner.append_metrics([MetricPoint(first, "tie", 5.0, time=start)])
    assert [p.value for p in owner.get_metrics(first, "tie", page_size=2)] == [
        0, 1, 2, 3, 4, 5]

    owner.show_metrics(first, "accuracy", limit=3)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Name", "Phase", "Epoch", "Step", "Value", "Time"]
    assert lines[2].split() == ["accuracy", "VALIDATION", "0", "0", "2026-11-25", "12:00:00"]
    assert len(lines) == 6 and "more than 3 points" in lines[-1]
    owner.show_metrics(first, "tie", limit=None)
    assert len(capsys.readouterr().out.splitlines()) == 2 + 6


def test_a_point_without_a_time_takes_the_servers(owner, model):
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    owner.append_metrics([MetricPoint(model.experiment_model_id, "when", 1.0)])
    (point,) = owner.get_metrics(model.experiment_model_id, "when")
    assert before < point.time < datetime.now(timezone.utc) + timedelta(seconds=5)
    assert (point.phase, point.epoch, point.step) == (None, None, None)


def test_a_stream_of_thousands_of_points_in_many_messages(owner, model, database):
    model_id = model.experiment_model_id
    count = owner.log_metrics((MetricPoint(model_id, f"m{i % 4}", i * 0.5, "TRAINING", 0, i)
                               for i in range(30_000)), batch_size=1000)
    assert count == 30_000 == stored_points(database, model_id)
    response = stream(owner, [proto_points(model_id, 10_000, "raw")] * 3)
    assert (response.point_count, response.message_count, response.model_count) == (
        30_000, 3, 1)
    assert stored_points(database, model_id) == 60_000
    assert [p.value for p in owner.get_metrics(model_id, "m3", page_size=1000)][-2:] == [
        14997.5, 14999.5]
    assert stream(owner, []).point_count == 0  # an empty stream stores nothing, and says so


def test_a_refused_message_stores_nothing_of_its_stream(owner, model, database):
    good = proto_points(model.experiment_model_id, 1000)
    bad = proto_points(model.experiment_model_id, 1000)
    bad[17].value = math.nan
    with raises(INVALID, "METRIC_VALUE_NOT_FINITE", "metric_points[17].value") as caught:
        stream(owner, [good, good, bad, good])
    assert caught.value.metadata == {"message_index": "2", "point_index": "17"}
    assert "message 2" in caught.value.error_message and "nothing" in caught.value.error_message

    unknown = proto_points(model.experiment_model_id, 10)
    unknown[4].model_id = "no-such-model"
    with raises(NOT_FOUND, "EXPERIMENT_MODEL_NOT_FOUND") as caught:
        stream(owner, [good, unknown])
    assert caught.value.metadata == {"id": "no-such-model", "message_index": "1",
                                     "point_index": "4"}
    assert stored_points(database, model.experiment_model_id) == 0

    with raises(INVALID, "METRIC_STREAM_TOO_LARGE", "metric_points") as caught:
        stream(owner, [proto_points(model.experiment_model_id, 10_000)] * 10 + [good])
    assert caught.value.metadata["message_index"] == "10"
    assert stored_points(database, model.experiment_model_id) == 0


def test_log_metrics_sends_streams_of_at_most_the_servers_size(owner, model, database,
                                                                monkeypatch):
    """Each stream stands alone: those before a refused one are stored."""
    model_id = model.experiment_model_id
    from driftline import _experiments

    monkeypatch.setattr(_experiments, "MAX_STREAM_POINTS", 1000)
    points = [MetricPoint(model_id, "split", float(i)) for i in range(3500)]
    assert owner.log_metrics(points, batch_size=300) == 3500
    assert stored_points(database, model_id) == 3500
    points[2500] = MetricPoint("no-such-model", "split", 0.0)
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND") as caught:
        owner.log_metrics(points, batch_size=300)
    assert caught.value.metadata["message_index"] == "1"  # 2500 = 2 streams + 1 message + 200
    assert caught.value.metadata["point_index"] == "200"
    assert stored_points(database, model_id) == 3500 + 2000


def test_bad_points_are_refused_naming_the_point(owner, model, database):
    model_id = model.experiment_model_id
    cases = [
        ({"value": math.inf}, "METRIC_VALUE_NOT_FINITE", "value"),
        ({"value": -math.inf}, "METRIC_VALUE_NOT_FINITE", "value"),
        ({"value": math.nan}, "METRIC_VALUE_NOT_FINITE", "value"),
        ({"name": ""}, "METRIC_NAME_INVALID", "name"),
        ({"name": "   "}, "METRIC_NAME_INVALID", "name"),
        ({"name": "n" * 201}, "METRIC_NAME_INVALID", "name"),
        ({"name": "line\nbreak"}, "METRIC_NAME_INVALID", "name"),
        ({"name": "nul\x00"}, "METRIC_NAME_INVALID", "name"),
        ({"epoch": -1}, "EPOCH_NEGATIVE", "epoch"),
        ({"step": -5}, "STEP_NEGATIVE", "step"),
        ({"phase": 42}, "INVALID_ENUM_VALUE", "phase"),
    ]
    for fields, reason, field in cases:
        points = proto_points(model_id, 3)
        for key, value in fields.items():
            setattr(points[2], key, value)
        with raises(INVALID, reason, f"metric_points[2].{field}"):
            call(owner, "AppendMetrics", pb.AppendMetricsRequest(metric_points=points))
        with raises(INVALID, reason, f"metric_points[2].{field}"):
            stream(owner, [proto_points(model_id, 3), points])
    late = proto_points(model_id, 1)
    late[0].time.seconds = -10**12
    with raises(INVALID, "INVALID_TIMESTAMP", "metric_points[0].time"):
        call(owner, "AppendMetrics", pb.AppendMetricsRequest(metric_points=late))
    for count in (0, 10_001):
        with raises(INVALID, "METRIC_BATCH_SIZE", "metric_points"):
            call(owner, "AppendMetrics", pb.AppendMetricsRequest(
                metric_points=proto_points(model_id, count)))
    with raises(INVALID, "METRIC_BATCH_SIZE", "metric_points"):
        stream(owner, [proto_points(model_id, 2), []])
    with raises(NOT_FOUND, "EXPERIMENT_MODEL_NOT_FOUND"):
        owner.append_metrics([MetricPoint("", "loss", 1.0)])
    assert stored_points(database, model_id) == 0
    name = "n" * 200  # the longest name is fine
    assert owner.append_metrics([MetricPoint(model_id, name, 1e308)]) == 1
    assert [p.value for p in owner.get_metrics(model_id, name)] == [1e308]
    with raises(INVALID, "METRIC_NAME_INVALID", "name"):
        list(owner.get_metrics(model_id, "n" * 201))


def test_the_metrics_logger_streams_in_the_background(owner, model, database):
    model_id = model.experiment_model_id
    with owner.metrics_logger(model_id, flush_interval=0.2, batch_size=500) as logger:
        for step in range(7000):
            logger.log("loss", 1 / (step + 1), phase="TRAINING", epoch=step // 1000, step=step)
        logger.flush()
        assert logger.stored == 7000 == stored_points(database, model_id)
        logger.log("accuracy", 0.5, phase="VALIDATION", epoch=6)
        with fails(driftline.InvalidArgumentError, "METRIC_VALUE_NOT_FINITE"):
            logger.log("loss", math.nan)  # at once, in the caller's thread
    assert logger.stored == 7001
    steps = [p.step for p in owner.get_metrics(model_id, "loss", page_size=1000)]
    assert steps == list(range(7000))
    (accuracy,) = owner.get_metrics(model_id, "accuracy")
    assert (accuracy.phase, accuracy.epoch, accuracy.step) == (Phase.VALIDATION, 6, None)
    with pytest.raises(RuntimeError):
        logger.log("loss", 1.0)  # closed


def test_a_logger_sends_what_waits_once_the_interval_passes(owner, model, database):
    model_id = model.experiment_model_id
    import time

    with owner.metrics_logger(model_id, flush_interval=0.1) as logger:
        logger.log("few", 1.0)
        deadline = time.monotonic() + 10
        while stored_points(database, model_id) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored_points(database, model_id) == 1  # no flush asked for
    assert logger.stored == 1


def test_a_refused_logger_stops_and_says_why(owner, model, database):
    logger = owner.metrics_logger("no-such-model", flush_interval=0.05)
    logger.log("loss", 1.0)
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        logger.flush()
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        logger.log("loss", 2.0)
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        logger.close()

    # Leaving the block on the caller's error still stores what was logged.
    with pytest.raises(ZeroDivisionError):
        with owner.metrics_logger(model.experiment_model_id, flush_interval=60) as logger:
            logger.log("kept", 1.0, model_id=model.experiment_model_id)
            1 / 0
    assert stored_points(database, model.experiment_model_id) == 1


# -- modules ----------------------------------------------------------------------------------


def test_modules_are_added_and_listed_in_order(owner, model, capsys):
    model_id = model.experiment_model_id
    modules = [
        Module("backbone", "torchvision.models.resnet18", {"weights": None, "layers": [2, 2]},
               hash="a1b2"),
        Module("head", "torch.nn.Linear", {"in_features": 512, "out_features": 10}),
        Module("optimizer", "torch.optim.SGD", {"lr": 0.1, "momentum": 0.9}),
    ]
    added = owner.add_modules(model_id, modules)
    assert [(m.name, m.type, m.arguments, m.hash, m.experiment_model_id) for m in added] == [
        (m.name, m.type, m.arguments, m.hash, model_id) for m in modules]
    more = owner.add_modules(model_id, [Module(f"block{i}", "Block") for i in range(1000)])
    assert more[0].arguments == {}
    listed = owner.get_modules(model_id)  # two pages of 1000
    assert listed[:3] == added and len(listed) == 1003
    assert [m.name for m in listed[3:6]] == ["block0", "block1", "block2"]

    with fails(driftline.AlreadyExistsError, "MODULE_ALREADY_EXISTS") as caught:
        owner.add_modules(model_id, [Module("fresh", "X"), Module("head", "Y")])
    assert caught.value.metadata["names"] == "head"
    assert len(owner.get_modules(model_id)) == 1003  # all or none

    owner.show_modules(model_id)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Name", "Type", "Arguments", "Hash"]
    assert lines[2].split() == ["backbone", "torchvision.models.resnet18",
                                '{"layers":[2,2],"weights":null}', "a1b2"]


def test_bad_modules_are_refused(owner, model):
    with fails(driftline.InvalidArgumentError, "NAME_REQUIRED", "modules[1].name"):
        owner.add_modules(model.experiment_model_id, [Module("ok", "X"), Module("  ", "X")])
    with fails(driftline.InvalidArgumentError, "NAME_TOO_LONG", "modules[0].name"):
        owner.add_modules(model.experiment_model_id, [Module("m" * 201, "X")])
    with fails(driftline.InvalidArgumentError, "MODULE_TYPE_REQUIRED", "modules[0].type"):
        owner.add_modules(model.experiment_model_id, [Module("m", "")])
    with fails(driftline.InvalidArgumentError, "MODULE_TYPE_TOO_LONG", "modules[0].type"):
        owner.add_modules(model.experiment_model_id, [Module("m", "t" * 201)])
    with fails(driftline.InvalidArgumentError, "MODULE_NAME_DUPLICATE", "modules[2].name"):
        owner.add_modules(model.experiment_model_id,
                          [Module("a", "X"), Module("b", "X"), Module("a", "Y")])
    with fails(driftline.InvalidArgumentError, "HASH_INVALID", "modules[0].hash"):
        owner.add_modules(model.experiment_model_id, [Module("m", "X", hash="has blank")])
    with fails(driftline.InvalidArgumentError, "MODULE_ARGUMENTS_INVALID_VALUE"):
        owner.add_modules(model.experiment_model_id, [Module("m", "X", {"lr": math.nan})])
    with pytest.raises(pydantic.ValidationError):  # refused as the module is made
        Module("m", "X", [1, 2])
    for count in (0, 1001):
        with raises(INVALID, "MODULE_BATCH_SIZE", "modules"):
            call(owner, "AddModules", pb.AddModulesRequest(
                model_id=model.experiment_model_id,
                modules=[experiment_pb2.Module(name=f"m{i}", type="X") for i in range(count)]))
    request = pb.AddModulesRequest(model_id=model.experiment_model_id,
                                   modules=[experiment_pb2.Module(name="m", type="X")])
    request.modules[0].arguments.fields["bad"].number_value = math.inf
    with raises(INVALID, "MODULE_ARGUMENTS_INVALID_VALUE", "modules[0].arguments.bad"):
        call(owner, "AddModules", request)
    assert owner.get_modules(model.experiment_model_id) == []


# -- deletes ----------------------------------------------------------------------------------


def _owned_rows(database, model_id: str) -> dict[str, int]:
    with database.connect() as connection:
        return {table: connection.execute(sa.text(
            f"SELECT count(*) FROM {table} WHERE model_id = :m"), {"m": model_id}).scalar()
            for table in ("catalog_experiment_metrics", "catalog_experiment_iterations",
                          "catalog_experiment_modules")}


def _populate(owner, model) -> None:
    model_id = model.experiment_model_id
    owner.create_iteration(model_id, 0, "TRAINING")
    owner.log_metrics(MetricPoint(model_id, "loss", float(i)) for i in range(2000))
    owner.add_modules(model_id, [Module("head", "Linear")])


def test_deleting_a_model_removes_what_it_owns(owner, experiment, model, database):
    model_id = model.experiment_model_id
    kept = owner.create_experiment_model(experiment.experiment_id, unique("kept"))
    _populate(owner, model)
    _populate(owner, kept)
    assert _owned_rows(database, model_id) == {"catalog_experiment_metrics": 2000,
                                               "catalog_experiment_iterations": 1,
                                               "catalog_experiment_modules": 1}
    owner.delete_experiment_model(model_id)
    assert set(_owned_rows(database, model_id).values()) == {0}
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        owner.get_experiment_model(model_id)
    assert owner.read_experiment_model(experiment.experiment_id, model.hash) is None
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        owner.delete_experiment_model(model_id)
    with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
        owner.log_metrics([MetricPoint(model_id, "loss", 1.0)])
    # the other model's stay
    assert set(_owned_rows(database, kept.experiment_model_id).values()) == {1, 2000}
    # Its hash is free again.
    again = owner.create_experiment_model(experiment.experiment_id, model.hash)
    assert again.experiment_model_id != model_id


def test_deleting_an_experiment_removes_its_models_and_theirs(owner, project_id, database):
    doomed = owner.create_experiment(project_id, "doomed")
    models = [owner.create_experiment_model(doomed.experiment_id, unique("h")) for _ in range(2)]
    for model in models:
        _populate(owner, model)
    kept = owner.create_experiment(project_id, "kept")
    kept_model = owner.create_experiment_model(kept.experiment_id, models[0].hash)
    _populate(owner, kept_model)
    owner.delete_experiment(doomed.experiment_id)
    for model in models:
        assert set(_owned_rows(database, model.experiment_model_id).values()) == {0}
    with database.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM catalog_experiment_models WHERE experiment_id = :e"),
            {"e": doomed.experiment_id}).scalar() == 0
    with fails(driftline.NotFoundError, "EXPERIMENT_NOT_FOUND"):
        owner.get_experiment(doomed.experiment_id)
    with fails(driftline.NotFoundError, "EXPERIMENT_NOT_FOUND"):
        owner.read_experiment_model(doomed.experiment_id, models[0].hash)  # not None: no experiment
    assert doomed.experiment_id not in [e.experiment_id for e in owner.get_experiments(project_id)]
    assert owner.read_experiment_model(kept.experiment_id, models[0].hash) == kept_model
    assert set(_owned_rows(database, kept_model.experiment_model_id).values()) == {1, 2000}


# -- who may do what --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def members(company, project_id):
    return {"viewer": company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"}),
            "user": company.member("COMPANY_USER", {project_id: "PROJECT_USER"})}


def test_a_viewer_reads_but_cannot_log(owner, members, experiment, model, database):
    model_id = model.experiment_model_id
    viewer = members["viewer"]
    owner.append_metrics([MetricPoint(model_id, "loss", 1.0)])
    assert viewer.read_experiment_model(experiment.experiment_id, model.hash) == model
    assert [p.value for p in viewer.get_metrics(model_id)] == [1.0]
    with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
        viewer.log_metrics([MetricPoint(model_id, "loss", 2.0)])
    with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
        viewer.create_experiment_model(experiment.experiment_id, unique("h"))
    logger = viewer.metrics_logger(model_id)
    logger.log("loss", 3.0)
    with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
        logger.close()
    user = members["user"]
    assert user.log_metrics([MetricPoint(model_id, "loss", 4.0)]) == 1
    assert stored_points(database, model_id) == 2


def test_another_company_can_neither_see_nor_log(owner, other_company, experiment, model,
                                                 database):
    for action in [lambda: other_company.get_experiment(experiment.experiment_id),
                   lambda: other_company.read_experiment_model(experiment.experiment_id,
                                                               model.hash),
                   lambda: other_company.delete_experiment(experiment.experiment_id)]:
        with raises(NOT_FOUND, "EXPERIMENT_NOT_FOUND"):
            action()
    for action in [lambda: other_company.get_experiment_model(model.experiment_model_id),
                   lambda: list(other_company.get_metrics(model.experiment_model_id)),
                   lambda: other_company.log_metrics([
                       MetricPoint(model.experiment_model_id, "loss", 1.0)]),
                   lambda: other_company.set_experiment_model_step(model.experiment_model_id, 3)]:
        with raises(NOT_FOUND, "EXPERIMENT_MODEL_NOT_FOUND"):
            action()
    # A stream mixing a model of its own with one of another company stores nothing.
    own = other_company.create_experiment_model(
        other_company.create_experiment(other_company.create_project(unique("globex")),
                                        "own").experiment_id,
        "own")
    with raises(NOT_FOUND, "EXPERIMENT_MODEL_NOT_FOUND") as caught:
        other_company.log_metrics([MetricPoint(own.experiment_model_id, "loss", 1.0),
                                   MetricPoint(model.experiment_model_id, "loss", 1.0)])
    assert caught.value.metadata["point_index"] == "1"
    assert stored_points(database, own.experiment_model_id) == 0
    assert stored_points(database, model.experiment_model_id) == 0
    assert owner.get_experiment_model(model.experiment_model_id).step is None


# -- bad input --------------------------------------------------------------------------------


def test_bad_names_hashes_and_ids(owner, project_id, experiment, model):
    with fails(driftline.InvalidArgumentError, "NAME_REQUIRED", "experiment.name"):
        owner.create_experiment(project_id, " ")
    with fails(driftline.InvalidArgumentError, "NAME_TOO_LONG", "experiment.name"):
        owner.create_experiment(project_id, "e" * 201)
    with fails(driftline.InvalidArgumentError, "DESCRIPTION_TOO_LONG", "experiment.description"):
        owner.create_experiment(project_id, "e", description="d" * 2001)
    with fails(driftline.InvalidArgumentError, "NAME_REQUIRED", "experiment.name"):
        owner.update_experiment(experiment.experiment_id, name="")
    for bad in ("", "two words", "tab\there", "x" * 129):
        with fails(driftline.InvalidArgumentError,
                   "HASH_REQUIRED" if not bad else "HASH_INVALID", "experiment_model.hash"):
            owner.create_experiment_model(experiment.experiment_id, bad)
    assert owner.create_experiment_model(experiment.experiment_id, "x" * 128).hash == "x" * 128
    with fails(driftline.InvalidArgumentError, "NAME_TOO_LONG", "experiment_model.name"):
        owner.create_experiment_model(experiment.experiment_id, unique("h"), name="n" * 201)
    with fails(driftline.InvalidArgumentError, "DESCRIPTION_TOO_LONG",
               "experiment_model.description"):
        owner.create_experiment_model(experiment.experiment_id, unique("h"), description="d" * 2001)
    with fails(driftline.InvalidArgumentError, "NAME_TOO_LONG", "experiment_model.name"):
        owner.update_experiment_model(experiment.experiment_id, model.hash, "n" * 201)
    with fails(driftline.InvalidArgumentError, "STEP_NEGATIVE", "experiment_model.step"):
        owner.set_experiment_model_step(model.experiment_model_id, -1)
    with raises(INVALID, "STEP_NEGATIVE", "experiment_model.step"):
        call(owner, "CreateExperimentModel", pb.CreateExperimentModelRequest(
            experiment_id=experiment.experiment_id,
            experiment_model=experiment_pb2.ExperimentModel(hash=unique("h"), step=-2)))
    for bad in ("no-such-id", "", "x" * 500):
        with fails(driftline.NotFoundError, "EXPERIMENT_NOT_FOUND"):
            owner.get_experiment(bad)
        with fails(driftline.NotFoundError, "EXPERIMENT_NOT_FOUND"):
            owner.create_experiment_model(bad, unique("h"))
        with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
            owner.get_experiment_model(bad)
        with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
            owner.create_iteration(bad, 0, "TRAINING")
        with fails(driftline.NotFoundError, "EXPERIMENT_MODEL_NOT_FOUND"):
            owner.get_modules(bad)
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        owner.create_experiment("no-such-project", "e")
    # the refused updates changed nothing
    assert owner.get_experiment_model(model.experiment_model_id) == model


def test_bad_metric_page_tokens(owner, model):
    owner.log_metrics(MetricPoint(model.experiment_model_id, f"m{i}", 1.0) for i in range(5))
    first = call(owner, "ListMetrics", pb.ListMetricsRequest(model_id=model.experiment_model_id,
                                                             page_size=2))
    assert first.next_page_token
    with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):  # a token of another listing
        call(owner, "ListMetrics", pb.ListMetricsRequest(
            model_id=model.experiment_model_id, name="m1", page_token=first.next_page_token))
    for token in ("garbage!", "e30="):
        with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):
            call(owner, "ListMetrics", pb.ListMetricsRequest(model_id=model.experiment_model_id,
                                                             page_token=token))
    with raises(INVALID, "INVALID_PAGE_SIZE", "page_size"):
        call(owner, "ListMetrics", pb.ListMetricsRequest(model_id=model.experiment_model_id,
                                                         page_size=-1))


# -- conversions (no server) ------------------------------------------------------------------


def test_points_modules_and_iterations_round_trip_through_conversions():
    from types import SimpleNamespace

    from driftline_server.catalog import conversions as convert
    from driftline_server.catalog.experiments import ModuleDraft, Phase
    from driftline_server.catalog.models import IterationRow, ModuleRow
    from driftline_server.platform.clock import as_utc

    moment = datetime(2026, 11, 25, 10, 0, 0, 123456, tzinfo=timezone.utc)
    points = [
        experiment_pb2.MetricPoint(model_id="m", name="loss", value=0.25,
                                   phase=experiment_pb2.PHASE_TRAINING, epoch=0, step=7),
        experiment_pb2.MetricPoint(model_id="m", name="acc", value=-1e-300),
    ]
    points[0].time.FromDatetime(moment)
    drafts = convert.metric_points_from_proto(points)
    assert drafts == [("m", "loss", 0.25, Phase.TRAINING, 0, 7, moment),
                      ("m", "acc", -1e-300, None, None, None, None)]
    row = SimpleNamespace(**dict(zip(
        ["model_id", "name", "value", "phase", "epoch", "step", "time"],
        [*drafts[0][:3], "TRAINING", *drafts[0][4:]])))
    assert convert.metric_point_to_proto(row) == points[0]

    iteration = experiment_pb2.Iteration(epoch=3, phase=experiment_pb2.PHASE_TEST)
    iteration.start_time.FromDatetime(moment)
    arguments = convert.iteration_from_proto(iteration)
    assert arguments == {"epoch": 3, "phase": Phase.TEST, "start_time": moment, "end_time": None}
    stored = IterationRow(id="i", model_id="m", epoch=3, phase="TEST", start_time=moment,
                          create_time=moment)
    back = convert.iteration_to_proto(stored)
    assert (back.epoch, back.phase, as_utc(back.start_time.ToDatetime()), back.HasField(
        "end_time")) == (3, experiment_pb2.PHASE_TEST, moment, False)

    module = experiment_pb2.Module(name="head", type="Linear", hash="h1")
    module.arguments.update({"in": 512, "bias": True, "act": None})
    (draft,) = convert.modules_from_proto([module])
    assert draft == ModuleDraft("head", "Linear", {"in": 512.0, "bias": True, "act": None}, "h1")
    row = ModuleRow(id="x", model_id="m", name="head", type="Linear", hash="h1",
                    arguments={"in": 512, "bias": True, "act": None}, create_time=moment)
    assert convert.module_to_proto(row).arguments == module.arguments
    assert convert.modules_from_proto([experiment_pb2.Module(name="n", type="t")])[0].arguments \
        is None  # unset arguments: {}
