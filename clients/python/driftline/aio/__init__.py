"""Driftline's client for asyncio: ``driftline.AsyncClient``, the same methods as
``driftline.Client`` on grpc.aio, for services that call Driftline from an event loop.

The async client is generated from the blocking one (tools/generate_async_client.py, run by
``make generate``; ``make check-generated`` and tests/platform/test_async_client.py fail when they
are out of step): every method that calls the server is a coroutine, every listing and watch an
async iterator.

>>> import driftline
>>> async with driftline.AsyncClient("127.0.0.1:50051", api_key="dl_...") as client:
...     project_id = await client.create_project(name="churn", description=None)
...     async for job in client.iter_jobs(project_id=project_id):
...         print(job.job_id)
"""

from driftline.aio._counterparts import AsyncMetricsLogger
from driftline.aio._pagination import AsyncPager
from driftline.aio._transport import AsyncTransport
from driftline.aio.client import AsyncClient, AsyncStubs

__all__ = ["AsyncClient", "AsyncMetricsLogger", "AsyncPager", "AsyncStubs", "AsyncTransport"]
