"""MonitoringService operations of ``driftline.Client``: model references, monitoring
statuses and detection events.

A reference is the stored data of a time range that a model's production data is compared
with. ``set_model_reference`` starts the job that fits it and returns the job's id: wait for it
with ``wait_job_completion``. A model keeps every reference it had, numbered 1, 2, ...; its
newest COMPLETE one is active. Every production batch committed afterwards is examined against
it; each change of a monitored quantity's status (OK, WARNING, DRIFT) is a detection event.
Times take epoch seconds or datetimes (naive ones are UTC). Enums take ``driftline.enums``
members (``MonitoringTarget.INPUT``), the generated values
(``monitoring_pb2.MONITORING_TARGET_INPUT``) or their names, with or without the prefix
(``"INPUT"``). Results are ``driftline.types`` models (DetectionEvent, DetectionEventRule,
RetrainingReport, ...), converted by ``driftline.conversions.monitoring``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from driftline import display
from driftline._data import _timestamp
from driftline._enums import enum_value, enum_values
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline._watching import duration, resuming
from driftline.conversions import monitoring as conversions
from driftline.types import Result
from driftline.types import monitoring as types
from google.protobuf import field_mask_pb2

from driftline.monitoring.v1 import (
    monitoring_pb2,
    monitoring_service_pb2 as pb,
    monitoring_service_pb2_grpc,
    retraining_pb2,
    rules_pb2,
)

# Each action message and the DetectionEventAction field that carries it.
_ACTION_FIELDS = {
    rules_pb2.SlackNotificationAction: "slack",
    rules_pb2.DiscordNotificationAction: "discord",
    rules_pb2.TeamsNotificationAction: "teams",
    rules_pb2.WebhookAction: "webhook",
    rules_pb2.EmailNotificationAction: "email",
    rules_pb2.MqttNotificationAction: "mqtt",
    rules_pb2.AwsEventBridgeNotificationAction: "aws_event_bridge",
    rules_pb2.GcpPubSubNotificationAction: "gcp_pubsub",
    rules_pb2.AzureEventGridNotificationAction: "azure_event_grid",
    rules_pb2.RetrainAction: "retrain",
}


def _wrapped(value, wrapper, fields: dict, what: str):
    """A oneof ``wrapper`` message from itself or from one of the messages it carries."""
    if isinstance(value, wrapper):
        return value
    try:
        field_name = fields[type(value)]
    except KeyError:
        raise TypeError(f"{type(value).__name__} is not {what}: use one of "
                        f"{', '.join(t.__name__ for t in fields)}") from None
    message = wrapper()
    carried = getattr(message, field_name)
    carried.SetInParent()  # an empty message (DriftlineRetrainTrigger) is set too
    carried.CopyFrom(value)
    return message


def _action(action) -> rules_pb2.DetectionEventAction:
    """An action as the contracts carry it, from its result (``driftline.types``) or its
    message (``rules_pb2``)."""
    if isinstance(action, Result):
        return conversions.detection_event_action_to_proto(action)
    return _wrapped(action, rules_pb2.DetectionEventAction, _ACTION_FIELDS, "an action")


def _rule(name=None, task_id=None, model_name=None, severity=None, detection_event_type=None,
          monitoring_target=None, monitoring_metric=None, actions=None, rule_id=None
          ) -> rules_pb2.DetectionEventRule:
    return rules_pb2.DetectionEventRule(
        id=rule_id or "", name=name or "", task_id=task_id or "", model_name=model_name or "",
        severity=enum_value(monitoring_pb2.DetectionEventSeverity, severity,
                            "DETECTION_EVENT_SEVERITY_"),
        detection_event_type=enum_value(monitoring_pb2.DetectionEventType,
                                        detection_event_type, "DETECTION_EVENT_TYPE_"),
        monitoring_target=enum_value(monitoring_pb2.MonitoringTarget, monitoring_target,
                                     "MONITORING_TARGET_"),
        monitoring_metric=enum_value(monitoring_pb2.MonitoringMetric, monitoring_metric,
                                     "MONITORING_METRIC_"),
        actions=[_action(a) for a in actions or []])


class MonitoringMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._monitoring``."""

    _transport: Transport
    _monitoring: monitoring_service_pb2_grpc.MonitoringServiceStub

    def set_model_reference(
        self,
        model_id: str,
        from_timestamp=None,
        to_timestamp=None,
        *,
        suggestion_id: str | None = None,
        request_id: str | None = None,
        batches_between_false_alarms: float | None = None,
    ) -> str:
        """Set the model's reference to the task's stored samples (historical and production)
        in ``[from_timestamp, to_timestamp)``. The new reference is numbered after the model's
        previous ones, which are kept; it becomes the active one once its job has fitted the
        profiles and calibrated the detectors. The job fails, naming the count, when the range
        holds fewer samples than the server's minimum (300 by default).

        With ``suggestion_id`` instead of a range, the reference is a retraining suggestion's
        data (see ``update_model_version_by_suggestion_id``). ``request_id`` (generated when not
        given) makes a retry safe. ``batches_between_false_alarms`` (at least 10; the server's
        default, 100, when not given) is the promise the reference's thresholds keep: on
        stationary data, each monitored target raises a false DRIFT_ON once in that many
        production batches on average. Returns the id of the job (at least PROJECT_USER).

        Example:
            >>> job_id = client.set_model_reference(model_id, from_timestamp=1.7e9,
            ...                                     to_timestamp=1.7e9 + 30 * 86400)
            >>> client.wait_job_completion(job_id)
            >>> client.get_model_reference(model_id).version
            1
        """
        request = pb.SetModelReferenceRequest(
            model_id=model_id,
            from_time=_timestamp(from_timestamp) if from_timestamp is not None else None,
            to_time=_timestamp(to_timestamp) if to_timestamp is not None else None,
            suggestion_id=suggestion_id or "", request_id=request_id or uuid.uuid4().hex,
            batches_between_false_alarms=batches_between_false_alarms or 0.0)
        # The request id makes the call safe to send again.
        return self._transport.call(self._monitoring.SetModelReference, request,
                                    idempotent=True).job_id

    def get_model_reference(
        self, model_id: str, version: int | None = None
    ) -> types.ModelReference:
        """The model's active reference (its newest COMPLETE one), or the one numbered
        ``version``: its state, time range, samples, what it monitors with each detector's
        calibrated thresholds, and the targets it left out (at least PROJECT_VIEW). A model
        without a COMPLETE reference has no active one (NotFoundError says why).

        Example:
            >>> reference = client.get_model_reference(model_id)
            >>> reference.reference_id, reference.status.name
            ('3f1c...', 'COMPLETE')
            >>> [(q.monitoring_target.name, q.specification) for q in reference.quantities][:2]
            [('INPUT', None), ('INPUT', 'age')]
            >>> client.get_model_reference(model_id, version=1).active
            False
        """
        request = pb.GetModelReferenceRequest(model_id=model_id, version=version or 0)
        return conversions.model_reference_from_proto(self._transport.call(
            self._monitoring.GetModelReference, request, idempotent=True).reference)

    def get_model_references(
        self, model_id: str, *, page_size: int | None = None, limit: int | None = None
    ) -> Pager[types.ModelReference]:
        """Every reference of the model, version 1 first, whatever its status. Lazy: pages are
        fetched as you iterate (``page_size`` a page, at most ``limit`` references) (at least
        PROJECT_VIEW).

        Example:
            >>> [(r.version, r.active) for r in client.get_model_references(model_id)]
            [(1, False), (2, True)]
        """
        request = pb.ListModelReferencesRequest(model_id=model_id)
        return Pager(self._transport.call, self._monitoring.ListModelReferences, request,
                     "references", conversions.model_reference_from_proto,
                     page_size=page_size, limit=limit)

    # -- statuses ----------------------------------------------------------------------------

    def get_monitoring_status(
        self,
        task_id: str,
        monitoring_target,
        monitoring_metric=None,
        *,
        feature: str | None = None,
        model_id: str | None = None,
    ) -> types.MonitoringQuantityStatus:
        """Where a monitored quantity of the task stands: OK, WARNING or DRIFT. The target as a
        whole unless a ``monitoring_metric`` is given (``"FEATURE"``, ``"TEXT_LENGTH"``,
        ``"MODEL_ENTROPY"`` or ``"LOG_LIKELIHOOD"``): then the metric over every column it is
        monitored on, as the platform SDK asks for it, or the column named by ``feature``.
        With several models or columns, the worst of their statuses (``model_id`` picks a
        model). NotFoundError when no active reference monitors it (at least PROJECT_VIEW).

        Example:
            >>> status = client.get_monitoring_status(task_id, "INPUT")
            >>> status.monitoring_target.name, status.status.name
            ('INPUT', 'OK')
            >>> client.get_monitoring_status(task_id, "INPUT", "FEATURE").status  # any column
            <MonitoringStatus.DRIFT: 3>
            >>> client.get_monitoring_status(task_id, "INPUT", "FEATURE",
            ...                              feature="age").specification
            'age'
            >>> client.get_monitoring_status(rag_task_id, "RETRIEVED_CONTEXT", "TEXT_LENGTH")
        """
        request = pb.GetMonitoringStatusRequest(
            task_id=task_id,
            target=enum_value(monitoring_pb2.MonitoringTarget, monitoring_target,
                              "MONITORING_TARGET_"),
            metric=enum_value(monitoring_pb2.MonitoringMetric, monitoring_metric,
                              "MONITORING_METRIC_"),
            feature=feature or "", model_id=model_id or "")
        return conversions.monitoring_quantity_status_from_proto(self._transport.call(
            self._monitoring.GetMonitoringStatus, request, idempotent=True).status)

    def get_monitoring_statuses(
        self, task_id: str, model_id: str | None = None
    ) -> list[types.MonitoringQuantityStatus]:
        """Where every quantity the task's models' active references monitor stands, by model
        (at least PROJECT_VIEW).

        Example:
            >>> from driftline.enums import MonitoringStatus
            >>> drifted = [s.specification for s in client.get_monitoring_statuses(task_id)
            ...            if s.status == MonitoringStatus.DRIFT]
        """
        request = pb.ListMonitoringStatusesRequest(task_id=task_id, model_id=model_id or "")
        response = self._transport.call(self._monitoring.ListMonitoringStatuses, request,
                                        idempotent=True)
        return [conversions.monitoring_quantity_status_from_proto(status)
                for status in response.statuses]

    def show_monitoring_statuses(self, task_id: str) -> None:
        """Print where every monitored quantity of the task stands, as a table.

        Example:
            >>> client.show_monitoring_statuses(task_id)
            Model  Target  Metric  Feature  Status  Since
        """
        display.show(self.get_monitoring_statuses(task_id), display.MONITORING_STATUS_COLUMNS)

    def set_evaluation_metric_threshold(
        self, model_id: str, evaluation_metric, warning_threshold: float,
        drift_threshold: float,
    ) -> types.EvaluationMetricThreshold:
        """Compare the model's ``evaluation_metric`` (e.g. "ACCURACY", "RMSE") on each labelled
        production batch with these thresholds: WARNING past the first, DRIFT past the second
        ("past": below for scores, above for errors), with detection events as for drift (at
        least PROJECT_USER).

        Example:
            >>> client.set_evaluation_metric_threshold(model_id, "ACCURACY", 0.85, 0.75
            ...                                        ).monitoring_evaluation_metric.name
            'ACCURACY'
        """
        request = pb.SetEvaluationMetricThresholdRequest(
            threshold=monitoring_pb2.EvaluationMetricThreshold(
                model_id=model_id,
                evaluation_metric=enum_value(monitoring_pb2.MonitoringEvaluationMetric,
                                             evaluation_metric, "MONITORING_EVALUATION_METRIC_"),
                warning_threshold=warning_threshold, drift_threshold=drift_threshold))
        return conversions.evaluation_metric_threshold_from_proto(self._transport.call(
            self._monitoring.SetEvaluationMetricThreshold, request, idempotent=True).threshold)

    def get_evaluation_metric_thresholds(
        self, model_id: str
    ) -> list[types.EvaluationMetricThreshold]:
        """The model's evaluation metric thresholds (at least PROJECT_VIEW).

        Example:
            >>> [t.warning_threshold for t in client.get_evaluation_metric_thresholds(model_id)]
            [0.85]
        """
        response = self._transport.call(
            self._monitoring.ListEvaluationMetricThresholds,
            pb.ListEvaluationMetricThresholdsRequest(model_id=model_id), idempotent=True)
        return [conversions.evaluation_metric_threshold_from_proto(threshold)
                for threshold in response.thresholds]

    def delete_evaluation_metric_threshold(self, model_id: str, evaluation_metric) -> None:
        """Stop comparing the model's ``evaluation_metric`` with thresholds (at least
        PROJECT_USER).

        Example:
            >>> client.delete_evaluation_metric_threshold(model_id, "ACCURACY")
        """
        self._transport.call(self._monitoring.DeleteEvaluationMetricThreshold,
                             pb.DeleteEvaluationMetricThresholdRequest(
                                 model_id=model_id,
                                 evaluation_metric=enum_value(
                                     monitoring_pb2.MonitoringEvaluationMetric,
                                     evaluation_metric, "MONITORING_EVALUATION_METRIC_")),
                             idempotent=True)

    def get_kpi_status(self, kpi_id: str) -> types.KpiMonitoringStatus:
        """Where a KPI stands: NOT_INITIALIZED until its first 30 values (its reference) have
        arrived, then OK, WARNING or DRIFT as its values move (at least PROJECT_VIEW).

        Example:
            >>> client.get_kpi_status(kpi_id).status.name
            'OK'
        """
        return conversions.kpi_monitoring_status_from_proto(self._transport.call(
            self._monitoring.GetKpiStatus, pb.GetKpiStatusRequest(kpi_id=kpi_id),
            idempotent=True).status)

    # -- detection events --------------------------------------------------------------------

    def get_detection_events(
        self,
        task_id: str | None = None,
        *,
        kpi_id: str | None = None,
        model_id: str | None = None,
        monitoring_target=None,
        event_type=None,
        severity=None,
        from_timestamp=None,
        to_timestamp=None,
    ) -> list[types.DetectionEvent]:
        """The task's (or, with ``kpi_id``, a KPI's) detection events, oldest first, as a list
        (as the platform SDK returns them), optionally only those of a model, of targets, types
        or severities (one value or a list each) and recorded in ``[from_timestamp,
        to_timestamp)`` (at least PROJECT_VIEW). For a long history, ``iter_detection_events``
        takes the same arguments and fetches pages as you iterate.

        Example:
            >>> events = client.get_detection_events(task_id)
            >>> [(e.event_type.name, e.monitoring_target.name, e.specification) for e in events]
            [('DRIFT_ON', 'INPUT', 'age'), ('DRIFT_ON', 'INPUT', None)]
            >>> [e.specification for e in client.get_detection_events(task_id,
            ...                                                       event_type="DRIFT_ON")]
            ['age', None]
        """
        return list(self.iter_detection_events(
            task_id, kpi_id=kpi_id, model_id=model_id, monitoring_target=monitoring_target,
            event_type=event_type, severity=severity, from_timestamp=from_timestamp,
            to_timestamp=to_timestamp))

    def iter_detection_events(
        self,
        task_id: str | None = None,
        *,
        kpi_id: str | None = None,
        model_id: str | None = None,
        monitoring_target=None,
        event_type=None,
        severity=None,
        from_timestamp=None,
        to_timestamp=None,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> Pager[types.DetectionEvent]:
        """``get_detection_events``, lazily: pages (of ``page_size`` events) are fetched as
        you iterate, so a long history is never held in memory at once; ``limit`` stops after
        that many events (at least PROJECT_VIEW).

        Example:
            >>> for event in client.iter_detection_events(task_id, event_type="DRIFT_ON"):
            ...     print(event.specification, event.severity_type, event.sample_customer_id)
        """
        request = pb.ListDetectionEventsRequest(
            task_id=task_id or "", kpi_id=kpi_id or "", model_id=model_id or "",
            targets=enum_values(monitoring_pb2.MonitoringTarget, monitoring_target,
                                "MONITORING_TARGET_"),
            types=enum_values(monitoring_pb2.DetectionEventType, event_type,
                              "DETECTION_EVENT_TYPE_"),
            severities=enum_values(monitoring_pb2.DetectionEventSeverity, severity,
                                   "DETECTION_EVENT_SEVERITY_"),
            from_time=_timestamp(from_timestamp) if from_timestamp is not None else None,
            to_time=_timestamp(to_timestamp) if to_timestamp is not None else None)

        return Pager(self._transport.call, self._monitoring.ListDetectionEvents, request,
                     "events", conversions.detection_event_from_proto, page_size=page_size,
                     limit=limit)

    def show_detection_events(self, task_id: str) -> None:
        """Print the task's detection events as a table, oldest first.

        Example:
            >>> client.show_detection_events(task_id)
            Seq  Type  Target  Feature  Severity  Model  Sample  Recorded
        """
        display.show(self.iter_detection_events(task_id), display.DETECTION_EVENT_COLUMNS)

    def set_detection_event_user_feedback(
        self, detection_id: str, user_feedback: bool
    ) -> types.DetectionEvent:
        """Say whether a detection event is right (True) or a false alarm (False); returns the
        event (at least PROJECT_USER).

        Example:
            >>> client.set_detection_event_user_feedback(event.event_id, False).user_feedback
            False
        """
        request = pb.SetDetectionEventUserFeedbackRequest(event_id=detection_id,
                                                          user_feedback=user_feedback)
        return conversions.detection_event_from_proto(self._transport.call(
            self._monitoring.SetDetectionEventUserFeedback, request, idempotent=True).event)

    def watch_detection_events(
        self,
        task_id: str | None = None,
        project_id: str | None = None,
        *,
        after_sequence: int = 0,
        heartbeat_interval: float | None = None,
        include_heartbeats: bool = False,
        reconnect_patience: float = 60.0,
    ) -> Iterator[types.WatchedDetectionEvent]:
        """The detection events of a task or a project as they are recorded, after
        ``after_sequence`` (0: from now on), until you stop iterating. Reconnects after a
        dropped connection and resumes after the last sequence seen, so no event is lost or
        repeated. Yields ``WatchedDetectionEvent``: ``watched.event`` (and
        ``watched.sequence``, to resume after); heartbeats (``watched.heartbeat``, no event)
        only with ``include_heartbeats``.

        Example:
            >>> from driftline.enums import DetectionEventType
            >>> for watched in client.watch_detection_events(task_id=task_id):
            ...     event = watched.event
            ...     if event.event_type == DetectionEventType.DRIFT_ON:
            ...         print("drift in", event.specification or event.monitoring_target.name,
            ...               "from", event.sample_customer_id)
        """
        interval = duration(heartbeat_interval)
        for response, heartbeat in resuming(
            lambda cursor: self._transport.stream(
                self._monitoring.WatchDetectionEvents,
                pb.WatchDetectionEventsRequest(
                    task_id=task_id or "", project_id=project_id or "",
                    after_sequence=cursor, heartbeat_interval=interval)),
            lambda response: (response.sequence, response.heartbeat),
            after_sequence, reconnect_patience,
        ):
            if include_heartbeats or not heartbeat:
                yield conversions.watch_detection_events_response_from_proto(response)

    # -- detection event rules ---------------------------------------------------------------

    def create_detection_event_rule(
        self,
        name: str,
        task_id: str,
        severity,
        detection_event_type,
        monitoring_target,
        actions: list,
        monitoring_metric=None,
        model_name: str | None = None,
        *,
        request_id: str | None = None,
    ) -> str:
        """Create a rule: for every detection event of the task of this type and target (and
        metric; of this model when ``model_name`` is set, which PREDICTION, INPUT_PREDICTION,
        CONCEPT and ERROR rules need; of this severity, or any when None), run ``actions`` in
        order. Actions are the results of ``driftline.types`` (SlackNotificationAction,
        WebhookAction, ..., RetrainAction), or the messages of ``rules_pb2`` of the same names.
        Secrets in them are stored encrypted and shown masked. Returns the rule's id (at least
        PROJECT_USER).

        Example:
            >>> from driftline.types import SlackNotificationAction
            >>> rule_id = client.create_detection_event_rule(
            ...     "drift alert", task_id, severity=None, detection_event_type="DRIFT_ON",
            ...     monitoring_target="INPUT", monitoring_metric="FEATURE",
            ...     actions=[SlackNotificationAction(
            ...         webhook="https://hooks.slack.com/services/T0/B0/XYZ")])
        """
        request = pb.CreateDetectionEventRuleRequest(
            rule=_rule(name, task_id, model_name, severity, detection_event_type,
                       monitoring_target, monitoring_metric, actions),
            request_id=request_id or uuid.uuid4().hex)
        return self._transport.call(self._monitoring.CreateDetectionEventRule, request,
                                    idempotent=True).rule.id

    def get_detection_event_rule(self, rule_id: str) -> types.DetectionEventRule:
        """The rule, its actions' secrets masked (at least PROJECT_VIEW).

        Example:
            >>> client.get_detection_event_rule(rule_id).actions[0].webhook
            'https://hooks.slack.com/…/XYZ'
        """
        return conversions.detection_event_rule_from_proto(self._transport.call(
            self._monitoring.GetDetectionEventRule,
            pb.GetDetectionEventRuleRequest(rule_id=rule_id), idempotent=True).rule)

    def get_detection_event_rules(self, task_id: str) -> list[types.DetectionEventRule]:
        """Every rule of the task, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [rule.name for rule in client.get_detection_event_rules(task_id)]
            ['drift alert']
        """
        request = pb.ListDetectionEventRulesRequest(task_id=task_id)
        return list(Pager(self._transport.call, self._monitoring.ListDetectionEventRules, request,
                          "rules", conversions.detection_event_rule_from_proto))

    def update_detection_event_rule(
        self,
        rule_id: str,
        name: str | None = None,
        model_name: str | None = None,
        severity=None,
        detection_event_type=None,
        monitoring_target=None,
        actions: list | None = None,
        monitoring_metric=None,
    ) -> types.DetectionEventRule:
        """Change the rule's fields that are not None (at least PROJECT_USER). Actions are
        replaced as a whole; a secret sent back as the rule showed it (masked) keeps the stored
        one. Returns the rule.

        Example:
            >>> client.update_detection_event_rule(rule_id, severity="HIGH").severity
            <DetectionEventSeverity.HIGH: 3>
        """
        given = {"name": name, "model_name": model_name, "severity": severity,
                 "detection_event_type": detection_event_type,
                 "monitoring_target": monitoring_target, "actions": actions,
                 "monitoring_metric": monitoring_metric}
        request = pb.UpdateDetectionEventRuleRequest(
            rule=_rule(name, None, model_name, severity, detection_event_type,
                       monitoring_target, monitoring_metric, actions, rule_id=rule_id),
            update_mask=field_mask_pb2.FieldMask(
                paths=[path for path, value in given.items() if value is not None]))
        return conversions.detection_event_rule_from_proto(self._transport.call(
            self._monitoring.UpdateDetectionEventRule, request, idempotent=True).rule)

    def delete_detection_event_rule(self, rule_id: str) -> None:
        """Delete the rule: events recorded from now on no longer run its actions (at least
        PROJECT_USER).

        Example:
            >>> client.delete_detection_event_rule(rule_id)
        """
        self._transport.call(self._monitoring.DeleteDetectionEventRule,
                             pb.DeleteDetectionEventRuleRequest(rule_id=rule_id),
                             idempotent=True)

    def get_action_deliveries(
        self, event_id: str | None = None, rule_id: str | None = None
    ) -> list[types.ActionDelivery]:
        """How an event's (or a rule's) actions were delivered: status, attempts, last error
        (at least PROJECT_VIEW). A rule's deliveries grow with every matching event:
        ``iter_action_deliveries`` fetches them page by page.

        Example:
            >>> [d.status.name for d in client.get_action_deliveries(event_id=event.event_id)]
            ['DELIVERED']
        """
        return list(self.iter_action_deliveries(event_id, rule_id))

    def iter_action_deliveries(
        self, event_id: str | None = None, rule_id: str | None = None, *,
        page_size: int | None = None, limit: int | None = None,
    ) -> Pager[types.ActionDelivery]:
        """``get_action_deliveries``, lazily: pages (of ``page_size`` deliveries) are fetched
        as you iterate; ``limit`` stops after that many (at least PROJECT_VIEW).

        Example:
            >>> failed = [d for d in client.iter_action_deliveries(rule_id=rule_id)
            ...           if d.status.name == "FAILED"]
        """
        request = pb.ListActionDeliveriesRequest(event_id=event_id or "", rule_id=rule_id or "")
        return Pager(self._transport.call, self._monitoring.ListActionDeliveries, request,
                     "deliveries", conversions.action_delivery_from_proto,
                     page_size=page_size, limit=limit)

    # -- retraining --------------------------------------------------------------------------

    def compute_retraining_report(self, model_id: str, *, request_id: str | None = None) -> str:
        """Start computing the model's retraining report: importance weights of its active
        reference against the production data since, the validation's choice of estimator,
        the effective sample size, performance and cost bounds. Returns the job's id (at
        least PROJECT_USER).

        Example:
            >>> client.wait_job_completion(client.compute_retraining_report(model_id))
            >>> client.get_retraining_report(model_id).effective_sample_size
            1834.2
        """
        request = pb.ComputeRetrainingReportRequest(model_id=model_id,
                                                    request_id=request_id or uuid.uuid4().hex)
        return self._transport.call(self._monitoring.ComputeRetrainingReport, request,
                                    idempotent=True).job_id

    def get_retraining_report(
        self, model_id: str, report_id: str | None = None, *, include_samples: bool = True
    ) -> types.RetrainingReport:
        """The model's newest COMPLETE retraining report (or the one named), with its
        suggestion's sample ids and weights, as the platform SDK's report carries them;
        ``include_samples=False`` leaves them out of a large report (their count stays in
        ``suggestion.sample_count``) (at least PROJECT_VIEW).

        Example:
            >>> report = client.get_retraining_report(model_id)
            >>> report.report_id == report.suggestion.suggestion_id
            True
            >>> dict(zip(report.suggestion.sample_ids, report.suggestion.weights))["s-17"]
            1.83
            >>> client.get_retraining_report(model_id, include_samples=False).suggestion.weights
            []
        """
        request = pb.GetRetrainingReportRequest(model_id=model_id, report_id=report_id or "",
                                                include_samples=include_samples)
        return conversions.retraining_report_from_proto(self._transport.call(
            self._monitoring.GetRetrainingReport, request, idempotent=True).report)

    def get_suggestions_info(
        self, model_id: str, model_version: str | None = None
    ) -> list[types.Suggestion]:
        """The retraining suggestions computed for a version of the model, newest first, without
        their samples: id, type, size, whether a model version was made from it, when (the
        SDK's SuggestionInfo: ``id``, ``executed``, ``timestamp``) (at least PROJECT_VIEW).
        ``model_version`` names the version (of the model ``model_id`` is a version of) whose
        suggestions to list; None: ``model_id``'s own version. NotFoundError when the model
        has no such version.

        Example:
            >>> [(s.id, s.executed) for s in client.get_suggestions_info(model_id, "v1")]
            [('5e1f...', True)]
        """
        request = pb.ListRetrainingSuggestionsRequest(model_id=model_id,
                                                      model_version=model_version or "")
        response = self._transport.call(self._monitoring.ListRetrainingSuggestions, request,
                                        idempotent=True)
        return [conversions.retraining_suggestion_from_proto(suggestion)
                for suggestion in response.suggestions]

    def show_suggestions(self, model_id: str, model_version: str | None = None) -> None:
        """Print the retraining suggestions of a version of the model as a table (the
        versions as ``get_suggestions_info`` picks them).

        Example:
            >>> client.show_suggestions(model_id, "v1")
            Suggestion Id  Type  Samples  Executed  Timestamp
        """
        display.show(self.get_suggestions_info(model_id, model_version),
                     display.SUGGESTION_COLUMNS)

    def update_model_version_by_suggestion_id(
        self, model_id: str, new_model_version: str, suggestion_id: str
    ) -> str:
        """Make a new version of the model (Catalog) whose reference is a retraining
        suggestion's data, and return the id of the job that sets that reference, for
        ``wait_job_completion``. The suggestion is marked executed once the reference is fitted
        (at least PROJECT_USER). The new version's id is the job's ``model_id`` (or
        ``get_model_by_name_and_version``).

        Example:
            >>> job_id = client.update_model_version_by_suggestion_id(
            ...     model_id, "v2", report.suggestion.suggestion_id)
            >>> new_model_id = client.wait_job_completion(job_id).model_id
        """
        new_model_id = self.update_model_version(model_id, new_model_version)
        return self.set_model_reference(new_model_id, suggestion_id=suggestion_id)

    def update_model_version_from_time_range(
        self, model_id: str, new_model_version: str, from_timestamp, to_timestamp
    ) -> str:
        """Make a new version of the model whose reference is the task's samples in
        ``[from_timestamp, to_timestamp)``, and return the id of the job that sets that
        reference (at least PROJECT_USER). The new version's id is the job's ``model_id``.

        Example:
            >>> job_id = client.update_model_version_from_time_range(
            ...     model_id, "v2", 1.70e9, 1.71e9)
            >>> new_model_id = client.wait_job_completion(job_id).model_id
        """
        new_model_id = self.update_model_version(model_id, new_model_version)
        return self.set_model_reference(new_model_id, from_timestamp, to_timestamp)

    def set_retrain_trigger(self, model_id: str, trigger) -> types.RetrainTrigger | None:
        """Set how the model is retrained: an ``AwsEventBridgeRetrainTrigger``,
        ``GcpPubSubRetrainTrigger`` or ``AzureEventGridRetrainTrigger`` (naming the project's
        integration credentials) tells your training pipeline; a ``DriftlineRetrainTrigger``
        (for versions of a Python model) has Driftline train the next version itself on the
        report's suggestion and set its reference. Triggers are the results of
        ``driftline.types`` or the messages of ``retraining_pb2`` of the same names. None
        removes the model's trigger, as in the platform SDK (NotFoundError when it has none).
        Returns the trigger as stored (at least PROJECT_USER).

        Example:
            >>> from driftline.types import AwsEventBridgeRetrainTrigger, DriftlineRetrainTrigger
            >>> client.set_retrain_trigger(model_id, AwsEventBridgeRetrainTrigger(
            ...     credentials_id=creds.credentials_id, aws_region_name="eu-west-1",
            ...     event_bus_name="ml-retraining"))
            >>> client.set_retrain_trigger(python_version_id, DriftlineRetrainTrigger())
            >>> client.set_retrain_trigger(model_id, None)  # no trigger any more
        """
        if trigger is None:
            self._transport.call(self._monitoring.DeleteRetrainTrigger,
                                 pb.DeleteRetrainTriggerRequest(model_id=model_id))
            return None
        request = pb.SetRetrainTriggerRequest(model_id=model_id, trigger=_trigger(trigger))
        return conversions.retrain_trigger_from_proto(self._transport.call(
            self._monitoring.SetRetrainTrigger, request, idempotent=True).trigger)

    def get_retrain_trigger(self, model_id: str) -> types.RetrainTrigger:
        """The model's retrain trigger (NotFoundError when none is set).

        Example:
            >>> client.get_retrain_trigger(model_id).event_bus_name
            'ml-retraining'
        """
        return conversions.retrain_trigger_from_proto(self._transport.call(
            self._monitoring.GetRetrainTrigger, pb.GetRetrainTriggerRequest(model_id=model_id),
            idempotent=True).trigger)

    def test_retrain_trigger(self, model_id: str, trigger=None) -> str:
        """Send a test message through ``trigger`` (as the platform SDK takes it: checked as
        ``set_retrain_trigger`` would, not stored), or through the model's own trigger when
        None; returns what the service answered (FailedPreconditionError with its answer when
        it refused) (at least PROJECT_USER).

        Example:
            >>> client.test_retrain_trigger(model_id, AwsEventBridgeRetrainTrigger(
            ...     credentials_id=creds.credentials_id, aws_region_name="eu-west-1",
            ...     event_bus_name="ml-retraining"))
            'EventBridge accepted the event (id ...)'
            >>> client.test_retrain_trigger(model_id)  # the trigger set on the model
        """
        request = pb.TestRetrainTriggerRequest(
            model_id=model_id, trigger=_trigger(trigger) if trigger is not None else None)
        return self._transport.call(self._monitoring.TestRetrainTrigger, request).outcome

    def retrain_model(self, model_id: str, *, request_id: str | None = None) -> str:
        """Retrain the model: compute its retraining report, then fire its retrain trigger
        with the report's id and where to read the weights. Returns the job's id (at least
        PROJECT_USER).

        Example:
            >>> client.wait_job_completion(client.retrain_model(model_id))
            >>> client.get_retraining_report(model_id).triggered
            True
        """
        request = pb.RetrainModelRequest(model_id=model_id,
                                         request_id=request_id or uuid.uuid4().hex)
        return self._transport.call(self._monitoring.RetrainModel, request,
                                    idempotent=True).job_id


_TRIGGER_FIELDS = {
    retraining_pb2.AwsEventBridgeRetrainTrigger: "aws_event_bridge",
    retraining_pb2.GcpPubSubRetrainTrigger: "gcp_pubsub",
    retraining_pb2.AzureEventGridRetrainTrigger: "azure_event_grid",
    retraining_pb2.DriftlineRetrainTrigger: "driftline",
}


def _trigger(trigger) -> retraining_pb2.RetrainTrigger:
    """A trigger as the contracts carry it, from its result (``driftline.types``) or its
    message (``retraining_pb2``)."""
    if isinstance(trigger, Result):
        return conversions.retrain_trigger_to_proto(trigger)
    return _wrapped(trigger, retraining_pb2.RetrainTrigger, _TRIGGER_FIELDS, "a retrain trigger")

