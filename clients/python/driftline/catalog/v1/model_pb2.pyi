import datetime

from driftline.common.v1 import money_pb2 as _money_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ModelMetricName(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODEL_METRIC_NAME_UNSPECIFIED: _ClassVar[ModelMetricName]
    MODEL_METRIC_NAME_RMSE: _ClassVar[ModelMetricName]
    MODEL_METRIC_NAME_RSQUARE: _ClassVar[ModelMetricName]
    MODEL_METRIC_NAME_ACCURACY: _ClassVar[ModelMetricName]
    MODEL_METRIC_NAME_AVERAGE_PRECISION: _ClassVar[ModelMetricName]

class SuggestionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUGGESTION_TYPE_UNSPECIFIED: _ClassVar[SuggestionType]
    SUGGESTION_TYPE_SAMPLE_WEIGHTS: _ClassVar[SuggestionType]
    SUGGESTION_TYPE_RESAMPLED_DATASET: _ClassVar[SuggestionType]
MODEL_METRIC_NAME_UNSPECIFIED: ModelMetricName
MODEL_METRIC_NAME_RMSE: ModelMetricName
MODEL_METRIC_NAME_RSQUARE: ModelMetricName
MODEL_METRIC_NAME_ACCURACY: ModelMetricName
MODEL_METRIC_NAME_AVERAGE_PRECISION: ModelMetricName
SUGGESTION_TYPE_UNSPECIFIED: SuggestionType
SUGGESTION_TYPE_SAMPLE_WEIGHTS: SuggestionType
SUGGESTION_TYPE_RESAMPLED_DATASET: SuggestionType

class Model(_message.Message):
    __slots__ = ("id", "task_id", "name", "version", "metric_name", "with_probabilistic_output", "preferred_suggestion_type", "resampled_dataset_size", "retraining_cost", "previous_version_id", "create_time", "update_time", "python_model_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    WITH_PROBABILISTIC_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_SUGGESTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESAMPLED_DATASET_SIZE_FIELD_NUMBER: _ClassVar[int]
    RETRAINING_COST_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PYTHON_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    task_id: str
    name: str
    version: str
    metric_name: ModelMetricName
    with_probabilistic_output: bool
    preferred_suggestion_type: SuggestionType
    resampled_dataset_size: int
    retraining_cost: _money_pb2.Money
    previous_version_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    python_model_id: str
    def __init__(self, id: _Optional[str] = ..., task_id: _Optional[str] = ..., name: _Optional[str] = ..., version: _Optional[str] = ..., metric_name: _Optional[_Union[ModelMetricName, str]] = ..., with_probabilistic_output: _Optional[bool] = ..., preferred_suggestion_type: _Optional[_Union[SuggestionType, str]] = ..., resampled_dataset_size: _Optional[int] = ..., retraining_cost: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., previous_version_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., python_model_id: _Optional[str] = ...) -> None: ...
