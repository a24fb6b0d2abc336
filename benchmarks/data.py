"""Data: uploading a client DataFrame to a committed batch, and reading it back, in MB/s, side by
side with what bounds them, in one run on one machine (client and server share it).

Data: 1M rows (DRIFTLINE_BENCH_DATA_ROWS or --rows to shrink it) of sample_id (string),
timestamp (float) and 50 float64 columns, ~420 MB in memory; MB/s counts those bytes (the
Arrow table's size) in every line, 1 MB = 10^6 bytes.

Upload:
  (a) floor: pyarrow converting the DataFrame and writing it as Parquet (zstd) to a local file:
      work that the server must also do, without any transport;
  (b) ceiling: the same Arrow IPC bytes, already serialized, through a bare grpc client-streaming
      RPC that discards them (benchmarks/bare_server.py); also the same with the client's
      incremental serialization inline;
  (c) Driftline: add_historical_data on the DataFrame, then waiting for the ingestion job until
      the batch is COMMITTED, end to end; with the server's peak RSS (its process tree).
Read back:
  (d) Driftline read_batch into a pyarrow Table, against pyarrow reading the Parquet file
      locally and the same number of bytes through a bare server-streaming RPC.

    .venv/bin/python benchmarks/data.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import PeakRss, ServerProcess  # noqa: E402  (servers start as in the tests)

import driftline  # noqa: E402
from driftline._uploads import CHUNK_BYTES, arrow_stream_chunks  # noqa: E402
from driftline.catalog.v1 import data_schema_pb2  # noqa: E402
from driftline.data.v1 import batch_pb2  # noqa: E402

FLOAT_COLUMNS = 50
MAX_MESSAGE = 64 * 1024 * 1024


def make_frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    columns = {
        "sample_id": [f"s{i:09d}" for i in range(rows)],
        "timestamp": 1.7e9 + np.arange(rows, dtype=np.float64),
    }
    columns.update({f"f{j:02d}": rng.random(rows) for j in range(FLOAT_COLUMNS)})
    return pd.DataFrame(columns)


def data_schema() -> list[data_schema_pb2.ColumnInfo]:
    info = data_schema_pb2.ColumnInfo
    return [
        info(name="sample_id", role=data_schema_pb2.COLUMN_ROLE_ID,
             data_type=data_schema_pb2.DATA_TYPE_STRING),
        info(name="timestamp", role=data_schema_pb2.COLUMN_ROLE_TIME_ID,
             data_type=data_schema_pb2.DATA_TYPE_FLOAT),
        *(info(name=f"f{j:02d}", role=data_schema_pb2.COLUMN_ROLE_INPUT,
               data_type=data_schema_pb2.DATA_TYPE_FLOAT) for j in range(FLOAT_COLUMNS)),
    ]


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _best(action, repeats: int = 3) -> float:
    """The fastest of ``repeats`` runs: the baselines are bounds, so their best is the bound."""
    return min(_timed(action)[0] for _ in range(repeats))


# -- (a) and (d'): pyarrow, locally ---------------------------------------------------------


def parquet_write(frame: pd.DataFrame, path: Path) -> float:
    def write():
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path,
                       compression="zstd")

    return _best(write)


def parquet_read(path: Path) -> float:
    return _best(lambda: pq.read_table(path))


# -- (b) and (d''): the bare transport -------------------------------------------------------


def _channel(port: int) -> grpc.Channel:
    return grpc.insecure_channel(f"127.0.0.1:{port}", options=[
        ("grpc.max_send_message_length", MAX_MESSAGE),
        ("grpc.max_receive_message_length", MAX_MESSAGE)])


def bare_upload(port: int, chunks, expected: int) -> float:
    """Seconds to stream the chunks that ``chunks()`` yields to the sink (best of three)."""
    with _channel(port) as channel:
        upload = channel.stream_unary("/bench.Bare/Upload")
        upload(iter([b"warm-up"]))

        def send():
            received = struct.unpack("<q", upload(iter(chunks())))[0]
            assert received == expected, (received, expected)

        return _best(send)


def bare_download(port: int, total: int) -> float:
    with _channel(port) as channel:
        download = channel.unary_stream("/bench.Bare/Download")

        def receive():
            received = 0
            for piece in download(struct.pack("<qq", total, CHUNK_BYTES)):
                received += len(piece)
            assert received == total

        return _best(receive)


# -- (c) and (d): Driftline ------------------------------------------------------------------


def _data_service_missing(client: driftline.Client) -> bool:
    try:
        client.get_batch("0" * 32)
    except driftline.DriftlineError as error:
        rpc_error = error.rpc_error
        return rpc_error is not None and rpc_error.code() == grpc.StatusCode.UNIMPLEMENTED
    return False


def driftline_round_trip(server: ServerProcess, frame: pd.DataFrame, megabytes: float) -> dict:
    """Upload, ingest and read back through a real server, printing each figure once taken (so
    that a failure late in the run still shows what was measured)."""
    _, api_key = server.create_user("bench@example.com")
    with driftline.Client(server.address, api_key, timeout=600) as client:
        if _data_service_missing(client):
            raise SystemExit(
                "(c)/(d) Driftline: the server does not serve DataService yet (it answers "
                "UNIMPLEMENTED): nothing to measure"
            )
        client.create_company(name="Bench", address="1 Loop Road", vat="IT00000000000")
        project_id = client.create_project(name="bench", description="data benchmark")
        task_id = client.create_task(project_id, "bench", tags=[], task_type="REGRESSION",
                                     data_structure="TABULAR", optional_target=True)
        client.add_data_schema(task_id, data_schema())
        figures: dict = {}
        memory = PeakRss(server.process.pid)
        print(f"server RSS before the upload: {memory.rss() / 2**20:.0f} MiB (process and "
              "children)")
        with memory:
            started = time.perf_counter()
            job_id = client.add_historical_data(task_id, frame, progress=False)
            uploaded = time.perf_counter() - started
            _line("(c) add_historical_data, upload only (batch PENDING)", megabytes, uploaded,
                  f"peak RSS {memory.peak / 2**20:.0f} MiB so far")
            try:
                client.wait_job_completion(job_id, show_progress=False)
            except driftline.JobFailureError as error:
                raise SystemExit(f"(c) Driftline: the ingestion job {job_id} failed: {error}")
            figures["commit_s"] = time.perf_counter() - started
        figures["rss_upload"] = memory.peak
        [batch] = client.get_batches(task_id)
        if batch.state != batch_pb2.BATCH_STATE_COMMITTED or batch.row_count != len(frame):
            raise SystemExit(f"the batch is not committed whole: {batch}")
        _line("(c) add_historical_data + ingestion job, to COMMITTED", megabytes,
              figures["commit_s"], f"{batch.stored_bytes / 1e6:.0f} MB stored, "
              f"peak RSS {memory.peak / 2**20:.0f} MiB")

        with PeakRss(server.process.pid) as memory:
            figures["read_s"], table = _timed(lambda: client.read_batch(batch.batch_id))
        figures["rss_read"] = memory.peak
        _line("(d) read_batch to a pyarrow Table", megabytes, figures["read_s"],
              f"peak RSS {memory.peak / 2**20:.0f} MiB")
        if table.num_rows != len(frame) or not np.isclose(
                table.column("f07").to_numpy().sum(), frame["f07"].sum()):
            raise SystemExit("read_batch did not give back the uploaded rows")
        return figures


# -- main ------------------------------------------------------------------------------------


def _line(name: str, megabytes: float, seconds: float, note: str = "") -> None:
    print(f"{name:58}{megabytes / seconds:10.0f} MB/s{seconds:9.2f} s  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int,
                        default=int(os.environ.get("DRIFTLINE_BENCH_DATA_ROWS", "1000000")))
    args = parser.parse_args()

    frame = make_frame(args.rows)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    megabytes = table.nbytes / 1e6
    chunks = list(arrow_stream_chunks(table.schema, table.to_batches()))
    ipc_bytes = sum(len(chunk) for chunk in chunks)
    print(f"\n{args.rows} rows x ({FLOAT_COLUMNS} float64 + sample_id + timestamp): "
          f"{megabytes:.0f} MB in memory, {ipc_bytes / 1e6:.0f} MB as Arrow IPC; "
          f"one {os.cpu_count()}-core machine, client and server share it\n")

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        parquet = scratch / "floor.parquet"
        floor_write = parquet_write(frame, parquet)
        floor_read = parquet_read(parquet)

        sink = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "bare_server.py")],
                                stdout=subprocess.PIPE, text=True)
        try:
            sink_port = int(sink.stdout.readline())
            ceiling_up = bare_upload(sink_port, lambda: chunks, ipc_bytes)
            chunks.clear()  # the pre-serialized copy is needed no longer
            inline_up = bare_upload(
                sink_port, lambda: arrow_stream_chunks(table.schema, table.to_batches()),
                ipc_bytes)
            ceiling_down = bare_download(sink_port, ipc_bytes)
        finally:
            sink.terminate()
            sink.wait()

        print("upload: DataFrame -> committed batch")
        _line("(a) floor: pyarrow from_pandas + Parquet zstd, local file", megabytes, floor_write,
              f"{parquet.stat().st_size / 1e6:.0f} MB file")
        _line("(b) ceiling: bare gRPC client stream, pre-serialized IPC", megabytes, ceiling_up)
        _line("    bare gRPC client stream, IPC serialized as sent", megabytes, inline_up)
        print("read back: batch -> pyarrow Table in the client")
        _line("    floor: pyarrow reading the Parquet file locally", megabytes, floor_read)
        _line("    ceiling: bare gRPC server stream, same bytes", megabytes, ceiling_down)
        sys.stdout.flush()

        print("\nDriftline, one server (SQLite, local storage)")
        data_dir = scratch / "server"
        data_dir.mkdir()
        server = ServerProcess(data_dir, f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
                               {"DRIFTLINE_LOG_LEVEL": "warning"}).start()
        try:
            figures = driftline_round_trip(server, frame, megabytes)
        finally:
            server.stop()

    print(f"\n{'ratios of MB/s':58}{'upload':>10}{'read':>10}")
    print(f"{'Driftline / transport ceiling (aim: at least 0.5)':58}"
          f"{ceiling_up / figures['commit_s']:10.2f}{ceiling_down / figures['read_s']:10.2f}")
    print(f"{'Driftline / pyarrow locally (floor)':58}"
          f"{floor_write / figures['commit_s']:10.2f}{floor_read / figures['read_s']:10.2f}")


if __name__ == "__main__":
    main()
