"""MonitoringService's messages to ``driftline.types.monitoring`` results and back: one pair of
functions per message (``<message>_from_proto``, ``<message>_to_proto``).

The SDK's names replace the contracts' where the SDK has the field (``id`` is ``event_id``,
``type`` is ``event_type``, ``target`` is ``monitoring_target``, ``severity`` is
``severity_type``, ``feature`` is ``specification``, ``sample_id`` is ``sample_customer_id``,
...); times are ``*_datetime`` (aware UTC datetimes) but for the SDK's ``sample_timestamp``
(epoch seconds); ``state`` is ``status``. An enum's zero (not set) and an empty optional text
are None. The oneofs (a rule's actions, a retrain trigger) become the chosen message's result.
"""

from __future__ import annotations

import enum

from google.protobuf import timestamp_pb2

from driftline.conversions._common import (
    text_or_none,
    to_datetime,
    to_struct,
    to_timestamp,
)
from driftline.conversions._json import struct_to_dict
from driftline.enums import (
    ActionDeliveryState,
    DetectionEventActionType,
    DetectionEventSeverity,
    DetectionEventType,
    KpiStatus,
    ModelReferenceState,
    MonitoringEvaluationMetric,
    MonitoringMetric,
    MonitoringStatus,
    MonitoringTarget,
    RetrainingReportState,
    SuggestionType,
    TaskReportState,
    enum_member,
)
from driftline.monitoring.v1 import (
    monitoring_pb2,
    monitoring_service_pb2,
    reports_pb2,
    retraining_pb2,
    rules_pb2,
)
from driftline.types import monitoring as t


def _member(enum_type: type[enum.IntEnum], number: int):
    """An enum field's member; None for its zero (not set)."""
    return enum_member(enum_type, number) if number else None


def _number(value) -> int:
    return int(value) if value is not None else 0


def _seconds(stamp: timestamp_pb2.Timestamp) -> float | None:
    """A Timestamp as epoch seconds (the SDK's ``*_timestamp``); None when unset."""
    if not stamp.seconds and not stamp.nanos:
        return None
    return stamp.seconds + stamp.nanos / 1e9


def _stamp(seconds: float | None) -> timestamp_pb2.Timestamp | None:
    """Epoch seconds as a Timestamp, to the microsecond (as a datetime keeps it)."""
    if seconds is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromMicroseconds(round(seconds * 1_000_000))
    return stamp


# -- model references -----------------------------------------------------------------------


def monitored_quantity_from_proto(message: monitoring_pb2.MonitoredQuantity
                                  ) -> t.MonitoredQuantity:
    return t.MonitoredQuantity(
        monitoring_target=_member(MonitoringTarget, message.target),
        monitoring_metric=_member(MonitoringMetric, message.metric),
        specification=text_or_none(message.feature), columns=list(message.columns),
        statistic=message.statistic, detector=message.detector,
        warning_threshold=message.warning_threshold, drift_threshold=message.drift_threshold,
        warning_mean_run_length=message.warning_mean_run_length,
        drift_mean_run_length=message.drift_mean_run_length, sample_count=message.sample_count)


def monitored_quantity_to_proto(result: t.MonitoredQuantity) -> monitoring_pb2.MonitoredQuantity:
    return monitoring_pb2.MonitoredQuantity(
        target=_number(result.monitoring_target), metric=_number(result.monitoring_metric),
        feature=result.specification or "", columns=result.columns,
        statistic=result.statistic, detector=result.detector,
        warning_threshold=result.warning_threshold, drift_threshold=result.drift_threshold,
        warning_mean_run_length=result.warning_mean_run_length,
        drift_mean_run_length=result.drift_mean_run_length, sample_count=result.sample_count)


def skipped_target_from_proto(message: monitoring_pb2.SkippedTarget) -> t.SkippedTarget:
    return t.SkippedTarget(monitoring_target=_member(MonitoringTarget, message.target),
                           reason=message.reason)


def skipped_target_to_proto(result: t.SkippedTarget) -> monitoring_pb2.SkippedTarget:
    return monitoring_pb2.SkippedTarget(target=_number(result.monitoring_target),
                                        reason=result.reason)


def model_reference_from_proto(message: monitoring_pb2.ModelReference) -> t.ModelReference:
    return t.ModelReference(
        reference_id=message.id, model_id=message.model_id, task_id=message.task_id,
        version=message.version, status=_member(ModelReferenceState, message.state),
        active=message.active, from_datetime=to_datetime(message.from_time),
        to_datetime=to_datetime(message.to_time), job_id=text_or_none(message.job_id),
        sample_count=message.sample_count,
        labelled_sample_count=message.labelled_sample_count,
        target_drift_mean_run_length=message.target_drift_mean_run_length,
        target_warning_mean_run_length=message.target_warning_mean_run_length,
        batches_between_false_alarms=message.batches_between_false_alarms,
        quantities=[monitored_quantity_from_proto(q) for q in message.quantities],
        skipped_targets=[skipped_target_from_proto(s) for s in message.skipped_targets],
        failure_message=text_or_none(message.failure_message),
        request_id=text_or_none(message.request_id),
        creator_id=text_or_none(message.creator_id),
        creation_datetime=to_datetime(message.create_time),
        finish_datetime=to_datetime(message.finish_time),
        suggestion_id=text_or_none(message.suggestion_id))


def model_reference_to_proto(result: t.ModelReference) -> monitoring_pb2.ModelReference:
    return monitoring_pb2.ModelReference(
        id=result.reference_id, model_id=result.model_id, task_id=result.task_id,
        version=result.version, state=_number(result.status), active=result.active,
        from_time=to_timestamp(result.from_datetime), to_time=to_timestamp(result.to_datetime),
        job_id=result.job_id or "", sample_count=result.sample_count,
        labelled_sample_count=result.labelled_sample_count,
        target_drift_mean_run_length=result.target_drift_mean_run_length,
        target_warning_mean_run_length=result.target_warning_mean_run_length,
        batches_between_false_alarms=result.batches_between_false_alarms,
        quantities=[monitored_quantity_to_proto(q) for q in result.quantities],
        skipped_targets=[skipped_target_to_proto(s) for s in result.skipped_targets],
        failure_message=result.failure_message or "", request_id=result.request_id or "",
        creator_id=result.creator_id or "", create_time=to_timestamp(result.creation_datetime),
        finish_time=to_timestamp(result.finish_datetime),
        suggestion_id=result.suggestion_id or "")


# -- statuses ---------------------------------------------------------------------------------


def monitoring_quantity_status_from_proto(message: monitoring_pb2.MonitoringQuantityStatus
                                          ) -> t.MonitoringQuantityStatus:
    return t.MonitoringQuantityStatus(
        monitoring_target=_member(MonitoringTarget, message.target),
        status=_member(MonitoringStatus, message.status),
        monitoring_metric=_member(MonitoringMetric, message.metric),
        specification=text_or_none(message.feature), model_id=text_or_none(message.model_id),
        model_name=text_or_none(message.model_name),
        model_version=text_or_none(message.model_version),
        reference_id=text_or_none(message.reference_id),
        status_start_datetime=to_datetime(message.status_time),
        last_batch_id=text_or_none(message.last_batch_id),
        update_datetime=to_datetime(message.update_time),
        monitoring_evaluation_metric=_member(MonitoringEvaluationMetric,
                                             message.evaluation_metric))


def monitoring_quantity_status_to_proto(result: t.MonitoringQuantityStatus
                                        ) -> monitoring_pb2.MonitoringQuantityStatus:
    return monitoring_pb2.MonitoringQuantityStatus(
        target=_number(result.monitoring_target), metric=_number(result.monitoring_metric),
        feature=result.specification or "", status=_number(result.status),
        model_id=result.model_id or "", model_name=result.model_name or "",
        model_version=result.model_version or "", reference_id=result.reference_id or "",
        status_time=to_timestamp(result.status_start_datetime),
        last_batch_id=result.last_batch_id or "",
        update_time=to_timestamp(result.update_datetime),
        evaluation_metric=_number(result.monitoring_evaluation_metric))


def kpi_monitoring_status_from_proto(message: monitoring_pb2.KpiMonitoringStatus
                                     ) -> t.KpiMonitoringStatus:
    return t.KpiMonitoringStatus(
        kpi_id=message.kpi_id, status=_member(KpiStatus, message.status),
        status_start_datetime=to_datetime(message.status_time),
        reference_value_count=message.reference_value_count,
        required_value_count=message.required_value_count,
        last_batch_id=text_or_none(message.last_batch_id),
        update_datetime=to_datetime(message.update_time))


def kpi_monitoring_status_to_proto(result: t.KpiMonitoringStatus
                                   ) -> monitoring_pb2.KpiMonitoringStatus:
    return monitoring_pb2.KpiMonitoringStatus(
        kpi_id=result.kpi_id, status=_number(result.status),
        status_time=to_timestamp(result.status_start_datetime),
        reference_value_count=result.reference_value_count,
        required_value_count=result.required_value_count,
        last_batch_id=result.last_batch_id or "",
        update_time=to_timestamp(result.update_datetime))


def evaluation_metric_threshold_from_proto(message: monitoring_pb2.EvaluationMetricThreshold
                                           ) -> t.EvaluationMetricThreshold:
    return t.EvaluationMetricThreshold(
        model_id=message.model_id,
        monitoring_evaluation_metric=_member(MonitoringEvaluationMetric,
                                             message.evaluation_metric),
        warning_threshold=message.warning_threshold, drift_threshold=message.drift_threshold,
        update_datetime=to_datetime(message.update_time))


def evaluation_metric_threshold_to_proto(result: t.EvaluationMetricThreshold
                                         ) -> monitoring_pb2.EvaluationMetricThreshold:
    return monitoring_pb2.EvaluationMetricThreshold(
        model_id=result.model_id,
        evaluation_metric=_number(result.monitoring_evaluation_metric),
        warning_threshold=result.warning_threshold, drift_threshold=result.drift_threshold,
        update_time=to_timestamp(result.update_datetime))


# -- detection events -----------------------------------------------------------------------


def column_drift_from_proto(message: monitoring_pb2.ColumnDrift) -> t.ColumnDrift:
    return t.ColumnDrift(
        column=message.column, test=message.test, statistic=message.statistic,
        p_value=message.p_value, adjusted_p_value=message.adjusted_p_value,
        effect_size=message.effect_size, effect_measure=message.effect_measure,
        sample_count=message.sample_count)


def column_drift_to_proto(result: t.ColumnDrift) -> monitoring_pb2.ColumnDrift:
    return monitoring_pb2.ColumnDrift(**result.model_dump())


def detection_event_from_proto(message: monitoring_pb2.DetectionEvent) -> t.DetectionEvent:
    return t.DetectionEvent(
        event_id=message.id, sequence=message.sequence, task_id=text_or_none(message.task_id),
        project_id=text_or_none(message.project_id),
        event_type=_member(DetectionEventType, message.type),
        monitoring_target=_member(MonitoringTarget, message.target),
        monitoring_metric=_member(MonitoringMetric, message.metric),
        specification=text_or_none(message.feature),
        monitoring_evaluation_metric=_member(MonitoringEvaluationMetric,
                                             message.evaluation_metric),
        severity_type=_member(DetectionEventSeverity, message.severity),
        model_id=text_or_none(message.model_id), model_name=text_or_none(message.model_name),
        model_version=text_or_none(message.model_version),
        reference_id=text_or_none(message.reference_id),
        batch_id=text_or_none(message.batch_id),
        previous_status=_member(MonitoringStatus, message.previous_status),
        status=_member(MonitoringStatus, message.status),
        sample_customer_id=text_or_none(message.sample_id),
        sample_timestamp=_seconds(message.sample_time),
        statistics=struct_to_dict(message.statistics),
        explanation=[column_drift_from_proto(c) for c in message.explanation],
        user_feedback=message.user_feedback if message.HasField("user_feedback") else None,
        insert_datetime=to_datetime(message.create_time), kpi_id=text_or_none(message.kpi_id))


def detection_event_to_proto(result: t.DetectionEvent) -> monitoring_pb2.DetectionEvent:
    return monitoring_pb2.DetectionEvent(
        id=result.event_id, sequence=result.sequence, task_id=result.task_id or "",
        project_id=result.project_id or "", type=_number(result.event_type),
        target=_number(result.monitoring_target), metric=_number(result.monitoring_metric),
        feature=result.specification or "",
        evaluation_metric=_number(result.monitoring_evaluation_metric),
        severity=_number(result.severity_type), model_id=result.model_id or "",
        model_name=result.model_name or "", model_version=result.model_version or "",
        reference_id=result.reference_id or "", batch_id=result.batch_id or "",
        previous_status=_number(result.previous_status), status=_number(result.status),
        sample_id=result.sample_customer_id or "", sample_time=_stamp(result.sample_timestamp),
        statistics=to_struct(result.statistics or None),
        explanation=[column_drift_to_proto(c) for c in result.explanation],
        user_feedback=result.user_feedback, create_time=to_timestamp(result.insert_datetime),
        kpi_id=result.kpi_id or "")


def watch_detection_events_response_from_proto(
        message: monitoring_service_pb2.WatchDetectionEventsResponse) -> t.WatchedDetectionEvent:
    return t.WatchedDetectionEvent(
        event=detection_event_from_proto(message.event) if message.HasField("event") else None,
        heartbeat=message.heartbeat, sequence=message.sequence)


def watch_detection_events_response_to_proto(
        result: t.WatchedDetectionEvent) -> monitoring_service_pb2.WatchDetectionEventsResponse:
    return monitoring_service_pb2.WatchDetectionEventsResponse(
        event=detection_event_to_proto(result.event) if result.event is not None else None,
        heartbeat=result.heartbeat, sequence=result.sequence)


# -- rules and their actions ------------------------------------------------------------------


def slack_notification_action_from_proto(message: rules_pb2.SlackNotificationAction
                                         ) -> t.SlackNotificationAction:
    return t.SlackNotificationAction(webhook=message.webhook_url,
                                     channel=text_or_none(message.channel))


def slack_notification_action_to_proto(result: t.SlackNotificationAction
                                       ) -> rules_pb2.SlackNotificationAction:
    return rules_pb2.SlackNotificationAction(webhook_url=result.webhook,
                                             channel=result.channel or "")


def discord_notification_action_from_proto(message: rules_pb2.DiscordNotificationAction
                                           ) -> t.DiscordNotificationAction:
    return t.DiscordNotificationAction(webhook=message.webhook_url)


def discord_notification_action_to_proto(result: t.DiscordNotificationAction
                                         ) -> rules_pb2.DiscordNotificationAction:
    return rules_pb2.DiscordNotificationAction(webhook_url=result.webhook)


def teams_notification_action_from_proto(message: rules_pb2.TeamsNotificationAction
                                         ) -> t.TeamsNotificationAction:
    return t.TeamsNotificationAction(webhook=message.webhook_url)


def teams_notification_action_to_proto(result: t.TeamsNotificationAction
                                       ) -> rules_pb2.TeamsNotificationAction:
    return rules_pb2.TeamsNotificationAction(webhook_url=result.webhook)


def webhook_action_from_proto(message: rules_pb2.WebhookAction) -> t.WebhookAction:
    return t.WebhookAction(url=message.url, secret=message.secret, headers=dict(message.headers))


def webhook_action_to_proto(result: t.WebhookAction) -> rules_pb2.WebhookAction:
    return rules_pb2.WebhookAction(url=result.url, secret=result.secret, headers=result.headers)


def email_notification_action_from_proto(message: rules_pb2.EmailNotificationAction
                                         ) -> t.EmailNotificationAction:
    return t.EmailNotificationAction(addresses=list(message.addresses))


def email_notification_action_to_proto(result: t.EmailNotificationAction
                                       ) -> rules_pb2.EmailNotificationAction:
    return rules_pb2.EmailNotificationAction(addresses=result.addresses)


def mqtt_notification_action_from_proto(message: rules_pb2.MqttNotificationAction
                                        ) -> t.MqttNotificationAction:
    return t.MqttNotificationAction(connection_string=message.connection_string,
                                    topic=message.topic, payload=text_or_none(message.payload))


def mqtt_notification_action_to_proto(result: t.MqttNotificationAction
                                      ) -> rules_pb2.MqttNotificationAction:
    return rules_pb2.MqttNotificationAction(connection_string=result.connection_string,
                                            topic=result.topic, payload=result.payload or "")


def aws_event_bridge_notification_action_from_proto(
        message: rules_pb2.AwsEventBridgeNotificationAction
) -> t.AwsEventBridgeNotificationAction:
    return t.AwsEventBridgeNotificationAction(
        credentials_id=message.credentials_id, aws_region_name=message.aws_region_name,
        event_bus_name=message.event_bus_name)


def aws_event_bridge_notification_action_to_proto(
        result: t.AwsEventBridgeNotificationAction
) -> rules_pb2.AwsEventBridgeNotificationAction:
    return rules_pb2.AwsEventBridgeNotificationAction(**result.model_dump())


def gcp_pub_sub_notification_action_from_proto(message: rules_pb2.GcpPubSubNotificationAction
                                               ) -> t.GcpPubSubNotificationAction:
    return t.GcpPubSubNotificationAction(credentials_id=message.credentials_id,
                                         project_id=message.project_id,
                                         topic_name=message.topic_name)


def gcp_pub_sub_notification_action_to_proto(result: t.GcpPubSubNotificationAction
                                             ) -> rules_pb2.GcpPubSubNotificationAction:
    return rules_pb2.GcpPubSubNotificationAction(**result.model_dump())


def azure_event_grid_notification_action_from_proto(
        message: rules_pb2.AzureEventGridNotificationAction
) -> t.AzureEventGridNotificationAction:
    return t.AzureEventGridNotificationAction(credentials_id=message.credentials_id,
                                              topic_endpoint=message.topic_endpoint)


def azure_event_grid_notification_action_to_proto(
        result: t.AzureEventGridNotificationAction
) -> rules_pb2.AzureEventGridNotificationAction:
    return rules_pb2.AzureEventGridNotificationAction(**result.model_dump())


def retrain_action_from_proto(message: rules_pb2.RetrainAction) -> t.RetrainAction:
    return t.RetrainAction()


def retrain_action_to_proto(result: t.RetrainAction) -> rules_pb2.RetrainAction:
    return rules_pb2.RetrainAction()


# Each field of the DetectionEventAction oneof: its result type and conversions.
_ACTIONS = {
    "slack": (t.SlackNotificationAction, slack_notification_action_from_proto,
              slack_notification_action_to_proto),
    "discord": (t.DiscordNotificationAction, discord_notification_action_from_proto,
                discord_notification_action_to_proto),
    "teams": (t.TeamsNotificationAction, teams_notification_action_from_proto,
              teams_notification_action_to_proto),
    "webhook": (t.WebhookAction, webhook_action_from_proto, webhook_action_to_proto),
    "email": (t.EmailNotificationAction, email_notification_action_from_proto,
              email_notification_action_to_proto),
    "mqtt": (t.MqttNotificationAction, mqtt_notification_action_from_proto,
             mqtt_notification_action_to_proto),
    "aws_event_bridge": (t.AwsEventBridgeNotificationAction,
                         aws_event_bridge_notification_action_from_proto,
                         aws_event_bridge_notification_action_to_proto),
    "gcp_pubsub": (t.GcpPubSubNotificationAction, gcp_pub_sub_notification_action_from_proto,
                   gcp_pub_sub_notification_action_to_proto),
    "azure_event_grid": (t.AzureEventGridNotificationAction,
                         azure_event_grid_notification_action_from_proto,
                         azure_event_grid_notification_action_to_proto),
    "retrain": (t.RetrainAction, retrain_action_from_proto, retrain_action_to_proto),
}


def _oneof_from_proto(message, oneof: str, choices: dict):
    chosen = message.WhichOneof(oneof)
    if chosen is None:
        raise ValueError(f"{type(message).__name__} has no {oneof} set (a newer server's kind?)")
    return choices[chosen][1](getattr(message, chosen))


def _oneof_to_proto(result, wrapper, choices: dict):
    for field, (result_type, _, to_proto) in choices.items():
        if type(result) is result_type:
            message = wrapper()
            getattr(message, field).CopyFrom(to_proto(result))  # an empty one is set too
            return message
    raise TypeError(f"{type(result).__name__} is not one of "
                    f"{', '.join(kind.__name__ for kind, _, _ in choices.values())}")


def detection_event_action_from_proto(message: rules_pb2.DetectionEventAction
                                      ) -> t.DetectionEventAction:
    """The action the oneof holds, as its result (SlackNotificationAction, ...)."""
    return _oneof_from_proto(message, "action", _ACTIONS)


def detection_event_action_to_proto(result: t.DetectionEventAction
                                    ) -> rules_pb2.DetectionEventAction:
    return _oneof_to_proto(result, rules_pb2.DetectionEventAction, _ACTIONS)


def detection_event_rule_from_proto(message: rules_pb2.DetectionEventRule
                                    ) -> t.DetectionEventRule:
    return t.DetectionEventRule(
        rule_id=message.id, name=message.name, task_id=message.task_id,
        project_id=text_or_none(message.project_id), model_name=text_or_none(message.model_name),
        severity=_member(DetectionEventSeverity, message.severity),
        detection_event_type=_member(DetectionEventType, message.detection_event_type),
        monitoring_target=_member(MonitoringTarget, message.monitoring_target),
        monitoring_metric=_member(MonitoringMetric, message.monitoring_metric),
        actions=[detection_event_action_from_proto(a) for a in message.actions],
        creator_id=text_or_none(message.creator_id),
        creation_datetime=to_datetime(message.create_time),
        update_datetime=to_datetime(message.update_time))


def detection_event_rule_to_proto(result: t.DetectionEventRule) -> rules_pb2.DetectionEventRule:
    return rules_pb2.DetectionEventRule(
        id=result.rule_id, name=result.name, task_id=result.task_id,
        project_id=result.project_id or "", model_name=result.model_name or "",
        severity=_number(result.severity),
        detection_event_type=_number(result.detection_event_type),
        monitoring_target=_number(result.monitoring_target),
        monitoring_metric=_number(result.monitoring_metric),
        actions=[detection_event_action_to_proto(a) for a in result.actions],
        creator_id=result.creator_id or "", create_time=to_timestamp(result.creation_datetime),
        update_time=to_timestamp(result.update_datetime))


def action_delivery_from_proto(message: rules_pb2.ActionDelivery) -> t.ActionDelivery:
    return t.ActionDelivery(
        event_id=message.event_id, rule_id=message.rule_id, action_index=message.action_index,
        action_type=_member(DetectionEventActionType, message.action_type),
        status=_member(ActionDeliveryState, message.state), attempts=message.attempts,
        last_error=text_or_none(message.last_error), outcome=text_or_none(message.outcome),
        job_id=text_or_none(message.job_id), creation_datetime=to_datetime(message.create_time),
        last_attempt_datetime=to_datetime(message.last_attempt_time))


def action_delivery_to_proto(result: t.ActionDelivery) -> rules_pb2.ActionDelivery:
    return rules_pb2.ActionDelivery(
        event_id=result.event_id, rule_id=result.rule_id, action_index=result.action_index,
        action_type=_number(result.action_type), state=_number(result.status),
        attempts=result.attempts, last_error=result.last_error or "",
        outcome=result.outcome or "", job_id=result.job_id or "",
        create_time=to_timestamp(result.creation_datetime),
        last_attempt_time=to_timestamp(result.last_attempt_datetime))


# -- retraining -------------------------------------------------------------------------------


def retraining_suggestion_from_proto(message: retraining_pb2.RetrainingSuggestion
                                     ) -> t.Suggestion:
    return t.Suggestion(
        suggestion_id=message.id, suggestion_type=_member(SuggestionType, message.type),
        sample_ids=list(message.sample_ids), weights=list(message.weights),
        sample_count=message.sample_count, executed=message.executed,
        creation_datetime=to_datetime(message.create_time))


def retraining_suggestion_to_proto(result: t.Suggestion) -> retraining_pb2.RetrainingSuggestion:
    return retraining_pb2.RetrainingSuggestion(
        id=result.suggestion_id, type=_number(result.suggestion_type),
        sample_ids=result.sample_ids, weights=result.weights, sample_count=result.sample_count,
        executed=result.executed, create_time=to_timestamp(result.creation_datetime))


def reweighted_column_from_proto(message: retraining_pb2.ReweightedColumn
                                 ) -> t.ReweightedColumn:
    return t.ReweightedColumn(
        column=message.column, distance_before=message.distance_before,
        distance_after=message.distance_after,
        mean_gap_before=_optional(message, "mean_gap_before"),
        mean_gap_after=_optional(message, "mean_gap_after"), shifted=message.shifted,
        shift_p_value=message.shift_p_value, gap_closed=_optional(message, "gap_closed"),
        worsened=message.worsened)


def reweighted_column_to_proto(result: t.ReweightedColumn) -> retraining_pb2.ReweightedColumn:
    return retraining_pb2.ReweightedColumn(**result.model_dump())


def _optional(message, field: str) -> float | None:
    return getattr(message, field) if message.HasField(field) else None


def retraining_report_from_proto(message: retraining_pb2.RetrainingReport
                                 ) -> t.RetrainingReport:
    return t.RetrainingReport(
        report_id=message.id, model_id=message.model_id, task_id=message.task_id,
        status=_member(RetrainingReportState, message.state),
        job_id=text_or_none(message.job_id), reference_id=text_or_none(message.reference_id),
        suggestion=retraining_suggestion_from_proto(message.suggestion)
        if message.HasField("suggestion") else None,
        effective_sample_size=message.effective_sample_size,
        model_metric_name=text_or_none(message.model_metric_name),
        performance_lower_bound=_optional(message, "performance_lower_bound"),
        performance_upper_bound=_optional(message, "performance_upper_bound"),
        bounds_available=dict(message.bounds_available),
        cost_lower_bound=_optional(message, "cost_lower_bound"),
        cost_upper_bound=_optional(message, "cost_upper_bound"),
        method=text_or_none(message.method), method_scores=dict(message.method_scores),
        diagnostics=struct_to_dict(message.diagnostics),
        columns=[reweighted_column_from_proto(c) for c in message.columns],
        reference_sample_count=message.reference_sample_count,
        production_sample_count=message.production_sample_count,
        failure_message=text_or_none(message.failure_message),
        trigger_outcome=text_or_none(message.trigger_outcome), triggered=message.triggered,
        creator_id=text_or_none(message.creator_id),
        creation_datetime=to_datetime(message.create_time),
        finish_datetime=to_datetime(message.finish_time),
        weights_help=message.weights_help, gap_closed=_optional(message, "gap_closed"),
        advice=text_or_none(message.advice))


def retraining_report_to_proto(result: t.RetrainingReport) -> retraining_pb2.RetrainingReport:
    return retraining_pb2.RetrainingReport(
        id=result.report_id, model_id=result.model_id, task_id=result.task_id,
        state=_number(result.status), job_id=result.job_id or "",
        reference_id=result.reference_id or "",
        suggestion=retraining_suggestion_to_proto(result.suggestion)
        if result.suggestion is not None else None,
        effective_sample_size=result.effective_sample_size,
        model_metric_name=result.model_metric_name or "",
        performance_lower_bound=result.performance_lower_bound,
        performance_upper_bound=result.performance_upper_bound,
        bounds_available=result.bounds_available, cost_lower_bound=result.cost_lower_bound,
        cost_upper_bound=result.cost_upper_bound, method=result.method or "",
        method_scores=result.method_scores, diagnostics=to_struct(result.diagnostics or None),
        columns=[reweighted_column_to_proto(c) for c in result.columns],
        reference_sample_count=result.reference_sample_count,
        production_sample_count=result.production_sample_count,
        failure_message=result.failure_message or "",
        trigger_outcome=result.trigger_outcome or "", triggered=result.triggered,
        creator_id=result.creator_id or "", create_time=to_timestamp(result.creation_datetime),
        finish_time=to_timestamp(result.finish_datetime), weights_help=result.weights_help,
        gap_closed=result.gap_closed, advice=result.advice or "")


def aws_event_bridge_retrain_trigger_from_proto(
        message: retraining_pb2.AwsEventBridgeRetrainTrigger) -> t.AwsEventBridgeRetrainTrigger:
    return t.AwsEventBridgeRetrainTrigger(
        credentials_id=message.credentials_id, aws_region_name=message.aws_region_name,
        event_bus_name=message.event_bus_name)


def aws_event_bridge_retrain_trigger_to_proto(
        result: t.AwsEventBridgeRetrainTrigger) -> retraining_pb2.AwsEventBridgeRetrainTrigger:
    return retraining_pb2.AwsEventBridgeRetrainTrigger(**result.model_dump())


def gcp_pub_sub_retrain_trigger_from_proto(message: retraining_pb2.GcpPubSubRetrainTrigger
                                           ) -> t.GcpPubSubRetrainTrigger:
    return t.GcpPubSubRetrainTrigger(credentials_id=message.credentials_id,
                                     project_id=message.project_id,
                                     topic_name=message.topic_name)


def gcp_pub_sub_retrain_trigger_to_proto(result: t.GcpPubSubRetrainTrigger
                                         ) -> retraining_pb2.GcpPubSubRetrainTrigger:
    return retraining_pb2.GcpPubSubRetrainTrigger(**result.model_dump())


def azure_event_grid_retrain_trigger_from_proto(
        message: retraining_pb2.AzureEventGridRetrainTrigger) -> t.AzureEventGridRetrainTrigger:
    return t.AzureEventGridRetrainTrigger(credentials_id=message.credentials_id,
                                          topic_endpoint=message.topic_endpoint)


def azure_event_grid_retrain_trigger_to_proto(
        result: t.AzureEventGridRetrainTrigger) -> retraining_pb2.AzureEventGridRetrainTrigger:
    return retraining_pb2.AzureEventGridRetrainTrigger(**result.model_dump())


def driftline_retrain_trigger_from_proto(message: retraining_pb2.DriftlineRetrainTrigger
                                         ) -> t.DriftlineRetrainTrigger:
    return t.DriftlineRetrainTrigger()


def driftline_retrain_trigger_to_proto(result: t.DriftlineRetrainTrigger
                                       ) -> retraining_pb2.DriftlineRetrainTrigger:
    return retraining_pb2.DriftlineRetrainTrigger()


# Each field of the RetrainTrigger oneof: its result type and conversions.
_TRIGGERS = {
    "aws_event_bridge": (t.AwsEventBridgeRetrainTrigger,
                         aws_event_bridge_retrain_trigger_from_proto,
                         aws_event_bridge_retrain_trigger_to_proto),
    "gcp_pubsub": (t.GcpPubSubRetrainTrigger, gcp_pub_sub_retrain_trigger_from_proto,
                   gcp_pub_sub_retrain_trigger_to_proto),
    "azure_event_grid": (t.AzureEventGridRetrainTrigger,
                         azure_event_grid_retrain_trigger_from_proto,
                         azure_event_grid_retrain_trigger_to_proto),
    "driftline": (t.DriftlineRetrainTrigger, driftline_retrain_trigger_from_proto,
                  driftline_retrain_trigger_to_proto),
}


def retrain_trigger_from_proto(message: retraining_pb2.RetrainTrigger) -> t.RetrainTrigger:
    """The trigger the oneof holds, as its result (AwsEventBridgeRetrainTrigger, ...)."""
    return _oneof_from_proto(message, "trigger", _TRIGGERS)


def retrain_trigger_to_proto(result: t.RetrainTrigger) -> retraining_pb2.RetrainTrigger:
    return _oneof_to_proto(result, retraining_pb2.RetrainTrigger, _TRIGGERS)


# -- task reports ---------------------------------------------------------------------------


def _task_report_fields(message: reports_pb2.TaskReportInfo) -> dict:
    """A TaskReportInfo's fields, which every report's result carries as its own."""
    return dict(
        id=message.id, task_id=message.task_id, name=message.name,
        status=_member(TaskReportState, message.state), job_id=text_or_none(message.job_id),
        from_datetime=to_datetime(message.from_time), to_datetime=to_datetime(message.to_time),
        creation_datetime=to_datetime(message.create_time),
        finish_datetime=to_datetime(message.finish_time),
        creator_id=text_or_none(message.creator_id),
        failure_message=text_or_none(message.failure_message),
        sample_count=message.sample_count)


def task_report_info_from_proto(message: reports_pb2.TaskReportInfo) -> t.TaskReportInfo:
    return t.TaskReportInfo(**_task_report_fields(message))


def task_report_info_to_proto(result: t.TaskReportInfo) -> reports_pb2.TaskReportInfo:
    """The report's common fields (of a TaskReportInfo, or of any report's result)."""
    return reports_pb2.TaskReportInfo(
        id=result.id, task_id=result.task_id, name=result.name, state=_number(result.status),
        job_id=result.job_id or "", from_time=to_timestamp(result.from_datetime),
        to_time=to_timestamp(result.to_datetime),
        create_time=to_timestamp(result.creation_datetime),
        finish_time=to_timestamp(result.finish_datetime), creator_id=result.creator_id or "",
        failure_message=result.failure_message or "", sample_count=result.sample_count)


def quantile_from_proto(message: reports_pb2.Quantile) -> t.Quantile:
    return t.Quantile(level=message.level, value=message.value)


def quantile_to_proto(result: t.Quantile) -> reports_pb2.Quantile:
    return reports_pb2.Quantile(level=result.level, value=result.value)


def rag_metric_summary_from_proto(message: reports_pb2.RagMetricSummary) -> t.RagMetricSummary:
    return t.RagMetricSummary(
        metric=message.metric, description=message.description, count=message.count,
        mean=message.mean, minimum=message.minimum, maximum=message.maximum,
        quantiles=[quantile_from_proto(q) for q in message.quantiles],
        share_below_threshold=message.share_below_threshold,
        histogram_edges=list(message.histogram_edges),
        histogram_counts=list(message.histogram_counts))


def rag_metric_summary_to_proto(result: t.RagMetricSummary) -> reports_pb2.RagMetricSummary:
    return reports_pb2.RagMetricSummary(
        metric=result.metric, description=result.description, count=result.count,
        mean=result.mean, minimum=result.minimum, maximum=result.maximum,
        quantiles=[quantile_to_proto(q) for q in result.quantiles],
        share_below_threshold=result.share_below_threshold,
        histogram_edges=result.histogram_edges, histogram_counts=result.histogram_counts)


def llm_judge_from_proto(message: reports_pb2.LlmJudge) -> t.LlmJudge:
    return t.LlmJudge(
        credentials_id=message.credentials_id, model=message.model,
        provider=text_or_none(message.provider),
        model_version=text_or_none(message.model_version),
        system_prompt=text_or_none(message.system_prompt),
        user_prompt_template=text_or_none(message.user_prompt_template),
        temperature=message.temperature, endpoint_host=text_or_none(message.endpoint_host),
        judged_sample_count=message.judged_sample_count,
        failed_sample_count=message.failed_sample_count)


def llm_judge_to_proto(result: t.LlmJudge) -> reports_pb2.LlmJudge:
    return reports_pb2.LlmJudge(
        credentials_id=result.credentials_id, model=result.model,
        provider=result.provider or "", model_version=result.model_version or "",
        system_prompt=result.system_prompt or "",
        user_prompt_template=result.user_prompt_template or "",
        temperature=result.temperature, endpoint_host=result.endpoint_host or "",
        judged_sample_count=result.judged_sample_count,
        failed_sample_count=result.failed_sample_count)


def rag_evaluation_report_from_proto(message: reports_pb2.RagEvaluationReport
                                     ) -> t.RagEvaluationReport:
    return t.RagEvaluationReport(
        **_task_report_fields(message.info), model_id=text_or_none(message.model_id),
        threshold=message.threshold,
        metrics=[rag_metric_summary_from_proto(m) for m in message.metrics],
        judge=llm_judge_from_proto(message.judge) if message.HasField("judge") else None,
        judge_metrics=[rag_metric_summary_from_proto(m) for m in message.judge_metrics])


def rag_evaluation_report_to_proto(result: t.RagEvaluationReport
                                   ) -> reports_pb2.RagEvaluationReport:
    return reports_pb2.RagEvaluationReport(
        info=task_report_info_to_proto(result), model_id=result.model_id or "",
        threshold=result.threshold,
        metrics=[rag_metric_summary_to_proto(m) for m in result.metrics],
        judge=llm_judge_to_proto(result.judge) if result.judge is not None else None,
        judge_metrics=[rag_metric_summary_to_proto(m) for m in result.judge_metrics])


def topic_term_from_proto(message: reports_pb2.TopicTerm) -> t.TopicTerm:
    return t.TopicTerm(term=message.term, weight=message.weight)


def topic_term_to_proto(result: t.TopicTerm) -> reports_pb2.TopicTerm:
    return reports_pb2.TopicTerm(term=result.term, weight=result.weight)


def topic_period_share_from_proto(message: reports_pb2.TopicPeriodShare) -> t.TopicPeriodShare:
    return t.TopicPeriodShare(
        from_datetime=to_datetime(message.from_time), to_datetime=to_datetime(message.to_time),
        sample_count=message.sample_count, share=message.share)


def topic_period_share_to_proto(result: t.TopicPeriodShare) -> reports_pb2.TopicPeriodShare:
    return reports_pb2.TopicPeriodShare(
        from_time=to_timestamp(result.from_datetime), to_time=to_timestamp(result.to_datetime),
        sample_count=result.sample_count, share=result.share)


def topic_from_proto(message: reports_pb2.Topic) -> t.Topic:
    return t.Topic(
        topic_id=message.topic_id, label=message.label,
        terms=[topic_term_from_proto(term) for term in message.terms],
        sample_count=message.sample_count, share=message.share,
        shares_over_time=[topic_period_share_from_proto(s) for s in message.shares_over_time])


def topic_to_proto(result: t.Topic) -> reports_pb2.Topic:
    return reports_pb2.Topic(
        topic_id=result.topic_id, label=result.label,
        terms=[topic_term_to_proto(term) for term in result.terms],
        sample_count=result.sample_count, share=result.share,
        shares_over_time=[topic_period_share_to_proto(s) for s in result.shares_over_time])


def topic_count_candidate_from_proto(message: reports_pb2.TopicCountCandidate
                                     ) -> t.TopicCountCandidate:
    return t.TopicCountCandidate(topic_count=message.topic_count, coherence=message.coherence)


def topic_count_candidate_to_proto(result: t.TopicCountCandidate
                                   ) -> reports_pb2.TopicCountCandidate:
    return reports_pb2.TopicCountCandidate(topic_count=result.topic_count,
                                           coherence=result.coherence)


def topic_modeling_report_from_proto(message: reports_pb2.TopicModelingReport
                                     ) -> t.TopicModelingReport:
    return t.TopicModelingReport(
        **_task_report_fields(message.info), language=text_or_none(message.language),
        topics=[topic_from_proto(topic) for topic in message.topics],
        coherence=message.coherence,
        candidates=[topic_count_candidate_from_proto(c) for c in message.candidates],
        unassigned_sample_count=message.unassigned_sample_count,
        fitted_sample_count=message.fitted_sample_count,
        text_columns=list(message.text_columns))


def topic_modeling_report_to_proto(result: t.TopicModelingReport
                                   ) -> reports_pb2.TopicModelingReport:
    return reports_pb2.TopicModelingReport(
        info=task_report_info_to_proto(result), language=result.language or "",
        topics=[topic_to_proto(topic) for topic in result.topics],
        coherence=result.coherence,
        candidates=[topic_count_candidate_to_proto(c) for c in result.candidates],
        unassigned_sample_count=result.unassigned_sample_count,
        fitted_sample_count=result.fitted_sample_count, text_columns=result.text_columns)
