"""Several Jobs replicas on one PostgreSQL: a watcher on one replica sees at once (LISTEN/NOTIFY)
the jobs that run through the other, both engines share the queue, each job runs once, and a
job is cancelled through either replica. PostgreSQL leg only."""

from __future__ import annotations

import time

import pytest

import driftline
from driftline.jobs.v1 import job_pb2
from jobs_helpers import Collector, wait_for, watch_until
from replica_helpers import clients_fixture, needs_postgres, replicas_fixture  # noqa: F401

S = job_pb2

pytestmark = needs_postgres


def test_a_watcher_on_one_replica_sees_jobs_run_through_the_other(clients):
    owner_a, owner_b, project_id = clients
    after = max((job.last_sequence for job in owner_b.get_jobs()), default=0)
    lags = []

    def received():
        for event in owner_b.watch_jobs(project_id=project_id, after_sequence=after):
            lags.append(time.time() - event.event_datetime.timestamp())
            yield event

    watcher = Collector(received, stop_when=lambda e: e.status == S.JOB_STATUS_COMPLETED)
    watcher.start()
    job_id = owner_a.submit_diagnostics_job(project_id, steps=3, step_seconds=0.1)
    watcher.join(30)
    assert watcher.error is None, watcher.error
    assert watcher.events == list(owner_a.watch_job(job_id, timeout=10))
    assert watcher.events == list(owner_b.watch_job(job_id, timeout=10))
    # Polling comes every 5 s on PostgreSQL: events arriving this fast were notified.
    assert max(lags) < 2.0, lags


def test_both_replicas_run_the_shared_queue_once_per_job(clients):
    owner_a, owner_b, project_id = clients
    ids = [client.submit_diagnostics_job(project_id, steps=1, step_seconds=0.2)
           for client in (owner_a, owner_b) * 4]
    for job_id in ids:
        job = owner_b.wait_job_completion(job_id, max_wait_timeout=60)
        assert job.attempt == 1
    assert {owner_a.get_job(job_id).status for job_id in ids} == {S.JOB_STATUS_COMPLETED}


def test_a_job_running_on_one_replica_is_cancelled_through_the_other(clients):
    owner_a, owner_b, project_id = clients
    job_id = owner_a.submit_diagnostics_job(project_id, steps=200, step_seconds=0.05)
    watch_until(owner_b, job_id, lambda e: e.event_type == S.JOB_EVENT_TYPE_PROGRESS)

    owner_b.cancel_job(job_id)
    with pytest.raises(driftline.JobFailureError) as raised:
        owner_a.wait_job_completion(job_id, max_wait_timeout=20)
    assert raised.value.error_code == "JOB_CANCELLED"
    fresh = owner_a.submit_diagnostics_job(project_id, steps=100, step_seconds=0.05)
    owner_b.cancel_job(fresh)  # cancelled wherever it stands: queued, starting or running
    wait_for(lambda: owner_a.get_job(fresh).status == S.JOB_STATUS_CANCELLED, what="cancelled")
