"""Ingestion of one uploaded batch: read its staged parts, validate them against the task's data
schema and write the batch as one Parquet file, or refuse it with every problem found.

Pure: no gRPC, no database, only pyarrow (and NumPy for masks). The ingestion job calls
``ingest_batch`` with the staged parts of a batch and a temporary output path; on success the
file at that path holds the whole batch, on refusal (``BatchRefused``) nothing is left there.

Memory stays bounded whatever the size of the upload: the main part (INPUTS, or the TARGET part
of a TARGET batch, or the KPI part of a KPI batch) is read record batch by record batch, each
validated, joined with the narrow TARGET and PREDICTIONS parts (loaded whole) and written as it
goes; only the sample ids of the batch are kept to the end, to find the ids that repeat.

Example::

    batch = ingest_batch(
        kind="HISTORICAL",
        columns=[SchemaColumn("id", "ID", "STRING"), SchemaColumn("t", "TIME_ID", "FLOAT"),
                 SchemaColumn("age", "INPUT", "INTEGER")],
        task_type="REGRESSION",
        task_model_ids=set(),
        parts=[StagedPart("INPUTS", "/staging/b1/inputs", "PARQUET")],
        filesystem=pyarrow.fs.LocalFileSystem(),
        output_path="/data/tasks/t1/b1.parquet.tmp",
    )
    batch.row_count  # 1000
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.fs as pa_fs
import pyarrow.json as pa_json
import pyarrow.parquet as pq

# The first offending rows a problem lists (its row_count counts them all).
MAX_REPORTED_ROWS = 10
# Unknown categories named in an UNKNOWN_CATEGORY message.
MAX_REPORTED_CATEGORIES = 20
# An offending value is shown as at most this many characters.
MAX_VALUE_TEXT = 200

# Rows are validated in slices of at most this many rows and about this many bytes, whatever the
# size of the record batches the client sent, so that the temporaries of validation stay small.
SLICE_ROWS = 128 * 1024
SLICE_BYTES = 64 * 1024 * 1024
# A row group is written once this many rows or bytes are buffered.
ROW_GROUP_ROWS = 128 * 1024
ROW_GROUP_BYTES = 64 * 1024 * 1024
# Record batches read from Parquet parts, and the CSV reader's block (one record batch each).
PARQUET_BATCH_ROWS = 64 * 1024
CSV_BLOCK_BYTES = 8 * 1024 * 1024

KPI_TIME_COLUMN = "timestamp"
KPI_VALUE_COLUMN = "value"
KIND_METADATA_KEY = b"driftline.kind"

TIMESTAMP_TYPE = pa.timestamp("us", tz="UTC")

_TARGET_ROLES = {"TARGET", "TARGET_ADDITIONAL_EMBEDDING"}
_PREDICTION_ROLES = {"PREDICTION", "PREDICTION_ADDITIONAL_EMBEDDING"}
_ARRAY_DEPTH = {"ARRAY_1": 1, "ARRAY_2": 2, "ARRAY_3": 3}
_BATCH_KINDS = {"HISTORICAL", "PRODUCTION", "TARGET", "KPI"}

# Seconds since the epoch of 0001-01-01 and 9999-12-31T23:59:59: the times a timestamp can hold.
_MIN_EPOCH_SECONDS = -62135596800
_MAX_EPOCH_SECONDS = 253402300799
_INT64_LIMIT = 2.0**63

# Text that parses as a number (as Arrow's cast reads it, after trimming whitespace).
_FLOAT_TEXT = r"(?i)^[+-]?((\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)$"
_INT_TEXT = r"^[+-]?\d+$"
# ISO 8601 as Arrow parses it: a date, optionally a time (hours, minutes, seconds, fraction) and
# an offset; fields in range (days of short months are checked apart).
_ISO_TEXT = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d+)?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?$"
)
_ISO_WITH_OFFSET = r"[T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)$"
# Arrow parses at most microseconds: finer digits are dropped (truncation, as for ns timestamps).
_EXTRA_FRACTION = r"(\.\d{6})\d+"
# A JSON number (and the NaN and Infinity that Python's json writes) and JSON arrays of them.
_JSON_NUMBER = r"(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|NaN|-?Infinity)"

# Errors of pyarrow's readers that mean the bytes are not what the part's format says (garbage,
# truncation), as opposed to I/O failures, which propagate so that the job can be retried.
_FORMAT_ERRORS = (
    pa.ArrowInvalid,
    pa.ArrowTypeError,
    pa.ArrowNotImplementedError,
    pa.ArrowKeyError,
    pa.ArrowIndexError,
    pa.ArrowSerializationError,
)
# pyarrow reports some malformed files as plain OSError (Arrow's IOError status): these messages
# are about the content of the file, not about reaching it.
_FORMAT_OSERROR_HINTS = (
    "deserialize thrift",
    "expected to be able to read",
    "but only got",
    "unexpected end of stream",
    "corrupt",
    "magic bytes",
    "file size is",
)
# Compute errors of a cast that a value cannot take.
_CAST_ERRORS = (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError)


@dataclass(frozen=True)
class SchemaColumn:
    """What ingestion needs of one column of the task's data schema."""

    name: str
    role: str
    data_type: str
    nullable: bool = False
    possible_values: tuple[str, ...] = ()
    dims: tuple[int, ...] = ()
    model_id: str = ""
    sub_role: str = ""


@dataclass(frozen=True)
class StagedPart:
    """One uploaded table of a batch, as staged: its kind, where it is and how it is encoded."""

    kind: str
    path: str
    format: str
    model_id: str = ""


@dataclass
class Problem:
    """Something wrong in a batch (the proto's BatchProblem): a stable code, where, what is wrong
    and how to fix it, and the first offending rows (0-based, in the part's own order)."""

    code: str
    column: str = ""
    part: str = ""
    model_id: str = ""
    message: str = ""
    rows: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    row_count: int = 0

    def to_dict(self) -> dict:
        """The problem as JSON-able data, with the proto's field names."""
        return asdict(self)


class BatchRefused(Exception):
    """The batch breaks the schema's rules: every problem found, and a one-line summary."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.message = _summary(problems)
        super().__init__(self.message)


@dataclass(frozen=True)
class IngestedBatch:
    """What was stored: rows, and the time of the first and last sample (None for TARGET)."""

    row_count: int
    first_sample_time: datetime | None
    last_sample_time: datetime | None


def arrow_type(column: SchemaColumn) -> pa.DataType:
    """The type a column is stored in: TIME_ID columns as UTC timestamps (microseconds), FLOAT as
    float64, INTEGER as int64, STRING and CATEGORICAL as strings, ARRAY_n as float64 lists nested
    n deep."""
    if column.role == "TIME_ID":
        return TIMESTAMP_TYPE
    data_type = column.data_type
    if data_type == "FLOAT":
        return pa.float64()
    if data_type == "INTEGER":
        return pa.int64()
    if data_type in ("STRING", "CATEGORICAL"):
        return pa.string()
    if data_type in _ARRAY_DEPTH:
        stored: pa.DataType = pa.float64()
        for _ in range(_ARRAY_DEPTH[data_type]):
            stored = pa.list_(stored)
        return stored
    raise ValueError(f"column '{column.name}' has no known data type: {data_type!r}")


def ingest_batch(
    *,
    kind: str,
    columns: list[SchemaColumn],
    task_type: str,
    task_model_ids: set[str],
    parts: list[StagedPart],
    filesystem: pa_fs.FileSystem,
    output_path: str,
    report_progress: Callable[[float, str], None] = lambda f, m: None,
    check_cancelled: Callable[[], None] = lambda: None,
) -> IngestedBatch:
    """Validate a batch's staged parts against the data schema and write it as one Parquet file
    (zstd) at ``output_path``.

    Raises BatchRefused with every problem found (nothing is left at ``output_path``); I/O errors
    and whatever ``check_cancelled`` raises propagate, also leaving nothing behind.
    """
    if kind not in _BATCH_KINDS:
        raise ValueError(f"unknown batch kind {kind!r}")
    problems = _Problems()
    output = _ParquetOutput(filesystem, output_path, kind)
    try:
        plan = _plan_batch(kind, columns, task_type, task_model_ids, parts, problems)
        if plan is None:
            # The parts themselves are wrong: their content cannot be judged.
            raise BatchRefused(problems.finish())
        ingestion = _Ingestion(plan, filesystem, problems, output, report_progress, check_cancelled)
        ingested = ingestion.run()
        if problems.any():
            raise BatchRefused(problems.finish())
        output.close()
        return ingested
    except BatchRefused:
        output.discard(strict=True)
        raise
    except BaseException:
        # Not a verdict on the batch (I/O, cancellation): clean up what we can, keep the error.
        output.discard(strict=False)
        raise


# ---------------------------------------------------------------------------------------------
# Problems


def _summary(problems: list[Problem]) -> str:
    count = len(problems)
    shown = "; ".join(problem.message for problem in problems[:5])
    more = f"; and {count - 5} more" if count > 5 else ""
    return f"{count} problem{'s' if count != 1 else ''}: {shown}{more}"


def _value_text(value: object) -> str:
    """An offending value as text, as the user would recognise it."""
    if value is None:
        text = "null"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, bytes):
        text = value.decode("utf-8", "backslashreplace")
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, (list, tuple, dict)):
        text = json.dumps(value, default=str)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_TEXT else text[: MAX_VALUE_TEXT - 1] + "…"


def _values_at(values: pa.Array, indices: np.ndarray) -> list[str]:
    taken = values.take(pa.array(indices, pa.int64()))
    try:
        return [_value_text(value) for value in taken.to_pylist()]
    except (ValueError, OverflowError, pa.ArrowException):
        # e.g. a timestamp beyond Python's datetime range: show what Arrow prints.
        return [_value_text(str(taken[i])) for i in range(len(taken))]


class _Problems:
    """The problems of a batch, one per (code, column, part, model), in the order found."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str, str, str], Problem] = {}
        self._categories: dict[tuple[str, str, str, str], tuple[str, set[str]]] = {}

    def any(self) -> bool:
        return bool(self._found)

    def add(
        self,
        code: str,
        message: str,
        *,
        column: str = "",
        part: str = "",
        model_id: str = "",
    ) -> Problem:
        key = (code, column, part, model_id)
        problem = self._found.get(key)
        if problem is None:
            problem = Problem(code, column, part, model_id, message)
            self._found[key] = problem
        return problem

    def add_rows(
        self,
        code: str,
        message: str,
        mask: np.ndarray,
        values: pa.Array,
        offset: int,
        *,
        column: str = "",
        part: str = "",
        model_id: str = "",
    ) -> None:
        """Rows of a slice (``mask`` over it) have the problem; ``values``: the slice's values
        to show; ``offset``: the slice's first row in its part."""
        indices = np.flatnonzero(mask)
        if len(indices) == 0:
            return
        problem = self.add(code, message, column=column, part=part, model_id=model_id)
        problem.row_count += len(indices)
        wanted = MAX_REPORTED_ROWS - len(problem.rows)
        if wanted > 0:
            shown = indices[:wanted]
            problem.rows.extend(int(offset + i) for i in shown)
            problem.values.extend(_values_at(values, shown))

    def add_categories(
        self, column: SchemaColumn, part: str, model_id: str, unknown: list[str]
    ) -> None:
        key = ("UNKNOWN_CATEGORY", column.name, part, model_id)
        known = ", ".join(repr(value) for value in column.possible_values[:20])
        if len(column.possible_values) > 20:
            known += ", …"
        message, seen = self._categories.setdefault(
            key,
            (
                f"column '{column.name}' has values that are not among its possible values "
                f"({known})",
                set(),
            ),
        )
        seen.update(unknown)

    def finish(self) -> list[Problem]:
        for key, (message, seen) in self._categories.items():
            problem = self._found.get(key)
            if problem is None:
                continue
            names = sorted(seen)
            listed = ", ".join(repr(name) for name in names[:MAX_REPORTED_CATEGORIES])
            if len(names) > MAX_REPORTED_CATEGORIES:
                listed += f" and {len(names) - MAX_REPORTED_CATEGORIES} more"
            problem.message = (
                f"{message}: {listed}; add them to the column's possible_values or correct the data"
            )
        return list(self._found.values())


# ---------------------------------------------------------------------------------------------
# The plan: which parts, which columns in each


@dataclass
class _PartPlan:
    """A part to read and the schema columns that belong in it (ID first)."""

    part: StagedPart
    group: list[SchemaColumn]

    @property
    def kind(self) -> str:
        return self.part.kind

    @property
    def model_id(self) -> str:
        return self.part.model_id

    @property
    def label(self) -> str:
        if self.kind == "PREDICTIONS":
            return f"PREDICTIONS part of model '{self.model_id}'"
        return f"{self.kind} part"


@dataclass
class _Plan:
    kind: str
    columns: list[SchemaColumn]
    main: _PartPlan
    sides: list[_PartPlan]
    id_column: SchemaColumn | None
    time_column: SchemaColumn | None
    # Where each schema column belongs, to tell a user who put it in the wrong part.
    home_of: dict[str, str]


def _inputs_group(columns: list[SchemaColumn]) -> list[SchemaColumn]:
    excluded = _TARGET_ROLES | _PREDICTION_ROLES
    return [column for column in columns if column.role not in excluded]


def _target_group(columns: list[SchemaColumn], id_column: SchemaColumn) -> list[SchemaColumn]:
    return [id_column] + [column for column in columns if column.role in _TARGET_ROLES]


def _prediction_columns(columns: list[SchemaColumn], model_id: str) -> list[SchemaColumn]:
    return [c for c in columns if c.role in _PREDICTION_ROLES and c.model_id == model_id]


def _single(columns: list[SchemaColumn], role: str) -> SchemaColumn | None:
    found = [column for column in columns if column.role == role]
    if len(found) > 1:
        raise ValueError(f"the data schema has {len(found)} {role} columns")
    return found[0] if found else None


def _plan_batch(
    kind: str,
    columns: list[SchemaColumn],
    task_type: str,
    task_model_ids: set[str],
    parts: list[StagedPart],
    problems: _Problems,
) -> _Plan | None:
    """Check which parts the batch has against its kind; the plan, or None with problems."""
    if kind == "KPI":
        return _plan_single(kind, "KPI", parts, problems, _kpi_group(), None, None, {})
    id_column = _single(columns, "ID")
    time_column = _single(columns, "TIME_ID")
    if id_column is None:
        raise ValueError("the data schema has no ID column")
    home_of = {column.name: "the INPUTS part" for column in _inputs_group(columns)}
    for column in columns:
        if column.role in _TARGET_ROLES:
            home_of[column.name] = "the TARGET part"
        elif column.role in _PREDICTION_ROLES:
            home_of[column.name] = f"the PREDICTIONS part of model '{column.model_id}'"
    if kind == "TARGET":
        group = _target_group(columns, id_column)
        return _plan_single(kind, "TARGET", parts, problems, group, id_column, None, home_of)

    if time_column is None:
        raise ValueError("the data schema has no TIME_ID column")
    inputs = [p for p in parts if p.kind == "INPUTS"]
    targets = [p for p in parts if p.kind == "TARGET"]
    predictions = [p for p in parts if p.kind == "PREDICTIONS"]
    for part in parts:
        if part.kind not in ("INPUTS", "TARGET", "PREDICTIONS"):
            problems.add(
                "PART_NOT_ALLOWED",
                f"a {kind} batch has INPUTS, TARGET and PREDICTIONS parts, not a {part.kind} "
                "part: remove it",
                part=part.kind,
                model_id=part.model_id,
            )
    if not inputs:
        problems.add(
            "PART_MISSING",
            f"a {kind} batch needs an INPUTS part with its samples: add one",
            part="INPUTS",
        )
    for name, found in (("INPUTS", inputs), ("TARGET", targets)):
        if len(found) > 1:
            problems.add(
                "PART_DUPLICATE",
                f"the batch has {len(found)} {name} parts: send exactly one",
                part=name,
            )
    models_seen: dict[str, int] = {}
    for part in predictions:
        models_seen[part.model_id] = models_seen.get(part.model_id, 0) + 1
    for model_id, count in models_seen.items():
        if count > 1:
            problems.add(
                "PART_DUPLICATE",
                f"the batch has {count} PREDICTIONS parts for model '{model_id}': send one per "
                "model",
                part="PREDICTIONS",
                model_id=model_id,
            )
        if not model_id:
            problems.add(
                "MODEL_NOT_FOUND",
                "a PREDICTIONS part names no model: name the model whose predictions it holds",
                part="PREDICTIONS",
            )
        elif model_id not in task_model_ids:
            problems.add(
                "MODEL_NOT_FOUND",
                f"model '{model_id}' is not a model of this task: create it first or name "
                "another model",
                part="PREDICTIONS",
                model_id=model_id,
            )
        elif not _prediction_columns(columns, model_id):
            problems.add(
                "MODEL_NOT_FOUND",
                f"the data schema has no prediction columns for model '{model_id}': add them "
                "to the schema first",
                part="PREDICTIONS",
                model_id=model_id,
            )
    if task_type == "RAG" and not predictions:
        problems.add(
            "PREDICTIONS_REQUIRED",
            "a RAG task's HISTORICAL and PRODUCTION batches carry the answers of at least one "
            "model: add a PREDICTIONS part",
            part="PREDICTIONS",
        )
    if problems.any():
        return None
    sides = []
    if targets:
        sides.append(_PartPlan(targets[0], _target_group(columns, id_column)))
    for part in predictions:
        sides.append(_PartPlan(part, [id_column] + _prediction_columns(columns, part.model_id)))
    return _Plan(
        kind,
        columns,
        _PartPlan(inputs[0], _inputs_group(columns)),
        sides,
        id_column,
        time_column,
        home_of,
    )


def _kpi_group() -> list[SchemaColumn]:
    return [
        SchemaColumn(KPI_TIME_COLUMN, "TIME_ID", "FLOAT"),
        SchemaColumn(KPI_VALUE_COLUMN, "KPI_VALUE", "FLOAT"),
    ]


def _plan_single(
    kind: str,
    part_kind: str,
    parts: list[StagedPart],
    problems: _Problems,
    group: list[SchemaColumn],
    id_column: SchemaColumn | None,
    time_column: SchemaColumn | None,
    home_of: dict[str, str],
) -> _Plan | None:
    """TARGET and KPI batches: exactly one part of their own kind."""
    wanted = [part for part in parts if part.kind == part_kind]
    for part in parts:
        if part.kind != part_kind:
            problems.add(
                "PART_NOT_ALLOWED",
                f"a {kind} batch has exactly one {part_kind} part, not a {part.kind} part: "
                "remove it",
                part=part.kind,
                model_id=part.model_id,
            )
    if not wanted:
        problems.add(
            "PART_MISSING",
            f"a {kind} batch needs a {part_kind} part: add one",
            part=part_kind,
        )
    elif len(wanted) > 1:
        problems.add(
            "PART_DUPLICATE",
            f"the batch has {len(wanted)} {part_kind} parts: send exactly one",
            part=part_kind,
        )
    if problems.any():
        return None
    if kind == "KPI":
        time_column = group[0]
    return _Plan(kind, [], _PartPlan(wanted[0], group), [], id_column, time_column, home_of)


# ---------------------------------------------------------------------------------------------
# Reading parts


class _PartNotReadable(Exception):
    pass


def _is_format_error(error: BaseException) -> bool:
    if isinstance(error, _FORMAT_ERRORS):
        return True
    if type(error) is OSError and error.errno is None:
        text = str(error).lower()
        return any(hint in text for hint in _FORMAT_OSERROR_HINTS)
    return False


class _PartReader:
    """Record batches of one staged part, in its own row order, read one at a time."""

    def __init__(self, part: StagedPart, filesystem: pa_fs.FileSystem):
        self.part = part
        self._filesystem = filesystem
        self._closers: list[Callable[[], None]] = []
        self._parquet: pq.ParquetFile | None = None
        self._stream: pa.NativeFile | None = None
        self._batches: Iterator[pa.RecordBatch] = iter(())
        self.rows_read = 0
        self.bytes_read = 0
        try:
            self.names = self._open()
        except BaseException as error:
            self.close()
            if _is_format_error(error):
                raise _PartNotReadable(str(error)) from error
            raise

    def _input_stream(self) -> pa.NativeFile:
        # compression=None: staged bytes are the part itself, whatever its file name ends with.
        stream = self._filesystem.open_input_stream(self.part.path, compression=None)
        self._closers.append(stream.close)
        return stream

    def _open(self) -> list[str]:
        part_format = self.part.format
        if part_format == "ARROW_IPC_STREAM":
            self._stream = self._input_stream()
            reader = pa.ipc.open_stream(self._stream)
            self._batches = iter(reader)
            return list(reader.schema.names)
        if part_format == "PARQUET":
            source = self._filesystem.open_input_file(self.part.path)
            self._closers.append(source.close)
            self._parquet = pq.ParquetFile(source)
            self._batches = self._parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS)
            return list(self._parquet.schema_arrow.names)
        if part_format == "CSV":
            # A first look at the header names every column, so that every column is then read
            # as text: casting (and its errors, row by row) is ours, not the CSV reader's.
            header = self._input_stream()
            names = list(pa_csv.open_csv(header).schema.names)
            header.close()
            self._stream = self._input_stream()
            reader = pa_csv.open_csv(
                self._stream,
                read_options=pa_csv.ReadOptions(block_size=CSV_BLOCK_BYTES),
                convert_options=pa_csv.ConvertOptions(
                    column_types={name: pa.string() for name in names},
                    strings_can_be_null=True,
                    null_values=[""],
                    quoted_strings_can_be_null=False,
                ),
            )
            self._batches = iter(reader)
            return names
        raise _PartNotReadable(f"unknown format {part_format!r}")

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        while True:
            try:
                batch = next(self._batches)
            except StopIteration:
                return
            except BaseException as error:
                if _is_format_error(error):
                    raise _PartNotReadable(str(error)) from error
                raise
            self.rows_read += batch.num_rows
            self.bytes_read += batch.nbytes
            yield batch

    def fraction(self, size: int) -> float:
        """About how much of the part (``size`` bytes) has been read, from 0 to 1."""
        if self._parquet is not None:
            total = self._parquet.metadata.num_rows
            return min(1.0, self.rows_read / total) if total else 1.0
        # Input streams have no position: the bytes of the record batches read stand in for
        # the bytes of the file (close for IPC and CSV text; capped for compressed IPC).
        return min(0.99, self.bytes_read / size) if size else 0.0

    def close(self) -> None:
        for close in reversed(self._closers):
            try:
                close()
            except (OSError, pa.ArrowException):
                pass
        self._closers.clear()


# ---------------------------------------------------------------------------------------------
# Converting values to their stored types


@dataclass
class _Where:
    """The column of a slice being converted: where its problems are reported."""

    problems: _Problems
    column: SchemaColumn
    part: str
    model_id: str
    offset: int
    raw: pa.Array  # the slice's values as uploaded, shown in problems
    # Offending rows by code, gathered over the steps of a conversion and reported at its end,
    # so that a problem's first rows are the first in the part's order.
    _found: dict[str, tuple[str, np.ndarray]] = field(default_factory=dict)

    def report(self, code: str, message: str, mask: np.ndarray | pa.Array) -> None:
        if isinstance(mask, (pa.Array, pa.ChunkedArray)):
            mask = _to_numpy_mask(mask)
        if code in self._found:
            message, earlier = self._found[code]
            mask = earlier | mask
        self._found[code] = (message, mask)

    def flush(self) -> None:
        for code, (message, mask) in self._found.items():
            self.problems.add_rows(
                code,
                message,
                mask,
                self.raw,
                self.offset,
                column=self.column.name,
                part=self.part,
                model_id=self.model_id,
            )
        self._found.clear()

    def not_castable(self, mask: np.ndarray | pa.Array) -> None:
        self.report("VALUE_NOT_CASTABLE", _not_castable_message(self.column), mask)


def _not_castable_message(column: SchemaColumn) -> str:
    data_type = column.data_type
    if data_type == "FLOAT":
        what = "numbers (or text of numbers)"
    elif data_type == "INTEGER":
        what = "whole numbers (3 or 3.0, not 3.5), or text of them"
    elif data_type in ("STRING", "CATEGORICAL"):
        what = "text or numbers"
    elif data_type in _ARRAY_DEPTH:
        depth = _ARRAY_DEPTH[data_type]
        example = "[1, 2.5]" if depth == 1 else "[[1, 2], [3, 4]]" if depth == 2 else "[[[1]]]"
        what = (
            f"arrays of numbers nested {depth} deep, without null elements (in CSV, JSON text "
            f"such as {example})"
        )
    else:
        what = f"{data_type} values"
    return (
        f"column '{column.name}' is {data_type}: its values must be {what}; correct these "
        "values or the column's data type"
    )


def _to_numpy_mask(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(mask.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _plain(values: pa.Array) -> pa.Array:
    """Values without dictionary or extension encoding, text as ``string``, bytes as ``binary``."""
    if isinstance(values.type, pa.ExtensionType):
        values = values.storage
    kind = values.type
    if pa.types.is_dictionary(kind):
        # Decoded by hand: Arrow's take has no kernel for every value type (e.g. string_view,
        # which polars writes), so the dictionary is made plain first.
        values = _plain(values.dictionary).take(values.indices)
        kind = values.type
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        values = values.cast(pa.string())
    elif (
        pa.types.is_large_binary(kind)
        or pa.types.is_binary_view(kind)
        or pa.types.is_fixed_size_binary(kind)
    ):
        values = values.cast(pa.binary())
    return values


def _is_number_type(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)


def _valid_only(values: pa.Array, keep: pa.Array) -> pa.Array:
    """``values`` where ``keep`` is true, null elsewhere."""
    return pc.if_else(keep.fill_null(False), values, pa.nulls(len(values), values.type))


def _cast_each(
    values: pa.Array, convert: Callable[[pa.Array], pa.Array], target: pa.DataType
) -> tuple[pa.Array, np.ndarray | None]:
    """``convert`` applied to all values at once, or, when some value makes it fail, to halves
    of them until the failing values are found: the converted values (null where it failed) and
    a mask of the failures (None when there was none). Used after the values were screened, so
    failures are rare and this stays a handful of calls."""
    try:
        return convert(values), None
    except (pa.ArrowNotImplementedError, pa.ArrowTypeError):
        # The type cannot be converted at all: no value will.
        return pa.nulls(len(values), target), _to_numpy_mask(values.is_valid())
    except pa.ArrowInvalid:
        if len(values) <= 1:
            return pa.nulls(len(values), target), np.ones(len(values), dtype=bool)
    middle = len(values) // 2
    left, left_failed = _cast_each(values.slice(0, middle), convert, target)
    right, right_failed = _cast_each(values.slice(middle), convert, target)
    if left_failed is None and right_failed is None:
        # Each half converts but not both together (e.g. a capacity limit): keep the halves.
        return pa.concat_arrays([left, right]), None
    failed = np.concatenate(
        [
            left_failed if left_failed is not None else np.zeros(len(left), dtype=bool),
            right_failed if right_failed is not None else np.zeros(len(right), dtype=bool),
        ]
    )
    return pa.concat_arrays([left, right]), failed


def _convert_checked(
    values: pa.Array, convert: Callable[[pa.Array], pa.Array], target: pa.DataType, where: _Where
) -> pa.Array:
    converted, failed = _cast_each(values, convert, target)
    if failed is not None:
        where.not_castable(failed)
    return converted


def _nothing_castable(values: pa.Array, target: pa.DataType, where: _Where) -> pa.Array:
    where.not_castable(values.is_valid())
    return pa.nulls(len(values), target)


def _trimmed(values: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(values)


def _text_to_float(text: pa.Array, where: _Where) -> pa.Array:
    """Text of numbers to float64; other text is not castable."""
    text = _trimmed(text)
    try:
        return pc.cast(text, pa.float64())
    except _CAST_ERRORS:
        pass
    numeric = pc.match_substring_regex(text, _FLOAT_TEXT)
    where.not_castable(pc.invert(numeric))
    return _convert_checked(
        _valid_only(text, numeric), lambda v: pc.cast(v, pa.float64()), pa.float64(), where
    )


def _to_float(values: pa.Array, where: _Where) -> pa.Array:
    kind = values.type
    if kind == pa.float64():
        return values
    if pa.types.is_null(kind):
        return pa.nulls(len(values), pa.float64())
    if _is_number_type(kind):
        return pc.cast(values, pa.float64(), safe=False)
    if pa.types.is_string(kind):
        return _text_to_float(values, where)
    return _nothing_castable(values, pa.float64(), where)


def _integral_floats(numbers: pa.Array, where: _Where) -> pa.Array:
    """float64 values that are whole numbers in int64's range to int64; others not castable."""
    integral = pc.and_(
        pc.equal(pc.floor(numbers), numbers),
        pc.and_(
            pc.greater_equal(numbers, -_INT64_LIMIT),
            pc.less(numbers, _INT64_LIMIT),
        ),
    )
    where.not_castable(pc.and_(numbers.is_valid(), pc.invert(integral.fill_null(False))))
    return pc.cast(_valid_only(numbers, integral), pa.int64(), safe=False)


def _to_integer(values: pa.Array, where: _Where) -> pa.Array:
    kind = values.type
    if kind == pa.int64():
        return values
    if pa.types.is_null(kind):
        return pa.nulls(len(values), pa.int64())
    if pa.types.is_integer(kind):
        if kind == pa.uint64():
            too_big = pc.greater(values, pa.scalar(2**63 - 1, pa.uint64()))
            where.not_castable(too_big)
            values = _valid_only(values, pc.invert(too_big))
        return pc.cast(values, pa.int64(), safe=False)
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return _integral_floats(pc.cast(values, pa.float64(), safe=False), where)
    if not pa.types.is_string(kind):
        return _nothing_castable(values, pa.int64(), where)
    text = _trimmed(values)
    try:
        return pc.cast(text, pa.int64())
    except _CAST_ERRORS:
        pass
    # Whole-number text is cast as such (exact), other numeric text (3.0) through float64.
    whole = pc.match_substring_regex(text, _INT_TEXT)
    numeric = pc.match_substring_regex(text, _FLOAT_TEXT)
    as_float = pc.and_(numeric, pc.invert(whole))
    where.not_castable(pc.invert(numeric))
    exact = _convert_checked(
        _valid_only(text, whole),
        lambda v: pc.cast(v, pa.int64()),
        pa.int64(),
        where,
    )
    floats = _convert_checked(
        _valid_only(text, as_float), lambda v: pc.cast(v, pa.float64()), pa.float64(), where
    )
    from_floats = _integral_floats(floats, where)
    return pc.coalesce(exact, from_floats)


def _to_string(values: pa.Array, where: _Where) -> pa.Array:
    kind = values.type
    if pa.types.is_string(kind):
        return values
    if pa.types.is_null(kind):
        return pa.nulls(len(values), pa.string())
    if (
        _is_number_type(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_temporal(kind)
        or pa.types.is_binary(kind)
    ):
        # Numbers become their text (1.0 reads "1"), booleans "true"/"false", times ISO-like;
        # bytes must be UTF-8.
        return _convert_checked(values, lambda v: pc.cast(v, pa.string()), pa.string(), where)
    return _nothing_castable(values, pa.string(), where)


def _to_categorical(values: pa.Array, where: _Where) -> pa.Array:
    text = _to_string(values, where)
    column = where.column
    possible = pa.array(list(column.possible_values), pa.string())
    known = pc.is_in(text, value_set=possible)
    # Booleans compare case-insensitively (True, TRUE and true are one label), and are stored in
    # the spelling of the possible values.
    spelled = {value.lower(): value for value in column.possible_values}
    booleans = {word: spelled[word] for word in ("true", "false") if word in spelled}
    if booleans and not pc.all(known.fill_null(True)).as_py():
        lowered = pc.utf8_lower(text)
        for word, spelling in booleans.items():
            text = pc.if_else(
                pc.and_(pc.invert(known), pc.equal(lowered, word)).fill_null(False),
                pa.scalar(spelling, pa.string()),
                text,
            )
        known = pc.is_in(text, value_set=possible)
    unknown = pc.and_(text.is_valid(), pc.invert(known))
    mask = _to_numpy_mask(unknown)
    if mask.any():
        where.report("UNKNOWN_CATEGORY", f"column '{column.name}' has unknown values", mask)
        distinct = pc.unique(text.filter(unknown.fill_null(False)))
        where.problems.add_categories(column, where.part, where.model_id, distinct.to_pylist())
    return text


def _list_depth(kind: pa.DataType) -> tuple[int, pa.DataType]:
    """How deep list types nest in ``kind``, and the type of their leaves."""
    depth = 0
    while (
        pa.types.is_list(kind)
        or pa.types.is_large_list(kind)
        or pa.types.is_fixed_size_list(kind)
        or pa.types.is_list_view(kind)
        or pa.types.is_large_list_view(kind)
    ):
        depth += 1
        kind = kind.value_type
    return depth, kind


def _json_array_pattern(depth: int) -> str:
    element = _JSON_NUMBER
    for _ in range(depth):
        element = rf"\[\s*({element}(\s*,\s*{element})*)?\s*\]"
    return rf"^\s*{element}\s*$"


def _parse_json_arrays(text: pa.Array, target: pa.DataType) -> pa.Array:
    """JSON arrays (text screened by ``_json_array_pattern``; null rows stay null) to ``target``,
    through Arrow's JSON reader: one line ``{"v": <text>}`` per row."""
    if len(text) == 0:
        return pa.array([], target)
    # The last argument of binary_join_element_wise is the separator: none here.
    lines = pc.binary_join_element_wise('{"v":', text.fill_null("null"), "}\n", "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start, end = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    data = lines.buffers()[2]
    document = data.slice(start, end - start) if data is not None else pa.py_buffer(b"")
    table = pa_json.read_json(
        pa.BufferReader(document),
        read_options=pa_json.ReadOptions(block_size=max(1 << 20, end - start + 1)),
        parse_options=pa_json.ParseOptions(
            explicit_schema=pa.schema([("v", target)]),
            unexpected_field_behavior="error",
        ),
    )
    if table.num_rows != len(text):
        raise pa.ArrowInvalid("a JSON array did not read as one row")
    return table.column("v").combine_chunks()


def _to_array(values: pa.Array, where: _Where) -> pa.Array:
    column = where.column
    depth = _ARRAY_DEPTH[column.data_type]
    target = arrow_type(column)
    kind = values.type
    if pa.types.is_null(kind):
        return pa.nulls(len(values), target)
    if pa.types.is_string(kind):
        screened = pc.match_substring_regex(values, _json_array_pattern(depth))
        where.not_castable(pc.invert(screened))
        arrays = _convert_checked(
            _valid_only(values, screened),
            lambda v: _parse_json_arrays(v, target),
            target,
            where,
        )
    else:
        found_depth, leaf = _list_depth(kind)
        if found_depth != depth or not _is_number_type(leaf):
            return _nothing_castable(values, target, where)
        arrays = _convert_checked(values, lambda v: pc.cast(v, target, safe=False), target, where)
    _check_array_elements(arrays, depth, where)
    return arrays


def _check_array_elements(arrays: pa.Array, depth: int, where: _Where) -> None:
    """Null elements at any depth are not castable; sizes must be the column's dims. The row of
    an offending element is only traced back when there is one."""
    column = where.column
    dims = column.dims if len(column.dims) == depth else ()
    levels = [arrays]  # levels[i + 1]: the elements of the lists of levels[i]
    for _ in range(depth):
        levels.append(pc.list_flatten(levels[-1]))

    def rows_of(level: int, mask: np.ndarray) -> np.ndarray:
        positions = np.flatnonzero(mask)
        for upper in range(level - 1, -1, -1):
            parents = pc.list_parent_indices(levels[upper]).to_numpy(zero_copy_only=False)
            positions = parents[positions]
        return positions

    null_element = np.zeros(len(arrays), dtype=bool)
    wrong_size = np.zeros(len(arrays), dtype=bool)
    for level in range(1, depth + 1):
        if levels[level].null_count:
            null_element[rows_of(level, _to_numpy_mask(levels[level].is_null()))] = True
    if dims:
        for level in range(depth):
            lengths = pc.list_value_length(levels[level])
            mismatch = _to_numpy_mask(pc.not_equal(lengths, dims[level]))
            if mismatch.any():
                wrong_size[rows_of(level, mismatch)] = True
    if null_element.any():
        where.not_castable(null_element)
    if wrong_size.any():
        shape = " x ".join(str(size) for size in dims)
        where.report(
            "DIMENSION_MISMATCH",
            f"column '{column.name}' is {column.data_type} with dims {list(dims)}: its arrays "
            f"must be {shape}; correct these arrays or the column's dims",
            wrong_size,
        )


def _seconds_to_time(numbers: pa.Array, where: _Where) -> pa.Array:
    """Seconds since the Unix epoch (int or float) to UTC timestamps."""
    seconds = pc.cast(numbers, pa.float64(), safe=False)
    in_range = pc.and_(
        pc.greater_equal(seconds, _MIN_EPOCH_SECONDS), pc.less_equal(seconds, _MAX_EPOCH_SECONDS)
    )
    where.report(
        "TIMESTAMP_NOT_PARSEABLE",
        _time_message(where.column),
        pc.and_(seconds.is_valid(), pc.invert(in_range.fill_null(False))),
    )
    kept = _valid_only(numbers, in_range)
    if pa.types.is_integer(kept.type):
        # Whole seconds are exact in integers: no detour through float64.
        micros = pc.multiply(pc.cast(kept, pa.int64()), 1_000_000)
    else:
        micros = pc.cast(pc.round(pc.multiply(pc.cast(kept, pa.float64()), 1e6)), pa.int64())
    return micros.cast(TIMESTAMP_TYPE)


def _time_message(column: SchemaColumn) -> str:
    return (
        f"column '{column.name}' ({column.role}) has values that are not times: use seconds "
        "since the Unix epoch or ISO 8601 text such as 2024-05-01T12:00:00Z (times without an "
        "offset are read as UTC)"
    )


def _calendar_dates(text: pa.Array) -> pa.Array:
    """For ISO text already screened: whether its day exists in its month (no 30 February)."""
    year = pc.cast(pc.utf8_slice_codeunits(text, 0, 4), pa.int64()).to_numpy(zero_copy_only=False)
    month = pc.cast(pc.utf8_slice_codeunits(text, 5, 7), pa.int64()).to_numpy(zero_copy_only=False)
    day = pc.cast(pc.utf8_slice_codeunits(text, 8, 10), pa.int64()).to_numpy(zero_copy_only=False)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days_in = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    last_day = days_in[np.clip(month, 0, 12).astype(np.int64)] + ((month == 2) & leap)
    return pa.array(day <= last_day)


def _text_to_time(text: pa.Array, where: _Where) -> pa.Array:
    text = _trimmed(text)
    numeric = pc.match_substring_regex(text, _FLOAT_TEXT)
    iso = pc.match_substring_regex(text, _ISO_TEXT)
    where.report(
        "TIMESTAMP_NOT_PARSEABLE",
        _time_message(where.column),
        pc.and_(text.is_valid(), pc.invert(pc.or_(numeric, iso))),
    )
    results = []
    if pc.any(numeric).as_py():
        numbers = _convert_checked(
            _valid_only(text, numeric), lambda v: pc.cast(v, pa.float64()), pa.float64(), where
        )
        results.append(_seconds_to_time(numbers, where))
    if pc.any(iso).as_py():
        iso_text = _valid_only(text, iso)
        # Calendar check on the valid rows only (the others are null, read as 0000-00-00).
        real_date = pc.or_(pc.invert(iso), _calendar_dates(iso_text.fill_null("0000-01-01")))
        where.report("TIMESTAMP_NOT_PARSEABLE", _time_message(where.column), pc.invert(real_date))
        iso_text = pc.replace_substring_regex(
            _valid_only(iso_text, real_date), _EXTRA_FRACTION, r"\1"
        )
        with_offset = pc.match_substring_regex(iso_text, _ISO_WITH_OFFSET).fill_null(False)
        aware = _time_checked(
            _valid_only(iso_text, with_offset), lambda v: pc.cast(v, TIMESTAMP_TYPE), where
        )
        naive = _time_checked(
            _valid_only(iso_text, pc.invert(with_offset)),
            lambda v: pc.cast(pc.cast(v, pa.timestamp("us")), TIMESTAMP_TYPE),
            where,
        )
        results.append(pc.coalesce(aware, naive))
    if not results:
        return pa.nulls(len(text), TIMESTAMP_TYPE)
    return pc.coalesce(*results) if len(results) > 1 else results[0]


def _time_checked(values: pa.Array, convert: Callable[[pa.Array], pa.Array], where: _Where):
    converted, failed = _cast_each(values, convert, TIMESTAMP_TYPE)
    if failed is not None:
        where.report("TIMESTAMP_NOT_PARSEABLE", _time_message(where.column), failed)
    return converted


def _to_time(values: pa.Array, where: _Where) -> pa.Array:
    kind = values.type
    if kind == TIMESTAMP_TYPE:
        return values
    if pa.types.is_null(kind):
        return pa.nulls(len(values), TIMESTAMP_TYPE)
    if pa.types.is_timestamp(kind):
        # Times without a zone are UTC; finer units are truncated to microseconds.
        return pc.cast(values, TIMESTAMP_TYPE, safe=False)
    if pa.types.is_date(kind):
        return pc.cast(pc.cast(values, pa.timestamp("us")), TIMESTAMP_TYPE)
    if _is_number_type(kind):
        return _seconds_to_time(values, where)
    if pa.types.is_string(kind):
        return _text_to_time(values, where)
    where.report("TIMESTAMP_NOT_PARSEABLE", _time_message(where.column), values.is_valid())
    return pa.nulls(len(values), TIMESTAMP_TYPE)


def _convert(column: SchemaColumn, raw: pa.Array, where: _Where) -> pa.Array:
    """A slice of a column's uploaded values in its stored type, its problems reported."""
    values = _plain(raw)
    if column.role == "TIME_ID":
        converted = _to_time(values, where)
    elif column.data_type == "FLOAT":
        converted = _to_float(values, where)
    elif column.data_type == "INTEGER":
        converted = _to_integer(values, where)
    elif column.data_type == "STRING":
        converted = _to_string(values, where)
    elif column.data_type == "CATEGORICAL":
        converted = _to_categorical(values, where)
    elif column.data_type in _ARRAY_DEPTH:
        converted = _to_array(values, where)
    else:
        raise ValueError(f"column '{column.name}' has no known data type: {column.data_type!r}")
    if raw.null_count and (not column.nullable or column.role in ("ID", "TIME_ID")):
        where.report("NULL_NOT_ALLOWED", _null_message(column), raw.is_null())
    where.flush()
    return converted


def _null_message(column: SchemaColumn) -> str:
    if column.role == "KPI_VALUE":
        return f"column '{column.name}' is null in some rows: every KPI value is a number"
    if column.role in ("ID", "TIME_ID"):
        return (
            f"column '{column.name}' ({column.role}) is null in some rows: every sample needs one"
        )
    return (
        f"column '{column.name}' is not nullable but is null in some rows: fill them in or make "
        "the column nullable"
    )


# ---------------------------------------------------------------------------------------------
# Output


class _ParquetOutput:
    """The batch's Parquet file, opened at the first rows, written a bounded row group at a
    time, and removed again if the batch is refused."""

    def __init__(self, filesystem: pa_fs.FileSystem, path: str, kind: str):
        self._filesystem = filesystem
        self._path = path
        self._kind = kind
        self._schema: pa.Schema | None = None
        self._stream: pa.NativeFile | None = None
        self._writer: pq.ParquetWriter | None = None
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._pending_bytes = 0

    def set_columns(self, columns: list[tuple[str, pa.DataType]]) -> None:
        self._schema = pa.schema(
            [pa.field(name, kind) for name, kind in columns],
            metadata={KIND_METADATA_KEY: self._kind.encode()},
        )

    def add(self, columns: list[pa.Array]) -> None:
        assert self._schema is not None
        batch = pa.RecordBatch.from_arrays(columns, schema=self._schema)
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self._pending_bytes += batch.nbytes
        if self._pending_rows >= ROW_GROUP_ROWS or self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush()

    def drop_pending(self) -> None:
        """Forget the rows not yet written (the batch will be refused)."""
        self._pending = []
        self._pending_rows = self._pending_bytes = 0

    def _flush(self) -> None:
        if not self._pending:
            return
        assert self._schema is not None
        if self._writer is None:
            self._stream = self._filesystem.open_output_stream(self._path)
            # Dictionary encoding pays for text; for numbers it is mostly hashed in vain.
            text_columns = [f.name for f in self._schema if pa.types.is_string(f.type)]
            self._writer = pq.ParquetWriter(
                self._stream,
                self._schema,
                compression="zstd",
                use_dictionary=text_columns or False,
            )
        table = pa.Table.from_batches(self._pending, schema=self._schema)
        self.drop_pending()
        self._writer.write_table(table, row_group_size=ROW_GROUP_ROWS)

    def close(self) -> None:
        """Write what is left and the footer: the file is complete."""
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def discard(self, strict: bool) -> None:
        """Remove whatever is at the path (what was written, or a file of an earlier attempt):
        nothing of a refused batch stays. ``strict``: a failure to remove it propagates."""
        self.drop_pending()
        for closing in (self._writer, self._stream):
            if closing is not None:
                try:
                    closing.close()
                except (OSError, pa.ArrowException):
                    pass
        self._writer = self._stream = None
        try:
            self._filesystem.delete_file(self._path)
        except FileNotFoundError:
            pass
        except OSError:
            if strict:
                raise


# ---------------------------------------------------------------------------------------------
# The ingestion itself


@dataclass
class _SideTable:
    """A TARGET or PREDICTIONS part of a HISTORICAL/PRODUCTION batch, validated, ready to join."""

    plan: _PartPlan
    columns: list[SchemaColumn]  # stored: the group's columns present or nullable, without ID
    ids: pa.Array | None  # converted ids; None when they cannot be joined
    values: dict[str, pa.Array]
    index: _IdIndex | None = None
    matched: np.ndarray | None = None  # rows that some sample of the inputs joined


def _slices(batch: pa.RecordBatch) -> Iterator[pa.RecordBatch]:
    """A record batch in slices of bounded rows and bytes (zero-copy)."""
    rows = batch.num_rows
    if rows == 0:
        return
    per_row = max(1, batch.nbytes // rows)
    step = max(1, min(SLICE_ROWS, SLICE_BYTES // per_row))
    for start in range(0, rows, step):
        yield batch.slice(start, step)


class _Ingestion:
    """One run of ingest_batch: the side parts read whole, then the main part streamed."""

    def __init__(
        self,
        plan: _Plan,
        filesystem: pa_fs.FileSystem,
        problems: _Problems,
        output: _ParquetOutput,
        report_progress: Callable[[float, str], None],
        check_cancelled: Callable[[], None],
    ):
        self.plan = plan
        self.filesystem = filesystem
        self.problems = problems
        self.output = output
        self.report_progress = report_progress
        self.check_cancelled = check_cancelled
        all_parts = [plan.main.part] + [side.part for side in plan.sides]
        self._sizes = {id(part): self._size(part) for part in all_parts}
        self._total = sum(self._sizes.values()) or 1
        self._done = 0

    def _size(self, part: StagedPart) -> int:
        try:
            return max(0, self.filesystem.get_file_info(part.path).size or 0)
        except (OSError, pa.ArrowException):
            return 0

    def _progress(self, part: StagedPart, reader: _PartReader, message: str) -> None:
        size = self._sizes[id(part)]
        read = self._done + reader.fraction(size) * size
        self.report_progress(min(1.0, read / self._total), message)

    # -- checks of a part's columns

    def _present_columns(
        self, part_plan: _PartPlan, names: list[str]
    ) -> tuple[dict[str, int], list[SchemaColumn]]:
        """Check the part's header against its group: where each group column is in the part,
        and the group columns to store (present, or absent but nullable)."""
        where = {"part": part_plan.kind, "model_id": part_plan.model_id}
        counts: dict[str, int] = {}
        for name in names:
            counts[name] = counts.get(name, 0) + 1
        group_names = {column.name for column in part_plan.group}
        for name, count in counts.items():
            if count > 1:
                self.problems.add(
                    "COLUMN_DUPLICATE",
                    f"column '{name}' appears {count} times in the {part_plan.label}: keep one",
                    column=name,
                    **where,
                )
            if name not in group_names:
                self.problems.add(
                    "COLUMN_NOT_IN_SCHEMA",
                    self._not_in_schema_message(part_plan, name),
                    column=name,
                    **where,
                )
        positions = {name: names.index(name) for name in counts if name in group_names}
        stored = []
        for column in part_plan.group:
            if column.name in positions:
                stored.append(column)
            elif column.nullable and column.role not in ("ID", "TIME_ID"):
                stored.append(column)  # absent: stored as nulls
            else:
                self.problems.add(
                    "COLUMN_MISSING",
                    f"column '{column.name}' ({column.role}, not nullable) is missing from the "
                    f"{part_plan.label}: add it",
                    column=column.name,
                    **where,
                )
        return positions, stored

    def _not_in_schema_message(self, part_plan: _PartPlan, name: str) -> str:
        if self.plan.kind == "KPI":
            return (
                f"column '{name}' is not a KPI column: a KPI part has exactly the columns "
                f"'{KPI_TIME_COLUMN}' and '{KPI_VALUE_COLUMN}'; remove it"
            )
        home = self.plan.home_of.get(name)
        if home is not None:
            return f"column '{name}' belongs in {home}, not in the {part_plan.label}: move it there"
        names = [column.name for column in self.plan.columns]
        listed = ", ".join(f"'{n}'" for n in names[:10]) + (", …" if len(names) > 10 else "")
        return (
            f"column '{name}' is not in the task's data schema (its columns: {listed}): remove "
            "it or add it to the schema"
        )

    def _convert_slice(
        self,
        part_plan: _PartPlan,
        piece: pa.RecordBatch,
        positions: dict[str, int],
        stored: list[SchemaColumn],
        offset: int,
    ) -> dict[str, pa.Array]:
        converted = {}
        for column in stored:
            position = positions.get(column.name)
            if position is None:
                converted[column.name] = pa.nulls(piece.num_rows, arrow_type(column))
                continue
            raw = piece.column(position)
            where = _Where(self.problems, column, part_plan.kind, part_plan.model_id, offset, raw)
            converted[column.name] = _convert(column, raw, where)
        return converted

    def _unreadable(self, part_plan: _PartPlan, error: _PartNotReadable) -> None:
        self.problems.add(
            "PART_NOT_READABLE",
            f"the {part_plan.label} cannot be read as {part_plan.part.format}: {error}; check "
            "that its bytes are in the format its header names",
            part=part_plan.kind,
            model_id=part_plan.model_id,
        )

    def _repeated_ids(
        self, part_plan: _PartPlan, ids: pa.Array | pa.ChunkedArray, keys: np.ndarray, id_name: str
    ) -> bool:
        """Report the ids that repeat in a part; whether there were any."""
        rows = _repeated_rows(ids, keys)
        if len(rows) == 0:
            return False
        mask = np.zeros(len(ids), dtype=bool)
        mask[rows] = True
        self.problems.add_rows(
            "DUPLICATE_SAMPLE_ID",
            f"sample ids in column '{id_name}' repeat within the {part_plan.label}: each sample "
            "appears once in a batch",
            mask,
            ids,
            0,
            column=id_name,
            part=part_plan.kind,
            model_id=part_plan.model_id,
        )
        return True

    # -- the side parts

    def _read_side(self, side: _PartPlan) -> _SideTable | None:
        try:
            reader = _PartReader(side.part, self.filesystem)
        except _PartNotReadable as error:
            self._unreadable(side, error)
            return None
        try:
            positions, stored = self._present_columns(side, reader.names)
            id_column = side.group[0]
            pieces: list[dict[str, pa.Array]] = []
            offset = 0
            try:
                for batch in reader:
                    self.check_cancelled()
                    for piece in _slices(batch):
                        pieces.append(self._convert_slice(side, piece, positions, stored, offset))
                        offset += piece.num_rows
                    self._progress(side.part, reader, f"read {offset} rows of the {side.label}")
            except _PartNotReadable as error:
                self._unreadable(side, error)
                return None
        finally:
            reader.close()
            self._done += self._sizes[id(side.part)]

        def joined(name: str, kind: pa.DataType) -> pa.Array:
            chunks = [piece[name] for piece in pieces]
            return pa.concat_arrays(chunks) if chunks else pa.array([], kind)

        ids = None
        repeated = False
        if id_column.name in positions:
            ids = joined(id_column.name, arrow_type(id_column))
            keys = _id_keys(ids)
            repeated = self._repeated_ids(side, ids, keys, id_column.name)
        columns = [column for column in stored if column.role != "ID"]
        values = {column.name: joined(column.name, arrow_type(column)) for column in columns}
        index = _IdIndex(ids, keys) if ids is not None else None
        side_table = _SideTable(side, columns, ids, values, index)
        if ids is not None and not repeated:
            # Each id once: a row is in the batch exactly when some slice of inputs found it.
            side_table.matched = np.zeros(len(ids), dtype=bool)
        return side_table

    # -- the whole batch

    def run(self) -> IngestedBatch:
        plan = self.plan
        sides = [self._read_side(side) for side in plan.sides]
        try:
            reader = _PartReader(plan.main.part, self.filesystem)
        except _PartNotReadable as error:
            self._unreadable(plan.main, error)
            return IngestedBatch(0, None, None)
        try:
            return self._stream_main(reader, sides)
        finally:
            reader.close()

    def _output_columns(
        self, main_stored: list[SchemaColumn], sides: list[_SideTable | None]
    ) -> list[tuple[SchemaColumn, str]]:
        """The stored columns, each with where its values come from (a side's part, or "")."""
        plan = self.plan
        if plan.kind != "HISTORICAL" and plan.kind != "PRODUCTION":
            return [(column, "") for column in main_stored]
        source: dict[str, str] = {column.name: "" for column in main_stored}
        for side in sides:
            if side is not None:
                for column in side.columns:
                    source[column.name] = str(id(side))
        first = [plan.id_column, plan.time_column]
        ordered = [c for c in first if c is not None and c.name in source]
        ordered += [c for c in plan.columns if c not in first and c.name in source]
        return [(column, source[column.name]) for column in ordered]

    def _stream_main(self, reader: _PartReader, sides: list[_SideTable | None]) -> IngestedBatch:
        plan, main = self.plan, self.plan.main
        positions, stored = self._present_columns(main, reader.names)
        outputs = self._output_columns(stored, sides)
        self.output.set_columns([(column.name, arrow_type(column)) for column, _ in outputs])
        side_by_key = {str(id(side)): side for side in sides if side is not None}
        id_column = plan.id_column  # None for KPI batches
        time_column = plan.time_column
        # The batch's ids and their keys, the only thing kept of every row, to find repeats.
        ids_seen: list[pa.Array] = []
        keys_seen: list[np.ndarray] = []
        earliest = latest = None
        rows = 0
        try:
            for batch in reader:
                self.check_cancelled()
                for piece in _slices(batch):
                    converted = self._convert_slice(main, piece, positions, stored, rows)
                    ids = converted.get(id_column.name) if id_column is not None else None
                    keys = None
                    if ids is not None:
                        keys = _id_keys(ids)
                        # A copy: the slice's own ids would keep its whole record batch alive
                        # (an IPC batch's columns share one buffer).
                        ids_seen.append(pa.concat_arrays([ids]))
                        keys_seen.append(keys)
                    if time_column is not None and time_column.name in converted:
                        low, high = _time_range(converted[time_column.name])
                        if low is not None:
                            earliest = low if earliest is None else min(earliest, low)
                            latest = high if latest is None else max(latest, high)
                    joined = self._join_sides(ids, keys, sides, rows)
                    if self.problems.any():
                        self.output.drop_pending()  # refused: keep validating, stop writing
                    else:
                        self.output.add(
                            [
                                converted[column.name] if key == "" else joined[key][column.name]
                                for column, key in outputs
                            ]
                        )
                    rows += piece.num_rows
                self._progress(main.part, reader, f"validated {rows} rows of the {main.label}")
        except _PartNotReadable as error:
            self._unreadable(main, error)
            return IngestedBatch(rows, None, None)

        if rows == 0:
            self.problems.add(
                "EMPTY_BATCH",
                f"the {main.label} has no rows: a batch holds at least one",
                part=main.kind,
            )
        if id_column is not None and ids_seen:
            all_ids = pa.chunked_array(ids_seen)
            self._repeated_ids(main, all_ids, np.concatenate(keys_seen), id_column.name)
            for side in side_by_key.values():
                self._samples_not_in_batch(side, all_ids)
        elif id_column is not None and id_column.name in positions:
            for side in side_by_key.values():
                self._samples_not_in_batch(side, None)
        self.report_progress(1.0, f"validated {rows} rows")
        if plan.kind == "TARGET":
            return IngestedBatch(rows, None, None)
        return IngestedBatch(rows, _as_datetime(earliest), _as_datetime(latest))

    def _join_sides(
        self,
        ids: pa.Array | None,
        keys: np.ndarray | None,
        sides: list[_SideTable | None],
        offset: int,
    ) -> dict[str, dict[str, pa.Array]]:
        """Each side's columns for the rows of a slice of inputs, in the inputs' order (null where
        a sample has no row in the side's part)."""
        joined: dict[str, dict[str, pa.Array]] = {}
        for side in sides:
            if side is None:
                continue
            if ids is None or side.index is None:
                continue  # not joinable; the missing ID column is already a problem
            where = side.index.find(ids, keys)
            if side.matched is not None and where.null_count < len(where):
                side.matched[where.drop_null().to_numpy()] = True
            joined[str(id(side))] = {
                name: values.take(where) for name, values in side.values.items()
            }
            absent = pc.and_(where.is_null(), ids.is_valid())
            absent_mask = None
            for column in side.columns:
                if column.nullable:
                    continue
                if absent_mask is None:
                    absent_mask = _to_numpy_mask(absent)
                    if not absent_mask.any():
                        break
                self.problems.add_rows(
                    "NULL_NOT_ALLOWED",
                    f"some samples have no row in the {side.plan.label}, so their "
                    f"'{column.name}' would be null, and it is not nullable: add their rows to "
                    "that part (or send their targets later in a TARGET batch, without a "
                    "TARGET part now)",
                    absent_mask,
                    ids,
                    offset,
                    column=column.name,
                    part=self.plan.main.kind,
                    model_id=side.plan.model_id,
                )
        return joined

    def _samples_not_in_batch(self, side: _SideTable, all_ids: pa.ChunkedArray | None) -> None:
        if side.ids is None or len(side.ids) == 0:
            return
        if side.matched is not None:
            known = side.matched
        elif all_ids is None:
            known = np.zeros(len(side.ids), dtype=bool)
        else:
            # Only when the part repeats ids (refused anyway): an exact lookup of the batch's.
            value_set = (
                pa.concat_arrays([chunk.cast(pa.large_string()) for chunk in all_ids.chunks])
                if pa.types.is_string(all_ids.type)
                else all_ids.combine_chunks()
            )
            known = _to_numpy_mask(
                pc.is_in(side.ids.cast(value_set.type), value_set=value_set, skip_nulls=True)
            )
        mask = _to_numpy_mask(side.ids.is_valid()) & ~known
        id_name = side.plan.group[0].name
        self.problems.add_rows(
            "SAMPLE_NOT_IN_BATCH",
            f"the {side.plan.label} has rows whose '{id_name}' is not among the batch's inputs: "
            "remove them or add their samples to the INPUTS part (targets of samples stored "
            "earlier go in a TARGET batch)",
            mask,
            side.ids,
            0,
            column=id_name,
            part=side.plan.kind,
            model_id=side.plan.model_id,
        )


_KEY_MIX = np.uint64(0x9E3779B97F4A7C15)
_KEY_BLOCK = 256 * 1024


def _id_keys(ids: pa.Array) -> np.ndarray:
    """A uint64 key per id (anything for nulls): the id itself for integers, a hash of its bytes
    for text, computed 8 bytes at a time over many ids at once (in blocks, to bound the
    temporaries). Equal ids have equal keys; different ids almost never do."""
    if pa.types.is_integer(ids.type):
        return ids.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64).view(np.uint64)
    if len(ids) > _KEY_BLOCK:
        return np.concatenate(
            [_id_keys(ids.slice(start, _KEY_BLOCK)) for start in range(0, len(ids), _KEY_BLOCK)]
        )
    offset_type = np.int64 if pa.types.is_large_string(ids.type) else np.int32
    all_offsets = np.frombuffer(ids.buffers()[1], dtype=offset_type)
    offsets = all_offsets[ids.offset : ids.offset + len(ids) + 1].astype(np.int64)
    starts, lengths = offsets[:-1], np.diff(offsets)
    keys = lengths.astype(np.uint64) * _KEY_MIX
    data_buffer = ids.buffers()[2]
    if data_buffer is None or len(ids) == 0 or lengths.max() == 0:
        return keys
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    steps = np.arange(8)
    for word in range(0, int(lengths.max()), 8):
        rows = np.flatnonzero(lengths > word)
        positions = starts[rows, None] + word + steps
        inside = (word + steps) < lengths[rows, None]
        chunk = np.where(inside, data[np.minimum(positions, len(data) - 1)], 0).astype(np.uint8)
        mixed = (keys[rows] ^ np.ascontiguousarray(chunk).view(np.uint64).ravel()) * _KEY_MIX
        keys[rows] = mixed ^ (mixed >> np.uint64(29))
    return keys


class _IdIndex:
    """The ids of a TARGET or PREDICTIONS part, sorted by key once, so that each slice of inputs
    finds its rows by binary search instead of hashing the whole part again (pc.index_in builds
    its hash table at every call). Same answer as pc.index_in: the first row of each id."""

    def __init__(self, ids: pa.Array, keys: np.ndarray):
        self._ids = ids
        self._is_text = not pa.types.is_integer(ids.type)
        rows = np.flatnonzero(_to_numpy_mask(ids.is_valid()))
        self._order = rows[np.argsort(keys[rows], kind="stable")]
        self._sorted = keys[self._order]

    def find(self, ids: pa.Array, keys: np.ndarray) -> pa.Array:
        """For each id (``keys``: their _id_keys), its first row in the part (int64), null when
        it has none."""
        if len(self._sorted) == 0 or len(ids) == 0:
            return pa.nulls(len(ids), pa.int64())
        at = np.minimum(np.searchsorted(self._sorted, keys), len(self._sorted) - 1)
        hit = (self._sorted[at] == keys) & _to_numpy_mask(ids.is_valid())
        found = self._order[at]
        if self._is_text and hit.any():
            same = pc.equal(ids.filter(pa.array(hit)), self._ids.take(pa.array(found[hit])))
            if not pc.all(same).as_py():
                # Two ids share a key: let Arrow's exact hash lookup answer this slice.
                return pc.index_in(ids, value_set=self._ids, skip_nulls=True)
        return pa.array(found, pa.int64(), mask=~hit)


def _repeated_rows(ids: pa.Array | pa.ChunkedArray, keys: np.ndarray) -> np.ndarray:
    """Positions of every occurrence of an id after its first (nulls ignored), ``keys`` being
    their _id_keys. Sorting 8-byte keys is much lighter than hashing the ids themselves (Arrow's
    dictionary_encode of millions of ids takes several times their size); only the ids whose
    keys repeat are then compared exactly."""
    valid = np.flatnonzero(_to_numpy_mask(ids.is_valid()))
    order = valid[np.argsort(keys[valid], kind="stable")]
    sorted_keys = keys[order]
    same = sorted_keys[1:] == sorted_keys[:-1]
    if not same.any():
        return np.zeros(0, dtype=np.int64)  # every id once: the common case
    in_group = np.zeros(len(order), dtype=bool)
    in_group[1:] |= same
    in_group[:-1] |= same
    candidates = np.sort(order[in_group])  # in the part's order: first occurrences first
    suspects = ids.take(pa.array(candidates))
    if isinstance(suspects, pa.ChunkedArray):
        suspects = suspects.combine_chunks()
    codes = pc.dictionary_encode(suspects).indices.to_numpy(zero_copy_only=False)
    _, first = np.unique(codes, return_index=True)
    repeated = np.ones(len(candidates), dtype=bool)
    repeated[first] = False
    return candidates[repeated]


def _time_range(times: pa.Array) -> tuple[int | None, int | None]:
    """Earliest and latest time of a slice, in microseconds since the epoch."""
    if times.null_count == len(times):
        return None, None
    extremes = pc.min_max(times.cast(pa.int64()))
    return extremes["min"].as_py(), extremes["max"].as_py()


def _as_datetime(micros: int | None) -> datetime | None:
    if micros is None:
        return None
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=micros)


__all__ = [
    "BatchRefused",
    "IngestedBatch",
    "Problem",
    "SchemaColumn",
    "StagedPart",
    "arrow_type",
    "ingest_batch",
]
