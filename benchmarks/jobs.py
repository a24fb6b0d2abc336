"""Jobs: how fast events reach watchers, how many jobs the engine completes per second, and
what an open watch stream costs the server.

* event latency: from a job's event being recorded (its event_time) to a WatchJobs client
  receiving it, p50/p99, embedded (SQLite, one process) and, with a PostgreSQL URL, two
  replicas (jobs run through one, watched through the other: LISTEN/NOTIFY). Floor: a bare
  asyncio.Queue hand-off between two tasks of one process.
* throughput: submitting and completing N no-op jobs (default 10,000) through the internal
  SubmitJob, against the same number of no-op tasks submitted straight to a Dask LocalCluster
  of the same shape (the engine's floor).
* memory: 1,000 concurrent WatchJobs streams held open: server RSS growth per stream, and the
  time for one job's terminal event to reach all of them.

    .venv/bin/python benchmarks/jobs.py [--jobs 10000] [--streams 1000]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

import grpc
from google.protobuf import struct_pb2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import ServerProcess, fresh_database  # noqa: E402  (servers start as in tests)

from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb, jobs_service_pb2_grpc  # noqa: E402


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _metadata(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


def _token(server: ServerProcess) -> str:
    return server.extra_env.get("DRIFTLINE_INTERNAL_TOKEN") or (
        server.data_dir / "internal.token"
    ).read_text().strip()


# -- the floor: a bare asyncio queue hand-off ---------------------------------------------


async def queue_handoff(count: int = 20_000) -> list[float]:
    queue: asyncio.Queue = asyncio.Queue()
    lags: list[float] = []

    async def consumer():
        for _ in range(count):
            sent = await queue.get()
            lags.append(time.perf_counter() - sent)

    task = asyncio.create_task(consumer())
    for _ in range(count):
        queue.put_nowait(time.perf_counter())
        await asyncio.sleep(0)  # one hand-off at a time, as events come one by one
    await task
    return lags


# -- event latency ------------------------------------------------------------------------


async def event_latency(submit_to: ServerProcess, watch_on: ServerProcess, jobs: int = 20,
                        steps: int = 20, concurrent: int = 4) -> list[float]:
    """Lags (s) of every event of ``jobs`` diagnostics jobs (``concurrent`` at a time, each
    reporting progress every 20 ms) run through ``submit_to`` and received by a WatchJobs
    stream on ``watch_on``."""
    token = _token(submit_to)
    async with grpc.aio.insecure_channel(submit_to.address) as submit_channel, \
            grpc.aio.insecure_channel(watch_on.address) as watch_channel:
        submitter = jobs_service_pb2_grpc.JobsServiceStub(submit_channel)
        watcher = jobs_service_pb2_grpc.JobsServiceStub(watch_channel)
        stream = watcher.WatchJobs(pb.WatchJobsRequest(), metadata=_metadata(_token(watch_on)))
        opening = await stream.read()  # the opening heartbeat: the stream is live
        assert opening.event.type == job_pb2.JOB_EVENT_TYPE_HEARTBEAT
        arguments = struct_pb2.Struct()
        arguments.update({"steps": steps, "step_seconds": 0.02})

        async def submit():
            await submitter.SubmitJob(pb.SubmitJobRequest(type="diagnostics", arguments=arguments),
                                      metadata=_metadata(token))

        for _ in range(concurrent):
            await submit()
        lags, done = [], 0
        while done < jobs:
            response = await asyncio.wait_for(stream.read(), 60)
            event = response.event
            if event.type == job_pb2.JOB_EVENT_TYPE_HEARTBEAT:
                continue
            lags.append(time.time() - event.event_time.ToMicroseconds() / 1e6)
            if event.status == job_pb2.JOB_STATUS_COMPLETED:
                done += 1
                if done + concurrent <= jobs:
                    await submit()
        stream.cancel()
        return lags


# -- throughput ---------------------------------------------------------------------------


async def job_throughput(server: ServerProcess, count: int, concurrency: int = 32) -> float:
    """Seconds to submit and complete ``count`` no-op jobs."""
    token = _token(server)
    async with grpc.aio.insecure_channel(server.address) as channel:
        stub = jobs_service_pb2_grpc.JobsServiceStub(channel)
        stream = stub.WatchJobs(
            pb.WatchJobsRequest(filter=pb.JobFilter(statuses=[job_pb2.JOB_STATUS_COMPLETED,
                                                              job_pb2.JOB_STATUS_FAILED])),
            metadata=_metadata(token),
        )
        await stream.read()  # opening heartbeat
        arguments = struct_pb2.Struct()
        arguments.update({"steps": 0})
        request = pb.SubmitJobRequest(type="diagnostics", arguments=arguments)
        started = time.perf_counter()
        remaining = iter(range(count))

        async def submitter():
            for _ in remaining:
                await stub.SubmitJob(request, metadata=_metadata(token))

        submitting = asyncio.gather(*(submitter() for _ in range(concurrency)))
        finished = failed = 0
        while finished < count:
            response = await asyncio.wait_for(stream.read(), 120)
            if response.event.type == job_pb2.JOB_EVENT_TYPE_STATUS_CHANGED:
                finished += 1
                failed += response.event.status == job_pb2.JOB_STATUS_FAILED
        elapsed = time.perf_counter() - started
        await submitting
        stream.cancel()
        if failed:
            raise RuntimeError(f"{failed} no-op jobs failed")
        return elapsed


def _noop(_index: int) -> None:
    return None


def dask_throughput(count: int) -> float:
    """Seconds for a LocalCluster shaped like the embedded engine to run ``count`` no-ops."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=max(2, os.cpu_count() or 2),
                      processes=False, dashboard_address=None, silence_logs=40,
                      scheduler_kwargs={"dashboard": False,
                                        "dashboard_address": "127.0.0.1:0"}) as cluster, \
            Client(cluster) as client:
        started = time.perf_counter()
        futures = [client.submit(_noop, index, pure=False) for index in range(count)]
        client.gather(futures)
        return time.perf_counter() - started


# -- memory of open streams ---------------------------------------------------------------


async def open_streams(server: ServerProcess, count: int) -> tuple[float, float]:
    """(server RSS growth per open WatchJobs stream in KiB, seconds for one job's terminal
    event to reach every stream)."""
    token = _token(server)
    channels = [grpc.aio.insecure_channel(server.address) for _ in range(max(1, count // 100))]
    try:
        await asyncio.sleep(0.5)
        before = _rss_kib(server.process.pid)
        streams = []
        for index in range(count):
            stub = jobs_service_pb2_grpc.JobsServiceStub(channels[index % len(channels)])
            streams.append(stub.WatchJobs(pb.WatchJobsRequest(), metadata=_metadata(token)))
        await asyncio.gather(*(stream.read() for stream in streams))  # every one is open
        await asyncio.sleep(0.5)
        after = _rss_kib(server.process.pid)

        arguments = struct_pb2.Struct()
        arguments.update({"steps": 0})
        stub = jobs_service_pb2_grpc.JobsServiceStub(channels[0])

        async def until_completed(stream):
            while True:
                response = await asyncio.wait_for(stream.read(), 60)
                if response.event.status == job_pb2.JOB_STATUS_COMPLETED:
                    return time.perf_counter()

        waiting = [asyncio.create_task(until_completed(stream)) for stream in streams]
        await stub.SubmitJob(pb.SubmitJobRequest(type="diagnostics", arguments=arguments),
                             metadata=_metadata(token))
        arrivals = await asyncio.gather(*waiting)
        fan_out = max(arrivals) - min(arrivals)
        for stream in streams:
            stream.cancel()
        return (after - before) / count, fan_out
    finally:
        for channel in channels:
            await channel.close()


# -- main ---------------------------------------------------------------------------------


def _start(data_dir: Path, url: str, env: dict[str, str] | None = None) -> ServerProcess:
    data_dir.mkdir(parents=True, exist_ok=True)
    return ServerProcess(data_dir, url, {"DRIFTLINE_LOG_LEVEL": "warning", **(env or {})}).start()


def _row(name: str, lags: list[float], floor_p50: float, floor_p99: float) -> None:
    p50, p99 = _percentile(lags, 0.5) * 1000, _percentile(lags, 0.99) * 1000
    print(f"{name:<44} p50 {p50:8.2f} ms ({p50 / floor_p50:9.0f}x)   "
          f"p99 {p99:8.2f} ms ({p99 / floor_p99:9.0f}x)   events {len(lags)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=10_000, help="no-op jobs for throughput")
    parser.add_argument("--streams", type=int, default=1_000, help="WatchJobs streams held open")
    parser.add_argument("--postgres", default=os.environ.get("DRIFTLINE_TEST_DATABASE_URL", ""),
                        help="PostgreSQL URL for the two-replica figures (skipped when empty)")
    args = parser.parse_args()

    floor = asyncio.run(queue_handoff())
    floor_p50, floor_p99 = _percentile(floor, 0.5) * 1000, _percentile(floor, 0.99) * 1000
    print("event latency: event recorded -> WatchJobs client received it")
    print(f"{'floor: asyncio.Queue hand-off, one process':<44} p50 {floor_p50:8.4f} ms"
          f"{'':13}   p99 {floor_p99:8.4f} ms")

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        server = _start(root / "embedded", f"sqlite+aiosqlite:///{root / 'embedded.db'}")
        try:
            lags = asyncio.run(event_latency(server, server))
            _row("embedded (SQLite, one process)", lags, floor_p50, floor_p99)

            if args.postgres.startswith("postgresql"):
                os.environ["DRIFTLINE_TEST_DATABASE_URL"] = args.postgres
                database = fresh_database(root)
                shared = {"DRIFTLINE_INTERNAL_TOKEN": secrets.token_urlsafe(32)}
                a = _start(root / "a", database.url, shared)
                b = _start(root / "b", database.url, shared)
                try:
                    lags = asyncio.run(event_latency(a, b))
                    _row("PostgreSQL, two replicas (run on A, watch B)", lags, floor_p50,
                         floor_p99)
                finally:
                    a.stop(), b.stop()
                    database.drop()
            else:
                print("PostgreSQL, two replicas: skipped (no --postgres URL)")

            print(f"\nthroughput: {args.jobs} no-op jobs submitted and completed")
            seconds = asyncio.run(job_throughput(server, args.jobs))
            floor_seconds = dask_throughput(args.jobs)
            print(f"{'Jobs service (SubmitJob -> COMPLETED event)':<44} {args.jobs / seconds:9.0f}"
                  f" jobs/s  ({seconds:.1f} s)")
            print(f"{'floor: bare Dask LocalCluster, same shape':<44} "
                  f"{args.jobs / floor_seconds:9.0f} tasks/s ({floor_seconds:.1f} s)  "
                  f"ratio {seconds / floor_seconds:.0f}x slower")

            print(f"\nmemory: {args.streams} WatchJobs streams held open")
            per_stream, fan_out = asyncio.run(open_streams(server, args.streams))
            print(f"{'server RSS growth per open stream':<44} {per_stream:9.1f} KiB")
            print(f"{'one event reaching every stream (spread)':<44} {fan_out * 1000:9.1f} ms")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
