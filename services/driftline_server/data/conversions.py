"""Protobuf <-> data domain, in one place: enums by name, rows to messages, requests to values."""

from __future__ import annotations


from driftline.data.v1 import batch_pb2, data_service_pb2 as pb
from driftline_server.data.models import BatchRow
from driftline_server.data.vocabulary import (
    BatchKind,
    BatchState,
    DataFormat,
    PartKind,
    PartStart,
    UploadHeader,
)
from driftline_server.platform.clock import to_timestamp
from driftline_server.platform.enums import ProtoEnums

_ENUMS = ProtoEnums({
    BatchKind: batch_pb2.BatchKind,
    BatchState: batch_pb2.BatchState,
    PartKind: batch_pb2.PartKind,
    DataFormat: batch_pb2.DataFormat,
})
enum_from_proto = _ENUMS.from_proto
enums_from_proto = _ENUMS.many_from_proto
enum_to_proto = _ENUMS.to_proto


def header_from_proto(header: pb.UploadHeader) -> UploadHeader:
    return UploadHeader(
        kind=enum_from_proto(BatchKind, header.kind, "header.kind"),
        task_id=header.task_id.strip(), project_id=header.project_id.strip(),
        kpi_id=header.kpi_id.strip(), request_id=header.request_id.strip(),
    )


def part_from_proto(part: pb.PartHeader) -> PartStart:
    return PartStart(
        kind=enum_from_proto(PartKind, part.kind, "part.kind"),
        data_format=enum_from_proto(DataFormat, part.format, "part.format"),
        model_id=part.model_id.strip(), size_bytes=part.size_bytes,
    )


def problem_to_proto(problem: dict) -> batch_pb2.BatchProblem:
    return batch_pb2.BatchProblem(
        code=problem.get("code", ""), column=problem.get("column", ""),
        part=enum_to_proto(PartKind, problem.get("part") or None),
        model_id=problem.get("model_id", ""), message=problem.get("message", ""),
        rows=problem.get("rows", []), values=[str(v) for v in problem.get("values", [])],
        row_count=problem.get("row_count", 0),
    )


def _part_name(value: int) -> str:
    part = enum_from_proto(PartKind, value, "problems.part")
    return part.value if part else ""


def problem_from_proto(problem: batch_pb2.BatchProblem) -> dict:
    return {
        "code": problem.code, "column": problem.column,
        "part": _part_name(problem.part),
        "model_id": problem.model_id, "message": problem.message, "rows": list(problem.rows),
        "values": list(problem.values), "row_count": problem.row_count,
    }


def batch_to_proto(batch: BatchRow) -> batch_pb2.Batch:
    return batch_pb2.Batch(
        id=batch.id, task_id=batch.task_id or "", project_id=batch.project_id,
        kpi_id=batch.kpi_id or "", kind=enum_to_proto(BatchKind, batch.kind),
        state=enum_to_proto(BatchState, batch.state),
        ingestion_job_id=batch.ingestion_job_id or "",
        parts=[batch_pb2.BatchPart(kind=enum_to_proto(PartKind, part["kind"]),
                                   model_id=part.get("model_id", ""),
                                   format=enum_to_proto(DataFormat, part["format"]),
                                   size_bytes=part.get("size_bytes", 0))
               for part in batch.parts],
        schema_version=batch.schema_version, row_count=batch.row_count,
        first_sample_time=to_timestamp(batch.first_sample_time),
        last_sample_time=to_timestamp(batch.last_sample_time),
        stored_bytes=batch.stored_bytes,
        problems=[problem_to_proto(problem) for problem in batch.problems or []],
        failure_message=batch.failure_message, request_id=batch.request_id or "",
        creator_id=batch.creator_id, create_time=to_timestamp(batch.create_time),
        finish_time=to_timestamp(batch.finish_time),
        labelled_batch_ids=batch.labelled_batches or [],
    )


def summary_to_proto(summary: dict) -> batch_pb2.DataSummary:
    return batch_pb2.DataSummary(
        task_id=summary["task_id"],
        kinds=[batch_pb2.KindSummary(
            kind=enum_to_proto(BatchKind, kind["kind"]), batch_count=kind["batch_count"],
            row_count=kind["row_count"], first_sample_time=to_timestamp(kind["first_sample_time"]),
            last_sample_time=to_timestamp(kind["last_sample_time"]),
        ) for kind in summary["kinds"]],
        pending_batch_count=summary["pending_batch_count"],
        failed_batch_count=summary["failed_batch_count"],
        labelled_sample_count=summary["labelled_sample_count"],
    )
