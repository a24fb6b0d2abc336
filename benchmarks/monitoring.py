"""Monitoring: how fast a production batch turns into a detection event, and how many batches a
task with ten models gets through, in one run on one machine (client and server share it).

Data: a REGRESSION task with 50 float inputs and each model's float prediction; a reference of
20k historical samples per model; production batches of 10k rows x 50 columns.

(a) Latency, embedded suite (SQLite): from the end of add_production_data (the upload's last
    byte acknowledged) to the batch's detection event arriving on an open
    WatchDetectionEvents stream. Batches alternate between a shift of 1.5 standard deviations in
    five columns and none, so that every batch raises events (DRIFT_ON, then DRIFT_OFF). p50 and
    p99, with the share of it that the ingestion (upload end -> batch COMMITTED) takes.
(b) The detection step alone (the detection job's computation for one model: every column's
    KS and Wasserstein against the reference, Holm, the per-sample statistics and the CUSUMs,
    the joint reconstruction error), in process, against computing the same drift report in
    Evidently (DataDriftPreset) and NannyML (univariate drift, KS and Jensen-Shannon, one
    chunk) on the same reference and batch; those two run in a separate virtualenv
    (benchmarks/baselines), installed on first use.
(c) Throughput: a task with 10 models, each with its reference; N batches uploaded back to
    back; batches per second from the first upload to the last detection job's end.

    .venv/bin/python benchmarks/monitoring.py [--batches 20] [--throughput-batches 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from harness import ServerProcess  # noqa: E402  (servers start as in the tests)

import driftline  # noqa: E402
from driftline.catalog.v1 import data_schema_pb2  # noqa: E402

COLUMNS = 50
SHIFTED = 5
REFERENCE_ROWS = 20_000
BATCH_ROWS = 10_000
START = 1_700_000_000.0


def frame(rows: int, start: float, models: list[str], *, shift: float = 0.0, seed: int = 0):
    """Inputs and each model's predictions: f00..f49 ~ N(0, 1), the first SHIFTED columns
    shifted by ``shift``; every model predicts a noisy sum of the first ten inputs."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(rows, COLUMNS))
    values[:, :SHIFTED] += shift
    ids = [f"s{seed:04d}-{i:06d}" for i in range(rows)]
    inputs = {"sample_id": ids, "timestamp": start + np.arange(rows, dtype=np.float64)}
    inputs.update({f"f{j:02d}": values[:, j] for j in range(COLUMNS)})
    signal = values[:, :10].sum(axis=1)
    predictions = [(model_id, pa.table({"sample_id": ids,
                                        f"pred_{index}": signal + rng.normal(size=rows)}))
                   for index, model_id in enumerate(models)]
    return pa.table(inputs), predictions


def schema(model_ids: list[str]) -> list[data_schema_pb2.ColumnInfo]:
    info = data_schema_pb2.ColumnInfo
    return [
        info(name="sample_id", role=data_schema_pb2.COLUMN_ROLE_ID,
             data_type=data_schema_pb2.DATA_TYPE_STRING),
        info(name="timestamp", role=data_schema_pb2.COLUMN_ROLE_TIME_ID,
             data_type=data_schema_pb2.DATA_TYPE_FLOAT),
        *(info(name=f"f{j:02d}", role=data_schema_pb2.COLUMN_ROLE_INPUT,
               data_type=data_schema_pb2.DATA_TYPE_FLOAT) for j in range(COLUMNS)),
        *(info(name=f"pred_{index}", role=data_schema_pb2.COLUMN_ROLE_PREDICTION,
               data_type=data_schema_pb2.DATA_TYPE_FLOAT, model_id=model_id)
          for index, model_id in enumerate(model_ids)),
    ]


class Task:
    """A task with ``models`` models, their history and their references."""

    def __init__(self, client: driftline.Client, project_id: str, name: str, models: int):
        self.client = client
        self.task_id = client.create_task(project_id, name, tags=[], task_type="REGRESSION",
                                          data_structure="TABULAR", optional_target=True)
        self.model_ids = [client.create_model(self.task_id, f"model-{i}", "v1", False,
                                              metric_name="RMSE",
                                              preferred_suggestion_type="SAMPLE_WEIGHTS")
                          for i in range(models)]
        client.add_data_schema(self.task_id, schema(self.model_ids))
        inputs, predictions = frame(REFERENCE_ROWS, START, self.model_ids, seed=1)
        client.wait_job_completion(client.add_historical_data(
            self.task_id, inputs, predictions=predictions, progress=False),
            show_progress=False)
        jobs = [client.set_model_reference(model_id, START, START + REFERENCE_ROWS)
                for model_id in self.model_ids]
        for job_id in jobs:
            client.wait_job_completion(job_id, max_wait_timeout=600, show_progress=False)
        self.clock = START + 10 * REFERENCE_ROWS
        self.seed = 100

    def upload(self, shift: float) -> str:
        """Upload one production batch; returns the ingestion job's id once the upload ends."""
        inputs, predictions = frame(BATCH_ROWS, self.clock, self.model_ids, shift=shift,
                                    seed=self.seed)
        self.clock += BATCH_ROWS
        self.seed += 1
        return self.client.add_production_data(self.task_id, inputs, predictions=predictions,
                                               progress=False)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


# -- (a) latency ------------------------------------------------------------------------------


def latency(client: driftline.Client, project_id: str, batches: int) -> dict:
    task = Task(client, project_id, "latency", models=1)
    arrivals: list[tuple[float, object]] = []
    arrived = threading.Condition()

    stop = threading.Event()

    def watch():
        try:
            for response in client.watch_detection_events(
                    task_id=task.task_id, heartbeat_interval=1, include_heartbeats=True):
                if stop.is_set():
                    return  # heartbeats bring the thread here once the figures are taken
                if response.heartbeat:
                    continue
                with arrived:
                    arrivals.append((time.perf_counter(), response.event))
                    arrived.notify_all()
        except Exception:
            if not stop.is_set():
                raise

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    time.sleep(1.0)  # the stream is open
    waits, ingestion = [], []
    for index in range(batches):
        seen = len(arrivals)
        job_id = task.upload(shift=1.5 if index % 2 == 0 else 0.0)
        uploaded = time.perf_counter()
        with arrived:
            if not arrived.wait_for(lambda: len(arrivals) > seen, timeout=120):
                raise SystemExit(f"(a) batch {index}: no detection event within 120 s")
            first_event = arrivals[seen][0]
        job = client.get_job(job_id)
        waits.append(first_event - uploaded)
        ingestion.append((job.finish_datetime - job.creation_datetime).total_seconds())
        time.sleep(0.3)  # let the batch's remaining events arrive before the next upload
    stop.set()
    watcher.join(10)
    detections = client.get_jobs(task_id=task.task_id, job_group="detect_drift")
    detect = [(j.finish_datetime - j.creation_datetime).total_seconds() for j in detections]
    return {"waits": waits, "ingestion": ingestion, "detection_jobs": detect}


# -- (b) the detection step against Evidently and NannyML -------------------------------------


def detection_step(repeats: int = 5) -> dict:
    from driftline_server.monitoring.detection import (
        BatchSamples,
        DetectionReference,
        advance,
        examine,
    )
    from driftline_server.monitoring.references import Column, Plan, fit_model_reference

    reference_table, reference_predictions = frame(REFERENCE_ROWS, START, ["m"], seed=1)
    batch_table, batch_predictions = frame(BATCH_ROWS, START + 10 * REFERENCE_ROWS, ["m"],
                                           shift=0.5, seed=2)
    reference_table = reference_table.append_column("pred_0",
                                                    reference_predictions[0][1]["pred_0"])
    batch_table = batch_table.append_column("pred_0", batch_predictions[0][1]["pred_0"])
    plan = Plan("sample_id", "timestamp", [Column(f"f{j:02d}", True) for j in range(COLUMNS)],
                [Column("pred_0", True)], [], None)
    fitted = fit_model_reference(plan, reference_table, min_samples=300,
                                 drift_mean_run_length=10_000, warning_mean_run_length=1_000)
    reference = DetectionReference.from_bytes(fitted.to_bytes())

    def run():
        samples = BatchSamples.of(batch_table, "sample_id", "timestamp")
        return advance(reference, {}, examine(reference, samples), samples)

    run()  # compiled kernels load once per process
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        outcome = run()
        times.append(time.perf_counter() - started)
    drifted = sorted({t.quantity.feature for t in outcome.transitions
                      if t.event_type == "DRIFT_ON" and t.quantity.feature})
    figures = {"driftline_ms": 1e3 * statistics.median(times), "driftline_drifted": drifted}
    inputs = [f"f{j:02d}" for j in range(COLUMNS)]
    from benchmarks.baselines.runner import run_baseline

    for library in ("evidently", "nannyml"):
        try:
            result = run_baseline(library, reference_table.select(inputs),
                                  batch_table.select(inputs), repeats=repeats)
            figures[f"{library}_ms"] = result["median_ms"]
            figures[f"{library}_drifted"] = result.get("drifted_columns", [])
            figures[f"{library}_version"] = result.get("version", "")
        except Exception as error:  # a baseline that cannot install is reported, not fatal
            figures[f"{library}_error"] = str(error)[-300:]
    return figures


# -- (c) throughput ---------------------------------------------------------------------------


def throughput(client: driftline.Client, project_id: str, batches: int) -> dict:
    task = Task(client, project_id, "throughput", models=10)
    started = time.perf_counter()
    for index in range(batches):
        task.upload(shift=0.5 if index % 2 else 0.0)
    deadline = time.monotonic() + 1800
    while True:
        jobs = client.get_jobs(task_id=task.task_id, job_group="detect_drift")
        if len(jobs) >= batches:
            for job in jobs:
                client.wait_job_completion(job.job_id, max_wait_timeout=1800,
                                           show_progress=False)
            break
        if time.monotonic() > deadline:
            raise SystemExit("(c) the detection jobs did not all start")
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    jobs = client.get_jobs(task_id=task.task_id, job_group="detect_drift")
    per_job = [(j.finish_datetime - j.start_datetime).total_seconds() for j in jobs]

    models = {j.detection_result.model_count for j in jobs}
    return {"batches": batches, "elapsed": elapsed, "per_job": per_job, "models": models}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--throughput-batches", type=int, default=8)
    parser.add_argument("--parts", default="abc", help="which of (a), (b), (c) to run")
    parser.add_argument("--keep-log", default="", help="copy the server's log here at the end")
    arguments = parser.parse_args()
    if "b" in arguments.parts:
        report_detection_step()
    if "a" in arguments.parts or "c" in arguments.parts:
        serve_and_measure(arguments)


def report_detection_step() -> None:
    step = detection_step()
    print(f"(b) detection step, one model, {BATCH_ROWS} x {COLUMNS} (+ prediction) against "
          f"{REFERENCE_ROWS} reference rows: {step['driftline_ms']:.1f} ms (median); drifted "
          f"columns {step['driftline_drifted']}")
    for library in ("evidently", "nannyml"):
        if f"{library}_ms" in step:
            ratio = step[f"{library}_ms"] / step["driftline_ms"]
            print(f"    {library} {step[f'{library}_version']}: {step[f'{library}_ms']:.1f} ms "
                  f"(Driftline {ratio:.1f}x faster); drifted columns "
                  f"{step[f'{library}_drifted']}")
        else:
            print(f"    {library}: not measured ({step.get(f'{library}_error')})")


def serve_and_measure(arguments) -> None:
    with fresh_database_dir() as (data_dir, url):
        server = ServerProcess(data_dir, url).start()
        try:
            _, api_key = server.create_user("bench@example.com")
            with driftline.Client(server.address, api_key, timeout=600) as client:
                client.create_company(name="Bench", address="1 Loop Road", vat="IT00000000000")
                project_id = client.create_project(name="bench", description="monitoring")
                if "a" in arguments.parts:
                    report_latency(latency(client, project_id, arguments.batches))
                if "c" in arguments.parts:
                    report_throughput(throughput(client, project_id,
                                                 arguments.throughput_batches))
        finally:
            server.stop()
            if arguments.keep_log:
                import shutil

                shutil.copy(data_dir / "server.log", arguments.keep_log)


def report_latency(found: dict) -> None:
    waits = found["waits"]
    print(f"(a) upload end -> detection event on WatchDetectionEvents, {len(waits)} batches of "
          f"{BATCH_ROWS} x {COLUMNS}: p50 {1e3 * percentile(waits, 50):.0f} ms, p99 "
          f"{1e3 * percentile(waits, 99):.0f} ms (aim: p50 < 1000 ms; ratio to the aim "
          f"{percentile(waits, 50):.2f})")
    print(f"    of which ingestion (upload end -> COMMITTED, job time): p50 "
          f"{1e3 * percentile(found['ingestion'], 50):.0f} ms; detection job (submitted -> "
          f"finished): p50 {1e3 * percentile(found['detection_jobs'], 50):.0f} ms")


def report_throughput(rate: dict) -> None:
    print(f"(c) throughput, 10 models, {rate['batches']} batches of {BATCH_ROWS} x {COLUMNS} "
          f"uploaded back to back: {rate['batches'] / rate['elapsed']:.2f} batches/s "
          f"({rate['elapsed']:.1f} s); one detection job (10 models): p50 "
          f"{1e3 * percentile(rate['per_job'], 50):.0f} ms; models per job "
          f"{sorted(rate['models'])}")


class fresh_database_dir:
    """A temporary data folder with the embedded suite's SQLite database (the figures of the
    issue are the embedded suite's, whatever database the other benchmarks use)."""

    def __enter__(self):
        import tempfile

        self._folder = tempfile.TemporaryDirectory(prefix="driftline-bench-")
        data_dir = Path(self._folder.name)
        return data_dir, f"sqlite+aiosqlite:///{data_dir / 'driftline.db'}"

    def __exit__(self, *exc):
        self._folder.cleanup()


if __name__ == "__main__":
    main()
