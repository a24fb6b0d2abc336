"""How much of a covariate shift the retraining report's weights correct, against the true
density ratio and a plain scikit-learn logistic weighting.

Scenarios (tests/monitoring_retraining/shift_scenarios.py builds them):
- selection shifts of scikit-learn's bundled breast-cancer and wine data and of synthetic
  Gaussian and heavy-tailed (Student t, 3 degrees of freedom) columns: rows kept with
  probability sigmoid(a + b · standardised columns), from the reference (true weight 1 / p) or
  from production (true weight p);
- mean shifts of 0.2, 0.5 and 1 reference sd in 1, 3 and all 30 independent normal columns.

Per scenario: the share of the shifted columns' standardised mean gap that each weighting
closes (pooled over the shifted columns), the estimator the report chose, the effective sample
size of its weights, how many columns the shift did not act on the weights widened beyond
noise, and the report's own verdict (weights_help) and gap_closed.

    .venv/bin/python benchmarks/weights_quality.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "monitoring_retraining"))

from shift_scenarios import (  # noqa: E402
    clipped,
    gap_closed,
    scenarios,
    sklearn_logistic_weights,
    unshifted_worse,
)


def main() -> None:
    header = (f"{'scenario':36} {'n_ref':>5} {'n_prod':>6} {'chosen':>7} {'method':>8} "
              f"{'true':>6} {'sklearn':>7} {'ESS%':>5} {'worse':>5} {'help':>5} "
              f"{'report':>6} {'s':>5}")
    print(header)
    print("-" * len(header))
    for scenario in scenarios():
        start = time.perf_counter()
        report = scenario.report()
        seconds = time.perf_counter() - start
        weights = np.asarray(report.weights)
        true = (f"{gap_closed(scenario, clipped(scenario.true_weights)):6.0%}"
                if scenario.true_weights is not None else f"{'-':>6}")
        reported = f"{report.gap_closed:6.0%}" if report.gap_closed is not None else f"{'-':>6}"
        print(f"{scenario.name:36} {len(scenario.reference):5d} {len(scenario.production):6d} "
              f"{gap_closed(scenario, weights):7.0%} {report.method:>8} {true} "
              f"{gap_closed(scenario, sklearn_logistic_weights(scenario)):7.0%} "
              f"{report.effective_sample_size / len(weights):5.0%} "
              f"{len(unshifted_worse(scenario, weights)):5d} {str(report.weights_help):>5} "
              f"{reported} {seconds:5.1f}")


if __name__ == "__main__":
    main()
