"""DataService through the client against a real server: each kind of upload, the validation
rules and their errors, late targets, idempotent retries, reads and the data summary."""

from __future__ import annotations

import grpc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import driftline
from catalog_helpers import REGRESSION, TABULAR, assert_error
from data_helpers import (
    START,
    failed_job,
    ids,
    inputs,
    make_task,
    predictions,
    problems_of,
    target,
)
from driftline.data.v1 import batch_pb2
from driftline.types import Batch
from harness import fails

COMMITTED = batch_pb2.BATCH_STATE_COMMITTED
FAILED = batch_pb2.BATCH_STATE_FAILED


@pytest.fixture(scope="module")
def task(owner, project_id):
    return make_task(owner, project_id)


def committed_batch(client, job_id: str) -> Batch:
    job = client.wait_job_completion(job_id, max_wait_timeout=120)
    batches = [b for b in client.get_batches(job.task_id) if b.ingestion_job_id == job_id]
    assert len(batches) == 1, batches
    assert batches[0].state == COMMITTED, batches[0]
    return batches[0]


def test_historical_batch_with_target_and_predictions_is_stored_joined(task):
    client = task.client
    sample_ids = ids("hist", 300)
    job_id = client.add_historical_data(
        task.task_id, inputs(sample_ids).to_pandas(), target=target(sample_ids[::-1]),
        predictions=[(task.model_id, predictions(sample_ids))],
    )
    batch = committed_batch(client, job_id)
    assert batch.kind == batch_pb2.BATCH_KIND_HISTORICAL
    assert batch.row_count == 300
    assert int(batch.first_sample_datetime.timestamp()) == int(START)
    assert int(batch.last_sample_datetime.timestamp()) == int(START) + 299
    assert [part.kind for part in batch.parts] == [
        batch_pb2.PART_KIND_INPUTS, batch_pb2.PART_KIND_TARGET, batch_pb2.PART_KIND_PREDICTIONS]

    table = client.read_batch(batch.batch_id)
    assert table.column_names == [
        "sample_id", "timestamp", "age", "plan", "label", "prediction", "probability"]
    assert table.num_rows == 300
    assert table["sample_id"].to_pylist() == sample_ids
    assert table["timestamp"].type == pa.timestamp("us", tz="UTC")
    # The target part came in another order: it is joined by sample id.
    assert table["label"].to_pylist() == target(sample_ids[::-1])["label"].to_pylist()[::-1]
    assert table["probability"].to_pylist() == predictions(sample_ids)["probability"].to_pylist()
    only = client.read_batch(batch.batch_id, columns=["age", "sample_id"])
    assert only.column_names == ["age", "sample_id"]


def test_production_inputs_then_late_targets_are_joined_on_read(task):
    client = task.client
    sample_ids = ids("prod", 200)
    production = committed_batch(
        client, client.add_production_data(task.task_id, inputs(sample_ids, start=START + 10_000)))
    assert production.kind == batch_pb2.BATCH_KIND_PRODUCTION
    before = client.read_samples(task.task_id, from_timestamp=START + 10_000,
                                 kinds=["production"])
    assert before.num_rows == 200
    assert set(before["label"].to_pylist()) == {None}

    labelled = sample_ids[50:120]
    late = committed_batch(client, client.add_target_data(task.task_id, target(labelled)))
    assert late.kind == batch_pb2.BATCH_KIND_TARGET
    assert late.row_count == 70
    after = client.read_samples(task.task_id, from_timestamp=START + 10_000,
                                to_timestamp=START + 10_200, kinds=["production"])
    by_id = dict(zip(after["sample_id"].to_pylist(), after["label"].to_pylist()))
    expected = dict(zip(labelled, target(labelled)["label"].to_pylist()))
    assert {k: v for k, v in by_id.items() if v is not None} == expected

    summary = client.get_data_summary(task.task_id)
    kinds = {entry.kind: entry for entry in summary.kinds}
    assert kinds[batch_pb2.BATCH_KIND_PRODUCTION].row_count >= 200
    assert kinds[batch_pb2.BATCH_KIND_TARGET].row_count >= 70
    assert summary.labelled_sample_count >= 70


def test_read_samples_filters_by_time_and_selects_columns(owner, project_id):
    task = make_task(owner, project_id, name="ranges")
    first, second = ids("a", 100), ids("b", 100)
    committed_batch(owner, owner.add_historical_data(task.task_id, inputs(first, start=1000.0)))
    committed_batch(owner, owner.add_production_data(task.task_id, inputs(second, start=2000.0)))
    every = owner.read_samples(task.task_id)
    assert every.num_rows == 200
    window = owner.read_samples(task.task_id, from_timestamp=1050.0, to_timestamp=2010.0,
                                columns=["sample_id", "age"])
    assert window.column_names == ["sample_id", "age"]
    assert window["sample_id"].to_pylist() == first[50:] + second[:10]
    historical = owner.read_samples(task.task_id, kinds=["historical"])
    assert historical["sample_id"].to_pylist() == first
    with fails(driftline.InvalidArgumentError, "COLUMN_NOT_FOUND", "columns"):
        owner.read_samples(task.task_id, columns=["nope"])
    with fails(driftline.InvalidArgumentError, "TIME_RANGE_INVALID"):
        owner.read_samples(task.task_id, from_timestamp=10.0, to_timestamp=5.0)
    listed = list(owner.get_batches(task.task_id, from_timestamp=1500.0))
    assert [b.kind for b in listed] == [batch_pb2.BATCH_KIND_PRODUCTION]


def test_every_input_type_is_accepted(owner, project_id, tmp_path):
    import polars

    task = make_task(owner, project_id, name="formats")
    tables = {name: inputs(ids(name, 50), start=START + n * 100)
              for n, name in enumerate(["pandas", "arrow", "polars", "csv", "parquet"])}
    tables["csv"].to_pandas().to_csv(tmp_path / "inputs.csv", index=False)
    pq.write_table(tables["parquet"], tmp_path / "inputs.parquet")
    sources = {
        "pandas": tables["pandas"].to_pandas(),
        "arrow": tables["arrow"],
        "polars": polars.from_arrow(tables["polars"]),
        "csv": str(tmp_path / "inputs.csv"),
        "parquet": tmp_path / "inputs.parquet",
    }
    for name, source in sources.items():
        batch = committed_batch(owner, owner.add_historical_data(task.task_id, source))
        stored = owner.read_batch(batch.batch_id)
        assert stored["sample_id"].to_pylist() == tables[name]["sample_id"].to_pylist(), name
        assert stored["age"].to_pylist() == tables[name]["age"].to_pylist(), name
        assert stored["plan"].to_pylist() == tables[name]["plan"].to_pylist(), name


def test_kpi_data(owner, project_id):
    kpi_id = owner.create_kpi(project_id, "revenue")
    values = pa.table({"timestamp": [START + i * 3600 for i in range(24)],
                       "value": [float(i) for i in range(24)]})
    job_id = owner.add_kpi_data(project_id, kpi_id, values)
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    batches = list(owner.get_batches(project_id=project_id, kpi_id=kpi_id))
    assert [b.state for b in batches] == [COMMITTED]
    assert batches[0].row_count == 24
    assert owner.read_batch(batches[0].batch_id)["value"].to_pylist() == values["value"].to_pylist()


def test_retried_upload_with_the_same_request_id_stores_one_batch(owner, project_id):
    task = make_task(owner, project_id, name="retries")
    table = inputs(ids("retry", 40))
    first = owner.add_historical_data(task.task_id, table, request_id="upload-0001")
    second = owner.add_historical_data(task.task_id, table, request_id="upload-0001")
    assert first == second
    owner.wait_job_completion(first, max_wait_timeout=120)
    assert len(list(owner.get_batches(task.task_id))) == 1


@pytest.mark.parametrize(
    ("case", "code", "column"),
    [
        ("missing column", "COLUMN_MISSING", "age"),
        ("not castable", "VALUE_NOT_CASTABLE", "age"),
        ("null", "NULL_NOT_ALLOWED", "plan"),
        ("unknown category", "UNKNOWN_CATEGORY", "plan"),
        ("duplicate id", "DUPLICATE_SAMPLE_ID", "sample_id"),
        ("bad timestamp", "TIMESTAMP_NOT_PARSEABLE", "timestamp"),
        ("unknown column", "COLUMN_NOT_IN_SCHEMA", "colour"),
    ],
)
def test_validation_fails_the_job_and_stores_nothing(task, case, code, column):
    client = task.client
    sample_ids = ids(f"bad-{code}", 30)
    table = inputs(sample_ids)
    if case == "missing column":
        table = table.drop_columns(["age"])
    elif case == "not castable":
        table = table.set_column(2, "age", pa.array(["old"] * 5 + ["30"] * 25))
    elif case == "null":
        table = table.set_column(3, "plan", pa.array([None, None] + ["pro"] * 28))
    elif case == "unknown category":
        table = table.set_column(3, "plan", pa.array(["gold"] * 3 + ["pro"] * 27))
    elif case == "duplicate id":
        table = table.set_column(0, "sample_id", pa.array(sample_ids[:29] + sample_ids[:1]))
    elif case == "bad timestamp":
        table = table.set_column(1, "timestamp", pa.array(["yesterday"] + ["2024-01-01"] * 29))
    elif case == "unknown column":
        table = table.append_column("colour", pa.array(["red"] * 30))
    job = failed_job(client, client.add_historical_data(task.task_id, table))
    assert job.error.reason == "BATCH_INVALID"
    problem = problems_of(job)[code]
    assert problem["column"] == column
    if code not in ("COLUMN_MISSING", "COLUMN_NOT_IN_SCHEMA"):  # those concern no row
        assert problem["rows"] and problem["values"], problem
    batch = client.get_batch([b for b in client.get_batches(task.task_id)
                              if b.ingestion_job_id == job.job_id][0].batch_id)
    assert batch.state == FAILED
    assert code in {p.code for p in batch.problems}
    assert batch.failure_message
    with fails(driftline.FailedPreconditionError, "BATCH_NOT_COMMITTED"):
        client.read_batch(batch.batch_id)
    stored = client.read_samples(task.task_id)
    assert not set(stored["sample_id"].to_pylist()) & set(sample_ids)


def test_samples_already_stored_and_unknown_targets_are_refused(task):
    client = task.client
    sample_ids = ids("once", 20)
    committed_batch(client, client.add_historical_data(task.task_id, inputs(sample_ids)))
    job = failed_job(client, client.add_production_data(
        task.task_id, inputs(sample_ids[15:] + ids("new", 5))))
    problem = problems_of(job)["SAMPLE_ALREADY_STORED"]
    assert problem["values"] == sample_ids[15:]
    assert problem["rows"] == [0, 1, 2, 3, 4]
    assert not set(client.read_samples(task.task_id)["sample_id"].to_pylist()) & set(
        ids("new", 5))  # the clean rows of a refused batch are not stored either

    job = failed_job(client, client.add_target_data(task.task_id, target(["ghost-1"] + sample_ids[:2])))
    assert problems_of(job)["SAMPLE_NOT_FOUND"]["values"] == ["ghost-1"]
    committed_batch(client, client.add_target_data(task.task_id, target(sample_ids[:2])))
    job = failed_job(client, client.add_target_data(task.task_id, target(sample_ids[:1])))
    assert problems_of(job)["TARGET_ALREADY_STORED"]["values"] == sample_ids[:1]


def test_upload_refusals_answer_at_once(owner, project_id, task):
    no_schema = owner.create_task(project_id=project_id, name="bare", tags=[],
                                  task_type=REGRESSION, data_structure=TABULAR)
    with fails(driftline.FailedPreconditionError, "DATA_SCHEMA_REQUIRED") as caught:
        owner.add_historical_data(no_schema, inputs(ids("x", 3)))
    assert "CreateDataSchema" in caught.value.error_message
    with fails(driftline.InvalidArgumentError, "MODEL_NOT_FOUND", "part[1].model_id"):
        owner.add_historical_data(task.task_id, inputs(ids("y", 3)),
                                  predictions=[("0" * 32, predictions(ids("y", 3)))])
    with fails(driftline.NotFoundError, "TASK_NOT_FOUND"):
        owner.add_historical_data("f" * 32, inputs(ids("z", 3)))


def test_raw_stream_protocol_errors(company, task):
    """What other languages' clients get when they send a malformed stream."""
    from driftline.data.v1 import data_service_pb2 as pb, data_service_pb2_grpc

    channel = grpc.insecure_channel(company.owner.stubs.target)
    stub = data_service_pb2_grpc.DataServiceStub(channel)
    metadata = company.owner.stubs.metadata
    header = pb.UploadBatchRequest(header=pb.UploadHeader(
        task_id=task.task_id, kind=batch_pb2.BATCH_KIND_HISTORICAL))
    part = pb.UploadBatchRequest(part=pb.PartHeader(
        kind=batch_pb2.PART_KIND_INPUTS, format=batch_pb2.DATA_FORMAT_CSV, size_bytes=100))
    cases = {
        "HEADER_REQUIRED": [part],
        "PART_HEADER_REQUIRED": [header, pb.UploadBatchRequest(chunk=b"abc")],
        "PART_SIZE_MISMATCH": [header, part, pb.UploadBatchRequest(chunk=b"a,b\n")],
        "PART_MISSING": [header],
        "PART_NOT_ALLOWED": [header, pb.UploadBatchRequest(part=pb.PartHeader(
            kind=batch_pb2.PART_KIND_KPI, format=batch_pb2.DATA_FORMAT_CSV))],
    }
    try:
        for reason, messages in cases.items():
            with pytest.raises(grpc.RpcError) as caught:
                stub.UploadBatch(iter(messages), metadata=metadata, timeout=30)
            assert_error(driftline.errors.from_rpc_error(caught.value),
                         grpc.StatusCode.INVALID_ARGUMENT, reason)
    finally:
        channel.close()


def test_upload_cut_off_mid_stream_leaves_nothing(company, task, server):
    """The client goes away after some chunks: no batch, and no staged bytes left behind."""
    from driftline.data.v1 import data_service_pb2 as pb, data_service_pb2_grpc

    staging = server.data_dir / "data" / "staging"
    before = set(staging.iterdir()) if staging.exists() else set()
    channel = grpc.insecure_channel(company.owner.stubs.target)
    stub = data_service_pb2_grpc.DataServiceStub(channel)

    def messages():
        yield pb.UploadBatchRequest(header=pb.UploadHeader(
            task_id=task.task_id, kind=batch_pb2.BATCH_KIND_PRODUCTION, request_id="cut-off"))
        yield pb.UploadBatchRequest(part=pb.PartHeader(
            kind=batch_pb2.PART_KIND_INPUTS, format=batch_pb2.DATA_FORMAT_CSV))
        for _ in range(5):
            yield pb.UploadBatchRequest(chunk=b"x" * 1_000_000)
        raise RuntimeError("the client crashed")  # the call is cancelled mid-stream

    try:
        with pytest.raises(grpc.RpcError) as caught:
            stub.UploadBatch(messages(), metadata=company.owner.stubs.metadata, timeout=30)
        assert caught.value.code() in (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNKNOWN)
    finally:
        channel.close()
    import time

    deadline = time.monotonic() + 10
    while (set(staging.iterdir()) if staging.exists() else set()) - before:
        assert time.monotonic() < deadline, "staged bytes of a cut-off upload were left behind"
        time.sleep(0.1)
    assert not [b for b in task.client.get_batches(task.task_id) if b.request_id == "cut-off"]


def test_rag_batches_need_the_model_output(owner, project_id):
    from driftline.catalog.v1 import data_schema_pb2 as ds, task_pb2

    task_id = owner.create_task(project_id=project_id, name="assistant", tags=[],
                                task_type=task_pb2.TASK_TYPE_RAG,
                                data_structure=task_pb2.DATA_STRUCTURE_TEXT,
                                text_language="ENGLISH", rag_contexts_separator="||")
    model_id = owner.create_model(task_id=task_id, name="llm", version="1",
                                  with_probabilistic_output=False, metric_name=None)
    schema = owner.get_data_schema_template(task_id)  # it has the model's output column
    (answer,) = [c.name for c in schema.columns if c.role == ds.COLUMN_ROLE_PREDICTION]
    owner.add_data_schema(task_id, schema)
    sample_ids = ids("rag", 4)
    questions = pa.table({"sample_id": sample_ids, "timestamp": [START + i for i in range(4)],
                          "user_input": ["how do I reset my password?"] * 4,
                          "retrieved_context": ["Settings > Security||Reset link by email"] * 4})
    with fails(driftline.InvalidArgumentError, "PREDICTIONS_REQUIRED"):
        owner.add_production_data(task_id, questions)
    answers = pa.table({"sample_id": sample_ids, answer: ["Use the reset link."] * 4})
    batch = committed_batch(owner, owner.add_production_data(
        task_id, questions, predictions=[(model_id, answers)]))
    assert owner.read_batch(batch.batch_id)[answer].to_pylist() == ["Use the reset link."] * 4
