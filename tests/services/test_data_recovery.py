"""A Data server killed (SIGKILL) mid-upload and mid-ingestion, then restarted: nothing is left
half-stored, staged leftovers are removed, and the interrupted ingestion runs again to one
committed batch."""

from __future__ import annotations

import threading
import time

import grpc
import pyarrow as pa
import pytest

import driftline
from conftest import make_company, wait_for_auth_cache
from data_helpers import make_task
from driftline.data.v1 import batch_pb2, data_service_pb2 as pb, data_service_pb2_grpc
from driftline.jobs.v1 import job_pb2
from harness import ServerProcess, fresh_database

# Staged leftovers are removed at once after a restart; a killed job's lease expires quickly.
SETTINGS = {"DRIFTLINE_DATA_STAGING_GRACE_SECONDS": "0", "DRIFTLINE_JOBS_LEASE_SECONDS": "2"}


@pytest.fixture(scope="module")
def crashing_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("crashes")
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url, SETTINGS).start()
    try:
        yield process
    finally:
        process.stop()
        database.drop()


def restart(process: ServerProcess) -> None:
    process.process.kill()  # SIGKILL: no clean stop, no cleanup
    process.process.wait()
    process.process = None
    process.start(port=process.port)


def staged(process: ServerProcess) -> list:
    staging = process.data_dir / "data" / "staging"
    return list(staging.iterdir()) if staging.exists() else []


def stored_files(process: ServerProcess) -> list:
    tasks = process.data_dir / "data" / "tasks"
    return sorted(tasks.rglob("*")) if tasks.exists() else []


def wait_until(condition, seconds: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_killed_mid_upload_leaves_no_batch_and_no_staged_bytes(crashing_server):
    company = make_company(crashing_server, "Crash")
    project_id = company.owner.create_project("crash", "kills")
    task = make_task(company.owner, project_id)
    channel = grpc.insecure_channel(crashing_server.address)
    stub = data_service_pb2_grpc.DataServiceStub(channel)
    sent = threading.Event()

    def messages():
        yield pb.UploadBatchRequest(header=pb.UploadHeader(
            task_id=task.task_id, kind=batch_pb2.BATCH_KIND_HISTORICAL, request_id="killed"))
        yield pb.UploadBatchRequest(part=pb.PartHeader(
            kind=batch_pb2.PART_KIND_INPUTS, format=batch_pb2.DATA_FORMAT_CSV))
        for _ in range(4):
            yield pb.UploadBatchRequest(chunk=b"sample_id,timestamp\n" * 50_000)
        sent.set()
        time.sleep(30)  # the stream stays open until the server dies

    errors = []

    def upload():
        try:
            stub.UploadBatch(messages(), metadata=company.owner.stubs.metadata,
                             timeout=60)
        except grpc.RpcError as error:
            errors.append(error.code())

    uploading = threading.Thread(target=upload, daemon=True)
    uploading.start()
    assert sent.wait(30)
    wait_until(lambda: staged(crashing_server), what="the upload to be staged")
    crashing_server.process.kill()
    uploading.join(30)
    assert errors == [grpc.StatusCode.UNAVAILABLE]
    channel.close()
    assert staged(crashing_server), "the killed upload left staged bytes to clean up"

    crashing_server.process.wait()
    crashing_server.process = None
    crashing_server.start(port=crashing_server.port)
    wait_until(lambda: not staged(crashing_server), what="the staging leftovers to be removed")
    # The client's channel reconnects to the restarted server on the same port.
    assert list(company.owner.get_batches(task.task_id)) == []
    company.close()


def test_killed_mid_ingestion_reruns_to_one_committed_batch(crashing_server):
    _, api_key = crashing_server.create_user("ingest-crash@example.com")
    with driftline.Client(crashing_server.address, api_key) as client:
        client.create_company(name="Ingest", address="1 Crash Road", vat="IT2")
        wait_for_auth_cache()
        project_id = client.create_project("ingest", "kills during ingestion")
        task = make_task(client, project_id)
        rows = 400_000  # big enough that its ingestion takes a moment
        sample_ids = [f"s{i}" for i in range(rows)]
        table = pa.table({
            "sample_id": sample_ids,
            "timestamp": pa.array(range(rows), pa.float64()),
            "age": pa.array([float(i % 90) for i in range(rows)]),
            "plan": pa.array(["basic", "pro"] * (rows // 2)),
        })
        job_id = client.add_historical_data(task.task_id, table)
        wait_until(lambda: client.get_job(job_id).status == job_pb2.JOB_STATUS_RUNNING,
                   what="the ingestion to start")
        restart(crashing_server)

    with driftline.Client(crashing_server.address, api_key) as client:
        job = client.wait_job_completion(job_id, max_wait_timeout=120)
        assert job.attempt >= 2, "the ingestion ran again after the crash"
        batches = list(client.get_batches(task.task_id))
        assert [b.state for b in batches] == [batch_pb2.BATCH_STATE_COMMITTED]
        assert batches[0].row_count == rows
        stored = client.read_samples(task.task_id, columns=["sample_id"])
        assert stored.num_rows == rows
        assert stored["sample_id"].to_pylist() == sample_ids
    files = [path.name for path in stored_files(crashing_server) if path.is_file()]
    assert files == [f"{batches[0].batch_id}.parquet"], files  # no partial file left
    wait_until(lambda: not staged(crashing_server), what="the staged parts to be removed")


def test_an_ingestion_failing_every_attempt_fails_its_batch_at_once(crashing_server):
    """A fault that no retry cures (here the task's storage folder is a file): after the last
    attempt the job is FAILED and so is its batch, without waiting for a recovery pass."""
    _, api_key = crashing_server.create_user("exhausted@example.com")
    with driftline.Client(crashing_server.address, api_key) as client:
        client.create_company(name="Exhausted", address="1 Retry Road", vat="IT4")
        wait_for_auth_cache()
        project_id = client.create_project("exhausted", "every attempt fails")
        task = make_task(client, project_id)
        blocker = crashing_server.data_dir / "data" / "tasks" / task.task_id
        blocker.parent.mkdir(parents=True, exist_ok=True)
        blocker.write_text("not a folder")
        try:
            job_id = client.add_historical_data(task.task_id, pa.table(
                {"sample_id": ["a", "b"], "timestamp": [1.0, 2.0], "age": [30.0, 40.0],
                 "plan": ["pro", "basic"]}))
            with pytest.raises(driftline.JobFailureError) as caught:
                client.wait_job_completion(job_id, max_wait_timeout=120)
            assert caught.value.error_code == "JOB_ATTEMPTS_EXHAUSTED"
            assert caught.value.job.attempt == caught.value.job.max_attempts
            (batch,) = client.get_batches(task.task_id)
            assert batch.state == batch_pb2.BATCH_STATE_FAILED
            assert "last attempt" in batch.failure_message
        finally:
            blocker.unlink()
