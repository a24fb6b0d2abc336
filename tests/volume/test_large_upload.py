"""A 2 GB upload through the client to a committed batch, with the server's peak memory
measured: the server streams the bytes to disk and ingests them in record batches, so its
peak stays far below the size of the data. Both database legs run it (`make test`)."""

from __future__ import annotations

import os
import time

import numpy as np
import pyarrow as pa
import pytest

import driftline
from driftline.catalog.v1 import data_schema_pb2 as ds, task_pb2
from harness import PeakRss, ServerProcess, fresh_database

FEATURES = 48  # + sample_id + timestamp = 50 columns
ROWS = int(os.environ.get("DRIFTLINE_TEST_LARGE_UPLOAD_ROWS", 5_400_000))  # ~2.1 GB
ROWS_PER_BATCH = 100_000
PEAK_LIMIT_BYTES = 1_500 * 2**20


def rows() -> pa.RecordBatchReader:
    schema = pa.schema([("sample_id", pa.string()), ("timestamp", pa.float64())]
                       + [(f"f{i}", pa.float64()) for i in range(FEATURES)])
    generator = np.random.default_rng(7)

    def batches():
        for start in range(0, ROWS, ROWS_PER_BATCH):
            count = min(ROWS_PER_BATCH, ROWS - start)
            values = generator.standard_normal((FEATURES, count))
            yield pa.record_batch(
                [pa.array([f"s{n}" for n in range(start, start + count)]),
                 pa.array(np.arange(start, start + count, dtype=np.float64))]
                + [pa.array(column) for column in values], schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("large")
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url).start()
    yield process
    process.stop()
    database.drop()


def test_a_2_gb_upload_is_committed_with_bounded_server_memory(big_server):
    _, api_key = big_server.create_user("large@example.com")
    with driftline.Client(big_server.address, api_key, timeout=600) as client:
        client.create_company(name="Large", address="1 Big Road", vat="IT3")
        time.sleep(2.1)  # the key's company reaches the other services' auth cache
        project_id = client.create_project("large", "a 2 GB upload")
        task_id = client.create_task(project_id=project_id, name="wide", tags=[],
                                     task_type=task_pb2.TASK_TYPE_REGRESSION,
                                     data_structure=task_pb2.DATA_STRUCTURE_TABULAR,
                                     optional_target=True)
        columns = [ds.ColumnInfo(name="sample_id", role=ds.COLUMN_ROLE_ID,
                                 data_type=ds.DATA_TYPE_STRING),
                   ds.ColumnInfo(name="timestamp", role=ds.COLUMN_ROLE_TIME_ID,
                                 data_type=ds.DATA_TYPE_FLOAT),
                   ds.ColumnInfo(name="y", role=ds.COLUMN_ROLE_TARGET,
                                 data_type=ds.DATA_TYPE_FLOAT, nullable=True)]
        columns += [ds.ColumnInfo(name=f"f{i}", role=ds.COLUMN_ROLE_INPUT,
                                  data_type=ds.DATA_TYPE_FLOAT) for i in range(FEATURES)]
        client.add_data_schema(task_id, columns)
        started = time.monotonic()
        with PeakRss(big_server.process.pid) as memory:
            job_id = client.add_historical_data(task_id, rows(), progress=False)
            uploaded = time.monotonic()
            client.wait_job_completion(job_id, max_wait_timeout=1200)
        finished = time.monotonic()
        batch = next(iter(client.get_batches(task_id)))
        size = (ROWS * (8 * (FEATURES + 1))) / 2**30
        print(f"\n{ROWS} rows (~{size:.2f} GiB of values): upload {uploaded - started:.1f} s, "
              f"ingestion and commit {finished - uploaded:.1f} s; "
              f"server peak RSS {memory.peak / 2**20:.0f} MiB")
        assert batch.row_count == ROWS
        assert memory.peak < PEAK_LIMIT_BYTES, f"server peak RSS {memory.peak / 2**20:.0f} MiB"
