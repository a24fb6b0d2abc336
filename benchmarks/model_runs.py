"""Model runs: containment search (ListModelRuns.contains) at 100k runs, on the embedded suite's
SQLite and on PostgreSQL, against the "no index" baseline, in one run on one machine (client
and server share it).

Data: 100k runs (--runs to shrink it) in one project, created through the API
(BatchCreateModelRuns, 1000 a call), each with nested information of ~25 leaves: the model's
family and parameters (with a list of layer sizes), the dataset and its split, metrics, 3 tags
of 30, the owning team and user, two stages (a list of objects), a unicode key on a tenth.

Queries, 16 of each kind (48 in all), each checked against the baseline's answer:
  rare      a nested key/value that 1 to 100 runs have ({"owner": {"user": "user-1234"}},
            {"run_no": 4711}, {"data": {"dataset": "ds-17"}})
  common    a nested key/value that 5 to 12.5% of the runs have ({"model": {"family": "gbm"}},
            {"owner": {"team": "team-3"}})
  array     elements of arrays: one tag (10%), two tags (0.7%), two layer sizes inside the
            parameters (6.7%), a stage object by two of its keys (50%)
Figures, p50 and p99 over each kind's queries:
  first page   one ListModelRuns call of page_size 50: what a search costs interactively;
  all matches  every page (page_size 1000) until the last: the whole answer in the client,
               measured for the queries with at most 5000 matches (the others would time the
               transfer of tens of thousands of runs, not the search).
Baseline: every run fetched once through the API (the time that takes is printed), then each
query answered by a full scan of those runs in memory with the Python reference of the semantics
(catalog.model_runs.json_contains): to its 50th match for "first page", to the end for "all
matches". A ratio above 1 means Driftline answers faster than that scan.

PostgreSQL plans the search from the table's statistics, which autovacuum gathers within a
minute or so of a bulk load; the benchmark runs ANALYZE itself, and first times the rare queries
without statistics, to show the difference.

    .venv/bin/python benchmarks/model_runs.py [--runs 100000] [--postgres URL | --no-postgres]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import ServerProcess, fresh_database  # noqa: E402  (servers start as in the tests)

import driftline  # noqa: E402
from driftline_server.catalog.model_runs import json_contains  # noqa: E402  (the reference)

FAMILIES = ["gbm", "rf", "mlp", "cnn", "svm", "lin", "knn", "nb"]
TEAMS = [f"team-{i}" for i in range(20)]
TAGS = [f"tag-{i}" for i in range(30)]
LAYERS = [16, 32, 64, 128, 256, 512]
PAGE = 50
ALL_MATCHES_AT_MOST = 5000


def run_info(i: int) -> dict:
    rng = random.Random(i)
    info = {
        "model": {
            "family": FAMILIES[i % len(FAMILIES)],
            "params": {"lr": rng.choice([0.1, 0.03, 0.01, 0.003, 0.001]),
                       "depth": rng.randint(1, 16),
                       "layers": rng.sample(LAYERS, 2)},
        },
        "data": {"dataset": f"ds-{i % 1000}",
                 "split": {"train": 0.8, "seed": i % 97}},
        "metrics": {"auc": round(rng.random(), 6), "loss": round(rng.random() * 3, 6)},
        "tags": rng.sample(TAGS, 3),
        "owner": {"team": TEAMS[i % len(TEAMS)], "user": f"user-{i % 5000}"},
        "run_no": i,
        "stages": [{"name": "fit", "seconds": round(rng.random() * 100, 3)},
                   {"name": "eval", "ok": rng.random() < 0.5}],
    }
    if i % 10 == 0:
        info["nota_è"] = {"città": rng.choice(["Torino", "Milano", "Roma"])}
    return info


def queries(runs: int) -> dict[str, list[dict]]:
    rng = random.Random(1)
    rare, common, array = [], [], []
    for k in range(16):
        pick = k % 3
        if pick == 0:
            rare.append({"owner": {"user": f"user-{rng.randrange(min(runs, 5000))}"}})
        elif pick == 1:
            rare.append({"run_no": rng.randrange(runs)})
        else:
            rare.append({"data": {"dataset": f"ds-{rng.randrange(min(runs, 1000))}"}})
        if k % 2 == 0:
            common.append({"model": {"family": FAMILIES[k // 2 % len(FAMILIES)]}})
        else:
            common.append({"owner": {"team": TEAMS[k]}})
        pick = k % 4
        if pick == 0:
            array.append({"tags": [TAGS[k]]})
        elif pick == 1:
            array.append({"tags": rng.sample(TAGS, 2)})
        elif pick == 2:
            array.append({"model": {"params": {"layers": rng.sample(LAYERS, 2)}}})
        else:
            array.append({"stages": [{"name": "eval", "ok": k % 8 == 3}]})
    return {"rare": rare, "common": common, "array": array}


def percentiles(values: list[float]) -> tuple[float, float]:
    array = np.asarray(values) * 1000
    return float(np.percentile(array, 50)), float(np.percentile(array, 99))


def baseline(infos: list[dict], query: dict, limit: int | None) -> tuple[float, list]:
    """The no-index answer: a scan of every run in memory with the reference function."""
    started = time.perf_counter()
    found = []
    for info in infos:
        if json_contains(info, query):
            found.append(info["run_no"])
            if limit is not None and len(found) == limit:
                break
    return time.perf_counter() - started, found


def search(client: driftline.Client, project_id: str, query: dict,
           limit: int | None) -> tuple[float, list]:
    """Driftline's answer: the run_no of the first ``limit`` matches (one page), or of all."""
    started = time.perf_counter()
    if limit is None:
        runs = client.search_model_runs(project_id, query, page_size=1000)
    else:
        runs = itertools.islice(client.search_model_runs(project_id, query, page_size=limit),
                                limit)
    found = [run.model_run_info["run_no"] for run in runs]
    return time.perf_counter() - started, found


def serve(url: str):
    """A started server with a company, its owner's client and a project."""
    folder = tempfile.TemporaryDirectory(prefix="driftline-bench-")
    server = ServerProcess(Path(folder.name), url, {"DRIFTLINE_LOG_LEVEL": "warning"}).start()
    _, api_key = server.create_user("bench@example.com")
    client = driftline.Client(server.address, api_key, timeout=600)
    client.create_company(name="Bench", address="1 Loop Road", vat="IT00000000000")
    time.sleep(2.3)  # the key's roles are cached for 2 s, and it was seen without a company
    project_id = client.create_project(name="bench", description="model runs")
    return folder, server, client, project_id


def measure(name: str, url: str, infos: list[dict], kinds: dict[str, list[dict]],
            stored: list[dict] | None, before_statistics=None) -> list[dict]:
    """Creates the runs through a fresh server on ``url`` and times the queries; returns every
    run as fetched (the baseline's input) when ``stored`` is None."""
    folder, server, client, project_id = serve(url)
    try:
        started = time.perf_counter()
        client.create_model_runs(project_id, infos)
        created = time.perf_counter() - started
        print(f"{name}: {len(infos)} runs created in {created:.1f} s ({len(infos) / created:.0f} "
              "runs/s, BatchCreateModelRuns of 1000)", flush=True)
        if stored is None:
            started = time.perf_counter()
            stored = [run.model_run_info
                      for run in client.get_model_runs(project_id, page_size=1000)]
            print(f"{name}: every run fetched once, the baseline's input: "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            assert stored == infos
        if before_statistics is not None:
            before_statistics(client, project_id, kinds["rare"][:6])
        for kind, kind_queries in kinds.items():
            figures = {"first": [], "all": [], "base_first": [], "base_all": [], "matches": []}
            for query in kind_queries:
                for part, limit in (("first", PAGE), ("all", None)):
                    base_seconds, expected = baseline(stored, query, limit)
                    if part == "all":
                        figures["matches"].append(len(expected))
                        if len(expected) > ALL_MATCHES_AT_MOST:
                            continue
                    seconds, found = search(client, project_id, query, limit)
                    if found != expected:
                        raise SystemExit(f"{name}: {query} answered {len(found)} runs, the "
                                         f"reference {len(expected)}")
                    figures[part].append(seconds)
                    figures[f"base_{part}"].append(base_seconds)
            report(name, kind, figures)
        return stored
    finally:
        client.close()
        server.stop()
        folder.cleanup()


def report(name: str, kind: str, figures: dict) -> None:
    matches = figures["matches"]
    print(f"{name:10} {kind:6} ({min(matches)} to {max(matches)} matches)", flush=True)
    for part, label in (("first", "first page"), ("all", "all matches")):
        if not figures[part]:
            print(f"    {label:12} not timed: every query has over {ALL_MATCHES_AT_MOST} matches")
            continue
        p50, p99 = percentiles(figures[part])
        b50, b99 = percentiles(figures[f"base_{part}"])
        print(f"    {label:12} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  |  full scan p50 {b50:7.1f} ms"
              f"  p99 {b99:7.1f} ms  |  ratio scan/Driftline p50 {b50 / p50:5.1f}  p99 "
              f"{b99 / p99:5.1f}  ({len(figures[part])} queries)", flush=True)


def postgres_without_statistics(url: str):
    """Times some rare queries before the table has statistics, then runs ANALYZE."""
    def run(client: driftline.Client, project_id: str, rare: list[dict]) -> None:
        import psycopg

        times = [search(client, project_id, query, PAGE)[0] for query in rare]
        p50, p99 = percentiles(times)
        print(f"PostgreSQL rare, before statistics: first page p50 {p50:.1f} ms, p99 {p99:.1f} "
              f"ms ({len(rare)} queries); ANALYZE now, as autovacuum would", flush=True)
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as connection:
            connection.execute("ANALYZE catalog_model_runs")

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("DRIFTLINE_TEST_DATABASE_URL", ""),
                        help="PostgreSQL URL of the second leg (skipped when empty)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()

    infos = [run_info(i) for i in range(args.runs)]
    kinds = queries(args.runs)
    print(f"{args.runs} runs of ~25 leaves; {sum(map(len, kinds.values()))} containment "
          f"queries; one {os.cpu_count()}-core machine, client and server share it\n",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="driftline-bench-sqlite-") as folder:
        stored = measure("SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'driftline.db'}",
                         infos, kinds, None)
    if args.postgres.startswith("postgresql") and not args.no_postgres:
        os.environ["DRIFTLINE_TEST_DATABASE_URL"] = args.postgres
        with tempfile.TemporaryDirectory() as folder:
            database = fresh_database(Path(folder))
            try:
                print()
                measure("PostgreSQL", database.url, infos, kinds, stored,
                        postgres_without_statistics(database.url))
            finally:
                database.drop()
    else:
        print("\nPostgreSQL: skipped (no --postgres URL or DRIFTLINE_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
