"""MonitoringService over gRPC: each RPC converts the request, calls the domain with the caller,
and converts the answer. Errors are domain exceptions, mapped by the ErrorInterceptor."""

from __future__ import annotations

import json

from driftline.monitoring.v1 import monitoring_service_pb2 as pb, monitoring_service_pb2_grpc
from driftline_server.monitoring import conversions as convert
from driftline_server.monitoring.detections import Detections, EventFilter, Heartbeat
from driftline_server.monitoring.domain import Monitoring
from driftline_server.monitoring.reports.domain import ReportRequest, TaskReports
from driftline_server.monitoring.retrainings import Retrainings
from driftline_server.monitoring.rules import Rules
from driftline_server.monitoring.vocabulary import (
    DeliveryState,
    MonitoringEvaluationMetric,
    KpiStatus,
    ReportState,
    DetectionEventSeverity,
    DetectionEventType,
    MonitoringMetric,
    MonitoringTarget,
    TaskReportKind,
    TaskReportState,
)
from driftline_server.platform.clock import time_from_proto
from driftline_server.platform.errors import InvalidArgument, not_found
from driftline_server.platform.roles import current_caller
from driftline_server.platform.validation import heartbeat_seconds

DEFAULT_HEARTBEAT_SECONDS = 15.0


class MonitoringServicer(monitoring_service_pb2_grpc.MonitoringServiceServicer):
    def __init__(self, monitoring: Monitoring, detections: Detections, rules: Rules,
                 retrainings: Retrainings, reports: TaskReports):
        self._monitoring = monitoring
        self._detections = detections
        self._rules = rules
        self._retrainings = retrainings
        self._reports = reports

    async def SetModelReference(self, request: pb.SetModelReferenceRequest, context):
        reference = await self._monitoring.set_model_reference(
            current_caller(), request.model_id.strip(),
            time_from_proto(request, "from_time"),
            time_from_proto(request, "to_time"), request.request_id.strip(),
            request.suggestion_id.strip(), request.batches_between_false_alarms)
        return pb.SetModelReferenceResponse(job_id=reference.row.job_id or "",
                                            reference=convert.reference_to_proto(reference))

    async def GetModelReference(self, request: pb.GetModelReferenceRequest, context):
        reference = await self._monitoring.get_model_reference(
            current_caller(), request.model_id.strip(), request.version)
        return pb.GetModelReferenceResponse(reference=convert.reference_to_proto(reference))

    async def ListModelReferences(self, request: pb.ListModelReferencesRequest, context):
        references, token = await self._monitoring.list_model_references(
            current_caller(), request.model_id.strip(), request.page_size, request.page_token)
        return pb.ListModelReferencesResponse(
            references=[convert.reference_to_proto(r) for r in references],
            next_page_token=token)

    # -- statuses and detection events -------------------------------------------------------

    async def GetMonitoringStatus(self, request: pb.GetMonitoringStatusRequest, context):
        summary, quantities = await self._detections.monitoring_status(
            current_caller(), request.task_id.strip(),
            convert.enum_from_proto(MonitoringTarget, request.target, "target"),
            convert.enum_from_proto(MonitoringMetric, request.metric, "metric"),
            request.feature.strip(), request.model_id.strip())
        return pb.GetMonitoringStatusResponse(
            status=convert.status_to_proto(summary),
            quantities=[convert.status_to_proto(q) for q in quantities])

    async def ListMonitoringStatuses(self, request: pb.ListMonitoringStatusesRequest, context):
        statuses = await self._detections.statuses(
            current_caller(), request.task_id.strip(), request.model_id.strip())
        return pb.ListMonitoringStatusesResponse(
            statuses=[convert.status_to_proto(s) for s in statuses])

    async def ListDetectionEvents(self, request: pb.ListDetectionEventsRequest, context):
        event_filter = EventFilter(
            model_id=request.model_id.strip(),
            targets=tuple(convert.enums_from_proto(MonitoringTarget, request.targets, "targets")),
            types=tuple(convert.enums_from_proto(DetectionEventType, request.types, "types")),
            severities=tuple(convert.enums_from_proto(DetectionEventSeverity,
                                                      request.severities, "severities")),
            from_time=time_from_proto(request, "from_time"),
            to_time=time_from_proto(request, "to_time"))
        events, token = await self._detections.list_events(
            current_caller(), request.task_id.strip(), event_filter, request.page_size,
            request.page_token, request.kpi_id.strip())
        return pb.ListDetectionEventsResponse(
            events=[convert.event_to_proto(e) for e in events], next_page_token=token)

    async def SetEvaluationMetricThreshold(self, request: pb.SetEvaluationMetricThresholdRequest,
                                           context):
        threshold = request.threshold
        row = await self._detections.set_threshold(
            current_caller(), threshold.model_id.strip(),
            convert.enum_value_name(MonitoringEvaluationMetric, threshold.evaluation_metric,
                                    "threshold.evaluation_metric"),
            threshold.warning_threshold, threshold.drift_threshold)
        return pb.SetEvaluationMetricThresholdResponse(threshold=convert.threshold_to_proto(row))

    async def ListEvaluationMetricThresholds(
            self, request: pb.ListEvaluationMetricThresholdsRequest, context):
        rows = await self._detections.thresholds(current_caller(), request.model_id.strip())
        return pb.ListEvaluationMetricThresholdsResponse(
            thresholds=[convert.threshold_to_proto(r) for r in rows])

    async def DeleteEvaluationMetricThreshold(
            self, request: pb.DeleteEvaluationMetricThresholdRequest, context):
        await self._detections.delete_threshold(
            current_caller(), request.model_id.strip(),
            convert.enum_value_name(MonitoringEvaluationMetric, request.evaluation_metric,
                                    "evaluation_metric"))
        return pb.DeleteEvaluationMetricThresholdResponse()

    async def GetKpiStatus(self, request: pb.GetKpiStatusRequest, context):
        row = await self._detections.kpi_status(current_caller(), request.kpi_id.strip())
        return pb.GetKpiStatusResponse(status=convert.kpi_status_to_proto(row))

    async def GetKpiDetectionState(self, request: pb.GetKpiDetectionStateRequest, context):
        recorded, version, state = await self._detections.kpi_detection_state(
            request.kpi_id.strip(), request.batch_id.strip())
        return pb.GetKpiDetectionStateResponse(recorded=recorded, state_version=version,
                                               state=json.dumps(state).encode())

    async def RecordKpiDetection(self, request: pb.RecordKpiDetectionRequest, context):
        try:
            state = json.loads(request.state or b"{}")
        except ValueError:
            raise InvalidArgument.for_field("state", "is not JSON") from None
        status = convert.enum_from_proto(KpiStatus, request.status.status, "status.status")
        recorded = await self._detections.record_kpi_detection(
            request.kpi_id.strip(), request.batch_id.strip(), request.expected_state_version,
            state, {"status": (status or KpiStatus.NOT_INITIALIZED).value,
                    "status_time": time_from_proto(request.status, "status_time"),
                    "reference_value_count": request.status.reference_value_count},
            [convert.event_from_proto(e) for e in request.events])
        return pb.RecordKpiDetectionResponse(recorded=recorded)

    async def SetDetectionEventUserFeedback(
            self, request: pb.SetDetectionEventUserFeedbackRequest, context):
        event = await self._detections.set_user_feedback(
            current_caller(), request.event_id.strip(), request.user_feedback)
        return pb.SetDetectionEventUserFeedbackResponse(event=convert.event_to_proto(event))

    async def WatchDetectionEvents(self, request: pb.WatchDetectionEventsRequest, context):
        heartbeat = heartbeat_seconds(request, DEFAULT_HEARTBEAT_SECONDS)
        async for event in self._detections.watch(
                current_caller(), request.task_id.strip(), request.project_id.strip(),
                request.after_sequence, heartbeat):
            if isinstance(event, Heartbeat):
                yield pb.WatchDetectionEventsResponse(heartbeat=True, sequence=event.sequence)
            else:
                yield pb.WatchDetectionEventsResponse(event=convert.event_to_proto(event),
                                                      sequence=event.sequence)

    # -- detection event rules ---------------------------------------------------------------

    async def CreateDetectionEventRule(self, request: pb.CreateDetectionEventRuleRequest,
                                       context):
        rule = await self._rules.create(
            current_caller(), request.rule.task_id.strip(),
            convert.rule_spec_from_proto(request.rule), request.request_id.strip())
        return pb.CreateDetectionEventRuleResponse(rule=convert.rule_to_proto(rule))

    async def GetDetectionEventRule(self, request: pb.GetDetectionEventRuleRequest, context):
        rule = await self._rules.get(current_caller(), request.rule_id.strip())
        return pb.GetDetectionEventRuleResponse(rule=convert.rule_to_proto(rule))

    async def ListDetectionEventRules(self, request: pb.ListDetectionEventRulesRequest,
                                      context):
        rules, token = await self._rules.list(current_caller(), request.task_id.strip(),
                                              request.page_size, request.page_token)
        return pb.ListDetectionEventRulesResponse(
            rules=[convert.rule_to_proto(r) for r in rules], next_page_token=token)

    async def UpdateDetectionEventRule(self, request: pb.UpdateDetectionEventRuleRequest,
                                       context):
        rule = await self._rules.update(
            current_caller(), request.rule.id.strip(),
            convert.rule_spec_from_proto(request.rule), list(request.update_mask.paths))
        return pb.UpdateDetectionEventRuleResponse(rule=convert.rule_to_proto(rule))

    async def DeleteDetectionEventRule(self, request: pb.DeleteDetectionEventRuleRequest,
                                       context):
        await self._rules.delete(current_caller(), request.rule_id.strip())
        return pb.DeleteDetectionEventRuleResponse()

    async def ListActionDeliveries(self, request: pb.ListActionDeliveriesRequest, context):
        deliveries, token = await self._rules.deliveries(
            current_caller(), request.event_id.strip(), request.rule_id.strip(),
            request.page_size, request.page_token)
        return pb.ListActionDeliveriesResponse(
            deliveries=[convert.delivery_to_proto(d) for d in deliveries],
            next_page_token=token)

    # -- retraining --------------------------------------------------------------------------

    async def ComputeRetrainingReport(self, request: pb.ComputeRetrainingReportRequest,
                                      context):
        report = await self._retrainings.compute(current_caller(), request.model_id.strip(),
                                                 request.request_id.strip())
        return pb.ComputeRetrainingReportResponse(job_id=report.job_id or "",
                                                  report=convert.report_to_proto(report))

    async def GetRetrainingReport(self, request: pb.GetRetrainingReportRequest, context):
        report, samples = await self._retrainings.get(
            current_caller(), request.model_id.strip(), request.report_id.strip(),
            request.include_samples)
        return pb.GetRetrainingReportResponse(report=convert.report_to_proto(report, samples))

    async def ListRetrainingSuggestions(self, request: pb.ListRetrainingSuggestionsRequest,
                                        context):
        reports = await self._retrainings.suggestions(current_caller(),
                                                      request.model_id.strip(),
                                                      request.model_version)
        return pb.ListRetrainingSuggestionsResponse(
            suggestions=[convert.suggestion_to_proto(r) for r in reports])

    async def SetRetrainTrigger(self, request: pb.SetRetrainTriggerRequest, context):
        trigger = await self._retrainings.set_trigger(
            current_caller(), request.model_id.strip(),
            convert.trigger_from_proto(request.trigger))
        return pb.SetRetrainTriggerResponse(trigger=convert.trigger_to_proto(trigger))

    async def GetRetrainTrigger(self, request: pb.GetRetrainTriggerRequest, context):
        trigger = await self._retrainings.get_trigger(current_caller(),
                                                      request.model_id.strip())
        return pb.GetRetrainTriggerResponse(trigger=convert.trigger_to_proto(trigger))

    async def DeleteRetrainTrigger(self, request: pb.DeleteRetrainTriggerRequest, context):
        await self._retrainings.delete_trigger(current_caller(), request.model_id.strip())
        return pb.DeleteRetrainTriggerResponse()

    async def TestRetrainTrigger(self, request: pb.TestRetrainTriggerRequest, context):
        trigger = (convert.trigger_from_proto(request.trigger)
                   if request.HasField("trigger") else None)
        outcome = await self._retrainings.test_trigger(current_caller(),
                                                       request.model_id.strip(), trigger)
        return pb.TestRetrainTriggerResponse(outcome=outcome)

    async def RetrainModel(self, request: pb.RetrainModelRequest, context):
        report = await self._retrainings.compute(current_caller(), request.model_id.strip(),
                                                 request.request_id.strip(), purpose="RETRAIN")
        return pb.RetrainModelResponse(job_id=report.job_id or "",
                                       report=convert.report_to_proto(report))

    # -- task reports ------------------------------------------------------------------------

    async def ComputeRagEvaluationReport(self, request: pb.ComputeRagEvaluationReportRequest,
                                         context):
        judge = ({"credentials_id": request.judge.credentials_id, "model": request.judge.model}
                 if request.HasField("judge") else None)
        row = await self._reports.compute_rag_evaluation(
            current_caller(), _report_request(request), request.model_id.strip(),
            request.threshold, judge)
        return pb.ComputeRagEvaluationReportResponse(
            job_id=row.job_id or "", report=convert.rag_report_to_proto(row))

    async def GetRagEvaluationReport(self, request: pb.GetRagEvaluationReportRequest, context):
        row = await self._reports.get(current_caller(), request.report_id,
                                      TaskReportKind.RAG_EVALUATION, "GetRagEvaluationReport")
        return pb.GetRagEvaluationReportResponse(report=convert.rag_report_to_proto(row))

    async def ListRagEvaluationReports(self, request: pb.ListRagEvaluationReportsRequest,
                                       context):
        rows, token = await self._reports.list(
            current_caller(), request.task_id, TaskReportKind.RAG_EVALUATION,
            "ListRagEvaluationReports", request.page_size, request.page_token)
        return pb.ListRagEvaluationReportsResponse(
            reports=[convert.rag_report_to_proto(row) for row in rows], next_page_token=token)

    async def ComputeTopicModelingReport(self, request: pb.ComputeTopicModelingReportRequest,
                                         context):
        row = await self._reports.compute_topic_modeling(
            current_caller(), _report_request(request), request.min_topics, request.max_topics)
        return pb.ComputeTopicModelingReportResponse(
            job_id=row.job_id or "", report=convert.topic_report_to_proto(row))

    async def GetTopicModelingReport(self, request: pb.GetTopicModelingReportRequest, context):
        row = await self._reports.get(current_caller(), request.report_id,
                                      TaskReportKind.TOPIC_MODELING, "GetTopicModelingReport")
        return pb.GetTopicModelingReportResponse(report=convert.topic_report_to_proto(row))

    async def ListTopicModelingReports(self, request: pb.ListTopicModelingReportsRequest,
                                       context):
        rows, token = await self._reports.list(
            current_caller(), request.task_id, TaskReportKind.TOPIC_MODELING,
            "ListTopicModelingReports", request.page_size, request.page_token)
        return pb.ListTopicModelingReportsResponse(
            reports=[convert.topic_report_to_proto(row, brief=True) for row in rows],
            next_page_token=token)

    async def ReadTaskReportSamples(self, request: pb.ReadTaskReportSamplesRequest, context):
        pieces = await self._reports.samples(current_caller(), request.report_id)
        async for piece in pieces:
            yield pb.ReadTaskReportSamplesResponse(arrow_ipc=piece)

    async def FinishTaskReport(self, request: pb.FinishTaskReportRequest, context):
        state = convert.enum_from_proto(TaskReportState, request.state, "state")
        if state not in (TaskReportState.COMPLETE, TaskReportState.FAILED):
            raise InvalidArgument.for_field("state", "must be COMPLETE or FAILED")
        kind = request.WhichOneof("result")
        result = convert.task_report_result(getattr(request, kind)) if kind else {}
        row = await self._reports.finish(request.report_id.strip(), state,
                                         request.failure_message, request.sample_count, result)
        return pb.FinishTaskReportResponse(info=convert.task_report_info_to_proto(row))

    # -- internal: the retraining job --------------------------------------------------------

    async def CompleteRetrainingReport(self, request: pb.CompleteRetrainingReportRequest,
                                       context):
        report = request.report
        failed = report.state == convert.enum_to_proto(ReportState, ReportState.FAILED)
        row = await self._retrainings.complete(
            report.id.strip(), None if failed else convert.report_fields_from_proto(report),
            list(request.sample_ids), list(request.weights) or None,
            failure=report.failure_message)
        return pb.CompleteRetrainingReportResponse(report=convert.report_to_proto(row))

    async def RecordRetrainTrigger(self, request: pb.RecordRetrainTriggerRequest, context):
        await self._retrainings.record_trigger(request.report_id.strip(), request.outcome,
                                               request.fired)
        return pb.RecordRetrainTriggerResponse()

    async def RetrainFromEvent(self, request: pb.RetrainFromEventRequest, context):
        job_id = await self._retrainings.retrain_from_event(request.event_id.strip(),
                                                            request.rule_id.strip())
        return pb.RetrainFromEventResponse(job_id=job_id)

    # -- internal: the delivery job ----------------------------------------------------------

    async def GetActionDeliveryPlan(self, request: pb.GetActionDeliveryPlanRequest, context):
        event, rule, actions, deliveries = await self._rules.delivery_plan(
            request.event_id.strip(), request.rule_id.strip())
        by_index = {d.action_index: d for d in deliveries}
        response = pb.GetActionDeliveryPlanResponse(event=convert.event_to_proto(event),
                                                    rule_name=rule.name)
        for index, action in enumerate(actions):
            delivery = by_index.get(index)
            planned = response.actions.add(
                action_index=index, action_type=action["type"],
                state=convert.enum_to_proto(DeliveryState, delivery.state if delivery
                                            else DeliveryState.PENDING),
                attempts=delivery.attempts if delivery else 0)
            planned.config.update(action)
        return response

    async def RecordActionDelivery(self, request: pb.RecordActionDeliveryRequest, context):
        state = convert.enum_from_proto(DeliveryState, request.state, "state")
        if state is None:
            raise InvalidArgument.for_field("state", "required: PENDING, DELIVERED or FAILED")
        delivery = await self._rules.record_delivery(
            request.event_id.strip(), request.rule_id.strip(), request.action_index,
            state.value, request.attempts, request.last_error, request.outcome)
        return pb.RecordActionDeliveryResponse(delivery=convert.delivery_to_proto(delivery))

    # -- internal: the detection job ---------------------------------------------------------

    async def NotifyBatchCommitted(self, request: pb.NotifyBatchCommittedRequest, context):
        job_id = await self._detections.batch_committed(
            request.batch_id.strip(), request.task_id.strip(), request.kind.strip(),
            request.kpi_id.strip(), request.project_id.strip())
        return pb.NotifyBatchCommittedResponse(job_id=job_id)

    async def GetDetectionContext(self, request: pb.GetDetectionContextRequest, context):
        found = await self._detections.detection_context(request.task_id.strip(),
                                                         request.batch_id.strip())
        return pb.GetDetectionContextResponse(
            models=[pb.ModelDetectionContext(
                model_id=m.model.id, model_name=m.model.name, model_version=m.model.version,
                reference_id=m.reference_id, state_version=m.state_version,
                state=json.dumps(m.state).encode(),
                thresholds=[convert.threshold_to_proto(t) for t in m.thresholds])
                for m in found.models],
            task_type=found.task.task_type, id_column=found.id_column,
            time_column=found.time_column, columns_json=json.dumps(found.columns))

    async def GetReferenceFit(self, request: pb.GetReferenceFitRequest, context):
        fitted = await self._monitoring.fitted(request.reference_id.strip())
        if fitted is None:
            raise not_found("reference", request.reference_id)
        return pb.GetReferenceFitResponse(fitted=fitted)

    async def RecordDetection(self, request: pb.RecordDetectionRequest, context):
        try:
            state = json.loads(request.state or b"{}")
        except ValueError:
            raise InvalidArgument.for_field("state", "is not JSON") from None
        recorded, events = await self._detections.record_detection(
            request.reference_id.strip(), request.batch_id.strip(),
            request.expected_state_version, state,
            [convert.status_from_proto(s) for s in request.statuses],
            [convert.event_from_proto(e) for e in request.events])
        return pb.RecordDetectionResponse(
            recorded=recorded, events=[convert.event_to_proto(e) for e in events])

    # -- internal: the reference job ---------------------------------------------------------

    async def CompleteModelReference(self, request: pb.CompleteModelReferenceRequest, context):
        reference = await self._monitoring.complete_reference(
            request.reference_id.strip(), request.sample_count, request.labelled_sample_count,
            [convert.quantity_from_proto(q) for q in request.quantities],
            [convert.skipped_from_proto(s) for s in request.skipped_targets], request.fitted)
        return pb.CompleteModelReferenceResponse(reference=convert.reference_to_proto(reference))

    async def FailModelReference(self, request: pb.FailModelReferenceRequest, context):
        reference = await self._monitoring.fail_reference(
            request.reference_id.strip(), request.failure_message, request.sample_count)
        return pb.FailModelReferenceResponse(reference=convert.reference_to_proto(reference))


def _report_request(request) -> ReportRequest:
    return ReportRequest(task_id=request.task_id, name=request.report_name,
                         from_time=time_from_proto(request, "from_time"),
                         to_time=time_from_proto(request, "to_time"),
                         request_id=request.request_id.strip())
