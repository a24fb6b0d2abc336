"""The catalog's words: enums as the domain uses them (names without the proto prefixes) and the
value objects that tasks, models and schemas are made of."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class StoragePolicy(enum.StrEnum):
    DRIFTLINE = "DRIFTLINE"
    CUSTOMER = "CUSTOMER"


class TaskType(enum.StrEnum):
    REGRESSION = "REGRESSION"
    CLASSIFICATION_BINARY = "CLASSIFICATION_BINARY"
    CLASSIFICATION_MULTICLASS = "CLASSIFICATION_MULTICLASS"
    CLASSIFICATION_MULTILABEL = "CLASSIFICATION_MULTILABEL"
    RAG = "RAG"
    OBJECT_DETECTION = "OBJECT_DETECTION"
    SEMANTIC_SEGMENTATION = "SEMANTIC_SEGMENTATION"
    CLUSTERING = "CLUSTERING"
    OCR = "OCR"
    TIME_SERIES = "TIME_SERIES"


class DataStructure(enum.StrEnum):
    TABULAR = "TABULAR"
    IMAGE = "IMAGE"
    TEXT = "TEXT"
    EMBEDDING = "EMBEDDING"


class TextLanguage(enum.StrEnum):
    ITALIAN = "ITALIAN"
    ENGLISH = "ENGLISH"
    MULTILANGUAGE = "MULTILANGUAGE"


class Currency(enum.StrEnum):
    EURO = "EURO"
    DOLLAR = "DOLLAR"


class CostKind(enum.StrEnum):
    """The shapes of task cost information; each belongs to one task type."""

    REGRESSION = "REGRESSION"
    BINARY_CLASSIFICATION = "BINARY_CLASSIFICATION"
    MULTICLASS_CLASSIFICATION = "MULTICLASS_CLASSIFICATION"


class ModelMetricName(enum.StrEnum):
    RMSE = "RMSE"
    RSQUARE = "RSQUARE"
    ACCURACY = "ACCURACY"
    AVERAGE_PRECISION = "AVERAGE_PRECISION"


class SuggestionType(enum.StrEnum):
    SAMPLE_WEIGHTS = "SAMPLE_WEIGHTS"
    RESAMPLED_DATASET = "RESAMPLED_DATASET"


class ColumnRole(enum.StrEnum):
    ID = "ID"
    TIME_ID = "TIME_ID"
    INPUT = "INPUT"
    INPUT_MASK = "INPUT_MASK"
    METADATA = "METADATA"
    PREDICTION = "PREDICTION"
    TARGET = "TARGET"
    ERROR = "ERROR"
    INPUT_ADDITIONAL_EMBEDDING = "INPUT_ADDITIONAL_EMBEDDING"
    TARGET_ADDITIONAL_EMBEDDING = "TARGET_ADDITIONAL_EMBEDDING"
    PREDICTION_ADDITIONAL_EMBEDDING = "PREDICTION_ADDITIONAL_EMBEDDING"
    USER_INPUT = "USER_INPUT"
    RETRIEVED_CONTEXT = "RETRIEVED_CONTEXT"


class ColumnSubRole(enum.StrEnum):
    RAG_USER_INPUT = "RAG_USER_INPUT"
    RAG_RETRIEVED_CONTEXT = "RAG_RETRIEVED_CONTEXT"
    RAG_SYS_PROMPT = "RAG_SYS_PROMPT"
    SEASONALITY = "SEASONALITY"
    TREND = "TREND"
    REGRESSOR = "REGRESSOR"
    MODEL_PROBABILITY = "MODEL_PROBABILITY"
    OBJECT_LABEL_PREDICTION = "OBJECT_LABEL_PREDICTION"
    OBJECT_TEXT_PREDICTION = "OBJECT_TEXT_PREDICTION"
    OBJECT_LABEL_TARGET = "OBJECT_LABEL_TARGET"
    OBJECT_TEXT_TARGET = "OBJECT_TEXT_TARGET"
    RAG_SESSION_ID = "RAG_SESSION_ID"
    RAG_TURN_ID = "RAG_TURN_ID"


class DataType(enum.StrEnum):
    FLOAT = "FLOAT"
    INTEGER = "INTEGER"
    STRING = "STRING"
    CATEGORICAL = "CATEGORICAL"
    ARRAY_1 = "ARRAY_1"
    ARRAY_2 = "ARRAY_2"
    ARRAY_3 = "ARRAY_3"


@dataclass(frozen=True)
class CostInfo:
    """A task's cost information: its shape, currency and named costs (decimal strings)."""

    kind: CostKind
    currency: Currency | None
    costs: dict[str, str]

    def to_json(self) -> dict:
        currency = self.currency.value if self.currency else None
        return {"kind": self.kind.value, "currency": currency, "costs": dict(self.costs)}

    @classmethod
    def from_json(cls, data: dict) -> "CostInfo":
        currency = Currency(data["currency"]) if data.get("currency") else None
        return cls(CostKind(data["kind"]), currency, dict(data["costs"]))


# The named costs of each shape, as the contract's fields call them.
COST_FIELDS = {
    CostKind.REGRESSION: ("overestimation_cost", "underestimation_cost"),
    CostKind.BINARY_CLASSIFICATION: ("false_positive_cost", "false_negative_cost"),
    CostKind.MULTICLASS_CLASSIFICATION: ("misclassification_cost",),
}


@dataclass(frozen=True)
class ClassLabel:
    """A class label in the type the model outputs: str, int or bool."""

    value: str | int | bool

    def to_json(self) -> dict:
        kind = (
            "bool"
            if isinstance(self.value, bool)
            else "int"
            if isinstance(self.value, int)
            else "string"
        )
        return {"type": kind, "value": self.value}

    @classmethod
    def from_json(cls, data: dict) -> "ClassLabel":
        return cls({"bool": bool, "int": int, "string": str}[data["type"]](data["value"]))

    @property
    def text(self) -> str:
        """How the label reads among a categorical column's possible values."""
        return str(self.value).lower() if isinstance(self.value, bool) else str(self.value)


@dataclass
class TaskDraft:
    """What CreateTask asks for."""

    name: str
    tags: list[str]
    task_type: TaskType | None
    data_structure: DataStructure | None
    cost_info: CostInfo | None = None
    optional_target: bool = False
    text_language: TextLanguage | None = None
    positive_class: ClassLabel | None = None
    rag_contexts_separator: str | None = None


@dataclass
class ModelDraft:
    """What CreateModel asks for."""

    name: str
    version: str
    metric_name: ModelMetricName | None = None
    with_probabilistic_output: bool = False
    preferred_suggestion_type: SuggestionType | None = None
    resampled_dataset_size: int | None = None
    retraining_cost_amount: str = "0"
    retraining_cost_currency: Currency | None = None


@dataclass
class Column:
    """One column of a data schema."""

    name: str
    role: ColumnRole | None
    data_type: DataType | None
    nullable: bool = False
    sub_role: ColumnSubRole | None = None
    possible_values: list[str] = field(default_factory=list)
    dims: list[int] = field(default_factory=list)
    model_id: str = ""
    predicted_target: str = ""
    classes_names: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "role": self.role.value if self.role else None,
            "data_type": self.data_type.value if self.data_type else None,
            "nullable": self.nullable,
            "sub_role": self.sub_role.value if self.sub_role else None,
            "possible_values": list(self.possible_values),
            "dims": list(self.dims),
            "model_id": self.model_id,
            "predicted_target": self.predicted_target,
            "classes_names": list(self.classes_names),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Column":
        return cls(
            name=data["name"],
            role=ColumnRole(data["role"]) if data.get("role") else None,
            data_type=DataType(data["data_type"]) if data.get("data_type") else None,
            nullable=bool(data.get("nullable", False)),
            sub_role=ColumnSubRole(data["sub_role"]) if data.get("sub_role") else None,
            possible_values=list(data.get("possible_values", [])),
            dims=list(data.get("dims", [])),
            model_id=data.get("model_id", ""),
            predicted_target=data.get("predicted_target", ""),
            classes_names=list(data.get("classes_names", [])),
        )


# -- Python models ---------------------------------------------------------------------------


class CpuSize(enum.StrEnum):
    SMALL = "SMALL"
    MEDIUM = "MEDIUM"
    LARGE = "LARGE"


class TrainingDataKind(enum.StrEnum):
    HISTORICAL = "HISTORICAL"
    PRODUCTION = "PRODUCTION"


class PythonModelVersionStatus(enum.StrEnum):
    PENDING = "PENDING"
    TRAINING = "TRAINING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


class ModelCodeFailure(enum.StrEnum):
    """How a model's code failed: the sandbox's outcomes (python_models/sandbox.py) and what
    happens before the code runs."""

    RAISED = "RAISED"
    MEMORY = "MEMORY"
    CPU_TIME = "CPU_TIME"
    WALL_TIME = "WALL_TIME"
    WRONG_TYPE = "WRONG_TYPE"
    CRASHED = "CRASHED"
    ENVIRONMENT = "ENVIRONMENT"
    NO_DATA = "NO_DATA"
    NO_GPU = "NO_GPU"
