"""DataService as jobs of other services read it: stored samples and batches, streamed as Arrow
IPC pieces over gRPC with the job's internal credential, as one pyarrow Table."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

READ_TIMEOUT_SECONDS = 3600.0


def data_stub(context):
    """DataService's stub on the job's channel (``context`` is a jobs.worker.JobContext)."""
    from driftline.data.v1 import data_service_pb2_grpc

    return data_service_pb2_grpc.DataServiceStub(context.channel("data"))


def read_stream(context, open_stream, columns: list[str]):
    """A server stream of Arrow IPC pieces (ReadSamples, ReadBatch) as a Table; a cut stream is
    read again from its start."""
    import pyarrow as pa

    from driftline.arrow_stream import read_arrow_stream

    def read() -> pa.Table:
        pieces = (response.arrow_ipc for response in open_stream())
        first = next(pieces, None)
        if first is None:
            return pa.table({name: pa.array([], pa.null()) for name in columns})

        def every() -> Iterator[bytes]:
            yield first
            yield from pieces

        return read_arrow_stream(every())

    return context.retrying(read)


def _samples_request(task_id: str, columns: list[str], from_time: str | None,
                     to_time: str | None, kinds):
    from google.protobuf import timestamp_pb2

    from driftline.data.v1 import batch_pb2, data_service_pb2 as pb

    def stamp(text: str | None) -> timestamp_pb2.Timestamp | None:
        if not text:
            return None
        value = timestamp_pb2.Timestamp()
        value.FromJsonString(text.replace("+00:00", "Z"))
        return value

    return pb.ReadSamplesRequest(
        task_id=task_id, kinds=[batch_pb2.BatchKind.Value(f"BATCH_KIND_{k}") for k in kinds],
        from_time=stamp(from_time), to_time=stamp(to_time), columns=columns)


def read_samples(context, task_id: str, columns: list[str], from_time: str | None,
                 to_time: str | None = None, kinds=("HISTORICAL", "PRODUCTION")):
    """A task's stored samples of ``kinds`` in [from_time, to_time) (ISO times; an open end
    when None), with late targets joined, as a Table."""
    data = data_stub(context)
    request = _samples_request(task_id, columns, from_time, to_time, kinds)
    return read_stream(context, lambda: data.ReadSamples(
        request, metadata=context.metadata, timeout=READ_TIMEOUT_SECONDS), columns)


def stream_samples(context, task_id: str, columns: list[str], from_time: str | None,
                   to_time: str | None = None, kinds=("HISTORICAL", "PRODUCTION")):
    """The same samples as ``read_samples``, as record batches while they arrive, so that a
    pass over a million samples holds a few pieces at a time. A cut stream raises its
    grpc.RpcError: the caller starts its pass again (``context.retrying``)."""
    import pyarrow as pa

    from driftline.arrow_stream import ByteStreamReader

    data = data_stub(context)
    request = _samples_request(task_id, columns, from_time, to_time, kinds)
    pieces = (response.arrow_ipc for response in data.ReadSamples(
        request, metadata=context.metadata, timeout=READ_TIMEOUT_SECONDS))
    first = next(pieces, None)
    if first is None:  # no sample at all: the server sent no schema either
        return
    with pa.ipc.open_stream(ByteStreamReader(itertools.chain([first], pieces))) as reader:
        yield from reader
