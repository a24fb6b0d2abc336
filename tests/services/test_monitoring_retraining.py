"""Retraining against a real server: a model's retraining report after a shift (weights that,
applied to the reference, bring the shifted column near production), its suggestion in both
forms, a new model version whose reference is the suggestion, a retrain trigger tested and fired
on moto's EventBridge with the report's id, a rule's RETRAIN action, and who may do what."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

import driftline
from conftest import wait_for_auth_cache
from driftline.catalog.v1 import model_pb2
from driftline.jobs.v1 import job_pb2
from driftline.monitoring.v1 import retraining_pb2, rules_pb2
from driftline.types import AwsEventBridgeRetrainTrigger
from harness import fails
from data_helpers import START
from monitoring_helpers import HISTORY, OK, event_bus, make_flow, moto_server

COMPLETE = retraining_pb2.RETRAINING_REPORT_STATE_COMPLETE


@pytest.fixture(scope="module")
def moto():
    server, endpoint = moto_server()
    server.start()
    yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def flow(owner, project_id):
    """A reference, then production shifted in age (with targets) after it."""
    flow = make_flow(owner, project_id, name="retraining")
    for index in range(2):
        flow.production(f"moved{index}", age_shift=10.0, with_targets=True)
    return flow


@pytest.fixture(scope="module")
def report(flow):
    job_id = flow.client.compute_retraining_report(flow.task.model_id)
    job = flow.client.wait_job_completion(job_id, max_wait_timeout=300)
    assert job.job_group == "compute_retraining_report"

    return flow.client.get_retraining_report(flow.task.model_id)  # samples by default


def test_the_report_weights_the_reference_toward_production(flow, report):
    assert report.status == COMPLETE and report.model_id == flow.task.model_id
    assert report.suggestion.suggestion_type == model_pb2.SUGGESTION_TYPE_SAMPLE_WEIGHTS
    assert report.suggestion.suggestion_id == report.report_id
    assert report.reference_sample_count == HISTORY
    assert report.production_sample_count == 2 * 1000
    assert len(report.suggestion.sample_ids) == HISTORY == report.suggestion.sample_count
    assert len(report.suggestion.weights) == HISTORY
    assert report.method in report.method_scores and len(report.method_scores) >= 3
    assert 0 < report.effective_sample_size < HISTORY
    assert report.model_metric_name == "ACCURACY"
    # The weights, applied to the reference samples, bring age near production's.
    samples = flow.client.read_samples(flow.task.task_id, to_timestamp=START + HISTORY,
                                       columns=["sample_id", "age"]).to_pydict()
    age = dict(zip(samples["sample_id"], samples["age"]))
    values = np.array([age[i] for i in report.suggestion.sample_ids])
    weights = np.array(report.suggestion.weights)
    production = flow.client.read_samples(flow.task.task_id, from_timestamp=START + HISTORY,
                                          columns=["age"])["age"].to_numpy()
    before = abs(values.mean() - production.mean())
    after = abs(np.sum(values * weights) / weights.sum() - production.mean())
    assert after < 0.4 * before, (before, after)
    moved = {c.column: c for c in report.columns}
    assert moved["age"].distance_after < moved["age"].distance_before
    # Labelled production: both bounds, of a simple model's accuracy.
    assert report.performance_lower_bound is not None
    assert report.performance_upper_bound is not None
    assert 0.5 < report.performance_lower_bound <= 1 and 0.5 < report.performance_upper_bound <= 1
    assert set(report.bounds_available) == {"lower", "upper"}


def test_the_report_says_how_much_of_the_shift_the_weights_close(report):
    # Through the job, the database, gRPC and the client: the columns' gaps and the verdict.
    age = {c.column: c for c in report.columns}["age"]
    assert age.shifted and age.shift_p_value < 0.01 and not age.worsened
    assert abs(age.mean_gap_after) < 0.4 * abs(age.mean_gap_before)
    assert age.gap_closed > 0.6
    closed = [c.gap_closed for c in report.columns if c.shifted]
    assert report.gap_closed == pytest.approx(float(np.median(closed)))
    assert report.weights_help is True and report.advice.startswith("retrain on the weights")
    assert "verdict" not in report.diagnostics


def test_suggestions_are_listed_and_read_without_samples(flow, report):
    [suggestion] = flow.client.get_suggestions_info(flow.task.model_id)
    assert suggestion.id == report.report_id and not suggestion.executed
    assert suggestion.sample_count == HISTORY and not suggestion.sample_ids
    # The model version named as the platform SDK names it: the same list.
    version = flow.client.get_model(flow.task.model_id).version
    assert [s.id for s in flow.client.get_suggestions_info(flow.task.model_id, version)] == \
        [report.report_id]
    light = flow.client.get_retraining_report(flow.task.model_id, report.report_id,
                                              include_samples=False)
    assert not light.suggestion.sample_ids and light.suggestion.sample_count == HISTORY


def test_a_resampled_dataset_suggestion(flow, report):
    client, model_id = flow.client, flow.task.model_id
    client.set_model_suggestion_type(model_id, "RESAMPLED_DATASET", 1500)
    client.wait_job_completion(client.compute_retraining_report(model_id),
                               max_wait_timeout=300)
    resampled = client.get_retraining_report(model_id)
    assert resampled.report_id != report.report_id
    assert resampled.suggestion.suggestion_type == model_pb2.SUGGESTION_TYPE_RESAMPLED_DATASET
    assert len(resampled.suggestion.sample_ids) == 1500 and not resampled.suggestion.weights
    assert len(set(resampled.suggestion.sample_ids)) < 1500  # repetitions drawn by weight
    client.set_model_suggestion_type(model_id, preferred_suggestion_type="SAMPLE_WEIGHTS")
    with fails(driftline.InvalidArgumentError, "RESAMPLED_DATASET_SIZE_REQUIRED"):
        client.set_model_suggestion_type(model_id, "RESAMPLED_DATASET")


def test_a_new_version_whose_reference_is_the_suggestion(flow, report):
    client, model_id = flow.client, flow.task.model_id
    job_id = client.update_model_version_by_suggestion_id(model_id, "v-retrained", report.report_id)
    assert isinstance(job_id, str)  # the job id, as the platform SDK returns it
    new_id = client.wait_job_completion(job_id, max_wait_timeout=300).model_id
    assert new_id == client.get_model_by_name_and_version(flow.task.task_id, "gbm",
                                                          "v-retrained").model_id
    reference = client.get_model_reference(new_id)
    assert reference.suggestion_id == report.report_id and reference.sample_count == HISTORY
    info = {s.id: s for s in client.get_suggestions_info(model_id)}
    assert info[report.report_id].executed
    # A version is named as the platform SDK names it, from any version's id: the new one has
    # no suggestion of its own yet, the first one's are found from the new one's id.
    first_version = client.get_model(model_id).version
    assert client.get_suggestions_info(model_id, "v-retrained") == []
    assert report.report_id in {s.id for s in client.get_suggestions_info(new_id, first_version)}
    with fails(driftline.NotFoundError, "MODEL_VERSION_NOT_FOUND") as caught:
        client.get_suggestions_info(model_id, "v-missing")
    assert "v-missing" in caught.value.error_message
    with fails(driftline.InvalidArgumentError, "MODEL_VERSION_INVALID", field="model_version"):
        client.get_suggestions_info(model_id, "v" * 101)
    # A time range works the same way.
    job_id = client.update_model_version_from_time_range(model_id, "v-range", START,
                                                         START + HISTORY)
    other_id = client.wait_job_completion(job_id, max_wait_timeout=300).model_id
    assert other_id not in (model_id, new_id)
    assert client.get_model_reference(other_id).sample_count == HISTORY
    with fails(driftline.NotFoundError):
        client.set_model_reference(new_id, suggestion_id="0" * 32)


@pytest.fixture(scope="module")
def trigger(flow, moto):
    """The model's retrain trigger: an EventBridge bus on moto; its name, a reader of what
    arrived, and the credentials."""
    client, model_id = flow.client, flow.task.model_id
    bus, read_queue = event_bus(moto)
    with fails(driftline.FailedPreconditionError, "RETRAIN_TRIGGER_REQUIRED"):
        client.retrain_model(model_id)
    credentials = client.create_aws_compatible_integration_credentials(
        "moto", False, flow.task.project_id, "testing", "testing-secret", moto)
    # A trigger as a driftline.types result (the tests below give retraining_pb2 messages).
    stored = client.set_retrain_trigger(model_id, AwsEventBridgeRetrainTrigger(
        credentials_id=credentials.credentials_id, aws_region_name="eu-west-1",
        event_bus_name=bus))
    assert stored == AwsEventBridgeRetrainTrigger(
        credentials_id=credentials.credentials_id, aws_region_name="eu-west-1",
        event_bus_name=bus)

    return bus, read_queue, credentials


def test_a_retrain_trigger_is_tested_then_fired_with_the_report(flow, trigger):
    client, model_id = flow.client, flow.task.model_id
    bus, read_queue, credentials = trigger
    assert client.get_retrain_trigger(model_id).event_bus_name == bus
    assert client.test_retrain_trigger(model_id)
    [test_message] = read_queue()
    assert json.loads(test_message["Body"])["detail"]["event_type"] == "RETRAIN_TEST"

    job = client.wait_job_completion(client.retrain_model(model_id), max_wait_timeout=300)
    assert job.status == job_pb2.JOB_STATUS_COMPLETED
    fired = client.get_retraining_report(model_id)
    assert fired.triggered and fired.trigger_outcome
    [message] = read_queue()
    detail = json.loads(message["Body"])["detail"]
    assert detail["event_type"] == "RETRAIN" and detail["report_id"] == fired.report_id
    assert detail["read_weights"]["request"] == {"model_id": model_id, "report_id": fired.report_id,
                                                 "include_samples": True}
    with fails(driftline.InvalidArgumentError, "RETRAIN_TRIGGER_INVALID"):
        client.set_retrain_trigger(model_id, retraining_pb2.AwsEventBridgeRetrainTrigger(
            credentials_id=credentials.credentials_id, aws_region_name="nowhere", event_bus_name=bus))


def test_a_trigger_given_is_tested_unstored_and_none_removes_it(flow, trigger):
    """As the platform SDK has them: test_retrain_trigger(model_id, trigger) tests a trigger
    before it is set; set_retrain_trigger(model_id, None) removes the model's."""
    client = flow.client
    bus, read_queue, credentials = trigger
    version_id = client.update_model_version(flow.task.model_id, "v-trigger")
    given = retraining_pb2.AwsEventBridgeRetrainTrigger(
        credentials_id=credentials.credentials_id, aws_region_name="eu-west-1", event_bus_name=bus)
    assert client.test_retrain_trigger(version_id, given)
    [message] = read_queue()
    detail = json.loads(message["Body"])["detail"]
    assert detail["event_type"] == "RETRAIN_TEST" and detail["model_id"] == version_id
    with fails(driftline.NotFoundError, "RETRAIN_TRIGGER_NOT_FOUND"):
        client.get_retrain_trigger(version_id)  # testing stored nothing
    with fails(driftline.InvalidArgumentError, "RETRAIN_TRIGGER_INVALID"):
        client.test_retrain_trigger(version_id, retraining_pb2.AwsEventBridgeRetrainTrigger(
            credentials_id=credentials.credentials_id, aws_region_name="nowhere", event_bus_name=bus))
    client.set_retrain_trigger(version_id, given)
    assert client.set_retrain_trigger(version_id, None) is None
    with fails(driftline.NotFoundError, "RETRAIN_TRIGGER_NOT_FOUND"):
        client.get_retrain_trigger(version_id)
    with fails(driftline.NotFoundError, "RETRAIN_TRIGGER_NOT_FOUND"):
        client.set_retrain_trigger(version_id, None)


def test_a_rule_retrains_the_model_on_drift(flow, trigger):
    client, model_id = flow.client, flow.task.model_id
    rule_id = client.create_detection_event_rule(
        "retrain on drift", flow.task.task_id, severity=None, detection_event_type="DRIFT_ON",
        monitoring_target="INPUT", monitoring_metric="FEATURE", model_name="gbm",
        actions=[rules_pb2.RetrainAction()])
    before = {s.id for s in client.get_suggestions_info(model_id)}
    def age_status() -> int:  # the model's own (its later versions have other references)
        return client.get_monitoring_status(flow.task.task_id, "INPUT", "FEATURE", feature="age",
                                            model_id=model_id).status

    for i in range(6):  # back to OK: a drift ends after two calm batches in a row
        flow.production(f"calm-again{i}")
        if i >= 1 and age_status() == OK:
            break
    assert age_status() == OK
    flow.production("moved-again", age_shift=10.0)  # drifts again: the rule retrains
    # The rule names the model, not a version: the versions made from it above (which have
    # their own references but no trigger) drift too, and their RETRAIN fails saying why.
    age = [e for e in flow.events(event_type="DRIFT_ON", model_id=model_id)
           if e.specification == "age"][-1]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        [delivery] = client.get_action_deliveries(event_id=age.event_id)
        if delivery.status == rules_pb2.ACTION_DELIVERY_STATE_DELIVERED and \
                {s.id for s in client.get_suggestions_info(model_id)} - before and \
                client.get_retraining_report(model_id).triggered:
            break
        time.sleep(0.5)
    assert delivery.rule_id == rule_id
    assert delivery.action_type == rules_pb2.DETECTION_EVENT_ACTION_TYPE_RETRAIN
    assert "retraining job" in delivery.outcome
    others = [d for d in client.get_action_deliveries(rule_id=rule_id) if d.event_id != age.event_id]
    assert others and all("no retrain trigger" in (d.last_error or "") for d in others)
    assert client.get_retraining_report(model_id).triggered


def test_who_may_compute_and_read_reports(company, other_company, flow, report):
    viewer = company.member(project_roles={flow.task.project_id: "PROJECT_VIEW"})
    wait_for_auth_cache()
    model_id = flow.task.model_id
    assert viewer.get_retraining_report(model_id).report_id
    with fails(driftline.PermissionDeniedError):
        viewer.compute_retraining_report(model_id)
    with fails(driftline.PermissionDeniedError):
        viewer.retrain_model(model_id)
    with fails(driftline.PermissionDeniedError):
        viewer.set_retrain_trigger(model_id, None)
    for call in (lambda: other_company.compute_retraining_report(model_id),
                 lambda: other_company.get_retraining_report(model_id),
                 lambda: other_company.get_suggestions_info(model_id),
                 lambda: other_company.get_retrain_trigger(model_id),
                 lambda: other_company.retrain_model(model_id)):
        with fails(driftline.NotFoundError):
            call()
