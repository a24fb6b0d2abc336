"""MonitoringService's conversions (driftline.conversions.monitoring): every message of the
monitoring contracts the client returns, and each choice of their oneofs, survives the round
trip to its result and back; the results carry the SDK's field names and driftline.enums
members."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pyarrow as pa
import pytest

from conversions_helpers import assert_round_trip, filled
from driftline import types
from driftline.conversions import monitoring as conversions
from driftline.enums import (
    DetectionEventActionType,
    DetectionEventSeverity,
    DetectionEventType,
    MonitoringMetric,
    MonitoringTarget,
    SuggestionType,
    TaskReportState,
)
from driftline.catalog.v1 import model_pb2
from driftline.monitoring.v1 import (
    monitoring_pb2,
    monitoring_service_pb2,
    reports_pb2,
    retraining_pb2,
    rules_pb2,
)

# Every message of the contracts' result files, and the watch stream's response.
MESSAGES = [getattr(module, name)
            for module in (monitoring_pb2, rules_pb2, retraining_pb2, reports_pb2)
            for name in module.DESCRIPTOR.message_types_by_name] + [
    monitoring_service_pb2.WatchDetectionEventsResponse]

# The oneofs' choices that are messages without fields (filled cannot set those).
EMPTY_CHOICES = {
    "retrain": rules_pb2.DetectionEventAction(retrain=rules_pb2.RetrainAction()),
    "driftline": retraining_pb2.RetrainTrigger(driftline=retraining_pb2.DriftlineRetrainTrigger()),
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _pair(message_type):
    stem = _snake(message_type.DESCRIPTOR.name)
    return (getattr(conversions, f"{stem}_from_proto"), getattr(conversions, f"{stem}_to_proto"))


def _cases():
    for message_type in MESSAGES:
        choices = max([len(oneof.fields) for oneof in message_type.DESCRIPTOR.oneofs
                       if not oneof.name.startswith("_")] or [1])
        for choice in range(choices):
            message = filled(message_type, choice)
            if all(message.WhichOneof(oneof.name) for oneof in message.DESCRIPTOR.oneofs
                   if not oneof.name.startswith("_")):
                yield pytest.param(message, id=f"{message_type.DESCRIPTOR.name}-{choice}")
    for choice, message in EMPTY_CHOICES.items():
        yield pytest.param(message, id=f"{message.DESCRIPTOR.name}-{choice}")


@pytest.mark.parametrize("message", list(_cases()))
def test_every_message_survives_the_round_trip(message):
    assert_round_trip(message, *_pair(type(message)))


@pytest.mark.parametrize("message_type", MESSAGES, ids=lambda m: m.DESCRIPTOR.name)
def test_an_empty_message_survives_the_round_trip(message_type):
    """Unset fields (a warning event's severity, a report without a judge) are None in the
    result and unset again in the message."""
    if message_type.DESCRIPTOR.oneofs and not all(
            o.name.startswith("_") for o in message_type.DESCRIPTOR.oneofs):
        pytest.skip("a oneof must hold one of its choices")
    if message_type in (reports_pb2.RagEvaluationReport, reports_pb2.TopicModelingReport):
        pytest.skip("a report always has its info, whose fields the result carries as its own")
    assert_round_trip(message_type(), *_pair(message_type))


def test_a_detection_event_in_the_sdks_words():
    event = conversions.detection_event_from_proto(monitoring_pb2.DetectionEvent(
        id="e1", type=monitoring_pb2.DETECTION_EVENT_TYPE_DRIFT_ON,
        target=monitoring_pb2.MONITORING_TARGET_INPUT,
        metric=monitoring_pb2.MONITORING_METRIC_FEATURE, feature="age",
        severity=monitoring_pb2.DETECTION_EVENT_SEVERITY_HIGH, model_id="m1",
        model_name="gbm", model_version="v1", sample_id="s-17",
        sample_time={"seconds": 1_700_000_000, "nanos": 500_000_000},
        create_time={"seconds": 1_700_000_100}))
    assert (event.event_id, event.event_type, event.monitoring_target, event.monitoring_metric,
            event.specification, event.severity_type) == (
        "e1", DetectionEventType.DRIFT_ON, MonitoringTarget.INPUT, MonitoringMetric.FEATURE,
        "age", DetectionEventSeverity.HIGH)
    assert event.event_type == monitoring_pb2.DETECTION_EVENT_TYPE_DRIFT_ON  # IntEnum
    assert (event.model_id, event.model_name, event.model_version) == ("m1", "gbm", "v1")
    assert event.sample_customer_id == "s-17" and event.sample_timestamp == 1_700_000_000.5
    assert event.insert_datetime == datetime.fromtimestamp(1_700_000_100, timezone.utc)
    # Not set: None, as the SDK has them.
    assert event.user_feedback is None and event.monitoring_evaluation_metric is None
    assert event.kpi_id is None and event.statistics == {} and event.explanation == []


def test_a_warning_on_the_target_as_a_whole_has_no_metric_and_no_severity():
    event = conversions.detection_event_from_proto(monitoring_pb2.DetectionEvent(
        id="e2", type=monitoring_pb2.DETECTION_EVENT_TYPE_WARNING_ON,
        target=monitoring_pb2.MONITORING_TARGET_INPUT))
    assert event.monitoring_metric is None and event.severity_type is None
    assert event.specification is None


def test_an_enum_number_this_client_does_not_know_stays_a_number():
    event = conversions.detection_event_from_proto(monitoring_pb2.DetectionEvent(
        id="e3", type=99))
    assert event.event_type == 99
    assert conversions.detection_event_to_proto(event).type == 99


def test_a_rule_and_its_actions_in_the_sdks_words():
    rule = conversions.detection_event_rule_from_proto(rules_pb2.DetectionEventRule(
        id="r1", name="drift", task_id="t1",
        detection_event_type=monitoring_pb2.DETECTION_EVENT_TYPE_DRIFT_ON,
        monitoring_target=monitoring_pb2.MONITORING_TARGET_INPUT,
        actions=[rules_pb2.DetectionEventAction(slack=rules_pb2.SlackNotificationAction(
                     webhook_url="https://hooks.slack.com/…/XYZ")),
                 rules_pb2.DetectionEventAction(retrain=rules_pb2.RetrainAction())]))
    assert (rule.rule_id, rule.name, rule.task_id, rule.severity, rule.model_name) == (
        "r1", "drift", "t1", None, None)
    assert rule.monitoring_targets == [MonitoringTarget.INPUT] and rule.monitoring_metrics == []
    slack, retrain = rule.actions
    assert slack == types.SlackNotificationAction(webhook="https://hooks.slack.com/…/XYZ")
    assert slack.type == DetectionEventActionType.SLACK_NOTIFICATION
    assert isinstance(retrain, types.RetrainAction)
    assert retrain.type == DetectionEventActionType.RETRAIN


def test_an_action_of_another_kind_is_refused():
    with pytest.raises(TypeError, match="is not one of"):
        conversions.detection_event_action_to_proto(types.DriftlineRetrainTrigger())


def test_a_retraining_report_and_its_suggestion_in_the_sdks_words():
    report = conversions.retraining_report_from_proto(retraining_pb2.RetrainingReport(
        id="rep1", model_id="m1", effective_sample_size=812.5, model_metric_name="ACCURACY",
        performance_lower_bound=0.7, cost_upper_bound=12.0,
        suggestion=retraining_pb2.RetrainingSuggestion(
            id="rep1", type=model_pb2.SUGGESTION_TYPE_SAMPLE_WEIGHTS,
            sample_ids=["a", "b"], weights=[0.5, 1.5], sample_count=2,
            create_time={"seconds": 1_700_000_000})))
    assert (report.report_id, report.effective_sample_size, report.model_metric_name) == (
        "rep1", 812.5, "ACCURACY")
    assert report.performance_lower_bound == 0.7 and report.performance_upper_bound is None
    assert report.cost_upper_bound == 12.0 and report.cost_lower_bound is None
    suggestion = report.suggestion
    assert (suggestion.suggestion_id, suggestion.suggestion_type, suggestion.sample_ids,
            suggestion.weights) == ("rep1", SuggestionType.SAMPLE_WEIGHTS, ["a", "b"],
                                    [0.5, 1.5])
    # As get_suggestions_info lists it: the SDK's SuggestionInfo.
    assert types.SuggestionInfo is types.Suggestion
    assert suggestion.id == "rep1" and suggestion.executed is False
    assert suggestion.timestamp == datetime.fromtimestamp(1_700_000_000, timezone.utc)


def test_a_retrain_trigger_is_the_result_of_its_kind():
    trigger = conversions.retrain_trigger_from_proto(retraining_pb2.RetrainTrigger(
        aws_event_bridge=retraining_pb2.AwsEventBridgeRetrainTrigger(
            credentials_id="c1", aws_region_name="eu-west-1", event_bus_name="ml")))
    assert trigger == types.AwsEventBridgeRetrainTrigger(
        credentials_id="c1", aws_region_name="eu-west-1", event_bus_name="ml")


def test_reports_carry_the_sdks_report_item_fields():
    info = reports_pb2.TaskReportInfo(
        id="rag1", task_id="t1", name="November", state=reports_pb2.TASK_REPORT_STATE_COMPLETE,
        from_time={"seconds": 1_700_000_000}, to_time={"seconds": 1_700_086_400},
        create_time={"seconds": 1_700_090_000})
    for report in (conversions.rag_evaluation_report_from_proto(
                       reports_pb2.RagEvaluationReport(info=info)),
                   conversions.topic_modeling_report_from_proto(
                       reports_pb2.TopicModelingReport(info=info))):
        assert (report.id, report.name, report.status) == (
            "rag1", "November", TaskReportState.COMPLETE)
        assert report.from_datetime == datetime.fromtimestamp(1_700_000_000, timezone.utc)
        assert report.to_datetime == datetime.fromtimestamp(1_700_086_400, timezone.utc)
        assert report.creation_datetime == datetime.fromtimestamp(1_700_090_000, timezone.utc)
    assert types.TaskRagEvalReportItem is types.RagEvaluationReport
    assert types.TaskTopicModelingReportItem is types.TopicModelingReport


def test_topic_modeling_report_details_are_a_result_with_their_arrow_table():
    report = conversions.topic_modeling_report_from_proto(filled(reports_pb2.TopicModelingReport))
    samples = pa.table({"sample_id": ["s1", "s2"], "topic_id": pa.array([0, -1], pa.int32())})
    details = types.TopicModelingReportDetails(report=report, samples=samples)
    assert isinstance(details, types.Result)
    assert details.sample_ids == ["s1", "s2"] and details.sample_topics == [0, -1]
    assert details.topics == report.topics
    assert details == types.TopicModelingReportDetails(report=report, samples=samples)
    with pytest.raises(ValueError):
        details.samples = samples  # frozen
