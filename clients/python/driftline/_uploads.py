"""Turning user data into UploadBatch streams, and Arrow IPC streams back into tables.

An upload is one stream: an UploadHeader, then for each part a PartHeader followed by the
part's bytes in chunks of at most ``CHUNK_BYTES``. A table (pandas, polars or pyarrow) is sent
as an Arrow IPC stream serialized record batch by record batch as the chunks are sent, so that
the client never holds a second full copy of the data; a CSV or Parquet file is sent as its
raw bytes, read chunk by chunk.

Everything here works without a server: ``upload_stream`` builds the requests from parts, and
``read_arrow_stream`` reads a table from any iterator of byte pieces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa


from driftline.data.v1 import batch_pb2, data_service_pb2 as pb

# A few MiB per message: large enough that per-message costs vanish, small enough that neither
# side buffers much, and well under the 64 MiB message limit of client and server.
CHUNK_BYTES = 4 * 1024 * 1024

# Uploads above this size show a progress bar by default (when tqdm is installed).
PROGRESS_THRESHOLD_BYTES = 64 * 1024 * 1024

_FILE_FORMATS = {
    ".csv": batch_pb2.DATA_FORMAT_CSV,
    ".parquet": batch_pb2.DATA_FORMAT_PARQUET,
    ".pq": batch_pb2.DATA_FORMAT_PARQUET,
}


@dataclass(frozen=True)
class Part:
    """One table of an upload, ready to be sent (any number of times, unless ``replayable``
    is False: a RecordBatchReader can be read only once).

    ``size_bytes`` is exact for files (it goes into the PartHeader, so that the server refuses
    a part that ends short) and None for tables, whose IPC size is known only once written;
    ``estimated_bytes`` sizes the progress bar.
    """

    kind: int
    format: int
    chunks: Callable[[], Iterator[bytes]]
    model_id: str = ""
    size_bytes: int | None = None
    estimated_bytes: int | None = None
    replayable: bool = True

    def header(self) -> pb.PartHeader:
        return pb.PartHeader(kind=self.kind, model_id=self.model_id, format=self.format,
                             size_bytes=self.size_bytes or 0)


def _is_frame(data: object, library: str) -> bool:
    """A DataFrame of ``library``, checked by name so that pandas and polars stay optional
    (imported by the user, never by us)."""
    return any(cls.__name__ == "DataFrame" and cls.__module__.split(".")[0] == library
               for cls in type(data).__mro__)


def to_part(kind: int, data: object, model_id: str = "", *, what: str = "data") -> Part:
    """The part for a pandas DataFrame, a polars DataFrame, a pyarrow Table, RecordBatch or
    RecordBatchReader, or the path of a .csv or .parquet file. ``what`` names the argument in
    error messages.

    Example:
        >>> part = to_part(batch_pb2.PART_KIND_INPUTS, "production.parquet")
        >>> part.format == batch_pb2.DATA_FORMAT_PARQUET
        True
    """
    if isinstance(data, (str, os.PathLike)):
        return _file_part(kind, Path(data), model_id, what)
    if _is_frame(data, "pandas"):
        # The index is the user's bookkeeping, not a column of the schema.
        data = pa.Table.from_pandas(data, preserve_index=False)
    elif _is_frame(data, "polars"):
        data = data.to_arrow()
    elif isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    if isinstance(data, pa.Table):
        table = data
        return Part(kind, batch_pb2.DATA_FORMAT_ARROW_IPC_STREAM,
                    lambda: arrow_stream_chunks(table.schema, table.to_batches()),
                    model_id=model_id, estimated_bytes=table.nbytes)
    if isinstance(data, pa.RecordBatchReader):
        reader = data
        return Part(kind, batch_pb2.DATA_FORMAT_ARROW_IPC_STREAM,
                    lambda: arrow_stream_chunks(reader.schema, reader),
                    model_id=model_id, replayable=False)
    raise TypeError(
        f"{what} must be a pandas DataFrame, a polars DataFrame, a pyarrow Table or "
        f"RecordBatchReader, or the path of a .csv or .parquet file, not {type(data).__name__}"
    )


def _file_part(kind: int, path: Path, model_id: str, what: str) -> Part:
    data_format = _FILE_FORMATS.get(path.suffix.lower())
    if data_format is None:
        raise ValueError(
            f"{what}: cannot tell the format of '{path}' from its name: use a .csv or .parquet "
            "file, or pass a DataFrame or a pyarrow Table"
        )
    if not path.is_file():
        raise FileNotFoundError(f"{what}: no file '{path}'")
    size = path.stat().st_size
    return Part(kind, data_format, lambda: file_chunks(path), model_id=model_id,
                size_bytes=size, estimated_bytes=size)


def file_chunks(path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """A file's bytes, ``chunk_bytes`` at a time.

    Example:
        >>> sum(len(chunk) for chunk in file_chunks(Path("inputs.csv")))
        1048576
    """
    with open(path, "rb") as file:
        while chunk := file.read(chunk_bytes):
            yield chunk


class _ChunkSink:
    """The file the IPC writer writes to: it keeps the bytes only until they are taken as
    chunks, so at most one record batch and one chunk are buffered."""

    closed = False

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self, chunk_bytes: int, everything: bool = False) -> Iterator[bytes]:
        while len(self.buffer) >= chunk_bytes or (everything and self.buffer):
            chunk = bytes(self.buffer[:chunk_bytes])
            del self.buffer[:chunk_bytes]  # cheap: bytearray drops its head without moving
            yield chunk


def arrow_stream_chunks(
    schema: pa.Schema, batches: Iterable[pa.RecordBatch], chunk_bytes: int = CHUNK_BYTES
) -> Iterator[bytes]:
    """An Arrow IPC stream of ``batches``, serialized incrementally and cut into chunks of at
    most ``chunk_bytes``. Large record batches are sliced (without copying) to about one chunk
    each, so the buffered bytes stay bounded whatever the table's size.

    Example:
        >>> table = pa.table({"x": [1.0, 2.0]})
        >>> stream = b"".join(arrow_stream_chunks(table.schema, table.to_batches()))
        >>> pa.ipc.open_stream(stream).read_all().equals(table)
        True
    """
    sink = _ChunkSink()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            for piece in _slices(batch, chunk_bytes):
                writer.write_batch(piece)
                yield from sink.take(chunk_bytes)
    yield from sink.take(chunk_bytes, everything=True)  # what is left, and the end-of-stream mark


def _slices(batch: pa.RecordBatch, target_bytes: int) -> Iterator[pa.RecordBatch]:
    if batch.num_rows <= 1:
        yield batch
        return
    row_bytes = max(1, batch.nbytes // batch.num_rows)
    rows = max(1, target_bytes // row_bytes)
    for start in range(0, batch.num_rows, rows):
        yield batch.slice(start, rows)


def upload_stream(
    header: pb.UploadHeader,
    parts: Iterable[Part],
    on_bytes: Callable[[int], object] | None = None,
) -> Iterator[pb.UploadBatchRequest]:
    """The requests of one UploadBatch call: the header, then each part's PartHeader and its
    chunks. ``on_bytes`` is told the size of each chunk as it is handed to gRPC (a progress
    bar). Every call builds a fresh stream, so a retried upload sends everything again.

    Example:
        >>> header = pb.UploadHeader(task_id=task_id, kind=batch_pb2.BATCH_KIND_HISTORICAL,
        ...                          request_id=uuid.uuid4().hex)
        >>> requests = upload_stream(header, [to_part(batch_pb2.PART_KIND_INPUTS, table)])
        >>> next(requests).header.task_id == task_id
        True
    """
    yield pb.UploadBatchRequest(header=header)
    for part in parts:
        yield pb.UploadBatchRequest(part=part.header())
        for chunk in part.chunks():
            if on_bytes is not None:
                on_bytes(len(chunk))
            yield pb.UploadBatchRequest(chunk=chunk)


