"""Python models' messages (driftline.catalog.v1 python_model.proto) to the client's results and
back: definitions, their training inputs, and versions; and a prediction's JSON value.

Example:
    >>> from driftline.conversions.python_models import python_model_version_from_proto
    >>> python_model_version_from_proto(response.version).status
    <PythonModelVersionStatus.PENDING: 1>
"""

from __future__ import annotations

from google.protobuf import struct_pb2

from driftline.catalog.v1 import python_model_pb2 as ppb
from driftline.conversions._common import text_or_none, to_datetime, to_timestamp
from driftline.conversions._json import dict_to_struct, struct_to_dict, value_to_python
from driftline.enums import (
    CpuSize,
    ModelCodeFailure,
    ModelMetricName,
    PythonModelVersionStatus,
    TrainingDataKind,
    enum_member,
)
from driftline.types.python_models import PythonModel, PythonModelVersion, TrainingInput


def _optional(enum_type, number: int):
    return enum_member(enum_type, number) if number else None


def training_input_from_proto(message: ppb.TrainingInput) -> TrainingInput:
    return TrainingInput(kind=enum_member(TrainingDataKind, message.kind),
                         from_datetime=to_datetime(message.from_time),
                         to_datetime=to_datetime(message.to_time))


def training_input_to_proto(given: TrainingInput) -> ppb.TrainingInput:
    return ppb.TrainingInput(kind=int(given.kind), from_time=to_timestamp(given.from_datetime),
                             to_time=to_timestamp(given.to_datetime))


def python_model_from_proto(message: ppb.PythonModel) -> PythonModel:
    return PythonModel(
        python_model_id=message.id, task_id=message.task_id, name=message.name,
        source_code=message.source_code, train_function_name=message.train_function_name,
        predict_function_name=message.predict_function_name,
        predict_many_function_name=message.predict_many_function_name,
        initialize_function_name=message.initialize_function_name,
        training_inputs=[training_input_from_proto(given) for given in message.training_inputs],
        cpu_size=_optional(CpuSize, message.cpu_size), memory=message.memory_gb,
        package_requirements=list(message.package_requirements), use_gpu=message.use_gpu,
        is_thread_safe=message.is_thread_safe,
        training_config=struct_to_dict(message.training_config),
        metric_name=_optional(ModelMetricName, message.metric_name),
        with_probabilistic_output=message.with_probabilistic_output,
        training_timeout=message.training_timeout_seconds,
        prediction_timeout=message.prediction_timeout_seconds,
        definition_version=message.definition_version,
        latest_version_id=text_or_none(message.latest_version_id), creator_id=message.creator_id,
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time))


def python_model_to_proto(model: PythonModel) -> ppb.PythonModel:
    return ppb.PythonModel(
        id=model.python_model_id, task_id=model.task_id, name=model.name,
        source_code=model.source_code, train_function_name=model.train_function_name,
        predict_function_name=model.predict_function_name,
        predict_many_function_name=model.predict_many_function_name,
        initialize_function_name=model.initialize_function_name,
        training_inputs=[training_input_to_proto(given) for given in model.training_inputs],
        cpu_size=int(model.cpu_size or 0), memory_gb=model.memory,
        package_requirements=model.package_requirements, use_gpu=model.use_gpu,
        is_thread_safe=model.is_thread_safe,
        training_config=dict_to_struct(model.training_config, "training_config",
                                       "TRAINING_CONFIG"),
        metric_name=int(model.metric_name or 0),
        with_probabilistic_output=model.with_probabilistic_output,
        training_timeout_seconds=model.training_timeout,
        prediction_timeout_seconds=model.prediction_timeout,
        definition_version=model.definition_version, latest_version_id=model.latest_version_id or "",
        creator_id=model.creator_id, create_time=to_timestamp(model.creation_datetime),
        update_time=to_timestamp(model.update_datetime))


def python_model_version_from_proto(message: ppb.PythonModelVersion) -> PythonModelVersion:
    return PythonModelVersion(
        model_id=message.model_id, python_model_id=message.python_model_id,
        version=message.version, status=enum_member(PythonModelVersionStatus, message.status),
        job_id=message.job_id, definition_version=message.definition_version,
        error=message.error, failure=_optional(ModelCodeFailure, message.failure),
        output_tail=message.output_tail,
        training_start_datetime=to_datetime(message.training_start_time),
        training_complete_datetime=to_datetime(message.training_complete_time),
        training_sample_count=message.training_sample_count,
        sample_weighted=message.sample_weighted, suggestion_id=message.suggestion_id,
        previous_version_id=message.previous_version_id,
        artifact_size_bytes=message.artifact_size_bytes,
        reference_job_id=message.reference_job_id, creation_datetime=to_datetime(message.create_time))


def python_model_version_to_proto(version: PythonModelVersion) -> ppb.PythonModelVersion:
    return ppb.PythonModelVersion(
        model_id=version.model_id, python_model_id=version.python_model_id,
        version=version.version, status=int(version.status), job_id=version.job_id,
        definition_version=version.definition_version, error=version.error,
        failure=int(version.failure or 0), output_tail=version.output_tail,
        training_start_time=to_timestamp(version.training_start_datetime),
        training_complete_time=to_timestamp(version.training_complete_datetime),
        training_sample_count=version.training_sample_count,
        sample_weighted=version.sample_weighted, suggestion_id=version.suggestion_id,
        previous_version_id=version.previous_version_id,
        artifact_size_bytes=version.artifact_size_bytes,
        reference_job_id=version.reference_job_id,
        create_time=to_timestamp(version.creation_datetime))


def prediction_from_proto(value: struct_pb2.Value):
    """A prediction (a google.protobuf.Value) as a JSON value of Python."""
    return value_to_python(value)
