"""driftline.AsyncClient stays in step with driftline.Client: the committed async modules are
what tools/generate_async_client.py makes from the blocking client today, every public method
of Client is on AsyncClient with the same parameters and docstring (its examples awaited), and
the generator's rules do what its docstring says on code written in the client's patterns."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import socket
import sys
import textwrap
from pathlib import Path

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

import driftline
from driftline.aio import AsyncPager, AsyncTransport

ROOT = Path(__file__).resolve().parents[2]


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "generate_async_client", ROOT / "tools" / "generate_async_client.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


@pytest.fixture(scope="module")
def world():
    return generator.settled_world()


def test_the_committed_async_client_is_what_the_generator_makes(world, tmp_path):
    files = generator.generate(world)
    generator.write(tmp_path, files)
    committed = ROOT / "clients" / "python" / "driftline" / "aio"
    differences = generator.differences(committed, files)
    assert not differences, (
        "the async client (driftline/aio) is out of step with the blocking client: run "
        "`make generate` and commit clients/python/driftline/aio\n\n" + "\n\n".join(differences))
    # What was written is what was compared, byte for byte.
    for name, text in files.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text


def _public_methods(cls) -> dict[str, object]:
    return {name: inspect.getattr_static(cls, name) for name in dir(cls)
            if not name.startswith("_") and callable(getattr(cls, name))}


def _function(member):
    return member.__func__ if isinstance(member, (staticmethod, classmethod)) else member


def _returns_iterator(function) -> bool:
    annotation = inspect.signature(function).return_annotation
    return inspect.isgeneratorfunction(function) or (
        isinstance(annotation, str) and annotation.startswith(("Iterator[", "Iterable[")))


def test_every_method_of_client_is_on_async_client_with_its_signature_and_docstring(world):
    blocking = _public_methods(driftline.Client)
    asynchronous = _public_methods(driftline.AsyncClient)
    assert set(blocking) == set(asynchronous), (
        "methods on one client only: run `make generate`",
        set(blocking) ^ set(asynchronous))
    kinds = world.kinds[generator.CLIENT]
    for name, member in blocking.items():
        twin = asynchronous[name]
        assert type(member) is type(twin), name  # staticmethods stay staticmethods
        function, async_function = _function(member), _function(twin)
        signature, async_signature = (inspect.signature(function),
                                      inspect.signature(async_function))
        assert signature.parameters == async_signature.parameters, name
        assert inspect.getdoc(async_function) == inspect.cleandoc(
            generator.asyncify_docstring(function.__doc__, world)), name
        if _returns_iterator(function):
            assert inspect.isasyncgenfunction(async_function) or \
                async_signature.return_annotation.startswith("AsyncIterator["), name
            assert kinds[name] == generator.AITER, name
        elif kinds[name] == generator.AWAIT:
            assert inspect.iscoroutinefunction(async_function), name
        else:  # built without a call to the server: the metrics logger, say
            assert not inspect.iscoroutinefunction(async_function), name
    # Only these need no await; anything else that calls the server is a coroutine.
    assert sorted(n for n, k in kinds.items() if k == generator.SYNC and not n.startswith("_")
                  and n in blocking) == ["metrics_logger"]


def test_async_client_is_an_async_context_manager_with_the_constructor_of_client():
    assert inspect.signature(driftline.AsyncClient.__init__) == \
        inspect.signature(driftline.Client.__init__)
    assert inspect.iscoroutinefunction(driftline.AsyncClient.__aenter__)
    assert inspect.iscoroutinefunction(driftline.AsyncClient.__aexit__)
    assert inspect.iscoroutinefunction(driftline.AsyncClient.close)
    assert inspect.iscoroutinefunction(driftline.AsyncStubs.call)
    assert inspect.iscoroutinefunction(driftline.AsyncStubs.client_stream)


def _convert(tmp_path, source: str) -> str:
    """What the generator makes of a mixin written in the client's patterns."""
    path = tmp_path / "_sample.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    module = generator.read_module(path)
    world = generator.settled_world([module])
    imports = generator.Imports()
    converter = generator.Converter(world, module, module.name, imports)
    classes = [generator.ast.fix_missing_locations(converter.convert_class(c))
               for c in module.classes]
    return generator.render_module(module, classes, world, imports)


def test_the_rules_follow_the_patterns_not_the_text(tmp_path):
    text = _convert(tmp_path, '''
        """Sample."""
        import time
        from collections.abc import Iterator

        from driftline._pagination import Pager
        from driftline._transport import Transport
        from driftline._watching import resuming
        from driftline.conversions import jobs as convert


        class SampleMethods:
            _transport: Transport

            def get_job(self, job_id: str):
                """A job.

                Example:
                    >>> client.get_job(job_id).status
                """
                return convert.job(self._transport.call(self._jobs.GetJob, job_id).job)

            def iter_jobs(self, page_size: int | None = None) -> Iterator[int]:
                return Pager(self._transport.call, self._jobs.ListJobs, None, "jobs",
                             convert.job, page_size=page_size)

            def get_jobs(self) -> list:
                """Example:
                    >>> [job.job_id for job in client.iter_jobs()]
                """
                return list(self.iter_jobs())

            def first_job(self):
                return next(self.iter_jobs(), None)

            def show_jobs(self) -> None:
                print(sorted(job.job_id for job in self.iter_jobs()))

            def poll(self, job_id: str) -> None:
                while self.get_job(job_id).status != "DONE":
                    time.sleep(0.5)

            def watch(self, job_id: str) -> Iterator[int]:
                for response, _heartbeat in resuming(
                        lambda cursor: self._transport.stream(self._jobs.Watch, cursor),
                        lambda response: (response.sequence, False), 0, 60.0,
                        ended=lambda: self.get_job(job_id).done):
                    yield response

            def history(self, job_id: str) -> Iterator[int]:
                yield from self.watch(job_id)
    ''')
    assert "async def get_job(self, job_id: str):" in text
    assert "return convert.job((await self._transport.call(self._jobs.GetJob, job_id)).job)" \
        in text
    assert ">>> (await client.get_job(job_id)).status" in text
    assert "def iter_jobs(self, page_size: int | None=None) -> AsyncIterator[int]:" in text
    assert "return AsyncPager(self._transport.call" in text
    assert "return [item async for item in self.iter_jobs()]" in text
    assert ">>> [job.job_id async for job in client.iter_jobs()]" in text
    assert "return await anext(self.iter_jobs(), None)" in text
    assert "print(sorted([job.job_id async for job in self.iter_jobs()]))" in text
    assert "while (await self.get_job(job_id)).status != 'DONE':" in text
    assert "await asyncio.sleep(0.5)" in text
    assert "async def _lambda_1():" in text and "ended=_lambda_1" in text
    assert "async for response, _heartbeat in resuming(" in text
    assert "async for item in self.watch(job_id):" in text
    assert "from driftline.aio._watching import resuming" in text
    assert "from driftline._watching import resuming" not in text
    assert "from driftline.conversions import jobs as convert" in text
    compile(text, "generated", "exec")


def test_a_pattern_the_rules_do_not_know_stops_the_generator_naming_the_method(tmp_path):
    with pytest.raises(generator.GenerationError, match=r"_sample.py:\d+ \(SampleMethods.mixed"):
        _convert(tmp_path, '''
            from driftline._pagination import Pager
            from driftline._transport import Transport


            class SampleMethods:
                _transport: Transport

                def mixed(self, flag):
                    if flag:
                        return self._transport.call(self._jobs.GetJob, None)
                    return Pager(self._transport.call, self._jobs.ListJobs, None, "jobs")
        ''')


class _Response:
    def __init__(self, items, token=""):
        self.jobs, self.next_page_token = items, token


def test_the_async_pager_is_lazy_resumes_with_anext_and_starts_over_with_async_for():
    from driftline.jobs.v1 import jobs_service_pb2 as pb

    requests = []

    async def call(method, request, idempotent):
        assert idempotent
        requests.append(request.page_token)
        pages = {"": _Response([1, 2], "a"), "a": _Response([3], "")}
        return pages[request.page_token]

    async def scenario():
        pager = AsyncPager(call, "ListJobs", pb.ListJobsRequest(), "jobs", lambda x: x * 10,
                           page_size=2, limit=3)
        assert requests == []
        assert await anext(pager) == 10 and requests == [""]
        assert [item async for item in pager] == [20, 30]  # it goes on, to the limit
        assert await anext(pager, None) is None  # consumed once
        with pytest.raises(ValueError):
            AsyncPager(call, "ListJobs", pb.ListJobsRequest(), "jobs", limit=-1)

    asyncio.run(scenario())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_async_transport_retries_with_backoff_then_raises_the_mapped_error():
    async def scenario():
        transport = AsyncTransport(f"127.0.0.1:{_free_port()}", None, timeout=2,
                                   max_attempts=3, initial_backoff=0.2, max_backoff=1.0)
        check = health_pb2_grpc.HealthStub(transport.channel).Check
        started = asyncio.get_running_loop().time()
        with pytest.raises(driftline.UnavailableError):
            await transport.call(check, health_pb2.HealthCheckRequest(), idempotent=True)
        # Two waits of 0.2 and 0.4 s, each jittered down to no less than half.
        assert asyncio.get_running_loop().time() - started >= 0.3
        await transport.close()

    asyncio.run(scenario())


def test_the_async_transport_takes_the_url_forms_and_tls_of_transport():
    async def scenario():
        secure = AsyncTransport("grpcs://127.0.0.1:1", None, timeout=1)
        assert (secure.url, secure.tls) == ("127.0.0.1:1", driftline.tls.TLSConfig())
        plain = AsyncTransport("http://127.0.0.1:1/", "dl_key", timeout=1)
        assert plain.url == "127.0.0.1:1" and plain.tls is None
        assert plain.metadata == (("authorization", "Bearer dl_key"),)
        await secure.close()
        await plain.close()

    asyncio.run(scenario())
