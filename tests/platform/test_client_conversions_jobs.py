"""JobsService's conversions (driftline.conversions.jobs): every message the client's job
methods return survives the trip to its result and back, and Job carries the SDK's names."""

from __future__ import annotations

from datetime import timezone

import pytest

from conversions_helpers import assert_round_trip, filled
from driftline.conversions import jobs as convert
from driftline.enums import JobEventType, JobStatus
from driftline.jobs.v1 import job_pb2
from driftline.types import Job, JobEvent, Result

PAIRS = [
    (job_pb2.JobProgress, convert.job_progress_from_proto, convert.job_progress_to_proto),
    (job_pb2.JobError, convert.job_error_from_proto, convert.job_error_to_proto),
    (job_pb2.DiagnosticsResult, convert.diagnostics_result_from_proto,
     convert.diagnostics_result_to_proto),
    (job_pb2.DetectionResult, convert.detection_result_from_proto,
     convert.detection_result_to_proto),
    (job_pb2.JobEvent, convert.job_event_from_proto, convert.job_event_to_proto),
]

RESULTS = [field.name for field in job_pb2.Job.DESCRIPTOR.oneofs_by_name["result"].fields]


@pytest.mark.parametrize("message_type, from_proto, to_proto", PAIRS,
                         ids=[pair[0].__name__ for pair in PAIRS])
def test_every_message_survives_the_round_trip(message_type, from_proto, to_proto):
    message = filled(message_type)
    assert isinstance(from_proto(message), Result)
    assert_round_trip(message, from_proto, to_proto)


@pytest.mark.parametrize("choice", range(len(RESULTS)), ids=RESULTS)
def test_a_job_survives_the_round_trip_with_each_kind_of_result(choice):
    message = filled(job_pb2.Job, choice)
    job = convert.job_from_proto(message)
    assert [r for r in RESULTS if getattr(job, r) is not None] == [RESULTS[choice]]
    assert_round_trip(message, convert.job_from_proto, convert.job_to_proto)


def test_job_is_named_as_the_sdk_names_it():
    assert {"job_id", "job_group", "project_id", "project_name", "task_id", "task_name",
            "model_id", "model_name", "status", "error"} <= set(Job.model_fields)
    message = filled(job_pb2.Job)
    job = convert.job_from_proto(message)
    assert (job.job_id, job.job_group) == (message.id, message.type)
    assert (job.project_name, job.task_name, job.model_name) == (
        message.project_name, message.task_name, message.model_name)
    assert job.status is JobStatus.CANCELLED and job.status == job_pb2.JOB_STATUS_CANCELLED
    assert job.error.reason == message.error.reason
    assert job.error.details["key"] == "value" and job.error.details["nested"] == {"a": 1.0}
    assert job.creation_datetime.tzinfo is timezone.utc


def test_a_job_without_scope_or_error_has_nones():
    job = convert.job_from_proto(job_pb2.Job(id="j1", type="diagnostics",
                                             status=job_pb2.JOB_STATUS_RUNNING))
    assert job.project_id is job.task_id is job.model_id is job.error is None
    assert job.project_name is job.task_name is job.model_name is None
    assert job.start_datetime is None and job.diagnostics_result is None
    assert job.progress.fraction == 0.0
    assert convert.job_from_proto(job_pb2.Job(id="j2", status=42)).status == 42  # newer server


def test_events_name_their_type_and_group():
    assert {"sequence", "event_type", "job_id", "job_group", "status"} <= set(
        JobEvent.model_fields)
    event = convert.job_event_from_proto(job_pb2.JobEvent(
        sequence=7, type=job_pb2.JOB_EVENT_TYPE_PROGRESS, job_id="j1", job_type="ingest",
        status=job_pb2.JOB_STATUS_RUNNING, progress=job_pb2.JobProgress(fraction=0.5)))
    assert event.event_type is JobEventType.PROGRESS and event.job_group == "ingest"
    assert event.error is None and event.progress.fraction == 0.5
