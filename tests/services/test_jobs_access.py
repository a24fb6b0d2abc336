"""Who sees and controls which jobs: a project's jobs need at least PROJECT_VIEW to read and
watch and PROJECT_USER to submit and cancel; company-level jobs are for the company's owner and
admins; another company finds nothing; internal RPCs refuse every user key."""

from __future__ import annotations

import grpc
import pytest

import driftline
from conftest import wait_for_auth_cache
from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb, jobs_service_pb2_grpc
from jobs_helpers import Collector

S = job_pb2


@pytest.fixture(scope="module")
def world(company, other_company):
    owner = company.owner
    visible = owner.create_project(name="visible", description="")
    hidden = owner.create_project(name="hidden", description="")
    viewer = company.member("COMPANY_USER", {visible: "PROJECT_VIEW"})
    worker = company.member("COMPANY_USER", {visible: "PROJECT_USER"})
    wait_for_auth_cache()
    jobs = {
        "visible": owner.submit_diagnostics_job(visible, steps=1, step_seconds=0),
        "hidden": owner.submit_diagnostics_job(hidden, steps=1, step_seconds=0),
        "company": owner.submit_diagnostics_job(None, steps=1, step_seconds=0),
    }
    for job_id in jobs.values():
        owner.wait_job_completion(job_id, max_wait_timeout=30)
    return dict(owner=owner, admin=company.admin, user=company.user, viewer=viewer,
                worker=worker, other=other_company, visible=visible, hidden=hidden, jobs=jobs)


def test_a_viewer_sees_only_the_jobs_of_projects_they_may_view(world):
    viewer, jobs = world["viewer"], world["jobs"]
    assert viewer.get_job(jobs["visible"]).job_id == jobs["visible"]
    assert {job.job_id for job in viewer.get_jobs()} == {jobs["visible"]}
    assert viewer.get_jobs(project_id=world["hidden"]) == []
    for name in ("hidden", "company"):
        with pytest.raises(driftline.PermissionDeniedError):
            viewer.get_job(jobs[name])
        with pytest.raises(driftline.PermissionDeniedError):
            list(viewer.watch_job(jobs[name], timeout=10))
    assert [e.job_id for e in viewer.watch_job(jobs["visible"], timeout=10)][-1] == jobs["visible"]


def test_a_company_user_without_roles_sees_no_job(world):
    assert world["user"].get_jobs() == []
    with pytest.raises(driftline.PermissionDeniedError):
        world["user"].get_job(world["jobs"]["visible"])


def test_managers_see_every_job_of_their_company(world):
    for manager in (world["owner"], world["admin"]):
        assert set(world["jobs"].values()) <= {job.job_id for job in manager.get_jobs()}
        assert manager.get_job(world["jobs"]["company"]).project_id is None


def test_another_company_finds_nothing(world):
    other = world["other"]
    for job_id in world["jobs"].values():
        with pytest.raises(driftline.NotFoundError) as raised:
            other.get_job(job_id)
        assert raised.value.error_code == "JOB_NOT_FOUND"
        with pytest.raises(driftline.NotFoundError):
            other.cancel_job(job_id)
    assert not set(world["jobs"].values()) & {job.job_id for job in other.get_jobs()}

    with pytest.raises(driftline.NotFoundError):
        other.submit_diagnostics_job(world["visible"])


def test_submitting_and_cancelling_need_project_user(world):
    viewer, worker = world["viewer"], world["worker"]
    with pytest.raises(driftline.PermissionDeniedError) as raised:
        viewer.submit_diagnostics_job(world["visible"])
    assert raised.value.error_code == "PROJECT_ROLE_REQUIRED"
    with pytest.raises(driftline.PermissionDeniedError):
        worker.submit_diagnostics_job(world["hidden"])
    with pytest.raises(driftline.PermissionDeniedError) as raised:
        worker.submit_diagnostics_job(None)  # company-level: owner or admin only
    assert raised.value.error_code == "COMPANY_ROLE_REQUIRED"
    job_id = worker.submit_diagnostics_job(world["visible"], steps=200, step_seconds=0.05)
    with pytest.raises(driftline.PermissionDeniedError):
        viewer.cancel_job(job_id)
    worker.cancel_job(job_id)
    with pytest.raises(driftline.JobFailureError):
        worker.wait_job_completion(job_id, max_wait_timeout=20)
    assert world["admin"].submit_diagnostics_job(None, steps=1, step_seconds=0)


def test_watch_jobs_streams_only_what_the_caller_may_see(world):
    owner, viewer = world["owner"], world["viewer"]
    after = max(job.last_sequence for job in owner.get_jobs())
    seen = Collector(lambda: viewer.watch_jobs(after_sequence=after),
                     stop_when=lambda e: e.status == S.JOB_STATUS_COMPLETED)
    seen.start()
    hidden = owner.submit_diagnostics_job(world["hidden"], steps=1, step_seconds=0)
    owner.wait_job_completion(hidden, max_wait_timeout=30)
    visible = owner.submit_diagnostics_job(world["visible"], steps=1, step_seconds=0)
    seen.join(30)
    assert seen.error is None, seen.error
    assert {event.job_id for event in seen.events} == {visible}


@pytest.mark.parametrize("method, request_message", [
    ("SubmitJob", pb.SubmitJobRequest(type="diagnostics")),
    ("StartJobAttempt", pb.StartJobAttemptRequest(job_id="x", run_id="y")),
    ("ReportJobProgress", pb.ReportJobProgressRequest(job_id="x", run_id="y")),
    ("CheckJobCancellation", pb.CheckJobCancellationRequest(job_id="x", run_id="y")),
])
def test_internal_rpcs_refuse_user_keys(world, server, method, request_message):
    with grpc.insecure_channel(server.address) as channel:
        stub = jobs_service_pb2_grpc.JobsServiceStub(channel)
        for client in (world["owner"], world["viewer"]):
            with pytest.raises(grpc.RpcError) as raised:
                getattr(stub, method)(request_message, metadata=client.stubs.metadata,
                                      timeout=10)
            assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
            assert "not for API keys" in raised.value.details()
        with pytest.raises(grpc.RpcError) as raised:
            getattr(stub, method)(request_message, timeout=10)
        assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
