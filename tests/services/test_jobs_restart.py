"""At-least-once: a job running when its server stops is put back in the queue and completes
after the restart, and a client watching it reconnects and resumes without losing or repeating
an event."""

from __future__ import annotations

import time

import pytest

from conftest import make_company
from driftline.jobs.v1 import job_pb2
from harness import ServerProcess, free_port, fresh_database
from jobs_helpers import Collector, assert_ordered_history, wait_for

S = job_pb2


@pytest.fixture
def restartable(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url)
    port = free_port()
    process.start(port=port)
    try:
        yield process, port
    finally:
        process.stop()
        database.drop()


def test_a_running_job_completes_after_the_server_restarts(restartable):
    process, port = restartable
    company = make_company(process, "Restart")
    owner = company.owner
    project_id = owner.create_project(name="restart", description="")
    job_id = owner.submit_diagnostics_job(project_id, steps=12, step_seconds=0.25)
    watcher = Collector(lambda: owner.watch_job(job_id, timeout=120))
    watcher.start()
    every = Collector(  # WatchJobs too resumes across the restart
        lambda: owner.watch_jobs(project_id=project_id, after_sequence=1),
        stop_when=lambda e: e.status == S.JOB_STATUS_COMPLETED,
    )
    every.start()
    wait_for(lambda: owner.get_job(job_id).progress.fraction > 0.1, what="progress")

    started = time.monotonic()
    assert process.stop() == 0
    assert time.monotonic() - started < 8  # watch streams do not hold the stop back
    assert watcher.is_alive()  # still waiting, reconnecting
    process.start(port=port)

    watcher.join(60)
    every.join(30)
    assert watcher.error is None, watcher.error
    assert every.error is None, every.error
    job = owner.get_job(job_id)
    assert job.status == S.JOB_STATUS_COMPLETED, job
    assert job.attempt == 2 and job.diagnostics_result.attempt == 2
    history = list(owner.watch_job(job_id, timeout=10))
    assert_ordered_history(history)
    assert watcher.events == history  # nothing lost, nothing repeated across the restart
    assert every.events == history[1:]
    requeued = [e for e in history if "requeued" in e.message]
    assert len(requeued) == 1 and requeued[0].status == S.JOB_STATUS_QUEUED
    company.close()


def test_a_job_of_a_crashed_server_runs_again_once_its_lease_expires(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url, {"DRIFTLINE_JOBS_LEASE_SECONDS": "2"})
    port = free_port()
    process.start(port=port)
    try:
        company = make_company(process, "Crash")
        owner = company.owner
        project_id = owner.create_project(name="crash", description="")
        job_id = owner.submit_diagnostics_job(project_id, steps=12, step_seconds=0.25)
        wait_for(lambda: owner.get_job(job_id).progress.fraction > 0.1, what="progress")
        process.process.kill()  # no clean stop: the job stays RUNNING under a lease
        process.process.wait(10)
        process.process = None
        process.start(port=port)
        job = owner.wait_job_completion(job_id, max_wait_timeout=60)
        assert job.attempt == 2
        history = list(owner.watch_job(job_id, timeout=10))
        assert_ordered_history(history)
        assert [e.message for e in history if "lease expired" in e.message]
        company.close()
    finally:
        process.stop()
        database.drop()
