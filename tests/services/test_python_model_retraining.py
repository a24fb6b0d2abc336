"""Closing the loop, end to end through the client against a real server: a scikit-learn Python
model trained on historical data, its reference, production data with a covariate shift,
DRIFT_ON, a rule whose RETRAIN action fires the model's Driftline retrain trigger, the next
version trained on the retraining report's weights and given the suggestion's reference, and
on the shifted data that version's error is lower than the old one's. Every step is a job."""

from __future__ import annotations

import textwrap
import time

import numpy as np
import pyarrow as pa
import pytest

import driftline
from catalog_helpers import column
from conftest import unique
from driftline.catalog.v1 import task_pb2
from driftline.jobs.v1 import job_pb2
from driftline.monitoring.v1 import retraining_pb2, rules_pb2
from driftline.types import DriftlineRetrainTrigger
from harness import fails

START = 1_700_000_000.0
HISTORY = 3000
BATCH = 1000

# A linear model of a curved truth: fit on the whole history it is poor where production moves
# to; fit with importance weights that make the history look like production, it is good there.
MODEL = textwrap.dedent('''
    import numpy as np
    from sklearn.linear_model import LinearRegression

    def train(data, config, sample_weights):
        frame = data.select(["x1", "x2"]).to_pandas()
        model = LinearRegression()
        model.fit(frame.to_numpy(), data.column("y").to_numpy(), sample_weight=sample_weights)
        return model

    def predict(state, sample):
        return float(state.predict(np.array([[sample["x1"], sample["x2"]]]))[0])

    def predict_many(state, samples):
        frame = samples.select(["x1", "x2"]).to_pandas()
        return state.predict(frame.to_numpy()).tolist()
''')


def truth(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    return x1 ** 2 + 0.5 * x2


def samples(prefix: str, count: int, start: float, seed: int, *, x1_mean: float = 0.0,
            x1_scale: float = 1.0) -> dict[str, pa.Table]:
    generator = np.random.default_rng(seed)
    x1 = generator.normal(x1_mean, x1_scale, count)
    x2 = generator.normal(0.0, 1.0, count)
    y = truth(x1, x2) + generator.normal(0.0, 0.1, count)
    ids = [f"{prefix}-{i:05d}" for i in range(count)]
    return {"inputs": pa.table({"sample_id": ids, "timestamp": start + np.arange(count),
                                "x1": x1, "x2": x2}),
            "target": pa.table({"sample_id": ids, "y": y})}


def finished(client: driftline.Client, job_id: str) -> job_pb2.Job:
    job = client.wait_job_completion(job_id, max_wait_timeout=300)
    assert job.status == job_pb2.JOB_STATUS_COMPLETED, job
    return job


@pytest.fixture(scope="module")
def story(owner):
    """The loop, run once: what each test reads of it."""
    project_id = owner.create_project(unique("loop"))
    task_id = owner.create_task(project_id, "demand", [], task_pb2.TASK_TYPE_REGRESSION,
                                task_pb2.DATA_STRUCTURE_TABULAR)
    owner.add_data_schema(task_id, [
        column("sample_id", "ID", "STRING"), column("timestamp", "TIME_ID", "FLOAT"),
        column("x1", "INPUT", "FLOAT"), column("x2", "INPUT", "FLOAT"),
        column("y", "TARGET", "FLOAT")])
    history = samples("hist", HISTORY, START, seed=1)
    finished(owner, owner.add_historical_data(task_id, history["inputs"],
                                              target=history["target"]))
    python_model_id = owner.create_python_model(
        task_id, "linear", MODEL, "train", "predict", ["HISTORICAL"],
        predict_many_function_name="predict_many", metric_name="RMSE",
        package_requirements=["scikit-learn>=1.4"])
    first = owner.wait_model_training(owner.train_model(python_model_id).model_id, 300)
    assert first.status.name == "COMPLETE", first
    owner.set_model_suggestion_type(first.model_id, "SAMPLE_WEIGHTS")
    finished(owner, owner.set_model_reference(first.model_id, START, START + HISTORY))
    owner.set_retrain_trigger(first.model_id, retraining_pb2.DriftlineRetrainTrigger())
    rule_id = owner.create_detection_event_rule(
        "retrain on drift", task_id, severity=None, detection_event_type="DRIFT_ON",
        monitoring_target="INPUT", monitoring_metric="FEATURE", model_name="linear",
        actions=[rules_pb2.RetrainAction()])
    clock = START + 10 * HISTORY
    for index in range(2):  # production moves to where the linear fit is poor
        shifted = samples(f"prod{index}", BATCH, clock, seed=10 + index, x1_mean=1.5,
                          x1_scale=0.5)
        clock += BATCH
        finished(owner, owner.add_production_data(task_id, shifted["inputs"]))
    # Drift, the rule, the report, the trigger, the training, the reference: each a job.
    deadline = time.monotonic() + 420
    second = None
    while time.monotonic() < deadline:
        versions = owner.get_python_model_versions(python_model_id)
        if len(versions) > 1 and versions[1].status.name in ("COMPLETE", "FAILED"):
            second = versions[1]
            break
        time.sleep(1.0)
    assert second is not None, "no retrained version within 7 minutes"
    return {"task_id": task_id, "python_model_id": python_model_id, "first": first,
            "second": second, "rule_id": rule_id}


def test_a_drift_alert_trains_the_next_version_on_the_reports_weights(owner, story):
    first, second = story["first"], story["second"]
    assert second.status.name == "COMPLETE", second
    report = owner.get_retraining_report(first.model_id)
    assert report.triggered and second.version in report.trigger_outcome
    assert (second.suggestion_id, second.previous_version_id) == (report.report_id, first.model_id)
    assert second.sample_weighted and second.training_sample_count == report.suggestion.sample_count
    model = owner.get_model(second.model_id)
    assert (model.name, model.version, model.previous_version_id, model.python_model_id) == (
        "linear", "v2", first.model_id, story["python_model_id"])
    [event] = [e for e in owner.get_detection_events(story["task_id"], event_type="DRIFT_ON",
                                                      model_id=first.model_id)
               if e.specification == "x1"][:1]
    [delivery] = owner.get_action_deliveries(event_id=event.event_id)
    assert delivery.rule_id == story["rule_id"]
    assert delivery.status == rules_pb2.ACTION_DELIVERY_STATE_DELIVERED, delivery


def test_every_step_is_a_job_and_the_new_version_is_monitored_from_the_suggestion(owner, story):
    first, second = story["first"], story["second"]
    report = owner.get_retraining_report(first.model_id)
    for job_id in (report.job_id, second.job_id, second.reference_job_id):
        assert job_id and finished(owner, job_id)
    assert owner.get_job(second.job_id).job_group == "train_python_model"

    reference = owner.get_model_reference(second.model_id)
    assert reference.sample_count > 0
    # The loop continues: the new version has the old one's trigger.
    assert owner.get_retrain_trigger(second.model_id) == DriftlineRetrainTrigger()


def test_on_the_shifted_data_the_new_version_errs_less(owner, story):
    shifted = samples("judge", 2000, START, seed=99, x1_mean=1.5, x1_scale=0.5)
    frame = shifted["inputs"].select(["x1", "x2"])
    truth_y = shifted["target"].column("y").to_numpy()
    errors = {}
    for name in ("first", "second"):
        predicted = np.asarray(owner.predict_many(story[name].model_id, frame))
        errors[name] = float(np.mean((predicted - truth_y) ** 2))
    print(f"mean squared error on the shifted data: v1 {errors['first']:.3f}, "
          f"v2 {errors['second']:.3f} ({errors['first'] / errors['second']:.1f}x lower)")
    assert errors["second"] < 0.5 * errors["first"], errors


def test_a_driftline_trigger_is_only_for_python_models(owner, story):
    plain = owner.create_model(story["task_id"], "plain", "v1", False, "RMSE", "SAMPLE_WEIGHTS")
    with fails(driftline.FailedPreconditionError, "NOT_A_PYTHON_MODEL"):
        owner.set_retrain_trigger(plain, retraining_pb2.DriftlineRetrainTrigger())
    outcome = owner.test_retrain_trigger(story["first"].model_id)
    assert story["python_model_id"] in outcome and "nothing was trained" in outcome
