"""Watching jobs: many concurrent watchers of one job, WatchJobs with its filter, heartbeats and
resumption, and the event log as what every watcher sees."""

from __future__ import annotations

import time

import pytest

from driftline.jobs.v1 import job_pb2
from jobs_helpers import Collector, assert_ordered_history

S = job_pb2


@pytest.fixture(scope="module")
def projects(owner):
    return (owner.create_project(name="watched", description=""),
            owner.create_project(name="unwatched", description=""))


def _log_position(client) -> int:
    """A sequence at or after every event so far, for streams that must not miss what follows
    however late they open."""
    return max((job.last_sequence for job in client.get_jobs()), default=0)


def _done(event) -> bool:
    return (event.status == S.JOB_STATUS_COMPLETED
            and event.event_type == S.JOB_EVENT_TYPE_STATUS_CHANGED)


def test_many_concurrent_watchers_see_the_same_events(owner, projects):
    job_id = owner.submit_diagnostics_job(projects[0], steps=5, step_seconds=0.1)
    watchers = [Collector(lambda: owner.watch_job(job_id, timeout=30)) for _ in range(40)]
    for watcher in watchers:
        watcher.start()
    for watcher in watchers:
        watcher.join(40)
    history = list(owner.watch_job(job_id, timeout=10))
    assert_ordered_history(history)
    assert len(history) == 10  # 4 status changes and 6 progress reports
    for watcher in watchers:
        assert watcher.error is None, watcher.error
        assert watcher.events == history


def test_watch_jobs_follows_the_filter_with_heartbeats(owner, projects):
    watched, unwatched = projects
    first = Collector(
        lambda: owner.watch_jobs(project_id=watched, heartbeat_interval=1.0,
                                 include_heartbeats=True),
        stop_when=_done,
    )
    first.start()
    time.sleep(1.6)  # quiet: a heartbeat comes after the opening one
    beats = [e for e in first.events if e.event_type == S.JOB_EVENT_TYPE_HEARTBEAT]
    assert len(beats) >= 2 and not [e for e in first.events if e.job_id]
    resume_from = beats[0].sequence
    owner.submit_diagnostics_job(unwatched, steps=1, step_seconds=0)
    job_id = owner.submit_diagnostics_job(watched, steps=2, step_seconds=0.05)
    first.join(30)
    assert first.error is None, first.error
    events = [e for e in first.events if e.event_type != S.JOB_EVENT_TYPE_HEARTBEAT]
    assert {e.job_id for e in events} == {job_id}
    assert [e.sequence for e in events] == sorted({e.sequence for e in events})
    assert events == list(owner.watch_job(job_id, timeout=10))
    # Resuming from the opening heartbeat replays exactly the same events from the log.
    replay = Collector(lambda: owner.watch_jobs(project_id=watched, after_sequence=resume_from),
                       stop_when=_done)
    replay.start()
    replay.join(30)
    assert replay.events == events


def test_watch_jobs_filters_by_status_and_type(owner, projects):
    after = _log_position(owner)
    failed = Collector(
        lambda: owner.watch_jobs(project_id=projects[1], status="FAILED", job_group="diagnostics",

                                 after_sequence=after),
        stop_when=lambda e: e.status == S.JOB_STATUS_FAILED,
    )
    failed.start()
    owner.submit_diagnostics_job(projects[1], steps=1, step_seconds=0)
    job_id = owner.submit_diagnostics_job(projects[1], steps=1, step_seconds=0, fail=True)
    failed.join(30)
    assert failed.error is None, failed.error
    assert [(e.job_id, e.error.reason) for e in failed.events] == [(job_id, "DIAGNOSTICS_FAILURE")]


def test_many_watch_jobs_streams_see_every_event(owner, projects):
    after = _log_position(owner)
    watchers = [Collector(lambda: owner.watch_jobs(project_id=projects[0], after_sequence=after),
                          stop_when=_done)
                for _ in range(20)]
    for watcher in watchers:
        watcher.start()
    job_id = owner.submit_diagnostics_job(projects[0], steps=3, step_seconds=0.05)
    for watcher in watchers:
        watcher.join(30)
    history = list(owner.watch_job(job_id, timeout=10))
    for watcher in watchers:
        assert watcher.error is None, watcher.error
        assert watcher.events == history
