"""Monitoring's job type: "set_model_reference", which reads a task's stored samples in the
reference's time range through DataService.ReadSamples, fits the reference with the monitoring
core (references.py) and has MonitoringService store it COMPLETE, or FAILED with why.

The handler runs on a Dask worker and reaches the services over gRPC only, with the suite's
internal credential (``context.metadata``). It is idempotent: a reference that is no longer
PENDING is left as it is, and a re-run fits the same thresholds (the calibration is seeded).
"""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from driftline.arrow_stream import read_arrow_stream
from driftline_server.jobs.registry import job_handler
from driftline_server.jobs.worker import (
    JobCancelled,
    JobContext,
    JobFailure,
    JobsServiceUnreachable,
    JobSuperseded,
)
from driftline_server.monitoring.vocabulary import REFERENCE_JOB

_READ_TIMEOUT_SECONDS = 3600.0


def read_samples(context: JobContext, arguments: dict, columns: list[str]):
    """The task's HISTORICAL and PRODUCTION samples in [from_time, to_time), as a Table."""
    import pyarrow as pa
    from google.protobuf import timestamp_pb2

    from driftline.data.v1 import batch_pb2, data_service_pb2 as pb, data_service_pb2_grpc

    def stamp(text: str) -> timestamp_pb2.Timestamp:
        value = timestamp_pb2.Timestamp()
        value.FromJsonString(text.replace("+00:00", "Z"))
        return value

    data = data_service_pb2_grpc.DataServiceStub(context.channel("data"))
    request = pb.ReadSamplesRequest(
        task_id=arguments["task_id"],
        kinds=[batch_pb2.BATCH_KIND_HISTORICAL, batch_pb2.BATCH_KIND_PRODUCTION],
        from_time=stamp(arguments["from_time"]), to_time=stamp(arguments["to_time"]),
        columns=columns)

    def read() -> pa.Table:
        responses = data.ReadSamples(request, metadata=context.metadata,
                                     timeout=_READ_TIMEOUT_SECONDS)
        pieces = (response.arrow_ipc for response in responses)
        first = next(pieces, None)
        if first is None:
            return pa.table({name: pa.array([], pa.null()) for name in columns})

        def every() -> Iterator[bytes]:
            yield first
            yield from pieces

        return read_arrow_stream(every())

    return context.retrying(read)  # a cut stream is read again from its start


@job_handler(REFERENCE_JOB)
def set_model_reference_job(arguments: dict, context: JobContext) -> dict:
    """Fit and store one model reference (see the module's docstring)."""
    try:
        return _fit(arguments, context)
    except (JobFailure, JobSuperseded, JobsServiceUnreachable):
        raise  # the reference was decided, or the attempt is not over
    except JobCancelled:
        _fail_reference(arguments, context, "the reference job was cancelled")
        raise
    except Exception as error:
        if context.attempt >= context.max_attempts:
            _fail_reference(arguments, context,
                            f"the reference job failed on its last attempt ({context.attempt}): "
                            f"{type(error).__name__}: {error}")
        raise  # the engine runs the job again, or ends it FAILED after its last attempt


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
        table = read_samples(context, arguments, plan.columns)
    except grpc.RpcError as error:
        if error.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
                            grpc.StatusCode.FAILED_PRECONDITION):
            # The task or its schema changed under the reference: no retry can help.
            message = f"the reference samples could not be read: {error.details()}"
            _fail_reference(arguments, context, message)
            raise JobFailure("REFERENCE_SAMPLES_UNREADABLE", message, outcome) from None
        raise
    context.report_progress(0.3, f"fitting the reference on {table.num_rows} samples")
    try:
        fitted = fit_model_reference(
            plan, table, min_samples=int(arguments["min_samples"]),
            drift_mean_run_length=float(arguments["drift_mean_run_length"]),
            warning_mean_run_length=float(arguments["warning_mean_run_length"]),
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
        quantities=[convert.quantity_to_proto(q.summary()) for q in fitted.quantities],
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
