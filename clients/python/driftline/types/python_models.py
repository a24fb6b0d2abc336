"""Python models' results: a task's model defined by Python source code (its definition), the
ranges of stored data it trains on, and the training of each of its versions.

Named as the Python models reference names them where it names the field (``name``,
``source_code``, ``train_function_name``, ``predict_function_name``,
``predict_many_function_name``, ``initialize_function_name``, ``cpu_size``, ``memory`` in GB,
``package_requirements``, ``use_gpu``, ``is_thread_safe``, ``training_config``; a version's
``status`` and ``error``); a definition's own id is ``python_model_id``, and a version is the
task's Model ``model_id``. Times are ``*_time``, as in every result of the client.

Example:
    >>> version = client.wait_model_training(client.train_model(python_model_id).model_id)
    >>> version.status.name, version.training_sample_count
    ('COMPLETE', 2000)
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from driftline.enums import (
    CpuSize,
    ModelCodeFailure,
    ModelMetricName,
    PythonModelVersionStatus,
    TrainingDataKind,
)
from driftline.types._base import Result
from driftline.types._fields import Positional, enum_field

CpuSizeField = enum_field(CpuSize)
FailureField = enum_field(ModelCodeFailure)
MetricNameField = enum_field(ModelMetricName)
StatusField = enum_field(PythonModelVersionStatus)
TrainingDataKindField = enum_field(TrainingDataKind)


class TrainingInput(Positional):
    """A range of a task's stored data a training reads: ``kind`` HISTORICAL or PRODUCTION (a
    TrainingDataKind or its name), from ``from_datetime`` (inclusive) to ``to_datetime`` (exclusive);
    None ends are open. Fields may be given positionally, in this order.

    Example:
        >>> TrainingInput("PRODUCTION", from_datetime=datetime(2026, 11, 1, tzinfo=timezone.utc))
    """

    kind: TrainingDataKindField
    from_datetime: datetime | None = None
    to_datetime: datetime | None = None


class PythonModel(Result):
    """A Python model's definition: its source, the functions Driftline calls, what it trains
    on, its resources (``cpu_size``, ``memory`` in GB, ``use_gpu``), its timeouts in seconds,
    and ``definition_version``, counting its changes; ``latest_version_id`` is the model_id of
    its latest version (None before the first).

    Example:
        >>> client.get_python_model(python_model_id).definition_version
        1
    """

    python_model_id: str
    task_id: str
    name: str
    source_code: str
    train_function_name: str
    predict_function_name: str
    predict_many_function_name: str = ""
    initialize_function_name: str = ""
    training_inputs: list[TrainingInput] = Field(default_factory=list)
    cpu_size: CpuSizeField | None = None
    memory: int = 0
    package_requirements: list[str] = Field(default_factory=list)
    use_gpu: bool = False
    is_thread_safe: bool = False
    training_config: dict = Field(default_factory=dict)
    metric_name: MetricNameField | None = None
    with_probabilistic_output: bool = False
    training_timeout: int = 0
    prediction_timeout: int = 0
    definition_version: int = 0
    latest_version_id: str | None = None
    creator_id: str = ""
    creation_datetime: datetime | None = None
    update_datetime: datetime | None = None


class PythonModelVersion(Result):
    """The training of one version of a Python model (``model_id`` is the version's Model id):
    ``status`` PENDING, TRAINING, COMPLETE or FAILED (with ``error``, ``failure`` and
    ``output_tail``); ``job_id`` the job that trains it.

    Example:
        >>> version = client.get_python_model_version(model_id)
        >>> version.status.name, version.failure
        ('COMPLETE', None)
    """

    model_id: str
    python_model_id: str
    version: str
    status: StatusField
    job_id: str = ""
    definition_version: int = 0
    error: str = ""
    failure: FailureField | None = None
    output_tail: str = ""
    training_start_datetime: datetime | None = None
    training_complete_datetime: datetime | None = None
    training_sample_count: int = 0
    sample_weighted: bool = False
    suggestion_id: str = ""
    previous_version_id: str = ""
    artifact_size_bytes: int = 0
    reference_job_id: str = ""
    creation_datetime: datetime | None = None
