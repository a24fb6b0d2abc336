"""Protobuf <-> monitoring domain, in one place: enums by name, rows to messages."""

from __future__ import annotations


from driftline.monitoring.v1 import monitoring_pb2
from driftline_server.monitoring.domain import Reference
from driftline_server.monitoring.vocabulary import (
    MonitoringMetric,
    MonitoringTarget,
    ReferenceState,
)
from driftline_server.platform.clock import to_timestamp
from driftline_server.platform.enums import ProtoEnums

_ENUMS = ProtoEnums({
    MonitoringTarget: monitoring_pb2.MonitoringTarget,
    MonitoringMetric: monitoring_pb2.MonitoringMetric,
    ReferenceState: monitoring_pb2.ModelReferenceState,
})
enum_from_proto = _ENUMS.from_proto
enum_to_proto = _ENUMS.to_proto


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
        quantities=[quantity_to_proto(q) for q in row.quantities or []],
        skipped_targets=[skipped_to_proto(s) for s in row.skipped_targets or []],
        failure_message=row.failure_message, request_id=row.request_id or "",
        creator_id=row.creator_id, create_time=to_timestamp(row.create_time),
        finish_time=to_timestamp(row.finish_time),
    )
