"""The retraining report's computation (monitoring/retraining.py) on generated data: weights that
carry the reference to production, the validation's choice among the core's estimators, the
suggestion's two forms, the performance and cost bounds, and what cannot be computed."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from driftline.monitoring.v1 import retraining_pb2
from driftline_server.monitoring.references import Column
from driftline_server.monitoring.retraining import (
    CANDIDATES,
    RetrainingInputError,
    RetrainingInputs,
    candidate_methods,
    compute_retraining_report,
)

INPUTS = [Column(f"x{j}", True) for j in range(5)] + [Column("plan", False)]
SHIFTED, STEADY = ("x0", "x1"), ("x2", "x3", "x4")


def samples(rows: int, *, shift: float = 0.0, pro_share: float = 0.3, seed: int = 0,
            prefix: str = "s", labelled: bool = True) -> pa.Table:
    """Five numeric inputs (the first two moved by ``shift``), a plan whose share of "pro"
    changes, and targets whose concept is the same everywhere."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 5))
    x[:, :2] += shift
    draw = rng.random(rows)
    plan = np.where(draw < pro_share, "pro",
                    np.where(draw < pro_share + (1 - pro_share) / 2, "basic", "free"))
    signal = x[:, 0] + 0.5 * x[:, 1] + (plan == "pro") + 0.5 * rng.normal(size=rows)
    label = np.where(signal > 0.5, "yes", "no")
    return pa.table({
        "id": [f"{prefix}{i}" for i in range(rows)], "time": np.arange(rows),
        **{f"x{j}": x[:, j] for j in range(5)}, "plan": plan.tolist(),
        "label": label.tolist() if labelled else pa.nulls(rows, pa.string()),
        "y": signal})


def inputs(reference: pa.Table, production: pa.Table, **overrides) -> RetrainingInputs:
    values = dict(task_type="CLASSIFICATION_BINARY", reference=reference, production=production,
                  id_column="id", inputs=INPUTS, target="label", prediction=None,
                  metric_name="ACCURACY", suggestion_type="SAMPLE_WEIGHTS")
    values.update(overrides)
    return RetrainingInputs(**values)


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    return float(np.sum(values * weights) / np.sum(weights))


def wasserstein(values: np.ndarray, weights: np.ndarray, target: np.ndarray) -> float:
    """W1 between a weighted sample and a sample: the area between their distribution functions."""
    grid = np.sort(np.concatenate([values, target]))
    order = np.argsort(values)
    cdf = np.cumsum(weights[order]) / weights.sum()
    f = np.concatenate([[0.0], cdf])[np.searchsorted(values[order], grid[:-1], side="right")]
    g = np.searchsorted(np.sort(target), grid[:-1], side="right") / target.size
    return float(np.sum(np.abs(f - g) * np.diff(grid)))


@pytest.fixture(scope="module")
def shifted():
    reference = samples(2000, seed=1)
    production = samples(1000, shift=0.8, pro_share=0.6, seed=2, prefix="p")
    return reference, production, compute_retraining_report(inputs(reference, production))


def test_the_weights_carry_the_shifted_columns_to_production(shifted):
    reference, production, report = shifted
    weights = np.asarray(report.weights)
    assert report.sample_ids == reference["id"].to_pylist()
    assert weights.shape == (reference.num_rows,) and np.isclose(weights.mean(), 1.0)
    assert (weights >= 0).all()
    ones = np.ones(reference.num_rows)
    for name in SHIFTED:
        values, target = reference[name].to_numpy(), production[name].to_numpy()
        assert abs(weighted_mean(values, weights) - target.mean()) < 0.15, name
        assert wasserstein(values, weights, target) < 0.3 * wasserstein(values, ones, target)
    for name in STEADY:  # the columns that did not move stay where they were
        values, target = reference[name].to_numpy(), production[name].to_numpy()
        assert abs(weighted_mean(values, weights) - target.mean()) < 0.15, name
        assert wasserstein(values, weights, target) < 0.15, name
    pro = (np.asarray(reference["plan"].to_pylist()) == "pro").astype(float)
    assert pro.mean() < 0.35 and abs(weighted_mean(pro, weights) - 0.6) < 0.07


def test_the_explanation_shows_each_column_before_and_after(shifted):
    _, _, report = shifted
    columns = {c["column"]: c for c in report.explanation}
    assert list(columns) == [c.name for c in INPUTS]
    assert all(set(c) <= set(retraining_pb2.ReweightedColumn.DESCRIPTOR.fields_by_name)
               for c in report.explanation)  # the fields of the API's ReweightedColumn
    assert all(("mean_gap_before" in c) == (c["column"] != "plan") for c in report.explanation)
    for name in SHIFTED:
        assert columns[name]["distance_before"] > 0.6
        assert columns[name]["distance_after"] < 0.3 * columns[name]["distance_before"]
    for name in STEADY:
        assert columns[name]["distance_after"] < 0.15
    assert columns["plan"]["distance_before"] > 0.25 > 0.05 > columns["plan"]["distance_after"]
    assert all(columns[name]["shifted"] and columns[name]["gap_closed"] > 0.7
               for name in (*SHIFTED, "plan"))
    assert not any(columns[name]["shifted"] or columns[name]["worsened"] for name in STEADY)
    assert report.weights_help and report.gap_closed > 0.7 and "retrain on the weights" in \
        report.advice


def test_the_validation_scores_every_candidate_and_keeps_the_best(shifted):
    _, _, report = shifted
    assert candidate_methods(2000) == CANDIDATES
    assert set(report.method_scores) == set(CANDIDATES)
    assert all(np.isfinite(v) for v in report.method_scores.values())
    assert report.method in (min(report.method_scores, key=report.method_scores.get),
                             "logistic")  # the logistic one on a tie within one standard error
    diagnostics = report.diagnostics
    assert report.method_scores[report.method] < 0.5 * diagnostics["validation_score_unweighted"]
    assert diagnostics["method_params"]
    assert 0 < report.effective_sample_size < 2000
    assert np.isclose(diagnostics["ess_fraction"], report.effective_sample_size / 2000)
    assert diagnostics["pareto_k"] is None or diagnostics["pareto_k"] < 0.7
    assert 0 < diagnostics["clipped_share"] <= 0.01
    assert diagnostics["max_weight"] <= diagnostics["clip_value"] * 1.5
    assert diagnostics["ks_statistic_after"] < 0.5 * diagnostics["ks_statistic_before"]
    assert diagnostics["ks_p_value_before"] < 1e-6 < diagnostics["ks_p_value_after"]
    assert diagnostics["shift_explained"] > 0.5


def test_a_small_reference_also_tries_kernel_mean_matching():
    report = compute_retraining_report(inputs(samples(300, seed=3),
                                              samples(200, shift=0.8, seed=4, prefix="p")))
    assert "kmm" in candidate_methods(300)
    assert set(report.method_scores) == set(CANDIDATES) | {"kmm"}
    assert report.method in (min(report.method_scores, key=report.method_scores.get),
                             "logistic")  # the logistic one on a tie within one standard error


def test_no_shift_gives_weights_near_one():
    report = compute_retraining_report(inputs(samples(2000, seed=6),
                                              samples(1000, seed=7, prefix="p")))
    weights = np.asarray(report.weights)
    assert report.effective_sample_size > 0.9 * 2000
    assert np.quantile(weights, 0.05) > 0.7 and np.quantile(weights, 0.95) < 1.3


def test_a_resampled_dataset_draws_reference_ids_by_their_weights(shifted):
    reference, production, weighted = shifted
    asked = inputs(reference, production, suggestion_type="RESAMPLED_DATASET",
                   resampled_dataset_size=3000)
    report = compute_retraining_report(asked)
    assert len(report.sample_ids) == 3000 and report.weights is None
    assert report.suggestion_type == "RESAMPLED_DATASET"
    ids = reference["id"].to_pylist()
    assert set(report.sample_ids) <= set(ids)
    # Systematic resampling: each sample is drawn floor or ceil of its expected count.
    expected = 3000 * np.asarray(weighted.weights) / np.sum(weighted.weights)
    drawn = dict(zip(*np.unique(report.sample_ids, return_counts=True)))
    counts = np.array([drawn.get(i, 0) for i in ids])
    assert np.all(counts >= np.floor(expected) - 1e-9) and np.all(counts <= np.ceil(expected))


def test_a_resampled_dataset_defaults_to_the_reference_size_and_follows_the_seed():
    reference = samples(300, seed=8)
    production = samples(200, shift=0.8, seed=9, prefix="p")
    asked = inputs(reference, production, suggestion_type="RESAMPLED_DATASET")
    first = compute_retraining_report(asked)
    again = compute_retraining_report(asked)
    other = compute_retraining_report(inputs(reference, production,
                                             suggestion_type="RESAMPLED_DATASET", seed=5))
    assert len(first.sample_ids) == len(other.sample_ids) == 300
    assert again.sample_ids == first.sample_ids and again.method == first.method
    assert other.sample_ids != first.sample_ids


def test_regression_bounds_the_larger_error_is_the_pessimistic_bound():
    # The concept is the same everywhere but not linear: the simple model trained on the
    # weighted reference does worse on production than one trained on production itself.
    def table(rows, shift, seed, prefix):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(rows, 3))
        x[:, 0] += shift
        y = x[:, 0] ** 2 + x[:, 1] + 0.3 * rng.normal(size=rows)
        return pa.table({"id": [f"{prefix}{i}" for i in range(rows)],
                         **{f"x{j}": x[:, j] for j in range(3)}, "y": y})

    reference, production = table(1200, 0.0, 10, "r"), table(500, 1.2, 11, "p")
    columns = [Column(f"x{j}", True) for j in range(3)]
    rmse = compute_retraining_report(inputs(reference, production, task_type="REGRESSION",
                                            inputs=columns, target="y", metric_name="RMSE"))
    assert rmse.metric_name == "RMSE"
    assert rmse.performance_lower_bound > rmse.performance_upper_bound > 0.3
    assert rmse.bounds_available["lower"].startswith("computed")
    assert rmse.bounds_available["upper"].startswith("computed")
    r2 = compute_retraining_report(inputs(reference, production, task_type="REGRESSION",
                                          inputs=columns, target="y", metric_name="RSQUARE"))
    # R² averages the folds' own scores: weights that carry the reference well can tie it
    assert r2.performance_lower_bound <= r2.performance_upper_bound <= 1.0


def test_classification_bounds_need_labelled_production(shifted):
    reference, production, report = shifted
    lower, upper = report.performance_lower_bound, report.performance_upper_bound
    assert report.metric_name == "ACCURACY"
    assert 0.6 < lower <= 1.0 and 0.6 < upper <= 1.0
    assert lower <= upper  # the optimistic bound is never the worse one
    assert report.bounds_available["upper"].startswith("computed")
    unlabelled = samples(1000, shift=0.8, pro_share=0.6, seed=2, prefix="u", labelled=False)
    blind = compute_retraining_report(inputs(reference, unlabelled))
    assert blind.performance_lower_bound is None and blind.performance_upper_bound is None
    assert "0 production samples have a target" in blind.bounds_available["lower"]
    assert blind.bounds_available["upper"] == blind.bounds_available["lower"]


def test_average_precision_and_a_partly_labelled_production():
    reference = samples(1200, seed=12)
    production = samples(500, shift=0.8, pro_share=0.6, seed=13, prefix="p")
    labels = production["label"].to_pylist()
    partly = production.set_column(production.schema.get_field_index("label"), "label",
                                   pa.array([v if i % 5 == 0 else None
                                             for i, v in enumerate(labels)]))
    report = compute_retraining_report(inputs(reference, partly, metric_name="AVERAGE_PRECISION",
                                              positive_class="yes"))
    assert report.metric_name == "AVERAGE_PRECISION"
    assert 0.6 < report.performance_lower_bound <= 1.0
    assert 0.6 < report.performance_upper_bound <= 1.0
    assert "100 labelled production samples" in report.bounds_available["lower"]


def test_multiclass_bounds_and_missing_values():
    rng = np.random.default_rng(14)

    def table(rows, shift, prefix):
        x = rng.normal(size=(rows, 2)) + shift
        x[rng.random(rows) < 0.05, 1] = np.nan  # missing values are imputed and flagged
        kind = np.where(x[:, 0] < -0.5, "a", np.where(x[:, 0] < 0.5, "b", "c"))
        colour = np.where(rng.random(rows) < 0.5, "red", None)
        return pa.table({"id": np.arange(rows), "x0": x[:, 0], "x1": x[:, 1],
                         "colour": pa.array(colour.tolist(), pa.string()), "kind": kind.tolist()})

    report = compute_retraining_report(inputs(
        table(1200, 0.0, "r"), table(400, 0.7, "p"), task_type="CLASSIFICATION_MULTICLASS",
        inputs=[Column("x0", True), Column("x1", True), Column("colour", False)],
        target="kind"))
    assert report.sample_ids[:3] == ["0", "1", "2"]  # ids as strings
    assert np.all(np.isfinite(report.weights))
    assert 0.7 < report.performance_lower_bound <= 1.0
    assert 0.7 < report.performance_upper_bound <= 1.0
    assert [c["column"] for c in report.explanation] == ["x0", "x1", "colour"]


def test_cost_bounds_follow_the_effective_sample_size(shifted):
    reference, production, report = shifted
    assert report.cost_lower_bound is None and report.cost_upper_bound is None
    small_reference = samples(300, seed=15)
    small_production = samples(200, shift=0.8, seed=16, prefix="p")
    priced = compute_retraining_report(inputs(small_reference, small_production,
                                              retraining_cost=100.0, cost_per_sample=0.5))
    assert np.isclose(priced.cost_lower_bound, 100.0 + 0.5 * priced.effective_sample_size)
    assert np.isclose(priced.cost_upper_bound, 100.0 + 0.5 * 300)
    assert priced.cost_lower_bound < priced.cost_upper_bound
    fixed = compute_retraining_report(inputs(small_reference, small_production,
                                             retraining_cost=100.0))
    assert fixed.cost_lower_bound == fixed.cost_upper_bound == 100.0


def test_what_cannot_be_weighted_is_said():
    assert issubclass(RetrainingInputError, ValueError)
    with pytest.raises(RetrainingInputError, match="at least 50"):
        compute_retraining_report(inputs(samples(30), samples(1000, prefix="p")))
    with pytest.raises(RetrainingInputError, match="at least 50"):
        compute_retraining_report(inputs(samples(1000), samples(49, prefix="p")))
    constant = pa.table({"id": [str(i) for i in range(100)], "x0": [1.0] * 100,
                         "plan": ["pro"] * 100})
    with pytest.raises(RetrainingInputError, match="no usable input column"):
        compute_retraining_report(inputs(constant, constant, target=None,
                                         inputs=[Column("x0", True), Column("plan", False)]))
    with pytest.raises(RetrainingInputError, match="suggestion type"):
        compute_retraining_report(inputs(samples(100), samples(100, prefix="p"),
                                         suggestion_type="EVERYTHING"))


def test_a_cancelled_report_stops():
    class Cancelled(Exception):
        pass

    def cancel():
        raise Cancelled

    with pytest.raises(Cancelled):
        compute_retraining_report(inputs(samples(100), samples(100, prefix="p")),
                                  check_cancelled=cancel)


def test_weights_of_a_production_outside_the_reference_come_with_warnings():
    report = compute_retraining_report(inputs(samples(1200, seed=17),
                                              samples(300, shift=4.0, seed=18, prefix="p")))
    warnings = " ".join(report.diagnostics["warnings"])
    assert "Pareto k-hat" in warnings and "in effect" in warnings
    assert report.effective_sample_size < 0.05 * 1200


def test_weights_of_an_unchanged_production_need_no_warning_of_instability():
    report = compute_retraining_report(inputs(samples(1200, seed=19),
                                              samples(600, seed=20, prefix="p")))
    warnings = " ".join(report.diagnostics.get("warnings", []))
    assert "Pareto" not in warnings and "in effect" not in warnings


def test_the_optimistic_bound_is_never_worse_than_the_pessimistic_one():
    # With 20 labelled production samples the model trained on them does worse than the one
    # trained on the weighted reference: retraining can still do what the latter does.
    reference = samples(1200, seed=21)
    production = samples(500, shift=0.8, seed=22, prefix="p")
    few = pa.array([v if i < 20 else None for i, v in enumerate(production["y"].to_pylist())])
    report = compute_retraining_report(inputs(
        reference, production.set_column(production.schema.get_field_index("y"), "y", few),
        task_type="REGRESSION", target="y", metric_name="RMSE"))
    assert report.performance_upper_bound == report.performance_lower_bound > 0
    assert report.bounds_available["upper"].endswith("its score is the bound")
    assert "20 labelled production samples" in report.bounds_available["lower"]
