"""Catalog's job type: "train_python_model", which trains one version of a Python model.

The handler runs on a Dask worker and reaches the services over gRPC only, with the suite's
internal credential. It asks Catalog what to train (StartPythonModelTraining: the version's
definition, the task's columns), reads the training inputs from DataService (for a retraining:
the reference samples of the report's suggestion, with their weights from MonitoringService),
builds the model's environment from its requirements (environments.py), runs the train
function in a sandboxed process (sandbox.py), writes the artifact beside the task's batches and
tells Catalog how it ended (FinishPythonModelTraining). A retraining then has Monitoring set the
new version's reference from the suggestion (its own job) and gives it the old version's
retrain trigger, so the loop continues.

User code never runs in this process. The model's failures (it raised, ran out of memory or
time, returned the wrong thing, its requirements cannot be installed) end the version FAILED at
once: another attempt would fail the same way. Anything else (a service briefly down) is
retried; the last attempt's failure ends the version FAILED too. A re-run of an ended version
changes nothing.
"""

from __future__ import annotations

import json

import grpc

from driftline_server.catalog.python_models.definitions import TRAINING_JOB
from driftline_server.jobs.registry import job_handler
from driftline_server.jobs.worker import JobCancelled, JobContext, JobFailure, run_deciding

ENVIRONMENTS_FOLDER = "python-environments"


def _catalog(context: JobContext):
    from driftline.catalog.v1 import catalog_service_pb2_grpc

    return catalog_service_pb2_grpc.CatalogServiceStub(context.channel("catalog"))


def _monitoring(context: JobContext):
    from driftline.monitoring.v1 import monitoring_service_pb2_grpc

    return monitoring_service_pb2_grpc.MonitoringServiceStub(context.channel("monitoring"))


@job_handler(TRAINING_JOB, max_attempts=3)
def train_python_model_job(arguments: dict, context: JobContext) -> dict:
    """Train one version of a Python model (see the module's docstring)."""
    return run_deciding(arguments, context, _train, _fail_training, "the training job")


def _fail_training(arguments: dict, context: JobContext, message: str) -> None:
    _finish(context, arguments["model_id"], error=message)


def _finish(context: JobContext, model_id: str, *, trained: bool = False, error: str = "",
            failure: str = "", output_tail: str = "", sample_count: int = 0,
            sample_weighted: bool = False, artifact_size: int = 0,
            reference_job_id: str = ""):
    """Tell Catalog how the training ended; the version as stored (None when Catalog could not
    be told, best effort for a failure: a later attempt or a re-run tells it)."""
    from driftline.catalog.v1 import catalog_service_pb2 as pb, python_model_pb2

    request = pb.FinishPythonModelTrainingRequest(
        model_id=model_id, trained=trained, error=error[:4000],
        failure=python_model_pb2.ModelCodeFailure.Value(f"MODEL_CODE_FAILURE_{failure}")
        if failure else 0,
        output_tail=output_tail[-4000:], training_sample_count=sample_count,
        sample_weighted=sample_weighted, artifact_size_bytes=artifact_size,
        reference_job_id=reference_job_id)
    try:
        return context.call(_catalog(context).FinishPythonModelTraining, request,
                            timeout=60).version
    except grpc.RpcError:
        if trained:
            raise
        return None


def _train(arguments: dict, context: JobContext) -> dict:
    from driftline.catalog.v1 import catalog_service_pb2 as pb, python_model_pb2 as models_pb
    from driftline_server.catalog import conversions as convert
    from driftline_server.catalog.python_models import environments, sandbox, training
    from driftline_server.catalog.python_models.definitions import limits_of, snapshot

    model_id = arguments["model_id"]
    outcome = {"model_id": model_id}
    started = context.call(_catalog(context).StartPythonModelTraining,
                           pb.StartPythonModelTrainingRequest(model_id=model_id), timeout=60)
    version = started.version
    if version.status == models_pb.PYTHON_MODEL_VERSION_STATUS_COMPLETE:  # a re-run
        return dict(outcome, status="COMPLETE",
                    training_sample_count=version.training_sample_count)
    if version.status == models_pb.PYTHON_MODEL_VERSION_STATUS_FAILED:
        raise JobFailure("PYTHON_MODEL_TRAINING_FAILED", version.error, outcome)
    kept = snapshot(convert.python_model_row_from_proto(started.definition))

    def failed(failure: str, message: str, tail: str = "", **counts) -> JobFailure:
        _finish(context, model_id, error=message, failure=failure, output_tail=tail, **counts)
        return JobFailure(f"PYTHON_MODEL_{failure}", message, dict(outcome, failure=failure))

    if kept["use_gpu"] and not training.gpu_available():
        raise failed("NO_GPU", "the model asks for a GPU (use_gpu) and this worker has none: "
                               "run a Dask worker on a machine with one, or set use_gpu false")
    context.report_progress(0.0, "reading the training data")
    data, weights = _training_data(context, started, kept)
    if data.num_rows == 0:
        raise failed("NO_DATA", "the training inputs hold no sample: widen their time ranges "
                                "or upload data first")
    counts = {"sample_count": data.num_rows, "sample_weighted": weights is not None}
    context.report_progress(0.2, "preparing the model's environment")
    try:
        environment = environments.environment_for(
            kept["package_requirements"], context.settings.data_dir / ENVIRONMENTS_FOLDER)
    except environments.EnvironmentBuildFailed as problem:
        raise failed("ENVIRONMENT", str(problem), problem.output, **counts) from None
    context.report_progress(0.3, f"training on {data.num_rows} samples")
    cancelled = []

    def should_stop() -> bool:
        try:
            context.check_cancelled()
        except JobCancelled:
            cancelled.append(True)
            return True
        return False

    trained = sandbox.train(
        kept["source_code"], kept["functions"]["train"], data, kept["training_config"], weights,
        limits_of(kept, "training"), python=environment.python, should_stop=should_stop)
    if cancelled:
        raise JobCancelled(context.job_id)
    if not trained.ok:
        raise failed(trained.kind, trained.message, trained.output_tail, **counts)
    context.report_progress(0.9, "storing the artifact")
    _store_artifact(arguments["storage"], started.artifact_path, trained.artifact)
    reference_job_id = ""
    if version.suggestion_id and started.set_reference:
        reference_job_id = _continue_the_loop(context, version)
    stored = _finish(context, model_id, trained=True, output_tail=trained.output_tail,
                     artifact_size=len(trained.artifact), reference_job_id=reference_job_id,
                     **counts)
    return dict(outcome, status=models_pb.PythonModelVersionStatus.Name(stored.status)
                .removeprefix("PYTHON_MODEL_VERSION_STATUS_"),
                training_sample_count=data.num_rows, sample_weighted=weights is not None,
                artifact_size_bytes=len(trained.artifact),
                **({"reference_job_id": reference_job_id} if reference_job_id else {}))


def _training_data(context: JobContext, started, kept: dict):
    """The table the train function receives, and its sample weights (None without)."""
    import pyarrow as pa

    from driftline_server.catalog.python_models import training
    from driftline_server.data.remote import read_samples
    from driftline_server.platform.clock import as_utc

    columns = json.loads(started.columns_json or "[]")
    names = training.training_columns(columns)
    task_id = started.definition.task_id
    version = started.version

    def iso(stamp) -> str | None:
        return as_utc(stamp.ToDatetime()).isoformat() if stamp.seconds or stamp.nanos else None

    if version.suggestion_id:  # a retraining: the reference samples the suggestion names
        from driftline.monitoring.v1 import monitoring_service_pb2 as mpb

        table = read_samples(context, task_id, names, iso(started.suggestion_from_time),
                             iso(started.suggestion_to_time))
        report = context.call(_monitoring(context).GetRetrainingReport,
                              mpb.GetRetrainingReportRequest(
                                  model_id=version.previous_version_id,
                                  report_id=version.suggestion_id, include_samples=True),
                              timeout=120).report
        return training.suggested_data(table, training.id_column(columns),
                                       list(report.suggestion.sample_ids),
                                       list(report.suggestion.weights) or None)
    tables = [read_samples(context, task_id, names, given["from_time"], given["to_time"],
                           kinds=(given["kind"],))
              for given in kept["training_inputs"]]
    return pa.concat_tables(tables, promote_options="permissive"), None


def _store_artifact(storage_root: str, path: str, artifact: bytes) -> None:
    """Written aside, then renamed: the final name only ever holds a whole artifact."""
    from driftline_server.data.storage import BatchStorage

    storage = BatchStorage(storage_root)
    partial = storage.partial(path)
    with storage.open_output(partial) as sink:
        sink.write(artifact)
    storage.move(partial, path)


def _continue_the_loop(context: JobContext, version) -> str:
    """A retrained version: Monitoring sets its reference from the suggestion's data (a job of
    its own, whose id is returned) and gives it the old version's retrain trigger."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as mpb

    monitoring = _monitoring(context)
    job_id = context.call(monitoring.SetModelReference, mpb.SetModelReferenceRequest(
        model_id=version.model_id, suggestion_id=version.suggestion_id,
        request_id="retrained-" + version.model_id), timeout=60).job_id
    try:
        trigger = context.call(monitoring.GetRetrainTrigger, mpb.GetRetrainTriggerRequest(
            model_id=version.previous_version_id), timeout=30).trigger
    except grpc.RpcError as error:
        if error.code() is not grpc.StatusCode.NOT_FOUND:
            raise
        return job_id
    context.call(monitoring.SetRetrainTrigger, mpb.SetRetrainTriggerRequest(
        model_id=version.model_id, trigger=trigger), timeout=30)
    return job_id
