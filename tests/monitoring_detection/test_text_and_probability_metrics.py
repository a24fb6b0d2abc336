"""TEXT_LENGTH, MODEL_ENTROPY and LOG_LIKELIHOOD: their per-sample statistics against SciPy's and
scikit-learn's, what a reference plans for RAG and probabilistic models, and detection of a
shift in each on synthetic batches."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats
from sklearn import metrics

from driftline_server.monitoring.detection import (
    BatchSamples,
    DetectionReference,
    advance,
    examine,
)
from driftline_server.monitoring.references import (
    FittedReference,
    ProbabilitySpec,
    entropy_values,
    fit_model_reference,
    log_likelihood_values,
    plan_reference,
    resolve_probability,
    text_lengths,
)

RNG = np.random.default_rng(11)


# -- per-sample statistics -----------------------------------------------------------------------


def test_text_length_counts_characters_not_bytes_and_keeps_missing_values_missing():
    table = pa.table({"text": ["", "abc", "héllo wörld", "日本語", None]})
    lengths = text_lengths(table, "text")
    assert lengths[:4].tolist() == [0.0, 3.0, 11.0, 3.0]
    assert np.isnan(lengths[4])


def test_entropy_of_distributions_is_scipys():
    p = RNG.dirichlet([1.0, 2.0, 0.5], 200)
    table = pa.table({"p": pa.array(p.tolist(), pa.list_(pa.float64()))})
    spec = ProbabilitySpec("p", distribution=True, classes=("a", "b", "c"))
    np.testing.assert_allclose(entropy_values(table, spec), stats.entropy(p, axis=1),
                               rtol=1e-12)


def test_entropy_of_one_probability_is_that_of_the_split():
    p = np.array([0.5, 0.9, 0.01, 0.0, 1.0])
    table = pa.table({"p": p})
    expected = stats.entropy(np.column_stack([p, 1 - p]), axis=1)
    np.testing.assert_allclose(entropy_values(table, ProbabilitySpec("p", False)), expected,
                               atol=1e-12)
    assert np.log(2) == pytest.approx(entropy_values(table, ProbabilitySpec("p", False))[0])


def test_entropy_is_undefined_where_the_probabilities_are_not_a_distribution():
    rows = [[0.2, 0.8], [0.5, 0.6], [-0.1, 1.1], None, [0.3, 0.3, 0.4], [float("nan"), 1.0]]
    table = pa.table({"p": pa.array(rows, pa.list_(pa.float64()))})
    values = entropy_values(table, ProbabilitySpec("p", True, ("a", "b")))
    assert np.isfinite(values[0])
    assert np.isnan(values[1:]).all(), values


def test_log_likelihood_of_one_probability_is_minus_scikit_learns_log_loss():
    actual = RNG.choice(["no", "yes"], 300)
    p = np.clip(np.where(actual == "yes", 0.7, 0.3) + RNG.normal(0, 0.15, 300), 0.001, 0.999)
    table = pa.table({"p": p, "label": actual.tolist()})
    spec = ProbabilitySpec("p", False, target="label", binary=True, positive_label="yes")
    values = log_likelihood_values(table, spec)
    assert -values.mean() == pytest.approx(metrics.log_loss(actual == "yes", p), rel=1e-12)


def test_log_likelihood_of_the_predicted_class_probability():
    actual = np.array(["a", "b", "a", "b"])
    predicted = np.array(["a", "a", "b", "b"])
    p = np.array([0.9, 0.6, 0.7, 0.8])  # each the predicted class's probability
    table = pa.table({"p": p, "label": actual.tolist(), "prediction": predicted.tolist()})
    spec = ProbabilitySpec("p", False, prediction="prediction", target="label", binary=True,
                           of_predicted=True)
    np.testing.assert_allclose(log_likelihood_values(table, spec),
                               np.log([0.9, 0.4, 0.3, 0.8]))


def test_log_likelihood_of_distributions_is_minus_scikit_learns_log_loss():
    classes = ["cat", "dog", "eel"]
    p = RNG.dirichlet([2.0, 2.0, 2.0], 250)
    actual = np.array([RNG.choice(classes, p=row) for row in p])
    table = pa.table({"p": pa.array(p.tolist(), pa.list_(pa.float64())),
                      "label": actual.tolist() + []})
    spec = ProbabilitySpec("p", True, tuple(classes), target="label")
    values = log_likelihood_values(table, spec)
    assert -values.mean() == pytest.approx(metrics.log_loss(actual, p, labels=classes),
                                           rel=1e-12)


def test_what_one_probability_is_of_is_read_off_the_reference():
    predicted = np.array(["yes", "no"] * 50)
    of_positive = pa.table({"prediction": predicted.tolist(),
                            "p": np.where(predicted == "yes", 0.8, 0.2)})
    of_predicted = pa.table({"prediction": predicted.tolist(), "p": np.full(100, 0.8)})
    spec = ProbabilitySpec("p", False, prediction="prediction", target="label", binary=True)
    assert resolve_probability(spec, of_positive).positive_label == "yes"
    assert resolve_probability(spec, of_predicted).of_predicted
    # One probability of a multiclass model says nothing of the classes it did not predict.
    multiclass = ProbabilitySpec("p", False, prediction="prediction", target="label")
    assert resolve_probability(multiclass, of_positive) is None


# -- what a reference monitors -------------------------------------------------------------------


def _column(name, role, data_type, **more):
    return dict(name=name, role=role, data_type=data_type, **more)


RAG_SCHEMA = [
    _column("sample_id", "ID", "STRING"), _column("timestamp", "TIME_ID", "FLOAT"),
    _column("question", "USER_INPUT", "STRING"),
    _column("context", "INPUT", "STRING", sub_role="RAG_RETRIEVED_CONTEXT"),
    _column("answer", "PREDICTION", "STRING", model_id="llm"),
]


def _words(count: int) -> str:
    return " ".join(["token"] * int(count))


def rag_batch(count: int, start: int, *, context_words: float = 60.0) -> pa.Table:
    questions = RNG.poisson(8, count) + 1
    contexts = RNG.poisson(context_words, count) + 1
    answers = 2 * questions + RNG.poisson(5, count)
    return pa.table({
        "sample_id": [f"s{start + i}" for i in range(count)],
        "timestamp": [float(start + i) for i in range(count)],
        "question": [_words(n) for n in questions], "context": [_words(n) for n in contexts],
        "answer": [_words(n) for n in answers]})


def fitted(plan, table) -> DetectionReference:
    # A false alarm once in 1,000 batches per target: the calm batches here stay calm.
    reference = fit_model_reference(plan, table, min_samples=300,
                                    batches_between_false_alarms=1000)
    return DetectionReference.from_bytes(reference.to_bytes())


def run(reference: DetectionReference, batches: list[pa.Table]) -> list[list[tuple]]:
    """The transitions (event type, target, metric, feature) of each batch, in turn."""
    state, seen = {}, []
    for table in batches:
        samples = BatchSamples.of(table, "sample_id", "timestamp")
        step = advance(reference, state, examine(reference, samples), samples)
        state = step.state
        seen.append([(t.event_type, t.quantity.target, t.quantity.metric, t.quantity.feature)
                     for t in step.transitions])
    return seen


@pytest.fixture(scope="module")
def rag_reference():
    return fitted(plan_reference("RAG", RAG_SCHEMA, "llm"), rag_batch(2000, 0))


def test_a_rag_reference_monitors_each_text_and_each_pair_by_length(rag_reference):
    quantities = {(q.target, q.metric, q.feature, q.statistic)
                  for q in rag_reference.fitted.quantities}
    assert quantities == {
        ("USER_INPUT", "TEXT_LENGTH", "question", "text_length"),
        ("RETRIEVED_CONTEXT", "TEXT_LENGTH", "context", "text_length"),
        ("PREDICTION", "TEXT_LENGTH", "answer", "text_length"),
        ("USER_INPUT_RETRIEVED_CONTEXT", "TEXT_LENGTH", "", "reconstruction_error"),
        ("USER_INPUT_MODEL_OUTPUT", "TEXT_LENGTH", "", "reconstruction_error"),
        ("MODEL_OUTPUT_RETRIEVED_CONTEXT", "TEXT_LENGTH", "", "reconstruction_error"),
    }
    assert rag_reference.fitted.skipped == []
    assert set(rag_reference.columns()) == {"question", "context", "answer"}


def test_longer_retrieved_contexts_drift_the_context_and_its_pairs_only(rag_reference):
    calm, calm_again, longer = run(rag_reference, [rag_batch(500, 10_000),
                                                   rag_batch(500, 10_500),
                                                   rag_batch(500, 11_000, context_words=120)])
    assert calm == calm_again == []
    drifted = {(target, feature) for kind, target, _, feature in longer if kind == "DRIFT_ON"}
    assert ("RETRIEVED_CONTEXT", "context") in drifted
    assert {target for target, _ in drifted} <= {
        "RETRIEVED_CONTEXT", "USER_INPUT_RETRIEVED_CONTEXT", "MODEL_OUTPUT_RETRIEVED_CONTEXT"}
    assert all(metric == "TEXT_LENGTH" for _, _, metric, _ in longer)


def test_text_inputs_of_other_tasks_are_monitored_by_length_and_arrays_are_named():
    schema = [_column("sample_id", "ID", "STRING"), _column("timestamp", "TIME_ID", "FLOAT"),
              _column("review", "INPUT", "STRING"),
              _column("embedding", "INPUT", "ARRAY_1", dims=[8]),
              _column("label", "TARGET", "CATEGORICAL", possible_values=["bad", "good"]),
              _column("prediction", "PREDICTION", "CATEGORICAL", model_id="m")]
    plan = plan_reference("CLASSIFICATION_BINARY", schema, "m")
    assert [c.name for c in plan.texts["INPUT"]] == ["review"]
    assert any("embedding" in s["reason"] for s in plan.skipped), plan.skipped
    assert plan.probability is None  # no MODEL_PROBABILITY column


# -- probabilistic models --------------------------------------------------------------------------


def classification_batch(count: int, start: int, *, unsure: bool = False,
                         distribution: bool = False) -> pa.Table:
    x = RNG.normal(0.0, 1.0, count)
    p = 1 / (1 + np.exp(-3 * x * (0.2 if unsure else 1.0)))
    label = np.where(RNG.random(count) < 1 / (1 + np.exp(-3 * x)), "yes", "no")
    probability = (pa.array(np.column_stack([1 - p, p]).tolist(), pa.list_(pa.float64()))
                   if distribution else p)
    return pa.table({
        "sample_id": [f"s{start + i}" for i in range(count)],
        "timestamp": [float(start + i) for i in range(count)], "x": x,
        "label": label.tolist(), "prediction": np.where(p > 0.5, "yes", "no").tolist(),
        "probability": probability})


def classification_schema(distribution: bool) -> list[dict]:
    return [_column("sample_id", "ID", "STRING"), _column("timestamp", "TIME_ID", "FLOAT"),
            _column("x", "INPUT", "FLOAT"),
            _column("label", "TARGET", "CATEGORICAL", possible_values=["no", "yes"]),
            _column("prediction", "PREDICTION", "CATEGORICAL", model_id="m"),
            _column("probability", "PREDICTION", "ARRAY_1" if distribution else "FLOAT",
                    sub_role="MODEL_PROBABILITY", model_id="m", dims=[2] if distribution else [])]


@pytest.mark.parametrize("distribution", [False, True], ids=["probability", "distribution"])
def test_an_unsure_model_moves_its_entropy_and_log_likelihood(distribution):
    plan = plan_reference("CLASSIFICATION_BINARY", classification_schema(distribution), "m")
    reference = fitted(plan, classification_batch(3000, 0, distribution=distribution))
    monitored = {(q.target, q.metric) for q in reference.fitted.quantities}
    assert {("PREDICTION", "MODEL_ENTROPY"), ("ERROR", "LOG_LIKELIHOOD")} <= monitored
    spec = reference.fitted.probability
    assert spec.distribution == distribution
    assert spec.classes == (("no", "yes") if distribution else ())
    assert distribution or spec.positive_label == "yes"
    calm, unsure, back, *later = run(reference, [
        classification_batch(1000, 10_000, distribution=distribution),
        classification_batch(1000, 11_000, unsure=True, distribution=distribution),
        *(classification_batch(1000, 12_000 + 1000 * i, distribution=distribution)
          for i in range(4))])
    assert calm == []
    assert ("DRIFT_ON", "PREDICTION", "MODEL_ENTROPY", "probability") in unsure
    assert ("DRIFT_ON", "ERROR", "LOG_LIKELIHOOD", "probability") in unsure
    # A drift ends after two calm batches in a row, never after one: it does not flap.
    assert not any(kind == "DRIFT_OFF" for kind, *_ in back)
    ended = [event for events in later for event in events if event[0] == "DRIFT_OFF"]
    assert ("DRIFT_OFF", "PREDICTION", "MODEL_ENTROPY", "probability") in ended
    assert ("DRIFT_OFF", "ERROR", "LOG_LIKELIHOOD", "probability") in ended


def test_the_resolved_probability_survives_the_stored_reference():
    plan = plan_reference("CLASSIFICATION_BINARY", classification_schema(False), "m")
    reference = fit_model_reference(plan, classification_batch(1000, 0), min_samples=300,
                                    batches_between_false_alarms=1000)
    again = FittedReference.from_bytes(reference.to_bytes())
    assert again.probability == reference.probability
    assert again.probability.positive_label == "yes"
