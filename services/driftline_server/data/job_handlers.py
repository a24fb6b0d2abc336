"""Data's job type: "ingest_batch", which validates a staged upload against the task's schema,
writes its Parquet file and has DataService commit it (or fail it with what was wrong).

The handler runs on a Dask worker and reaches DataService over gRPC only; it is idempotent: a
re-run of a committed batch does nothing, a re-run after a crash writes the file again.

The file of a CUSTOMER project's batch goes to the project's bucket (``batch_storage`` in the
arguments); its credentials come from IdentityService when the job runs, never through the job's
arguments, which are stored in plain text. A bucket that refuses them fails the batch at once
(no retry can change that answer); a passing outage is retried as any other error.
"""

from __future__ import annotations

import time

import grpc

from driftline_server.data.vocabulary import INGESTION_JOB
from driftline_server.jobs.registry import job_handler
from driftline_server.jobs.worker import (
    JobCancelled,
    JobContext,
    JobFailure,
    JobsServiceUnreachable,
    JobSuperseded,
)

def _throttled(context: JobContext, share: float, every_seconds: float = 0.5):
    """Progress reports at most every ``every_seconds`` (each is a call to JobsService); a
    report answers whether the job was cancelled, so it also serves as the cancellation check."""
    last = [0.0]

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= every_seconds:
            last[0] = now
            context.report_progress(fraction * share, message)

    return report


@job_handler(INGESTION_JOB)
def ingest_batch_job(arguments: dict, context: JobContext) -> dict:
    """Validate, write and commit one staged batch (see the module's docstring)."""
    try:
        return _ingest(arguments, context)
    except (JobFailure, JobCancelled, JobSuperseded, JobsServiceUnreachable):
        raise  # the batch was decided, or the attempt is not over
    except Exception as error:
        if context.attempt >= context.max_attempts:
            _fail_last_attempt(arguments["batch_id"], context, error)
        raise  # the engine runs the job again, or ends it FAILED after its last attempt


def _fail_last_attempt(batch_id: str, context: JobContext, error: Exception) -> None:
    """The job's last attempt failed: the batch ends FAILED with it, instead of waiting PENDING
    for the next recovery pass. Best effort: recovery covers a DataService that is down."""
    from driftline.data.v1 import data_service_pb2 as pb, data_service_pb2_grpc

    message = (f"the ingestion failed on its last attempt ({context.attempt}): "
               f"{type(error).__name__}: {error}")[:2000]
    try:
        data = data_service_pb2_grpc.DataServiceStub(context.channel("data"))
        context.call(data.FailBatch, pb.FailBatchRequest(batch_id=batch_id, failure_message=message))
    except grpc.RpcError:
        pass


def _ingest(arguments: dict, context: JobContext) -> dict:
    from driftline.data.v1 import batch_pb2, data_service_pb2 as pb, data_service_pb2_grpc
    from driftline_server.data.conversions import problem_to_proto
    from driftline_server.data.ingestion import BatchRefused, StagedPart, ingest_batch
    from driftline_server.data.reading import schema_columns
    from driftline_server.data.storage import BatchStorage, ingestion_filesystem, refused_access

    batch_id = arguments["batch_id"]
    data = data_service_pb2_grpc.DataServiceStub(context.channel("data"))
    batch = context.call(data.GetBatch, pb.GetBatchRequest(batch_id=batch_id)).batch
    if batch.state == batch_pb2.BATCH_STATE_COMMITTED:  # a re-run after the commit
        return {"batch_id": batch_id, "row_count": batch.row_count}

    def refuse(message: str, problems: list[dict]) -> JobFailure:
        return JobFailure("BATCH_INVALID", message, {"batch_id": batch_id, "problems": problems})

    if batch.state == batch_pb2.BATCH_STATE_FAILED:
        from driftline_server.data.conversions import problem_from_proto

        raise refuse(batch.failure_message, [problem_from_proto(p) for p in batch.problems])

    def fail(reason: str, message: str) -> JobFailure:
        """Fail the batch (nothing of it is kept) and the job, for a reason of its storage."""
        context.call(data.FailBatch, pb.FailBatchRequest(batch_id=batch_id, failure_message=message))
        return JobFailure(reason, message, {"batch_id": batch_id})

    staging = BatchStorage(arguments["storage"])
    output = arguments["output"]
    storage, described = staging, ""
    if arguments.get("batch_storage"):  # a CUSTOMER project's bucket
        storage, described = _customer_storage(arguments, context, fail)
    try:
        # A cheap request first: wrong credentials fail the batch before any validation.
        storage.filesystem.get_file_info(output)
        storage.make_folder(output.rsplit("/", 1)[0])
    except OSError as error:
        if described and refused_access(error):
            raise fail("BATCH_STORAGE_REFUSED", _refusal(described, error)) from None
        raise
    context.report_progress(0.0, "validating the upload")
    try:
        ingest_batch(
            kind=arguments["kind"], columns=schema_columns(arguments["columns"]),
            task_type=arguments.get("task_type", ""),
            task_model_ids=set(arguments.get("model_ids", [])),
            parts=[StagedPart(kind=part["kind"], path=part["path"], format=part["format"],
                              model_id=part.get("model_id", ""))
                   for part in arguments["parts"]],
            filesystem=ingestion_filesystem(staging, storage, output), output_path=output,
            report_progress=_throttled(context, 0.9),
        )
    except BatchRefused as refused:
        problems = [problem.to_dict() for problem in refused.problems]
        context.call(data.FailBatch, pb.FailBatchRequest(
            batch_id=batch_id, failure_message=refused.message,
            problems=[problem_to_proto(problem) for problem in problems]))
        raise refuse(refused.message, problems) from None
    except JobCancelled:
        context.call(data.FailBatch, pb.FailBatchRequest(
            batch_id=batch_id, failure_message="the ingestion job was cancelled"))
        raise
    except OSError as error:
        if described and refused_access(error):
            raise fail("BATCH_STORAGE_REFUSED", _refusal(described, error)) from None
        raise  # a passing outage: the engine runs the job again
    context.report_progress(0.9, "committing")
    batch = context.call(data.CommitBatch, pb.CommitBatchRequest(batch_id=batch_id)).batch
    if batch.state == batch_pb2.BATCH_STATE_FAILED:
        from driftline_server.data.conversions import problem_from_proto

        problems = [problem_from_proto(p) for p in batch.problems]
        plan = next((p for p in problems if p["code"] == "PLAN_LIMIT_REACHED"), None)
        if plan is not None:  # the plan's max_stored_bytes: the job fails with the plan's words
            facts = dict(value.split("=", 1) for value in plan["values"] if "=" in value)
            raise JobFailure("PLAN_LIMIT_REACHED", batch.failure_message,
                             {"batch_id": batch_id, **facts})
        raise refuse(batch.failure_message, problems)
    return {"batch_id": batch_id, "row_count": batch.row_count}


def _refusal(described: str, error: OSError) -> str:
    return (f"{described} refused access ({error}): correct the credentials, or make working "
            "ones the project's default, and upload the data again")


def _customer_storage(arguments: dict, context: JobContext, fail):
    """The project's bucket, with the credentials Identity gives for it now, and how to name
    them in a message (never with their secret)."""
    from driftline_server.data.storage import BatchStorage, S3Access
    from driftline_server.identity.remote import resolve_storage_credentials

    root = arguments["batch_storage"]
    project_id = arguments.get("project_id") or context.project_id
    credentials = context.retrying(lambda: resolve_storage_credentials(
        context.channel("identity"), context.metadata, project_id))
    if credentials is None:
        raise fail("STORAGE_CREDENTIALS_REQUIRED",
                   f"project '{project_id}' keeps its data in {root} but has no default "
                   "integration credentials (AWS_COMPATIBLE or AWS) to reach it any more: create "
                   "them with default=True and upload the data again")
    described = (f"the project's storage {root}, with the integration credentials "
                 f"'{credentials.name}' ({credentials.type.value}, id "
                 f"{credentials.credentials_id}),")
    return BatchStorage(root, S3Access.from_credentials(credentials)), described
