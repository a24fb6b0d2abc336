"""False drift alarms on stationary data against the promise a user sets.

A reference's ``batches_between_false_alarms`` promises that, on stationary data, a monitored
target raises a false DRIFT_ON once in that many production batches on average. This measures
it for the INPUT target (every input column, numeric and categorical) of several populations:
NannyML's and scikit-learn's bundled data sets (as benchmarks/quality.py draws them: the large
ones resampled, the small ones by a smoothed bootstrap) and synthetic Gaussian and heavy-tailed
columns. For each population and setting, fresh references are drawn from the population (not
batches from the reference: the reference's own sampling noise is part of what the promise must
survive), each is calibrated as a reference job calibrates it, and stationary batches drawn from
the population go through the same batch tests and status rules detection uses, until about
``--events`` false alarms are expected (the counting noise is 1/sqrt(events)).

The replay goes through detection's own pieces (core.batch_tests' tests and calibration,
detection.next_status and the thresholds Thresholds.of would give), not the whole job: the
joint quantity (PCA reconstruction error) is left out, so that hundreds of thousands of batches
take minutes. Printed per population and setting: the batches replayed, the false DRIFT_ON
events, the expected ones, and their ratio (1.00 keeps the promise exactly).

    .venv/bin/python benchmarks/false_alarms.py [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "services"))

from benchmarks import quality  # noqa: E402
from driftline_server.monitoring.core.batch_tests import (  # noqa: E402
    CATEGORICAL,
    NUMERIC,
    QuantitySample,
    calibrate_target,
    categorical_batch_test,
    numeric_batch_test,
)
from driftline_server.monitoring.detection import Thresholds, next_status  # noqa: E402
from driftline_server.monitoring.references import (  # noqa: E402
    MAX_PERMUTATIONS,
    MIN_PERMUTATIONS,
    alarm_levels,
)

SETTINGS = (10, 100, 1000)
DATASETS = ("car_loan", "breast_cancer", "gaussian", "student_t3")


class Reference:
    """One reference of the INPUT target, calibrated as the reference job calibrates it."""

    def __init__(self, frame, numeric: list[str], categorical: list[str],
                 batches_between: float, seed: int):
        self.numeric, self.categorical = numeric, categorical
        self.sorted = [np.sort(frame[c].to_numpy(np.float64)) for c in numeric]
        self.levels = [{v: i for i, v in enumerate(sorted(frame[c].unique()))}
                       for c in categorical]
        self.counts = []
        samples = [QuantitySample(NUMERIC, frame[c].to_numpy(np.float64)) for c in numeric]
        for column, levels in zip(categorical, self.levels):
            codes = self.codes(frame[column], levels)
            self.counts.append(np.bincount(codes, minlength=len(levels) + 1).astype(float))
            samples.append(QuantitySample(CATEGORICAL, codes))
        drift = alarm_levels(batches_between).drift
        permutations = int(min(MAX_PERMUTATIONS, max(MIN_PERMUTATIONS, 50 / drift)))
        calibration = calibrate_target(samples, permutations=permutations, seed=seed)
        levels = alarm_levels(batches_between)
        self.thresholds = Thresholds(calibration.threshold(levels.drift),
                                     calibration.threshold(levels.warning))

    @staticmethod
    def codes(values, levels: dict) -> np.ndarray:
        unseen = len(levels)
        return np.array([levels.get(v, unseen) for v in values], dtype=np.int64)

    def p_values(self, batch) -> list[float]:
        found = []
        for column, reference in zip(self.numeric, self.sorted):
            test = numeric_batch_test(reference, reference.size,
                                      batch[column].to_numpy(np.float64))
            found.append(test.p_value if test else 1.0)
        for column, levels, counts in zip(self.categorical, self.levels, self.counts):
            test = categorical_batch_test(counts, self.codes(batch[column], levels))
            found.append(test.p_value if test else 1.0)
        return found


def measure(dataset: quality.Dataset, batches_between: float, events: int, references: int,
            reference_rows: int, batch_rows: int, seed: int) -> dict:
    """False DRIFT_ON events of the INPUT target over stationary batches of ``dataset``."""
    rng = np.random.default_rng(seed)
    total = int(math.ceil(events * batches_between))
    per_reference = int(math.ceil(total / references))
    numeric = [c for c in dataset.numeric_inputs]
    categorical = [c for c in dataset.inputs if c in dataset.categorical]
    found = batches = 0
    started = time.perf_counter()
    for index in range(references):
        reference = Reference(dataset.draw(rng, reference_rows), numeric, categorical,
                              batches_between, seed=seed + index)
        states = [("OK", 0)] * (len(numeric) + len(categorical))
        # Batches drawn in blocks: one draw of many rows, cut into batches.
        block = 200
        for start in range(0, per_reference, block):
            count = min(block, per_reference - start)
            rows = dataset.draw(rng, count * batch_rows)
            for b in range(count):
                batch = rows.iloc[b * batch_rows:(b + 1) * batch_rows]
                drifting = any(status == "DRIFT" for status, _ in states)
                states = [next_status(status, calm, p, reference.thresholds)
                          for (status, calm), p in zip(states, reference.p_values(batch))]
                found += (not drifting) and any(status == "DRIFT" for status, _ in states)
                batches += 1
    expected = batches / batches_between
    return {"dataset": dataset.name, "batches_between_false_alarms": batches_between,
            "references": references, "batches": batches, "false_alarms": found,
            "expected": expected, "ratio": found / expected,
            "counting_noise": 1 / math.sqrt(max(found, 1)),
            "columns": len(numeric) + len(categorical),
            "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="two data sets, 10 and 100 batches, ~60 expected alarms each")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--settings", default=",".join(str(s) for s in SETTINGS))
    parser.add_argument("--events", type=int, default=225,
                        help="expected false alarms per row (counting noise 1/sqrt of it)")
    parser.add_argument("--references", type=int, default=10)
    parser.add_argument("--reference-rows", type=int, default=3000)
    parser.add_argument("--batch-rows", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args(argv)
    if options.quick:
        options.datasets, options.settings, options.events = "car_loan,gaussian", "10,100", 60
    datasets = quality.load_datasets(options.datasets.split(","))
    results = []
    print(f"{'data set':<14} {'columns':>7} {'promise':>8} {'batches':>8} {'false':>6} "
          f"{'expected':>8} {'ratio':>6} {'noise':>6} {'s':>6}", flush=True)
    for dataset in datasets:
        for setting in (float(s) for s in options.settings.split(",")):
            found = measure(dataset, setting, options.events, options.references,
                            options.reference_rows, options.batch_rows, options.seed)
            results.append(found)
            print(f"{dataset.name:<14} {found['columns']:>7} {setting:>8g} {found['batches']:>8} "
                  f"{found['false_alarms']:>6} {found['expected']:>8.1f} {found['ratio']:>6.2f} "
                  f"{found['counting_noise']:>6.2f} {found['seconds']:>6.0f}", flush=True)
    print("promise: stationary batches per target between false DRIFT_ON events; ratio: false "
          "events over expected (1.00 keeps it); noise: the ratio's counting noise "
          f"(1/sqrt(events)); references of {options.reference_rows} rows, batches of "
          f"{options.batch_rows}, the INPUT target's columns.")
    if options.json:
        options.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
