"""Jobs' protobuf <-> domain conversions, all in one place."""

from __future__ import annotations

from functools import lru_cache

from google.protobuf import json_format, struct_pb2

from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb
from driftline_server.jobs.domain import JobDraft, JobFilter, JobNames
from driftline_server.jobs.events import JobEvent
from driftline_server.jobs.models import JobRow
from driftline_server.jobs.vocabulary import EventType, JobStatus
from driftline_server.platform.clock import to_timestamp
from driftline_server.platform.clock import as_utc
from driftline_server.platform.errors import InvalidArgument

# Job type -> the Job.result field holding its typed result.
RESULT_FIELDS = {"diagnostics": "diagnostics_result", "detect_drift": "detection_result"}


def status_to_proto(status: JobStatus) -> int:
    return job_pb2.JobStatus.Value(f"JOB_STATUS_{status.value}")


def status_from_proto(value: int, field: str) -> JobStatus:
    if value == job_pb2.JOB_STATUS_UNSPECIFIED or value not in job_pb2.JobStatus.values():
        raise InvalidArgument.for_field(field, "must be a JobStatus other than UNSPECIFIED")
    return JobStatus(job_pb2.JobStatus.Name(value).removeprefix("JOB_STATUS_"))


def event_type_to_proto(event_type: EventType) -> int:
    return job_pb2.JobEventType.Value(f"JOB_EVENT_TYPE_{event_type.value}")


def _error(reason: str | None, message: str | None, details: dict | None = None
           ) -> job_pb2.JobError | None:
    if not reason:
        return None
    error = job_pb2.JobError(reason=reason, message=message or "")
    if details:
        error.details.update(details)
    return error


def job_to_proto(job: JobRow, names: JobNames | None = None) -> job_pb2.Job:
    """The job, with the names of what it concerns when ``names`` has them (Jobs.names)."""
    status = JobStatus(job.status)
    names = names or JobNames()
    message = job_pb2.Job(
        id=job.id, type=job.type, status=status_to_proto(status),
        progress=job_pb2.JobProgress(fraction=job.progress_fraction,
                                     message=job.progress_message),
        error=(_error(job.error_reason, job.error_message, job.error_details)
               if status is JobStatus.FAILED else None),
        company_id=job.company_id, project_id=job.project_id or "", task_id=job.task_id or "",
        model_id=job.model_id or "", create_time=to_timestamp(job.create_time),
        start_time=to_timestamp(job.start_time), finish_time=to_timestamp(job.finish_time),
        attempt=job.attempt, max_attempts=job.max_attempts, last_sequence=job.last_sequence,
        cancel_requested=job.cancel_requested, project_name=names.project,
        task_name=names.task, model_name=names.model,
    )
    field = RESULT_FIELDS.get(job.type)
    if field and status is JobStatus.COMPLETED and job.result is not None:
        json_format.ParseDict(job.result, getattr(message, field), ignore_unknown_fields=True)
    return message


@lru_cache(maxsize=8192)
def event_to_proto(event: JobEvent) -> job_pb2.JobEvent:
    """Cached: with many watchers, each event is converted once, not once per stream."""
    return job_pb2.JobEvent(
        sequence=event.sequence, type=event_type_to_proto(event.event_type),
        job_id=event.job_id, job_type=event.job_type,
        status=(status_to_proto(event.status)
                if event.event_type is not EventType.HEARTBEAT else job_pb2.JOB_STATUS_UNSPECIFIED),
        progress=job_pb2.JobProgress(fraction=event.progress_fraction,
                                     message=event.progress_message),
        error=_error(event.error_reason, event.error_message), attempt=event.attempt,
        message=event.message, event_time=to_timestamp(event.event_time),
        company_id=event.company_id, project_id=event.project_id or "",
        task_id=event.task_id or "", model_id=event.model_id or "",
    )


def filter_from_proto(message: pb.JobFilter) -> JobFilter:
    return JobFilter(
        project_id=message.project_id or None, task_id=message.task_id or None,
        model_id=message.model_id or None,
        statuses=frozenset(
            status_from_proto(value, f"filter.statuses[{index}]")
            for index, value in enumerate(message.statuses)
        ),
        types=frozenset(t for t in message.types if t),
    )


def struct_to_dict(message: struct_pb2.Struct) -> dict:
    return json_format.MessageToDict(message)


def draft_from_proto(request: pb.SubmitJobRequest) -> JobDraft:
    return JobDraft(
        type=request.type, arguments=struct_to_dict(request.arguments),
        company_id=request.company_id, project_id=request.project_id or None,
        task_id=request.task_id or None, model_id=request.model_id or None,
        max_attempts=request.max_attempts, request_id=request.request_id or None,
        schedule_time=(as_utc(request.schedule_time.ToDatetime())
                       if request.HasField("schedule_time") else None),
        enforce_plan_limit=request.enforce_plan_limit,
    )


def diagnostics_arguments(request: pb.SubmitDiagnosticsJobRequest) -> dict:
    """The diagnostics handler's arguments, checked."""
    steps = request.steps or 5
    step_seconds = (request.step_duration.ToTimedelta().total_seconds()
                    if request.HasField("step_duration") else 0.2)
    if not 1 <= steps <= 1000:
        raise InvalidArgument.for_field("steps", "must be between 1 and 1000")
    if not 0 <= step_seconds <= 60:
        raise InvalidArgument.for_field("step_duration", "must be between 0 and 60 seconds")
    if not 0 <= request.transient_failures <= 10:
        raise InvalidArgument.for_field("transient_failures", "must be between 0 and 10")
    return {
        "steps": steps, "step_seconds": step_seconds, "fail": request.fail,
        "failure_message": request.failure_message[:500],
        "transient_failures": request.transient_failures,
    }
