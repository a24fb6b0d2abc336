"""JobsService's messages to the client's results and back, one pair per message."""

from __future__ import annotations

from driftline.conversions._common import (
    text_or_none,
    to_datetime,
    to_struct,
    to_timestamp,
)
from driftline.conversions._json import struct_to_dict
from driftline.enums import JobEventType, JobStatus, enum_member
from driftline.jobs.v1 import job_pb2
from driftline.types.jobs import (
    DetectionResult,
    DiagnosticsResult,
    Job,
    JobError,
    JobEvent,
    JobProgress,
)


def job_progress_from_proto(message: job_pb2.JobProgress) -> JobProgress:
    return JobProgress(fraction=message.fraction, message=message.message)


def job_progress_to_proto(progress: JobProgress) -> job_pb2.JobProgress:
    return job_pb2.JobProgress(fraction=progress.fraction, message=progress.message)


def job_error_from_proto(message: job_pb2.JobError) -> JobError:
    return JobError(reason=message.reason, message=message.message,
                    details=struct_to_dict(message.details) if message.HasField("details") else None)


def job_error_to_proto(error: JobError) -> job_pb2.JobError:
    return job_pb2.JobError(reason=error.reason, message=error.message,
                            details=to_struct(error.details))


def diagnostics_result_from_proto(message: job_pb2.DiagnosticsResult) -> DiagnosticsResult:
    return DiagnosticsResult(steps_completed=message.steps_completed, attempt=message.attempt,
                             worker_host=message.worker_host,
                             worker_address=message.worker_address)


def diagnostics_result_to_proto(result: DiagnosticsResult) -> job_pb2.DiagnosticsResult:
    return job_pb2.DiagnosticsResult(steps_completed=result.steps_completed,
                                     attempt=result.attempt, worker_host=result.worker_host,
                                     worker_address=result.worker_address)


def detection_result_from_proto(message: job_pb2.DetectionResult) -> DetectionResult:
    return DetectionResult(batch_id=message.batch_id, kind=message.kind,
                           model_count=message.model_count, event_count=message.event_count,
                           sample_count=message.sample_count)


def detection_result_to_proto(result: DetectionResult) -> job_pb2.DetectionResult:
    return job_pb2.DetectionResult(batch_id=result.batch_id, kind=result.kind,
                                   model_count=result.model_count,
                                   event_count=result.event_count,
                                   sample_count=result.sample_count)


# The `result` oneof: its field, and that field's pair of conversions.
_RESULTS = {
    "diagnostics_result": (diagnostics_result_from_proto, diagnostics_result_to_proto),
    "detection_result": (detection_result_from_proto, detection_result_to_proto),
}


def _error(message) -> JobError | None:
    return job_error_from_proto(message.error) if message.HasField("error") else None


def job_from_proto(message: job_pb2.Job) -> Job:
    chosen = message.WhichOneof("result")
    result = {chosen: _RESULTS[chosen][0](getattr(message, chosen))} if chosen else {}
    return Job(
        job_id=message.id, job_group=message.type,
        status=enum_member(JobStatus, message.status),
        project_id=text_or_none(message.project_id), task_id=text_or_none(message.task_id),
        model_id=text_or_none(message.model_id),
        project_name=text_or_none(message.project_name),
        task_name=text_or_none(message.task_name), model_name=text_or_none(message.model_name),
        error=_error(message),
        progress=job_progress_from_proto(message.progress),
        company_id=text_or_none(message.company_id),
        creation_datetime=to_datetime(message.create_time), start_datetime=to_datetime(message.start_time),
        finish_datetime=to_datetime(message.finish_time), attempt=message.attempt,
        max_attempts=message.max_attempts, last_sequence=message.last_sequence,
        cancel_requested=message.cancel_requested, **result,
    )


def job_to_proto(job: Job) -> job_pb2.Job:
    result = {field: convert[1](getattr(job, field))
              for field, convert in _RESULTS.items() if getattr(job, field) is not None}
    return job_pb2.Job(
        id=job.job_id, type=job.job_group, status=int(job.status),
        project_id=job.project_id or "", task_id=job.task_id or "",
        model_id=job.model_id or "", project_name=job.project_name or "",
        task_name=job.task_name or "", model_name=job.model_name or "",
        error=job_error_to_proto(job.error) if job.error is not None else None,
        progress=job_progress_to_proto(job.progress), company_id=job.company_id or "",
        create_time=to_timestamp(job.creation_datetime), start_time=to_timestamp(job.start_datetime),
        finish_time=to_timestamp(job.finish_datetime), attempt=job.attempt,
        max_attempts=job.max_attempts, last_sequence=job.last_sequence,
        cancel_requested=job.cancel_requested, **result,
    )


def job_event_from_proto(message: job_pb2.JobEvent) -> JobEvent:
    return JobEvent(
        sequence=message.sequence, event_type=enum_member(JobEventType, message.type),
        job_id=message.job_id, job_group=message.job_type,
        status=enum_member(JobStatus, message.status),
        progress=job_progress_from_proto(message.progress), error=_error(message),
        attempt=message.attempt, message=message.message,
        event_datetime=to_datetime(message.event_time), company_id=text_or_none(message.company_id),
        project_id=text_or_none(message.project_id), task_id=text_or_none(message.task_id),
        model_id=text_or_none(message.model_id),
    )


def job_event_to_proto(event: JobEvent) -> job_pb2.JobEvent:
    return job_pb2.JobEvent(
        sequence=event.sequence, type=int(event.event_type), job_id=event.job_id,
        job_type=event.job_group, status=int(event.status),
        progress=job_progress_to_proto(event.progress),
        error=job_error_to_proto(event.error) if event.error is not None else None,
        attempt=event.attempt, message=event.message,
        event_time=to_timestamp(event.event_datetime), company_id=event.company_id or "",
        project_id=event.project_id or "", task_id=event.task_id or "",
        model_id=event.model_id or "",
    )
