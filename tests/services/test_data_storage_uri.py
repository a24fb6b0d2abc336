"""Batches stored under a pyarrow filesystem URI instead of a plain folder: the same upload,
commit and read, with the files where the URI says."""

from __future__ import annotations

import pytest

from conftest import make_company
from data_helpers import ids, inputs, make_task
from harness import ServerProcess, fresh_database


@pytest.fixture(scope="module")
def uri_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("uri")
    storage = data_dir / "elsewhere" / "batches"
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url,
                            {"DRIFTLINE_DATA_STORAGE": f"file://{storage}"}).start()
    process.storage = storage
    yield process
    process.stop()
    database.drop()


def test_batches_live_under_the_storage_uri(uri_server):
    company = make_company(uri_server, "Uri")
    project_id = company.owner.create_project("uri", "storage by URI")
    task = make_task(company.owner, project_id)
    job_id = company.owner.add_historical_data(task.task_id, inputs(ids("uri", 25)))
    company.owner.wait_job_completion(job_id, max_wait_timeout=120)
    batch = next(iter(company.owner.get_batches(task.task_id)))
    assert (uri_server.storage / "tasks" / task.task_id / f"{batch.batch_id}.parquet").is_file()
    assert not (uri_server.data_dir / "data").exists()  # nothing in the default folder
    assert company.owner.read_batch(batch.batch_id).num_rows == 25
    company.close()


def test_a_batch_whose_file_is_gone_is_data_loss_saying_what_to_check(uri_server):
    """Replicas that keep batches in folders of their own find each other's missing: the read
    says so, it is not an internal error."""
    import driftline
    from harness import fails

    company = make_company(uri_server, "Lost")
    project_id = company.owner.create_project("lost", "a file removed behind our back")
    task = make_task(company.owner, project_id)
    company.owner.wait_job_completion(
        company.owner.add_historical_data(task.task_id, inputs(ids("lost", 10))),
        max_wait_timeout=120)
    batch = next(iter(company.owner.get_batches(task.task_id)))
    (uri_server.storage / "tasks" / task.task_id / f"{batch.batch_id}.parquet").unlink()
    for read in (lambda: company.owner.read_batch(batch.batch_id),
                 lambda: company.owner.read_samples(task.task_id)):
        with fails(driftline.DataLossError, "BATCH_FILE_MISSING") as caught:
            read()
        assert "DRIFTLINE_DATA_STORAGE" in str(caught.value)
    company.close()
