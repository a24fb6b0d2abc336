import datetime

from driftline.catalog.v1 import model_pb2 as _model_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CpuSize(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CPU_SIZE_UNSPECIFIED: _ClassVar[CpuSize]
    CPU_SIZE_SMALL: _ClassVar[CpuSize]
    CPU_SIZE_MEDIUM: _ClassVar[CpuSize]
    CPU_SIZE_LARGE: _ClassVar[CpuSize]

class TrainingDataKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRAINING_DATA_KIND_UNSPECIFIED: _ClassVar[TrainingDataKind]
    TRAINING_DATA_KIND_HISTORICAL: _ClassVar[TrainingDataKind]
    TRAINING_DATA_KIND_PRODUCTION: _ClassVar[TrainingDataKind]

class PythonModelVersionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PYTHON_MODEL_VERSION_STATUS_UNSPECIFIED: _ClassVar[PythonModelVersionStatus]
    PYTHON_MODEL_VERSION_STATUS_PENDING: _ClassVar[PythonModelVersionStatus]
    PYTHON_MODEL_VERSION_STATUS_TRAINING: _ClassVar[PythonModelVersionStatus]
    PYTHON_MODEL_VERSION_STATUS_COMPLETE: _ClassVar[PythonModelVersionStatus]
    PYTHON_MODEL_VERSION_STATUS_FAILED: _ClassVar[PythonModelVersionStatus]

class ModelCodeFailure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_CODE_FAILURE_UNSPECIFIED: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_RAISED: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_MEMORY: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_CPU_TIME: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_WALL_TIME: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_WRONG_TYPE: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_CRASHED: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_ENVIRONMENT: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_NO_DATA: _ClassVar[ModelCodeFailure]
    MODEL_CODE_FAILURE_NO_GPU: _ClassVar[ModelCodeFailure]
CPU_SIZE_UNSPECIFIED: CpuSize
CPU_SIZE_SMALL: CpuSize
CPU_SIZE_MEDIUM: CpuSize
CPU_SIZE_LARGE: CpuSize
TRAINING_DATA_KIND_UNSPECIFIED: TrainingDataKind
TRAINING_DATA_KIND_HISTORICAL: TrainingDataKind
TRAINING_DATA_KIND_PRODUCTION: TrainingDataKind
PYTHON_MODEL_VERSION_STATUS_UNSPECIFIED: PythonModelVersionStatus
PYTHON_MODEL_VERSION_STATUS_PENDING: PythonModelVersionStatus
PYTHON_MODEL_VERSION_STATUS_TRAINING: PythonModelVersionStatus
PYTHON_MODEL_VERSION_STATUS_COMPLETE: PythonModelVersionStatus
PYTHON_MODEL_VERSION_STATUS_FAILED: PythonModelVersionStatus
MODEL_CODE_FAILURE_UNSPECIFIED: ModelCodeFailure
MODEL_CODE_FAILURE_RAISED: ModelCodeFailure
MODEL_CODE_FAILURE_MEMORY: ModelCodeFailure
MODEL_CODE_FAILURE_CPU_TIME: ModelCodeFailure
MODEL_CODE_FAILURE_WALL_TIME: ModelCodeFailure
MODEL_CODE_FAILURE_WRONG_TYPE: ModelCodeFailure
MODEL_CODE_FAILURE_CRASHED: ModelCodeFailure
MODEL_CODE_FAILURE_ENVIRONMENT: ModelCodeFailure
MODEL_CODE_FAILURE_NO_DATA: ModelCodeFailure
MODEL_CODE_FAILURE_NO_GPU: ModelCodeFailure

class TrainingInput(_message.Message):
    __slots__ = ("kind", "from_time", "to_time")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    kind: TrainingDataKind
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[_Union[TrainingDataKind, str]] = ..., from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PythonModel(_message.Message):
    __slots__ = ("id", "task_id", "name", "source_code", "train_function_name", "predict_function_name", "predict_many_function_name", "initialize_function_name", "training_inputs", "cpu_size", "memory_gb", "package_requirements", "use_gpu", "is_thread_safe", "training_config", "metric_name", "with_probabilistic_output", "training_timeout_seconds", "prediction_timeout_seconds", "definition_version", "latest_version_id", "creator_id", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_CODE_FIELD_NUMBER: _ClassVar[int]
    TRAIN_FUNCTION_NAME_FIELD_NUMBER: _ClassVar[int]
    PREDICT_FUNCTION_NAME_FIELD_NUMBER: _ClassVar[int]
    PREDICT_MANY_FUNCTION_NAME_FIELD_NUMBER: _ClassVar[int]
    INITIALIZE_FUNCTION_NAME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_INPUTS_FIELD_NUMBER: _ClassVar[int]
    CPU_SIZE_FIELD_NUMBER: _ClassVar[int]
    MEMORY_GB_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    USE_GPU_FIELD_NUMBER: _ClassVar[int]
    IS_THREAD_SAFE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_CONFIG_FIELD_NUMBER: _ClassVar[int]
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    WITH_PROBABILISTIC_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    TRAINING_TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PREDICTION_TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    task_id: str
    name: str
    source_code: str
    train_function_name: str
    predict_function_name: str
    predict_many_function_name: str
    initialize_function_name: str
    training_inputs: _containers.RepeatedCompositeFieldContainer[TrainingInput]
    cpu_size: CpuSize
    memory_gb: int
    package_requirements: _containers.RepeatedScalarFieldContainer[str]
    use_gpu: bool
    is_thread_safe: bool
    training_config: _struct_pb2.Struct
    metric_name: _model_pb2.ModelMetricName
    with_probabilistic_output: bool
    training_timeout_seconds: int
    prediction_timeout_seconds: int
    definition_version: int
    latest_version_id: str
    creator_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., task_id: _Optional[str] = ..., name: _Optional[str] = ..., source_code: _Optional[str] = ..., train_function_name: _Optional[str] = ..., predict_function_name: _Optional[str] = ..., predict_many_function_name: _Optional[str] = ..., initialize_function_name: _Optional[str] = ..., training_inputs: _Optional[_Iterable[_Union[TrainingInput, _Mapping]]] = ..., cpu_size: _Optional[_Union[CpuSize, str]] = ..., memory_gb: _Optional[int] = ..., package_requirements: _Optional[_Iterable[str]] = ..., use_gpu: _Optional[bool] = ..., is_thread_safe: _Optional[bool] = ..., training_config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metric_name: _Optional[_Union[_model_pb2.ModelMetricName, str]] = ..., with_probabilistic_output: _Optional[bool] = ..., training_timeout_seconds: _Optional[int] = ..., prediction_timeout_seconds: _Optional[int] = ..., definition_version: _Optional[int] = ..., latest_version_id: _Optional[str] = ..., creator_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PythonModelVersion(_message.Message):
    __slots__ = ("model_id", "python_model_id", "version", "status", "job_id", "definition_version", "error", "failure", "output_tail", "training_start_time", "training_complete_time", "training_sample_count", "sample_weighted", "suggestion_id", "previous_version_id", "artifact_size_bytes", "reference_job_id", "create_time")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PYTHON_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TAIL_FIELD_NUMBER: _ClassVar[int]
    TRAINING_START_TIME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_WEIGHTED_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    python_model_id: str
    version: str
    status: PythonModelVersionStatus
    job_id: str
    definition_version: int
    error: str
    failure: ModelCodeFailure
    output_tail: str
    training_start_time: _timestamp_pb2.Timestamp
    training_complete_time: _timestamp_pb2.Timestamp
    training_sample_count: int
    sample_weighted: bool
    suggestion_id: str
    previous_version_id: str
    artifact_size_bytes: int
    reference_job_id: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, model_id: _Optional[str] = ..., python_model_id: _Optional[str] = ..., version: _Optional[str] = ..., status: _Optional[_Union[PythonModelVersionStatus, str]] = ..., job_id: _Optional[str] = ..., definition_version: _Optional[int] = ..., error: _Optional[str] = ..., failure: _Optional[_Union[ModelCodeFailure, str]] = ..., output_tail: _Optional[str] = ..., training_start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., training_complete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., training_sample_count: _Optional[int] = ..., sample_weighted: _Optional[bool] = ..., suggestion_id: _Optional[str] = ..., previous_version_id: _Optional[str] = ..., artifact_size_bytes: _Optional[int] = ..., reference_job_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
