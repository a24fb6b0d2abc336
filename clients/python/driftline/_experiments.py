"""Experiment tracking of ``driftline.Client``: experiments (namespaces of models in a project),
their models (each addressed by a hash unique in its experiment, and by a global id), and what a
model owns: iterations, metric points and modules.

Results are ``driftline.types`` models (Experiment, ExperimentModel, Iteration, MetricPoint,
Module), whose own ids are ``experiment_id``, ``experiment_model_id``, ``iteration_id`` and
``module_id``. Phases are given by name (``"TRAINING"``, ``"VALIDATION"``, ``"TEST"``,
``"EVALUATION"``, with or without the ``PHASE_`` prefix), as ``driftline.enums.Phase`` members or
as ``experiment_pb2.Phase`` values, and come back as Phase members. Naive datetimes are taken as
UTC; times come back as aware UTC datetimes.

Metric points are appended in bulk: ``log_metrics`` streams any number of points (LogMetrics,
messages of ``batch_size`` points, one answer per stream of up to 100 000 points), and
``metrics_logger`` buffers points logged one at a time and streams them from a background
thread, so a training loop never waits for a round trip. Appends are not retried: a retry could
store the same points twice.
"""

from __future__ import annotations

import functools
import itertools
import math
import threading
import time as clock
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

from google.protobuf import field_mask_pb2

from driftline import display
from driftline._catalog import _request_id
from driftline._enums import enum_value
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline.catalog.v1 import catalog_service_pb2 as pb, catalog_service_pb2_grpc, experiment_pb2
from driftline.conversions._common import to_timestamp
from driftline.conversions.experiments import (
    add_metric_point,
    experiment_from_proto,
    experiment_model_from_proto,
    iteration_from_proto,
    metric_point_from_proto,
    module_from_proto,
    module_to_proto,
)
from driftline.enums import Phase, enum_member
from driftline.errors import DriftlineError, InvalidArgumentError, NotFoundError
from driftline.types.experiments import Experiment, ExperimentModel, Iteration, MetricPoint, Module

__all__ = ["Experiment", "ExperimentMethods", "ExperimentModel", "Iteration", "MetricPoint",
           "MetricsLogger", "Module"]

# The server's limits (see LogMetricsRequest).
MAX_MESSAGE_POINTS = 10_000
MAX_STREAM_POINTS = 100_000


@functools.lru_cache(maxsize=64)  # a few names, once each: a point is built in microseconds
def _phase(value) -> int:
    return enum_value(experiment_pb2.Phase, value, "PHASE_")


def _messages(points: Iterable[MetricPoint], batch_size: int) -> Iterator[pb.LogMetricsRequest]:
    """LogMetrics messages of ``batch_size`` points, built as the stream is sent."""
    request = pb.LogMetricsRequest()
    for point in points:
        add_metric_point(request.metric_points, point)
        if len(request.metric_points) == batch_size:
            yield request
            request = pb.LogMetricsRequest()
    if request.metric_points:
        yield request


def _check_batch_size(batch_size: int) -> None:
    if not 1 <= batch_size <= MAX_MESSAGE_POINTS:
        raise ValueError(f"batch_size must be between 1 and {MAX_MESSAGE_POINTS}")


class ExperimentMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._catalog``."""

    _transport: Transport
    _catalog: catalog_service_pb2_grpc.CatalogServiceStub

    def _call(self, method: str, request, idempotent: bool = True):
        return self._transport.call(getattr(self._catalog, method), request,
                                    idempotent=idempotent)

    # -- experiments ---------------------------------------------------------------------------

    def create_experiment(self, project_id: str, name: str,
                          description: str | None = None) -> Experiment:
        """Create an experiment in a project (at least PROJECT_USER).

        Example:
            >>> experiment = client.create_experiment(project_id, "resnet-sweep",
            ...                                       description="depth and width")
            >>> experiment.name
            'resnet-sweep'
        """
        request = pb.CreateExperimentRequest(
            project_id=project_id,
            experiment=experiment_pb2.Experiment(name=name, description=description or ""),
            request_id=_request_id())
        return experiment_from_proto(self._call("CreateExperiment", request).experiment)

    def get_experiment(self, experiment_id: str) -> Experiment:
        """An experiment by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_experiment(experiment_id).name
            'resnet-sweep'
        """
        return experiment_from_proto(self._call(
            "GetExperiment", pb.GetExperimentRequest(experiment_id=experiment_id)).experiment)

    def get_experiments(self, project_id: str, *, page_size: int | None = None,
                        limit: int | None = None) -> Pager[Experiment]:
        """The experiments of a project, oldest first; lazy: pages (``page_size``) are fetched
        as you iterate, up to ``limit`` experiments (None: all) (at least PROJECT_VIEW).

        Example:
            >>> [e.name for e in client.get_experiments(project_id)]
            ['resnet-sweep']
        """
        request = pb.ListExperimentsRequest(project_id=project_id)
        return Pager(self._transport.call, self._catalog.ListExperiments, request, "experiments",
                     experiment_from_proto, page_size=page_size, limit=limit)

    def update_experiment(self, experiment_id: str, name: str | None = None,
                          description: str | None = None) -> Experiment:
        """Change an experiment's name or description ("" removes it); None leaves a field as it
        is (at least PROJECT_USER).

        Example:
            >>> client.update_experiment(experiment_id, description="depth only").description
            'depth only'
        """
        changes = {path: value for path, value in (("name", name), ("description", description))
                   if value is not None}
        if not changes:
            return self.get_experiment(experiment_id)
        request = pb.UpdateExperimentRequest(
            experiment=experiment_pb2.Experiment(id=experiment_id, **changes),
            update_mask=field_mask_pb2.FieldMask(paths=list(changes)))
        return experiment_from_proto(self._call("UpdateExperiment", request).experiment)

    def delete_experiment(self, experiment_id: str) -> None:
        """Delete an experiment with its models and everything they own (at least PROJECT_USER).

        Example:
            >>> client.delete_experiment(experiment_id)
        """
        self._call("DeleteExperiment", pb.DeleteExperimentRequest(experiment_id=experiment_id))

    def show_experiments(self, project_id: str) -> None:
        """Print the experiments of a project as a table.

        Example:
            >>> client.show_experiments(project_id)
            Experiment ID  Name          Description      Created
            -------------  ------------  ---------------  -------------------
            9b2c...        resnet-sweep  depth and width  2026-11-25 10:02:11
        """
        display.show(self.get_experiments(project_id), display.EXPERIMENT_COLUMNS)

    # -- models --------------------------------------------------------------------------------

    def create_experiment_model(self, experiment_id: str, hash: str, name: str | None = None,
                                description: str | None = None) -> ExperimentModel:
        """Create a model in an experiment, addressed there by ``hash`` (1 to 128 characters, no
        blanks); AlreadyExistsError (EXPERIMENT_MODEL_ALREADY_EXISTS) when the experiment has a
        model with this hash (at least PROJECT_USER).

        Example:
            >>> model = client.create_experiment_model(experiment_id, "3f9a1c", name="resnet18")
            >>> model.hash, model.step
            ('3f9a1c', None)
        """
        request = pb.CreateExperimentModelRequest(
            experiment_id=experiment_id,
            experiment_model=experiment_pb2.ExperimentModel(
                hash=hash, name=name or "", description=description or ""),
            request_id=_request_id())
        return experiment_model_from_proto(
            self._call("CreateExperimentModel", request).experiment_model)

    def read_experiment_model(self, experiment_id: str, hash: str) -> ExperimentModel | None:
        """The model of an experiment with this hash, or None when there is none
        (at least PROJECT_VIEW; an experiment you cannot see raises NotFoundError).

        Example:
            >>> client.read_experiment_model(experiment_id, "3f9a1c").name
            'resnet18'
            >>> client.read_experiment_model(experiment_id, "no-such-hash") is None
            True
        """
        request = pb.GetExperimentModelByHashRequest(experiment_id=experiment_id, hash=hash)
        try:
            return experiment_model_from_proto(
                self._call("GetExperimentModelByHash", request).experiment_model)
        except NotFoundError as error:
            if error.error_code == "EXPERIMENT_MODEL_NOT_FOUND" and error.metadata.get("hash"):
                return None
            raise

    def get_experiment_model(self, model_id: str) -> ExperimentModel:
        """A model by its global id (at least PROJECT_VIEW).

        Example:
            >>> client.get_experiment_model(model_id).hash
            '3f9a1c'
        """
        request = pb.GetExperimentModelRequest(experiment_model_id=model_id)
        return experiment_model_from_proto(
            self._call("GetExperimentModel", request).experiment_model)

    def list_experiment_models(self, experiment_id: str, *, page_size: int | None = None,
                               limit: int | None = None) -> Pager[ExperimentModel]:
        """The models of an experiment, oldest first; lazy, like ``get_experiments``
        (at least PROJECT_VIEW).

        Example:
            >>> [m.hash for m in client.list_experiment_models(experiment_id)]
            ['3f9a1c', '77b0e2']
        """
        request = pb.ListExperimentModelsRequest(experiment_id=experiment_id)
        return Pager(self._transport.call, self._catalog.ListExperimentModels, request,
                     "experiment_models", experiment_model_from_proto, page_size=page_size,
                     limit=limit)

    def _update_experiment_model(self, model: experiment_pb2.ExperimentModel,
                                 paths: list[str]) -> ExperimentModel:
        request = pb.UpdateExperimentModelRequest(
            experiment_model=model, update_mask=field_mask_pb2.FieldMask(paths=paths))
        return experiment_model_from_proto(
            self._call("UpdateExperimentModel", request).experiment_model)

    def update_experiment_model(self, experiment_id: str, hash: str,
                                name: str) -> ExperimentModel:
        """Rename the model of an experiment with this hash ("" removes the name); returns the
        model (at least PROJECT_USER).

        Example:
            >>> client.update_experiment_model(experiment_id, "3f9a1c", "resnet18-wide").name
            'resnet18-wide'
        """
        return self._update_experiment_model(experiment_pb2.ExperimentModel(
            experiment_id=experiment_id, hash=hash, name=name), ["name"])

    def set_experiment_model_step(self, model_id: str, step: int | None) -> ExperimentModel:
        """Set a model's step (>= 0), or clear it with None; returns the model
        (at least PROJECT_USER).

        Example:
            >>> client.set_experiment_model_step(model_id, 1200).step
            1200
        """
        return self._update_experiment_model(
            experiment_pb2.ExperimentModel(id=model_id, step=step), ["step"])

    def delete_experiment_model(self, model_id: str) -> None:
        """Delete a model (by its global id) with its iterations, metrics and modules
        (at least PROJECT_USER).

        Example:
            >>> client.delete_experiment_model(model_id)
        """
        self._call("DeleteExperimentModel",
                   pb.DeleteExperimentModelRequest(experiment_model_id=model_id))

    def show_experiment_models(self, experiment_id: str) -> None:
        """Print the models of an experiment as a table.

        Example:
            >>> client.show_experiment_models(experiment_id)
            Model ID  Hash    Name      Step  Created
            --------  ------  --------  ----  -------------------
            5e1f...   3f9a1c  resnet18  1200  2026-11-25 10:02:12
        """
        display.show(self.list_experiment_models(experiment_id),
                     display.EXPERIMENT_MODEL_COLUMNS)

    # -- iterations ----------------------------------------------------------------------------

    def create_iteration(self, model_id: str, epoch: int, phase, start_time: datetime | None = None,
                         end_time: datetime | None = None) -> Iteration:
        """Record a training or evaluation step of a model: its epoch (>= 0), phase
        ("TRAINING", "VALIDATION", "TEST", "EVALUATION"), start (None: now) and end (None: not
        known); AlreadyExistsError (ITERATION_ALREADY_EXISTS) when the model has an iteration of
        this phase and epoch (at least PROJECT_USER).

        Example:
            >>> iteration = client.create_iteration(model_id, epoch=0, phase="TRAINING",
            ...                                     start_time=started, end_time=ended)
            >>> iteration.phase.name
            'TRAINING'
        """
        request = pb.CreateIterationRequest(
            model_id=model_id,
            iteration=experiment_pb2.Iteration(
                epoch=epoch, phase=_phase(phase), start_time=to_timestamp(start_time),
                end_time=to_timestamp(end_time)),
            request_id=_request_id())
        return iteration_from_proto(self._call("CreateIteration", request).iteration)

    def get_iterations(self, model_id: str, phase=None, *, page_size: int | None = None,
                       limit: int | None = None) -> Pager[Iteration]:
        """A model's iterations by start time, of one phase when given; lazy, up to ``limit``
        (None: all) (at least PROJECT_VIEW).

        Example:
            >>> [(i.epoch, i.phase.name)
            ...  for i in client.get_iterations(model_id)]
            [(0, 'TRAINING'), (0, 'VALIDATION')]
        """
        request = pb.ListIterationsRequest(model_id=model_id, phase=_phase(phase))
        return Pager(self._transport.call, self._catalog.ListIterations, request, "iterations",
                     iteration_from_proto, page_size=page_size, limit=limit)

    def show_iterations(self, model_id: str, phase=None) -> None:
        """Print a model's iterations as a table, with how long each took.

        Example:
            >>> client.show_iterations(model_id)
            Epoch  Phase       Started              Ended                Seconds
            -----  ----------  -------------------  -------------------  -------
            0      TRAINING    2026-11-25 10:02:12  2026-11-25 10:03:40  88.0
        """
        display.show(self.get_iterations(model_id, phase), display.ITERATION_COLUMNS)

    # -- metrics -------------------------------------------------------------------------------

    def log_metrics(self, points: Iterable[MetricPoint], *, batch_size: int = 1000) -> int:
        """Append metric points of one model or several, any number of them, streamed
        (LogMetrics) in messages of ``batch_size`` points and streams of up to 100 000 points;
        returns how many were stored (at least PROJECT_USER on each model's project).

        Each stream is stored whole or not at all: when the server refuses a point (a NaN, an
        unknown model, a name too long: InvalidArgumentError or NotFoundError, whose
        ``metadata`` has ``message_index`` and ``point_index``), nothing of its stream is
        stored, and the streams before it are.

        Example:
            >>> client.log_metrics(
            ...     MetricPoint(model_id, "loss", loss, phase="TRAINING", step=step)
            ...     for step, loss in enumerate(losses))
            3000
        """
        _check_batch_size(batch_size)
        source = iter(points)
        stored = 0
        while True:
            first = next(source, None)
            if first is None:
                return stored
            stream = itertools.chain([first], itertools.islice(source, MAX_STREAM_POINTS - 1))
            response = self._transport.client_stream(
                self._catalog.LogMetrics, lambda: _messages(stream, batch_size))
            stored += response.point_count

    def append_metrics(self, points: Iterable[MetricPoint]) -> int:
        """Append up to 10 000 metric points in one call (AppendMetrics), all or none; returns
        how many were stored (at least PROJECT_USER). ``log_metrics`` takes any number.

        Example:
            >>> client.append_metrics([MetricPoint(model_id, "accuracy", 0.93, phase="TEST")])
            1
        """
        request = pb.AppendMetricsRequest()
        for point in points:
            add_metric_point(request.metric_points, point)
        return self._call("AppendMetrics", request, idempotent=False).point_count

    def metrics_logger(self, model_id: str, *, flush_interval: float = 1.0,
                       batch_size: int = 1000, max_buffered: int = MAX_STREAM_POINTS,
                       ) -> "MetricsLogger":
        """A buffered logger of a model's metric points, best used as a context manager: each
        ``log`` returns at once, and a background thread streams what was logged (LogMetrics)
        every ``flush_interval`` seconds or as soon as ``batch_size`` points wait, whichever
        comes first. See ``MetricsLogger``.

        Example:
            >>> with client.metrics_logger(model_id) as logger:
            ...     for step, batch in enumerate(loader):
            ...         logger.log("loss", train_step(batch), phase="TRAINING", epoch=0,
            ...                    step=step)
            >>> logger.stored
            1875
        """
        return MetricsLogger(self, model_id, flush_interval=flush_interval,
                             batch_size=batch_size, max_buffered=max_buffered)

    def get_metrics(self, model_id: str, name: str | None = None, phase=None, *,
                    page_size: int | None = None,
                    limit: int | None = None) -> Pager[MetricPoint]:
        """A model's metric points by name, then time, then arrival: of one metric and of one
        phase when given; lazy (pages of ``page_size`` points, default 50, at most 1000), up to
        ``limit`` points (None: all) (at least PROJECT_VIEW).

        Example:
            >>> [(p.step, p.value) for p in client.get_metrics(model_id, "loss", "TRAINING")]
            [(0, 0.93), (1, 0.71), (2, 0.58)]
        """
        request = pb.ListMetricsRequest(model_id=model_id, name=name or "", phase=_phase(phase))
        return Pager(self._transport.call, self._catalog.ListMetrics, request, "metric_points",
                     metric_point_from_proto, page_size=page_size, limit=limit)

    def show_metrics(self, model_id: str, name: str | None = None, phase=None, *,
                     limit: int | None = 100) -> None:
        """Print a model's metric points as a table, as ``get_metrics`` lists them, at most
        ``limit`` rows (None: all); a last line says when there are more.

        Example:
            >>> client.show_metrics(model_id, phase="VALIDATION")
            Name      Phase       Epoch  Step  Value   Time
            --------  ----------  -----  ----  ------  -------------------
            accuracy  VALIDATION  0            0.81    2026-11-25 10:03:41
            loss      VALIDATION  0            0.64    2026-11-25 10:03:41
        """
        points = self.get_metrics(model_id, name, phase, page_size=min(limit or 1000, 1000))
        shown = list(itertools.islice(points, limit)) if limit is not None else list(points)
        display.show(shown, display.METRIC_POINT_COLUMNS)
        if limit is not None and next(points, None) is not None:
            print(f"(more than {limit} points: get_metrics lists them all)")

    # -- modules -------------------------------------------------------------------------------

    def add_modules(self, model_id: str, modules: Iterable[Module]) -> list[Module]:
        """Add the modules a model is made of (up to 1000 at once, all or none); their names are
        unique in the model (AlreadyExistsError MODULE_ALREADY_EXISTS for a name it has). Returns
        them as stored, in order (at least PROJECT_USER).

        Example:
            >>> client.add_modules(model_id, [
            ...     Module("backbone", "torchvision.models.resnet18", {"weights": None}),
            ...     Module("optimizer", "torch.optim.SGD", {"lr": 0.1, "momentum": 0.9})])
        """
        request = pb.AddModulesRequest(model_id=model_id, modules=[
            module_to_proto(module, f"modules[{index}].arguments")
            for index, module in enumerate(modules)])
        return [module_from_proto(m)
                for m in self._call("AddModules", request, idempotent=False).modules]

    def get_modules(self, model_id: str) -> list[Module]:
        """The modules of a model, in the order they were added (at least PROJECT_VIEW).

        Example:
            >>> [(m.name, m.type) for m in client.get_modules(model_id)]
            [('backbone', 'torchvision.models.resnet18'), ('optimizer', 'torch.optim.SGD')]
        """
        request = pb.ListModulesRequest(model_id=model_id)
        return list(Pager(self._transport.call, self._catalog.ListModules, request, "modules",
                          module_from_proto, page_size=1000))

    def show_modules(self, model_id: str) -> None:
        """Print the modules of a model as a table; arguments are cut at 60 characters.

        Example:
            >>> client.show_modules(model_id)
            Name       Type             Arguments                  Hash
            ---------  ---------------  -------------------------  ----
            optimizer  torch.optim.SGD  {"lr":0.1,"momentum":0.9}
        """
        display.show(self.get_modules(model_id), display.MODULE_COLUMNS)


def _logged_point(model_id: str, name: str, value: float, phase, epoch: int | None,
                  step: int | None, time: datetime | None) -> MetricPoint:
    """The point a metrics logger buffers (``MetricsLogger`` and its asyncio counterpart),
    measured now unless ``time`` is given; a value that is not finite is refused at once."""
    value = float(value)
    if not math.isfinite(value):
        raise InvalidArgumentError(
            "METRIC_VALUE_NOT_FINITE",
            f"{name}: {value} is not a finite number: NaN and infinities are not stored",
            field_violations=[("value", "not a finite number")])
    return MetricPoint(model_id, name, value, enum_member(Phase, _phase(phase)) or None, epoch,
                       step, time or datetime.now(timezone.utc))


class _MetricsBuffer:
    """What a metrics logger holds and decides, none of it I/O or locking: the points waiting,
    when the next stream is due, what a stream's outcome changes. ``MetricsLogger`` (a thread)
    and the asyncio ``AsyncMetricsLogger`` (driftline.aio, a task) keep it under their lock."""

    def __init__(self, model_id: str, flush_interval: float, batch_size: int,
                 max_buffered: int):
        _check_batch_size(batch_size)
        if flush_interval <= 0 or max_buffered < batch_size:
            raise ValueError("flush_interval must be positive and max_buffered at least "
                             "batch_size")
        self.model_id = model_id
        self.stored = 0
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self._max_buffered = max_buffered
        self._pending: list[MetricPoint] = []
        self._first_logged = 0.0  # when the oldest pending point was logged (monotonic)
        self._sending = 0
        self._flushes = 0  # flush() calls waiting
        self._closed = False
        self._error: DriftlineError | None = None

    def _full(self) -> bool:
        return len(self._pending) >= self._max_buffered

    def _append(self, point: MetricPoint) -> bool:
        """Buffer a point; whether the sender is to be woken."""
        first = not self._pending
        if first:
            self._first_logged = clock.monotonic()
        self._pending.append(point)
        return first or len(self._pending) == self._batch_size

    def _unstored(self) -> bool:
        """Whether points logged are still to be stored (and can be)."""
        return bool(self._pending or self._sending) and self._error is None

    def _due(self) -> tuple[bool, list[MetricPoint] | None, float | None]:
        """(stop, the stream to send now, else how long to wait: None until woken)."""
        if self._error is not None:
            return True, None, None
        if self._pending:
            wait = self._first_logged + self._flush_interval - clock.monotonic()
            if (self._closed or self._flushes or wait <= 0
                    or len(self._pending) >= self._batch_size):
                stream = self._pending[:MAX_STREAM_POINTS]
                del self._pending[:MAX_STREAM_POINTS]
                self._first_logged = clock.monotonic()
                self._sending = len(stream)
                return False, stream, None
            return False, None, wait
        return self._closed, None, None

    def _sent(self, stored: int, error: Exception | None) -> None:
        """A stream's outcome: what was stored, or the failure that stops the logger."""
        self.stored += stored
        self._sending = 0
        if error is not None:
            if not isinstance(error, DriftlineError):  # anything else stops it too, and says why
                error = DriftlineError("METRICS_LOGGER_FAILED",
                                       f"sending metric points failed: {error!r}")
            self._error = error
            self._pending.clear()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _raise_if_stopped(self) -> None:
        self._raise_error()
        if self._closed:
            raise RuntimeError("this metrics logger is closed: open another one")


class MetricsLogger(_MetricsBuffer):
    """Buffers a model's metric points and streams them to the server from a background thread.

    ``log`` returns at once (it blocks only when ``max_buffered`` points already wait, until the
    thread has sent some). The thread sends a LogMetrics stream as soon as ``batch_size`` points
    wait, or ``flush_interval`` seconds after the first of them was logged. ``flush()`` waits
    until everything logged so far is stored; ``close()`` (the end of a ``with`` block) flushes
    and stops the thread. ``stored`` counts the points stored.

    Values are checked as they are logged (a NaN or an infinity raises InvalidArgumentError at
    once). When the server refuses a stream (an unknown model, say), nothing of that stream is
    stored, the logger stops, and the error is raised by the next ``log``, ``flush`` or
    ``close``; what was stored before stays. Leaving a ``with`` block on an exception still
    stores what was logged, and raises that exception, not the logger's.

    Example:
        >>> with client.metrics_logger(model_id, flush_interval=0.5) as logger:
        ...     logger.log("loss", 0.93, phase="TRAINING", epoch=0, step=0)
        ...     logger.log("accuracy", 0.71, phase="VALIDATION", epoch=0)
    """

    def __init__(self, client: ExperimentMethods, model_id: str, *, flush_interval: float = 1.0,
                 batch_size: int = 1000, max_buffered: int = MAX_STREAM_POINTS):
        super().__init__(model_id, flush_interval, batch_size, max_buffered)
        self._client = client
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._send_forever, name="driftline-metrics",
                                        daemon=True)
        self._thread.start()

    def log(self, name: str, value: float, *, phase=None, epoch: int | None = None,
            step: int | None = None, time: datetime | None = None,
            model_id: str | None = None) -> None:
        """Buffer one point of the logger's model (or of ``model_id``), measured now unless
        ``time`` is given.

        Example:
            >>> logger.log("loss", 0.42, phase="TRAINING", epoch=3, step=1200)
        """
        point = _logged_point(model_id or self.model_id, name, value, phase, epoch, step, time)
        with self._changed:
            self._raise_if_stopped()
            while self._full():
                self._changed.wait()
                self._raise_if_stopped()
            if self._append(point):
                self._changed.notify_all()

    def flush(self) -> None:
        """Wait until every point logged so far is stored; raises the server's refusal, if any.

        Example:
            >>> logger.flush()
        """
        with self._changed:
            self._flushes += 1
            self._changed.notify_all()
            try:
                while self._unstored():
                    self._changed.wait()
            finally:
                self._flushes -= 1
            self._raise_error()

    def close(self) -> None:
        """Store what is buffered and stop the background thread; raises the server's refusal,
        if any. Closing again does nothing.

        Example:
            >>> logger.close()
        """
        self._stop()
        self._raise_error()

    def __enter__(self) -> "MetricsLogger":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self._stop()

    def _stop(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()

    def _next_stream(self) -> list[MetricPoint] | None:
        """The points to send next, once they are due; None when the logger stops."""
        with self._changed:
            while True:
                stop, stream, wait = self._due()
                if stop or stream is not None:
                    return stream
                self._changed.wait(wait)

    def _send_forever(self) -> None:
        while (stream := self._next_stream()) is not None:
            try:
                stored, failure = self._client.log_metrics(
                    stream, batch_size=self._batch_size), None
            except Exception as error:
                stored, failure = 0, error
            with self._changed:
                self._sent(stored, failure)
                self._changed.notify_all()
