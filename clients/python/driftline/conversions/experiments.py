"""Experiment tracking's messages (driftline.catalog.v1 experiment.proto) to the client's
results and back: experiments, experiment models, iterations, metric points and modules.

Example:
    >>> from driftline.conversions.experiments import metric_point_to_proto
    >>> metric_point_to_proto(MetricPoint(model_id, "loss", 0.42, "TRAINING")).phase
    1
"""

from __future__ import annotations

from datetime import datetime, timezone

from google.protobuf import timestamp_pb2

from driftline.catalog.v1 import experiment_pb2
from driftline.conversions._common import text_or_none, to_datetime, to_timestamp
from driftline.conversions._json import dict_to_struct, struct_to_dict
from driftline.enums import Phase, enum_member
from driftline.types.experiments import (
    Experiment,
    ExperimentModel,
    Iteration,
    MetricPoint,
    Module,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _phase(number: int) -> Phase | int | None:
    return enum_member(Phase, number) if number else None


def _fast_timestamp(moment: datetime | None) -> timestamp_pb2.Timestamp | None:
    """A datetime (naive: UTC) as a Timestamp, to the microsecond: ``to_timestamp`` without
    FromDatetime's cost, for the metric points sent by the hundred thousand."""
    if moment is None:
        return None
    delta = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)) - _EPOCH
    return timestamp_pb2.Timestamp(seconds=delta.days * 86_400 + delta.seconds,
                                   nanos=delta.microseconds * 1000)


def experiment_from_proto(message: experiment_pb2.Experiment) -> Experiment:
    return Experiment(
        experiment_id=message.id, project_id=message.project_id, name=message.name,
        description=text_or_none(message.description), creator_id=message.creator_id,
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time))


def experiment_to_proto(experiment: Experiment) -> experiment_pb2.Experiment:
    return experiment_pb2.Experiment(
        id=experiment.experiment_id, project_id=experiment.project_id, name=experiment.name,
        description=experiment.description or "", creator_id=experiment.creator_id,
        create_time=to_timestamp(experiment.creation_datetime),
        update_time=to_timestamp(experiment.update_datetime))


def experiment_model_from_proto(message: experiment_pb2.ExperimentModel) -> ExperimentModel:
    return ExperimentModel(
        experiment_model_id=message.id, experiment_id=message.experiment_id, hash=message.hash,
        name=text_or_none(message.name), description=text_or_none(message.description),
        step=message.step if message.HasField("step") else None,
        creator_id=message.creator_id, creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time))


def experiment_model_to_proto(model: ExperimentModel) -> experiment_pb2.ExperimentModel:
    return experiment_pb2.ExperimentModel(
        id=model.experiment_model_id, experiment_id=model.experiment_id, hash=model.hash,
        name=model.name or "", description=model.description or "", step=model.step,
        creator_id=model.creator_id, create_time=to_timestamp(model.creation_datetime),
        update_time=to_timestamp(model.update_datetime))


def iteration_from_proto(message: experiment_pb2.Iteration) -> Iteration:
    return Iteration(
        iteration_id=message.id, experiment_model_id=message.model_id, epoch=message.epoch,
        phase=enum_member(Phase, message.phase), start_datetime=to_datetime(message.start_time),
        end_datetime=to_datetime(message.end_time), creation_datetime=to_datetime(message.create_time))


def iteration_to_proto(iteration: Iteration) -> experiment_pb2.Iteration:
    return experiment_pb2.Iteration(
        id=iteration.iteration_id, model_id=iteration.experiment_model_id,
        epoch=iteration.epoch, phase=int(iteration.phase),
        start_time=to_timestamp(iteration.start_datetime),
        end_time=to_timestamp(iteration.end_datetime),
        create_time=to_timestamp(iteration.creation_datetime))


def metric_point_from_proto(message: experiment_pb2.MetricPoint) -> MetricPoint:
    return MetricPoint(
        experiment_model_id=message.model_id, name=message.name, value=message.value,
        phase=_phase(message.phase),
        epoch=message.epoch if message.HasField("epoch") else None,
        step=message.step if message.HasField("step") else None,
        time=to_datetime(message.time))


def metric_point_to_proto(point: MetricPoint) -> experiment_pb2.MetricPoint:
    return experiment_pb2.MetricPoint(
        model_id=point.experiment_model_id, name=point.name, value=point.value,
        phase=int(point.phase or 0), epoch=point.epoch, step=point.step,
        time=_fast_timestamp(point.time))


def add_metric_point(points, point: MetricPoint) -> None:
    """``metric_point_to_proto(point)`` appended to a request's repeated ``metric_points``
    field, built in place (no copy): how LogMetrics and AppendMetrics requests are filled."""
    points.add(model_id=point.experiment_model_id, name=point.name, value=point.value,
               phase=int(point.phase or 0), epoch=point.epoch, step=point.step,
               time=_fast_timestamp(point.time))


def module_from_proto(message: experiment_pb2.Module) -> Module:
    return Module(
        name=message.name, type=message.type, arguments=struct_to_dict(message.arguments),
        hash=text_or_none(message.hash), module_id=message.id,
        experiment_model_id=message.model_id, creation_datetime=to_datetime(message.create_time))


def module_to_proto(module: Module, field: str = "arguments") -> experiment_pb2.Module:
    """The module's message; its arguments are checked as the server checks them
    (InvalidArgumentError MODULE_ARGUMENTS_..., naming ``field``)."""
    return experiment_pb2.Module(
        id=module.module_id, model_id=module.experiment_model_id, name=module.name,
        type=module.type, arguments=dict_to_struct(module.arguments, field, "MODULE_ARGUMENTS"),
        hash=module.hash or "", create_time=to_timestamp(module.creation_datetime))
