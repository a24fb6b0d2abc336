"""Unary RPC throughput and latency: an authenticated GetProject through the full stack
(interceptors, API-key authentication, authorization, database read) against a bare grpc.aio
echo server, with the same client harness and concurrency, in one run.

    .venv/bin/python benchmarks/rpc.py [--clients 8] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import ServerProcess  # noqa: E402  (servers start as in the tests)

import driftline  # noqa: E402
from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc  # noqa: E402


async def _drive(make_call, clients: int, seconds: float) -> dict:
    """``clients`` concurrent callers, each calling back-to-back for ``seconds``."""
    latencies: list[float] = []
    for _ in range(50):  # warm-up: connections, caches
        await make_call()
    stop_at = time.perf_counter() + seconds

    async def caller():
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            await make_call()
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "calls": len(latencies),
        "throughput": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def bench_echo(port: int, clients: int, seconds: float, payload: bytes) -> dict:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        echo = channel.unary_unary("/bench.Bare/Echo")
        return await _drive(lambda: echo(payload), clients, seconds)


async def bench_get_project(address: str, api_key: str, project_id: str, clients: int,
                            seconds: float) -> tuple[dict, int]:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = catalog_service_pb2_grpc.CatalogServiceStub(channel)
        request = catalog_service_pb2.GetProjectRequest(project_id=project_id)
        metadata = (("authorization", f"Bearer {api_key}"),)
        size = len((await stub.GetProject(request, metadata=metadata)).SerializeToString())
        result = await _drive(lambda: stub.GetProject(request, metadata=metadata), clients, seconds)
        return result, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        server = ServerProcess(data_dir, f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
                               {"DRIFTLINE_LOG_LEVEL": "warning"}).start()
        echo = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "bare_server.py")],
                                stdout=subprocess.PIPE, text=True)
        try:
            echo_port = int(echo.stdout.readline())
            _, api_key = server.create_user("bench@example.com")
            client = driftline.Client(server.address, api_key)
            client.create_company(name="Bench", address="1 Loop Road", vat="IT00000000000")
            project_id = client.create_project(name="bench", description="benchmark project")
            full, size = asyncio.run(bench_get_project(
                server.address, api_key, project_id, args.clients, args.seconds))
            floor = asyncio.run(bench_echo(echo_port, args.clients, args.seconds, b"x" * size))
        finally:
            echo.terminate()
            server.stop()

    print(f"\nUnary RPC, {args.clients} concurrent clients, {args.seconds:.0f} s each, "
          f"{size}-byte responses, one 2-core machine (client and server share it)\n")
    print(f"{'':34}{'calls/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, r in (("GetProject (full stack)", full), ("bare grpc.aio echo (floor)", floor)):
        print(f"{name:34}{r['throughput']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}")
    print(f"{'ratio full stack / floor':34}{full['throughput'] / floor['throughput']:>10.2f}"
          f"{full['p50_ms'] / floor['p50_ms']:>10.2f}{full['p99_ms'] / floor['p99_ms']:>10.2f}")


if __name__ == "__main__":
    main()
