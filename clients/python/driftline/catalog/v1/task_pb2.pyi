import datetime

from driftline.common.v1 import money_pb2 as _money_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_TYPE_UNSPECIFIED: _ClassVar[TaskType]
    TASK_TYPE_REGRESSION: _ClassVar[TaskType]
    TASK_TYPE_CLASSIFICATION_BINARY: _ClassVar[TaskType]
    TASK_TYPE_CLASSIFICATION_MULTICLASS: _ClassVar[TaskType]
    TASK_TYPE_CLASSIFICATION_MULTILABEL: _ClassVar[TaskType]
    TASK_TYPE_RAG: _ClassVar[TaskType]
    TASK_TYPE_OBJECT_DETECTION: _ClassVar[TaskType]
    TASK_TYPE_SEMANTIC_SEGMENTATION: _ClassVar[TaskType]
    TASK_TYPE_CLUSTERING: _ClassVar[TaskType]
    TASK_TYPE_OCR: _ClassVar[TaskType]
    TASK_TYPE_TIME_SERIES: _ClassVar[TaskType]

class DataStructure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_STRUCTURE_UNSPECIFIED: _ClassVar[DataStructure]
    DATA_STRUCTURE_TABULAR: _ClassVar[DataStructure]
    DATA_STRUCTURE_IMAGE: _ClassVar[DataStructure]
    DATA_STRUCTURE_TEXT: _ClassVar[DataStructure]
    DATA_STRUCTURE_EMBEDDING: _ClassVar[DataStructure]

class TextLanguage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEXT_LANGUAGE_UNSPECIFIED: _ClassVar[TextLanguage]
    TEXT_LANGUAGE_ITALIAN: _ClassVar[TextLanguage]
    TEXT_LANGUAGE_ENGLISH: _ClassVar[TextLanguage]
    TEXT_LANGUAGE_MULTILANGUAGE: _ClassVar[TextLanguage]
TASK_TYPE_UNSPECIFIED: TaskType
TASK_TYPE_REGRESSION: TaskType
TASK_TYPE_CLASSIFICATION_BINARY: TaskType
TASK_TYPE_CLASSIFICATION_MULTICLASS: TaskType
TASK_TYPE_CLASSIFICATION_MULTILABEL: TaskType
TASK_TYPE_RAG: TaskType
TASK_TYPE_OBJECT_DETECTION: TaskType
TASK_TYPE_SEMANTIC_SEGMENTATION: TaskType
TASK_TYPE_CLUSTERING: TaskType
TASK_TYPE_OCR: TaskType
TASK_TYPE_TIME_SERIES: TaskType
DATA_STRUCTURE_UNSPECIFIED: DataStructure
DATA_STRUCTURE_TABULAR: DataStructure
DATA_STRUCTURE_IMAGE: DataStructure
DATA_STRUCTURE_TEXT: DataStructure
DATA_STRUCTURE_EMBEDDING: DataStructure
TEXT_LANGUAGE_UNSPECIFIED: TextLanguage
TEXT_LANGUAGE_ITALIAN: TextLanguage
TEXT_LANGUAGE_ENGLISH: TextLanguage
TEXT_LANGUAGE_MULTILANGUAGE: TextLanguage

class RegressionTaskCostInfo(_message.Message):
    __slots__ = ("currency", "overestimation_cost", "underestimation_cost")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    OVERESTIMATION_COST_FIELD_NUMBER: _ClassVar[int]
    UNDERESTIMATION_COST_FIELD_NUMBER: _ClassVar[int]
    currency: _money_pb2.Currency
    overestimation_cost: str
    underestimation_cost: str
    def __init__(self, currency: _Optional[_Union[_money_pb2.Currency, str]] = ..., overestimation_cost: _Optional[str] = ..., underestimation_cost: _Optional[str] = ...) -> None: ...

class BinaryClassificationTaskCostInfo(_message.Message):
    __slots__ = ("currency", "false_positive_cost", "false_negative_cost")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FALSE_POSITIVE_COST_FIELD_NUMBER: _ClassVar[int]
    FALSE_NEGATIVE_COST_FIELD_NUMBER: _ClassVar[int]
    currency: _money_pb2.Currency
    false_positive_cost: str
    false_negative_cost: str
    def __init__(self, currency: _Optional[_Union[_money_pb2.Currency, str]] = ..., false_positive_cost: _Optional[str] = ..., false_negative_cost: _Optional[str] = ...) -> None: ...

class MulticlassClassificationTaskCostInfo(_message.Message):
    __slots__ = ("currency", "misclassification_cost")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    MISCLASSIFICATION_COST_FIELD_NUMBER: _ClassVar[int]
    currency: _money_pb2.Currency
    misclassification_cost: str
    def __init__(self, currency: _Optional[_Union[_money_pb2.Currency, str]] = ..., misclassification_cost: _Optional[str] = ...) -> None: ...

class TaskCostInfo(_message.Message):
    __slots__ = ("regression", "binary_classification", "multiclass_classification")
    REGRESSION_FIELD_NUMBER: _ClassVar[int]
    BINARY_CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    MULTICLASS_CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    regression: RegressionTaskCostInfo
    binary_classification: BinaryClassificationTaskCostInfo
    multiclass_classification: MulticlassClassificationTaskCostInfo
    def __init__(self, regression: _Optional[_Union[RegressionTaskCostInfo, _Mapping]] = ..., binary_classification: _Optional[_Union[BinaryClassificationTaskCostInfo, _Mapping]] = ..., multiclass_classification: _Optional[_Union[MulticlassClassificationTaskCostInfo, _Mapping]] = ...) -> None: ...

class ClassLabel(_message.Message):
    __slots__ = ("string_value", "int_value", "bool_value")
    STRING_VALUE_FIELD_NUMBER: _ClassVar[int]
    INT_VALUE_FIELD_NUMBER: _ClassVar[int]
    BOOL_VALUE_FIELD_NUMBER: _ClassVar[int]
    string_value: str
    int_value: int
    bool_value: bool
    def __init__(self, string_value: _Optional[str] = ..., int_value: _Optional[int] = ..., bool_value: _Optional[bool] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("id", "project_id", "name", "tags", "task_type", "data_structure", "cost_info", "optional_target", "text_language", "positive_class", "rag_contexts_separator", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_STRUCTURE_FIELD_NUMBER: _ClassVar[int]
    COST_INFO_FIELD_NUMBER: _ClassVar[int]
    OPTIONAL_TARGET_FIELD_NUMBER: _ClassVar[int]
    TEXT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    POSITIVE_CLASS_FIELD_NUMBER: _ClassVar[int]
    RAG_CONTEXTS_SEPARATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    project_id: str
    name: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    task_type: TaskType
    data_structure: DataStructure
    cost_info: TaskCostInfo
    optional_target: bool
    text_language: TextLanguage
    positive_class: ClassLabel
    rag_contexts_separator: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., task_type: _Optional[_Union[TaskType, str]] = ..., data_structure: _Optional[_Union[DataStructure, str]] = ..., cost_info: _Optional[_Union[TaskCostInfo, _Mapping]] = ..., optional_target: _Optional[bool] = ..., text_language: _Optional[_Union[TextLanguage, str]] = ..., positive_class: _Optional[_Union[ClassLabel, _Mapping]] = ..., rag_contexts_separator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
