"""Every rule a catalog resource must satisfy, in one place.

Each check collects all broken rules of a request and raises one INVALID_ARGUMENT: its reason is
the first broken rule's (e.g. POSITIVE_CLASS_REQUIRED) and its field violations name every
offending field, with the request's field paths (``task.positive_class``).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from driftline_server.catalog.vocabulary import (
    COST_FIELDS,
    ClassLabel,
    Column,
    ColumnRole,
    ColumnSubRole,
    CostInfo,
    CostKind,
    Currency,
    DataStructure,
    DataType,
    ModelDraft,
    ModelMetricName,
    SuggestionType,
    TaskDraft,
    TaskType,
)
from driftline_server.platform.errors import FieldViolation, InvalidArgument
from driftline_server.platform.validation import MAX_REQUEST_ID, MAX_VERSION

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_TAG = 100
MAX_SEPARATOR = 100
MAX_AMOUNT = 30  # characters of a decimal amount
MAX_STORAGE_URI = 1024

# AWS's bucket naming rules (general purpose buckets), which S3-compatible services follow.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
# A prefix is plain key text: no query or fragment (pyarrow would read them as options), no
# blanks or control characters.
_PREFIX_FORBIDDEN = re.compile(r"[\x00-\x20\x7f?#\\]")

# Task types whose data can only have one structure.
DATA_STRUCTURES_OF_TASK = {
    TaskType.RAG: {DataStructure.TEXT},
    TaskType.OBJECT_DETECTION: {DataStructure.IMAGE},
    TaskType.SEMANTIC_SEGMENTATION: {DataStructure.IMAGE},
    TaskType.OCR: {DataStructure.IMAGE},
    TaskType.TIME_SERIES: {DataStructure.TABULAR},
}

# The cost information shape of each task type that has one.
COST_KIND_OF_TASK = {
    TaskType.REGRESSION: CostKind.REGRESSION,
    TaskType.CLASSIFICATION_BINARY: CostKind.BINARY_CLASSIFICATION,
    TaskType.CLASSIFICATION_MULTICLASS: CostKind.MULTICLASS_CLASSIFICATION,
}

# The metrics that can judge a model of each task type; other task types have none.
METRICS_OF_TASK = {
    TaskType.REGRESSION: {ModelMetricName.RMSE, ModelMetricName.RSQUARE},
    TaskType.TIME_SERIES: {ModelMetricName.RMSE, ModelMetricName.RSQUARE},
    TaskType.CLASSIFICATION_BINARY: {ModelMetricName.ACCURACY, ModelMetricName.AVERAGE_PRECISION},
    TaskType.CLASSIFICATION_MULTICLASS: {
        ModelMetricName.ACCURACY,
        ModelMetricName.AVERAGE_PRECISION,
    },
    TaskType.CLASSIFICATION_MULTILABEL: {
        ModelMetricName.ACCURACY,
        ModelMetricName.AVERAGE_PRECISION,
    },
    TaskType.OBJECT_DETECTION: {ModelMetricName.AVERAGE_PRECISION},
}

# Task types whose data has no target column.
TASKS_WITHOUT_TARGET = {TaskType.CLUSTERING, TaskType.RAG}

# The data types a column of a role may have (roles not listed take any type).
TYPES_OF_ROLE = {
    ColumnRole.ID: {DataType.STRING, DataType.INTEGER},
    ColumnRole.TIME_ID: {DataType.STRING, DataType.FLOAT, DataType.INTEGER},
    ColumnRole.INPUT_ADDITIONAL_EMBEDDING: {DataType.ARRAY_1},
    ColumnRole.TARGET_ADDITIONAL_EMBEDDING: {DataType.ARRAY_1},
    ColumnRole.PREDICTION_ADDITIONAL_EMBEDDING: {DataType.ARRAY_1},
    ColumnRole.USER_INPUT: {DataType.STRING},
    ColumnRole.RETRIEVED_CONTEXT: {DataType.STRING},
}

# The data types of the (main) target column, by task type (types not listed take any).
TARGET_TYPES_OF_TASK = {
    TaskType.REGRESSION: {DataType.FLOAT, DataType.INTEGER},
    TaskType.TIME_SERIES: {DataType.FLOAT, DataType.INTEGER},
    TaskType.CLASSIFICATION_BINARY: {DataType.CATEGORICAL},
    TaskType.CLASSIFICATION_MULTICLASS: {DataType.CATEGORICAL},
    TaskType.CLASSIFICATION_MULTILABEL: {DataType.ARRAY_1},
}

_ARRAY_RANK = {DataType.ARRAY_1: 1, DataType.ARRAY_2: 2, DataType.ARRAY_3: 3}

# The role each sub-role refines, and the task types it exists in (None: every task type).
SUB_ROLES = {
    ColumnSubRole.RAG_USER_INPUT: (ColumnRole.INPUT, {TaskType.RAG}),
    ColumnSubRole.RAG_RETRIEVED_CONTEXT: (ColumnRole.INPUT, {TaskType.RAG}),
    ColumnSubRole.RAG_SYS_PROMPT: (ColumnRole.INPUT, {TaskType.RAG}),
    ColumnSubRole.SEASONALITY: (ColumnRole.INPUT, {TaskType.TIME_SERIES}),
    ColumnSubRole.TREND: (ColumnRole.INPUT, {TaskType.TIME_SERIES}),
    ColumnSubRole.REGRESSOR: (ColumnRole.INPUT, {TaskType.TIME_SERIES}),
    ColumnSubRole.MODEL_PROBABILITY: (ColumnRole.PREDICTION, None),
    ColumnSubRole.OBJECT_LABEL_PREDICTION: (ColumnRole.PREDICTION, {TaskType.OBJECT_DETECTION}),
    ColumnSubRole.OBJECT_TEXT_PREDICTION: (ColumnRole.PREDICTION, {TaskType.OBJECT_DETECTION}),
    ColumnSubRole.OBJECT_LABEL_TARGET: (ColumnRole.TARGET, {TaskType.OBJECT_DETECTION}),
    ColumnSubRole.OBJECT_TEXT_TARGET: (ColumnRole.TARGET, {TaskType.OBJECT_DETECTION}),
    ColumnSubRole.RAG_SESSION_ID: (ColumnRole.METADATA, {TaskType.RAG}),
    ColumnSubRole.RAG_TURN_ID: (ColumnRole.METADATA, {TaskType.RAG}),
}

_PREDICTION_ROLES = {ColumnRole.PREDICTION, ColumnRole.PREDICTION_ADDITIONAL_EMBEDDING}
_RAG_ONLY_ROLES = {ColumnRole.USER_INPUT, ColumnRole.RETRIEVED_CONTEXT}


class Violations:
    """Broken rules collected while checking one request."""

    def __init__(self) -> None:
        self._items: list[tuple[str, FieldViolation]] = []

    def add(self, reason: str, field: str, description: str) -> None:
        self._items.append((reason, FieldViolation(field, description)))

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            violations = [violation for _, violation in self._items]
            raise InvalidArgument(
                reason=self._items[0][0],
                message="; ".join(f"{v.field}: {v.description}" for v in violations),
                violations=violations,
            )


def parse_amount(text: str) -> Decimal | None:
    """A non-negative decimal with at most 4 fractional digits, or None when it is not one."""
    if not isinstance(text, str) or len(text) > MAX_AMOUNT:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -4:
        return None
    return value


def check_request_id(request_id: str) -> None:
    """AIP-155 request ids are short client-chosen strings, e.g. a uuid."""
    if len(request_id) > MAX_REQUEST_ID:
        raise InvalidArgument.for_field(
            "request_id",
            f"at most {MAX_REQUEST_ID} characters (a uuid fits)",
            "REQUEST_ID_TOO_LONG",
        )


def check_name(found: Violations, name: str, path: str, limit: int = MAX_NAME) -> None:
    if not name.strip():
        found.add("NAME_REQUIRED", path, "is required: give it a non-blank name")
    elif len(name) > limit:
        found.add("NAME_TOO_LONG", path, f"has {len(name)} characters; at most {limit} are allowed")


# -- projects and KPIs ---------------------------------------------------------------------


def check_project(
    found: Violations,
    name: str | None,
    description: str | None,
    data_storage_uri: str | None = None,
) -> str | None:
    """Project fields being set (None: not being set); returns the data storage URI as stored
    (blanks and trailing slashes dropped), or None when it is not being set."""
    if name is not None:
        check_name(found, name, "project.name")
    if description is not None and len(description) > MAX_DESCRIPTION:
        found.add(
            "DESCRIPTION_TOO_LONG",
            "project.description",
            f"has {len(description)} characters; at most {MAX_DESCRIPTION} are allowed",
        )
    if data_storage_uri is None:
        return None
    return check_data_storage_uri(found, data_storage_uri)


def check_data_storage_uri(found: Violations, value: str) -> str:
    """Empty, or ``s3://<bucket>[/<prefix>]`` with a valid bucket name; returns the stored form."""
    path = "project.data_storage_uri"
    text = value.strip()
    if not text:
        return ""
    example = "e.g. s3://acme-ml/driftline"
    if len(text) > MAX_STORAGE_URI:
        found.add("DATA_STORAGE_URI_TOO_LONG", path,
                  f"has {len(text)} characters; at most {MAX_STORAGE_URI} are allowed")
        return text
    if not text.startswith("s3://"):
        found.add("DATA_STORAGE_URI_INVALID", path,
                  f"must be s3://<bucket>[/<prefix>] ({example}): a project's own storage is an "
                  "S3 or S3-compatible bucket")
        return text
    rest = text[len("s3://"):].rstrip("/")
    bucket, _, prefix = rest.partition("/")
    if (not _BUCKET.match(bucket) or ".." in bucket or _IP_ADDRESS.match(bucket)
            or bucket.startswith("xn--") or bucket.endswith("-s3alias")):
        found.add("DATA_STORAGE_URI_INVALID", path,
                  f"'{bucket}' is not a valid S3 bucket name: 3 to 63 lowercase letters, digits, "
                  f"dots and hyphens, beginning and ending with a letter or digit ({example})")
        return text
    if prefix and (_PREFIX_FORBIDDEN.search(prefix)
                   or any(part in ("", ".", "..") for part in prefix.split("/"))):
        found.add("DATA_STORAGE_URI_INVALID", path,
                  f"the prefix '{prefix}' must be folder names separated by single slashes, "
                  "without '.', '..', blanks, '?', '#' or backslashes")
        return text
    return f"s3://{rest}"


def check_kpi(name: str) -> None:
    found = Violations()
    check_name(found, name, "kpi.name")
    found.raise_if_any()


# -- tasks ---------------------------------------------------------------------------------


def check_tags(found: Violations, tags: list[str]) -> None:
    for index, tag in enumerate(tags):
        if not tag.strip() or len(tag) > MAX_TAG:
            found.add(
                "TAG_INVALID",
                f"task.tags[{index}]",
                f"must be non-blank and at most {MAX_TAG} characters",
            )
    duplicates = sorted(tag for tag, count in Counter(tags).items() if count > 1)
    if duplicates:
        found.add(
            "TAG_DUPLICATE", "task.tags", f"repeats {', '.join(duplicates)}: list each tag once"
        )


def check_cost_info(found: Violations, cost_info: CostInfo, task_type: TaskType | None) -> None:
    expected = COST_KIND_OF_TASK.get(task_type) if task_type else None
    if task_type is not None and cost_info.kind is not expected:
        allowed = (
            f"{expected.value.lower()} cost information" if expected else "no cost information"
        )
        found.add(
            "COST_INFO_MISMATCH",
            "task.cost_info",
            f"{task_type.value} tasks take {allowed}, not {cost_info.kind.value.lower()}",
        )
    if cost_info.currency is None:
        found.add("CURRENCY_REQUIRED", "task.cost_info.currency", "is required: EURO or DOLLAR")
    for name in COST_FIELDS[cost_info.kind]:
        if parse_amount(cost_info.costs.get(name, "")) is None:
            found.add(
                "COST_INVALID",
                f"task.cost_info.{name}",
                'must be a non-negative decimal with at most 4 fractional digits, e.g. "12.5"',
            )


def check_task(draft: TaskDraft) -> None:
    """Every rule of a new task; raises INVALID_ARGUMENT naming each broken one."""
    found = Violations()
    check_name(found, draft.name, "task.name")
    check_tags(found, draft.tags)
    task_type, structure = draft.task_type, draft.data_structure
    if task_type is None:
        found.add("TASK_TYPE_REQUIRED", "task.task_type", "is required")
    if structure is None:
        found.add("DATA_STRUCTURE_REQUIRED", "task.data_structure", "is required")
    if task_type in DATA_STRUCTURES_OF_TASK and structure is not None:
        allowed = DATA_STRUCTURES_OF_TASK[task_type]
        if structure not in allowed:
            found.add(
                "DATA_STRUCTURE_NOT_SUPPORTED",
                "task.data_structure",
                f"{task_type.value} tasks need {' or '.join(sorted(allowed))} data, "
                f"not {structure.value}",
            )

    if task_type is TaskType.CLASSIFICATION_BINARY and draft.positive_class is None:
        found.add(
            "POSITIVE_CLASS_REQUIRED",
            "task.positive_class",
            "binary classification tasks need the positive class of the target",
        )
    if task_type is not TaskType.CLASSIFICATION_BINARY and draft.positive_class is not None:
        found.add(
            "POSITIVE_CLASS_NOT_ALLOWED",
            "task.positive_class",
            "only binary classification tasks have a positive class: leave it unset",
        )
    if isinstance(draft.positive_class, ClassLabel) and draft.positive_class.text.strip() == "":
        found.add("POSITIVE_CLASS_REQUIRED", "task.positive_class", "must not be blank")

    if structure is DataStructure.TEXT and draft.text_language is None:
        found.add(
            "TEXT_LANGUAGE_REQUIRED",
            "task.text_language",
            "text tasks need their language: ITALIAN, ENGLISH or MULTILANGUAGE",
        )
    if structure is not None and structure is not DataStructure.TEXT and draft.text_language:
        found.add(
            "TEXT_LANGUAGE_NOT_ALLOWED",
            "task.text_language",
            f"only TEXT tasks have a language; this task's data is {structure.value}",
        )

    separator = draft.rag_contexts_separator
    if task_type is TaskType.RAG and not separator:
        found.add(
            "RAG_CONTEXTS_SEPARATOR_REQUIRED",
            "task.rag_contexts_separator",
            'RAG tasks need the separator between the retrieved contexts, e.g. "\\n\\n"',
        )
    if task_type is not TaskType.RAG and separator:
        found.add(
            "RAG_CONTEXTS_SEPARATOR_NOT_ALLOWED",
            "task.rag_contexts_separator",
            "only RAG tasks have a contexts separator: leave it empty",
        )
    if separator and len(separator) > MAX_SEPARATOR:
        found.add(
            "RAG_CONTEXTS_SEPARATOR_TOO_LONG",
            "task.rag_contexts_separator",
            f"at most {MAX_SEPARATOR} characters",
        )

    if draft.cost_info is not None:
        check_cost_info(found, draft.cost_info, task_type)
    found.raise_if_any()


def check_task_update(
    name: str | None, tags: list[str] | None, cost_info: CostInfo | None, task_type: TaskType
) -> None:
    """The fields UpdateTask sets (None: not being set)."""
    found = Violations()
    if name is not None:
        check_name(found, name, "task.name")
    if tags is not None:
        check_tags(found, tags)
    if cost_info is not None:
        check_cost_info(found, cost_info, task_type)
    found.raise_if_any()


# -- models --------------------------------------------------------------------------------


def check_version(found: Violations, version: str, path: str) -> None:
    if not version.strip():
        found.add("VERSION_REQUIRED", path, 'is required, e.g. "v1"')
    elif len(version) > MAX_VERSION:
        found.add("VERSION_TOO_LONG", path, f"at most {MAX_VERSION} characters")


def check_model(draft: ModelDraft, task_type: TaskType, task_currency: Currency | None) -> None:
    found = Violations()
    check_name(found, draft.name, "model.name")
    check_version(found, draft.version, "model.version")
    allowed = METRICS_OF_TASK.get(task_type, set())
    if draft.metric_name is not None and draft.metric_name not in allowed:
        fits = ", ".join(sorted(allowed)) or "no metric (leave it unset)"
        found.add(
            "METRIC_NAME_NOT_SUPPORTED",
            "model.metric_name",
            f"{draft.metric_name.value} does not fit {task_type.value} tasks; they take {fits}",
        )
    check_suggestion(found, draft.preferred_suggestion_type, draft.resampled_dataset_size,
                     "model.")
    if parse_amount(draft.retraining_cost_amount) is None:
        found.add(
            "RETRAINING_COST_INVALID",
            "model.retraining_cost.amount",
            'must be a non-negative decimal with at most 4 fractional digits, e.g. "100"',
        )
    currency = draft.retraining_cost_currency
    if currency is not None and task_currency is not None and currency is not task_currency:
        found.add(
            "CURRENCY_MISMATCH",
            "model.retraining_cost.currency",
            f"the task's costs are in {task_currency.value}; use it or leave the currency unset",
        )
    found.raise_if_any()


# -- data schemas --------------------------------------------------------------------------


def check_data_schema(
    columns: list[Column],
    task_type: TaskType,
    optional_target: bool,
    positive_class: ClassLabel | None,
    probabilistic_of_model: dict[str, bool],
) -> None:
    """Every rule of a task's data schema. ``probabilistic_of_model``: the task's model ids."""
    found = Violations()
    if not columns:
        found.add(
            "COLUMNS_REQUIRED",
            "data_schema.columns",
            "a schema needs at least its ID and TIME_ID columns",
        )
        found.raise_if_any()

    def at(index: int, name: str = "") -> str:
        return f"data_schema.columns[{index}]" + (f".{name}" if name else "")

    names = Counter(column.name for column in columns)
    target_names = {c.name for c in columns if c.role is ColumnRole.TARGET}
    seen_predictions: set[tuple[str, ColumnRole, ColumnSubRole | None]] = set()
    for index, column in enumerate(columns):
        if not column.name.strip():
            found.add("COLUMN_NAME_REQUIRED", at(index, "name"), "is required")
        elif len(column.name) > MAX_NAME:
            found.add("NAME_TOO_LONG", at(index, "name"), f"at most {MAX_NAME} characters")
        elif names[column.name] > 1:
            found.add(
                "COLUMN_NAME_DUPLICATE",
                at(index, "name"),
                f"'{column.name}' is used by more than one column",
            )
        role, data_type = column.role, column.data_type
        if role is None:
            found.add("COLUMN_ROLE_REQUIRED", at(index, "role"), "is required")
        if data_type is None:
            found.add("DATA_TYPE_REQUIRED", at(index, "data_type"), "is required")

        if role in (ColumnRole.ID, ColumnRole.TIME_ID) and column.nullable:
            found.add(
                "KEY_COLUMN_NULLABLE",
                at(index, "nullable"),
                f"the {role.value} column must not be nullable",
            )
        if role in _RAG_ONLY_ROLES and task_type is not TaskType.RAG:
            found.add(
                "ROLE_NOT_ALLOWED",
                at(index, "role"),
                f"{role.value} columns exist only in RAG tasks",
            )
        allowed_types = TYPES_OF_ROLE.get(role) if role else None
        if role is ColumnRole.TARGET and column.sub_role is None:
            allowed_types = TARGET_TYPES_OF_TASK.get(task_type)
        if allowed_types and data_type is not None and data_type not in allowed_types:
            found.add(
                "COLUMN_TYPE_NOT_SUPPORTED",
                at(index, "data_type"),
                f"a {role.value} column of a {task_type.value} task is "
                f"{' or '.join(sorted(allowed_types))}, not {data_type.value}",
            )

        if data_type is DataType.CATEGORICAL:
            if not column.possible_values:
                found.add(
                    "CATEGORICAL_VALUES_REQUIRED",
                    at(index, "possible_values"),
                    "CATEGORICAL columns list their possible values",
                )
            elif len(set(column.possible_values)) != len(column.possible_values):
                found.add(
                    "POSSIBLE_VALUES_DUPLICATE",
                    at(index, "possible_values"),
                    "list each value once",
                )
        elif column.possible_values:
            found.add(
                "POSSIBLE_VALUES_NOT_ALLOWED",
                at(index, "possible_values"),
                "only CATEGORICAL columns have possible values",
            )

        rank = _ARRAY_RANK.get(data_type)
        if rank is not None and (len(column.dims) != rank or any(d <= 0 for d in column.dims)):
            found.add(
                "DIMS_INVALID",
                at(index, "dims"),
                f"{data_type.value} columns need {rank} positive size(s)",
            )
        if rank is None and column.dims:
            found.add("DIMS_NOT_ALLOWED", at(index, "dims"), "only ARRAY_1/2/3 columns have dims")

        if column.sub_role is not None:
            sub_role_of, tasks = SUB_ROLES[column.sub_role]
            if role is not None and role is not sub_role_of:
                found.add(
                    "SUB_ROLE_NOT_ALLOWED",
                    at(index, "sub_role"),
                    f"{column.sub_role.value} refines {sub_role_of.value} columns, "
                    f"not {role.value}",
                )
            elif tasks is not None and task_type not in tasks:
                found.add(
                    "SUB_ROLE_NOT_ALLOWED",
                    at(index, "sub_role"),
                    f"{column.sub_role.value} exists only in {', '.join(sorted(tasks))} tasks",
                )

        if role in _PREDICTION_ROLES:
            if not column.model_id:
                found.add(
                    "MODEL_ID_REQUIRED",
                    at(index, "model_id"),
                    "a prediction column names the model that predicts it",
                )
            elif column.model_id not in probabilistic_of_model:
                found.add(
                    "PREDICTION_MODEL_NOT_FOUND",
                    at(index, "model_id"),
                    f"'{column.model_id}' is not a model of this task: create it first",
                )
            else:
                key = (column.model_id, role, column.sub_role)
                if key in seen_predictions:
                    found.add(
                        "PREDICTION_COLUMN_DUPLICATE",
                        at(index, "model_id"),
                        "this model already has a column of this role and sub-role",
                    )
                seen_predictions.add(key)
                if (
                    column.sub_role is ColumnSubRole.MODEL_PROBABILITY
                    and not probabilistic_of_model[column.model_id]
                ):
                    found.add(
                        "MODEL_NOT_PROBABILISTIC",
                        at(index, "sub_role"),
                        "the model was created without probabilistic output",
                    )
        elif column.model_id:
            found.add(
                "MODEL_ID_NOT_ALLOWED",
                at(index, "model_id"),
                "only prediction columns name a model",
            )
        if column.predicted_target:
            if role is not ColumnRole.PREDICTION:
                found.add(
                    "PREDICTED_TARGET_NOT_ALLOWED",
                    at(index, "predicted_target"),
                    "only PREDICTION columns name a target",
                )
            elif column.predicted_target not in target_names:
                found.add(
                    "PREDICTED_TARGET_NOT_FOUND",
                    at(index, "predicted_target"),
                    f"no TARGET column is called '{column.predicted_target}'",
                )

        is_main_target = role is ColumnRole.TARGET and column.sub_role is None
        if column.classes_names and not (
            is_main_target and task_type is TaskType.CLASSIFICATION_MULTILABEL
        ):
            found.add(
                "CLASSES_NAMES_NOT_ALLOWED",
                at(index, "classes_names"),
                "only the target of a multilabel task names its classes",
            )
        if (
            is_main_target
            and task_type is TaskType.CLASSIFICATION_MULTILABEL
            and not column.classes_names
        ):
            found.add(
                "CLASSES_NAMES_REQUIRED",
                at(index, "classes_names"),
                "the target of a multilabel task names its classes",
            )
        if (
            is_main_target
            and positive_class is not None
            and data_type is DataType.CATEGORICAL
            and column.possible_values
            and positive_class.text not in _label_texts(column.possible_values, positive_class)
        ):
            found.add(
                "POSITIVE_CLASS_NOT_IN_TARGET",
                at(index, "possible_values"),
                f"must include the task's positive class '{positive_class.text}'",
            )

    roles = Counter(column.role for column in columns)
    for role, label in ((ColumnRole.ID, "ID"), (ColumnRole.TIME_ID, "TIME_ID")):
        if roles[role] == 0:
            found.add(
                f"{label}_COLUMN_REQUIRED",
                "data_schema.columns",
                f"exactly one {label} column is required; none was given",
            )
        elif roles[role] > 1:
            found.add(
                f"{label}_COLUMN_DUPLICATE",
                "data_schema.columns",
                f"exactly one {label} column is required; {roles[role]} were given",
            )
    main_targets = [c for c in columns if c.role is ColumnRole.TARGET and c.sub_role is None]
    if len(main_targets) > 1:
        found.add(
            "TARGET_COLUMN_DUPLICATE",
            "data_schema.columns",
            "at most one TARGET column without sub-role",
        )
    has_target = roles[ColumnRole.TARGET] > 0
    if not has_target and not optional_target and task_type not in TASKS_WITHOUT_TARGET:
        found.add(
            "TARGET_COLUMN_REQUIRED",
            "data_schema.columns",
            "the task's target is not optional: add a TARGET column "
            "(or create the task with optional_target)",
        )
    if task_type is TaskType.RAG:
        if not any(
            c.role is ColumnRole.USER_INPUT or c.sub_role is ColumnSubRole.RAG_USER_INPUT
            for c in columns
        ):
            found.add(
                "USER_INPUT_COLUMN_REQUIRED",
                "data_schema.columns",
                "RAG tasks need a USER_INPUT column",
            )
        if not any(
            c.role is ColumnRole.RETRIEVED_CONTEXT
            or c.sub_role is ColumnSubRole.RAG_RETRIEVED_CONTEXT
            for c in columns
        ):
            found.add(
                "RETRIEVED_CONTEXT_COLUMN_REQUIRED",
                "data_schema.columns",
                "RAG tasks need a RETRIEVED_CONTEXT column",
            )
    found.raise_if_any()


def _label_texts(values: list[str], label: ClassLabel) -> set[str]:
    """Possible values as the label's ``text`` reads them (booleans ignore case)."""
    return {v.lower() for v in values} if isinstance(label.value, bool) else set(values)


def schema_template(
    task_type: TaskType,
    data_structure: DataStructure,
    optional_target: bool,
    positive_class: ClassLabel | None,
    models: list[tuple[str, str, str]],
) -> list[Column]:
    """The columns a task requires: ID, TIME_ID, the target in its type, the inputs that the data
    structure implies and one prediction column per model (id, name, version). Categorical
    values and array sizes are left for the user to fill in."""
    columns = [
        Column("sample_id", ColumnRole.ID, DataType.STRING),
        Column("timestamp", ColumnRole.TIME_ID, DataType.FLOAT),
    ]
    if task_type is TaskType.RAG:
        columns += [
            Column("user_input", ColumnRole.USER_INPUT, DataType.STRING),
            Column("retrieved_context", ColumnRole.RETRIEVED_CONTEXT, DataType.STRING),
        ]
    elif data_structure is DataStructure.TEXT:
        columns.append(Column("text", ColumnRole.INPUT, DataType.STRING))
    elif data_structure is DataStructure.IMAGE:
        columns.append(Column("image", ColumnRole.INPUT, DataType.ARRAY_3))
    elif data_structure is DataStructure.EMBEDDING:
        columns.append(Column("embedding", ColumnRole.INPUT, DataType.ARRAY_1))

    target_type = {
        TaskType.REGRESSION: DataType.FLOAT,
        TaskType.TIME_SERIES: DataType.FLOAT,
        TaskType.CLASSIFICATION_BINARY: DataType.CATEGORICAL,
        TaskType.CLASSIFICATION_MULTICLASS: DataType.CATEGORICAL,
        TaskType.CLASSIFICATION_MULTILABEL: DataType.ARRAY_1,
        TaskType.SEMANTIC_SEGMENTATION: DataType.ARRAY_2,
    }.get(task_type, DataType.STRING)
    prediction_type = DataType.STRING if task_type is TaskType.RAG else target_type
    values = [positive_class.text] if positive_class is not None else []
    if task_type not in TASKS_WITHOUT_TARGET:
        columns.append(
            Column(
                "target",
                ColumnRole.TARGET,
                target_type,
                nullable=optional_target,
                possible_values=list(values),
            )
        )
    for model_id, name, version in models:
        columns.append(
            Column(
                f"{name}_{version}_prediction",
                ColumnRole.PREDICTION,
                prediction_type,
                model_id=model_id,
                possible_values=list(values) if prediction_type is DataType.CATEGORICAL else [],
            )
        )
    return columns


def check_suggestion(found: Violations, suggestion_type: SuggestionType | None,
                     size: int | None, prefix: str = "") -> None:
    """The size of a resampled dataset goes with RESAMPLED_DATASET suggestions, and only."""
    if suggestion_type is SuggestionType.RESAMPLED_DATASET and not (size and size > 0):
        found.add(
            "RESAMPLED_DATASET_SIZE_REQUIRED",
            f"{prefix}resampled_dataset_size",
            "RESAMPLED_DATASET suggestions need the size of the dataset to propose (> 0)",
        )
    if suggestion_type is not SuggestionType.RESAMPLED_DATASET and size:
        found.add(
            "RESAMPLED_DATASET_SIZE_NOT_ALLOWED",
            f"{prefix}resampled_dataset_size",
            "is used only with preferred_suggestion_type RESAMPLED_DATASET: leave it unset",
        )


# -- model sessions and built models ---------------------------------------------------------

MAX_DATASET_ID = 200
MAX_TARGETS = 100
MAX_BINARY_KEY = 1024


def check_built_name(found: Violations, name: str | None, path: str) -> None:
    """A session's or built model's name, when it is being set (None: not being set)."""
    if name is not None:
        check_name(found, name, path)


def check_dataset_id(found: Violations, dataset_id: str, path: str, required: bool) -> None:
    """An opaque dataset reference: required where asked, at most MAX_DATASET_ID characters."""
    if required and not dataset_id.strip():
        found.add("DATASET_ID_REQUIRED", path, "is required: name the dataset the models are "
                  "built from")
    elif len(dataset_id) > MAX_DATASET_ID:
        found.add("DATASET_ID_TOO_LONG", path,
                  f"has {len(dataset_id)} characters; at most {MAX_DATASET_ID} are allowed")


def check_targets(found: Violations, targets: list[str], path: str) -> None:
    """Target names: at most MAX_TARGETS, each non-blank, at most MAX_NAME characters, once."""
    if len(targets) > MAX_TARGETS:
        found.add("TOO_MANY_TARGETS", path,
                  f"has {len(targets)} targets; at most {MAX_TARGETS} are allowed")
        return
    seen: set[str] = set()
    for index, target in enumerate(targets):
        if not target.strip():
            found.add("TARGET_REQUIRED", f"{path}[{index}]", "must not be blank")
        elif len(target) > MAX_NAME:
            found.add("NAME_TOO_LONG", f"{path}[{index}]",
                      f"has {len(target)} characters; at most {MAX_NAME} are allowed")
        elif target in seen:
            found.add("TARGET_DUPLICATE", f"{path}[{index}]", f"'{target}' is named twice")
        seen.add(target)


def check_binary_key(found: Violations, binary_key: str | None, path: str) -> None:
    if binary_key is not None and len(binary_key) > MAX_BINARY_KEY:
        found.add("BINARY_KEY_TOO_LONG", path,
                  f"has {len(binary_key)} characters; at most {MAX_BINARY_KEY} are allowed")
