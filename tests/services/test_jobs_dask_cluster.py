"""Jobs on an external Dask cluster: a scheduler and two worker processes on loopback, started
here; the server runs its jobs there with no other change than --dask-scheduler."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_company
from driftline.jobs.v1 import job_pb2
from harness import ServerProcess, free_port, fresh_database

S = job_pb2
DASK = str(Path(sys.executable).with_name("dask"))


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dask exited with {process.returncode}:\n{log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"dask did not listen on {port} in {timeout}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    token = secrets.token_urlsafe(32)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTLINE_")}
    env["DRIFTLINE_INTERNAL_TOKEN"] = token  # workers call the Jobs service as a service
    processes = []

    def spawn(name: str, *args: str) -> tuple[subprocess.Popen, Path]:
        log = root / f"{name}.log"
        process = subprocess.Popen([DASK, *args], env=env, cwd=root,
                                   stdout=open(log, "wb"), stderr=subprocess.STDOUT)
        processes.append(process)
        return process, log

    try:
        scheduler, log = spawn("scheduler", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard")
        _wait_for_port(port, scheduler, log)
        for index in range(2):
            spawn(f"worker-{index}", "worker", f"tcp://127.0.0.1:{port}", "--host", "127.0.0.1",
                  "--nthreads", "2", "--no-dashboard", "--name", f"test-worker-{index}")
        yield f"tcp://127.0.0.1:{port}", token
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def remote_server(cluster, tmp_path_factory):
    scheduler, token = cluster
    root = tmp_path_factory.mktemp("driftline-dask")
    database = fresh_database(root)
    process = ServerProcess(root, database.url, {"DRIFTLINE_INTERNAL_TOKEN": token})
    process.start("--dask-scheduler", scheduler)
    try:
        yield process
    finally:
        process.stop()
        database.drop()


def test_jobs_run_on_the_external_workers(remote_server):
    company = make_company(remote_server, "Cluster")
    owner = company.owner
    project_id = owner.create_project(name="clustered", description="")
    ids = [owner.submit_diagnostics_job(project_id, steps=2, step_seconds=0.2) for _ in range(6)]
    workers = set()
    for job_id in ids:
        job = owner.wait_job_completion(job_id, max_wait_timeout=60)
        assert job.diagnostics_result.steps_completed == 2
        workers.add(job.diagnostics_result.worker_address)
    assert workers and all(address.startswith("tcp://127.0.0.1:") for address in workers)
    # Failures, retries and cancellation work the same on the external cluster.
    failing = owner.submit_diagnostics_job(project_id, steps=1, step_seconds=0, fail=True,
                                           transient_failures=1)
    history = list(owner.watch_job(failing, timeout=60))
    assert history[-1].status == S.JOB_STATUS_FAILED
    assert history[-1].error.reason == "DIAGNOSTICS_FAILURE" and history[-1].attempt == 2
    long = owner.submit_diagnostics_job(project_id, steps=200, step_seconds=0.05)
    for event in owner.watch_job(long, timeout=30):
        if event.event_type == S.JOB_EVENT_TYPE_PROGRESS:

            owner.cancel_job(long)
    assert owner.get_job(long).status == S.JOB_STATUS_CANCELLED
    company.close()


def test_an_unreachable_scheduler_stops_the_server_with_a_clear_message(tmp_path):
    database = fresh_database(tmp_path)
    process = ServerProcess(tmp_path, database.url,
                            {"DRIFTLINE_DASK_SCHEDULER": f"tcp://127.0.0.1:{free_port()}"})
    try:
        with pytest.raises(RuntimeError) as raised:
            process.start(timeout=90)
        assert "cannot reach the Dask scheduler" in str(raised.value)
    finally:
        process.stop()
        database.drop()
