"""Protobuf <-> monitoring domain, in one place: enums by name, rows to messages."""

from __future__ import annotations


import math
from typing import TYPE_CHECKING

from google.protobuf import json_format, struct_pb2

from driftline.catalog.v1 import model_pb2
from driftline.monitoring.v1 import monitoring_pb2, reports_pb2, retraining_pb2, rules_pb2
from driftline_server.monitoring.detections import QuantityStatus
from driftline_server.monitoring.domain import Reference
from driftline_server.monitoring.models import (
    DeliveryRow,
    DetectionEventRow,
    EvaluationThresholdRow,
    KpiStateRow,
    RetrainingReportRow,
    RuleRow,
    TaskReportRow,
)
from driftline_server.monitoring.retrainings import Suggestion
from driftline_server.monitoring.rules import RuleSpec
from driftline_server.monitoring.vocabulary import (
    DRIFTLINE_TRIGGER,
    KPI_REFERENCE_VALUES,
    DeliveryState,
    KpiStatus,
    DetectionEventActionType,
    DetectionEventSeverity,
    DetectionEventType,
    MonitoringEvaluationMetric,
    MonitoringMetric,
    MonitoringStatus,
    MonitoringTarget,
    ReferenceState,
    ReportState,
    SuggestionType,
    TaskReportState,
)
from driftline_server.platform.clock import time_from_proto, to_timestamp
from driftline_server.platform.enums import ProtoEnums
from driftline_server.platform.errors import InvalidArgument

if TYPE_CHECKING:  # the numba core is loaded by the jobs that detect, not by the server
    from driftline_server.monitoring.detection import Transition

_ENUMS = ProtoEnums({
    MonitoringTarget: monitoring_pb2.MonitoringTarget,
    MonitoringMetric: monitoring_pb2.MonitoringMetric,
    MonitoringEvaluationMetric: monitoring_pb2.MonitoringEvaluationMetric,
    MonitoringStatus: monitoring_pb2.MonitoringStatus,
    DetectionEventType: monitoring_pb2.DetectionEventType,
    DetectionEventSeverity: monitoring_pb2.DetectionEventSeverity,
    ReferenceState: monitoring_pb2.ModelReferenceState,
    DetectionEventActionType: rules_pb2.DetectionEventActionType,
    DeliveryState: rules_pb2.ActionDeliveryState,
    ReportState: retraining_pb2.RetrainingReportState,
    SuggestionType: model_pb2.SuggestionType,
    KpiStatus: monitoring_pb2.KpiStatus,
    TaskReportState: reports_pb2.TaskReportState,
})
enum_from_proto = _ENUMS.from_proto
enum_to_proto = _ENUMS.to_proto
enums_from_proto = _ENUMS.many_from_proto


def enum_value_name(domain_enum, value: int, field: str) -> str | None:
    """The name of a proto enum value in the domain's words; None for the zero value."""
    found = enum_from_proto(domain_enum, value, field)
    return found.value if found else None


def quantity_to_proto(quantity: dict) -> monitoring_pb2.MonitoredQuantity:
    return monitoring_pb2.MonitoredQuantity(
        target=enum_to_proto(MonitoringTarget, quantity["target"]),
        metric=enum_to_proto(MonitoringMetric, quantity.get("metric") or None),
        feature=quantity.get("feature", ""), columns=list(quantity.get("columns", [])),
        statistic=quantity.get("statistic", ""), detector=quantity.get("detector", ""),
        warning_threshold=quantity.get("warning_threshold", 0.0),
        drift_threshold=quantity.get("drift_threshold", 0.0),
        warning_mean_run_length=quantity.get("warning_mean_run_length", 0.0),
        drift_mean_run_length=quantity.get("drift_mean_run_length", 0.0),
        sample_count=quantity.get("sample_count", 0),
    )


def quantity_from_proto(quantity: monitoring_pb2.MonitoredQuantity) -> dict:
    metric = enum_from_proto(MonitoringMetric, quantity.metric, "quantities.metric")
    return {
        "target": enum_from_proto(MonitoringTarget, quantity.target, "quantities.target").value,
        "metric": metric.value if metric else "", "feature": quantity.feature,
        "columns": list(quantity.columns), "statistic": quantity.statistic,
        "detector": quantity.detector, "warning_threshold": quantity.warning_threshold,
        "drift_threshold": quantity.drift_threshold,
        "warning_mean_run_length": quantity.warning_mean_run_length,
        "drift_mean_run_length": quantity.drift_mean_run_length,
        "sample_count": quantity.sample_count,
    }


def skipped_to_proto(skipped: dict) -> monitoring_pb2.SkippedTarget:
    return monitoring_pb2.SkippedTarget(
        target=enum_to_proto(MonitoringTarget, skipped["target"]), reason=skipped["reason"])


def skipped_from_proto(skipped: monitoring_pb2.SkippedTarget) -> dict:
    target = enum_from_proto(MonitoringTarget, skipped.target, "skipped_targets.target")
    return {"target": target.value, "reason": skipped.reason}


def reference_to_proto(reference: Reference) -> monitoring_pb2.ModelReference:
    row = reference.row
    return monitoring_pb2.ModelReference(
        id=row.id, model_id=row.model_id, task_id=row.task_id, version=row.version,
        state=enum_to_proto(ReferenceState, row.state), active=reference.active,
        from_time=to_timestamp(row.from_time), to_time=to_timestamp(row.to_time),
        job_id=row.job_id or "", sample_count=row.sample_count,
        labelled_sample_count=row.labelled_sample_count,
        target_drift_mean_run_length=row.drift_mean_run_length,
        target_warning_mean_run_length=row.warning_mean_run_length,
        batches_between_false_alarms=row.batches_between_false_alarms,
        quantities=[quantity_to_proto(q) for q in row.quantities or []],
        skipped_targets=[skipped_to_proto(s) for s in row.skipped_targets or []],
        failure_message=row.failure_message, request_id=row.request_id or "",
        creator_id=row.creator_id, create_time=to_timestamp(row.create_time),
        finish_time=to_timestamp(row.finish_time), suggestion_id=row.suggestion_id or "",
    )


def _finite(value) -> float:
    """NaN and infinities travel as 0 in double fields that have no other way to say "none"."""
    value = float(value)
    return value if math.isfinite(value) else 0.0


def column_drift_to_proto(drift: dict) -> monitoring_pb2.ColumnDrift:
    return monitoring_pb2.ColumnDrift(
        column=drift["column"], test=drift["test"], statistic=_finite(drift["statistic"]),
        p_value=_finite(drift["p_value"]), adjusted_p_value=_finite(drift["adjusted_p_value"]),
        effect_size=_finite(drift["effect_size"]), effect_measure=drift["effect_measure"],
        sample_count=int(drift["sample_count"]))


def column_drift_from_proto(drift: monitoring_pb2.ColumnDrift) -> dict:
    return {"column": drift.column, "test": drift.test, "statistic": drift.statistic,
            "p_value": drift.p_value, "adjusted_p_value": drift.adjusted_p_value,
            "effect_size": drift.effect_size, "effect_measure": drift.effect_measure,
            "sample_count": drift.sample_count}


def _struct(values: dict) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update({key: (_finite(v) if isinstance(v, float) else v)
                   for key, v in values.items()})
    return struct


def event_to_proto(row: DetectionEventRow) -> monitoring_pb2.DetectionEvent:
    event = monitoring_pb2.DetectionEvent(
        id=row.id, sequence=row.sequence or 0, task_id=row.task_id, project_id=row.project_id,
        type=enum_to_proto(DetectionEventType, row.event_type),
        target=enum_to_proto(MonitoringTarget, row.target),
        metric=enum_to_proto(MonitoringMetric, row.metric), feature=row.feature,
        evaluation_metric=enum_to_proto(MonitoringEvaluationMetric, row.evaluation_metric),
        severity=enum_to_proto(DetectionEventSeverity, row.severity),
        model_id=row.model_id, model_name=row.model_name, model_version=row.model_version,
        reference_id=row.reference_id, batch_id=row.batch_id,
        previous_status=enum_to_proto(MonitoringStatus, row.previous_status),
        status=enum_to_proto(MonitoringStatus, row.status), sample_id=row.sample_id,
        sample_time=to_timestamp(row.sample_time), statistics=_struct(row.statistics or {}),
        explanation=[column_drift_to_proto(d) for d in row.explanation or []],
        create_time=to_timestamp(row.create_time), kpi_id=row.kpi_id or "")
    if row.user_feedback is not None:
        event.user_feedback = row.user_feedback
    return event


def event_from_proto(event: monitoring_pb2.DetectionEvent) -> dict:
    """A detection job's event, as RecordDetection stores it (the service adds the rest)."""
    metric = enum_from_proto(MonitoringMetric, event.metric, "events.metric")
    evaluation = enum_from_proto(MonitoringEvaluationMetric, event.evaluation_metric,
                                 "events.evaluation_metric")
    severity = enum_from_proto(DetectionEventSeverity, event.severity, "events.severity")
    target = enum_from_proto(MonitoringTarget, event.target, "events.target")
    return {
        "event_type": enum_from_proto(DetectionEventType, event.type, "events.type").value,
        "target": target.value if target else "",  # none for a KPI's events
        "metric": metric.value if metric else "", "feature": event.feature,
        "evaluation_metric": evaluation.value if evaluation else "",
        "severity": severity.value if severity else "",
        "previous_status": enum_from_proto(MonitoringStatus, event.previous_status,
                                           "events.previous_status").value,
        "status": enum_from_proto(MonitoringStatus, event.status, "events.status").value,
        "sample_id": event.sample_id,
        "sample_time": time_from_proto(event, "sample_time"),
        "statistics": dict(event.statistics),
        "explanation": [column_drift_from_proto(d) for d in event.explanation],
    }


def status_to_proto(status: QuantityStatus) -> monitoring_pb2.MonitoringQuantityStatus:
    model = status.model
    return monitoring_pb2.MonitoringQuantityStatus(
        target=enum_to_proto(MonitoringTarget, status.target),
        metric=enum_to_proto(MonitoringMetric, status.metric), feature=status.feature,
        status=enum_to_proto(MonitoringStatus, status.status),
        model_id=model.id if model else "", model_name=model.name if model else "",
        model_version=model.version if model else "", reference_id=status.reference_id,
        status_time=to_timestamp(status.status_time), last_batch_id=status.last_batch_id,
        update_time=to_timestamp(status.update_time),
        evaluation_metric=enum_to_proto(MonitoringEvaluationMetric, status.evaluation_metric))


def status_update_to_proto(status: dict) -> monitoring_pb2.MonitoringQuantityStatus:
    """A detection's new status of a quantity (detection.Advance.statuses), for RecordDetection."""
    return monitoring_pb2.MonitoringQuantityStatus(
        target=enum_to_proto(MonitoringTarget, status["target"]),
        metric=enum_to_proto(MonitoringMetric, status["metric"]), feature=status["feature"],
        status=enum_to_proto(MonitoringStatus, status["status"]),
        status_time=to_timestamp(status["status_time"]),
        evaluation_metric=enum_to_proto(MonitoringEvaluationMetric,
                                        status.get("evaluation_metric", "")))


def kpi_status_to_proto(row: KpiStateRow) -> monitoring_pb2.KpiMonitoringStatus:
    return monitoring_pb2.KpiMonitoringStatus(
        kpi_id=row.kpi_id, status=enum_to_proto(KpiStatus, row.status),
        status_time=to_timestamp(row.status_time),
        reference_value_count=row.reference_value_count,
        required_value_count=KPI_REFERENCE_VALUES, last_batch_id=row.last_batch_id,
        update_time=to_timestamp(row.update_time))


def kpi_transition_to_proto(transition: dict) -> monitoring_pb2.DetectionEvent:
    """A KPI's transition (detection.advance_kpi), for RecordKpiDetection."""
    return monitoring_pb2.DetectionEvent(
        type=enum_to_proto(DetectionEventType, transition["event_type"]),
        severity=enum_to_proto(DetectionEventSeverity, transition["severity"]),
        previous_status=enum_to_proto(MonitoringStatus, transition["previous_status"]),
        status=enum_to_proto(MonitoringStatus, transition["status"]),
        sample_time=to_timestamp(transition["sample_time"]),
        statistics=_struct(transition["statistics"]),
        explanation=[column_drift_to_proto(c.to_dict()) for c in transition["explanation"]])


def transition_to_proto(transition: Transition) -> monitoring_pb2.DetectionEvent:
    """A transition a detection found, for RecordDetection."""
    quantity = transition.quantity
    return monitoring_pb2.DetectionEvent(
        type=enum_to_proto(DetectionEventType, transition.event_type),
        target=enum_to_proto(MonitoringTarget, quantity.target),
        metric=enum_to_proto(MonitoringMetric, quantity.metric), feature=quantity.feature,
        severity=enum_to_proto(DetectionEventSeverity, transition.severity),
        previous_status=enum_to_proto(MonitoringStatus, transition.previous_status),
        status=enum_to_proto(MonitoringStatus, transition.status),
        sample_id=transition.sample_id, sample_time=to_timestamp(transition.sample_time),
        statistics=_struct(transition.statistics),
        evaluation_metric=enum_to_proto(MonitoringEvaluationMetric,
                                        transition.evaluation_metric),
        explanation=[column_drift_to_proto(c.to_dict()) for c in transition.explanation])


def status_from_proto(status: monitoring_pb2.MonitoringQuantityStatus) -> dict:
    """A detection job's status update, as RecordDetection stores it."""
    metric = enum_from_proto(MonitoringMetric, status.metric, "statuses.metric")
    evaluation = enum_from_proto(MonitoringEvaluationMetric, status.evaluation_metric,
                                 "statuses.evaluation_metric")
    return {
        "target": enum_from_proto(MonitoringTarget, status.target, "statuses.target").value,
        "metric": metric.value if metric else "", "feature": status.feature,
        "evaluation_metric": evaluation.value if evaluation else "",
        "status": enum_from_proto(MonitoringStatus, status.status, "statuses.status").value,
        "status_time": time_from_proto(status, "status_time"),
    }


# The DetectionEventAction oneof's fields and the action types they carry.
ACTION_FIELDS = {
    "slack": "SLACK_NOTIFICATION", "discord": "DISCORD_NOTIFICATION",
    "teams": "TEAMS_NOTIFICATION", "webhook": "WEBHOOK", "email": "EMAIL_NOTIFICATION",
    "mqtt": "MQTT_NOTIFICATION", "aws_event_bridge": "AWS_EVENT_BRIDGE_NOTIFICATION",
    "gcp_pubsub": "GCP_PUBSUB_NOTIFICATION", "azure_event_grid": "AZURE_EVENT_GRID_NOTIFICATION",
    "retrain": "RETRAIN",
}
_ACTION_ONEOF = {action_type: name for name, action_type in ACTION_FIELDS.items()}


def action_from_proto(action: rules_pb2.DetectionEventAction, index: int) -> dict:
    """An action as the domain keeps it: {"type": "SLACK_NOTIFICATION", "webhook_url": ...}."""
    which = action.WhichOneof("action")
    if which is None:
        raise InvalidArgument.for_field(f"actions[{index}]", "say what the action does: one of "
                                                             f"{', '.join(ACTION_FIELDS)}")
    config = json_format.MessageToDict(getattr(action, which),
                                       preserving_proto_field_name=True)
    return {"type": ACTION_FIELDS[which], **config}


def action_to_proto(action: dict) -> rules_pb2.DetectionEventAction:
    message = rules_pb2.DetectionEventAction()
    field_name = _ACTION_ONEOF[action["type"]]
    json_format.ParseDict({k: v for k, v in action.items() if k != "type"},
                          getattr(message, field_name), ignore_unknown_fields=True)
    if field_name == "retrain":
        message.retrain.SetInParent()
    return message


def rule_spec_from_proto(rule: rules_pb2.DetectionEventRule) -> RuleSpec:
    metric = enum_from_proto(MonitoringMetric, rule.monitoring_metric, "rule.monitoring_metric")
    severity = enum_from_proto(DetectionEventSeverity, rule.severity, "rule.severity")
    event_type = enum_from_proto(DetectionEventType, rule.detection_event_type,
                                 "rule.detection_event_type")
    target = enum_from_proto(MonitoringTarget, rule.monitoring_target, "rule.monitoring_target")
    return RuleSpec(
        name=rule.name, model_name=rule.model_name, severity=severity.value if severity else "",
        event_type=event_type.value if event_type else "",
        target=target.value if target else "", metric=metric.value if metric else "",
        actions=[action_from_proto(a, i) for i, a in enumerate(rule.actions)])


def rule_to_proto(row: RuleRow) -> rules_pb2.DetectionEventRule:
    return rules_pb2.DetectionEventRule(
        id=row.id, name=row.name, task_id=row.task_id, project_id=row.project_id,
        model_name=row.model_name, severity=enum_to_proto(DetectionEventSeverity, row.severity),
        detection_event_type=enum_to_proto(DetectionEventType, row.event_type),
        monitoring_target=enum_to_proto(MonitoringTarget, row.target),
        monitoring_metric=enum_to_proto(MonitoringMetric, row.metric),
        actions=[action_to_proto(a) for a in row.actions_shown], creator_id=row.creator_id,
        create_time=to_timestamp(row.create_time), update_time=to_timestamp(row.update_time))


def delivery_to_proto(row: DeliveryRow) -> rules_pb2.ActionDelivery:
    return rules_pb2.ActionDelivery(
        event_id=row.event_id, rule_id=row.rule_id, action_index=row.action_index,
        action_type=enum_to_proto(DetectionEventActionType, row.action_type),
        state=enum_to_proto(DeliveryState, row.state), attempts=row.attempts,
        last_error=row.last_error, outcome=row.outcome, job_id=row.job_id or "",
        create_time=to_timestamp(row.create_time),
        last_attempt_time=to_timestamp(row.last_attempt_time))


def _optional(message, field_name: str, value: float | None) -> None:
    if value is not None:
        setattr(message, field_name, value)


# The row keeps the report's verdict (weights_help, gap_closed, advice) in its diagnostics
# under this key, so that it needs no columns of its own.
VERDICT = "verdict"


def report_to_proto(row: RetrainingReportRow,
                    samples: Suggestion | None = None) -> retraining_pb2.RetrainingReport:
    diagnostics = dict(row.diagnostics or {})
    verdict = diagnostics.pop(VERDICT, {})
    report = retraining_pb2.RetrainingReport(
        id=row.id, model_id=row.model_id, task_id=row.task_id,
        state=enum_to_proto(ReportState, row.state), job_id=row.job_id or "",
        reference_id=row.reference_id, effective_sample_size=row.effective_sample_size,
        model_metric_name=row.metric_name, bounds_available=row.bounds_available or {},
        method=row.method, method_scores=row.method_scores or {},
        diagnostics=_struct(diagnostics),
        columns=[retraining_pb2.ReweightedColumn(**c) for c in row.columns or []],
        weights_help=verdict.get("weights_help", False), advice=verdict.get("advice", ""),
        reference_sample_count=row.reference_sample_count,
        production_sample_count=row.production_sample_count,
        failure_message=row.failure_message, creator_id=row.creator_id,
        create_time=to_timestamp(row.create_time), finish_time=to_timestamp(row.finish_time),
        trigger_outcome=row.trigger_outcome, triggered=row.triggered)
    for name in ("performance_lower_bound", "performance_upper_bound", "cost_lower_bound",
                 "cost_upper_bound"):
        _optional(report, name, getattr(row, name))
    _optional(report, "gap_closed", verdict.get("gap_closed"))
    if row.state == ReportState.COMPLETE:
        report.suggestion.CopyFrom(suggestion_to_proto(row, samples))
    return report


def suggestion_to_proto(row: RetrainingReportRow, samples: Suggestion | None = None
                        ) -> retraining_pb2.RetrainingSuggestion:
    suggestion = retraining_pb2.RetrainingSuggestion(
        id=row.id, type=enum_to_proto(SuggestionType, row.suggestion_type),
        sample_count=row.sample_count, executed=row.executed,
        create_time=to_timestamp(row.finish_time))
    if samples is not None:
        suggestion.sample_ids.extend(samples.sample_ids)
        suggestion.weights.extend(samples.weights or [])
    return suggestion


# RetrainTrigger's oneof fields and the trigger types they carry.
TRIGGER_FIELDS = {"aws_event_bridge": "AWS_EVENT_BRIDGE", "gcp_pubsub": "GCP_PUBSUB",
                  "azure_event_grid": "AZURE_EVENT_GRID", "driftline": DRIFTLINE_TRIGGER}


def trigger_from_proto(trigger: retraining_pb2.RetrainTrigger) -> dict:
    which = trigger.WhichOneof("trigger")
    if which is None:
        return {}
    return {"type": TRIGGER_FIELDS[which],
            **json_format.MessageToDict(getattr(trigger, which),
                                        preserving_proto_field_name=True)}


def trigger_to_proto(trigger: dict) -> retraining_pb2.RetrainTrigger:
    message = retraining_pb2.RetrainTrigger()
    field_name = {v: k for k, v in TRIGGER_FIELDS.items()}[trigger["type"]]
    carried = getattr(message, field_name)
    carried.SetInParent()  # DriftlineRetrainTrigger has no field to set it
    json_format.ParseDict({k: v for k, v in trigger.items() if k != "type"}, carried,
                          ignore_unknown_fields=True)
    return message


def report_fields_from_proto(report: retraining_pb2.RetrainingReport) -> dict:
    """What the retraining job computed, as RetrainingReportRow's fields."""
    fields = {
        "effective_sample_size": report.effective_sample_size,
        "bounds_available": dict(report.bounds_available), "method": report.method,
        "method_scores": dict(report.method_scores),
        "diagnostics": {
            **json_format.MessageToDict(report.diagnostics),
            VERDICT: {"weights_help": report.weights_help, "advice": report.advice,
                      "gap_closed": report.gap_closed if report.HasField("gap_closed")
                      else None}},
        "columns": [json_format.MessageToDict(c, preserving_proto_field_name=True,
                                              always_print_fields_with_no_presence=True)
                    for c in report.columns],
        "reference_sample_count": report.reference_sample_count,
        "production_sample_count": report.production_sample_count,
    }
    for name in ("performance_lower_bound", "performance_upper_bound", "cost_lower_bound",
                 "cost_upper_bound"):
        fields[name] = getattr(report, name) if report.HasField(name) else None
    return fields


def threshold_to_proto(row: EvaluationThresholdRow) -> monitoring_pb2.EvaluationMetricThreshold:
    return monitoring_pb2.EvaluationMetricThreshold(
        model_id=row.model_id,
        evaluation_metric=enum_to_proto(MonitoringEvaluationMetric, row.evaluation_metric),
        warning_threshold=row.warning_threshold, drift_threshold=row.drift_threshold,
        update_time=to_timestamp(row.update_time))


# -- task reports ------------------------------------------------------------------------------


def task_report_info_to_proto(row: TaskReportRow) -> reports_pb2.TaskReportInfo:
    return reports_pb2.TaskReportInfo(
        id=row.id, task_id=row.task_id, name=row.name,
        state=enum_to_proto(TaskReportState, row.state), job_id=row.job_id or "",
        from_time=to_timestamp(row.from_time), to_time=to_timestamp(row.to_time),
        create_time=to_timestamp(row.create_time), finish_time=to_timestamp(row.finish_time),
        creator_id=row.creator_id, failure_message=row.failure_message,
        sample_count=row.sample_count)


def task_report_result(message) -> dict:
    """What a report's job computed, as stored: the message without its common fields."""
    result = json_format.MessageToDict(message, preserving_proto_field_name=True)
    result.pop("info", None)
    return result


def rag_report_to_proto(row: TaskReportRow) -> reports_pb2.RagEvaluationReport:
    report = json_format.ParseDict(row.result or {}, reports_pb2.RagEvaluationReport(),
                                   ignore_unknown_fields=True)
    report.info.CopyFrom(task_report_info_to_proto(row))
    settings = row.settings or {}
    report.model_id = settings.get("model_id", "")
    report.threshold = settings.get("threshold", 0.0)
    judge = settings.get("judge") or {}
    if judge:
        report.judge.credentials_id = judge["credentials_id"]
        report.judge.model = judge["model"]
        report.judge.provider = report.judge.provider or judge.get("provider", "")
    return report


def topic_report_to_proto(row: TaskReportRow, brief: bool = False
                          ) -> reports_pb2.TopicModelingReport:
    """The report; ``brief`` leaves out the topics' terms and shares over time (lists)."""
    report = json_format.ParseDict(row.result or {}, reports_pb2.TopicModelingReport(),
                                   ignore_unknown_fields=True)
    report.info.CopyFrom(task_report_info_to_proto(row))
    if brief:
        for topic in report.topics:
            del topic.terms[:]
            del topic.shares_over_time[:]
    return report
