"""The client's data path without a Driftline server: how user data becomes an UploadBatch
stream (parts, formats, bounded chunks, bytes that re-assemble to the same table), retries that
resend the same request id, and Arrow IPC streams read back from pieces cut anywhere. The gRPC
parts run against a stand-in DataService in this process, so the real stubs and transport are
exercised."""

from __future__ import annotations

import io
import random
import threading
import tracemalloc
from concurrent import futures
from datetime import datetime, timezone

import grpc
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

import driftline
from driftline._transport import Transport
from driftline.arrow_stream import ByteStreamReader, read_arrow_stream
from driftline._uploads import (
    CHUNK_BYTES,
    arrow_stream_chunks,
    to_part,
    upload_stream,
)
from driftline.data.v1 import batch_pb2, data_service_pb2 as pb, data_service_pb2_grpc

INPUTS, TARGET, PREDICTIONS = (batch_pb2.PART_KIND_INPUTS, batch_pb2.PART_KIND_TARGET,
                               batch_pb2.PART_KIND_PREDICTIONS)
IPC, CSV, PARQUET = (batch_pb2.DATA_FORMAT_ARROW_IPC_STREAM, batch_pb2.DATA_FORMAT_CSV,
                     batch_pb2.DATA_FORMAT_PARQUET)


def _table(rows: int = 1000) -> pa.Table:
    return pa.table({
        "sample_id": [f"s{i:07d}" for i in range(rows)],
        "timestamp": [1.7e9 + i for i in range(rows)],
        "age": [float(i % 90) for i in range(rows)],
        "city": [["Rome", "Oslo", None][i % 3] for i in range(rows)],
    })


def _split(requests) -> tuple[pb.UploadHeader, list[tuple[pb.PartHeader, list[bytes]]]]:
    """The header and each part with its chunks, checking the stream's shape on the way."""
    requests = list(requests)
    assert requests[0].WhichOneof("content") == "header"
    header, parts = requests[0].header, []
    for request in requests[1:]:
        content = request.WhichOneof("content")
        assert content in ("part", "chunk")
        if content == "part":
            parts.append((request.part, []))
        else:
            assert parts, "a chunk before any part header"
            parts[-1][1].append(request.chunk)
    return header, parts


def _header() -> pb.UploadHeader:
    return pb.UploadHeader(task_id="t1", kind=batch_pb2.BATCH_KIND_HISTORICAL, request_id="r1")


# -- serialization ------------------------------------------------------------------------


def test_chunks_are_bounded_and_full_except_the_last():
    table = _table(50_000)
    chunk_bytes = 64 * 1024
    chunks = list(arrow_stream_chunks(table.schema, table.to_batches(), chunk_bytes))
    assert len(chunks) > 10
    assert all(len(chunk) == chunk_bytes for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= chunk_bytes
    assert pa.ipc.open_stream(b"".join(chunks)).read_all().equals(table)


def test_default_chunks_are_a_few_mib_and_a_big_record_batch_is_sliced():
    # One record batch of ~24 MiB: it is written as slices of about a chunk each.
    table = pa.table({f"c{i}": pa.array(range(1_000_000), pa.float64()) for i in range(3)})
    assert table.column(0).num_chunks == 1
    chunks = list(arrow_stream_chunks(table.schema, table.to_batches()))
    assert all(len(chunk) <= CHUNK_BYTES for chunk in chunks)
    assert len(chunks) >= 6
    read_back = pa.ipc.open_stream(b"".join(chunks))
    batches = list(read_back)
    assert max(batch.nbytes for batch in batches) <= CHUNK_BYTES
    assert pa.Table.from_batches(batches).equals(table)


def test_serializing_holds_about_one_chunk_never_a_copy_of_the_table():
    table = pa.table({f"c{i}": pa.array(range(2_000_000), pa.float64()) for i in range(4)})
    chunk_bytes = 1024 * 1024
    sent = 0
    tracemalloc.start()
    try:
        for chunk in arrow_stream_chunks(table.schema, table.to_batches(), chunk_bytes):
            sent += len(chunk)
            del chunk
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent > 60 * 1024 * 1024
    assert peak < 4 * chunk_bytes, f"peak {peak} bytes for a {sent}-byte stream"


@pytest.mark.parametrize("source", ["pandas", "polars", "pyarrow", "record_batch_reader"])
def test_tables_become_arrow_ipc_parts_that_reassemble(source):
    table = _table()
    data = {
        "pandas": lambda: table.to_pandas(),
        "polars": lambda: pl.from_arrow(table),
        "pyarrow": lambda: table,
        "record_batch_reader": lambda: pa.RecordBatchReader.from_batches(
            table.schema, table.to_batches(max_chunksize=100)),
    }[source]()
    part = to_part(INPUTS, data)
    header, parts = _split(upload_stream(_header(), [part]))
    assert header.request_id == "r1"
    [(part_header, chunks)] = parts
    assert (part_header.kind, part_header.format, part_header.size_bytes) == (INPUTS, IPC, 0)
    read_back = pa.ipc.open_stream(b"".join(chunks)).read_all()
    if source in ("pandas", "polars"):  # their strings are large_string; same values
        read_back = read_back.cast(table.schema)
    assert read_back.equals(table)
    assert part.replayable is (source != "record_batch_reader")


def test_a_pandas_index_is_not_sent():
    frame = _table(10).to_pandas().set_index("sample_id", drop=False)
    [(_, chunks)] = _split(upload_stream(_header(), [to_part(INPUTS, frame)]))[1]
    assert pa.ipc.open_stream(b"".join(chunks)).read_all().column_names == [
        "sample_id", "timestamp", "age", "city"]


@pytest.mark.parametrize("suffix, data_format", [(".csv", CSV), (".parquet", PARQUET),
                                                 (".PQ", PARQUET)])
def test_files_are_sent_as_their_bytes_with_their_size(tmp_path, suffix, data_format):
    table = _table(30_000)
    path = tmp_path / f"inputs{suffix}"
    if data_format == CSV:
        pa_csv.write_csv(table, path)
    else:
        pq.write_table(table, path)
    part = to_part(TARGET, str(path))
    [(part_header, chunks)] = _split(upload_stream(_header(), [part]))[1]
    assert (part_header.kind, part_header.format) == (TARGET, data_format)
    assert part_header.size_bytes == path.stat().st_size
    assert b"".join(chunks) == path.read_bytes()
    assert all(len(chunk) <= CHUNK_BYTES for chunk in chunks)
    read = pa_csv.read_csv if data_format == CSV else pq.read_table
    assert read(io.BytesIO(b"".join(chunks))).equals(read(path))


def test_a_file_is_read_in_chunks(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (2 * CHUNK_BYTES + 5))
    chunks = list(to_part(INPUTS, path).chunks())
    assert [len(chunk) for chunk in chunks] == [CHUNK_BYTES, CHUNK_BYTES, 5]


def test_unusable_data_is_refused_before_anything_is_sent(tmp_path):
    with pytest.raises(ValueError, match=r"\.csv or \.parquet"):
        to_part(INPUTS, tmp_path / "inputs.json")
    with pytest.raises(FileNotFoundError, match="missing.csv"):
        to_part(INPUTS, tmp_path / "missing.csv")
    with pytest.raises(TypeError, match="inputs must be a pandas DataFrame.*not dict"):
        to_part(INPUTS, {"age": [1]}, what="inputs")


def test_every_part_follows_its_own_header_in_order(tmp_path):
    table = _table(100)
    pq.write_table(table, tmp_path / "p.parquet")
    parts = [to_part(INPUTS, table), to_part(TARGET, table.select(["sample_id"])),
             to_part(PREDICTIONS, tmp_path / "p.parquet", "m1"),
             to_part(PREDICTIONS, table.to_pandas(), "m2")]
    sent: list[int] = []
    _, split = _split(upload_stream(_header(), parts, on_bytes=sent.append))
    assert [(h.kind, h.model_id, h.format) for h, _ in split] == [
        (INPUTS, "", IPC), (TARGET, "", IPC), (PREDICTIONS, "m1", PARQUET),
        (PREDICTIONS, "m2", IPC)]
    assert sum(sent) == sum(len(c) for _, chunks in split for c in chunks)


# -- reading Arrow IPC streams back -------------------------------------------------------


def _cut(data: bytes, rng: random.Random, pieces: int) -> list[bytes]:
    cuts = sorted(rng.randrange(len(data) + 1) for _ in range(pieces - 1))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]  # empty pieces too


@pytest.mark.parametrize("seed", range(20))
def test_a_stream_cut_anywhere_reads_back_whole(seed):
    table = _table(3000)
    stream = b"".join(arrow_stream_chunks(table.schema, table.to_batches(max_chunksize=500)))
    rng = random.Random(seed)
    pieces = _cut(stream, rng, rng.choice([2, 7, 50, 400]))
    assert read_arrow_stream(iter(pieces)).equals(table)


def test_a_stream_of_single_bytes_reads_back_whole():
    table = _table(20)
    stream = b"".join(arrow_stream_chunks(table.schema, table.to_batches()))
    assert read_arrow_stream(stream[i:i + 1] for i in range(len(stream))).equals(table)


def test_the_reader_gives_exactly_what_is_asked_until_the_end():
    reader = ByteStreamReader(iter([b"", b"abc", b"", b"defg", b"h"]))
    assert reader.read(2) == b"ab"
    assert reader.read(4) == b"cdef"
    assert reader.read(0) == b""
    assert reader.read(10) == b"gh"
    assert reader.read(10) == b""
    reader = ByteStreamReader(iter([b"abc", b"de"]))
    assert reader.read(1) == b"a" and reader.read() == b"bcde"


def test_the_reader_consumes_pieces_only_as_needed():
    taken: list[int] = []

    def pieces():
        for index in range(100):
            taken.append(index)
            yield b"x" * 10

    reader = ByteStreamReader(pieces())
    reader.read(25)
    assert taken == [0, 1, 2]


def test_an_empty_response_is_an_empty_table():
    assert read_arrow_stream(iter([])).num_rows == 0


# -- against a stand-in DataService -------------------------------------------------------


class StandIn(data_service_pb2_grpc.DataServiceServicer):
    """Records what the client sends; answers as told."""

    def __init__(self):
        self.uploads: list[tuple[pb.UploadHeader, list]] = []
        self.fail_next_uploads = 0
        self.read_pieces: list[bytes] = []
        self.read_error: tuple[grpc.StatusCode, str] | None = None
        self.read_requests: list = []
        self.list_requests: list[pb.ListBatchesRequest] = []
        self.pages: list[list[batch_pb2.Batch]] = []
        self.lock = threading.Lock()

    def UploadBatch(self, request_iterator, context):
        upload = _split(request_iterator)
        with self.lock:
            self.uploads.append(upload)
            fail = self.fail_next_uploads > 0
            self.fail_next_uploads -= fail
        if fail:  # as a server restarting after the stream was read
            context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
        header = upload[0]
        return pb.UploadBatchResponse(batch=batch_pb2.Batch(
            id=f"b{len(self.uploads)}", task_id=header.task_id, kind=header.kind,
            state=batch_pb2.BATCH_STATE_PENDING, ingestion_job_id=f"job-{header.request_id}",
            request_id=header.request_id))

    def _read(self, request, context):
        self.read_requests.append(request)
        for piece in self.read_pieces:
            yield piece
        if self.read_error:
            context.abort(*self.read_error)

    def ReadBatch(self, request, context):
        for piece in self._read(request, context):
            yield pb.ReadBatchResponse(arrow_ipc=piece)

    def ReadSamples(self, request, context):
        for piece in self._read(request, context):
            yield pb.ReadSamplesResponse(arrow_ipc=piece)

    def ListBatches(self, request, context):
        self.list_requests.append(pb.ListBatchesRequest.FromString(request.SerializeToString()))
        index = int(request.page_token or 0)
        token = str(index + 1) if index + 1 < len(self.pages) else ""
        return pb.ListBatchesResponse(batches=self.pages[index], next_page_token=token)


@pytest.fixture(scope="module")
def stand_in():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=[
        ("grpc.max_receive_message_length", 64 * 1024 * 1024)])
    servicer = StandIn()
    data_service_pb2_grpc.add_DataServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield servicer, f"127.0.0.1:{port}"
    finally:
        server.stop(None)


@pytest.fixture
def client(stand_in):
    servicer, address = stand_in
    servicer.__init__()  # a clean slate for each test
    with driftline.Client(address, api_key=None, timeout=10, initial_backoff=0.01) as client:
        yield client


def test_add_historical_data_sends_one_stream_and_returns_the_job(client, stand_in, tmp_path):
    servicer, _ = stand_in
    table = _table(2000)
    pq.write_table(table.select(["sample_id"]), tmp_path / "m1.parquet")
    job_id = client.add_historical_data(
        "t1", table.to_pandas(), target=pl.from_arrow(table.select(["sample_id", "age"])),
        predictions=[("m1", tmp_path / "m1.parquet")], progress=False)
    [(header, parts)] = servicer.uploads
    assert header.task_id == "t1" and header.kind == batch_pb2.BATCH_KIND_HISTORICAL
    assert len(header.request_id) == 32 and job_id == f"job-{header.request_id}"
    assert [(h.kind, h.model_id, h.format) for h, _ in parts] == [
        (INPUTS, "", IPC), (TARGET, "", IPC), (PREDICTIONS, "m1", PARQUET)]
    read_back = pa.ipc.open_stream(b"".join(parts[0][1])).read_all()
    assert read_back.cast(table.schema).equals(table)


def test_a_retried_upload_resends_everything_with_the_same_request_id(client, stand_in):
    servicer, _ = stand_in
    servicer.fail_next_uploads = 2
    table = _table(5000)
    job_id = client.add_production_data("t1", table, progress=False)
    assert len(servicer.uploads) == 3
    request_ids = {header.request_id for header, _ in servicer.uploads}
    assert len(request_ids) == 1 and job_id == f"job-{request_ids.pop()}"
    streams = [b"".join(parts[0][1]) for _, parts in servicer.uploads]
    assert streams[0] == streams[1] == streams[2]
    assert pa.ipc.open_stream(streams[2]).read_all().equals(table)


def test_the_given_request_id_is_sent(client, stand_in):
    servicer, _ = stand_in
    assert client.add_target_data("t1", _table(5), request_id="mine") == "job-mine"
    assert servicer.uploads[0][0].request_id == "mine"


def test_a_record_batch_reader_is_not_sent_twice(client, stand_in):
    servicer, _ = stand_in
    servicer.fail_next_uploads = 1
    table = _table(100)
    with pytest.raises(driftline.UnavailableError):
        client.add_historical_data(
            "t1", pa.RecordBatchReader.from_batches(table.schema, table.to_batches()),
            progress=False)
    assert len(servicer.uploads) == 1


def test_production_data_without_inputs(client, stand_in):
    servicer, _ = stand_in
    client.add_production_data("t1", target=_table(5).select(["sample_id", "age"]))
    header, parts = servicer.uploads[0]
    assert header.kind == batch_pb2.BATCH_KIND_TARGET and [h.kind for h, _ in parts] == [TARGET]
    with pytest.raises(ValueError, match="predictions are sent with their inputs"):
        client.add_production_data("t1", predictions=[("m1", _table(5))])
    with pytest.raises(ValueError, match="nothing to upload"):
        client.add_production_data("t1")
    with pytest.raises(TypeError, match=r"list of \(model_id, data\) pairs"):
        client.add_production_data("t1", _table(5), predictions=_table(5).to_pandas())
    assert len(servicer.uploads) == 1


def test_kpi_data_names_project_and_kpi(client, stand_in):
    servicer, _ = stand_in
    client.add_kpi_data("p1", "k1", pd.DataFrame({"timestamp": [1.7e9], "value": [3.5]}))
    header, parts = servicer.uploads[0]
    assert (header.project_id, header.kpi_id, header.kind) == ("p1", "k1", batch_pb2.BATCH_KIND_KPI)
    assert [h.kind for h, _ in parts] == [batch_pb2.PART_KIND_KPI]


def test_an_error_building_the_stream_is_raised_as_itself(stand_in):
    _, address = stand_in
    transport = Transport(address, None, timeout=5)
    stub = data_service_pb2_grpc.DataServiceStub(transport.channel)

    def requests():
        yield pb.UploadBatchRequest(header=_header())
        raise OSError("the disk went away")

    try:
        with pytest.raises(OSError, match="the disk went away"):
            transport.client_stream(stub.UploadBatch, requests, idempotent=True)
    finally:
        transport.close()


def test_read_batch_reads_a_stream_cut_anywhere(client, stand_in):
    servicer, _ = stand_in
    table = _table(4000)
    stream = b"".join(arrow_stream_chunks(table.schema, table.to_batches(max_chunksize=700)))
    servicer.read_pieces = _cut(stream, random.Random(7), 60)
    assert client.read_batch("b1", columns=["age", "sample_id"]).equals(table)
    assert list(servicer.read_requests[0].columns) == ["age", "sample_id"]


def test_read_samples_sends_kinds_times_and_columns(client, stand_in):
    servicer, _ = stand_in
    table = _table(10)
    servicer.read_pieces = list(arrow_stream_chunks(table.schema, table.to_batches()))
    read = client.read_samples("t1", from_timestamp=datetime(2026, 1, 1), to_timestamp=1.8e9 + 0.25,
                               kinds=["historical", batch_pb2.BATCH_KIND_PRODUCTION],
                               columns="age")
    assert read.equals(table)
    request = servicer.read_requests[0]
    assert list(request.kinds) == [batch_pb2.BATCH_KIND_HISTORICAL,
                                   batch_pb2.BATCH_KIND_PRODUCTION]
    assert request.from_time.ToDatetime(timezone.utc) == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert (request.to_time.seconds, request.to_time.nanos) == (1_800_000_000, 250_000_000)
    assert list(request.columns) == ["age"]


def test_a_failed_read_raises_the_mapped_error(client, stand_in):
    servicer, _ = stand_in
    servicer.read_error = (grpc.StatusCode.NOT_FOUND, "batch 'b9' not found")
    with pytest.raises(driftline.NotFoundError):
        client.read_batch("b9")
    table = _table(3000)
    stream = b"".join(arrow_stream_chunks(table.schema, table.to_batches(max_chunksize=100)))
    servicer.read_pieces = [stream[: len(stream) // 2]]  # cut short, then an error
    servicer.read_error = (grpc.StatusCode.INTERNAL, "storage failed")
    with pytest.raises(driftline.InternalError):
        client.read_batch("b1")


def test_get_batches_is_lazy_and_filters_by_names(client, stand_in):
    servicer, _ = stand_in
    servicer.pages = [[batch_pb2.Batch(id="b1"), batch_pb2.Batch(id="b2")],
                      [batch_pb2.Batch(id="b3")]]
    batches = client.get_batches("t1", kinds="production",
                                 states=["COMMITTED", "BATCH_STATE_FAILED"], from_timestamp=1.7e9)
    assert servicer.list_requests == []
    assert next(batches).batch_id == "b1" and len(servicer.list_requests) == 1
    assert [batch.batch_id for batch in batches] == ["b2", "b3"]
    first, second = servicer.list_requests
    assert list(first.kinds) == [batch_pb2.BATCH_KIND_PRODUCTION]
    assert list(first.states) == [batch_pb2.BATCH_STATE_COMMITTED, batch_pb2.BATCH_STATE_FAILED]
    assert first.from_time.seconds == 1_700_000_000 and not first.HasField("to_time")
    assert (first.page_token, second.page_token) == ("", "1")
    with pytest.raises(ValueError):
        list(client.get_batches("t1", kinds="sideways"))


def test_a_progress_bar_counts_the_bytes_sent_when_asked(client, stand_in, capsys):
    servicer, _ = stand_in
    client.add_historical_data("t1", _table(100))  # small: no bar by default
    assert "upload historical" not in capsys.readouterr().err
    client.add_historical_data("t1", _table(20_000), progress=True)
    err = capsys.readouterr().err
    sent = sum(len(chunk) for chunk in servicer.uploads[1][1][0][1])
    assert "upload historical" in err and "100%" in err
    assert f"{sent / 1024:.0f}k" in err or f"{sent / 2**20:.2f}M" in err, (sent, err)
