"""Monitoring beyond tabular features, through the client against a real server: a RAG task
watched by the lengths of its questions, retrieved contexts and answers (TEXT_LENGTH, each RAG
target), and a regression model whose absolute error grows, seen when its late targets arrive."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import driftline
from catalog_helpers import column
from data_helpers import START
from driftline.catalog.v1 import model_pb2, task_pb2
from driftline.monitoring.v1 import monitoring_pb2 as mpb
from driftline.types import DetectionEvent
from harness import fails
from monitoring_helpers import DRIFT, OK, wait_detections

HISTORY = 3000
BATCH = 500


def _words(count: int) -> str:
    return " ".join(["token"] * int(count))


class Story:
    """A task, its model, and production batches uploaded one at a time, each waited for until
    its detection has run."""

    def __init__(self, client: driftline.Client, task_id: str, model_id: str):
        self.client, self.task_id, self.model_id = client, task_id, model_id
        self.detections = 0

    def wait(self, job_id: str) -> None:
        self.client.wait_job_completion(job_id, max_wait_timeout=120)
        self.detections += 1
        wait_detections(self.client, self.task_id, self.detections)

    def status(self, target: str, metric=None, feature=None) -> int:
        return self.client.get_monitoring_status(self.task_id, target, metric,
                                                 feature=feature).status

    def events(self, **filters) -> list[DetectionEvent]:
        return self.client.get_detection_events(self.task_id, **filters)


# -- RAG: TEXT_LENGTH ----------------------------------------------------------------------------


def rag_samples(prefix: str, count: int, start: float, seed: int, *,
                context_words: float = 60.0) -> tuple[pa.Table, pa.Table]:
    """Questions of ~8 words, retrieved contexts of ~context_words, answers twice the question."""
    rng = np.random.default_rng(seed)
    questions = rng.poisson(8, count) + 1
    contexts = rng.poisson(context_words, count) + 1
    answers = 2 * questions + rng.poisson(5, count)
    sample_ids = [f"{prefix}-{i:05d}" for i in range(count)]
    inputs = pa.table({"sample_id": sample_ids, "timestamp": [start + i for i in range(count)],
                       "user_input": [_words(n) for n in questions],
                       "retrieved_context": [_words(n) for n in contexts]})
    return inputs, pa.table({"sample_id": sample_ids, "answer": [_words(n) for n in answers]})


@pytest.fixture(scope="module")
def rag(owner, project_id):
    """A RAG task with 1200 historical samples and its model's reference; two calm production
    batches, then one whose retrieved contexts are twice as long."""
    task_id = owner.create_task(project_id=project_id, name="assistant", tags=[],
                                task_type=task_pb2.TASK_TYPE_RAG,
                                data_structure=task_pb2.DATA_STRUCTURE_TEXT,
                                text_language="ENGLISH", rag_contexts_separator="\n\n")
    model_id = owner.create_model(task_id=task_id, name="llm", version="1",
                                  with_probabilistic_output=False, metric_name=None)
    schema = owner.get_data_schema_template(task_id)
    owner.add_data_schema(task_id, [
        column.model_copy(update={"name": "answer"}) if column.model_id == model_id else column
        for column in schema.columns])
    inputs, answers = rag_samples("hist", HISTORY, START, seed=0)
    owner.wait_job_completion(owner.add_historical_data(
        task_id, inputs, predictions=[(model_id, answers)]), max_wait_timeout=120)
    # Six targets watched over a few batches: one false drift in 1,000 batches per target, and
    # warnings up to three times as often (the user's choice here), keep the unchanged ones OK.
    owner.wait_job_completion(owner.set_model_reference(model_id, START, START + HISTORY,
                                                        batches_between_false_alarms=1000),
                              max_wait_timeout=180)
    story = Story(owner, task_id, model_id)
    clock = START + 100_000
    seen = {}
    for i, context_words in enumerate((60.0, 60.0, 120.0)):
        inputs, answers = rag_samples(f"prod{i}", BATCH, clock, seed=i + 1,
                                      context_words=context_words)
        clock += BATCH
        story.wait(owner.add_production_data(task_id, inputs,
                                             predictions=[(model_id, answers)]))
        if i == 1:
            seen["calm"] = story.events()
            seen["calm_start"] = clock
    story.seen = seen
    return story


def test_a_rag_reference_monitors_every_rag_target_by_text_length(rag):
    reference = rag.client.get_model_reference(rag.model_id)
    found = {(q.monitoring_target.name, q.monitoring_metric.name, q.specification)
             for q in reference.quantities}
    assert found == {
        ("USER_INPUT", "TEXT_LENGTH", "user_input"),
        ("RETRIEVED_CONTEXT", "TEXT_LENGTH", "retrieved_context"),
        ("PREDICTION", "TEXT_LENGTH", "answer"),
        ("USER_INPUT_RETRIEVED_CONTEXT", "TEXT_LENGTH", None),
        ("USER_INPUT_MODEL_OUTPUT", "TEXT_LENGTH", None),
        ("MODEL_OUTPUT_RETRIEVED_CONTEXT", "TEXT_LENGTH", None),
    }
    assert reference.skipped_targets == []


def test_longer_contexts_drift_the_retrieved_context_and_nothing_else_of_the_questions(rag):
    # Calm batches move no text's length. (The pairs, squared deviations from the reference's
    # joint spread, can: a batch whose lengths vary a few percent less than the reference's
    # sample did is, to them, a real difference.)
    moved = {e.monitoring_target.name for e in rag.seen["calm"]}
    assert not moved & {"USER_INPUT", "RETRIEVED_CONTEXT", "PREDICTION"}, moved
    assert rag.status("RETRIEVED_CONTEXT", "TEXT_LENGTH") == DRIFT
    assert rag.status("RETRIEVED_CONTEXT", "TEXT_LENGTH", "retrieved_context") == DRIFT
    assert rag.status("USER_INPUT", "TEXT_LENGTH") == OK
    assert rag.status("USER_INPUT_MODEL_OUTPUT", "TEXT_LENGTH") == OK

    (drift_on,) = rag.events(monitoring_target="RETRIEVED_CONTEXT")
    assert drift_on.event_type == mpb.DETECTION_EVENT_TYPE_DRIFT_ON
    assert drift_on.monitoring_metric == mpb.MONITORING_METRIC_TEXT_LENGTH
    assert drift_on.specification == "retrieved_context"
    assert drift_on.severity_type == mpb.DETECTION_EVENT_SEVERITY_HIGH  # lengths doubled
    assert drift_on.sample_customer_id.startswith(("prod2-", "prod1-")), drift_on
    assert drift_on.statistics["test"] in ("ks", "mann_whitney") and drift_on.statistics["p_value"] < 1e-6
    (explained,) = drift_on.explanation
    assert explained.column == "retrieved_context" and explained.effect_size > 1.0
    assert not rag.events(monitoring_target="USER_INPUT")
    # The joint targets that hold the contexts moved with them; the other did not.
    targets = {e.monitoring_target.name for e in rag.events(event_type="DRIFT_ON")}
    assert "RETRIEVED_CONTEXT" in targets and "USER_INPUT_MODEL_OUTPUT" not in targets


def test_a_rag_target_asked_without_its_metric_says_which_it_has(rag):
    with fails(driftline.NotFoundError, "MONITORED_QUANTITY_NOT_FOUND") as caught:
        rag.client.get_monitoring_status(rag.task_id, "RETRIEVED_CONTEXT")
    assert "monitored with the metrics TEXT_LENGTH" in str(caught.value), caught.value


# -- regression: the absolute error, from late targets -------------------------------------------


def regression_samples(prefix: str, count: int, start: float, seed: int, *,
                       error_scale: float = 1.0) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    sample_ids = [f"{prefix}-{i:05d}" for i in range(count)]
    x = rng.normal(0.0, 1.0, count)
    y = 3.0 * x + rng.normal(0.0, 1.0, count)
    return {"inputs": pa.table({"sample_id": sample_ids,
                                "timestamp": [start + i for i in range(count)], "x": x}),
            "target": pa.table({"sample_id": sample_ids, "y": y}),
            "predictions": pa.table({"sample_id": sample_ids,
                                     "y_hat": y + rng.normal(0.0, error_scale, count)})}


@pytest.fixture(scope="module")
def regression(owner, project_id):
    """A regression model whose error triples in the second production batch; the batches come
    without targets, which arrive later, each batch's at once."""
    task_id = owner.create_task(project_id, "prices", [], "REGRESSION", "TABULAR")
    model_id = owner.create_model(task_id, "ridge", "v1", False,
                                  metric_name=model_pb2.MODEL_METRIC_NAME_RMSE)
    owner.add_data_schema(task_id, [
        column("sample_id", "ID", "STRING"), column("timestamp", "TIME_ID", "FLOAT"),
        column("x", "INPUT", "FLOAT"), column("y", "TARGET", "FLOAT"),
        column("y_hat", "PREDICTION", "FLOAT", model_id=model_id, predicted_target="y")])
    history = regression_samples("hist", HISTORY, START, seed=0)
    owner.wait_job_completion(owner.add_historical_data(
        task_id, history["inputs"], target=history["target"],
        predictions=[(model_id, history["predictions"])]), max_wait_timeout=120)
    owner.wait_job_completion(owner.set_model_reference(model_id, START, START + HISTORY),
                              max_wait_timeout=180)
    story = Story(owner, task_id, model_id)
    clock = START + 100_000
    story.before_targets = []
    for i, scale in enumerate((1.0, 3.0)):
        batch = regression_samples(f"prod{i}", BATCH, clock, seed=i + 1, error_scale=scale)
        clock += BATCH
        story.wait(owner.add_production_data(task_id, batch["inputs"],
                                             predictions=[(model_id, batch["predictions"])]))
        story.before_targets.append(story.status("ERROR"))
        story.wait(owner.add_target_data(task_id, batch["target"]))
        story.before_targets.append(story.status("ERROR"))
    return story


def test_a_growing_regression_error_drifts_when_its_targets_arrive(regression):
    reference = regression.client.get_model_reference(regression.model_id)
    (error,) = [q for q in reference.quantities
                if q.monitoring_target == mpb.MONITORING_TARGET_ERROR]
    assert error.statistic == "absolute_error" and error.columns == ["y_hat", "y"]
    # Unlabelled production says nothing of the error; its late targets do.
    assert regression.before_targets == [OK, OK, OK, DRIFT]
    (drift_on,) = regression.events(monitoring_target="ERROR", event_type="DRIFT_ON")
    # Where the error began to grow, as the CUSUM's excursion says: in the worse batch, or
    # shortly before it when the detector's statistic had not come back to zero since.
    assert drift_on.sample_customer_id.startswith(("prod1-", "prod0-")), drift_on
    assert drift_on.statistics["effect_size"] > 0.5
    assert drift_on.severity_type in (mpb.DETECTION_EVENT_SEVERITY_MEDIUM,
                                 mpb.DETECTION_EVENT_SEVERITY_HIGH)
    # The inputs did not move: the model got worse on the same kind of data.
    assert regression.status("INPUT") == OK
    assert not regression.events(monitoring_target="INPUT")
