"""Reading stored batches: what a commit needs to know of a written file, and the Arrow IPC
streams that ReadBatch and ReadSamples send.

A stream is sent in pieces that, concatenated, are one Arrow IPC stream: the schema message, one
message per record batch (about ``PIECE_BYTES`` each), and the end-of-stream marker. Files are
read record batch by record batch, so memory stays bounded by a few pieces whatever their size.
Everything here blocks: the domain runs it in worker threads.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from driftline_server.platform.errors import DataLoss, InvalidArgument

PIECE_BYTES = 4 * 1024 * 1024
_END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"
_TIME = pa.timestamp("us", tz="UTC")
_TARGET_ROLES = ("TARGET", "TARGET_ADDITIONAL_EMBEDDING")


def schema_columns(columns: list[dict]):
    """Catalog's column JSON (Column.to_json) as the ingestion's SchemaColumn."""
    from driftline_server.data.ingestion import SchemaColumn

    return [
        SchemaColumn(
            name=column["name"], role=column["role"], data_type=column["data_type"],
            nullable=bool(column.get("nullable")),
            possible_values=tuple(column.get("possible_values") or ()),
            dims=tuple(column.get("dims") or ()), model_id=column.get("model_id") or "",
            sub_role=column.get("sub_role") or "",
        )
        for column in columns
    ]


def _named(columns: list[dict], role: str) -> str | None:
    return next((column["name"] for column in columns if column["role"] == role), None)


def _open(storage, path: str) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(storage.filesystem.open_input_file(path))
    except FileNotFoundError:
        # Replicas that each keep batches in a folder of their own find each other's missing.
        raise DataLoss(
            reason="BATCH_FILE_MISSING",
            message=f"the stored file of a committed batch is missing ({path}): every server "
                    "of a deployment must share one DRIFTLINE_DATA_STORAGE (a shared folder or "
                    "an object store), and nothing else may delete its files",
            metadata={"path": path}) from None


def _rows_per_piece(parquet: pq.ParquetFile) -> int:
    metadata = parquet.metadata
    if metadata.num_rows == 0:
        return 65_536
    row_bytes = max(1, sum(metadata.row_group(i).total_byte_size
                           for i in range(metadata.num_row_groups)) // metadata.num_rows)
    # total_byte_size is the row groups' uncompressed size: about their size in memory.
    return max(1, PIECE_BYTES // row_bytes)


# -- commit ----------------------------------------------------------------------------------


def commit_facts(storage, path: str, batch):
    """The row count, the time range and the size of a written batch file."""
    from driftline_server.data.domain import CommitFacts

    parquet = _open(storage, path)
    names = set(parquet.schema_arrow.names)
    time_name = "timestamp" if batch.kind == "KPI" else _named(batch.schema_columns, "TIME_ID")
    first = last = None
    if batch.kind != "TARGET" and time_name in names and parquet.metadata.num_rows:
        bounds = pc.min_max(parquet.read(columns=[time_name])[time_name])
        first, last = bounds["min"].as_py(), bounds["max"].as_py()
    return CommitFacts(parquet.metadata.num_rows, first, last, storage.size(path))


def sample_id_chunks(storage, path: str, batch,
                     rows: int = 50_000) -> Iterator[tuple[list[str], list[bool]]]:
    """The sample ids of a written batch file (as text) and whether each sample carries a
    target, ``rows`` at a time, so that a batch of any size is committed in bounded memory."""
    parquet = _open(storage, path)
    names = set(parquet.schema_arrow.names)
    columns = batch.schema_columns
    id_name = _named(columns, "ID")
    targets = [column["name"] for column in columns
               if column["role"] == "TARGET" and not column.get("sub_role")
               and column["name"] in names]
    for record_batch in parquet.iter_batches(batch_size=rows, columns=[id_name, *targets[:1]]):
        sample_ids = pc.cast(record_batch.column(0), pa.string()).to_pylist()
        if targets:
            has_target = pc.is_valid(record_batch.column(1)).to_pylist()
        else:
            has_target = [False] * len(sample_ids)
        yield sample_ids, has_target


# -- streams ---------------------------------------------------------------------------------


def _stream(schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    yield schema.serialize().to_pybytes()
    for record_batch in batches:
        if record_batch.num_rows:
            yield record_batch.serialize().to_pybytes()
    yield _END_OF_STREAM


def check_columns(available: list[dict] | list[str], columns: list[str]) -> None:
    names = [c if isinstance(c, str) else c["name"] for c in available]
    unknown = [name for name in columns if name not in names]
    if unknown:
        raise InvalidArgument.for_field(
            "columns", f"no column called {', '.join(repr(n) for n in unknown)}; the columns "
            f"are {', '.join(names[:30])}", "COLUMN_NOT_FOUND")


def batch_pieces(storage, path: str, columns: list[str]) -> Iterator[bytes]:
    """A stored batch as stream pieces, with only ``columns`` (all when empty)."""
    parquet = _open(storage, path)
    check_columns(parquet.schema_arrow.names, columns)
    selected = columns or parquet.schema_arrow.names
    schema = pa.schema([parquet.schema_arrow.field(name) for name in selected])
    return _stream(schema, (pa.RecordBatch.from_arrays(b.columns, schema=schema)
                            for b in _record_batches(parquet, selected)))


def _record_batches(parquet: pq.ParquetFile, columns: list[str]) -> Iterator[pa.RecordBatch]:
    """The file's rows in pieces of about PIECE_BYTES, decoding a whole row group at a time
    (with threads): small reads of a few thousand rows cost several times more."""
    rows = _rows_per_piece(parquet)
    for index in range(parquet.metadata.num_row_groups):
        group = parquet.read_row_group(index, columns=columns, use_threads=True)
        yield from group.to_batches(max_chunksize=rows)


@dataclass(frozen=True)
class SampleSource:
    """A committed sample batch, the schema it was stored with, and its late targets' files."""

    path: str
    columns: list[dict]
    target_paths: list[str] = field(default_factory=list)


def sample_pieces(storage, sources: list[SampleSource], current: list[dict], columns: list[str],
                  from_time: datetime | None, to_time: datetime | None) -> Iterator[bytes]:
    """Samples of several batches, in the task's current schema (``columns`` of it, or all),
    filtered to [from_time, to_time), with late targets filling their samples' targets."""
    from driftline_server.data.ingestion import arrow_type

    by_name = {column["name"]: column for column in current}
    wanted = columns or [column["name"] for column in current]
    out = pa.schema([(name, arrow_type(schema_columns([by_name[name]])[0])) for name in wanted])
    return _stream(out, _sample_batches(storage, sources, current, out, from_time, to_time))


def _sample_batches(storage, sources, current, out: pa.Schema, from_time, to_time):
    current_id, current_time = _named(current, "ID"), _named(current, "TIME_ID")
    targets = {column["name"] for column in current if column["role"] in _TARGET_ROLES}
    for source in sources:
        parquet = _open(storage, source.path)
        stored_names = set(parquet.schema_arrow.names)
        # The ID and TIME_ID columns are found by role: a later schema may rename them.
        source_id, source_time = _named(source.columns, "ID"), _named(source.columns, "TIME_ID")
        renamed = {current_id: source_id, current_time: source_time}
        needed = {renamed.get(name, name) for name in out.names} | {source_id, source_time}
        read = [name for name in parquet.schema_arrow.names if name in needed]
        late = _late_targets(storage, source.target_paths, source_id, targets)
        for record_batch in _record_batches(parquet, read):
            table = pa.Table.from_batches([record_batch])
            if from_time is not None or to_time is not None:
                times = table[source_time]
                keep = None
                if from_time is not None:
                    keep = pc.greater_equal(times, pa.scalar(from_time, _TIME))
                if to_time is not None:
                    before = pc.less(times, pa.scalar(to_time, _TIME))
                    keep = before if keep is None else pc.and_(keep, before)
                table = table.filter(keep)
                if table.num_rows == 0:
                    continue
            arrays = []
            for out_field in out:
                name = renamed.get(out_field.name, out_field.name)
                if name in stored_names:
                    array = table[name]
                    if array.type != out_field.type:
                        array = _cast_or_null(array, out_field.type)
                else:
                    array = pa.nulls(table.num_rows, out_field.type)
                if late is not None and out_field.name in late.column_names:
                    index = pc.index_in(table[source_id], value_set=late[source_id])
                    filled = late[out_field.name].take(index)
                    array = pc.coalesce(array, _cast_or_null(filled, out_field.type))
                arrays.append(array)
            yield from pa.Table.from_arrays(arrays, schema=out).to_batches()


def _late_targets(storage, paths: list[str], id_name: str, targets: set[str]) -> pa.Table | None:
    """The targets that arrived after the samples, as one table keyed by the sample id."""
    if not paths:
        return None
    tables = []
    for path in paths:
        parquet = _open(storage, path)
        names = [name for name in parquet.schema_arrow.names if name in targets or name == id_name]
        tables.append(parquet.read(columns=names))
    return pa.concat_tables(tables, promote_options="default")


def _cast_or_null(array, to_type: pa.DataType):
    """A stored column in the current schema's type; nulls when an older schema's values do not
    fit the new type (the schema changed the column's type)."""
    try:
        return pc.cast(array, to_type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.nulls(len(array), to_type)


_DONE = object()


async def in_thread(pieces, ahead: int = 4) -> AsyncIterator:
    """Drive a blocking iterator in a worker thread that runs up to ``ahead`` items in front of
    the consumer, so that decoding the next pieces overlaps sending this one (memory stays
    bounded by ``ahead`` pieces). Errors of the iterator are raised to the consumer; when the
    consumer stops early (a client gone), the thread stops at its next item."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue(maxsize=ahead)
    stop = threading.Event()

    def put(item) -> None:
        asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()

    def produce() -> None:
        iterator = iter(pieces)
        try:
            for piece in iterator:
                if stop.is_set():
                    return
                put((piece, None))
            put((_DONE, None))
        except BaseException as error:  # handed to the consumer, which raises it
            if not stop.is_set():
                put((None, error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    producer = loop.run_in_executor(None, produce)
    try:
        while True:
            piece, error = await queue.get()
            if error is not None:
                raise error
            if piece is _DONE:
                return
            yield piece
    finally:
        stop.set()
        while not queue.empty():  # make room for a producer waiting to put
            queue.get_nowait()
        await asyncio.shield(producer)
