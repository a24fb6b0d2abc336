"""MonitoringService's model references through the client against a real server: the job that
fits them from the task's stored samples, the minimum of samples, versions and the active one,
the calibrated detectors, and who may set and read them."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
import sqlalchemy as sa

import driftline
from catalog_helpers import accuracy_model
from conftest import unique
from data_helpers import START, failed_job, ids, inputs, make_task, predictions, target
from driftline.jobs.v1 import job_pb2
from driftline.monitoring.v1 import monitoring_pb2 as mpb
from harness import fails

COMPLETE = mpb.MODEL_REFERENCE_STATE_COMPLETE
FAILED = mpb.MODEL_REFERENCE_STATE_FAILED
HISTORY = 400  # labelled samples at START + i
LATE = 100  # unlabelled production samples at START + 10_000 + i


def target_name(quantity) -> str:
    return quantity.monitoring_target.name


@pytest.fixture(scope="module")
def task(owner, project_id):
    """A binary task with 400 labelled historical samples (with the model's predictions) and
    100 production samples later, without targets."""
    task = make_task(owner, project_id)
    history = ids("hist", HISTORY)
    jobs = [owner.add_historical_data(task.task_id, inputs(history), target=target(history),
                                      predictions=[(task.model_id, predictions(history))])]
    late = ids("prod", LATE)
    jobs.append(owner.add_production_data(task.task_id, inputs(late, start=START + 10_000)))
    for job_id in jobs:
        owner.wait_job_completion(job_id, max_wait_timeout=120)
    return task


@pytest.fixture(scope="module")
def first_reference(task):
    """The model's first reference, over the 400 historical samples."""
    job_id = task.client.set_model_reference(task.model_id, START, START + HISTORY)
    job = task.client.wait_job_completion(job_id, max_wait_timeout=180)
    return job, task.client.get_model_reference(task.model_id)


def test_reference_job_fits_every_target_the_data_allows(task, first_reference):
    job, reference = first_reference
    assert job.status == job_pb2.JOB_STATUS_COMPLETED
    assert job.job_group == "set_model_reference" and job.model_id == task.model_id
    assert reference.status == COMPLETE and reference.active
    assert reference.version == 1 and reference.job_id == job.job_id
    assert reference.model_id == task.model_id and reference.task_id == task.task_id
    assert reference.from_datetime.timestamp() == START
    assert reference.to_datetime.timestamp() == START + HISTORY
    assert (reference.sample_count, reference.labelled_sample_count) == (HISTORY, HISTORY)
    assert reference.finish_datetime >= reference.creation_datetime
    assert reference.creator_id == task.client.user_id

    found = {(target_name(q), q.specification): q for q in reference.quantities}
    assert set(found) == {
        ("INPUT", "age"), ("INPUT", "plan"), ("INPUT", None),
        ("PREDICTION", "prediction"), ("PREDICTION", "probability"), ("PREDICTION", None),
        ("INPUT_PREDICTION", None), ("CONCEPT", None), ("ERROR", None),
    }
    assert found["INPUT", "age"].monitoring_metric == mpb.MONITORING_METRIC_FEATURE
    assert found["INPUT", "age"].statistic == "value"
    assert found["INPUT", "plan"].statistic == "surprisal"
    assert found["INPUT", None].monitoring_metric is None  # the target as a whole
    assert found["INPUT", None].columns == ["age", "plan"]
    assert found["INPUT", None].statistic == "reconstruction_error"
    assert found["CONCEPT", None].columns == ["age", "plan", "label"]
    assert found["ERROR", None].statistic == "misclassification"
    assert found["ERROR", None].sample_count == HISTORY
    # The helper's model says 0.25 or 0.75, and is right as often at each: its entropy and its
    # log-likelihood are constant, so nothing can be calibrated on them (the reference says so).
    skipped = {(target_name(s), s.reason.split(":")[0]) for s in reference.skipped_targets}
    assert skipped == {("PREDICTION", "PREDICTION MODEL_ENTROPY probability"),
                       ("ERROR", "ERROR LOG_LIKELIHOOD probability")}, skipped

    # The calibration: the promise recorded with the reference (the server's default), and
    # every quantity's p-value thresholds, a target's quantities sharing theirs.
    assert reference.batches_between_false_alarms == 100
    assert reference.target_drift_mean_run_length == 0  # the legacy calibration's
    by_target = {}
    for quantity in reference.quantities:
        assert quantity.detector == "batch_test"
        assert 0 < quantity.drift_threshold < quantity.warning_threshold < 1, quantity
        # A drift alarm once in 100 batches per target: no test's own level is above 1/100.
        assert quantity.drift_threshold <= 0.0102, quantity
        by_target.setdefault(quantity.monitoring_target, set()).add(
            (quantity.drift_threshold, quantity.warning_threshold))
    assert all(len(thresholds) == 1 for thresholds in by_target.values()), by_target


def _fitted(database, reference_id: str):
    from driftline_server.monitoring.references import FittedReference

    with database.connect() as connection:
        content = connection.execute(sa.text(
            "SELECT content FROM monitoring_reference_fits WHERE reference_id = :id"),
            {"id": reference_id}).scalar_one()
    return FittedReference.from_bytes(bytes(content))


def test_stored_batch_tests_stay_quiet_on_reference_data_and_catch_a_shift(
        database, first_reference):
    """What the job stored is usable as is: the calibrations, the profiles and the joint
    model, through detection's own entry points."""
    from driftline_server.monitoring.detection import (
        BatchSamples,
        DetectionReference,
        advance,
        examine,
    )

    _, reference = first_reference
    fitted = _fitted(database, reference.reference_id)
    assert sorted(fitted.profiles) == ["ERROR", "INPUT", "PREDICTION", "TARGET"]
    assert fitted.profiles["INPUT"].numeric_names == ["age"]
    assert fitted.profiles["INPUT"].categorical_names == ["plan"]
    assert set(fitted.calibrations) == {"INPUT", "PREDICTION", "INPUT_PREDICTION", "CONCEPT",
                                        "ERROR"}
    summaries = {(q.target, q.feature): summary
                 for q, summary in zip(fitted.quantities, fitted.summaries())}
    stored = {(target_name(q), q.specification): q for q in reference.quantities}
    assert summaries["INPUT", "age"]["drift_threshold"] == stored["INPUT", "age"].drift_threshold
    detection = DetectionReference.from_bytes(fitted.to_bytes())

    def statuses(table) -> dict:
        for name, column in zip(("prediction", "probability"),
                                predictions(table["sample_id"].to_pylist()).columns[1:]):
            table = table.append_column(name, column)
        table = table.append_column("label", pa.nulls(table.num_rows, pa.string()))  # no targets
        samples = BatchSamples.of(table, "sample_id", "timestamp")
        found = advance(detection, {}, examine(detection, samples), samples)
        return {(s["target"], s["feature"]): s["status"] for s in found.statuses.values()}

    rng = np.random.default_rng(3)
    same = rng.choice(20.0 + np.arange(HISTORY) % 50, size=600)
    assert set(statuses(inputs(ids("same", 600), age=same.tolist())).values()) == {"OK"}
    older = statuses(inputs(ids("older", 600), age=(same + 15.0).tolist()))  # 15 years older
    assert older["INPUT", "age"] == "DRIFT"
    # The inputs as a whole: rows whose plan no longer goes with the reference's ages.
    odd = statuses(inputs(ids("odd", 600), plan=["pro"] * 600, age=[90.0] * 600))
    assert odd["INPUT", ""] == "DRIFT"


def test_a_second_reference_is_version_2_and_active_and_the_first_stays_readable(
        task, first_reference):
    client = task.client
    _, first = first_reference
    job_id = client.set_model_reference(task.model_id, START + 100, START + HISTORY)
    client.wait_job_completion(job_id, max_wait_timeout=180)
    second = client.get_model_reference(task.model_id)
    assert (second.version, second.status, second.active) == (2, COMPLETE, True)
    assert second.sample_count == HISTORY - 100
    again = client.get_model_reference(task.model_id, version=1)
    assert again.reference_id == first.reference_id
    assert again.status == COMPLETE and not again.active
    assert len(again.quantities) == len(first.quantities)
    listed = list(client.get_model_references(task.model_id))
    assert [(r.version, r.active) for r in listed][:2] == [(1, False), (2, True)]
    with fails(driftline.NotFoundError, "MODEL_REFERENCE_NOT_FOUND"):
        client.get_model_reference(task.model_id, version=99)


def test_too_few_samples_fail_the_job_and_the_reference_naming_count_and_minimum(owner, task):
    model_id = accuracy_model(owner, task.task_id, name=unique("small"))
    job_id = owner.set_model_reference(model_id, START + 10_000, START + 10_000 + LATE)
    job = failed_job(owner, job_id)
    assert job.error.reason == "REFERENCE_TOO_SMALL"
    assert f"{LATE} samples" in job.error.message and "300" in job.error.message
    (reference,) = owner.get_model_references(model_id)
    assert (reference.status, reference.active, reference.version) == (FAILED, False, 1)
    assert reference.sample_count == LATE
    assert f"{LATE} samples" in reference.failure_message
    # A model whose only reference failed has no active one, and says why.
    with fails(driftline.NotFoundError, "MODEL_REFERENCE_NOT_FOUND") as caught:
        owner.get_model_reference(model_id)
    assert "FAILED" in caught.value.error_message
    assert owner.get_model_reference(model_id, version=1).status == FAILED


def test_a_model_without_its_predictions_is_fitted_on_its_inputs_and_says_what_it_left_out(
        owner, task):
    """Another model of the task: the schema has no prediction column of it, so PREDICTION
    and ERROR are left out, with their reasons; INPUT and CONCEPT are fitted."""
    model_id = accuracy_model(owner, task.task_id, name=unique("bare"))
    owner.wait_job_completion(owner.set_model_reference(model_id, START, START + HISTORY),
                              max_wait_timeout=180)
    reference = owner.get_model_reference(model_id)
    targets = {target_name(q) for q in reference.quantities}
    assert targets == {"INPUT", "CONCEPT"}
    skipped = {target_name(s): s.reason for s in reference.skipped_targets}
    assert set(skipped) == {"PREDICTION", "ERROR"}
    assert model_id in skipped["PREDICTION"]


def test_the_promise_is_set_per_reference_within_its_bounds(task):
    for bad in (5, -1, 2e6, float("nan")):
        with fails(driftline.InvalidArgumentError, "INVALID_ARGUMENT",
                   "batches_between_false_alarms"):
            task.client.set_model_reference(task.model_id, START, START + HISTORY,
                                            batches_between_false_alarms=bad)


def test_the_range_needs_from_before_to(task):
    with fails(driftline.InvalidArgumentError, "TIME_RANGE_INVALID", "to_time"):
        task.client.set_model_reference(task.model_id, START + 10, START + 10)
    with fails(driftline.InvalidArgumentError, "TIME_RANGE_INVALID", "to_time"):
        task.client.set_model_reference(task.model_id, START + 10, START)


def test_a_retried_call_with_its_request_id_sets_one_reference(owner, task):
    model_id = accuracy_model(owner, task.task_id, name=unique("retry"))
    request_id = unique("request")
    first = owner.set_model_reference(model_id, START, START + HISTORY, request_id=request_id)
    again = owner.set_model_reference(model_id, START, START + HISTORY, request_id=request_id)
    assert again == first
    owner.wait_job_completion(first, max_wait_timeout=180)
    assert [r.version for r in owner.get_model_references(model_id)] == [1]


def test_viewers_read_but_cannot_set(company, project_id, task, first_reference):
    viewer = company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"})
    with fails(driftline.PermissionDeniedError, "PROJECT_ROLE_REQUIRED"):
        viewer.set_model_reference(task.model_id, START, START + HISTORY)
    assert viewer.get_model_reference(task.model_id, version=1).reference_id == \
        first_reference[1].reference_id
    assert len(list(viewer.get_model_references(task.model_id))) >= 1
    # A company user without a role on the project reads nothing either.
    with fails(driftline.PermissionDeniedError, "PROJECT_ROLE_REQUIRED"):
        company.user.get_model_reference(task.model_id)


def test_another_company_sees_no_model(other_company, task, first_reference):
    with fails(driftline.NotFoundError, "MODEL_NOT_FOUND"):
        other_company.set_model_reference(task.model_id, START, START + HISTORY)
    with fails(driftline.NotFoundError, "MODEL_NOT_FOUND"):
        other_company.get_model_reference(task.model_id)
    with fails(driftline.NotFoundError, "MODEL_NOT_FOUND"):
        list(other_company.get_model_references(task.model_id))
    with fails(driftline.NotFoundError, "MODEL_NOT_FOUND"):
        task.client.get_model_reference("0" * 32)


def test_the_internal_methods_refuse_users(owner, first_reference):
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb

    reference = first_reference[1]
    with fails(driftline.PermissionDeniedError):
        owner.stubs.call(owner.stubs.monitoring.FailModelReference, pb.FailModelReferenceRequest(
            reference_id=reference.reference_id, failure_message="no"))
    assert owner.get_model_reference(reference.model_id, version=1).status == COMPLETE


def test_fitted_reference_round_trips_and_a_table_without_targets_skips_concept_and_error():
    """The fitting module alone: no labels means no CONCEPT and no ERROR, said so."""
    from driftline_server.monitoring.references import (
        FittedReference,
        ReferenceTooSmall,
        fit_model_reference,
        plan_reference,
    )

    columns = [
        {"name": "id", "role": "ID", "data_type": "STRING"},
        {"name": "t", "role": "TIME_ID", "data_type": "FLOAT"},
        {"name": "x", "role": "INPUT", "data_type": "FLOAT"},
        {"name": "n", "role": "INPUT", "data_type": "INTEGER"},
        {"name": "note", "role": "INPUT", "data_type": "STRING"},
        {"name": "y", "role": "TARGET", "data_type": "FLOAT"},
        {"name": "y_hat", "role": "PREDICTION", "data_type": "FLOAT", "model_id": "m",
         "predicted_target": "y"},
    ]
    plan = plan_reference("REGRESSION", columns, "m")
    assert plan.error.statistic == "absolute_error"
    rng = np.random.default_rng(0)
    count = 500
    table = pa.table({"id": [str(i) for i in range(count)], "t": np.arange(count, dtype=float),
                      "x": rng.normal(size=count), "n": rng.integers(0, 5, count),
                      "note": ["a"] * count, "y": pa.nulls(count, pa.float64()),
                      "y_hat": rng.normal(size=count)})
    fitted = fit_model_reference(plan, table, min_samples=300, batches_between_false_alarms=100)
    skipped = {(s["target"], s["reason"]) for s in fitted.skipped}
    assert ("CONCEPT", "0 of the 500 samples have a target, at least 300 needed") in skipped
    assert any(target == "INPUT" and "note" in reason for target, reason in skipped)
    assert {q.target for q in fitted.quantities} == {"INPUT", "PREDICTION", "INPUT_PREDICTION"}
    again = FittedReference.from_bytes(fitted.to_bytes())
    assert [q.summary() for q in again.quantities] == [q.summary() for q in fitted.quantities]
    with pytest.raises(ReferenceTooSmall) as small:
        fit_model_reference(plan, table.slice(0, 299), min_samples=300,
                            batches_between_false_alarms=100)
    assert (small.value.found, small.value.minimum) == (299, 300)
