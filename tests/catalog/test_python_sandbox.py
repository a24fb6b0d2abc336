"""A Python model's functions run in a sandboxed process: a model that trains and predicts,
and each way one can fail (raising, looping, eating memory, spending its CPU time, returning
the wrong thing, exiting) ending with its own kind and message while this process goes on."""

from __future__ import annotations

import os
import textwrap

import pyarrow as pa
import pytest

from driftline_server.catalog.python_models.sandbox import Limits, predict, train

LIMITS = Limits(memory_bytes=1 << 30, cpu_seconds=20, wall_seconds=30)
DATA = pa.table({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 8.0]})
MODEL = textwrap.dedent('''
    import os

    def fit(data, config, sample_weights=None):
        ys = data.column("y").to_pylist()
        weights = sample_weights or [1.0] * len(ys)
        mean = sum(w * y for w, y in zip(weights, ys)) / sum(weights)
        return {"mean": mean * config.get("scale", 1.0)}

    def setup(artifact):
        return dict(artifact, ready=True)

    def one(state, sample):
        assert state["ready"]
        return state["mean"] + sample["x"]

    def many(state, samples):
        return [state["mean"]] * samples.num_rows

    def settings(state, samples):
        return [sorted(k for k in os.environ if "DRIFTLINE" in k or "SECRET" in k)] * \\
            samples.num_rows
''')


def test_a_model_trains_with_weights_and_predicts_one_by_one_and_many_at_once():
    trained = train(MODEL, "fit", DATA, {"scale": 2.0}, [0.0, 0.0, 1.0, 1.0], LIMITS)
    assert trained.ok, trained
    assert isinstance(trained.artifact, bytes)
    one = predict(MODEL, "one", trained.artifact, DATA, LIMITS, many=False, initialize="setup")
    assert one.ok and one.predictions == [15.0, 16.0, 17.0, 18.0], one  # 2 * mean(6, 8) + x
    many = predict(MODEL, "many", trained.artifact, DATA, LIMITS, many=True)
    assert many.ok and many.predictions == [14.0] * 4, many


def test_the_sandbox_gets_nothing_of_the_servers_environment(monkeypatch):
    monkeypatch.setenv("DRIFTLINE_INTERNAL_TOKEN", "not-for-models")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "nor-this")
    trained = train(MODEL, "fit", DATA, {}, None, LIMITS)
    seen = predict(MODEL, "settings", trained.artifact, DATA, LIMITS, many=True)
    assert seen.ok and seen.predictions[0] == [], seen


def failing(body: str, function: str = "fit", limits: Limits = LIMITS, **config):
    source = "def fit(data, config, sample_weights):\n" + textwrap.indent(
        textwrap.dedent(body), "    ")
    return train(source, function, DATA, config, None, limits)


@pytest.mark.parametrize("body, kind, said", [
    ("raise ValueError('no convergence')", "RAISED", "ValueError: no convergence"),
    ("return lambda row: 1", "WRONG_TYPE", "cannot be pickled"),
    ("import os\nos._exit(3)", "CRASHED", "exit code 3"),
    ("return [0] * (1 << 30)", "MEMORY", "memory"),
])
def test_a_failing_train_ends_with_its_kind_and_what_happened(body, kind, said):
    outcome = failing(body)
    assert outcome.kind == kind, outcome
    assert said in outcome.message, outcome.message
    assert outcome.artifact is None


def test_a_raising_model_brings_its_traceback():
    outcome = failing("print('epoch 1')\n1 / 0")
    assert outcome.kind == "RAISED" and "ZeroDivisionError" in outcome.message
    assert "epoch 1" in outcome.output_tail and "line 3" in outcome.output_tail


def test_an_endless_loop_spends_its_cpu_time_and_is_stopped():
    outcome = failing("while True:\n    pass", limits=Limits(1 << 30, 1, 30))
    assert outcome.kind == "CPU_TIME", outcome


def test_a_model_that_waits_forever_is_stopped_at_its_wall_clock_limit():
    outcome = failing("import time\nwhile True:\n    time.sleep(1)",
                      limits=Limits(1 << 30, 20, 2))
    assert outcome.kind == "WALL_TIME" and "2 s" in outcome.message, outcome


def test_predict_many_must_return_one_prediction_per_sample():
    trained = train(MODEL, "fit", DATA, {}, None, LIMITS)
    source = MODEL + "\ndef short(state, samples):\n    return [1]\n"
    outcome = predict(source, "short", trained.artifact, DATA, LIMITS, many=True)
    assert outcome.kind == "WRONG_TYPE" and "1 predictions for 4 samples" in outcome.message
    source = MODEL + "\ndef odd(state, sample):\n    return object()\n"
    outcome = predict(source, "odd", trained.artifact, DATA, LIMITS, many=False)
    assert outcome.kind == "WRONG_TYPE", outcome


def test_no_working_folder_is_left_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    failing("raise ValueError('x')")
    train(MODEL, "fit", DATA, {}, None, LIMITS)
    assert os.listdir(tmp_path) == []
