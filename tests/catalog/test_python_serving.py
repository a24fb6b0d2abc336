"""A loaded Python model version: initialize runs once and its state serves every request; a
request that overruns, crashes or returns the wrong thing fails with why, and the next one loads
the model again."""

from __future__ import annotations

import textwrap

import pyarrow as pa

from driftline_server.catalog.python_models.sandbox import Limits, train
from driftline_server.catalog.python_models.serving import LoadedModel

LIMITS = Limits(memory_bytes=1 << 30, cpu_seconds=60, wall_seconds=5)
DATA = pa.table({"x": [1.0, 2.0, 3.0]})
MODEL = textwrap.dedent('''
    import os, time

    def fit(data, config, sample_weights):
        return {"offset": 10.0}

    def setup(artifact):
        return dict(artifact, calls=0)

    def one(state, sample):
        state["calls"] += 1
        print("chatty model output")  # must not disturb the answers
        return state["offset"] + sample["x"]

    def count(state, samples):
        return [state["calls"]] * samples.num_rows

    def stuck(state, samples):
        time.sleep(60)

    def die(state, samples):
        os._exit(7)

    def short(state, samples):
        return [1]
''')


def loaded() -> LoadedModel:
    trained = train(MODEL, "fit", DATA, {}, None, LIMITS)
    assert trained.ok, trained
    return LoadedModel(MODEL, trained.artifact, LIMITS, initialize="setup")


def test_initialize_runs_once_and_its_state_serves_every_request():
    with loaded() as model:
        first = model.predict("one", DATA, many=False)
        assert first.ok and first.predictions == [11.0, 12.0, 13.0], first
        assert model.predict("one", DATA, many=False).ok
        calls = model.predict("count", DATA, many=True)
        assert calls.predictions == [6, 6, 6] and model.loads == 1, calls
        assert "chatty model output" in first.output_tail


def test_a_request_that_overruns_is_stopped_and_the_next_loads_the_model_again():
    with loaded() as model:
        assert model.predict("one", DATA, many=False).ok
        stuck = model.predict("stuck", DATA, many=True)
        assert stuck.kind == "WALL_TIME" and "5 s" in stuck.message, stuck
        again = model.predict("count", DATA, many=True)
        assert again.ok and again.predictions == [0, 0, 0] and model.loads == 2, again


def test_a_crash_and_a_wrong_answer_say_so():
    with loaded() as model:
        crashed = model.predict("die", DATA, many=True)
        assert crashed.kind == "CRASHED" and "exit code 7" in crashed.message, crashed
        wrong = model.predict("short", DATA, many=True)
        assert wrong.kind == "WRONG_TYPE" and "1 predictions for 3 samples" in wrong.message
        assert model.predict("one", DATA, many=False).ok and model.loads == 2


def test_a_model_whose_initialize_raises_is_not_loaded():
    trained = train(MODEL, "fit", DATA, {}, None, LIMITS)
    source = MODEL + "\ndef broken(artifact):\n    raise RuntimeError('no GPU here')\n"
    with LoadedModel(source, trained.artifact, LIMITS, initialize="broken") as model:
        outcome = model.predict("one", DATA, many=False)
        assert outcome.kind == "RAISED" and "no GPU here" in outcome.message, outcome
        assert "loading the model" in outcome.message
