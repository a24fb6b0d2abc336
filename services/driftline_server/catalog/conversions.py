"""Protobuf <-> catalog domain, in one place: enums by name, rows to messages, drafts from
requests and FieldMasks to changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from google.protobuf import duration_pb2, struct_pb2

from driftline.catalog.v1 import (
    catalog_service_pb2 as service_pb2,
    data_schema_pb2,
    kpi_pb2,
    model_pb2,
    project_pb2,
    task_pb2,
)
from driftline.catalog.v1 import (
    experiment_pb2,
    model_run_pb2,
    model_session_pb2,
    python_model_pb2,
)
from driftline.common.v1 import money_pb2
from driftline_server.catalog import domain
from driftline_server.catalog.models import (
    DataSchemaRow,
    ExperimentModelRow,
    ExperimentRow,
    IterationRow,
    KpiRow,
    ModelRow,
    ModuleRow,
    ProjectRow,
    PythonModelRow,
    TaskRow,
)
from driftline_server.catalog.model_runs import (
    UPDATABLE as UPDATABLE_RUN_FIELDS,
    ModelRunView,
    canonical,
)
from driftline_server.catalog.python_models import definitions
from driftline_server.catalog.python_models.definitions import (
    Definition,
    TrainingInput,
    VersionView,
)
from driftline_server.catalog import experiments, model_sessions as sessions
from driftline_server.catalog.experiments import ModuleDraft, Phase
from driftline_server.catalog.session_states import SessionState, Timeline
from driftline_server.catalog.vocabulary import (
    COST_FIELDS,
    ClassLabel,
    Column,
    ColumnRole,
    ColumnSubRole,
    CostInfo,
    CostKind,
    CpuSize,
    Currency,
    DataStructure,
    DataType,
    ModelCodeFailure,
    ModelDraft,
    ModelMetricName,
    StoragePolicy,
    SuggestionType,
    TaskDraft,
    PythonModelVersionStatus,
    TaskType,
    TextLanguage,
    TrainingDataKind,
)
from driftline_server.platform.clock import as_utc, time_from_proto, to_timestamp
from driftline_server.platform.enums import ProtoEnums
from driftline_server.platform.errors import InvalidArgument

# domain enum -> the generated enum whose values carry the "<ENUM>_" prefix.
_ENUMS = ProtoEnums({
    StoragePolicy: project_pb2.StoragePolicy,
    TaskType: task_pb2.TaskType,
    DataStructure: task_pb2.DataStructure,
    TextLanguage: task_pb2.TextLanguage,
    Currency: money_pb2.Currency,
    ModelMetricName: model_pb2.ModelMetricName,
    SuggestionType: model_pb2.SuggestionType,
    ColumnRole: data_schema_pb2.ColumnRole,
    ColumnSubRole: data_schema_pb2.ColumnSubRole,
    DataType: data_schema_pb2.DataType,
    CpuSize: python_model_pb2.CpuSize,
    TrainingDataKind: python_model_pb2.TrainingDataKind,
    PythonModelVersionStatus: python_model_pb2.PythonModelVersionStatus,
    ModelCodeFailure: python_model_pb2.ModelCodeFailure,
    # model sessions
    SessionState: model_session_pb2.ModelSessionState,
    sessions.SessionCategory: model_session_pb2.ModelSessionCategory,
    sessions.SessionView: model_session_pb2.ModelSessionView,
    sessions.BuildLogLevel: model_session_pb2.BuildLogLevel,
    sessions.BuiltModelType: model_session_pb2.BuiltModelType,
    sessions.SessionEventType: model_session_pb2.ModelSessionEventType,
    # experiments
    Phase: experiment_pb2.Phase,
})
enum_from_proto = _ENUMS.from_proto
enum_to_proto = _ENUMS.to_proto


# -- projects and KPIs ---------------------------------------------------------------------


def project_to_proto(row: ProjectRow) -> project_pb2.Project:
    return project_pb2.Project(
        id=row.id,
        company_id=row.company_id,
        name=row.name,
        description=row.description,
        default_storage_policy=enum_to_proto(StoragePolicy, row.default_storage_policy),
        data_storage_uri=row.data_storage_uri or "",
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )


def kpi_to_proto(row: KpiRow) -> kpi_pb2.Kpi:
    return kpi_pb2.Kpi(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )


def _mask_paths(update_mask, resource, allowed: tuple[str, ...], resource_name: str) -> list[str]:
    """The mask's paths; an empty mask means every allowed field set in the resource (AIP-134)."""
    paths = list(update_mask.paths)
    unknown = [path for path in paths if path not in allowed]
    if unknown:
        raise InvalidArgument.for_field(
            "update_mask",
            f"cannot update {', '.join(unknown)}; updatable fields of a {resource_name} are "
            f"{', '.join(allowed)}",
            "UNKNOWN_FIELD_MASK_PATH",
        )
    if not paths:
        paths = [field.name for field, _ in resource.ListFields() if field.name in allowed]
        if not paths:
            raise InvalidArgument.for_field(
                "update_mask", "name the fields to update", "UPDATE_MASK_REQUIRED"
            )
    return paths


def project_changes(request: service_pb2.UpdateProjectRequest) -> dict:
    project = request.project
    changes = {}
    for path in _mask_paths(request.update_mask, project, domain.PROJECT_UPDATABLE, "project"):
        if path == "default_storage_policy":
            changes[path] = enum_from_proto(
                StoragePolicy, project.default_storage_policy, "project.default_storage_policy"
            )
        else:
            changes[path] = getattr(project, path)
    return changes


# -- tasks ---------------------------------------------------------------------------------

_COST_ONEOF = {
    "regression": CostKind.REGRESSION,
    "binary_classification": CostKind.BINARY_CLASSIFICATION,
    "multiclass_classification": CostKind.MULTICLASS_CLASSIFICATION,
}
_COST_ONEOF_OF_KIND = {kind: name for name, kind in _COST_ONEOF.items()}


def cost_info_from_proto(message: task_pb2.TaskCostInfo) -> CostInfo | None:
    which = message.WhichOneof("cost_info")
    if which is None:
        return None
    kind = _COST_ONEOF[which]
    shape = getattr(message, which)
    currency = enum_from_proto(Currency, shape.currency, "task.cost_info.currency")
    return CostInfo(kind, currency, {name: getattr(shape, name) for name in COST_FIELDS[kind]})


def cost_info_to_proto(cost_info: CostInfo | None) -> task_pb2.TaskCostInfo | None:
    if cost_info is None:
        return None
    message = task_pb2.TaskCostInfo()
    shape = getattr(message, _COST_ONEOF_OF_KIND[cost_info.kind])
    shape.currency = enum_to_proto(Currency, cost_info.currency)
    for name in COST_FIELDS[cost_info.kind]:
        setattr(shape, name, cost_info.costs.get(name, ""))
    return message


def class_label_from_proto(message: task_pb2.ClassLabel) -> ClassLabel | None:
    which = message.WhichOneof("value")
    return None if which is None else ClassLabel(getattr(message, which))


def class_label_to_proto(label: ClassLabel | None) -> task_pb2.ClassLabel | None:
    if label is None:
        return None
    if isinstance(label.value, bool):
        return task_pb2.ClassLabel(bool_value=label.value)
    if isinstance(label.value, int):
        return task_pb2.ClassLabel(int_value=label.value)
    return task_pb2.ClassLabel(string_value=label.value)


def task_draft_from_proto(task: task_pb2.Task) -> TaskDraft:
    return TaskDraft(
        name=task.name,
        tags=list(task.tags),
        task_type=enum_from_proto(TaskType, task.task_type, "task.task_type"),
        data_structure=enum_from_proto(DataStructure, task.data_structure, "task.data_structure"),
        cost_info=cost_info_from_proto(task.cost_info),
        optional_target=task.optional_target,
        text_language=enum_from_proto(TextLanguage, task.text_language, "task.text_language"),
        positive_class=class_label_from_proto(task.positive_class),
        rag_contexts_separator=task.rag_contexts_separator or None,
    )


def task_to_proto(row: TaskRow) -> task_pb2.Task:
    return task_pb2.Task(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        tags=list(row.tags),
        task_type=enum_to_proto(TaskType, row.task_type),
        data_structure=enum_to_proto(DataStructure, row.data_structure),
        cost_info=cost_info_to_proto(domain.task_cost_info(row)),
        optional_target=row.optional_target,
        text_language=enum_to_proto(TextLanguage, row.text_language),
        positive_class=class_label_to_proto(domain.task_positive_class(row)),
        rag_contexts_separator=row.rag_contexts_separator or "",
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )


def task_changes(request: service_pb2.UpdateTaskRequest) -> dict:
    task = request.task
    changes: dict = {}
    for path in _mask_paths(request.update_mask, task, domain.TASK_UPDATABLE, "task"):
        if path == "cost_info":
            changes[path] = cost_info_from_proto(task.cost_info)
        elif path == "tags":
            changes[path] = list(task.tags)
        else:
            changes[path] = task.name
    return changes


# -- models --------------------------------------------------------------------------------


def model_draft_from_proto(model: model_pb2.Model) -> ModelDraft:
    return ModelDraft(
        name=model.name,
        version=model.version,
        metric_name=enum_from_proto(ModelMetricName, model.metric_name, "model.metric_name"),
        with_probabilistic_output=model.with_probabilistic_output,
        preferred_suggestion_type=enum_from_proto(
            SuggestionType, model.preferred_suggestion_type, "model.preferred_suggestion_type"
        ),
        resampled_dataset_size=model.resampled_dataset_size or None,
        retraining_cost_amount=model.retraining_cost.amount or "0",
        retraining_cost_currency=enum_from_proto(
            Currency, model.retraining_cost.currency, "model.retraining_cost.currency"
        ),
    )


def model_to_proto(row: ModelRow) -> model_pb2.Model:
    return model_pb2.Model(
        id=row.id,
        task_id=row.task_id,
        name=row.name,
        version=row.version,
        metric_name=enum_to_proto(ModelMetricName, row.metric_name),
        with_probabilistic_output=row.with_probabilistic_output,
        preferred_suggestion_type=enum_to_proto(SuggestionType, row.preferred_suggestion_type),
        resampled_dataset_size=row.resampled_dataset_size or 0,
        retraining_cost=money_pb2.Money(
            currency=enum_to_proto(Currency, row.retraining_cost_currency),
            amount=row.retraining_cost_amount,
        ),
        previous_version_id=row.previous_version_id or "",
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
        python_model_id=row.python_model_id or "",
    )


# -- data schemas --------------------------------------------------------------------------


def column_from_proto(message: data_schema_pb2.ColumnInfo, index: int) -> Column:
    path = f"data_schema.columns[{index}]"
    return Column(
        name=message.name,
        role=enum_from_proto(ColumnRole, message.role, f"{path}.role"),
        data_type=enum_from_proto(DataType, message.data_type, f"{path}.data_type"),
        nullable=message.nullable,
        sub_role=enum_from_proto(ColumnSubRole, message.sub_role, f"{path}.sub_role"),
        possible_values=list(message.possible_values),
        dims=list(message.dims),
        model_id=message.model_id,
        predicted_target=message.predicted_target,
        classes_names=list(message.classes_names),
    )


def columns_from_proto(schema: data_schema_pb2.DataSchema) -> list[Column]:
    return [column_from_proto(column, index) for index, column in enumerate(schema.columns)]


def column_to_proto(column: Column) -> data_schema_pb2.ColumnInfo:
    return data_schema_pb2.ColumnInfo(
        name=column.name,
        role=enum_to_proto(ColumnRole, column.role),
        sub_role=enum_to_proto(ColumnSubRole, column.sub_role),
        data_type=enum_to_proto(DataType, column.data_type),
        nullable=column.nullable,
        possible_values=column.possible_values,
        dims=column.dims,
        model_id=column.model_id,
        predicted_target=column.predicted_target,
        classes_names=column.classes_names,
    )


def data_schema_to_proto(row: DataSchemaRow) -> data_schema_pb2.DataSchema:
    return data_schema_pb2.DataSchema(
        task_id=row.task_id,
        version=row.version,
        columns=[column_to_proto(column) for column in domain.schema_columns(row)],
        create_time=to_timestamp(row.create_time),
    )


def template_to_proto(task_id: str, columns: list[Column]) -> data_schema_pb2.DataSchema:
    return data_schema_pb2.DataSchema(
        task_id=task_id, version=0, columns=[column_to_proto(column) for column in columns]
    )


# -- model runs ----------------------------------------------------------------------------


def struct_to_python(message, field: str, reason: str = "MODEL_RUN_INFO_INVALID_VALUE") -> dict:
    """A google.protobuf.Struct as a dict of plain JSON values (numbers as floats, checked and
    made canonical by the domain); INVALID_ARGUMENT for a Value with no kind set."""
    return {key: _value_to_python(value, f"{field}.{key}", reason)
            for key, value in message.fields.items()}


def _value_to_python(value, path: str, reason: str):
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_python(value.struct_value, path, reason)
    if kind == "list_value":
        return [_value_to_python(item, f"{path}[{index}]", reason)
                for index, item in enumerate(value.list_value.values)]
    if kind == "null_value":
        return None
    if kind is None:
        raise InvalidArgument.for_field(
            path, "a google.protobuf.Value with no kind set: use null_value for null", reason)
    return getattr(value, kind)


def python_to_struct(value: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(value)
    return message


def model_run_to_proto(run: ModelRunView) -> model_run_pb2.ModelRun:
    row = run.row
    message = model_run_pb2.ModelRun(
        id=row.id,
        project_id=row.project_id,
        model_name=row.model_name,
        model_ids=run.model_ids,
        creator_id=row.creator_id,
    )
    # Filled in place: a Struct passed to the constructor would be built, then copied.
    message.info.update(row.info)
    message.create_time.FromDatetime(as_utc(row.create_time))
    message.update_time.FromDatetime(as_utc(row.update_time))
    return message


def optional_struct(message, field_name: str, path: str, reason: str) -> dict | None:
    """A request's Struct field as a dict; None when it is unset."""
    if not message.HasField(field_name):
        return None
    return struct_to_python(getattr(message, field_name), path, reason)


def model_run_changes(request: service_pb2.UpdateModelRunRequest) -> dict:
    run = request.model_run
    changes: dict = {}
    for path in _mask_paths(request.update_mask, run, UPDATABLE_RUN_FIELDS, "model run"):
        if path == "info":
            changes[path] = optional_struct(run, "info", "model_run.info",
                                            "MODEL_RUN_INFO_INVALID_VALUE")
        else:
            changes[path] = run.model_name
    return changes



# -- Python models ---------------------------------------------------------------------------


def _training_input_from_proto(message: python_model_pb2.TrainingInput,
                               path: str) -> TrainingInput:
    return TrainingInput(
        kind=enum_from_proto(TrainingDataKind, message.kind, f"{path}.kind"),
        from_time=time_from_proto(message, "from_time"),
        to_time=time_from_proto(message, "to_time"))


def _training_input_to_proto(value: dict) -> python_model_pb2.TrainingInput:
    given = TrainingInput.from_json(value)
    return python_model_pb2.TrainingInput(
        kind=enum_to_proto(TrainingDataKind, given.kind),
        from_time=to_timestamp(given.from_time), to_time=to_timestamp(given.to_time))


def _training_config(message: python_model_pb2.PythonModel) -> dict | None:
    """The config as the train function gets it: integral numbers as ints (Struct numbers are
    doubles, and n_estimators=100.0 is refused by most libraries)."""
    if not message.HasField("training_config"):
        return None
    value = struct_to_python(message.training_config, "python_model.training_config",
                             "TRAINING_CONFIG_INVALID_VALUE")
    return canonical(value, "python_model.training_config", "TRAINING_CONFIG")


def _functions(message: python_model_pb2.PythonModel) -> dict[str, str]:
    return {role: getattr(message, name)
            for role, name in definitions.FUNCTION_FIELDS.items() if getattr(message, name)}


def python_definition_from_proto(message: python_model_pb2.PythonModel) -> Definition:
    return Definition(
        source_code=message.source_code, functions=_functions(message),
        training_inputs=[_training_input_from_proto(given, f"python_model.training_inputs[{i}]")
                         for i, given in enumerate(message.training_inputs)],
        cpu_size=enum_from_proto(CpuSize, message.cpu_size, "python_model.cpu_size"),
        memory_gb=message.memory_gb, package_requirements=list(message.package_requirements),
        use_gpu=message.use_gpu, is_thread_safe=message.is_thread_safe,
        training_config=_training_config(message),
        metric_name=enum_from_proto(ModelMetricName, message.metric_name,
                                    "python_model.metric_name"),
        with_probabilistic_output=message.with_probabilistic_output,
        training_timeout_seconds=message.training_timeout_seconds,
        prediction_timeout_seconds=message.prediction_timeout_seconds)


def python_model_to_proto(row: PythonModelRow) -> python_model_pb2.PythonModel:
    message = python_model_pb2.PythonModel(
        id=row.id or "", task_id=row.task_id, name=row.name, source_code=row.source_code,
        training_inputs=[_training_input_to_proto(given) for given in row.training_inputs],
        cpu_size=enum_to_proto(CpuSize, row.cpu_size), memory_gb=row.memory_gb,
        package_requirements=list(row.package_requirements), use_gpu=row.use_gpu,
        is_thread_safe=row.is_thread_safe,
        metric_name=enum_to_proto(ModelMetricName, row.metric_name),
        with_probabilistic_output=row.with_probabilistic_output,
        training_timeout_seconds=row.training_timeout_seconds,
        prediction_timeout_seconds=row.prediction_timeout_seconds,
        definition_version=row.definition_version or 0,
        latest_version_id=row.latest_version_id or "", creator_id=row.creator_id or "",
        create_time=to_timestamp(row.create_time), update_time=to_timestamp(row.update_time))
    for role, name in definitions.FUNCTION_FIELDS.items():
        setattr(message, name, row.functions.get(role, ""))
    message.training_config.update(row.training_config)
    return message


def python_model_row_from_proto(message: python_model_pb2.PythonModel) -> PythonModelRow:
    """A definition as a version kept it (StartPythonModelTraining's), as an unsaved row: the
    fields the job reads, with their stored values (defaults already filled in)."""
    return PythonModelRow(
        id=message.id, task_id=message.task_id, name=message.name,
        source_code=message.source_code, functions=_functions(message),
        training_inputs=[_training_input_from_proto(given, "definition").to_json()
                         for given in message.training_inputs],
        cpu_size=(enum_from_proto(CpuSize, message.cpu_size, "cpu_size") or CpuSize.SMALL).value,
        memory_gb=message.memory_gb, package_requirements=list(message.package_requirements),
        use_gpu=message.use_gpu, is_thread_safe=message.is_thread_safe,
        training_config=_training_config(message) or {},
        metric_name=enum_value_or_none(ModelMetricName, message.metric_name),
        with_probabilistic_output=message.with_probabilistic_output,
        training_timeout_seconds=message.training_timeout_seconds,
        prediction_timeout_seconds=message.prediction_timeout_seconds,
        definition_version=message.definition_version)


def enum_value_or_none(enum_type, value: int) -> str | None:
    found = enum_from_proto(enum_type, value, "value")
    return found.value if found is not None else None


def python_model_changes(request: service_pb2.UpdatePythonModelRequest) -> dict:
    """The mask's fields with their new values, as definitions.PythonModels.update takes them."""
    message = request.python_model
    whole = python_definition_from_proto(message)
    changes: dict = {}
    for path in _mask_paths(request.update_mask, message, definitions.UPDATABLE,
                            "Python model"):
        if path in definitions.FUNCTION_FIELDS.values():
            changes[path] = getattr(message, path)
        elif path == "training_config":
            changes[path] = whole.training_config or {}
        else:
            changes[path] = getattr(whole, path)
    return changes


def python_model_version_to_proto(view: VersionView) -> python_model_pb2.PythonModelVersion:
    row = view.row
    return python_model_pb2.PythonModelVersion(
        model_id=row.model_id, python_model_id=row.python_model_id, version=view.version,
        status=enum_to_proto(PythonModelVersionStatus, row.status), job_id=row.job_id or "",
        definition_version=row.definition_version, error=row.error,
        failure=enum_to_proto(ModelCodeFailure, row.failure), output_tail=row.output_tail,
        training_start_time=to_timestamp(row.training_start_time),
        training_complete_time=to_timestamp(row.training_complete_time),
        training_sample_count=row.training_sample_count, sample_weighted=row.sample_weighted,
        suggestion_id=row.suggestion_id or "",
        previous_version_id=row.previous_version_id or "",
        artifact_size_bytes=row.artifact_size_bytes,
        reference_job_id=row.reference_job_id or "", create_time=to_timestamp(row.create_time))


def sample_table(request: service_pb2.PredictRequest):
    """Predict's one sample as a one-row table (what predict receives is its row as a dict)."""
    import pyarrow as pa

    sample = canonical(struct_to_python(request.sample, "sample", "SAMPLE_INVALID_VALUE"),
                       "sample", "SAMPLE")
    if not sample:
        raise InvalidArgument.for_field("sample", "give the sample's columns and values",
                                        "SAMPLE_REQUIRED")
    try:
        return pa.Table.from_pylist([sample])
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise InvalidArgument.for_field("sample", f"cannot be read as a row: {error}",
                                        "SAMPLE_INVALID_VALUE") from None


def samples_table(request: service_pb2.PredictManyRequest):
    """PredictMany's samples: one Arrow IPC stream, at least one row."""
    import pyarrow as pa

    try:
        table = pa.ipc.open_stream(request.arrow_ipc).read_all()
    except (pa.ArrowInvalid, OSError) as error:
        raise InvalidArgument.for_field(
            "arrow_ipc", f"is not an Arrow IPC stream ({error}): write the samples with "
            "pyarrow.ipc.new_stream", "SAMPLES_NOT_READABLE") from None
    if table.num_rows == 0:
        raise InvalidArgument.for_field("arrow_ipc", "holds no sample: give at least one row",
                                        "SAMPLES_REQUIRED")
    return table


def predictions_to_proto(predictions: list) -> list[struct_pb2.Value]:
    values = struct_pb2.ListValue()
    values.extend(predictions)
    return list(values.values)


# -- model sessions and built models ---------------------------------------------------------


def _duration(seconds: float | None):
    if seconds is None:
        return None
    message = duration_pb2.Duration()
    message.FromTimedelta(timedelta(seconds=seconds))
    return message


def model_session_draft_from_proto(message: model_session_pb2.ModelSession) -> sessions.SessionDraft:
    return sessions.SessionDraft(
        name=message.name,
        dataset_id=message.dataset_id,
        category=enum_from_proto(sessions.SessionCategory, message.category,
                                 "model_session.category"),
        targets=list(message.targets),
        metadata=optional_struct(message, "metadata", "model_session.metadata",
                                 "METADATA_INVALID_VALUE"),
        state=enum_from_proto(SessionState, message.state, "model_session.state"),
        default_model_id=message.default_model_id,
    )


def model_session_to_proto(record: sessions.SessionRecord) -> model_session_pb2.ModelSession:
    row = record.row
    timeline = sessions.timeline_of(row)
    message = model_session_pb2.ModelSession(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        dataset_id=row.dataset_id,
        category=enum_to_proto(sessions.SessionCategory, row.category),
        targets=row.targets,
        state=enum_to_proto(SessionState, row.state),
        start_time=to_timestamp(timeline.start_time),
        end_time=to_timestamp(timeline.end_time),
        total_duration=_duration(timeline.total_seconds),
        default_model_id=row.default_model_id,
        model_count=record.model_count,
        registry=model_session_pb2.ModelSessionRegistry(
            build_logs=[build_log_entry_to_proto(entry) for entry in record.build_logs],
            build_log_count=row.build_log_count,
            metrics=record.metrics,
        ),
        creator_id=row.creator_id,
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )
    message.metadata.update(row.session_metadata)
    return message


def build_log_entry_to_proto(entry) -> model_session_pb2.BuildLogEntry:
    return model_session_pb2.BuildLogEntry(
        time=to_timestamp(entry.time),
        level=enum_to_proto(sessions.BuildLogLevel, entry.level),
        message=entry.message,
    )


def build_log_entries_from_proto(entries) -> list[sessions.LogEntryDraft]:
    return [
        sessions.LogEntryDraft(
            message=entry.message,
            level=enum_from_proto(sessions.BuildLogLevel, entry.level,
                                  f"build_logs[{index}].level"),
            time=time_from_proto(entry, "time"),
        )
        for index, entry in enumerate(entries)
    ]


def _built_changes(message, update_mask, allowed: tuple[str, ...], resource: str) -> dict:
    """A session's or built model's FieldMask as changes (metadata as a dict, state checked)."""
    changes: dict = {}
    for path in _mask_paths(update_mask, message, allowed, resource.replace("_", " ")):
        if path == "metadata":
            changes[path] = optional_struct(message, "metadata", f"{resource}.metadata",
                                            "METADATA_INVALID_VALUE")
        elif path == "state":
            changes[path] = enum_from_proto(SessionState, message.state, f"{resource}.state")
        else:
            changes[path] = getattr(message, path)
    return changes


def model_session_changes(request: service_pb2.UpdateModelSessionRequest) -> dict:
    return _built_changes(request.model_session, request.update_mask,
                          sessions.SESSION_UPDATABLE, "model_session")


def built_model_changes(request: service_pb2.UpdateBuiltModelRequest) -> dict:
    return _built_changes(request.built_model, request.update_mask, sessions.MODEL_UPDATABLE,
                          "built_model")


def list_states(request) -> list[SessionState]:
    """A List request's state filter."""
    return _ENUMS.many_from_proto(SessionState, request.states, "states")


def built_model_draft_from_proto(message: model_session_pb2.BuiltModel) -> sessions.BuiltModelDraft:
    return sessions.BuiltModelDraft(
        name=message.name,
        model_session_id=message.model_session_id,
        dataset_id=message.dataset_id,
        targets=list(message.targets),
        metadata=optional_struct(message, "metadata", "built_model.metadata",
                                 "METADATA_INVALID_VALUE"),
        state=enum_from_proto(SessionState, message.state, "built_model.state"),
        binary_key=message.binary_key,
    )


def built_model_to_proto(row) -> model_session_pb2.BuiltModel:
    timeline = sessions.timeline_of(row)
    message = model_session_pb2.BuiltModel(
        id=row.id,
        project_id=row.project_id,
        model_session_id=row.model_session_id or "",
        type=enum_to_proto(sessions.BuiltModelType, sessions.model_type(row)),
        name=row.name,
        dataset_id=row.dataset_id,
        targets=row.targets,
        state=enum_to_proto(SessionState, row.state),
        start_time=to_timestamp(timeline.start_time),
        end_time=to_timestamp(timeline.end_time),
        total_duration=_duration(timeline.total_seconds),
        binary_key=row.binary_key,
        creator_id=row.creator_id,
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )
    message.metadata.update(row.model_metadata)
    return message


def model_session_event_to_proto(event: sessions.SessionEvent) -> model_session_pb2.ModelSessionEvent:
    timeline = Timeline(event.state, event.start_time, event.end_time)
    return model_session_pb2.ModelSessionEvent(
        sequence=event.sequence,
        type=enum_to_proto(sessions.SessionEventType, event.event_type),
        model_session_id=event.model_session_id,
        project_id=event.project_id,
        state=enum_to_proto(SessionState, event.state),
        previous_state=enum_to_proto(SessionState, event.previous_state),
        start_time=to_timestamp(event.start_time),
        end_time=to_timestamp(event.end_time),
        total_duration=_duration(timeline.total_seconds),
        event_time=to_timestamp(event.event_time),
    )


def model_session_watch_response(event, response_type):
    """A WatchModelSession(s) response: the event, or a heartbeat, with the sequence to resume
    after."""
    if isinstance(event, sessions.Heartbeat):
        return response_type(heartbeat=True, sequence=event.sequence)
    return response_type(event=model_session_event_to_proto(event), sequence=event.sequence)



# -- experiments ---------------------------------------------------------------------------


def experiment_to_proto(row: ExperimentRow) -> experiment_pb2.Experiment:
    return experiment_pb2.Experiment(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        description=row.description,
        creator_id=row.creator_id,
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )


def experiment_changes(request: service_pb2.UpdateExperimentRequest) -> dict:
    experiment = request.experiment
    return {path: getattr(experiment, path) for path in _mask_paths(
        request.update_mask, experiment, experiments.EXPERIMENT_UPDATABLE, "experiment")}


def experiment_model_to_proto(row: ExperimentModelRow) -> experiment_pb2.ExperimentModel:
    return experiment_pb2.ExperimentModel(
        id=row.id,
        experiment_id=row.experiment_id,
        hash=row.hash,
        name=row.name,
        description=row.description,
        step=row.step,
        creator_id=row.creator_id,
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
    )


def experiment_model_changes(request: service_pb2.UpdateExperimentModelRequest) -> dict:
    """The mask's fields; an unset step clears it (None)."""
    model = request.experiment_model
    changes: dict = {}
    for path in _mask_paths(request.update_mask, model, experiments.MODEL_UPDATABLE,
                            "experiment model"):
        if path == "step":
            changes[path] = model.step if model.HasField("step") else None
        else:
            changes[path] = getattr(model, path)
    return changes


def iteration_to_proto(row: IterationRow) -> experiment_pb2.Iteration:
    return experiment_pb2.Iteration(
        id=row.id,
        model_id=row.model_id,
        epoch=row.epoch,
        phase=enum_to_proto(Phase, row.phase),
        start_time=to_timestamp(row.start_time),
        end_time=to_timestamp(row.end_time),
        create_time=to_timestamp(row.create_time),
    )


def iteration_from_proto(iteration: experiment_pb2.Iteration) -> dict:
    """The create arguments of an iteration: epoch, phase, start_time, end_time."""
    return {
        "epoch": iteration.epoch,
        "phase": enum_from_proto(Phase, iteration.phase, "iteration.phase"),
        "start_time": _time_field(iteration, "start_time", "iteration.start_time"),
        "end_time": _time_field(iteration, "end_time", "iteration.end_time"),
    }


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _time_field(message, field_name: str, path: str) -> datetime | None:
    """A Timestamp field as an aware UTC datetime (to the microsecond, as stored); None when
    unset. Three times faster than Timestamp.ToDatetime, which matters at 100 000 points."""
    if not message.HasField(field_name):
        return None
    stamp = getattr(message, field_name)
    if 0 <= stamp.nanos < 1_000_000_000:
        try:
            return _EPOCH + timedelta(seconds=stamp.seconds, microseconds=stamp.nanos // 1000)
        except OverflowError:
            pass
    raise InvalidArgument.for_field(
        path, "is not a valid timestamp (years 1 to 9999, nanos 0 to 999999999)",
        "INVALID_TIMESTAMP")


# Proto number -> Phase (None for unspecified), for the points' hot loop.
_PHASE_OF_NUMBER = {number: enum_from_proto(Phase, number, "phase")
                    for number in experiment_pb2.Phase.values()}


def metric_points_from_proto(points) -> list[experiments.PointDraft]:
    """A message's points as the domain takes them; INVALID_ARGUMENT for a phase the contract
    does not have or a time out of range, naming the point."""
    phases = _PHASE_OF_NUMBER
    drafts = []
    for index, point in enumerate(points):
        number = point.phase
        phase = (phases[number] if number in phases
                 else enum_from_proto(Phase, number, f"metric_points[{index}].phase"))
        drafts.append((
            point.model_id, point.name, point.value, phase,
            point.epoch if point.HasField("epoch") else None,
            point.step if point.HasField("step") else None,
            _time_field(point, "time", f"metric_points[{index}].time"),
        ))
    return drafts


def metric_point_to_proto(row) -> experiment_pb2.MetricPoint:
    """A stored point (a row of catalog_experiment_metrics)."""
    return experiment_pb2.MetricPoint(
        model_id=row.model_id,
        name=row.name,
        value=row.value,
        phase=enum_to_proto(Phase, row.phase),
        epoch=row.epoch,
        step=row.step,
        time=to_timestamp(row.time),
    )


def modules_from_proto(modules) -> list[ModuleDraft]:
    return [
        ModuleDraft(
            name=module.name,
            type=module.type,
            arguments=optional_struct(module, "arguments", f"modules[{index}].arguments",
                                      "MODULE_ARGUMENTS_INVALID_VALUE"),
            hash=module.hash,
        )
        for index, module in enumerate(modules)
    ]


def module_to_proto(row: ModuleRow) -> experiment_pb2.Module:
    message = experiment_pb2.Module(
        id=row.id,
        model_id=row.model_id,
        name=row.name,
        type=row.type,
        hash=row.hash,
        create_time=to_timestamp(row.create_time),
    )
    message.arguments.update(row.arguments)
    return message
