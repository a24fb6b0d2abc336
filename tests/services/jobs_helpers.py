"""Helpers of the Jobs suites: the internal credential of a test server, event histories."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import grpc
from google.protobuf import struct_pb2, timestamp_pb2

from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb, jobs_service_pb2_grpc

TERMINAL = {job_pb2.JOB_STATUS_COMPLETED, job_pb2.JOB_STATUS_FAILED, job_pb2.JOB_STATUS_CANCELLED}


class Internal:
    """JobsService with the suite's internal credential, as another service calls it."""

    def __init__(self, server):
        token = (server.data_dir / "internal.token").read_text().strip()
        self.metadata = (("authorization", f"Bearer {token}"),)
        self.channel = grpc.insecure_channel(server.address)
        self.stub = jobs_service_pb2_grpc.JobsServiceStub(self.channel)

    def submit(self, job_type: str = "diagnostics", arguments: dict | None = None,
               start_in: float | None = None, **fields) -> job_pb2.Job:
        args = struct_pb2.Struct()
        args.update(arguments or {"steps": 2, "step_seconds": 0.05})
        request = pb.SubmitJobRequest(type=job_type, arguments=args, **fields)
        if start_in is not None:
            stamp = timestamp_pb2.Timestamp()
            stamp.FromDatetime(datetime.now(timezone.utc) + timedelta(seconds=start_in))
            request.schedule_time.CopyFrom(stamp)
        return self.stub.SubmitJob(request, metadata=self.metadata, timeout=10).job

    def close(self) -> None:
        self.channel.close()


def statuses(events) -> list[int]:
    return [e.status for e in events if e.event_type == job_pb2.JOB_EVENT_TYPE_STATUS_CHANGED]


def assert_ordered_history(events) -> None:
    """Sequences strictly grow, and exactly one terminal status change ends the history."""
    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences)), sequences
    assert events[-1].status in TERMINAL
    assert sum(1 for e in events if e.status in TERMINAL
               and e.event_type == job_pb2.JOB_EVENT_TYPE_STATUS_CHANGED) == 1


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def watch_until(client, job_id: str, predicate, timeout: float = 15.0) -> list:
    """Events of the job until one satisfies ``predicate`` (the stream is then closed)."""
    seen = []
    for event in client.watch_job(job_id, timeout=timeout):
        seen.append(event)
        if predicate(event):
            return seen
    raise AssertionError(f"the job ended without the awaited event: {seen}")


class Collector(threading.Thread):
    """Runs ``watch()`` (an iterator) in a thread and keeps what it yields."""

    def __init__(self, watch, stop_when=lambda event: False):
        super().__init__(daemon=True)
        self._watch = watch
        self._stop_when = stop_when
        self.events: list = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for event in self._watch():
                self.events.append(event)
                if self._stop_when(event):
                    break
        except BaseException as error:  # reported by the test
            self.error = error
