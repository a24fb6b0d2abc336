import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ColumnRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLUMN_ROLE_UNSPECIFIED: _ClassVar[ColumnRole]
    COLUMN_ROLE_ID: _ClassVar[ColumnRole]
    COLUMN_ROLE_TIME_ID: _ClassVar[ColumnRole]
    COLUMN_ROLE_INPUT: _ClassVar[ColumnRole]
    COLUMN_ROLE_INPUT_MASK: _ClassVar[ColumnRole]
    COLUMN_ROLE_METADATA: _ClassVar[ColumnRole]
    COLUMN_ROLE_PREDICTION: _ClassVar[ColumnRole]
    COLUMN_ROLE_TARGET: _ClassVar[ColumnRole]
    COLUMN_ROLE_ERROR: _ClassVar[ColumnRole]
    COLUMN_ROLE_INPUT_ADDITIONAL_EMBEDDING: _ClassVar[ColumnRole]
    COLUMN_ROLE_TARGET_ADDITIONAL_EMBEDDING: _ClassVar[ColumnRole]
    COLUMN_ROLE_PREDICTION_ADDITIONAL_EMBEDDING: _ClassVar[ColumnRole]
    COLUMN_ROLE_USER_INPUT: _ClassVar[ColumnRole]
    COLUMN_ROLE_RETRIEVED_CONTEXT: _ClassVar[ColumnRole]

class ColumnSubRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLUMN_SUB_ROLE_UNSPECIFIED: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_RAG_USER_INPUT: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_RAG_RETRIEVED_CONTEXT: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_RAG_SYS_PROMPT: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_SEASONALITY: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_TREND: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_REGRESSOR: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_MODEL_PROBABILITY: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_OBJECT_LABEL_PREDICTION: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_OBJECT_TEXT_PREDICTION: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_OBJECT_LABEL_TARGET: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_OBJECT_TEXT_TARGET: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_RAG_SESSION_ID: _ClassVar[ColumnSubRole]
    COLUMN_SUB_ROLE_RAG_TURN_ID: _ClassVar[ColumnSubRole]

class DataType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_TYPE_UNSPECIFIED: _ClassVar[DataType]
    DATA_TYPE_FLOAT: _ClassVar[DataType]
    DATA_TYPE_INTEGER: _ClassVar[DataType]
    DATA_TYPE_STRING: _ClassVar[DataType]
    DATA_TYPE_CATEGORICAL: _ClassVar[DataType]
    DATA_TYPE_ARRAY_1: _ClassVar[DataType]
    DATA_TYPE_ARRAY_2: _ClassVar[DataType]
    DATA_TYPE_ARRAY_3: _ClassVar[DataType]
COLUMN_ROLE_UNSPECIFIED: ColumnRole
COLUMN_ROLE_ID: ColumnRole
COLUMN_ROLE_TIME_ID: ColumnRole
COLUMN_ROLE_INPUT: ColumnRole
COLUMN_ROLE_INPUT_MASK: ColumnRole
COLUMN_ROLE_METADATA: ColumnRole
COLUMN_ROLE_PREDICTION: ColumnRole
COLUMN_ROLE_TARGET: ColumnRole
COLUMN_ROLE_ERROR: ColumnRole
COLUMN_ROLE_INPUT_ADDITIONAL_EMBEDDING: ColumnRole
COLUMN_ROLE_TARGET_ADDITIONAL_EMBEDDING: ColumnRole
COLUMN_ROLE_PREDICTION_ADDITIONAL_EMBEDDING: ColumnRole
COLUMN_ROLE_USER_INPUT: ColumnRole
COLUMN_ROLE_RETRIEVED_CONTEXT: ColumnRole
COLUMN_SUB_ROLE_UNSPECIFIED: ColumnSubRole
COLUMN_SUB_ROLE_RAG_USER_INPUT: ColumnSubRole
COLUMN_SUB_ROLE_RAG_RETRIEVED_CONTEXT: ColumnSubRole
COLUMN_SUB_ROLE_RAG_SYS_PROMPT: ColumnSubRole
COLUMN_SUB_ROLE_SEASONALITY: ColumnSubRole
COLUMN_SUB_ROLE_TREND: ColumnSubRole
COLUMN_SUB_ROLE_REGRESSOR: ColumnSubRole
COLUMN_SUB_ROLE_MODEL_PROBABILITY: ColumnSubRole
COLUMN_SUB_ROLE_OBJECT_LABEL_PREDICTION: ColumnSubRole
COLUMN_SUB_ROLE_OBJECT_TEXT_PREDICTION: ColumnSubRole
COLUMN_SUB_ROLE_OBJECT_LABEL_TARGET: ColumnSubRole
COLUMN_SUB_ROLE_OBJECT_TEXT_TARGET: ColumnSubRole
COLUMN_SUB_ROLE_RAG_SESSION_ID: ColumnSubRole
COLUMN_SUB_ROLE_RAG_TURN_ID: ColumnSubRole
DATA_TYPE_UNSPECIFIED: DataType
DATA_TYPE_FLOAT: DataType
DATA_TYPE_INTEGER: DataType
DATA_TYPE_STRING: DataType
DATA_TYPE_CATEGORICAL: DataType
DATA_TYPE_ARRAY_1: DataType
DATA_TYPE_ARRAY_2: DataType
DATA_TYPE_ARRAY_3: DataType

class ColumnInfo(_message.Message):
    __slots__ = ("name", "role", "sub_role", "data_type", "nullable", "possible_values", "dims", "model_id", "predicted_target", "classes_names")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SUB_ROLE_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    NULLABLE_FIELD_NUMBER: _ClassVar[int]
    POSSIBLE_VALUES_FIELD_NUMBER: _ClassVar[int]
    DIMS_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PREDICTED_TARGET_FIELD_NUMBER: _ClassVar[int]
    CLASSES_NAMES_FIELD_NUMBER: _ClassVar[int]
    name: str
    role: ColumnRole
    sub_role: ColumnSubRole
    data_type: DataType
    nullable: bool
    possible_values: _containers.RepeatedScalarFieldContainer[str]
    dims: _containers.RepeatedScalarFieldContainer[int]
    model_id: str
    predicted_target: str
    classes_names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., role: _Optional[_Union[ColumnRole, str]] = ..., sub_role: _Optional[_Union[ColumnSubRole, str]] = ..., data_type: _Optional[_Union[DataType, str]] = ..., nullable: _Optional[bool] = ..., possible_values: _Optional[_Iterable[str]] = ..., dims: _Optional[_Iterable[int]] = ..., model_id: _Optional[str] = ..., predicted_target: _Optional[str] = ..., classes_names: _Optional[_Iterable[str]] = ...) -> None: ...

class DataSchema(_message.Message):
    __slots__ = ("task_id", "version", "columns", "create_time")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    version: int
    columns: _containers.RepeatedCompositeFieldContainer[ColumnInfo]
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., version: _Optional[int] = ..., columns: _Optional[_Iterable[_Union[ColumnInfo, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
