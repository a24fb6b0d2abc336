import datetime

from driftline.catalog.v1 import data_schema_pb2 as _data_schema_pb2
from driftline.catalog.v1 import experiment_pb2 as _experiment_pb2
from driftline.catalog.v1 import kpi_pb2 as _kpi_pb2
from driftline.catalog.v1 import model_pb2 as _model_pb2
from driftline.catalog.v1 import model_run_pb2 as _model_run_pb2
from driftline.catalog.v1 import model_session_pb2 as _model_session_pb2
from driftline.catalog.v1 import project_pb2 as _project_pb2
from driftline.catalog.v1 import python_model_pb2 as _python_model_pb2
from driftline.catalog.v1 import task_pb2 as _task_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
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

class CreateModelSessionRequest(_message.Message):
    __slots__ = ("project_id", "model_session", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_SESSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    model_session: _model_session_pb2.ModelSession
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., model_session: _Optional[_Union[_model_session_pb2.ModelSession, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateModelSessionResponse(_message.Message):
    __slots__ = ("model_session",)
    MODEL_SESSION_FIELD_NUMBER: _ClassVar[int]
    model_session: _model_session_pb2.ModelSession
    def __init__(self, model_session: _Optional[_Union[_model_session_pb2.ModelSession, _Mapping]] = ...) -> None: ...

class GetModelSessionRequest(_message.Message):
    __slots__ = ("model_session_id", "view")
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    model_session_id: str
    view: _model_session_pb2.ModelSessionView
    def __init__(self, model_session_id: _Optional[str] = ..., view: _Optional[_Union[_model_session_pb2.ModelSessionView, str]] = ...) -> None: ...

class GetModelSessionResponse(_message.Message):
    __slots__ = ("model_session",)
    MODEL_SESSION_FIELD_NUMBER: _ClassVar[int]
    model_session: _model_session_pb2.ModelSession
    def __init__(self, model_session: _Optional[_Union[_model_session_pb2.ModelSession, _Mapping]] = ...) -> None: ...

class ListModelSessionsRequest(_message.Message):
    __slots__ = ("project_id", "states", "dataset_id", "category", "view", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    states: _containers.RepeatedScalarFieldContainer[_model_session_pb2.ModelSessionState]
    dataset_id: str
    category: _model_session_pb2.ModelSessionCategory
    view: _model_session_pb2.ModelSessionView
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., states: _Optional[_Iterable[_Union[_model_session_pb2.ModelSessionState, str]]] = ..., dataset_id: _Optional[str] = ..., category: _Optional[_Union[_model_session_pb2.ModelSessionCategory, str]] = ..., view: _Optional[_Union[_model_session_pb2.ModelSessionView, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelSessionsResponse(_message.Message):
    __slots__ = ("model_sessions", "next_page_token")
    MODEL_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    model_sessions: _containers.RepeatedCompositeFieldContainer[_model_session_pb2.ModelSession]
    next_page_token: str
    def __init__(self, model_sessions: _Optional[_Iterable[_Union[_model_session_pb2.ModelSession, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateModelSessionRequest(_message.Message):
    __slots__ = ("model_session", "update_mask")
    MODEL_SESSION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    model_session: _model_session_pb2.ModelSession
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, model_session: _Optional[_Union[_model_session_pb2.ModelSession, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateModelSessionResponse(_message.Message):
    __slots__ = ("model_session",)
    MODEL_SESSION_FIELD_NUMBER: _ClassVar[int]
    model_session: _model_session_pb2.ModelSession
    def __init__(self, model_session: _Optional[_Union[_model_session_pb2.ModelSession, _Mapping]] = ...) -> None: ...

class DeleteModelSessionRequest(_message.Message):
    __slots__ = ("model_session_id",)
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    model_session_id: str
    def __init__(self, model_session_id: _Optional[str] = ...) -> None: ...

class DeleteModelSessionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddModelSessionRegistryEntriesRequest(_message.Message):
    __slots__ = ("model_session_id", "build_logs", "metrics")
    class MetricsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    BUILD_LOGS_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    model_session_id: str
    build_logs: _containers.RepeatedCompositeFieldContainer[_model_session_pb2.BuildLogEntry]
    metrics: _containers.ScalarMap[str, float]
    def __init__(self, model_session_id: _Optional[str] = ..., build_logs: _Optional[_Iterable[_Union[_model_session_pb2.BuildLogEntry, _Mapping]]] = ..., metrics: _Optional[_Mapping[str, float]] = ...) -> None: ...

class AddModelSessionRegistryEntriesResponse(_message.Message):
    __slots__ = ("model_session",)
    MODEL_SESSION_FIELD_NUMBER: _ClassVar[int]
    model_session: _model_session_pb2.ModelSession
    def __init__(self, model_session: _Optional[_Union[_model_session_pb2.ModelSession, _Mapping]] = ...) -> None: ...

class WatchModelSessionRequest(_message.Message):
    __slots__ = ("model_session_id", "after_sequence", "heartbeat_interval")
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    model_session_id: str
    after_sequence: int
    heartbeat_interval: _duration_pb2.Duration
    def __init__(self, model_session_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., heartbeat_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WatchModelSessionResponse(_message.Message):
    __slots__ = ("event", "heartbeat", "sequence")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    event: _model_session_pb2.ModelSessionEvent
    heartbeat: bool
    sequence: int
    def __init__(self, event: _Optional[_Union[_model_session_pb2.ModelSessionEvent, _Mapping]] = ..., heartbeat: _Optional[bool] = ..., sequence: _Optional[int] = ...) -> None: ...

class WatchModelSessionsRequest(_message.Message):
    __slots__ = ("project_id", "after_sequence", "heartbeat_interval")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    after_sequence: int
    heartbeat_interval: _duration_pb2.Duration
    def __init__(self, project_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., heartbeat_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WatchModelSessionsResponse(_message.Message):
    __slots__ = ("event", "heartbeat", "sequence")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    event: _model_session_pb2.ModelSessionEvent
    heartbeat: bool
    sequence: int
    def __init__(self, event: _Optional[_Union[_model_session_pb2.ModelSessionEvent, _Mapping]] = ..., heartbeat: _Optional[bool] = ..., sequence: _Optional[int] = ...) -> None: ...

class CreateBuiltModelRequest(_message.Message):
    __slots__ = ("project_id", "built_model", "request_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    BUILT_MODEL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    built_model: _model_session_pb2.BuiltModel
    request_id: str
    def __init__(self, project_id: _Optional[str] = ..., built_model: _Optional[_Union[_model_session_pb2.BuiltModel, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateBuiltModelResponse(_message.Message):
    __slots__ = ("built_model",)
    BUILT_MODEL_FIELD_NUMBER: _ClassVar[int]
    built_model: _model_session_pb2.BuiltModel
    def __init__(self, built_model: _Optional[_Union[_model_session_pb2.BuiltModel, _Mapping]] = ...) -> None: ...

class GetBuiltModelRequest(_message.Message):
    __slots__ = ("built_model_id",)
    BUILT_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    built_model_id: str
    def __init__(self, built_model_id: _Optional[str] = ...) -> None: ...

class GetBuiltModelResponse(_message.Message):
    __slots__ = ("built_model",)
    BUILT_MODEL_FIELD_NUMBER: _ClassVar[int]
    built_model: _model_session_pb2.BuiltModel
    def __init__(self, built_model: _Optional[_Union[_model_session_pb2.BuiltModel, _Mapping]] = ...) -> None: ...

class ListBuiltModelsRequest(_message.Message):
    __slots__ = ("project_id", "model_session_id", "detached_only", "states", "dataset_id", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DETACHED_ONLY_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    model_session_id: str
    detached_only: bool
    states: _containers.RepeatedScalarFieldContainer[_model_session_pb2.ModelSessionState]
    dataset_id: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., model_session_id: _Optional[str] = ..., detached_only: _Optional[bool] = ..., states: _Optional[_Iterable[_Union[_model_session_pb2.ModelSessionState, str]]] = ..., dataset_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBuiltModelsResponse(_message.Message):
    __slots__ = ("built_models", "next_page_token")
    BUILT_MODELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    built_models: _containers.RepeatedCompositeFieldContainer[_model_session_pb2.BuiltModel]
    next_page_token: str
    def __init__(self, built_models: _Optional[_Iterable[_Union[_model_session_pb2.BuiltModel, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateBuiltModelRequest(_message.Message):
    __slots__ = ("built_model", "update_mask")
    BUILT_MODEL_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    built_model: _model_session_pb2.BuiltModel
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, built_model: _Optional[_Union[_model_session_pb2.BuiltModel, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateBuiltModelResponse(_message.Message):
    __slots__ = ("built_model",)
    BUILT_MODEL_FIELD_NUMBER: _ClassVar[int]
    built_model: _model_session_pb2.BuiltModel
    def __init__(self, built_model: _Optional[_Union[_model_session_pb2.BuiltModel, _Mapping]] = ...) -> None: ...

class DeleteBuiltModelRequest(_message.Message):
    __slots__ = ("built_model_id",)
    BUILT_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    built_model_id: str
    def __init__(self, built_model_id: _Optional[str] = ...) -> None: ...

class DeleteBuiltModelResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreatePythonModelRequest(_message.Message):
    __slots__ = ("task_id", "python_model", "request_id")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PYTHON_MODEL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    python_model: _python_model_pb2.PythonModel
    request_id: str
    def __init__(self, task_id: _Optional[str] = ..., python_model: _Optional[_Union[_python_model_pb2.PythonModel, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreatePythonModelResponse(_message.Message):
    __slots__ = ("python_model",)
    PYTHON_MODEL_FIELD_NUMBER: _ClassVar[int]
    python_model: _python_model_pb2.PythonModel
    def __init__(self, python_model: _Optional[_Union[_python_model_pb2.PythonModel, _Mapping]] = ...) -> None: ...

class GetPythonModelRequest(_message.Message):
    __slots__ = ("python_model_id",)
    PYTHON_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    python_model_id: str
    def __init__(self, python_model_id: _Optional[str] = ...) -> None: ...

class GetPythonModelResponse(_message.Message):
    __slots__ = ("python_model",)
    PYTHON_MODEL_FIELD_NUMBER: _ClassVar[int]
    python_model: _python_model_pb2.PythonModel
    def __init__(self, python_model: _Optional[_Union[_python_model_pb2.PythonModel, _Mapping]] = ...) -> None: ...

class ListPythonModelsRequest(_message.Message):
    __slots__ = ("task_id", "page_size", "page_token")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    page_size: int
    page_token: str
    def __init__(self, task_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPythonModelsResponse(_message.Message):
    __slots__ = ("python_models", "next_page_token")
    PYTHON_MODELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    python_models: _containers.RepeatedCompositeFieldContainer[_python_model_pb2.PythonModel]
    next_page_token: str
    def __init__(self, python_models: _Optional[_Iterable[_Union[_python_model_pb2.PythonModel, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdatePythonModelRequest(_message.Message):
    __slots__ = ("python_model", "update_mask")
    PYTHON_MODEL_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    python_model: _python_model_pb2.PythonModel
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, python_model: _Optional[_Union[_python_model_pb2.PythonModel, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdatePythonModelResponse(_message.Message):
    __slots__ = ("python_model",)
    PYTHON_MODEL_FIELD_NUMBER: _ClassVar[int]
    python_model: _python_model_pb2.PythonModel
    def __init__(self, python_model: _Optional[_Union[_python_model_pb2.PythonModel, _Mapping]] = ...) -> None: ...

class TrainPythonModelRequest(_message.Message):
    __slots__ = ("python_model_id", "version", "request_id")
    PYTHON_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    python_model_id: str
    version: str
    request_id: str
    def __init__(self, python_model_id: _Optional[str] = ..., version: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class TrainPythonModelResponse(_message.Message):
    __slots__ = ("version", "model")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    version: _python_model_pb2.PythonModelVersion
    model: _model_pb2.Model
    def __init__(self, version: _Optional[_Union[_python_model_pb2.PythonModelVersion, _Mapping]] = ..., model: _Optional[_Union[_model_pb2.Model, _Mapping]] = ...) -> None: ...

class GetPythonModelVersionRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class GetPythonModelVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: _python_model_pb2.PythonModelVersion
    def __init__(self, version: _Optional[_Union[_python_model_pb2.PythonModelVersion, _Mapping]] = ...) -> None: ...

class ListPythonModelVersionsRequest(_message.Message):
    __slots__ = ("python_model_id", "page_size", "page_token")
    PYTHON_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    python_model_id: str
    page_size: int
    page_token: str
    def __init__(self, python_model_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPythonModelVersionsResponse(_message.Message):
    __slots__ = ("versions", "next_page_token")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[_python_model_pb2.PythonModelVersion]
    next_page_token: str
    def __init__(self, versions: _Optional[_Iterable[_Union[_python_model_pb2.PythonModelVersion, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PredictRequest(_message.Message):
    __slots__ = ("model_id", "sample")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    sample: _struct_pb2.Struct
    def __init__(self, model_id: _Optional[str] = ..., sample: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class PredictResponse(_message.Message):
    __slots__ = ("prediction",)
    PREDICTION_FIELD_NUMBER: _ClassVar[int]
    prediction: _struct_pb2.Value
    def __init__(self, prediction: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class PredictManyRequest(_message.Message):
    __slots__ = ("model_id", "arrow_ipc")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    arrow_ipc: bytes
    def __init__(self, model_id: _Optional[str] = ..., arrow_ipc: _Optional[bytes] = ...) -> None: ...

class PredictManyResponse(_message.Message):
    __slots__ = ("predictions",)
    PREDICTIONS_FIELD_NUMBER: _ClassVar[int]
    predictions: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Value]
    def __init__(self, predictions: _Optional[_Iterable[_Union[_struct_pb2.Value, _Mapping]]] = ...) -> None: ...

class StartPythonModelTrainingRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class StartPythonModelTrainingResponse(_message.Message):
    __slots__ = ("version", "definition", "columns_json", "suggestion_from_time", "suggestion_to_time", "artifact_path", "set_reference")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_JSON_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_TO_TIME_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_PATH_FIELD_NUMBER: _ClassVar[int]
    SET_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    version: _python_model_pb2.PythonModelVersion
    definition: _python_model_pb2.PythonModel
    columns_json: str
    suggestion_from_time: _timestamp_pb2.Timestamp
    suggestion_to_time: _timestamp_pb2.Timestamp
    artifact_path: str
    set_reference: bool
    def __init__(self, version: _Optional[_Union[_python_model_pb2.PythonModelVersion, _Mapping]] = ..., definition: _Optional[_Union[_python_model_pb2.PythonModel, _Mapping]] = ..., columns_json: _Optional[str] = ..., suggestion_from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., suggestion_to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., artifact_path: _Optional[str] = ..., set_reference: _Optional[bool] = ...) -> None: ...

class FinishPythonModelTrainingRequest(_message.Message):
    __slots__ = ("model_id", "trained", "error", "failure", "output_tail", "training_sample_count", "sample_weighted", "artifact_size_bytes", "reference_job_id")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TRAINED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TAIL_FIELD_NUMBER: _ClassVar[int]
    TRAINING_SAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_WEIGHTED_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    trained: bool
    error: str
    failure: _python_model_pb2.ModelCodeFailure
    output_tail: str
    training_sample_count: int
    sample_weighted: bool
    artifact_size_bytes: int
    reference_job_id: str
    def __init__(self, model_id: _Optional[str] = ..., trained: _Optional[bool] = ..., error: _Optional[str] = ..., failure: _Optional[_Union[_python_model_pb2.ModelCodeFailure, str]] = ..., output_tail: _Optional[str] = ..., training_sample_count: _Optional[int] = ..., sample_weighted: _Optional[bool] = ..., artifact_size_bytes: _Optional[int] = ..., reference_job_id: _Optional[str] = ...) -> None: ...

class FinishPythonModelTrainingResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: _python_model_pb2.PythonModelVersion
    def __init__(self, version: _Optional[_Union[_python_model_pb2.PythonModelVersion, _Mapping]] = ...) -> None: ...

class RetrainPythonModelRequest(_message.Message):
    __slots__ = ("model_id", "report_id", "reference_from_time", "reference_to_time", "set_reference")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_TO_TIME_FIELD_NUMBER: _ClassVar[int]
    SET_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    report_id: str
    reference_from_time: _timestamp_pb2.Timestamp
    reference_to_time: _timestamp_pb2.Timestamp
    set_reference: bool
    def __init__(self, model_id: _Optional[str] = ..., report_id: _Optional[str] = ..., reference_from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reference_to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., set_reference: _Optional[bool] = ...) -> None: ...

class RetrainPythonModelResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: _python_model_pb2.PythonModelVersion
    def __init__(self, version: _Optional[_Union[_python_model_pb2.PythonModelVersion, _Mapping]] = ...) -> None: ...

class GetResourceNamesRequest(_message.Message):
    __slots__ = ("project_ids", "task_ids", "model_ids")
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    TASK_IDS_FIELD_NUMBER: _ClassVar[int]
    MODEL_IDS_FIELD_NUMBER: _ClassVar[int]
    project_ids: _containers.RepeatedScalarFieldContainer[str]
    task_ids: _containers.RepeatedScalarFieldContainer[str]
    model_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_ids: _Optional[_Iterable[str]] = ..., task_ids: _Optional[_Iterable[str]] = ..., model_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetResourceNamesResponse(_message.Message):
    __slots__ = ("project_names", "task_names", "model_names")
    class ProjectNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class TaskNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ModelNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROJECT_NAMES_FIELD_NUMBER: _ClassVar[int]
    TASK_NAMES_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAMES_FIELD_NUMBER: _ClassVar[int]
    project_names: _containers.ScalarMap[str, str]
    task_names: _containers.ScalarMap[str, str]
    model_names: _containers.ScalarMap[str, str]
    def __init__(self, project_names: _Optional[_Mapping[str, str]] = ..., task_names: _Optional[_Mapping[str, str]] = ..., model_names: _Optional[_Mapping[str, str]] = ...) -> None: ...

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
