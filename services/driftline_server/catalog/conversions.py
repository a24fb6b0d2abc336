"""Protobuf <-> catalog domain, in one place: enums by name, rows to messages, drafts from
requests and FieldMasks to changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from google.protobuf import struct_pb2

from driftline.catalog.v1 import (
    catalog_service_pb2 as service_pb2,
    data_schema_pb2,
    kpi_pb2,
    model_pb2,
    project_pb2,
    task_pb2,
)
from driftline.catalog.v1 import model_run_pb2
from driftline.catalog.v1 import experiment_pb2
from driftline.common.v1 import money_pb2
from driftline_server.catalog import domain
from driftline_server.catalog.models import DataSchemaRow, KpiRow, ModelRow, ProjectRow, TaskRow
from driftline_server.catalog.model_runs import UPDATABLE as UPDATABLE_RUN_FIELDS, ModelRunView
from driftline_server.catalog import experiments
from driftline_server.catalog.experiments import ModuleDraft, Phase
from driftline_server.catalog.models import ExperimentModelRow, ExperimentRow, IterationRow, ModuleRow
from driftline_server.catalog.vocabulary import (
    COST_FIELDS,
    ClassLabel,
    Column,
    ColumnRole,
    ColumnSubRole,
    CostInfo,
    CostKind,
    Currency,
    DataStructure,
    DataType,
    ModelDraft,
    ModelMetricName,
    StoragePolicy,
    SuggestionType,
    TaskDraft,
    TaskType,
    TextLanguage,
)
from driftline_server.platform.clock import as_utc, to_timestamp
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
