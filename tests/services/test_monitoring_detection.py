"""Drift detection as a user meets it, against a real server: a reference over historical data,
production batches committed one after another, each examined by a detection job that Data's
commit starts; statuses moving OK -> DRIFT -> OK with a shift and its reversal, detection events
in order with severities and explanations, watched live and resumed, late targets moving the
concept and the error, a retried detection raising nothing twice, and who may read what."""

from __future__ import annotations

import threading
import time

import grpc
import pytest

import driftline
from conftest import wait_for_auth_cache
from data_helpers import START
from driftline.jobs.v1 import job_pb2, jobs_service_pb2, jobs_service_pb2_grpc
from driftline.monitoring.v1 import monitoring_pb2 as mpb
from google.protobuf import struct_pb2
from harness import fails
from monitoring_helpers import (
    BATCH,
    DRIFT,
    OK,
    WARNING,
    detection_jobs,
    make_flow,
    samples,
    wait_detections,
)

@pytest.fixture(scope="module")
def flow(owner, project_id):
    return make_flow(owner, project_id)


@pytest.fixture(scope="module")
def watched(flow):
    """Every response of a WatchDetectionEvents stream on the task, opened before any
    production batch, collected by a thread."""
    received: list = []
    ready, stop = threading.Event(), threading.Event()

    def watch():
        for response in flow.client.watch_detection_events(
                task_id=flow.task.task_id, heartbeat_interval=1, include_heartbeats=True):
            received.append(response)
            ready.set()
            if stop.is_set():  # heartbeats every second bring us here
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    assert ready.wait(30), "the watch stream sent nothing (not even its first heartbeat)"
    yield received
    stop.set()
    thread.join(10)


@pytest.fixture(scope="module")
def story(flow, watched):
    """Stationary batches, a shift in age, then the shift reverted; statuses after each."""
    seen = {}
    for i in range(3):
        flow.production(f"calm{i}")
    seen["calm"] = (flow.status("INPUT"), flow.status("INPUT", "FEATURE", "age"),
                    flow.status("INPUT", "FEATURE", "plan"))
    seen["calm_events"] = flow.events()
    seen["shift_start"] = flow.clock
    for i in range(2):
        flow.production(f"shift{i}", age_shift=15.0)
    seen["shift"] = (flow.status("INPUT"), flow.status("INPUT", "FEATURE", "age"),
                     flow.status("INPUT", "FEATURE", "plan"))
    # The metric without a column, as the platform SDK asks: every column's status at once.
    seen["shift_columns"] = flow.client.get_monitoring_status(flow.task.task_id, "INPUT",
                                                              "FEATURE")
    # A drift ends after two calm batches in a row: four give every quantity its chance.
    for i in range(4):
        flow.production(f"back{i}")
    seen["back"] = (flow.status("INPUT"), flow.status("INPUT", "FEATURE", "age"),
                    flow.status("INPUT", "FEATURE", "plan"))
    seen["back_columns"] = flow.status("INPUT", "FEATURE")
    return seen


def test_a_metric_without_a_column_stands_for_the_worst_of_its_columns(flow, story):
    """get_monitoring_status(task_id, INPUT, FEATURE): age drifted while plan stayed OK, so the
    inputs' FEATURE metric as a whole is DRIFT; the summary names no column but the model."""
    _, age, plan = story["shift"]
    assert (age, plan) == (DRIFT, OK)
    summary = story["shift_columns"]
    assert summary.status == DRIFT
    assert summary.monitoring_target == mpb.MONITORING_TARGET_INPUT
    assert summary.monitoring_metric == mpb.MONITORING_METRIC_FEATURE
    assert summary.specification is None
    assert summary.model_id == flow.task.model_id and summary.status_start_datetime
    assert story["back_columns"] == OK


def test_every_committed_production_batch_is_detected_once(flow, story):
    jobs = detection_jobs(flow.client, flow.task.task_id)
    assert len(jobs) == flow.batches == 9
    assert all(job.status == job_pb2.JOB_STATUS_COMPLETED for job in jobs)
    for job in jobs:
        result = job.detection_result
        assert (result.kind, result.model_count, result.sample_count) == (
            "PRODUCTION", 1, BATCH), result
        assert job.task_id == flow.task.task_id


def test_stationary_batches_raise_nothing(story):
    assert story["calm"] == (OK, OK, OK)
    assert story["calm_events"] == []


def test_a_shift_drifts_the_shifted_column_and_the_inputs_then_recovers(flow, story):
    whole, age, plan = story["shift"]
    assert age == DRIFT and whole in (WARNING, DRIFT)
    assert plan == OK  # the column that did not move stays quiet
    assert story["back"] == (OK, OK, OK)

    age_events = flow.events(monitoring_target="INPUT")
    age_events = [e for e in age_events if e.specification == "age"]
    types = [e.event_type.name for e in age_events]
    assert types[0] == "DRIFT_ON" and types[-1] == "DRIFT_OFF", types
    drift_on = age_events[0]
    assert drift_on.monitoring_metric == mpb.MONITORING_METRIC_FEATURE
    assert drift_on.severity_type == mpb.DETECTION_EVENT_SEVERITY_HIGH  # 1.5 standard deviations
    assert drift_on.previous_status == OK and drift_on.status == DRIFT
    assert drift_on.model_id == flow.task.model_id and drift_on.model_name
    # Where the change began, as the batch's scores place it: within a few samples of the shift
    # (a little before it when the previous batch ended high by chance).
    assert abs(drift_on.sample_timestamp - story["shift_start"]) <= 50, \
        drift_on.sample_customer_id
    assert drift_on.sample_customer_id.startswith(("shift0-", "calm2-")), \
        drift_on.sample_customer_id
    statistics = drift_on.statistics
    # A 1.5 sd shift: the shift's test (Mann-Whitney) decides, far under the threshold.
    assert statistics["test"] == "mann_whitney" and statistics["adjusted_p_value"] < 0.001
    assert statistics["p_value"] < statistics["drift_threshold"] < statistics["warning_threshold"]
    assert statistics["detector"] == "batch_test"
    assert statistics["batches_between_false_alarms"] == 100
    assert statistics["effect_size"] > 1.0
    assert [c.column for c in drift_on.explanation] == ["age"]
    assert drift_on.explanation[0].effect_measure == "wasserstein_normed"
    # Off events say where the quantity came back: the first sample of a calm batch.
    assert age_events[-1].sample_customer_id.startswith("back"), age_events[-1]
    assert age_events[-1].severity_type is None

    # The inputs as a whole explain themselves by the column that moved most.
    whole = [e for e in flow.events(monitoring_target="INPUT", event_type=["DRIFT_ON",
                                                                            "WARNING_ON"])
             if not e.specification]
    assert whole and whole[0].explanation[0].column == "age"
    assert whole[0].statistics["test"] in ("ks", "mann_whitney")

    # Filters: severity and type narrow, an empty result is a list.
    high = flow.events(severity="HIGH")
    assert high and all(e.severity_type == mpb.DETECTION_EVENT_SEVERITY_HIGH for e in high)
    assert flow.events(event_type="WARNING_OFF", monitoring_target="ERROR") == []
    sequences = [e.sequence for e in flow.events()]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    # The lazy twin takes the same arguments and yields the same events, one page at a time.
    lazy = flow.client.iter_detection_events(flow.task.task_id, severity="HIGH")
    assert not isinstance(lazy, list)
    assert [e.event_id for e in lazy] == [e.event_id for e in high]


def test_statuses_of_every_quantity_and_the_predictions(flow, story):
    statuses = flow.client.get_monitoring_statuses(flow.task.task_id)
    found = {(s.monitoring_target.name, s.specification) for s in statuses}
    assert {("INPUT", "age"), ("INPUT", "plan"), ("INPUT", None), ("PREDICTION", None),
            ("INPUT_PREDICTION", None), ("CONCEPT", None), ("ERROR", None)} <= found
    for status in statuses:
        assert status.model_id == flow.task.model_id and status.reference_id
    age = next(s for s in statuses if s.specification == "age")
    assert age.status == OK and age.last_batch_id and age.update_datetime
    # A model filter and the summary agree when there is one model.
    one = flow.client.get_monitoring_status(flow.task.task_id, "INPUT", "FEATURE",
                                            feature="age", model_id=flow.task.model_id)
    assert one.status == OK and one.model_id == flow.task.model_id


def test_the_watch_stream_saw_every_event_in_order(flow, story, watched):
    listed = flow.events()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        streamed = [r.event for r in watched if not r.heartbeat]
        if len(streamed) >= len(listed):
            break
        time.sleep(0.1)
    assert [e.event_id for e in streamed] == [e.event_id for e in listed]
    assert [r.sequence for r in watched if not r.heartbeat] == [e.sequence for e in listed]
    assert any(r.heartbeat for r in watched)


def test_a_watch_resumes_after_a_sequence_without_loss_or_repeat(flow, story):
    listed = flow.events()
    assert len(listed) >= 3
    middle = listed[1].sequence

    def resumed(**scope) -> list[str]:
        found = []
        for response in flow.client.watch_detection_events(after_sequence=middle, **scope):
            found.append(response.event.event_id)
            if len(found) == len(listed) - 2:
                return found

    assert resumed(task_id=flow.task.task_id) == [e.event_id for e in listed[2:]]
    # The project's stream sees the same events.
    assert resumed(project_id=flow.task.project_id) == [e.event_id for e in listed[2:]]


def test_late_targets_move_the_concept_and_the_error(flow, story):
    # The model's accuracy on labelled production data, against thresholds.
    flow.client.set_evaluation_metric_threshold(flow.task.model_id, "ACCURACY", 0.8, 0.6)
    [threshold] = flow.client.get_evaluation_metric_thresholds(flow.task.model_id)
    assert threshold.warning_threshold == 0.8 and threshold.drift_threshold == 0.6
    before = len(flow.events(monitoring_target=["CONCEPT", "ERROR"]))
    # Production without targets, then their targets, reversed: the concept has changed.
    data = samples("late", 2 * BATCH, flow.clock, seed=99, flip_labels=True)
    flow.clock += 2 * BATCH
    job_id = flow.client.add_production_data(
        flow.task.task_id, data["inputs"], predictions=[(flow.task.model_id,
                                                         data["predictions"])])
    flow.client.wait_job_completion(job_id, max_wait_timeout=120)
    flow.batches += 1
    wait_detections(flow.client, flow.task.task_id, flow.batches)
    assert flow.status("CONCEPT") == OK and flow.status("ERROR") == OK  # nothing labelled yet
    job_id = flow.client.add_target_data(flow.task.task_id, data["target"])
    flow.client.wait_job_completion(job_id, max_wait_timeout=120)
    flow.batches += 1
    jobs = wait_detections(flow.client, flow.task.task_id, flow.batches)
    late = jobs[0].detection_result
    assert (late.kind, late.sample_count) == ("TARGET", 2 * BATCH)
    assert flow.status("ERROR") == DRIFT
    assert flow.status("CONCEPT") in (WARNING, DRIFT)
    assert flow.status("INPUT", "FEATURE", "age") == OK  # late targets move only what needs them
    new = flow.events(monitoring_target=["CONCEPT", "ERROR"])[before:]
    error = next(e for e in new if e.monitoring_target == mpb.MONITORING_TARGET_ERROR)
    assert error.event_type == mpb.DETECTION_EVENT_TYPE_DRIFT_ON
    assert error.sample_customer_id.startswith("late-")
    assert error.statistics["effect_size"] > 0.5
    # The accuracy fell from 0.9 to 0.1: past the drift threshold.
    [accuracy] = [e for e in new if e.monitoring_evaluation_metric]
    assert accuracy.monitoring_evaluation_metric == mpb.MONITORING_EVALUATION_METRIC_ACCURACY
    assert accuracy.event_type == mpb.DETECTION_EVENT_TYPE_DRIFT_ON
    assert accuracy.severity_type == mpb.DETECTION_EVENT_SEVERITY_HIGH
    assert accuracy.statistics["value"] < 0.2 and accuracy.statistics["drift_threshold"] == 0.6
    [status] = [s for s in flow.client.get_monitoring_statuses(flow.task.task_id)
                if s.monitoring_evaluation_metric]
    assert status.status == DRIFT and status.monitoring_target == mpb.MONITORING_TARGET_ERROR


def test_evaluation_thresholds_are_checked(flow):
    client, model_id = flow.client, flow.task.model_id
    with fails(driftline.InvalidArgumentError, "EVALUATION_THRESHOLD_INVALID",
               field="threshold.drift_threshold"):
        client.set_evaluation_metric_threshold(model_id, "ACCURACY", 0.6, 0.8)
    with fails(driftline.InvalidArgumentError, field="threshold.evaluation_metric"):
        client.set_evaluation_metric_threshold(model_id, "RMSE", 1.0, 2.0)  # a binary task
    with fails(driftline.InvalidArgumentError, field="threshold.evaluation_metric"):
        client.set_evaluation_metric_threshold(model_id, None, 0.8, 0.7)
    client.set_evaluation_metric_threshold(model_id, "ROC_AUC", 0.8, 0.7)  # it has probabilities
    client.delete_evaluation_metric_threshold(model_id, "ROC_AUC")
    assert [t.monitoring_evaluation_metric
            for t in client.get_evaluation_metric_thresholds(model_id)] \
        == [mpb.MONITORING_EVALUATION_METRIC_ACCURACY]


def test_a_detection_run_again_raises_no_event_twice(server, flow, story):
    """Another detection job of a batch already detected (a retried job) changes nothing."""
    batch_job = detection_jobs(flow.client, flow.task.task_id)[-1]
    events_before = [e.event_id for e in flow.events()]
    token = (server.data_dir / "internal.token").read_text().strip()
    arguments = struct_pb2.Struct()
    arguments.update({"task_id": flow.task.task_id, "kind": batch_job.detection_result.kind,
                      "batch_id": batch_job.detection_result.batch_id})
    with grpc.insecure_channel(server.address) as channel:
        response = jobs_service_pb2_grpc.JobsServiceStub(channel).SubmitJob(
            jobs_service_pb2.SubmitJobRequest(
                type="detect_drift", arguments=arguments, company_id=batch_job.company_id,
                project_id=batch_job.project_id, task_id=flow.task.task_id,
                request_id="detect-again"),
            metadata=(("authorization", f"Bearer {token}"),), timeout=10)
    again = flow.client.wait_job_completion(response.job.id, max_wait_timeout=60)
    # Every model had recorded the batch: nothing to do.
    assert (again.detection_result.model_count, again.detection_result.event_count) == (0, 0)
    assert [e.event_id for e in flow.events()] == events_before


def test_user_feedback_is_kept_on_the_event(flow, story):
    event = flow.events()[0]
    assert event.user_feedback is None
    updated = flow.client.set_detection_event_user_feedback(event.event_id, False)
    assert updated.user_feedback is False and updated.event_id == event.event_id
    assert flow.events()[0].user_feedback is False
    with fails(driftline.NotFoundError):
        flow.client.set_detection_event_user_feedback("0" * 32, True)


def test_bad_requests_say_what_to_fix(flow, story):
    client, task_id = flow.client, flow.task.task_id
    with fails(driftline.InvalidArgumentError, "TARGET_REQUIRED", field="target"):
        client.get_monitoring_status(task_id, None)
    with fails(driftline.NotFoundError, "MONITORED_QUANTITY_NOT_FOUND") as caught:
        client.get_monitoring_status(task_id, "USER_INPUT")
    assert "SetModelReference" in caught.value.error_message
    with fails(driftline.NotFoundError, "MONITORED_QUANTITY_NOT_FOUND"):
        client.get_monitoring_status(task_id, "INPUT", "FEATURE", feature="nope")
    with fails(driftline.InvalidArgumentError, "TIME_RANGE_INVALID", field="to_time"):
        client.get_detection_events(task_id, from_timestamp=START + 10, to_timestamp=START)
    with fails(driftline.InvalidArgumentError, "WATCH_SCOPE_REQUIRED", field="task_id"):
        next(iter(client.watch_detection_events()))
    with fails(driftline.NotFoundError):
        client.get_monitoring_statuses("0" * 32)


def test_who_may_read_and_give_feedback(company, other_company, flow, story):
    viewer = company.member(project_roles={flow.task.project_id: "PROJECT_VIEW"})
    outsider = other_company
    wait_for_auth_cache()
    task_id = flow.task.task_id
    assert viewer.get_monitoring_status(task_id, "INPUT").status == OK
    assert viewer.get_detection_events(task_id)
    event = flow.events()[0]
    with fails(driftline.PermissionDeniedError):
        viewer.set_detection_event_user_feedback(event.event_id, True)
    for call in (lambda: outsider.get_monitoring_status(task_id, "INPUT"),
                 lambda: outsider.get_monitoring_statuses(task_id),
                 lambda: outsider.get_detection_events(task_id),
                 lambda: outsider.set_detection_event_user_feedback(event.event_id, True),
                 lambda: next(iter(outsider.watch_detection_events(task_id=task_id))),
                 lambda: next(iter(outsider.watch_detection_events(
                     project_id=flow.task.project_id)))):
        with fails(driftline.NotFoundError):
            call()


def test_every_internal_method_refuses_users(flow):
    """Only the suite's services may call Monitoring's internal methods, whatever the role."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring import INTERNAL_METHODS

    client = flow.client
    for path in sorted(INTERNAL_METHODS):
        name = path.rsplit("/", 1)[1]
        request = getattr(pb, f"{name}Request")()
        with fails(driftline.PermissionDeniedError):
            client.stubs.call(getattr(client.stubs.monitoring, name), request)


def test_stationary_data_stays_quiet_over_many_batches(owner, project_id):
    """Fifteen batches like the reference, on the default promise: one false drift per target
    in 100 batches (warnings up to three times as often). Three targets are monitored without
    labels, so some 0.45 false drifts and 1.35 false warnings are expected: at most 3 and 8 (each
    more than 99.9% likely), and no status left out of OK for long."""
    quiet = make_flow(owner, project_id, name="stationary")
    for index in range(15):
        data = samples(f"still{index}", 500, quiet.clock, seed=1000 + index)
        quiet.clock += 500
        job_id = owner.add_production_data(quiet.task.task_id, data["inputs"],
                                           predictions=[(quiet.task.model_id,
                                                         data["predictions"])])
        owner.wait_job_completion(job_id, max_wait_timeout=120)
    wait_detections(owner, quiet.task.task_id, 15)
    events = quiet.events()
    seen = [(e.event_type.name, e.monitoring_target, e.specification) for e in events]
    assert sum(e.event_type.name == "DRIFT_ON" for e in events) <= 3, seen
    assert sum(e.event_type.name == "WARNING_ON" for e in events) <= 8, seen
    reference = owner.get_model_reference(quiet.task.model_id)
    assert reference.batches_between_false_alarms == 100
