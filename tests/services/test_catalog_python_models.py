"""Python models through the Python client against a real server: definitions checked without
running them, trainings by jobs in sandboxed worker processes (and each way user code can fail
them while the server goes on), versions that keep their definition, predictions from a loaded
version, who may do what."""

from __future__ import annotations

import textwrap
import time
from datetime import datetime, timezone

import pyarrow as pa
import pytest

import driftline
from catalog_helpers import column
from conftest import unique
from driftline.catalog.v1 import task_pb2
from driftline.enums import CpuSize
from driftline.enums import ModelCodeFailure as Failure
from driftline.enums import PythonModelVersionStatus as Status
from harness import fails

START = 1_700_000_000.0
ROWS = 200

MODEL = textwrap.dedent('''
    import os

    def train(data, config, sample_weights):
        """Weighted least squares of y on x (no library needed)."""
        xs = data.column("x").to_pylist()
        ys = data.column("y").to_pylist()
        ws = sample_weights or [1.0] * len(xs)
        total = sum(ws)
        mx = sum(w * x for w, x in zip(ws, xs)) / total
        my = sum(w * y for w, y in zip(ws, ys)) / total
        sxx = sum(w * (x - mx) ** 2 for w, x in zip(ws, xs))
        sxy = sum(w * (x - mx) * (y - my) for w, x, y in zip(ws, xs, ys))
        slope = sxy / sxx
        print(f"fitted on {len(xs)} rows")
        return {"slope": slope, "intercept": my - slope * mx,
                "scale": config.get("scale", 1), "rows": len(xs)}

    def predict(state, sample):
        return state["scale"] * (state["slope"] * sample["x"] + state["intercept"])

    def predict_many(state, samples):
        return [predict(state, {"x": x}) for x in samples.column("x").to_pylist()]
''')


def body(text: str) -> str:
    return textwrap.dedent(text)


@pytest.fixture(scope="module")
def task_id(owner, project_id):
    """A regression task with ROWS historical samples of y = 2x + 1, one a second."""
    task_id = owner.create_task(project_id, "sales", [], task_pb2.TASK_TYPE_REGRESSION,
                                task_pb2.DATA_STRUCTURE_TABULAR)
    owner.add_data_schema(task_id, [
        column("sample_id", "ID", "STRING"), column("timestamp", "TIME_ID", "FLOAT"),
        column("x", "INPUT", "FLOAT"), column("y", "TARGET", "FLOAT")])
    ids = [f"s-{i:04d}" for i in range(ROWS)]
    xs = [i / 10 for i in range(ROWS)]
    owner.wait_job_completion(owner.add_historical_data(
        task_id, pa.table({"sample_id": ids, "timestamp": [START + i for i in range(ROWS)],
                           "x": xs}),
        target=pa.table({"sample_id": ids, "y": [2 * x + 1 for x in xs]})), 120)
    return task_id


def create(client, task_id: str, source: str = MODEL, name: str | None = None, **fields):
    arguments = dict(predict_many_function_name="predict_many")
    arguments.update(fields)
    return client.create_python_model(task_id, name or unique("lsq"), source, "train",
                                      "predict", arguments.pop("training_inputs",
                                                               ["HISTORICAL"]), **arguments)


def trained(client, python_model_id: str, **arguments) -> driftline.PythonModelVersion:
    version = client.train_model(python_model_id, **arguments)
    return client.wait_model_training(version.model_id, max_wait_timeout=300)


@pytest.fixture(scope="module")
def line(owner, task_id):
    """A Python model trained once: (python_model_id, its first version)."""
    python_model_id = create(owner, task_id, name="line", training_config={"scale": 1})
    return python_model_id, trained(owner, python_model_id)


# -- definitions -------------------------------------------------------------------------------


def test_a_definition_is_stored_with_its_defaults_and_read_back(owner, task_id):
    python_model_id = create(owner, task_id, name="defaults", package_requirements=[],
                             training_config={"trees": 100, "rate": 0.1, "deep": {"a": [1]}})
    model = owner.get_python_model(python_model_id)
    assert (model.task_id, model.name, model.train_function_name, model.predict_function_name,
            model.predict_many_function_name, model.initialize_function_name) == (
        task_id, "defaults", "train", "predict", "predict_many", "")
    assert model.source_code == MODEL and model.training_inputs == [
        driftline.TrainingInput("HISTORICAL")]
    assert (model.cpu_size, model.memory, model.training_timeout, model.prediction_timeout,
            model.definition_version, model.latest_version_id) == (
        CpuSize.SMALL, 2, 3600, 60, 1, None)
    # Integral numbers stay integers for the train function (Struct numbers are doubles).
    assert model.training_config == {"trees": 100, "rate": 0.1, "deep": {"a": [1]}}
    assert type(model.training_config["trees"]) is int
    assert python_model_id in [m.python_model_id for m in owner.get_python_models(task_id)]


def test_the_task_lists_its_python_models_in_a_table(owner, task_id, line, capsys):
    owner.show_python_models(task_id)
    printed = capsys.readouterr().out
    assert "line" in printed and "HISTORICAL" in printed and line[1].model_id in printed


@pytest.mark.parametrize("source, field, reason, words", [
    ("def train(data, config, w):\n    return 1\n\ndef predict(state, sample)\n    return 2\n",
     "python_model.source_code", "SOURCE_SYNTAX_ERROR", ["line 4"]),
    ("def train(data, config, w):\n    return 1\n",
     "python_model.predict_function_name", "FUNCTION_NOT_FOUND", ["'predict'"]),
    ("def train(data):\n    return 1\n\ndef predict(state, sample):\n    return 2\n",
     "python_model.train_function_name", "FUNCTION_SIGNATURE", ["line 1", "train"]),
    ("async def train(data, config, w):\n    return 1\n\ndef predict(s, x):\n    return 2\n",
     "python_model.train_function_name", "FUNCTION_NOT_USABLE", ["line 1", "async"]),
    ("", "python_model.source_code", "SOURCE_EMPTY", ["empty"]),
])
def test_a_broken_source_is_refused_naming_the_line_and_the_function(
        owner, task_id, source, field, reason, words):
    with fails(driftline.InvalidArgumentError, reason, field) as caught:
        create(owner, task_id, source, predict_many_function_name=None)
    for word in words:
        assert word in caught.value.error_message, caught.value.error_message


@pytest.mark.parametrize("fields, field, reason", [
    ({"package_requirements": ["scikit-learn>=>1"]},
     "python_model.package_requirements[0]", "REQUIREMENT_INVALID"),
    ({"package_requirements": ["numpy", "NumPy>=2"]},
     "python_model.package_requirements[1]", "REQUIREMENT_DUPLICATE"),
    ({"package_requirements": ["pkg @ https://example.com/pkg.whl"]},
     "python_model.package_requirements[0]", "REQUIREMENT_URL_NOT_ALLOWED"),
    ({"training_inputs": []}, "python_model.training_inputs", "TRAINING_INPUTS_REQUIRED"),
    ({"training_inputs": [("HISTORICAL", datetime(2024, 2, 1, tzinfo=timezone.utc),
                           datetime(2024, 1, 1, tzinfo=timezone.utc))]},
     "python_model.training_inputs[0].to_time", "TIME_RANGE_INVALID"),
    ({"memory": 65}, "python_model.memory_gb", "RESOURCE_OUT_OF_RANGE"),
    ({"training_timeout": 100_000}, "python_model.training_timeout_seconds",
     "RESOURCE_OUT_OF_RANGE"),
    ({"metric_name": "ACCURACY"}, "python_model.metric_name", "METRIC_NAME_NOT_SUPPORTED"),
    ({"predict_many_function_name": "not a name"}, "python_model.predict_many_function_name",
     "FUNCTION_NAME_INVALID"),
])
def test_bad_settings_are_refused_naming_the_field(owner, task_id, fields, field, reason):
    with fails(driftline.InvalidArgumentError, reason, field):
        create(owner, task_id, **fields)


def test_a_name_is_one_model_of_the_task(owner, task_id):
    create(owner, task_id, name="taken")
    with fails(driftline.AlreadyExistsError, "MODEL_NAME_TAKEN"):
        create(owner, task_id, name="taken")
    owner.create_model(task_id, "plain", "v1", False, "RMSE", "SAMPLE_WEIGHTS")
    with fails(driftline.AlreadyExistsError, "MODEL_NAME_TAKEN"):
        create(owner, task_id, name="plain")
    with fails(driftline.AlreadyExistsError, "MODEL_NAME_TAKEN"):
        owner.create_model(task_id, "taken", "v1", False, "RMSE", "SAMPLE_WEIGHTS")


def test_an_update_changes_the_definition_and_a_bad_one_changes_nothing(owner, task_id):
    python_model_id = create(owner, task_id)
    updated = owner.update_python_model(python_model_id, memory=4, cpu_size="MEDIUM",
                                        package_requirements=["numpy"],
                                        predict_many_function_name="")
    assert (updated.memory, updated.cpu_size, updated.package_requirements,
            updated.predict_many_function_name, updated.definition_version) == (
        4, CpuSize.MEDIUM, ["numpy"], "", 2)
    with fails(driftline.InvalidArgumentError, "FUNCTION_NOT_FOUND",
               "python_model.train_function_name") as caught:
        owner.update_python_model(python_model_id, source_code="def predict(s, x):\n  pass\n")
    assert "'train'" in caught.value.error_message
    kept = owner.get_python_model(python_model_id)
    assert kept.source_code == MODEL and kept.definition_version == 2 and kept.memory == 4


# -- training and predictions ------------------------------------------------------------------


def test_a_trained_version_predicts_one_sample_and_many(owner, task_id, line):
    python_model_id, version = line
    assert (version.status, version.version, version.training_sample_count,
            version.sample_weighted, version.failure) == (Status.COMPLETE, "v1", ROWS, False, None)
    assert version.artifact_size_bytes > 0 and "fitted on 200 rows" in version.output_tail
    assert version.training_start_datetime <= version.training_complete_datetime
    assert owner.predict(version.model_id, {"x": 3.0}) == pytest.approx(7.0)
    assert owner.predict_many(version.model_id, pa.table({"x": [0.0, 1.0, 2.5]})) == \
        pytest.approx([1.0, 3.0, 6.0])
    assert owner.predict_many(version.model_id, [{"x": 10.0}]) == pytest.approx([21.0])
    model = owner.get_model(version.model_id)
    assert (model.name, model.version, model.python_model_id) == ("line", "v1", python_model_id)
    assert owner.get_python_model(python_model_id).latest_version_id == version.model_id


def test_versions_keep_the_definition_they_were_trained_from(owner, task_id):
    python_model_id = create(owner, task_id, training_config={"scale": 1})
    first = trained(owner, python_model_id)
    owner.update_python_model(python_model_id, training_config={"scale": 10})
    second = trained(owner, python_model_id, version="ten-times")
    assert (first.version, first.definition_version) == ("v1", 1)
    assert (second.version, second.definition_version) == ("ten-times", 2)
    assert owner.predict(first.model_id, {"x": 1.0}) == pytest.approx(3.0)
    assert owner.predict(second.model_id, {"x": 1.0}) == pytest.approx(30.0)
    assert [v.model_id for v in owner.get_python_model_versions(python_model_id)] == [
        first.model_id, second.model_id]
    with fails(driftline.AlreadyExistsError, "MODEL_ALREADY_EXISTS"):
        owner.train_model(python_model_id, version="ten-times")
    with fails(driftline.FailedPreconditionError, "PYTHON_MODEL_VERSION"):
        owner.update_model_version(first.model_id, "copied")


def test_a_training_reads_only_its_time_range(owner, task_id):
    half = datetime.fromtimestamp(START + ROWS // 2, timezone.utc)
    python_model_id = create(owner, task_id, training_inputs=[("HISTORICAL", None, half)])
    version = trained(owner, python_model_id)
    assert version.status == Status.COMPLETE and version.training_sample_count == ROWS // 2
    # No production data yet: a training on it has nothing to learn from.
    empty = create(owner, task_id, training_inputs=["PRODUCTION"])
    version = trained(owner, empty)
    assert (version.status, version.failure) == (Status.FAILED, Failure.NO_DATA), version


@pytest.mark.parametrize("train_body, fields, failure, words", [
    ('raise ValueError("the data has no column z")', {}, "RAISED",
     ["ValueError: the data has no column z"]),
    ("while True:\n        pass", {"training_timeout": 3}, "WALL_TIME", ["3 s"]),
    ("return [bytearray(50_000_000) for _ in range(100)]", {"memory": 1}, "MEMORY",
     ["memory"]),
    ("return lambda x: x", {}, "WRONG_TYPE", ["cannot be pickled"]),
    ("import os\n    os._exit(3)", {}, "CRASHED", ["exit code 3"]),
])
def test_a_training_whose_code_fails_ends_failed_with_why_and_the_server_goes_on(
        owner, task_id, train_body, fields, failure, words):
    source = MODEL.replace('    """Weighted least squares of y on x (no library needed)."""',
                           "    print('about to fail')\n    " + train_body)
    version = trained(owner, create(owner, task_id, source, **fields))
    assert (version.status, version.failure.name) == (Status.FAILED, failure), version
    for word in words:
        assert word in version.error, version.error
    assert "about to fail" in version.output_tail
    assert owner.get_task(task_id).task_id == task_id  # the server is well
    job = owner.get_job(version.job_id)
    assert job.error.reason == f"PYTHON_MODEL_{failure}"
    with fails(driftline.FailedPreconditionError, "MODEL_VERSION_NOT_TRAINED"):
        owner.predict(version.model_id, {"x": 1.0})


def test_a_requirement_the_index_does_not_have_fails_the_environment(owner, task_id):
    python_model_id = create(owner, task_id,
                             package_requirements=["driftline-no-such-package-xyz==1.0"])
    version = trained(owner, python_model_id)
    assert (version.status, version.failure) == (Status.FAILED, Failure.ENVIRONMENT), version
    assert "pip could not install" in version.error
    assert "driftline-no-such-package-xyz" in version.output_tail


def test_the_code_sees_nothing_of_the_servers_environment(owner, task_id):
    source = MODEL.replace(
        "    return {\"slope\"",
        "    leaked = sorted(k for k in os.environ if 'DRIFTLINE' in k or 'TOKEN' in k)\n"
        "    assert not leaked, leaked\n"
        "    assert os.getcwd() != os.environ.get('HOME_OF_SERVER')\n"
        "    return {\"slope\"")
    version = trained(owner, create(owner, task_id, source))
    assert version.status == Status.COMPLETE, version


def test_a_prediction_whose_code_fails_says_why(owner, task_id):
    source = MODEL + body('''
        def picky(state, sample):
            if sample["x"] < 0:
                raise ValueError("x must be positive")
            return [0] * 0 if False else predict(state, sample)

        def wrong(state, samples):
            return [object()] * samples.num_rows
    ''')
    python_model_id = create(owner, task_id, source)
    version = trained(owner, python_model_id)
    owner.update_python_model(python_model_id, predict_function_name="picky")
    assert owner.predict(version.model_id, {"x": -1.0}) == pytest.approx(-1.0)  # v1 kept its
    second = trained(owner, python_model_id)
    with fails(driftline.FailedPreconditionError, "MODEL_CODE_FAILED") as caught:
        owner.predict(second.model_id, {"x": -1.0})
    assert "x must be positive" in caught.value.error_message
    assert owner.predict(second.model_id, {"x": 1.0}) == pytest.approx(3.0)
    owner.update_python_model(python_model_id, predict_many_function_name="wrong")
    third = trained(owner, python_model_id)
    with fails(driftline.FailedPreconditionError, "MODEL_CODE_FAILED") as caught:
        owner.predict_many(third.model_id, [{"x": 1.0}])
    assert "WRONG_TYPE" in caught.value.error_message


def test_bad_prediction_requests_are_refused(owner, line):
    _, version = line
    with fails(driftline.InvalidArgumentError, "SAMPLE_REQUIRED", "sample"):
        owner.predict(version.model_id, {})
    with fails(driftline.InvalidArgumentError, "SAMPLES_REQUIRED", "arrow_ipc"):
        owner.predict_many(version.model_id, pa.table({"x": pa.array([], pa.float64())}))
    from driftline.catalog.v1 import catalog_service_pb2 as pb

    with fails(driftline.InvalidArgumentError, "SAMPLES_NOT_READABLE", "arrow_ipc"):
        owner.stubs.call(owner.stubs.catalog.PredictMany, pb.PredictManyRequest(
            model_id=version.model_id, arrow_ipc=b"not arrow"))
    with fails(driftline.NotFoundError, "PYTHON_MODEL_VERSION_NOT_FOUND"):
        owner.predict("0" * 32, {"x": 1.0})


def test_a_thread_safe_version_answers_concurrent_requests_together(owner, task_id):
    source = MODEL + body('''
        def slow(state, sample):
            import time
            time.sleep(1.0)
            return predict(state, sample)
    ''')
    from concurrent.futures import ThreadPoolExecutor

    timings = {}
    for safe in (False, True):
        python_model_id = create(owner, task_id, source, is_thread_safe=safe)
        owner.update_python_model(python_model_id, predict_function_name="slow")
        version = trained(owner, python_model_id)
        owner.predict(version.model_id, {"x": 0.0})  # loaded
        began = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda x: owner.predict(version.model_id, {"x": x}),
                                    [1.0, 2.0, 3.0, 4.0]))
        timings[safe] = time.monotonic() - began
        assert answers == pytest.approx([3.0, 5.0, 7.0, 9.0])
    assert timings[False] >= 4.0 and timings[True] < 3.0, timings


# -- who may do what ---------------------------------------------------------------------------


def test_a_viewer_reads_and_predicts_but_does_not_change(company, project_id, task_id, line):
    python_model_id, version = line
    viewer = company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"})
    assert viewer.get_python_model(python_model_id).name == "line"
    assert viewer.predict(version.model_id, {"x": 1.0}) == pytest.approx(3.0)
    with fails(driftline.PermissionDeniedError):
        viewer.train_model(python_model_id)
    with fails(driftline.PermissionDeniedError):
        create(viewer, task_id)
    with fails(driftline.PermissionDeniedError):
        viewer.update_python_model(python_model_id, memory=3)


def test_another_company_sees_none_of_it(other_company, task_id, line):
    python_model_id, version = line
    with fails(driftline.NotFoundError, "PYTHON_MODEL_NOT_FOUND"):
        other_company.get_python_model(python_model_id)
    with fails(driftline.NotFoundError, "PYTHON_MODEL_NOT_FOUND"):
        other_company.train_model(python_model_id)
    with fails(driftline.NotFoundError, "PYTHON_MODEL_VERSION_NOT_FOUND"):
        other_company.predict(version.model_id, {"x": 1.0})
    with fails(driftline.NotFoundError, "TASK_NOT_FOUND"):
        create(other_company, task_id)
