from driftline.catalog.v1 import data_schema_pb2 as _data_schema_pb2
from driftline.catalog.v1 import experiment_pb2 as _experiment_pb2
from driftline.catalog.v1 import kpi_pb2 as _kpi_pb2
from driftline.catalog.v1 import model_pb2 as _model_pb2
from driftline.catalog.v1 import model_run_pb2 as _model_run_pb2
from driftline.catalog.v1 import project_pb2 as _project_pb2
from driftline.catalog.v1 import task_pb2 as _task_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateProjectRequest(_message.Message):
    __slots__ = ("project", "request_id")
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    request_id: str
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateProjectResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ...) -> None: ...

class GetProjectRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class GetProjectResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ...) -> None: ...

class ListProjectsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "company_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    company_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., company_id: _Optional[str] = ...) -> None: ...

class ListProjectsResponse(_message.Message):
    __slots__ = ("projects", "next_page_token")
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[_project_pb2.Project]
    next_page_token: str
    def __init__(self, projects: _Optional[_Iterable[_Union[_project_pb2.Project, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateProjectRequest(_message.Message):
    __slots__ = ("project", "update_mask")
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateProjectResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ...) -> None: ...

class CreateTaskRequest(_message.Message):
    __slots__ = ("project_id", "task", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    task: _task_pb2.Task
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class GetTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("project_id", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ("tasks", "next_page_token")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    next_page_token: str
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateTaskRequest(_message.Message):
    __slots__ = ("task", "update_mask")
    TASK_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class CreateModelRequest(_message.Message):
    __slots__ = ("task_id", "model", "request_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    model: _model_pb2.Model
    request_id: str
    def __init__(self, task_id: _Optional[str] = ..., model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateModelResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _model_pb2.Model
    def __init__(self, model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ...) -> None: ...

class GetModelRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class GetModelResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _model_pb2.Model
    def __init__(self, model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ...) -> None: ...

class ListModelsRequest(_message.Message):
    __slots__ = ("task_id", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelsResponse(_message.Message):
    __slots__ = ("models", "next_page_token")
    MODELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    models: _containers.RepeatedCompositeFieldContainer[_model_pb2.Model]
    next_page_token: str
    def __init__(self, models: _Optional[_Iterable[_Union[_model_pb2.Model, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetModelByNameAndVersionRequest(_message.Message):
    __slots__ = ("task_id", "model_name", "model_version")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    model_name: str
    model_version: str
    def __init__(self, task_id: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[str] = ...) -> None: ...

class GetModelByNameAndVersionResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _model_pb2.Model
    def __init__(self, model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ...) -> None: ...

class UpdateModelVersionRequest(_message.Message):
    __slots__ = ("model_id", "new_model_version")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    new_model_version: str
    def __init__(self, model_id: _Optional[str] = ..., new_model_version: _Optional[str] = ...) -> None: ...

class UpdateModelVersionResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _model_pb2.Model
    def __init__(self, model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ...) -> None: ...

class SetModelSuggestionTypeRequest(_message.Message):
    __slots__ = ("model_id", "suggestion_type", "resampled_dataset_size")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESAMPLED_DATASET_SIZE_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    suggestion_type: _model_pb2.SuggestionType
    resampled_dataset_size: int
    def __init__(self, model_id: _Optional[str] = ..., suggestion_type: _Optional[_Union[_model_pb2.SuggestionType, str]] = ..., resampled_dataset_size: _Optional[int] = ...) -> None: ...

class SetModelSuggestionTypeResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _model_pb2.Model
    def __init__(self, model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ...) -> None: ...

class CreateDataSchemaRequest(_message.Message):
    __slots__ = ("task_id", "data_schema")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    data_schema: _data_schema_pb2.DataSchema
    def __init__(self, task_id: _Optional[str] = ..., data_schema: _Optional[_Union[_data_schema_pb2.DataSchema, _Mapping]] = ...) -> None: ...

class CreateDataSchemaResponse(_message.Message):
    __slots__ = ("data_schema",)
    DATA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    data_schema: _data_schema_pb2.DataSchema
    def __init__(self, data_schema: _Optional[_Union[_data_schema_pb2.DataSchema, _Mapping]] = ...) -> None: ...

class GetDataSchemaRequest(_message.Message):
    __slots__ = ("task_id", "version")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    version: int
    def __init__(self, task_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetDataSchemaResponse(_message.Message):
    __slots__ = ("data_schema",)
    DATA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    data_schema: _data_schema_pb2.DataSchema
    def __init__(self, data_schema: _Optional[_Union[_data_schema_pb2.DataSchema, _Mapping]] = ...) -> None: ...

class GetDataSchemaTemplateRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class GetDataSchemaTemplateResponse(_message.Message):
    __slots__ = ("data_schema",)
    DATA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    data_schema: _data_schema_pb2.DataSchema
    def __init__(self, data_schema: _Optional[_Union[_data_schema_pb2.DataSchema, _Mapping]] = ...) -> None: ...

class CreateKpiRequest(_message.Message):
    __slots__ = ("project_id", "kpi", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KPI_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    kpi: _kpi_pb2.Kpi
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., kpi: _Optional[_Union[_kpi_pb2.Kpi, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateKpiResponse(_message.Message):
    __slots__ = ("kpi",)
    KPI_FIELD_NUMBER: _ClassVar[int]
    kpi: _kpi_pb2.Kpi
    def __init__(self, kpi: _Optional[_Union[_kpi_pb2.Kpi, _Mapping]] = ...) -> None: ...

class GetKpiRequest(_message.Message):
    __slots__ = ("kpi_id",)
    KPI_ID_FIELD_NUMBER: _ClassVar[int]
    kpi_id: str
    def __init__(self, kpi_id: _Optional[str] = ...) -> None: ...

class GetKpiResponse(_message.Message):
    __slots__ = ("kpi",)
    KPI_FIELD_NUMBER: _ClassVar[int]
    kpi: _kpi_pb2.Kpi
    def __init__(self, kpi: _Optional[_Union[_kpi_pb2.Kpi, _Mapping]] = ...) -> None: ...

class ListKpisRequest(_message.Message):
    __slots__ = ("project_id", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListKpisResponse(_message.Message):
    __slots__ = ("kpis", "next_page_token")
    KPIS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    kpis: _containers.RepeatedCompositeFieldContainer[_kpi_pb2.Kpi]
    next_page_token: str
    def __init__(self, kpis: _Optional[_Iterable[_Union[_kpi_pb2.Kpi, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateModelRunRequest(_message.Message):
    __slots__ = ("project_id", "model_run", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    model_run: _model_run_pb2.ModelRun
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateModelRunResponse(_message.Message):
    __slots__ = ("model_run",)
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ...) -> None: ...

class BatchCreateModelRunsRequest(_message.Message):
    __slots__ = ("project_id", "model_runs", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_RUNS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    model_runs: _containers.RepeatedCompositeFieldContainer[_model_run_pb2.ModelRun]
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., model_runs: _Optional[_Iterable[_Union[_model_run_pb2.ModelRun, _Mapping]]] = ..., request_id: _Optional[str] = ...) -> None: ...

class BatchCreateModelRunsResponse(_message.Message):
    __slots__ = ("model_runs",)
    MODEL_RUNS_FIELD_NUMBER: _ClassVar[int]
    model_runs: _containers.RepeatedCompositeFieldContainer[_model_run_pb2.ModelRun]
    def __init__(self, model_runs: _Optional[_Iterable[_Union[_model_run_pb2.ModelRun, _Mapping]]] = ...) -> None: ...

class GetModelRunRequest(_message.Message):
    __slots__ = ("model_run_id",)
    MODEL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    model_run_id: str
    def __init__(self, model_run_id: _Optional[str] = ...) -> None: ...

class GetModelRunResponse(_message.Message):
    __slots__ = ("model_run",)
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ...) -> None: ...

class FindModelRunRequest(_message.Message):
    __slots__ = ("project_id", "info", "model_name")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    INFO_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    info: _struct_pb2.Struct
    model_name: str
    def __init__(self, project_id: _Optional[str] = ..., info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_name: _Optional[str] = ...) -> None: ...

class FindModelRunResponse(_message.Message):
    __slots__ = ("model_run",)
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ...) -> None: ...

class ListModelRunsRequest(_message.Message):
    __slots__ = ("project_id", "model_name", "model_id", "contains", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTAINS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    model_name: str
    model_id: str
    contains: _struct_pb2.Struct
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., model_name: _Optional[str] = ..., model_id: _Optional[str] = ..., contains: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelRunsResponse(_message.Message):
    __slots__ = ("model_runs", "next_page_token")
    MODEL_RUNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_runs: _containers.RepeatedCompositeFieldContainer[_model_run_pb2.ModelRun]
    next_page_token: str
    def __init__(self, model_runs: _Optional[_Iterable[_Union[_model_run_pb2.ModelRun, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateModelRunRequest(_message.Message):
    __slots__ = ("model_run", "update_mask")
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateModelRunResponse(_message.Message):
    __slots__ = ("model_run",)
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ...) -> None: ...

class DeleteModelRunRequest(_message.Message):
    __slots__ = ("model_run_id",)
    MODEL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    model_run_id: str
    def __init__(self, model_run_id: _Optional[str] = ...) -> None: ...

class DeleteModelRunResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AssociateModelRunRequest(_message.Message):
    __slots__ = ("model_run_id", "model_id")
    MODEL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_run_id: str
    model_id: str
    def __init__(self, model_run_id: _Optional[str] = ..., model_id: _Optional[str] = ...) -> None: ...

class AssociateModelRunResponse(_message.Message):
    __slots__ = ("model_run",)
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ...) -> None: ...

class UnassociateModelRunRequest(_message.Message):
    __slots__ = ("model_run_id", "model_id")
    MODEL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_run_id: str
    model_id: str
    def __init__(self, model_run_id: _Optional[str] = ..., model_id: _Optional[str] = ...) -> None: ...

class UnassociateModelRunResponse(_message.Message):
    __slots__ = ("model_run",)
    MODEL_RUN_FIELD_NUMBER: _ClassVar[int]
    model_run: _model_run_pb2.ModelRun
    def __init__(self, model_run: _Optional[_Union[_model_run_pb2.ModelRun, _Mapping]] = ...) -> None: ...

class CreateExperimentRequest(_message.Message):
    __slots__ = ("project_id", "experiment", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPERIMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    experiment: _experiment_pb2.Experiment
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., experiment: _Optional[_Union[_experiment_pb2.Experiment, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateExperimentResponse(_message.Message):
    __slots__ = ("experiment",)
    EXPERIMENT_FIELD_NUMBER: _ClassVar[int]
    experiment: _experiment_pb2.Experiment
    def __init__(self, experiment: _Optional[_Union[_experiment_pb2.Experiment, _Mapping]] = ...) -> None: ...

class GetExperimentRequest(_message.Message):
    __slots__ = ("experiment_id",)
    EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    experiment_id: str
    def __init__(self, experiment_id: _Optional[str] = ...) -> None: ...

class GetExperimentResponse(_message.Message):
    __slots__ = ("experiment",)
    EXPERIMENT_FIELD_NUMBER: _ClassVar[int]
    experiment: _experiment_pb2.Experiment
    def __init__(self, experiment: _Optional[_Union[_experiment_pb2.Experiment, _Mapping]] = ...) -> None: ...

class ListExperimentsRequest(_message.Message):
    __slots__ = ("project_id", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListExperimentsResponse(_message.Message):
    __slots__ = ("experiments", "next_page_token")
    EXPERIMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    experiments: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.Experiment]
    next_page_token: str
    def __init__(self, experiments: _Optional[_Iterable[_Union[_experiment_pb2.Experiment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateExperimentRequest(_message.Message):
    __slots__ = ("experiment", "update_mask")
    EXPERIMENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    experiment: _experiment_pb2.Experiment
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, experiment: _Optional[_Union[_experiment_pb2.Experiment, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateExperimentResponse(_message.Message):
    __slots__ = ("experiment",)
    EXPERIMENT_FIELD_NUMBER: _ClassVar[int]
    experiment: _experiment_pb2.Experiment
    def __init__(self, experiment: _Optional[_Union[_experiment_pb2.Experiment, _Mapping]] = ...) -> None: ...

class DeleteExperimentRequest(_message.Message):
    __slots__ = ("experiment_id",)
    EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    experiment_id: str
    def __init__(self, experiment_id: _Optional[str] = ...) -> None: ...

class DeleteExperimentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateExperimentModelRequest(_message.Message):
    __slots__ = ("experiment_id", "experiment_model", "request_id")
    EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPERIMENT_MODEL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    experiment_id: str
    experiment_model: _experiment_pb2.ExperimentModel
    request_id: str
    def __init__(self, experiment_id: _Optional[str] = ..., experiment_model: _Optional[_Union[_experiment_pb2.ExperimentModel, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateExperimentModelResponse(_message.Message):
    __slots__ = ("experiment_model",)
    EXPERIMENT_MODEL_FIELD_NUMBER: _ClassVar[int]
    experiment_model: _experiment_pb2.ExperimentModel
    def __init__(self, experiment_model: _Optional[_Union[_experiment_pb2.ExperimentModel, _Mapping]] = ...) -> None: ...

class GetExperimentModelRequest(_message.Message):
    __slots__ = ("experiment_model_id",)
    EXPERIMENT_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    experiment_model_id: str
    def __init__(self, experiment_model_id: _Optional[str] = ...) -> None: ...

class GetExperimentModelResponse(_message.Message):
    __slots__ = ("experiment_model",)
    EXPERIMENT_MODEL_FIELD_NUMBER: _ClassVar[int]
    experiment_model: _experiment_pb2.ExperimentModel
    def __init__(self, experiment_model: _Optional[_Union[_experiment_pb2.ExperimentModel, _Mapping]] = ...) -> None: ...

class GetExperimentModelByHashRequest(_message.Message):
    __slots__ = ("experiment_id", "hash")
    EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    experiment_id: str
    hash: str
    def __init__(self, experiment_id: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

class GetExperimentModelByHashResponse(_message.Message):
    __slots__ = ("experiment_model",)
    EXPERIMENT_MODEL_FIELD_NUMBER: _ClassVar[int]
    experiment_model: _experiment_pb2.ExperimentModel
    def __init__(self, experiment_model: _Optional[_Union[_experiment_pb2.ExperimentModel, _Mapping]] = ...) -> None: ...

class ListExperimentModelsRequest(_message.Message):
    __slots__ = ("experiment_id", "page_size", "page_token")
    EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    experiment_id: str
    page_size: int
    page_token: str
    def __init__(self, experiment_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListExperimentModelsResponse(_message.Message):
    __slots__ = ("experiment_models", "next_page_token")
    EXPERIMENT_MODELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    experiment_models: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.ExperimentModel]
    next_page_token: str
    def __init__(self, experiment_models: _Optional[_Iterable[_Union[_experiment_pb2.ExperimentModel, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateExperimentModelRequest(_message.Message):
    __slots__ = ("experiment_model", "update_mask")
    EXPERIMENT_MODEL_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    experiment_model: _experiment_pb2.ExperimentModel
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, experiment_model: _Optional[_Union[_experiment_pb2.ExperimentModel, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateExperimentModelResponse(_message.Message):
    __slots__ = ("experiment_model",)
    EXPERIMENT_MODEL_FIELD_NUMBER: _ClassVar[int]
    experiment_model: _experiment_pb2.ExperimentModel
    def __init__(self, experiment_model: _Optional[_Union[_experiment_pb2.ExperimentModel, _Mapping]] = ...) -> None: ...

class DeleteExperimentModelRequest(_message.Message):
    __slots__ = ("experiment_model_id",)
    EXPERIMENT_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    experiment_model_id: str
    def __init__(self, experiment_model_id: _Optional[str] = ...) -> None: ...

class DeleteExperimentModelResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateIterationRequest(_message.Message):
    __slots__ = ("model_id", "iteration", "request_id")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    iteration: _experiment_pb2.Iteration
    request_id: str
    def __init__(self, model_id: _Optional[str] = ..., iteration: _Optional[_Union[_experiment_pb2.Iteration, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateIterationResponse(_message.Message):
    __slots__ = ("iteration",)
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    iteration: _experiment_pb2.Iteration
    def __init__(self, iteration: _Optional[_Union[_experiment_pb2.Iteration, _Mapping]] = ...) -> None: ...

class ListIterationsRequest(_message.Message):
    __slots__ = ("model_id", "phase", "page_size", "page_token")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    phase: _experiment_pb2.Phase
    page_size: int
    page_token: str
    def __init__(self, model_id: _Optional[str] = ..., phase: _Optional[_Union[_experiment_pb2.Phase, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListIterationsResponse(_message.Message):
    __slots__ = ("iterations", "next_page_token")
    ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    iterations: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.Iteration]
    next_page_token: str
    def __init__(self, iterations: _Optional[_Iterable[_Union[_experiment_pb2.Iteration, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class LogMetricsRequest(_message.Message):
    __slots__ = ("metric_points",)
    METRIC_POINTS_FIELD_NUMBER: _ClassVar[int]
    metric_points: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.MetricPoint]
    def __init__(self, metric_points: _Optional[_Iterable[_Union[_experiment_pb2.MetricPoint, _Mapping]]] = ...) -> None: ...

class LogMetricsResponse(_message.Message):
    __slots__ = ("point_count", "message_count", "model_count")
    POINT_COUNT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    MODEL_COUNT_FIELD_NUMBER: _ClassVar[int]
    point_count: int
    message_count: int
    model_count: int
    def __init__(self, point_count: _Optional[int] = ..., message_count: _Optional[int] = ..., model_count: _Optional[int] = ...) -> None: ...

class AppendMetricsRequest(_message.Message):
    __slots__ = ("metric_points",)
    METRIC_POINTS_FIELD_NUMBER: _ClassVar[int]
    metric_points: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.MetricPoint]
    def __init__(self, metric_points: _Optional[_Iterable[_Union[_experiment_pb2.MetricPoint, _Mapping]]] = ...) -> None: ...

class AppendMetricsResponse(_message.Message):
    __slots__ = ("point_count",)
    POINT_COUNT_FIELD_NUMBER: _ClassVar[int]
    point_count: int
    def __init__(self, point_count: _Optional[int] = ...) -> None: ...

class ListMetricsRequest(_message.Message):
    __slots__ = ("model_id", "name", "phase", "page_size", "page_token")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    name: str
    phase: _experiment_pb2.Phase
    page_size: int
    page_token: str
    def __init__(self, model_id: _Optional[str] = ..., name: _Optional[str] = ..., phase: _Optional[_Union[_experiment_pb2.Phase, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMetricsResponse(_message.Message):
    __slots__ = ("metric_points", "next_page_token")
    METRIC_POINTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    metric_points: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.MetricPoint]
    next_page_token: str
    def __init__(self, metric_points: _Optional[_Iterable[_Union[_experiment_pb2.MetricPoint, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AddModulesRequest(_message.Message):
    __slots__ = ("model_id", "modules")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODULES_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    modules: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.Module]
    def __init__(self, model_id: _Optional[str] = ..., modules: _Optional[_Iterable[_Union[_experiment_pb2.Module, _Mapping]]] = ...) -> None: ...

class AddModulesResponse(_message.Message):
    __slots__ = ("modules",)
    MODULES_FIELD_NUMBER: _ClassVar[int]
    modules: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.Module]
    def __init__(self, modules: _Optional[_Iterable[_Union[_experiment_pb2.Module, _Mapping]]] = ...) -> None: ...

class ListModulesRequest(_message.Message):
    __slots__ = ("model_id", "page_size", "page_token")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    page_size: int
    page_token: str
    def __init__(self, model_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModulesResponse(_message.Message):
    __slots__ = ("modules", "next_page_token")
    MODULES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    modules: _containers.RepeatedCompositeFieldContainer[_experiment_pb2.Module]
    next_page_token: str
    def __init__(self, modules: _Optional[_Iterable[_Union[_experiment_pb2.Module, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
