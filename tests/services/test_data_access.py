"""Who may upload and read data: PROJECT_USER uploads, PROJECT_VIEW reads, a company user without
a role on the project is refused, and another company's tasks and batches are NOT_FOUND."""

from __future__ import annotations

import pytest

import driftline
from conftest import wait_for_auth_cache
from data_helpers import ids, inputs, make_task
from harness import fails


@pytest.fixture(scope="module")
def setting(company):
    owner = company.owner
    project_id = owner.create_project("access", "who may touch data")
    task = make_task(owner, project_id)
    job_id = owner.add_historical_data(task.task_id, inputs(ids("seed", 10)))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    batch_id = next(iter(owner.get_batches(task.task_id))).batch_id
    members = {
        "project_user": company.member("COMPANY_USER", {project_id: "PROJECT_USER"}),
        "project_view": company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"}),
        "no_role": company.member("COMPANY_USER"),
    }
    wait_for_auth_cache()
    return task, batch_id, members


def test_project_user_uploads_and_reads(setting):
    task, batch_id, members = setting
    client = members["project_user"]
    job_id = client.add_production_data(task.task_id, inputs(ids("by-user", 5), start=5e9))
    client.wait_job_completion(job_id, max_wait_timeout=120)
    assert client.read_batch(batch_id).num_rows == 10
    assert client.get_data_summary(task.task_id).kinds


def test_project_view_reads_but_does_not_upload(setting):
    task, batch_id, members = setting
    client = members["project_view"]
    assert client.get_batch(batch_id).batch_id == batch_id
    assert client.read_samples(task.task_id, columns=["sample_id"]).num_rows >= 10
    with fails(driftline.PermissionDeniedError, "PROJECT_ROLE_REQUIRED"):
        client.add_production_data(task.task_id, inputs(ids("by-viewer", 5), start=6e9))


def test_company_user_without_a_role_is_refused(setting):
    task, batch_id, members = setting
    client = members["no_role"]
    with fails(driftline.PermissionDeniedError, "PROJECT_ROLE_REQUIRED"):
        client.get_batch(batch_id)
    with fails(driftline.PermissionDeniedError, "PROJECT_ROLE_REQUIRED"):
        client.read_samples(task.task_id)


def test_another_company_sees_nothing(setting, other_company):
    task, batch_id, _ = setting
    stranger = other_company  # the owner of another company
    with fails(driftline.NotFoundError, "TASK_NOT_FOUND"):
        stranger.add_historical_data(task.task_id, inputs(ids("stranger", 3)))
    with fails(driftline.NotFoundError, "BATCH_NOT_FOUND"):
        stranger.get_batch(batch_id)
    with fails(driftline.NotFoundError, "BATCH_NOT_FOUND"):
        stranger.read_batch(batch_id)
    with fails(driftline.NotFoundError, "TASK_NOT_FOUND"):
        stranger.read_samples(task.task_id)
    with fails(driftline.NotFoundError, "TASK_NOT_FOUND"):
        list(stranger.get_batches(task.task_id))
    with fails(driftline.NotFoundError, "TASK_NOT_FOUND"):
        stranger.get_data_summary(task.task_id)


def test_the_internal_methods_refuse_users(setting):
    _, batch_id, _ = setting
    from driftline.data.v1 import data_service_pb2 as pb

    owner_like = setting[2]["project_user"]
    with fails(driftline.PermissionDeniedError):
        owner_like.stubs.call(owner_like.stubs.data.CommitBatch,
                                   pb.CommitBatchRequest(batch_id=batch_id))
