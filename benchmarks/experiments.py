"""Experiments: metric points appended per second through LogMetrics (client-streamed, messages of
1000 points, one answer per stream of up to 100 000) against the baseline of one unary
AppendMetrics call per point, on the embedded suite's SQLite and on PostgreSQL, in one run on
one machine (client and server share it). Also the metrics logger (``log`` per point, streamed
in the background), as a training loop would use it.

Points: a name of 8 ("loss", "accuracy", ...), a phase, an epoch, a step and a time, for one
model. Each figure is points stored (as the server answered) over wall-clock seconds, from the
first point sent to the last answer; every run checks that the server stored them all.

    .venv/bin/python benchmarks/experiments.py [--points 200000] [--unary-points 2000]
                                               [--postgres URL | --no-postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import fresh_database  # noqa: E402  (servers start as in the tests)
from model_runs import serve  # noqa: E402  (the same server, company and project set-up)

import driftline  # noqa: E402
from driftline import MetricPoint  # noqa: E402

NAMES = ["loss", "accuracy", "precision", "recall", "f1", "auc", "lr", "grad_norm"]
PHASES = ["TRAINING", "VALIDATION"]
START = datetime(2026, 11, 25, tzinfo=timezone.utc)


def points(model_id: str, count: int) -> list[MetricPoint]:
    return [MetricPoint(model_id, NAMES[i % len(NAMES)], 1.0 / (i + 1), PHASES[i % 2],
                        i // 10_000, i, START + timedelta(microseconds=i))
            for i in range(count)]


def timed(run) -> tuple[int, float]:
    started = time.perf_counter()
    stored = run()
    return stored, time.perf_counter() - started


def stored_count(client: driftline.Client, model_id: str) -> int:
    return sum(1 for _ in client.get_metrics(model_id, page_size=1000))


def measure(name: str, url: str, streamed: int, unary: int) -> None:
    folder, server, client, project_id = serve(url)
    try:
        experiment = client.create_experiment(project_id, "bench")
        models = {kind: client.create_experiment_model(experiment.experiment_id,
                                                      kind).experiment_model_id
                  for kind in ("streamed", "logger", "unary")}
        figures = {}

        batch = points(models["streamed"], streamed)
        stored, seconds = timed(lambda: client.log_metrics(batch, batch_size=1000))
        figures["LogMetrics (streams of 100k, messages of 1000)"] = (stored, seconds)

        batch = points(models["logger"], streamed)

        def log_each() -> int:
            with client.metrics_logger(models["logger"]) as logger:
                for point in batch:
                    logger.log(point.name, point.value, phase=point.phase, epoch=point.epoch,
                               step=point.step, time=point.time)
            return logger.stored

        figures["metrics_logger (log per point, streamed behind)"] = timed(log_each)

        batch = points(models["unary"], unary)
        stored, seconds = timed(lambda: sum(client.append_metrics([point]) for point in batch))
        figures["AppendMetrics, one unary call per point (baseline)"] = (stored, seconds)

        expected = {"streamed": streamed, "logger": streamed, "unary": unary}
        for kind, model_id in models.items():
            found = stored_count(client, model_id)
            if found != expected[kind]:
                raise SystemExit(f"{name}: {kind} stored {found} points, not {expected[kind]}")

        baseline = unary / figures["AppendMetrics, one unary call per point (baseline)"][1]
        for label, (stored, seconds) in figures.items():
            rate = stored / seconds
            print(f"{name:10}  {label:52} {stored:7} points in {seconds:6.2f} s: {rate:9.0f} "
                  f"points/s  (x{rate / baseline:6.1f} the unary baseline)", flush=True)
    finally:
        client.close()
        server.stop()
        folder.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=200_000,
                        help="points streamed (and logged through the logger)")
    parser.add_argument("--unary-points", type=int, default=2000,
                        help="points of the baseline, one call each")
    parser.add_argument("--postgres", default=os.environ.get("DRIFTLINE_TEST_DATABASE_URL", ""),
                        help="PostgreSQL URL of the second leg (skipped when empty)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()

    print(f"{args.points} points streamed and logged, {args.unary_points} appended one call "
          f"each; one {os.cpu_count()}-core machine, client and server share it\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="driftline-bench-sqlite-") as folder:
        measure("SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'driftline.db'}", args.points,
                args.unary_points)
    if args.postgres.startswith("postgresql") and not args.no_postgres:
        os.environ["DRIFTLINE_TEST_DATABASE_URL"] = args.postgres
        with tempfile.TemporaryDirectory() as folder:
            database = fresh_database(Path(folder))
            try:
                measure("PostgreSQL", database.url, args.points, args.unary_points)
            finally:
                database.drop()
    else:
        print("PostgreSQL: skipped (no --postgres URL or DRIFTLINE_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
