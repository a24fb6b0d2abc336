"""A job's life through the real server: submission, progress, completion, failure with its
reason, retries, cancellation of queued and running jobs, listings and the event log."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

import driftline
from catalog_helpers import binary_task
from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc
from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb
from jobs_helpers import Internal, assert_ordered_history, statuses, watch_until

S = job_pb2


@pytest.fixture(scope="module")
def project_id(owner):
    return owner.create_project(name="jobs-lifecycle", description="jobs tests")


@pytest.fixture(scope="module")
def internal(server):
    stub = Internal(server)
    yield stub
    stub.close()


def test_a_job_completes_with_progress_and_a_typed_result(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=3, step_seconds=0.05)
    job = owner.wait_job_completion(job_id, max_wait_timeout=30)
    assert job.status == S.JOB_STATUS_COMPLETED
    assert job.diagnostics_result.steps_completed == 3
    assert job.diagnostics_result.attempt == 1 and job.attempt == 1
    assert job.progress.fraction == 1.0
    assert job.project_id == project_id and job.company_id
    assert job.start_datetime and job.finish_datetime
    assert (job.job_id, job.job_group) == (job_id, "diagnostics")
    history = list(owner.watch_job(job_id, timeout=10))
    assert_ordered_history(history)
    assert statuses(history) == [S.JOB_STATUS_QUEUED, S.JOB_STATUS_STARTING,
                                 S.JOB_STATUS_RUNNING, S.JOB_STATUS_COMPLETED]
    fractions = [e.progress.fraction for e in history
                 if e.event_type == S.JOB_EVENT_TYPE_PROGRESS]
    assert fractions == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert history[-1].sequence == job.last_sequence


def test_a_failing_job_fails_at_once_with_its_reason(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=2, step_seconds=0.01, fail=True,
                                          failure_message="the disk is full")
    with pytest.raises(driftline.JobFailureError) as raised:
        owner.wait_job_completion(job_id, max_wait_timeout=30)
    assert raised.value.error_code == "DIAGNOSTICS_FAILURE"
    assert raised.value.error_message == "the disk is full"
    job = owner.get_job(job_id)
    assert job.status == S.JOB_STATUS_FAILED and job.attempt == 1  # never retried
    assert job.error.reason == "DIAGNOSTICS_FAILURE"
    assert raised.value.job == job


def test_transient_failures_are_retried_with_backoff(owner, project_id):
    started = time.monotonic()
    job_id = owner.submit_diagnostics_job(project_id, steps=1, step_seconds=0.01,
                                          transient_failures=2)
    job = owner.wait_job_completion(job_id, max_wait_timeout=30)
    assert job.attempt == 3 and job.diagnostics_result.attempt == 3
    assert time.monotonic() - started >= 1.5  # backoff 0.5 s, then 1 s
    retries = [e for e in owner.watch_job(job_id, timeout=10)
               if e.status == S.JOB_STATUS_QUEUED and e.error]
    assert [e.error.reason for e in retries] == ["HANDLER_ERROR", "HANDLER_ERROR"]
    assert "staged transient failure" in retries[0].error.message


def test_a_job_fails_when_every_attempt_failed(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=1, step_seconds=0.01,
                                          transient_failures=5, max_attempts=2)
    with pytest.raises(driftline.JobFailureError) as raised:
        owner.wait_job_completion(job_id, max_wait_timeout=30)
    assert raised.value.error_code == "JOB_ATTEMPTS_EXHAUSTED"
    assert "staged transient failure of attempt 2" in raised.value.error_message
    assert owner.get_job(job_id).attempt == 2


def test_a_queued_job_cancelled_never_starts(owner, project_id, internal, company):
    job = internal.submit(company_id=company.company_id, project_id=project_id, start_in=30)
    assert job.status == S.JOB_STATUS_QUEUED
    owner.cancel_job(job.id)
    with pytest.raises(driftline.JobFailureError) as raised:
        owner.wait_job_completion(job.id, max_wait_timeout=10)
    assert raised.value.error_code == "JOB_CANCELLED"
    history = list(owner.watch_job(job.id, timeout=10))
    assert statuses(history) == [S.JOB_STATUS_QUEUED, S.JOB_STATUS_CANCELLED]
    assert owner.get_job(job.id).attempt == 0
    owner.cancel_job(job.id)  # cancelling a finished job changes nothing
    assert owner.get_job(job.id).last_sequence == history[-1].sequence


def test_a_running_job_is_asked_to_stop_and_ends_cancelled(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=200, step_seconds=0.05)
    watch_until(owner, job_id, lambda e: e.event_type == S.JOB_EVENT_TYPE_PROGRESS
                and e.progress.fraction > 0)
    owner.cancel_job(job_id)
    with pytest.raises(driftline.JobFailureError) as raised:
        owner.wait_job_completion(job_id, max_wait_timeout=20)
    assert raised.value.error_code == "JOB_CANCELLED"
    job = owner.get_job(job_id)
    assert job.status == S.JOB_STATUS_CANCELLED and job.cancel_requested
    assert job.progress.fraction < 0.5
    types = [e.event_type for e in owner.watch_job(job_id, timeout=10)]
    assert S.JOB_EVENT_TYPE_CANCEL_REQUESTED in types


def test_waiting_times_out_and_unknown_jobs_are_not_found(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=100, step_seconds=0.05)
    started = time.monotonic()
    with pytest.raises(driftline.JobWaitTimeoutError):
        owner.wait_job_completion(job_id, max_wait_timeout=0.5)
    assert time.monotonic() - started < 3
    owner.cancel_job(job_id)
    with pytest.raises(driftline.JobNotFoundError) as raised:
        owner.wait_job_completion("0" * 32, max_wait_timeout=5)
    assert raised.value.error_code == "JOB_NOT_FOUND"
    with pytest.raises(driftline.NotFoundError):
        owner.get_job("nope")


def test_a_finished_job_streams_its_history_and_ends(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=2, step_seconds=0.01)
    job = owner.wait_job_completion(job_id, max_wait_timeout=30)
    history = list(owner.watch_job(job_id, timeout=10))
    assert history[-1].sequence == job.last_sequence
    assert list(owner.watch_job(job_id, after_sequence=job.last_sequence, timeout=10)) == []
    middle = history[len(history) // 2].sequence
    assert list(owner.watch_job(job_id, after_sequence=middle, timeout=10)) == [
        e for e in history if e.sequence > middle
    ]


def test_a_resumed_stream_misses_nothing_and_repeats_nothing(owner, project_id):
    job_id = owner.submit_diagnostics_job(project_id, steps=6, step_seconds=0.1)
    received = []
    while True:  # drop the stream after every two events, resume after the last one seen
        after = received[-1].sequence if received else 0
        stream = owner.watch_job(job_id, after_sequence=after, timeout=20)
        batch = [event for _, event in zip(range(2), stream)]
        stream.close()
        received += batch
        if not batch or received[-1].status in (S.JOB_STATUS_COMPLETED,):
            break
    assert received == list(owner.watch_job(job_id, timeout=10))
    assert_ordered_history(received)


def test_jobs_are_listed_newest_first_with_filters_and_pages(owner, project_id, company,
                                                             internal, server):
    other_project = owner.create_project(name="jobs-listing", description="")
    ids = [owner.submit_diagnostics_job(other_project, steps=1, step_seconds=0.0)
           for _ in range(3)]
    for job_id in ids:
        owner.wait_job_completion(job_id, max_wait_timeout=30)
    listed = owner.get_jobs(project_id=other_project)
    assert [job.job_id for job in listed] == ids[::-1]
    assert owner.get_jobs(project_id=other_project, status="RUNNING") == []
    assert len(owner.get_jobs(project_id=other_project, status=["COMPLETED", "FAILED"])) == 3
    assert len(owner.get_jobs(project_id=other_project, job_group="diagnostics")) == 3
    assert owner.get_jobs(project_id=other_project, job_group="ingest") == []
    assert [j.job_id for j in owner.get_jobs(job_id=ids[0])] == [ids[0]]
    assert [j.job_id for j in owner.iter_jobs(project_id=other_project, page_size=1,
                                              limit=2)] == ids[:0:-1]
    assert owner.get_jobs(job_id=ids[0], project_id=project_id) == []
    scoped = internal.submit(company_id=company.company_id, project_id=other_project,
                             task_id="t" * 32, model_id="m" * 32)
    owner.wait_job_completion(scoped.id, max_wait_timeout=30)
    assert [j.job_id for j in owner.get_jobs(task_id="t" * 32)] == [scoped.id]
    assert [j.job_id for j in owner.get_jobs(model_id="m" * 32)] == [scoped.id]

    with grpc.insecure_channel(server.address) as channel:
        from driftline.jobs.v1 import jobs_service_pb2_grpc

        stub = jobs_service_pb2_grpc.JobsServiceStub(channel)
        metadata = owner.stubs.metadata
        job_filter = pb.JobFilter(project_id=other_project)
        pages, token = [], ""
        while True:
            response = stub.ListJobs(pb.ListJobsRequest(filter=job_filter, page_size=2,
                                                        page_token=token),
                                     metadata=metadata, timeout=10)
            pages.append([job.id for job in response.jobs])
            token = response.next_page_token
            if not token:
                break
        assert pages == [[scoped.id, ids[2]], [ids[1], ids[0]]]
        for bad in (pb.ListJobsRequest(page_size=-1),
                    pb.ListJobsRequest(filter=job_filter, page_token="garbage"),
                    pb.ListJobsRequest(filter=pb.JobFilter(statuses=[0]))):
            with pytest.raises(grpc.RpcError) as raised:
                stub.ListJobs(bad, metadata=metadata, timeout=10)
            assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_jobs_carry_the_current_names_of_what_they_concern(owner, company, internal, server):
    """project_name, task_name and model_name are read when the job is, so a rename shows."""
    project_id = owner.create_project(name="named-jobs")
    task_id = binary_task(owner, project_id, name="named-task")
    model_id = owner.create_model(task_id, "named-model", "v1", True, "ACCURACY")
    scoped = internal.submit(company_id=company.company_id, project_id=project_id,
                             task_id=task_id, model_id=model_id)
    job = owner.wait_job_completion(scoped.id, max_wait_timeout=30)
    assert (job.project_name, job.task_name, job.model_name) == (
        "named-jobs", "named-task", "named-model")
    owner.update_project(project_id, name="renamed-jobs")
    owner.update_task(task_id, name="renamed-task")
    [listed] = owner.get_jobs(project_id=project_id)
    assert (listed.project_name, listed.task_name, listed.model_name) == (
        "renamed-jobs", "renamed-task", "named-model")
    assert owner.get_job(scoped.id) == listed
    unknown = internal.submit(company_id=company.company_id, project_id=project_id,
                              task_id="t" * 32)
    named = owner.get_job(unknown.id)
    assert (named.project_name, named.task_name, named.model_name) == (
        "renamed-jobs", None, None)  # an id Catalog does not know has no name

    token = (server.data_dir / "internal.token").read_text().strip()
    with grpc.insecure_channel(server.address) as channel:
        stub = catalog_service_pb2_grpc.CatalogServiceStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            stub.GetResourceNames(catalog_service_pb2.GetResourceNamesRequest(
                task_ids=[f"t{n}" for n in range(1001)]),
                metadata=(("authorization", f"Bearer {token}"),), timeout=10)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "task_ids" in raised.value.details() and "at most 1000" in raised.value.details()


def test_submissions_are_checked_and_idempotent(owner, project_id, internal, company):
    with pytest.raises(driftline.InvalidArgumentError) as raised:
        owner.submit_diagnostics_job(project_id, steps=0 - 1)
    assert raised.value.field_violations[0][0] == "steps"
    with pytest.raises(driftline.InvalidArgumentError):
        owner.submit_diagnostics_job(project_id, max_attempts=11)
    first = owner.submit_diagnostics_job(project_id, steps=1, step_seconds=0, request_id="r-1")
    again = owner.submit_diagnostics_job(project_id, steps=1, step_seconds=0, request_id="r-1")
    assert first == again
    with ThreadPoolExecutor(8) as pool:  # concurrent retries, committed in one batch or not
        ids = set(pool.map(lambda _: owner.submit_diagnostics_job(
            project_id, steps=1, step_seconds=0, request_id="r-2"), range(8)))
    assert len(ids) == 1
    assert len(owner.get_jobs(job_id=ids.pop())) == 1
    with pytest.raises(grpc.RpcError) as unknown:
        internal.submit("no-such-type", company_id=company.company_id)
    assert unknown.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "no handler is registered" in unknown.value.details()
    with pytest.raises(driftline.NotFoundError):
        owner.submit_diagnostics_job("0" * 32)


def test_show_jobs_prints_a_table(owner, project_id, capsys):
    owner.submit_diagnostics_job(project_id, steps=1, step_seconds=0)
    owner.show_jobs()
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["ID", "Group", "Status", "Progress", "Project",
                                           "Task", "Attempt", "Created"]
    assert "diagnostics" in out and "jobs-lifecycle" in out  # the project by its name


def test_wait_shows_a_progress_bar_when_asked(owner, project_id, capsys):
    job_id = owner.submit_diagnostics_job(project_id, steps=2, step_seconds=0.05)
    owner.wait_job_completion(job_id, max_wait_timeout=30, show_progress=True)
    err = capsys.readouterr().err
    assert f"job {job_id[:8]}" in err and "100%" in err
