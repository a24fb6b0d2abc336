"""driftline.AsyncClient against a real server, from an event loop: a company to a model's
data, its ingestion job waited for and watched, listings through the async pager, the same
errors as the blocking client, many calls at once, the metrics logger on a task, and TLS."""

from __future__ import annotations

import asyncio

import pytest

import driftline
from catalog_helpers import accuracy_model, binary_schema, binary_task
from conftest import unique
from data_helpers import ids, inputs, target
from driftline.identity.v1 import identity_service_pb2 as identity_pb
from driftline.jobs.v1 import job_pb2
from test_tls import Certificates, Servers

COMPLETED = job_pb2.JOB_STATUS_COMPLETED


class _Arguments:
    """Stands in for a client in the blocking helpers: records the call they make, for the
    async client to make it."""

    def __getattr__(self, method):
        return lambda **arguments: (method, arguments)


async def _call(client: driftline.AsyncClient, recorded):
    method, arguments = recorded
    return await getattr(client, method)(**arguments)


async def _new_company(address: str, api_key: str, **tls) -> str:
    """A company for the user of ``api_key``; returns a fresh key (the first was seen without
    a company, and the services cache a key's roles)."""
    async with driftline.AsyncClient(address, api_key, **tls) as founder:
        await founder.create_company(name=unique("Async"), address="1 Loop Road",
                                     vat="IT12345678901")
        return await founder.create_api_key("tests", "NEVER")


@pytest.fixture(scope="module")
def api_key(server):
    _, key = server.create_user(f"{unique('async')}@example.com")
    return asyncio.run(_new_company(server.address, key))


def test_from_an_event_loop_data_is_uploaded_and_its_job_waited_for_and_watched(server,
                                                                             api_key):
    async def scenario():
        async with driftline.AsyncClient(server.address, api_key) as client:
            project_id = await client.create_project(name=unique("async"))
            task_id = await _call(client, binary_task(_Arguments(), project_id))
            model_id = await _call(client, accuracy_model(_Arguments(), task_id))
            await client.add_data_schema(task_id, binary_schema(model_id))
            sample_ids = ids("async", 150)
            job_id = await client.add_historical_data(task_id, inputs(sample_ids).to_pandas(),
                                                      target=target(sample_ids))
            job = await client.wait_job_completion(job_id, max_wait_timeout=120)
            assert job.status == COMPLETED
            events = [event async for event in client.watch_job(job_id)]
            assert events and events[-1].status == COMPLETED
            assert [e.sequence for e in events] == sorted({e.sequence for e in events})
            batches = [batch async for batch in client.get_batches(task_id)]
            assert [batch.ingestion_job_id for batch in batches] == [job_id]
            table = await client.read_batch(batches[0].batch_id, columns=["sample_id", "label"])
            assert table["sample_id"].to_pylist() == sample_ids
            assert [j.job_id for j in await client.get_jobs(project_id=project_id)] == [job_id]


    asyncio.run(scenario())


def test_many_calls_at_once_and_listings_through_the_async_pager(server, api_key):
    async def scenario():
        async with driftline.AsyncClient(server.address, api_key) as client:
            project_id = await client.create_project(name=unique("gather"))
            names = [f"experiment-{i:02d}" for i in range(24)]
            created = await asyncio.gather(*(client.create_experiment(project_id, name)
                                             for name in names))
            assert sorted(e.name for e in created) == names
            pager = client.get_experiments(project_id, page_size=5)
            assert isinstance(pager, driftline.AsyncPager)
            first = await anext(pager)
            rest = [e.name async for e in pager]  # an async iterator: it goes on
            assert sorted([first.name, *rest]) == names
            assert [e.name async for e in pager] == []  # and is consumed once
            again = [e.name async for e in client.get_experiments(project_id)]
            assert again == [first.name, *rest]
            # The blocking client sees the same.
            with driftline.Client(server.address, api_key) as blocking:
                assert [e.name for e in blocking.get_experiments(project_id)] == again

    asyncio.run(scenario())


def test_errors_are_the_blocking_clients_and_the_stubs_are_on_the_aio_channel(server, api_key):
    async def scenario():
        async with driftline.AsyncClient(server.address, api_key) as client:
            with pytest.raises(driftline.NotFoundError) as caught:
                await client.get_job("f" * 32)
            with pytest.raises(driftline.InvalidArgumentError) as invalid:
                await client.create_project(name="")
            company = await client.stubs.call(client.stubs.identity.GetCompany,
                                              identity_pb.GetCompanyRequest(), idempotent=True)
            raw = await client.stubs.identity.GetCompany(identity_pb.GetCompanyRequest(),
                                                         metadata=client.stubs.metadata)
            assert raw.company.id == company.company.id
            return caught.value, invalid.value

    missing, invalid = asyncio.run(scenario())
    with driftline.Client(server.address, api_key) as blocking:
        with pytest.raises(driftline.NotFoundError) as caught:
            blocking.get_job("f" * 32)
        with pytest.raises(driftline.InvalidArgumentError) as refused:
            blocking.create_project(name="")
    assert (missing.error_code, missing.error_message) == (
        caught.value.error_code, caught.value.error_message)
    assert (invalid.error_code, invalid.field_violations) == (
        refused.value.error_code, refused.value.field_violations)


def test_the_metrics_logger_sends_from_a_task_and_show_prints(server, api_key, capsys):
    async def scenario():
        async with driftline.AsyncClient(server.address, api_key) as client:
            project_id = await client.create_project(name=unique("metrics"))
            experiment = await client.create_experiment(project_id, "sweep")
            model = await client.create_experiment_model(experiment.experiment_id, "3f9a1c")
            model_id = model.experiment_model_id
            async with client.metrics_logger(model_id, flush_interval=0.05,
                                             batch_size=10) as logger:
                for step in range(35):
                    await logger.log("loss", 1 / (step + 1), phase="TRAINING", step=step)
            assert logger.stored == 35
            points = [p async for p in client.get_metrics(model_id, "loss")]
            assert [p.step for p in points] == list(range(35))
            stored = await client.log_metrics(
                driftline.MetricPoint(model_id, "accuracy", 0.5 + i / 100, phase="TEST", step=i)
                for i in range(20))
            assert stored == 20
            await client.show_metrics(model_id, "accuracy", limit=5)
            with pytest.raises(driftline.NotFoundError):
                async with client.metrics_logger("f" * 32, flush_interval=0.05) as doomed:
                    await doomed.log("loss", 1.0)

    asyncio.run(scenario())
    printed = capsys.readouterr().out
    assert "accuracy" in printed and "more than 5 points" in printed


def test_over_tls_and_a_plaintext_async_client_is_told_to_use_tls(tmp_path_factory):
    certs = Certificates(tmp_path_factory.mktemp("certs"))
    servers = Servers(tmp_path_factory)
    try:
        server = servers.start(*certs.serve_args())
        _, first_key = server.create_user(f"{unique('tls')}@example.com")

        async def scenario():
            key = await _new_company(server.address, first_key, root_certificates=certs.ca)
            async with driftline.AsyncClient(server.address, key,
                                             root_certificates=certs.ca) as client:
                project_id = await client.create_project(name=unique("secure"))
                assert [p.project_id for p in await client.get_projects()] == [project_id]
                job_id = await client.submit_diagnostics_job(project_id, steps=2,
                                                             step_seconds=0.05)
                assert (await client.wait_job_completion(job_id)).status == COMPLETED
            async with driftline.AsyncClient(server.address, key) as plain:
                with pytest.raises(driftline.TLSError) as caught:
                    await plain.get_company()
            assert caught.value.error_code == "TLS_REQUIRED"
            with pytest.raises(driftline.UnauthenticatedError):
                await driftline.AsyncClient.sign_in(server.address, "no-such-user",
                                                    "wrong password 1",
                                                    root_certificates=certs.ca)

        asyncio.run(scenario())
    finally:
        servers.stop_all()
