"""The catalog extras' conversions (driftline.conversions.experiments, .model_runs,
.model_sessions, .python_models): every message they convert survives the round trip to its
result and back with every field set; results carry the names of their references and
driftline.enums members; what a user builds to send (metric points, modules, training inputs,
build log lines) takes positional fields and enum names. No server needed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pydantic
import pytest
from conversions_helpers import assert_round_trip, filled

from driftline.catalog.v1 import (
    catalog_service_pb2 as pb,
    experiment_pb2,
    model_run_pb2,
    model_session_pb2 as ms,
    python_model_pb2 as ppb,
)
from driftline.conversions import experiments, model_runs, model_sessions, python_models
from driftline.enums import (
    BuildLogLevel,
    BuiltModelType,
    CpuSize,
    ModelCodeFailure,
    ModelSessionEventType,
    ModelSessionState,
    Phase,
    PythonModelVersionStatus,
    TrainingDataKind,
)
from driftline.errors import InvalidArgumentError
from driftline.types import (
    BuildLogEntry,
    BuiltModel,
    Experiment,
    ExperimentModel,
    Iteration,
    MetricPoint,
    ModelRun,
    ModelSession,
    ModelSessionEvent,
    ModelSessionRegistry,
    Module,
    PythonModel,
    PythonModelVersion,
    Result,
    TrainingInput,
)

# Every message converted, with its pair of functions.
PAIRS = [
    (experiment_pb2.Experiment, experiments.experiment_from_proto,
     experiments.experiment_to_proto),
    (experiment_pb2.ExperimentModel, experiments.experiment_model_from_proto,
     experiments.experiment_model_to_proto),
    (experiment_pb2.Iteration, experiments.iteration_from_proto,
     experiments.iteration_to_proto),
    (experiment_pb2.MetricPoint, experiments.metric_point_from_proto,
     experiments.metric_point_to_proto),
    (experiment_pb2.Module, experiments.module_from_proto, experiments.module_to_proto),
    (model_run_pb2.ModelRun, model_runs.model_run_from_proto, model_runs.model_run_to_proto),
    (ms.BuildLogEntry, model_sessions.build_log_entry_from_proto,
     model_sessions.build_log_entry_to_proto),
    (ms.ModelSessionRegistry, model_sessions.model_session_registry_from_proto,
     model_sessions.model_session_registry_to_proto),
    (ms.ModelSession, model_sessions.model_session_from_proto,
     model_sessions.model_session_to_proto),
    (ms.BuiltModel, model_sessions.built_model_from_proto, model_sessions.built_model_to_proto),
    (ms.ModelSessionEvent, model_sessions.model_session_event_from_proto,
     model_sessions.model_session_event_to_proto),
    (ppb.TrainingInput, python_models.training_input_from_proto,
     python_models.training_input_to_proto),
    (ppb.PythonModel, python_models.python_model_from_proto,
     python_models.python_model_to_proto),
    (ppb.PythonModelVersion, python_models.python_model_version_from_proto,
     python_models.python_model_version_to_proto),
]


@pytest.mark.parametrize(("message_type", "from_proto", "to_proto"), PAIRS,
                         ids=[pair[0].__name__ for pair in PAIRS])
def test_every_message_survives_the_round_trip(message_type, from_proto, to_proto):
    for choice in range(max([len(o.fields) for o in message_type.DESCRIPTOR.oneofs
                             if not o.name.startswith("_")], default=1)):
        message = filled(message_type, choice)
        assert_round_trip(message, from_proto, to_proto)
        assert isinstance(from_proto(message), Result)
    if not _holds_json(message_type.DESCRIPTOR):  # a JSON object is always sent, {} or not
        assert_round_trip(message_type(), from_proto, to_proto)  # unset stays unset


def _holds_json(descriptor) -> bool:
    return any(field.message_type is not None and (
        field.message_type.full_name == "google.protobuf.Struct"
        or (field.message_type.full_name.startswith("driftline.")
            and _holds_json(field.message_type))) for field in descriptor.fields)


@pytest.mark.parametrize("response_type", [pb.WatchModelSessionResponse,
                                           pb.WatchModelSessionsResponse])
def test_watch_answers_are_events_or_heartbeats(response_type):
    name = response_type.__name__.removeprefix("Watch").removesuffix("Response")
    snake = "watch_" + "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    from_proto = getattr(model_sessions, f"{snake}_response_from_proto")
    to_proto = getattr(model_sessions, f"{snake}_response_to_proto")
    event = filled(ms.ModelSessionEvent)
    answer = response_type(event=event, sequence=event.sequence)
    assert_round_trip(answer, from_proto, to_proto)
    assert from_proto(answer) == model_sessions.model_session_event_from_proto(event)
    heartbeat = response_type(heartbeat=True, sequence=41)
    assert_round_trip(heartbeat, from_proto, to_proto)
    assert from_proto(heartbeat) == ModelSessionEvent(sequence=41, heartbeat=True)
    assert not from_proto(heartbeat).ends_session


def test_results_are_named_as_their_references():
    """Own ids are <type>_id; the references' names otherwise (model sessions: target,
    model_binary_key, total_time, registry; model runs: model_run_info; Python models:
    source_code, memory, cpu_size, ...); enums are driftline.enums members."""
    assert {"experiment_id", "project_id", "name", "description"} <= set(
        Experiment.model_fields)
    assert {"experiment_model_id", "experiment_id", "hash", "name", "description",
            "step"} <= set(ExperimentModel.model_fields)
    assert {"iteration_id", "experiment_model_id", "epoch", "phase"} <= set(
        Iteration.model_fields)
    assert list(MetricPoint.model_fields)[:3] == ["experiment_model_id", "name", "value"]
    assert list(Module.model_fields)[:4] == ["name", "type", "arguments", "hash"]
    assert {"module_id", "experiment_model_id"} <= set(Module.model_fields)
    assert {"model_run_id", "model_run_info", "model_name", "model_ids"} <= set(
        ModelRun.model_fields)
    assert {"model_session_id", "name", "category", "dataset_id", "target", "metadata",
            "state", "start_time", "end_time", "total_time", "default_model_id",
            "model_count", "registry"} <= set(ModelSession.model_fields)
    assert {"build_logs", "build_log_count", "metrics"} == set(ModelSessionRegistry.model_fields)
    assert {"built_model_id", "model_session_id", "type", "name", "dataset_id", "target",
            "metadata", "state", "start_time", "end_time", "total_time",
            "model_binary_key"} <= set(BuiltModel.model_fields)
    assert {"sequence", "event_type", "heartbeat", "model_session_id", "state",
            "previous_state"} <= set(ModelSessionEvent.model_fields)
    assert {"python_model_id", "task_id", "name", "source_code", "train_function_name",
            "predict_function_name", "predict_many_function_name", "initialize_function_name",
            "training_inputs", "cpu_size", "memory", "package_requirements", "use_gpu",
            "is_thread_safe", "training_config"} <= set(PythonModel.model_fields)
    assert {"model_id", "python_model_id", "version", "status", "error", "failure",
            "job_id"} <= set(PythonModelVersion.model_fields)
    for result in (Experiment, ExperimentModel, Iteration, ModelRun, ModelSession, BuiltModel,
                   PythonModel):
        assert "id" not in result.model_fields

    session = model_sessions.model_session_from_proto(filled(ms.ModelSession))
    assert session.state is ModelSessionState.ERROR and session.ended  # the last value
    assert session.total_time == timedelta(milliseconds=1500 + 11)
    assert session.creation_datetime.tzinfo is timezone.utc
    built = model_sessions.built_model_from_proto(filled(ms.BuiltModel))
    assert built.type is BuiltModelType.DETACHED
    assert built.model_binary_key == built_model_message_key()
    version = python_models.python_model_version_from_proto(filled(ppb.PythonModelVersion))
    assert version.status is PythonModelVersionStatus.FAILED
    assert version.failure is ModelCodeFailure.NO_GPU
    model = python_models.python_model_from_proto(filled(ppb.PythonModel))
    assert model.cpu_size is CpuSize.LARGE
    assert model.training_inputs[0].kind is TrainingDataKind.PRODUCTION
    point = experiments.metric_point_from_proto(filled(experiment_pb2.MetricPoint))
    assert point.phase is Phase.EVALUATION


def built_model_message_key() -> str:
    return filled(ms.BuiltModel).binary_key


def test_unset_values_are_none_and_unknown_enum_numbers_stay_ints():
    point = experiments.metric_point_from_proto(
        experiment_pb2.MetricPoint(model_id="m", name="loss", value=1.0))
    assert (point.phase, point.epoch, point.step, point.time) == (None, None, None, None)
    assert experiments.metric_point_to_proto(point) == experiment_pb2.MetricPoint(
        model_id="m", name="loss", value=1.0)
    created = model_sessions.model_session_event_from_proto(ms.ModelSessionEvent(
        sequence=3, type=ms.MODEL_SESSION_EVENT_TYPE_STATE_CHANGED,
        state=ms.MODEL_SESSION_STATE_QUEUED))
    assert created.previous_state is None and created.total_time is None
    assert created.event_type is ModelSessionEventType.STATE_CHANGED
    newer = python_models.python_model_version_from_proto(
        ppb.PythonModelVersion(model_id="m", status=99))
    assert newer.status == 99 and newer.failure is None
    assert python_models.python_model_version_to_proto(newer).status == 99
    run = model_runs.model_run_from_proto(model_run_pb2.ModelRun(id="r", project_id="p"))
    assert (run.model_name, run.model_run_info, run.model_ids) == (None, {}, [])


def test_json_objects_come_back_with_integral_numbers_as_ints():
    run = model_runs.model_run_to_proto(ModelRun(
        model_run_id="r", project_id="p",
        model_run_info={"epochs": 10, "lr": 0.5, "layers": [64, 32], "nested": {"ok": True}}))
    assert model_runs.model_run_from_proto(run).model_run_info == {
        "epochs": 10, "lr": 0.5, "layers": [64, 32], "nested": {"ok": True}}
    assert isinstance(model_runs.model_run_from_proto(run).model_run_info["epochs"], int)
    with pytest.raises(InvalidArgumentError) as caught:
        experiments.module_to_proto(Module("m", "X", {"bad": object()}), "modules[3].arguments")
    assert caught.value.error_code == "MODULE_ARGUMENTS_INVALID_VALUE"
    assert "modules[3].arguments" in str(caught.value)


def test_what_a_user_sends_takes_positions_and_names():
    moment = datetime(2026, 11, 25, 10, tzinfo=timezone.utc)
    point = MetricPoint("m", "loss", 0.5, "TRAINING", 1, 2, moment)
    assert point == MetricPoint(experiment_model_id="m", name="loss", value=0.5,
                                phase=Phase.TRAINING, epoch=1, step=2, time=moment)
    assert MetricPoint("m", "x", 1.0, phase="phase_test").phase is Phase.TEST
    assert MetricPoint("m", "x", 1.0, phase=2).phase is Phase.VALIDATION
    message = experiments.metric_point_to_proto(point)
    assert (message.phase, message.epoch, message.step) == (experiment_pb2.PHASE_TRAINING, 1, 2)
    assert message.time.ToDatetime(tzinfo=timezone.utc) == moment
    naive = experiments.metric_point_to_proto(MetricPoint("m", "x", 1.0, time=datetime(2026, 1, 1)))
    assert naive.time.seconds == int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())
    assert Module("head", "torch.nn.Linear", {"in": 512}).arguments == {"in": 512}
    assert TrainingInput("HISTORICAL").kind is TrainingDataKind.HISTORICAL
    assert BuildLogEntry("slow", "warning").level is BuildLogLevel.WARNING
    assert BuildLogEntry("done").level is BuildLogLevel.INFO
    with pytest.raises(pydantic.ValidationError):
        MetricPoint("m", "x", 1.0, phase="SOMETIME")
    with pytest.raises(pydantic.ValidationError):
        Module("m", "X", [1, 2])  # arguments are a JSON object
    with pytest.raises(TypeError):
        MetricPoint("m", "x", 1.0, name="twice")
    with pytest.raises(pydantic.ValidationError):
        point.value = 2.0  # results are frozen
