"""The retraining report's weights against ground truth (shift_scenarios.py): on selection
shifts whose true density ratio is known they close most of the shifted columns' mean gap, never
much less than a plain scikit-learn logistic weighting; on a mean shift of a few of many columns
they close it without moving the others; and where no weighting can help (production outside
the reference's support) the report says so, with advice."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from driftline_server.monitoring.references import Column
from driftline_server.monitoring.retraining import RetrainingInputs, compute_retraining_report
from shift_scenarios import (
    gap_closed,
    mean_shift,
    scenarios,
    sklearn_logistic_weights,
    unshifted_worse,
)

# A fast subset of the benchmark's selection shifts: both directions, real and synthetic data.
SELECTIONS = ("cancer: reference selected on 1", "cancer: production selected on 1",
              "wine: production selected on 1", "gaussian: reference selected on 3",
              "t(3): production selected on 2")


@pytest.fixture(scope="module")
def selections():
    chosen = [s for s in scenarios() if s.name in SELECTIONS]
    assert [s.name for s in chosen] == list(SELECTIONS)
    return [(s, np.asarray(s.report().weights)) for s in chosen]


def test_the_weights_close_most_of_a_selection_shift(selections):
    closed = {s.name: gap_closed(s, weights) for s, weights in selections}
    assert np.median(list(closed.values())) >= 0.8, closed
    for scenario, weights in selections:  # never much worse than the plain weighting
        plain = gap_closed(scenario, sklearn_logistic_weights(scenario))
        assert closed[scenario.name] >= plain - 0.10, (scenario.name, closed, plain)


def test_columns_the_selection_did_not_act_on_do_not_get_worse(selections):
    for scenario, weights in selections:
        assert unshifted_worse(scenario, weights) == [], scenario.name


def test_a_shift_of_three_of_thirty_columns_is_closed_and_said():
    scenario = mean_shift("0.5 sd in 3 of 30", columns=30, moved=3, shift=0.5, seed=8)
    report = scenario.report()
    weights = np.asarray(report.weights)
    assert gap_closed(scenario, weights) >= 0.8
    assert unshifted_worse(scenario, weights) == []
    assert report.effective_sample_size < 0.9 * len(weights)  # not near-uniform
    columns = {c["column"]: c for c in report.explanation}
    assert {n for n, c in columns.items() if c["shifted"]} == {"c0", "c1", "c2"}
    assert all(columns[n]["gap_closed"] > 0.6 for n in ("c0", "c1", "c2"))
    assert all(abs(columns[n]["mean_gap_after"]) < 0.15 for n in ("c0", "c1", "c2"))
    assert not any(c["worsened"] for c in report.explanation)
    assert report.weights_help and report.gap_closed >= 0.8
    assert report.method_scores[report.method] < report.diagnostics[
        "validation_score_unweighted"]
    assert report.diagnostics["shifted_columns"] == ["c0", "c1", "c2"]


def _report(reference: pa.Table, production: pa.Table, inputs: list[Column]):
    return compute_retraining_report(RetrainingInputs(
        "REGRESSION", reference, production, "id", inputs, None, None, "RMSE", "SAMPLE_WEIGHTS"))


def test_a_category_the_reference_never_had_cannot_be_weighted_in():
    rng = np.random.default_rng(3)

    def table(rows: int, levels: list[str], prefix: str) -> pa.Table:
        return pa.table({"id": [f"{prefix}{i}" for i in range(rows)],
                         "x": rng.normal(size=rows), "plan": rng.choice(levels, rows).tolist()})

    report = _report(table(1500, ["basic", "free"], "r"),
                     table(800, ["basic", "free", "enterprise", "enterprise"], "p"),
                     [Column("x", True), Column("plan", False)])
    plan = {c["column"]: c for c in report.explanation}["plan"]
    assert plan["shifted"] and plan["gap_closed"] < 0.2
    assert report.weights_help is False and report.gap_closed < 0.5
    assert "never had" in report.advice and "plan" in report.advice
    assert "new reference" in report.advice
    assert report.advice in report.diagnostics["warnings"]


def test_a_shift_far_outside_the_reference_range_cannot_be_weighted_in():
    scenario = mean_shift("6 sd in 1 of 5", columns=5, moved=1, shift=6.0, n_reference=1500,
                          n_production=600, seed=4)
    report = scenario.report()
    assert report.weights_help is False
    assert "c0" in report.advice and "new reference" in report.advice
    assert report.advice in report.diagnostics["warnings"]


def test_no_shift_needs_no_weights():
    scenario = mean_shift("none", columns=5, moved=0, shift=0.0, n_reference=1500,
                          n_production=600, seed=5)
    report = scenario.report()
    assert not any(c["shifted"] or c["worsened"] for c in report.explanation)
    assert report.weights_help is False and report.gap_closed is None
    assert report.advice.startswith("no input column shifted")
