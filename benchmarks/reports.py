"""Task reports: a RAG evaluation and a topic modelling of 100k samples, their time and the
server's peak memory, on the embedded suite (SQLite; client and server share the machine).

Data: a RAG task whose samples are synthetic exchanges on eight themes: a question of ~15
words, three retrieved contexts of ~60 words (one on the question's theme), an answer of ~40
words drawn from the first context or invented, a target answer of ~20 words.

Baselines, both about the same samples:
- time: reading them once through the client (ReadSamples into one Table), the least any report
  over them costs; the reports read them twice (a first pass counts terms or fills the
  reservoir, a second scores or assigns);
- memory: their size as one in-memory Arrow table, what a job that loads them whole holds
  before it computes anything. The reports stream them; their peak at 100k against their peak
  at 25k says whether memory grows with the number of samples.

Each measured report runs in a freshly started server (the same database and storage), after a
report of 200 samples that loads what every report loads once (numba's compiled kernels,
scikit-learn): the figure is the server's peak resident memory during the report above what it
held before it, so neither that one-time load nor memory kept from an earlier report counts.

    .venv/bin/python benchmarks/reports.py [--sizes 25000,100000,200000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "services"))

from harness import PeakRss, ServerProcess  # noqa: E402
from monitoring_helpers import make_rag_task  # noqa: E402  (the tests' RAG task and schema)

import driftline  # noqa: E402

START = 1_700_000_000.0
SEPARATOR = "\n---\n"
THEMES = [
    "invoice refund payment charge billing receipt card subscription renewal discount".split(),
    "delivery parcel courier shipping tracking warehouse address package return label".split(),
    "password login account security verification email reset profile device access".split(),
    "battery charger screen phone update bluetooth camera storage speaker repair".split(),
    "flight booking seat airport luggage boarding ticket gate delay passport".split(),
    "recipe oven pasta garlic sauce butter flour dinner kitchen tomato".split(),
    "match goal league striker season coach stadium referee team fans".split(),
    "mortgage loan interest savings deposit branch credit balance rate bank".split(),
]
FILLER = "the a of to and in is for on with that this it my your can how what".split()


def _sentence(rng, theme: list[str], words: int) -> str:
    picked = np.where(rng.random(words) < 0.6, rng.choice(theme, words), rng.choice(FILLER, words))
    return " ".join(picked) + "."


def samples(count: int, seed: int = 0) -> tuple[pa.Table, pa.Table, pa.Table]:
    rng = np.random.default_rng(seed)
    ids = [f"s-{i:07d}" for i in range(count)]
    themes = rng.integers(0, len(THEMES), count)
    questions, contexts, answers, targets = [], [], [], []
    for index in range(count):
        theme = THEMES[themes[index]]
        other = THEMES[(themes[index] + 1 + index % 7) % len(THEMES)]
        passage = " ".join(_sentence(rng, theme, 12) for _ in range(5))
        questions.append(_sentence(rng, theme, 15))
        contexts.append(SEPARATOR.join([passage, " ".join(_sentence(rng, other, 12)
                                                          for _ in range(5)),
                                        " ".join(_sentence(rng, theme, 12) for _ in range(5))]))
        answers.append(passage[:260] if index % 3 else _sentence(rng, other, 40))
        targets.append(passage[:130])
    inputs = pa.table({"sample_id": ids, "timestamp": START + np.arange(count, dtype=float),
                       "user_input": questions, "retrieved_context": contexts})
    return (inputs, pa.table({"sample_id": ids, "answer": answers}),
            pa.table({"sample_id": ids, "expected_answer": targets}))


def timed_report(server, client, compute) -> tuple[float, int]:
    """Seconds from the Compute call to its job's end, and the server's peak RSS meanwhile
    above what it held before."""
    with PeakRss(server.process.pid) as peak:
        before = peak.rss()
        started = time.perf_counter()
        client.wait_job_completion(compute(client), max_wait_timeout=3600)
        seconds = time.perf_counter() - started
    return seconds, peak.peak - before


def restarted(server, client, api_key: str):
    """The server stopped and started again on its database and storage, and a new client."""
    client.close()
    server.stop()
    server.start()
    return driftline.Client(server.address, api_key, timeout=600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="25000,100000,200000",
                        help="the ranges' sample counts: the reports on 100k are the figure; "
                             "the others show whether time and peak memory grow with them")
    arguments = parser.parse_args()
    sizes = sorted(int(size) for size in arguments.sizes.split(","))
    folder = tempfile.TemporaryDirectory(prefix="driftline-bench-reports-")
    server = ServerProcess(Path(folder.name), f"sqlite+aiosqlite:///{folder.name}/driftline.db",
                           {"DRIFTLINE_LOG_LEVEL": "warning"}).start()
    _, api_key = server.create_user("bench@example.com")
    client = driftline.Client(server.address, api_key, timeout=600)
    client.create_company(name="Bench", address="1 Loop Road", vat="IT00000000000")
    time.sleep(2.3)  # the key's roles are cached for 2 s, and it was seen without a company
    project_id = client.create_project(name="bench", description="reports")
    try:
        task_id, model_id = make_rag_task(client, project_id, SEPARATOR)
        started = time.perf_counter()
        inputs, answers, targets = samples(sizes[-1])
        client.wait_job_completion(client.add_historical_data(
            task_id, inputs, target=targets, predictions=[(model_id, answers)], progress=False),
            max_wait_timeout=3600)
        print(f"{sizes[-1]} RAG samples made and uploaded in "
              f"{time.perf_counter() - started:.1f} s", flush=True)

        kinds = {
            "RAG evaluation": lambda c, e: c.compute_rag_evaluation_report(
                task_id, "bench", START, e),
            "topic modelling": lambda c, e: c.compute_topic_modeling_report(
                task_id, "bench", START, e),
        }
        peaks = {}
        for count in sizes:
            end = START + count
            started = time.perf_counter()
            table = client.read_samples(task_id, from_timestamp=START, to_timestamp=end)
            read_seconds = time.perf_counter() - started
            whole = table.nbytes
            del table
            for kind, compute in kinds.items():
                client = restarted(server, client, api_key)
                client.wait_job_completion(compute(client, START + 200), max_wait_timeout=600)
                seconds, peak = timed_report(server, client, lambda c, e=end: compute(c, e))
                peaks[(kind, count)] = peak
                print(f"{kind:16} {count:7} samples: {seconds:6.1f} s, {count / seconds:6.0f} "
                      f"samples/s (x{seconds / read_seconds:5.1f} the {read_seconds:.1f} s of "
                      f"reading them once); server peak +{peak / 2**20:6.0f} MiB (x"
                      f"{peak / whole:4.2f} the {whole / 2**20:.0f} MiB they take whole)",
                      flush=True)
        for kind in kinds:
            for count in sizes[1:]:
                ratio = peaks[(kind, count)] / max(peaks[(kind, sizes[0])], 1)
                print(f"{kind:16} peak memory at {count} samples: x{ratio:.2f} its peak at "
                      f"{sizes[0]} ({count / sizes[0]:.0f}x the samples)")
    finally:
        client.close()
        server.stop()
        folder.cleanup()


if __name__ == "__main__":
    main()
