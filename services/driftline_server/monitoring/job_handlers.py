"""Monitoring's job types:

- "set_model_reference" reads a task's stored samples in the reference's time range through
  DataService.ReadSamples, fits the reference with the monitoring core (references.py) and has
  MonitoringService store it COMPLETE, or FAILED with why;
- "detect_drift" reads one committed batch (production samples, or the samples late targets
  complete), examines it against the active reference of each model of the task
  (detection.py) and has MonitoringService record each model's detection.

The handler runs on a Dask worker and reaches the services over gRPC only, with the suite's
internal credential (``context.metadata``). It is idempotent: a reference that is no longer
PENDING is left as it is, and a re-run fits the same thresholds (the calibration is seeded).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import grpc

from driftline_server.data.remote import (
    READ_TIMEOUT_SECONDS,
    data_stub,
    read_samples,
    read_stream,
)
from driftline_server.jobs.registry import job_handler
from driftline_server.jobs.worker import (
    JobContext,
    JobFailure,
    run_deciding,
)
from driftline_server.monitoring.vocabulary import (
    DELIVERY_JOB,
    DETECTION_JOB,
    KPI_DETECTION_JOB,
    REFERENCE_JOB,
    RETRAIN_ACTION,
    RETRAINING_JOB,
)


def _suggested(context: JobContext, monitoring, arguments: dict, id_column: str, table):
    """The samples of the retraining suggestion the reference is set to."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring.references import apply_suggestion

    report = context.call(monitoring.GetRetrainingReport, pb.GetRetrainingReportRequest(
        model_id=arguments["suggestion_model_id"], report_id=arguments["suggestion_id"],
        include_samples=True), timeout=120).report
    weights = list(report.suggestion.weights) or None
    return apply_suggestion(table, id_column, list(report.suggestion.sample_ids), weights)


@job_handler(REFERENCE_JOB)
def set_model_reference_job(arguments: dict, context: JobContext) -> dict:
    """Fit and store one model reference (see the module's docstring)."""
    return run_deciding(arguments, context, _fit, _fail_reference, "the reference job")


def _monitoring(context: JobContext):
    from driftline.monitoring.v1 import monitoring_service_pb2_grpc

    return monitoring_service_pb2_grpc.MonitoringServiceStub(context.channel("monitoring"))


def _fail_reference(arguments: dict, context: JobContext, message: str,
                    sample_count: int = 0) -> None:
    """Best effort: the reference ends FAILED with ``message``."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb

    try:
        context.retrying(lambda: _monitoring(context).FailModelReference(
            pb.FailModelReferenceRequest(reference_id=arguments["reference_id"],
                                         failure_message=message[:2000],
                                         sample_count=sample_count),
            metadata=context.metadata, timeout=30))
    except grpc.RpcError:
        pass


def _fit(arguments: dict, context: JobContext) -> dict:
    from driftline.monitoring.v1 import monitoring_pb2, monitoring_service_pb2 as pb
    from driftline_server.monitoring import conversions as convert
    from driftline_server.monitoring.references import (
        CoreInputError,
        ReferenceTooSmall,
        fit_model_reference,
        plan_reference,
    )

    reference_id = arguments["reference_id"]
    version = int(arguments["version"])  # job arguments are a Struct: numbers come as floats
    monitoring = _monitoring(context)
    current = context.retrying(lambda: monitoring.GetModelReference(
        pb.GetModelReferenceRequest(model_id=arguments["model_id"],
                                    version=version),
        metadata=context.metadata, timeout=30)).reference
    outcome = {"reference_id": reference_id, "version": version}
    if current.state == monitoring_pb2.MODEL_REFERENCE_STATE_COMPLETE:  # a re-run
        return dict(outcome, sample_count=current.sample_count,
                    quantity_count=len(current.quantities))
    if current.state == monitoring_pb2.MODEL_REFERENCE_STATE_FAILED:
        raise JobFailure("REFERENCE_FAILED", current.failure_message, outcome)

    plan = plan_reference(arguments["task_type"], arguments["columns"], arguments["model_id"])
    context.report_progress(0.0, "reading the reference samples")
    try:
        table = read_samples(context, arguments["task_id"], plan.columns,
                             arguments["from_time"], arguments["to_time"])
    except grpc.RpcError as error:
        if error.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
                            grpc.StatusCode.FAILED_PRECONDITION):
            # The task or its schema changed under the reference: no retry can help.
            message = f"the reference samples could not be read: {error.details()}"
            _fail_reference(arguments, context, message)
            raise JobFailure("REFERENCE_SAMPLES_UNREADABLE", message, outcome) from None
        raise
    if arguments.get("suggestion_id"):
        table = _suggested(context, monitoring, arguments, plan.id_column, table)
    context.report_progress(0.3, f"fitting the reference on {table.num_rows} samples")
    try:
        fitted = fit_model_reference(
            plan, table, min_samples=int(arguments["min_samples"]),
            # Absent from jobs submitted before batch tests: the default then.
            batches_between_false_alarms=float(arguments.get("batches_between_false_alarms", 0)),
            check_cancelled=context.check_cancelled)
    except ReferenceTooSmall as small:
        message = (f"the range [{arguments['from_time']}, {arguments['to_time']}) holds "
                   f"{small.found} samples of task '{arguments['task_id']}', fewer than the "
                   f"{small.minimum} a reference needs: widen the range or upload more data")
        _fail_reference(arguments, context, message, small.found)
        raise JobFailure("REFERENCE_TOO_SMALL", message,
                         dict(outcome, sample_count=small.found,
                              min_samples=small.minimum)) from None
    except CoreInputError as error:
        message = f"the reference could not be fitted: {error}"
        _fail_reference(arguments, context, message, table.num_rows)
        raise JobFailure("REFERENCE_NOT_FITTED", message, outcome) from None
    context.report_progress(0.9, "storing the reference")
    request = pb.CompleteModelReferenceRequest(
        reference_id=reference_id, sample_count=fitted.sample_count,
        labelled_sample_count=fitted.labelled_sample_count,
        quantities=[convert.quantity_to_proto(summary) for summary in fitted.summaries()],
        skipped_targets=[convert.skipped_to_proto(s) for s in fitted.skipped],
        fitted=fitted.to_bytes())
    try:
        stored = context.retrying(lambda: monitoring.CompleteModelReference(
            request, metadata=context.metadata, timeout=120)).reference
    except grpc.RpcError as error:
        if error.code() is grpc.StatusCode.FAILED_PRECONDITION:  # failed meanwhile
            raise JobFailure("REFERENCE_FAILED", error.details(), outcome) from None
        raise
    return dict(outcome, sample_count=stored.sample_count,
                labelled_sample_count=stored.labelled_sample_count,
                quantity_count=len(stored.quantities),
                skipped_targets=sorted({monitoring_pb2.MonitoringTarget.Name(s.target)
                                        .removeprefix("MONITORING_TARGET_")
                                        for s in stored.skipped_targets}))


# -- detection ---------------------------------------------------------------------------------

_FITS: OrderedDict[str, object] = OrderedDict()  # reference id -> DetectionReference
_FITS_LOCK = threading.Lock()
_MAX_FITS = 64  # references kept loaded per worker process
_RECORD_ATTEMPTS = 8


def _detection_reference(context: JobContext, monitoring, reference_id: str):
    """The reference, loaded once per worker process (a reference never changes)."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring.detection import DetectionReference

    with _FITS_LOCK:
        if reference_id in _FITS:
            _FITS.move_to_end(reference_id)
            return _FITS[reference_id]
    fitted = context.call(monitoring.GetReferenceFit,
                          pb.GetReferenceFitRequest(reference_id=reference_id), timeout=60).fitted
    reference = DetectionReference.from_bytes(fitted)
    with _FITS_LOCK:
        _FITS[reference_id] = reference
        while len(_FITS) > _MAX_FITS:
            _FITS.popitem(last=False)
    return reference


def _batch_table(context: JobContext, arguments: dict, columns: list[str], id_column: str):
    """The samples the batch brings to detection: a PRODUCTION batch's own samples, or for a
    TARGET batch the samples its late targets complete (with their inputs and predictions)."""
    import pyarrow.compute as pc

    from driftline.data.v1 import data_service_pb2 as pb

    data = data_stub(context)
    task_id, batch_id = arguments["task_id"], arguments["batch_id"]
    if arguments["kind"] != "TARGET":
        request = pb.ReadSamplesRequest(task_id=task_id, batch_ids=[batch_id], columns=columns)
    else:
        batch = context.call(data.GetBatch, pb.GetBatchRequest(batch_id=batch_id),
                             timeout=30).batch
        if not batch.labelled_batch_ids:
            return None
        labelled = read_stream(context, lambda: data.ReadBatch(
            pb.ReadBatchRequest(batch_id=batch_id, columns=[id_column]),
            metadata=context.metadata, timeout=READ_TIMEOUT_SECONDS), [id_column])
        request = pb.ReadSamplesRequest(task_id=task_id, batch_ids=batch.labelled_batch_ids,
                                        columns=columns)
    table = read_stream(context, lambda: data.ReadSamples(
        request, metadata=context.metadata, timeout=READ_TIMEOUT_SECONDS), columns)
    if arguments["kind"] == "TARGET":
        table = table.filter(pc.is_in(table[id_column], value_set=labelled[id_column]))
    return table


@job_handler(DETECTION_JOB)
def detect_drift_job(arguments: dict, context: JobContext) -> dict:
    """Detect drift in one committed batch for every model of the task with an active
    reference, and record each model's detection (see the module's docstring)."""
    import json

    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring.detection import (
        BatchSamples,
        Shared,
        examine,
        model_columns,
    )

    monitoring = _monitoring(context)
    request = pb.GetDetectionContextRequest(task_id=arguments["task_id"],
                                            batch_id=arguments["batch_id"])
    found = context.call(monitoring.GetDetectionContext, request, timeout=30)
    # The job's DetectionResult.
    outcome = {"batch_id": arguments["batch_id"], "kind": arguments["kind"], "model_count": 0,
               "event_count": 0, "sample_count": 0}
    if not found.models:
        return outcome  # no active reference, or every model has recorded the batch
    references = {m.reference_id: _detection_reference(context, monitoring, m.reference_id)
                  for m in found.models}
    schema = json.loads(found.columns_json or "[]")
    evaluated = {m.model_id: model_columns(schema, m.model_id) for m in found.models}
    columns = [found.id_column, found.time_column]
    for reference in references.values():
        columns += reference.columns()
    for names in evaluated.values():
        columns += list(names.values())
    columns = list(dict.fromkeys(name for name in columns if name))
    table = _batch_table(context, arguments, columns, found.id_column)
    if table is None or table.num_rows == 0:
        return outcome
    samples = BatchSamples.of(table, found.id_column, found.time_column)
    events = 0
    shared = Shared()  # what the models' references have in common is computed once
    for model in found.models:
        context.check_cancelled()
        reference = references[model.reference_id]
        batch = examine(reference, samples, labelled_only=arguments["kind"] == "TARGET",
                        shared=shared)
        events += _record(context, monitoring, request, model, reference, batch, samples,
                          evaluated[model.model_id])
    return dict(outcome, model_count=len(found.models), event_count=events,
                sample_count=table.num_rows)


def _record(context: JobContext, monitoring, context_request, model, reference, batch,
            samples, columns: dict) -> int:
    """Advance the model's detectors by the batch, compare its evaluation metrics with their
    thresholds, and record it; when another detection of the task recorded first, redo this
    from the state it left."""
    import json

    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring import conversions as convert
    from driftline_server.monitoring.detection import Threshold, advance, evaluate

    thresholds = [Threshold(convert.enum_value_name(
        convert.MonitoringEvaluationMetric, t.evaluation_metric, "thresholds"),
        t.warning_threshold, t.drift_threshold) for t in model.thresholds]
    version, state = model.state_version, json.loads(model.state or b"{}")
    for _ in range(_RECORD_ATTEMPTS):
        advanced = advance(reference, state, batch, samples)
        judged = evaluate(advanced.state, thresholds, columns, samples, None)
        advanced.state = judged.state
        advanced.statuses.update(judged.statuses)
        advanced.transitions += judged.transitions
        request = pb.RecordDetectionRequest(
            reference_id=model.reference_id, batch_id=context_request.batch_id,
            expected_state_version=version, state=json.dumps(advanced.state).encode(),
            statuses=[convert.status_update_to_proto(status)
                      for status in advanced.statuses.values()],
            events=[convert.transition_to_proto(t) for t in advanced.transitions])
        try:
            response = context.call(monitoring.RecordDetection, request, timeout=60)
        except grpc.RpcError as error:
            if error.code() is not grpc.StatusCode.ABORTED:
                raise
            fresh = context.call(monitoring.GetDetectionContext, context_request, timeout=30)
            mine = next((m for m in fresh.models if m.reference_id == model.reference_id), None)
            if mine is None:
                return 0  # a concurrent run of this job recorded the batch
            version, state = mine.state_version, json.loads(mine.state or b"{}")
            continue
        return len(response.events) if response.recorded else 0
    raise RuntimeError(f"the detectors of reference {model.reference_id} kept changing "
                       f"under this detection ({_RECORD_ATTEMPTS} attempts)")


# -- delivering detection events to the actions of rules ---------------------------------------


def delivery_settings(settings):
    """The actions' DeliverySettings from the server's settings (a job's: ``context.settings``)."""
    from driftline_server.monitoring.actions import DeliverySettings

    return DeliverySettings(
        allow_http=settings.actions_allow_http, smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port, smtp_username=settings.smtp_username,
        smtp_password=settings.smtp_password, smtp_sender=settings.smtp_sender,
        smtp_starttls=settings.smtp_starttls, aws_endpoint_url=settings.aws_endpoint_url or None,
        gcp_pubsub_endpoint=settings.gcp_pubsub_endpoint or None)


def _event_for_actions(event, rule_id: str, rule_name: str) -> dict:
    """A detection event as actions show it (actions.payloads.EVENT_FIELDS)."""
    from driftline_server.monitoring.conversions import event_from_proto

    fields = event_from_proto(event)  # the enums by name, as the service stores them

    def when(stamp) -> str:
        return stamp.ToDatetime().isoformat() + "Z" if stamp.seconds or stamp.nanos else ""

    return {
        "event_id": event.id, "task_id": event.task_id, "task_name": "",
        "model_id": event.model_id, "model_name": event.model_name,
        "model_version": event.model_version, "event_type": fields["event_type"],
        "monitoring_target": fields["target"], "monitoring_metric": fields["metric"],
        "feature": event.feature, "severity": fields["severity"],
        "sample_id": event.sample_id, "sample_time": when(event.sample_time),
        "insert_time": when(event.create_time), "explanation": fields["explanation"],
        "rule_id": rule_id, "rule_name": rule_name,
    }


@job_handler(DELIVERY_JOB)
def deliver_actions_job(arguments: dict, context: JobContext) -> dict:
    """Deliver one detection event to the actions of one rule, in order, each with retries and
    backoff, recording every attempt; an action already DELIVERED (a re-run) is skipped, and a
    FAILED one does not stop the next."""
    import time

    from google.protobuf import json_format

    from driftline.monitoring.v1 import monitoring_service_pb2 as pb, rules_pb2
    from driftline_server.monitoring.actions import DeliveryError

    settings = context.settings
    actions_settings = delivery_settings(settings)
    monitoring = _monitoring(context)
    plan = context.call(monitoring.GetActionDeliveryPlan, pb.GetActionDeliveryPlanRequest(
        event_id=arguments["event_id"], rule_id=arguments["rule_id"]), timeout=30)
    event = _event_for_actions(plan.event, arguments["rule_id"], plan.rule_name)
    outcome = {"event_id": arguments["event_id"], "rule_id": arguments["rule_id"],
               "delivered": 0, "failed": 0}

    def record(index: int, state: int, attempts: int, error: str = "", done: str = ""):
        context.call(monitoring.RecordActionDelivery, pb.RecordActionDeliveryRequest(
            event_id=arguments["event_id"], rule_id=arguments["rule_id"], action_index=index,
            state=state, attempts=attempts, last_error=error, outcome=done), timeout=30)

    for planned in plan.actions:
        if planned.state == rules_pb2.ACTION_DELIVERY_STATE_DELIVERED:
            outcome["delivered"] += 1
            continue
        action = json_format.MessageToDict(planned.config)
        attempts = planned.attempts
        delay = settings.action_backoff_seconds
        while True:
            context.check_cancelled()
            attempts += 1
            try:
                credentials = _credentials(context, action, plan.event.project_id)
                done = _run_action(context, action, event, credentials, actions_settings)
            except DeliveryError as error:
                last = attempts >= settings.action_attempts or not error.retryable
                state = (rules_pb2.ACTION_DELIVERY_STATE_FAILED if last
                         else rules_pb2.ACTION_DELIVERY_STATE_PENDING)
                record(planned.action_index, state, attempts, str(error))
                if last:
                    outcome["failed"] += 1
                    break
                pause = max(delay, error.retry_after or 0.0)
                time.sleep(min(pause, 60.0))
                delay = min(delay * 2, 60.0)
                continue
            record(planned.action_index, rules_pb2.ACTION_DELIVERY_STATE_DELIVERED, attempts,
                   done=done)
            outcome["delivered"] += 1
            break
    return outcome


def _credentials(context: JobContext, action: dict, project_id: str) -> dict | None:
    """The project's integration credentials a cloud action names, resolved by Identity."""
    from driftline_server.identity.remote import resolve_integration_credentials
    from driftline_server.monitoring.actions import DeliveryError

    credentials_id = action.get("credentials_id")
    if not credentials_id:
        return None
    try:
        return context.retrying(lambda: resolve_integration_credentials(
            context.channel("identity"), context.metadata, credentials_id, project_id))
    except grpc.RpcError as error:
        if error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION):
            raise DeliveryError(f"integration credentials {credentials_id!r}: "
                                f"{error.details()}", retryable=False) from None
        raise DeliveryError(f"Identity could not resolve the integration credentials: "
                            f"{error.details()}", retryable=True) from None


def _run_action(context: JobContext, action: dict, event: dict, credentials, settings) -> str:
    """Run one action: a notification (actions.deliver), or RETRAIN, which starts the
    retraining of the event's model (its report, then its trigger) once per event and rule."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring.actions import DeliveryError, deliver

    if action.get("type") != RETRAIN_ACTION:
        return deliver(action, event, credentials=credentials, settings=settings)
    try:
        job_id = context.call(_monitoring(context).RetrainFromEvent, pb.RetrainFromEventRequest(
            event_id=event["event_id"], rule_id=event["rule_id"]), timeout=60).job_id
    except grpc.RpcError as error:
        retryable = error.code() in (grpc.StatusCode.UNAVAILABLE,
                                     grpc.StatusCode.DEADLINE_EXCEEDED)
        raise DeliveryError(f"the retraining could not start: {error.details()}",
                            retryable=retryable) from None
    return f"retraining job {job_id} started (report, then the model's retrain trigger)"


# -- retraining ----------------------------------------------------------------------------------


@job_handler(RETRAINING_JOB)
def compute_retraining_report_job(arguments: dict, context: JobContext) -> dict:
    """Compute one retraining report (retraining.py) from the model's reference samples and the
    production samples since, and store it; to retrain, then fire the model's trigger with it."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb, retraining_pb2
    from driftline_server.monitoring.references import plan_reference
    from driftline_server.monitoring.retraining import (
        RetrainingInputError,
        RetrainingInputs,
        compute_retraining_report,
    )

    monitoring = _monitoring(context)
    report_id = arguments["report_id"]
    current = context.call(monitoring.GetRetrainingReport, pb.GetRetrainingReportRequest(
        model_id=arguments["model_id"], report_id=report_id), timeout=30).report
    outcome = {"report_id": report_id}
    if current.state == retraining_pb2.RETRAINING_REPORT_STATE_PENDING:
        plan = plan_reference(arguments["task_type"], arguments["columns"],
                              arguments["model_id"])
        context.report_progress(0.0, "reading the reference and the production samples")
        reference = read_samples(context, arguments["task_id"], plan.columns,
                                 arguments["reference_from"], arguments["reference_to"])
        production = read_samples(context, arguments["task_id"], plan.columns,
                                  arguments["reference_to"], kinds=("PRODUCTION",))
        context.report_progress(0.3, f"weighting {reference.num_rows} reference samples "
                                     f"against {production.num_rows} production samples")
        error = plan.error
        inputs = RetrainingInputs(
            task_type=arguments["task_type"], reference=reference, production=production,
            id_column=plan.id_column, inputs=plan.inputs,
            target=error.target if error else (plan.targets[0].name if plan.targets else None),
            prediction=error.prediction if error else None,
            metric_name=arguments["metric_name"] or "",
            suggestion_type=arguments["suggestion_type"],
            resampled_dataset_size=int(arguments["resampled_dataset_size"]) or None,
            retraining_cost=float(arguments["retraining_cost"]) or None, cost_per_sample=None)
        try:
            computed = compute_retraining_report(inputs, check_cancelled=context.check_cancelled)
        except RetrainingInputError as problem:
            message = f"the retraining report could not be computed: {problem}"
            context.call(monitoring.CompleteRetrainingReport, pb.CompleteRetrainingReportRequest(
                report=retraining_pb2.RetrainingReport(
                    id=report_id, state=retraining_pb2.RETRAINING_REPORT_STATE_FAILED,
                    failure_message=message)), timeout=60)
            raise JobFailure("RETRAINING_REPORT_NOT_COMPUTED", message, outcome) from None
        report = retraining_pb2.RetrainingReport(
            id=report_id, state=retraining_pb2.RETRAINING_REPORT_STATE_COMPLETE,
            effective_sample_size=computed.effective_sample_size,
            bounds_available=computed.bounds_available, method=computed.method,
            method_scores=computed.method_scores,
            columns=[retraining_pb2.ReweightedColumn(**c) for c in computed.explanation],
            reference_sample_count=reference.num_rows,
            production_sample_count=production.num_rows,
            weights_help=computed.weights_help, advice=computed.advice)
        report.diagnostics.update(computed.diagnostics)
        for name in ("performance_lower_bound", "performance_upper_bound", "cost_lower_bound",
                     "cost_upper_bound", "gap_closed"):
            value = getattr(computed, name)
            if value is not None:
                setattr(report, name, value)
        context.report_progress(0.9, "storing the report")
        current = context.call(monitoring.CompleteRetrainingReport,
                               pb.CompleteRetrainingReportRequest(
                                   report=report, sample_ids=computed.sample_ids,
                                   weights=computed.weights or []), timeout=120).report
    if current.state == retraining_pb2.RETRAINING_REPORT_STATE_FAILED:
        raise JobFailure("RETRAINING_REPORT_FAILED", current.failure_message, outcome)
    outcome.update(effective_sample_size=current.effective_sample_size,
                   sample_count=current.suggestion.sample_count)
    if arguments["purpose"] == "RETRAIN" and not current.triggered:
        outcome["trigger"] = _fire_trigger(context, monitoring, arguments, current)
    return outcome


def _fire_trigger(context: JobContext, monitoring, arguments: dict, report) -> str:
    """Send the report through the model's retrain trigger (retried like an action)."""
    import time

    from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb
    from driftline_server.monitoring import conversions as convert
    from driftline_server.monitoring.actions import DeliveryError
    from driftline_server.monitoring.vocabulary import DRIFTLINE_TRIGGER, TRIGGER_ACTIONS

    settings = context.settings
    trigger = convert.trigger_from_proto(context.call(
        monitoring.GetRetrainTrigger, pb.GetRetrainTriggerRequest(
            model_id=arguments["model_id"]), timeout=30).trigger)
    catalog = catalog_service_pb2_grpc.CatalogServiceStub(context.channel("catalog"))
    model = context.call(catalog.GetModel, catalog_service_pb2.GetModelRequest(
        model_id=arguments["model_id"]), timeout=30).model
    message = {
        "event_type": "RETRAIN", "task_id": arguments["task_id"], "model_id": model.id,
        "model_name": model.name, "model_version": model.version, "report_id": report.id,
        "suggestion_id": report.suggestion.id, "sample_count": report.suggestion.sample_count,
        "effective_sample_size": report.effective_sample_size,
        "read_weights": {
            "rpc": "driftline.monitoring.v1.MonitoringService/GetRetrainingReport",
            "request": {"model_id": model.id, "report_id": report.id,
                        "include_samples": True}},
    }
    if trigger["type"] == DRIFTLINE_TRIGGER:
        def send() -> str:
            return _train_next_version(context, arguments, report)
    else:
        action = {**trigger, "type": TRIGGER_ACTIONS[trigger["type"]]}

        def send() -> str:
            credentials = _credentials(context, action, arguments["project_id"])
            return _run_action(context, action, message, credentials,
                               delivery_settings(settings))
    delay = settings.action_backoff_seconds
    for attempt in range(1, settings.action_attempts + 1):
        try:
            done = send()
        except DeliveryError as error:
            if attempt == settings.action_attempts or not error.retryable:
                context.call(monitoring.RecordRetrainTrigger, pb.RecordRetrainTriggerRequest(
                    report_id=report.id, outcome=str(error), fired=False), timeout=30)
                raise JobFailure("RETRAIN_TRIGGER_FAILED",
                                 f"the retrain trigger failed: {error}",
                                 {"report_id": report.id}) from None
            time.sleep(min(max(delay, error.retry_after or 0.0), 60.0))
            delay = min(delay * 2, 60.0)
            continue
        context.call(monitoring.RecordRetrainTrigger, pb.RecordRetrainTriggerRequest(
            report_id=report.id, outcome=done, fired=True), timeout=30)
        return done
    raise AssertionError("unreachable")


def _train_next_version(context: JobContext, arguments: dict, report) -> str:
    """A Driftline retrain trigger: Catalog trains the Python model's next version on the
    report's suggestion (its own job, once per report), then sets its reference from it."""
    from google.protobuf import timestamp_pb2

    from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc
    from driftline_server.monitoring.actions import DeliveryError

    def stamp(text: str) -> timestamp_pb2.Timestamp:
        value = timestamp_pb2.Timestamp()
        value.FromJsonString(text.replace("+00:00", "Z"))
        return value

    catalog = catalog_service_pb2_grpc.CatalogServiceStub(context.channel("catalog"))
    try:
        version = context.call(catalog.RetrainPythonModel,
                               catalog_service_pb2.RetrainPythonModelRequest(
                                   model_id=arguments["model_id"], report_id=report.id,
                                   reference_from_time=stamp(arguments["reference_from"]),
                                   reference_to_time=stamp(arguments["reference_to"]),
                                   set_reference=True), timeout=60).version
    except grpc.RpcError as error:
        raise DeliveryError(f"Driftline could not start training the next version: "
                            f"{error.details()}", retryable=error.code() in (
                                grpc.StatusCode.UNAVAILABLE,
                                grpc.StatusCode.DEADLINE_EXCEEDED)) from None
    return (f"training job {version.job_id} started for version {version.version} "
            f"({version.model_id}) of Python model {version.python_model_id}")


# -- KPIs ----------------------------------------------------------------------------------------


@job_handler(KPI_DETECTION_JOB)
def detect_kpi_drift_job(arguments: dict, context: JobContext) -> dict:
    """Detect drift in one committed KPI batch (detection.advance_kpi) and record it."""
    import json

    from driftline.data.v1 import data_service_pb2
    from driftline.monitoring.v1 import monitoring_pb2, monitoring_service_pb2 as pb
    from driftline_server.monitoring import conversions as convert
    from driftline_server.monitoring.detection import advance_kpi
    from driftline_server.monitoring.vocabulary import KpiStatus

    monitoring = _monitoring(context)
    kpi_id, batch_id = arguments["kpi_id"], arguments["batch_id"]
    outcome = {"kpi_id": kpi_id, "batch_id": batch_id, "events": 0}
    columns = ["timestamp", "value"]
    data = data_stub(context)
    table = read_stream(context, lambda: data.ReadBatch(
        data_service_pb2.ReadBatchRequest(batch_id=batch_id, columns=columns),
        metadata=context.metadata, timeout=READ_TIMEOUT_SECONDS), columns)
    table = table.sort_by("timestamp")
    values = table["value"].to_numpy(zero_copy_only=False)
    times = table["timestamp"].to_pylist()
    request = pb.GetKpiDetectionStateRequest(kpi_id=kpi_id, batch_id=batch_id)
    for _ in range(_RECORD_ATTEMPTS):
        found = context.call(monitoring.GetKpiDetectionState, request, timeout=30)
        if found.recorded:
            return outcome
        advanced = advance_kpi(json.loads(found.state or b"{}"), values, times)
        status = monitoring_pb2.KpiMonitoringStatus(
            kpi_id=kpi_id, status=convert.enum_to_proto(KpiStatus, advanced.status),
            status_time=convert.to_timestamp(advanced.status_time),
            reference_value_count=advanced.reference_value_count)
        try:
            context.call(monitoring.RecordKpiDetection, pb.RecordKpiDetectionRequest(
                kpi_id=kpi_id, batch_id=batch_id, expected_state_version=found.state_version,
                state=json.dumps(advanced.state).encode(), status=status,
                events=[convert.kpi_transition_to_proto(t) for t in advanced.transitions]),
                timeout=60)
        except grpc.RpcError as error:
            if error.code() is grpc.StatusCode.ABORTED:
                continue  # another batch of the KPI was recorded first: start from its state
            raise
        return dict(outcome, events=len(advanced.transitions), status=advanced.status)
    raise RuntimeError(f"the detector of KPI {kpi_id} kept changing under this detection")


# The task reports' jobs register with the rest of Monitoring's.
from driftline_server.monitoring.reports import jobs as _report_jobs  # noqa: E402,F401
