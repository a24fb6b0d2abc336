"""DataService's messages (batches, their parts and problems, data summaries) to the client's
results and back: ``<message>_from_proto`` and ``<message>_to_proto`` for each."""

from __future__ import annotations

from driftline.conversions._common import text_or_none, to_datetime, to_timestamp
from driftline.data.v1 import batch_pb2
from driftline.enums import BatchKind, BatchState, DataFormat, PartKind, enum_member
from driftline.types.data import Batch, BatchPart, BatchProblem, DataSummary, KindSummary


def batch_part_from_proto(message: batch_pb2.BatchPart) -> BatchPart:
    return BatchPart(
        kind=enum_member(PartKind, message.kind),
        model_id=text_or_none(message.model_id),
        format=enum_member(DataFormat, message.format),
        size_bytes=message.size_bytes,
    )


def batch_part_to_proto(part: BatchPart) -> batch_pb2.BatchPart:
    return batch_pb2.BatchPart(kind=part.kind, model_id=part.model_id or "", format=part.format,
                               size_bytes=part.size_bytes)


def batch_problem_from_proto(message: batch_pb2.BatchProblem) -> BatchProblem:
    return BatchProblem(
        code=message.code,
        column=text_or_none(message.column),
        part=enum_member(PartKind, message.part) if message.part else None,
        model_id=text_or_none(message.model_id),
        message=message.message,
        rows=list(message.rows),
        values=list(message.values),
        row_count=message.row_count,
    )


def batch_problem_to_proto(problem: BatchProblem) -> batch_pb2.BatchProblem:
    return batch_pb2.BatchProblem(
        code=problem.code,
        column=problem.column or "",
        part=problem.part or 0,
        model_id=problem.model_id or "",
        message=problem.message,
        rows=problem.rows,
        values=problem.values,
        row_count=problem.row_count,
    )


def batch_from_proto(message: batch_pb2.Batch) -> Batch:
    return Batch(
        batch_id=message.id,
        task_id=text_or_none(message.task_id),
        project_id=message.project_id,
        kpi_id=text_or_none(message.kpi_id),
        kind=enum_member(BatchKind, message.kind),
        state=enum_member(BatchState, message.state),
        ingestion_job_id=message.ingestion_job_id,
        parts=[batch_part_from_proto(part) for part in message.parts],
        schema_version=message.schema_version or None,
        row_count=message.row_count,
        first_sample_datetime=to_datetime(message.first_sample_time),
        last_sample_datetime=to_datetime(message.last_sample_time),
        stored_bytes=message.stored_bytes,
        problems=[batch_problem_from_proto(problem) for problem in message.problems],
        failure_message=text_or_none(message.failure_message),
        request_id=text_or_none(message.request_id),
        creator_id=text_or_none(message.creator_id),
        creation_datetime=to_datetime(message.create_time),
        finish_datetime=to_datetime(message.finish_time),
        labelled_batch_ids=list(message.labelled_batch_ids),
    )


def batch_to_proto(batch: Batch) -> batch_pb2.Batch:
    return batch_pb2.Batch(
        id=batch.batch_id,
        task_id=batch.task_id or "",
        project_id=batch.project_id,
        kpi_id=batch.kpi_id or "",
        kind=batch.kind,
        state=batch.state,
        ingestion_job_id=batch.ingestion_job_id,
        parts=[batch_part_to_proto(part) for part in batch.parts],
        schema_version=batch.schema_version or 0,
        row_count=batch.row_count,
        first_sample_time=to_timestamp(batch.first_sample_datetime),
        last_sample_time=to_timestamp(batch.last_sample_datetime),
        stored_bytes=batch.stored_bytes,
        problems=[batch_problem_to_proto(problem) for problem in batch.problems],
        failure_message=batch.failure_message or "",
        request_id=batch.request_id or "",
        creator_id=batch.creator_id or "",
        create_time=to_timestamp(batch.creation_datetime),
        finish_time=to_timestamp(batch.finish_datetime),
        labelled_batch_ids=batch.labelled_batch_ids,
    )


def kind_summary_from_proto(message: batch_pb2.KindSummary) -> KindSummary:
    return KindSummary(
        kind=enum_member(BatchKind, message.kind),
        batch_count=message.batch_count,
        row_count=message.row_count,
        first_sample_datetime=to_datetime(message.first_sample_time),
        last_sample_datetime=to_datetime(message.last_sample_time),
    )


def kind_summary_to_proto(summary: KindSummary) -> batch_pb2.KindSummary:
    return batch_pb2.KindSummary(
        kind=summary.kind,
        batch_count=summary.batch_count,
        row_count=summary.row_count,
        first_sample_time=to_timestamp(summary.first_sample_datetime),
        last_sample_time=to_timestamp(summary.last_sample_datetime),
    )


def data_summary_from_proto(message: batch_pb2.DataSummary) -> DataSummary:
    return DataSummary(
        task_id=message.task_id,
        kinds=[kind_summary_from_proto(kind) for kind in message.kinds],
        pending_batch_count=message.pending_batch_count,
        failed_batch_count=message.failed_batch_count,
        labelled_sample_count=message.labelled_sample_count,
    )


def data_summary_to_proto(summary: DataSummary) -> batch_pb2.DataSummary:
    return batch_pb2.DataSummary(
        task_id=summary.task_id,
        kinds=[kind_summary_to_proto(kind) for kind in summary.kinds],
        pending_batch_count=summary.pending_batch_count,
        failed_batch_count=summary.failed_batch_count,
        labelled_sample_count=summary.labelled_sample_count,
    )
