"""`make bench`: every benchmark of the suite, one after another, each printing its figures as
ratios against its named baseline (quality.py: detection figures beside its peers')."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    ["benchmarks/rpc.py"],
    ["benchmarks/jobs.py"],
    ["benchmarks/data.py"],
    ["benchmarks/monitoring.py"],
    ["benchmarks/model_runs.py"],
    ["benchmarks/experiments.py"],
    ["benchmarks/reports.py"],
    ["benchmarks/core/run.py"],
    # Detection quality, not speed: the quick subset (a few minutes); the full run by hand.
    ["benchmarks/quality.py", "--quick"],
    ["benchmarks/false_alarms.py", "--quick"],
    ["benchmarks/weights_quality.py"],
]

if __name__ == "__main__":
    failed = 0
    for bench in BENCHMARKS:
        if not (ROOT / bench[0]).exists():
            continue
        print(f"\n=== {' '.join(bench)}", flush=True)
        failed |= subprocess.call([sys.executable, *bench], cwd=ROOT) != 0
    sys.exit(failed)
