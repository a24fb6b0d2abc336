"""Python models of ``driftline.Client``: models of a task defined by Python source code, trained
into versions by jobs in sandboxed worker processes, and predicting from sandboxed processes.

Driftline calls the functions with positional arguments:

- ``train(data, config, sample_weights)``: the training inputs (a pyarrow Table), the
  training configuration (a dict) and one weight per row or None; returns the artifact;
- ``initialize(artifact)`` (optional): once per loaded version; returns the predict state;
- ``predict(state, sample)``: one sample as a dict -> its prediction (a JSON value);
- ``predict_many(state, samples)`` (optional): a pyarrow Table -> one prediction per row.

Definitions and versions come back as ``driftline.types.PythonModel`` (``python_model_id``) and
``PythonModelVersion`` (its Model's ``model_id``; ``status`` and ``failure`` are
``driftline.enums`` members).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyarrow as pa
from google.protobuf import field_mask_pb2

from driftline import display
from driftline._catalog import _request_id
from driftline._enums import enum_value
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline._uploads import _is_frame
from driftline.catalog.v1 import catalog_service_pb2 as pb, catalog_service_pb2_grpc
from driftline.catalog.v1 import model_pb2, python_model_pb2 as ppb
from driftline.conversions._json import dict_to_struct
from driftline.conversions.python_models import (
    prediction_from_proto,
    python_model_from_proto,
    python_model_version_from_proto,
    training_input_to_proto,
)
from driftline.enums import PythonModelVersionStatus
from driftline.errors import JobFailureError
from driftline.types.python_models import PythonModel, PythonModelVersion, TrainingInput

__all__ = ["PythonModel", "PythonModelMethods", "PythonModelVersion", "TrainingInput"]

_TRAINING = (PythonModelVersionStatus.PENDING, PythonModelVersionStatus.TRAINING)


def _training_input(value) -> ppb.TrainingInput:
    """A TrainingInput, a kind ("HISTORICAL", or a TrainingDataKind), or a (kind, from_datetime,
    to_datetime) tuple, as sent."""
    if isinstance(value, tuple):
        value = TrainingInput(*value)
    elif not isinstance(value, TrainingInput):
        value = TrainingInput(value)
    return training_input_to_proto(value)


def _definition(source_code=None, train_function_name=None, predict_function_name=None,
                training_inputs=None, predict_many_function_name=None,
                initialize_function_name=None, cpu_size=None, memory=None,
                package_requirements=None, use_gpu=None, is_thread_safe=None,
                training_config=None, metric_name=None, with_probabilistic_output=None,
                training_timeout=None, prediction_timeout=None) -> tuple[ppb.PythonModel, list]:
    """The message with the given arguments, and the paths of those given (for a FieldMask)."""
    message, paths = ppb.PythonModel(), []

    def put(path: str, value) -> None:
        paths.append(path)
        setattr(message, path, value)

    plain = {"source_code": source_code, "train_function_name": train_function_name,
             "predict_function_name": predict_function_name,
             "predict_many_function_name": predict_many_function_name,
             "initialize_function_name": initialize_function_name, "memory_gb": memory,
             "use_gpu": use_gpu, "is_thread_safe": is_thread_safe,
             "with_probabilistic_output": with_probabilistic_output,
             "training_timeout_seconds": training_timeout,
             "prediction_timeout_seconds": prediction_timeout}
    for path, value in plain.items():
        if value is not None:
            put(path, value)
    if cpu_size is not None:
        put("cpu_size", enum_value(ppb.CpuSize, cpu_size, "CPU_SIZE_"))
    if metric_name is not None:
        put("metric_name", enum_value(model_pb2.ModelMetricName, metric_name,
                                      "MODEL_METRIC_NAME_"))
    if training_inputs is not None:
        paths.append("training_inputs")
        message.training_inputs.extend(_training_input(given) for given in training_inputs)
    if package_requirements is not None:
        paths.append("package_requirements")
        message.package_requirements.extend(package_requirements)
    if training_config is not None:
        paths.append("training_config")
        message.training_config.CopyFrom(dict_to_struct(
            training_config, "training_config", "TRAINING_CONFIG"))
    return message, paths


def _samples_ipc(samples) -> bytes:
    """A pandas or polars DataFrame, a pyarrow Table, or a list of dicts, as one Arrow IPC
    stream."""
    if _is_frame(samples, "pandas"):
        samples = pa.Table.from_pandas(samples, preserve_index=False)
    elif _is_frame(samples, "polars"):
        samples = samples.to_arrow()
    elif isinstance(samples, (list, tuple)):
        samples = pa.Table.from_pylist(list(samples))
    if not isinstance(samples, pa.Table):
        raise TypeError("samples must be a pandas or polars DataFrame, a pyarrow Table or a "
                        f"list of dicts, not {type(samples).__name__}")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, samples.schema) as writer:
        writer.write_table(samples)
    return sink.getvalue().to_pybytes()


class PythonModelMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._catalog``."""

    _transport: Transport
    _catalog: catalog_service_pb2_grpc.CatalogServiceStub

    def create_python_model(
        self, task_id: str, name: str, source_code: str, train_function_name: str,
        predict_function_name: str, training_inputs: Iterable, *,
        predict_many_function_name: str | None = None,
        initialize_function_name: str | None = None, cpu_size=None, memory: int | None = None,
        package_requirements: Iterable[str] | None = None, use_gpu: bool = False,
        is_thread_safe: bool = False, training_config: Mapping | None = None,
        metric_name=None, with_probabilistic_output: bool = False,
        training_timeout: int | None = None, prediction_timeout: int | None = None,
    ) -> str:
        """Create a Python model in a task from its source code; returns its id (at least
        PROJECT_USER). The source is checked without running it: a syntax error, a function
        missing or whose signature Driftline cannot call, or a requirement that is not a
        package specifier is an InvalidArgumentError naming the line and the function.

        ``training_inputs``: the task's stored data to train on, each a kind ("HISTORICAL" or
        "PRODUCTION"), a ``TrainingInput(kind, from_datetime, to_datetime)`` or such a tuple.
        ``cpu_size`` SMALL (1 thread), MEDIUM (2) or LARGE (4); ``memory`` in GB (default 2);
        timeouts in seconds (training 3600, prediction 60 by default).

        Example:
            >>> python_model_id = client.create_python_model(
            ...     task_id, "ridge", source, "train", "predict", ["HISTORICAL"],
            ...     predict_many_function_name="predict_many",
            ...     package_requirements=["scikit-learn>=1.4"], training_config={"alpha": 1.0})
        """
        message, _ = _definition(
            source_code, train_function_name, predict_function_name, list(training_inputs),
            predict_many_function_name, initialize_function_name, cpu_size, memory,
            list(package_requirements or []), use_gpu, is_thread_safe, training_config,
            metric_name, with_probabilistic_output, training_timeout, prediction_timeout)
        message.name = name
        request = pb.CreatePythonModelRequest(task_id=task_id, python_model=message,
                                              request_id=_request_id())
        return self._transport.call(self._catalog.CreatePythonModel, request,
                                    idempotent=True).python_model.id

    def update_python_model(
        self, python_model_id: str, *, source_code: str | None = None,
        train_function_name: str | None = None, predict_function_name: str | None = None,
        predict_many_function_name: str | None = None,
        initialize_function_name: str | None = None, training_inputs: Iterable | None = None,
        cpu_size=None, memory: int | None = None,
        package_requirements: Iterable[str] | None = None, use_gpu: bool | None = None,
        is_thread_safe: bool | None = None, training_config: Mapping | None = None,
        metric_name=None, with_probabilistic_output: bool | None = None,
        training_timeout: int | None = None, prediction_timeout: int | None = None,
    ) -> PythonModel:
        """Change the given parts of a Python model's definition (at least PROJECT_USER); the
        whole definition after the change is checked as create_python_model checks it, and
        versions trained before keep theirs. An empty string removes an optional function.

        Example:
            >>> client.update_python_model(python_model_id, source_code=new_source,
            ...                            package_requirements=["scikit-learn>=1.5"])
        """
        message, paths = _definition(
            source_code, train_function_name, predict_function_name,
            None if training_inputs is None else list(training_inputs),
            predict_many_function_name, initialize_function_name, cpu_size, memory,
            None if package_requirements is None else list(package_requirements), use_gpu,
            is_thread_safe, training_config, metric_name, with_probabilistic_output,
            training_timeout, prediction_timeout)
        if not paths:
            raise ValueError("name at least one part of the definition to update")
        message.id = python_model_id
        request = pb.UpdatePythonModelRequest(
            python_model=message, update_mask=field_mask_pb2.FieldMask(paths=paths))
        return python_model_from_proto(self._transport.call(
            self._catalog.UpdatePythonModel, request).python_model)

    def get_python_model(self, python_model_id: str) -> PythonModel:
        """A Python model's definition (at least PROJECT_VIEW).

        Example:
            >>> client.get_python_model(python_model_id).definition_version
            1
        """
        request = pb.GetPythonModelRequest(python_model_id=python_model_id)
        return python_model_from_proto(self._transport.call(
            self._catalog.GetPythonModel, request, idempotent=True).python_model)

    def get_python_models(self, task_id: str) -> list[PythonModel]:
        """The Python models of a task, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [model.name for model in client.get_python_models(task_id)]
            ['ridge']
        """
        return list(Pager(self._transport.call, self._catalog.ListPythonModels,
                          pb.ListPythonModelsRequest(task_id=task_id), "python_models",
                          python_model_from_proto))

    def train_model(self, python_model_id: str, version: str | None = None) -> PythonModelVersion:
        """Train a new version of a Python model (at least PROJECT_USER): the version is
        created PENDING (tag ``version``, or "v<n>" with the next free n) and a job trains it
        in a sandboxed worker process; wait for it with wait_model_training.

        Example:
            >>> trained = client.train_model(python_model_id)
            >>> trained = client.wait_model_training(trained.model_id)
            >>> trained.status.name
            'COMPLETE'
        """
        request = pb.TrainPythonModelRequest(python_model_id=python_model_id,
                                             version=version or "", request_id=_request_id())
        return python_model_version_from_proto(self._transport.call(
            self._catalog.TrainPythonModel, request, idempotent=True).version)

    def get_python_model_version(self, model_id: str) -> PythonModelVersion:
        """The training of a Python model's version (at least PROJECT_VIEW).

        Example:
            >>> client.get_python_model_version(model_id).training_sample_count
            2000
        """
        request = pb.GetPythonModelVersionRequest(model_id=model_id)
        return python_model_version_from_proto(self._transport.call(
            self._catalog.GetPythonModelVersion, request, idempotent=True).version)

    def get_python_model_versions(self, python_model_id: str) -> list[PythonModelVersion]:
        """The versions of a Python model, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [(v.version, v.status.name) for v in client.get_python_model_versions(pm_id)]
            [('v1', 'COMPLETE'), ('v2', 'FAILED')]
        """
        return list(Pager(self._transport.call, self._catalog.ListPythonModelVersions,
                          pb.ListPythonModelVersionsRequest(python_model_id=python_model_id),
                          "versions", python_model_version_from_proto))

    def wait_model_training(self, model_id: str,
                            max_wait_timeout: float = 3000) -> PythonModelVersion:
        """Wait until a version's training ends (following its job, not polling) and return
        the version: COMPLETE, or FAILED with ``error``, ``failure`` and ``output_tail``.

        Raises:
            JobWaitTimeoutError: the training did not end within ``max_wait_timeout`` seconds.

        Example:
            >>> version = client.wait_model_training(model_id, max_wait_timeout=600)
            >>> version.status.name, version.failure.name
            ('FAILED', 'MEMORY')
        """
        version = self.get_python_model_version(model_id)
        if version.status in _TRAINING and version.job_id:
            try:
                self.wait_job_completion(version.job_id, max_wait_timeout)
            except JobFailureError:
                pass  # the version says why
            version = self.get_python_model_version(model_id)
        return version

    def predict(self, model_id: str, sample: Mapping):
        """The prediction of one sample (a dict of column values) by a trained version (at
        least PROJECT_VIEW). The version is loaded once and serves later calls; a failure of
        the model's code is a FailedPreconditionError saying how it failed.

        Example:
            >>> client.predict(model_id, {"age": 41.0, "plan": "pro"})
            'stayed'
        """
        request = pb.PredictRequest(model_id=model_id,
                                    sample=dict_to_struct(sample, "sample", "SAMPLE"))
        return prediction_from_proto(self._transport.call(self._catalog.Predict, request,
                                                          idempotent=True).prediction)

    def predict_many(self, model_id: str, samples) -> list:
        """The predictions of many samples at once (a pandas or polars DataFrame, a pyarrow
        Table or a list of dicts), in order: the model's predict_many once, or its predict per
        row (at least PROJECT_VIEW).

        Example:
            >>> client.predict_many(model_id, production_frame[["age", "plan"]])
            ['stayed', 'churned', ...]
        """
        request = pb.PredictManyRequest(model_id=model_id, arrow_ipc=_samples_ipc(samples))
        response = self._transport.call(self._catalog.PredictMany, request, idempotent=True)
        return [prediction_from_proto(value) for value in response.predictions]

    def show_python_models(self, task_id: str) -> None:
        """Print a table of a task's Python models.

        Example:
            >>> client.show_python_models(task_id)
            ID      Name   Train  Predict  Inputs      Requirements       Definition  Latest
        """
        display.show(self.get_python_models(task_id), display.PYTHON_MODEL_COLUMNS)

    def show_python_model_versions(self, python_model_id: str) -> None:
        """Print a table of a Python model's versions and their trainings.

        Example:
            >>> client.show_python_model_versions(python_model_id)
            Model ID  Version  Status    Samples  Weighted  Suggestion  Error
        """
        display.show(self.get_python_model_versions(python_model_id),
                     display.PYTHON_MODEL_VERSION_COLUMNS)
