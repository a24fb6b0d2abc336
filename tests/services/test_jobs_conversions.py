"""Jobs' protobuf conversions: every status and event type both ways, typed results, heartbeats
and the checks on submitted filters and diagnostics arguments."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from google.protobuf import duration_pb2

from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb
from driftline_server.jobs import conversions as convert
from driftline_server.jobs.events import JobEvent
from driftline_server.jobs.models import JobRow
from driftline_server.jobs.vocabulary import EventType, JobStatus
from driftline_server.platform.errors import InvalidArgument


@pytest.mark.parametrize("status", list(JobStatus))
def test_every_status_round_trips(status):
    value = convert.status_to_proto(status)
    assert value != job_pb2.JOB_STATUS_UNSPECIFIED
    assert convert.status_from_proto(value, "status") is status


def test_unspecified_or_unknown_statuses_are_invalid():
    for value in (job_pb2.JOB_STATUS_UNSPECIFIED, 99):
        with pytest.raises(InvalidArgument):
            convert.status_from_proto(value, "filter.statuses[0]")


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_event_type_has_its_proto_value(event_type):
    assert job_pb2.JobEventType.Name(convert.event_type_to_proto(event_type)).endswith(
        event_type.value
    )


def _job(**changes) -> JobRow:
    now = datetime.now(timezone.utc)
    values = dict(id="j1", type="diagnostics", status="COMPLETED", company_id="c1",
                  project_id="p1", arguments={}, result={"steps_completed": 3, "attempt": 2,
                                                         "worker_host": "h", "unknown": 1},
                  attempt=2, max_attempts=3, schedule_time=now, create_time=now,
                  update_time=now, finish_time=now, last_sequence=9, submit_sequence=1,
                  error_reason="X", error_message="y")
    values.update(changes)
    return JobRow(**values)


def test_a_completed_job_carries_its_typed_result_and_no_error():
    message = convert.job_to_proto(_job())
    assert message.WhichOneof("result") == "diagnostics_result"
    assert message.diagnostics_result.steps_completed == 3
    assert not message.HasField("error") and message.project_id == "p1"
    assert message.task_id == "" and message.last_sequence == 9


def test_a_failed_job_carries_its_error_and_no_result():
    message = convert.job_to_proto(_job(status="FAILED"))
    assert message.error.reason == "X" and message.error.message == "y"
    assert message.WhichOneof("result") is None


def test_a_heartbeat_has_no_job_and_no_status():
    message = convert.event_to_proto(JobEvent.heartbeat(42))
    assert message.type == job_pb2.JOB_EVENT_TYPE_HEARTBEAT and message.sequence == 42
    assert message.job_id == "" and message.status == job_pb2.JOB_STATUS_UNSPECIFIED


def test_filters_and_diagnostics_arguments_are_checked():
    job_filter = convert.filter_from_proto(pb.JobFilter(
        project_id="p", statuses=[job_pb2.JOB_STATUS_RUNNING], types=["diagnostics", ""]))
    assert job_filter.project_id == "p" and job_filter.task_id is None
    assert job_filter.statuses == {JobStatus.RUNNING} and job_filter.types == {"diagnostics"}
    assert convert.diagnostics_arguments(pb.SubmitDiagnosticsJobRequest()) == {
        "steps": 5, "step_seconds": 0.2, "fail": False, "failure_message": "",
        "transient_failures": 0,
    }
    for bad in (pb.SubmitDiagnosticsJobRequest(steps=1001),
                pb.SubmitDiagnosticsJobRequest(step_duration=duration_pb2.Duration(seconds=61)),
                pb.SubmitDiagnosticsJobRequest(transient_failures=11)):
        with pytest.raises(InvalidArgument):
            convert.diagnostics_arguments(bad)
