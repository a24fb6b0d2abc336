"""CatalogService as other services see it: its projects, read over gRPC with the internal
credential (the way identity/remote.py serves API-key checks)."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from driftline.catalog.v1 import catalog_service_pb2, catalog_service_pb2_grpc
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unavailable, not_found

_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ProjectInfo:
    """What other services need to know of a Catalog project."""

    id: str
    company_id: str
    name: str
    description: str = ""
    # StoragePolicy value: "DRIFTLINE" (the server's storage) or "CUSTOMER" (the project's own
    # bucket, data_storage_uri, reached with the project's integration credentials).
    default_storage_policy: str = "DRIFTLINE"
    data_storage_uri: str = ""

    @property
    def customer_storage(self) -> bool:
        """Whether the project's batches go to its own storage rather than the server's."""
        return self.default_storage_policy == "CUSTOMER"


@dataclass(frozen=True)
class ResourceNames:
    """Id -> name of projects, tasks and models; an id that does not exist is absent."""

    projects: dict[str, str]
    tasks: dict[str, str]
    models: dict[str, str]


def _project_info(project) -> ProjectInfo:
    from driftline.catalog.v1 import project_pb2

    # Catalog never stores UNSPECIFIED (it means DRIFTLINE); a value unknown to this build too.
    names = project_pb2.StoragePolicy.DESCRIPTOR.values_by_number
    value = names.get(project.default_storage_policy)
    policy = value.name.removeprefix("STORAGE_POLICY_") if value else "DRIFTLINE"
    return ProjectInfo(
        project.id, project.company_id, project.name, project.description,
        default_storage_policy="DRIFTLINE" if policy == "UNSPECIFIED" else policy,
        data_storage_uri=project.data_storage_uri,
    )


class CatalogProjects:
    """Projects through CatalogService.GetProject / ListProjects."""

    def __init__(self, channels: ServiceChannels):
        self._channels = channels

    def _stub(self) -> catalog_service_pb2_grpc.CatalogServiceStub:
        return catalog_service_pb2_grpc.CatalogServiceStub(self._channels.channel("catalog"))

    async def _call(self, method: str, request):
        """A unary call with the internal credential; None when the resource does not exist
        (NOT_FOUND, or an id Catalog refuses); UNAVAILABLE for anything else."""
        try:
            return await getattr(self._stub(), method)(
                request, metadata=self._channels.metadata(), timeout=_TIMEOUT_SECONDS
            )
        except grpc.aio.AioRpcError as error:
            if error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                return None
            raise _unavailable(error) from None

    async def get_project(self, project_id: str) -> ProjectInfo | None:
        """The project, or None when it does not exist."""
        response = await self._call(
            "GetProject", catalog_service_pb2.GetProjectRequest(project_id=project_id))
        return _project_info(response.project) if response is not None else None

    async def project_company(self, project_id: str) -> str:
        """The id of the company owning the project; NOT_FOUND when there is none."""
        project = await self.get_project(project_id)
        if project is None:
            raise not_found("project", project_id)
        return project.company_id

    async def resource_names(self, project_ids: set[str], task_ids: set[str],
                             model_ids: set[str]) -> ResourceNames:
        """The names of the projects, tasks and models among the ids (at most 1000 of each)
        that exist, in one call."""
        if not (project_ids or task_ids or model_ids):
            return ResourceNames({}, {}, {})
        response = await self._call("GetResourceNames", catalog_service_pb2.GetResourceNamesRequest(
            project_ids=sorted(project_ids), task_ids=sorted(task_ids),
            model_ids=sorted(model_ids)))
        if response is None:
            return ResourceNames({}, {}, {})
        return ResourceNames(dict(response.project_names), dict(response.task_names),
                             dict(response.model_names))

    async def list_company_projects(self, company_id: str) -> list[ProjectInfo]:
        projects: list[ProjectInfo] = []
        token = ""
        while True:
            try:
                response = await self._stub().ListProjects(
                    catalog_service_pb2.ListProjectsRequest(
                        page_size=1000, page_token=token, company_id=company_id
                    ),
                    metadata=self._channels.metadata(),
                    timeout=_TIMEOUT_SECONDS,
                )
            except grpc.aio.AioRpcError as error:
                raise _unavailable(error) from None
            projects += [
                _project_info(p)
                for p in response.projects
                if p.company_id == company_id
            ]
            token = response.next_page_token
            if not token:
                return projects


def _unavailable(error: grpc.aio.AioRpcError) -> Unavailable:
    return Unavailable(
        reason="CATALOG_UNAVAILABLE",
        message=f"CatalogService could not answer ({error.code().name}): retry later",
    )


@dataclass(frozen=True)
class TaskInfo:
    """What other services need to know of a Catalog task (none of it ever changes)."""

    id: str
    project_id: str
    company_id: str
    task_type: str  # TaskType value, e.g. "REGRESSION"
    data_structure: str = ""  # DataStructure value, e.g. "TEXT"
    text_language: str = ""  # TextLanguage value of a text task, e.g. "ITALIAN"
    rag_contexts_separator: str = ""  # a RAG task's separator between retrieved contexts


@dataclass(frozen=True)
class SchemaInfo:
    """A task's data schema: its version and its columns as ``Column.to_json`` writes them."""

    version: int
    columns: list[dict]


class CatalogTasks(CatalogProjects):
    """Tasks, their schemas and models, and KPIs, through CatalogService."""

    _CACHE_LIMIT = 10_000

    def __init__(self, channels: ServiceChannels):
        super().__init__(channels)
        self._tasks: dict[str, TaskInfo] = {}

    async def get_task(self, task_id: str) -> TaskInfo | None:
        """The task, or None when it does not exist."""
        if task_id in self._tasks:
            return self._tasks[task_id]
        from driftline_server.catalog.conversions import enum_from_proto
        from driftline_server.catalog.vocabulary import DataStructure, TaskType, TextLanguage

        response = await self._call("GetTask", catalog_service_pb2.GetTaskRequest(task_id=task_id))
        if response is None:
            return None
        project = await self.get_project(response.task.project_id)
        if project is None:
            return None
        task = response.task
        language = (enum_from_proto(TextLanguage, task.text_language, "text_language")
                    if task.text_language else None)
        info = TaskInfo(task_id, project.id, project.company_id,
                        enum_from_proto(TaskType, task.task_type, "task_type").value,
                        enum_from_proto(DataStructure, task.data_structure,
                                        "data_structure").value,
                        language.value if language else "", task.rag_contexts_separator)
        if len(self._tasks) >= self._CACHE_LIMIT:
            self._tasks.clear()
        self._tasks[task_id] = info
        return info

    async def get_data_schema(self, task_id: str) -> SchemaInfo | None:
        """The task's current data schema, or None when it has none."""
        from driftline_server.catalog.conversions import columns_from_proto

        response = await self._call(
            "GetDataSchema", catalog_service_pb2.GetDataSchemaRequest(task_id=task_id)
        )
        if response is None:
            return None
        schema = response.data_schema
        return SchemaInfo(schema.version,
                          [column.to_json() for column in columns_from_proto(schema)])

    async def task_model_ids(self, task_id: str) -> set[str]:
        """The ids of every model version of the task."""
        ids: set[str] = set()
        token = ""
        while True:
            response = await self._call("ListModels", catalog_service_pb2.ListModelsRequest(
                task_id=task_id, page_size=1000, page_token=token))
            if response is None:
                return ids
            ids.update(model.id for model in response.models)
            token = response.next_page_token
            if not token:
                return ids

    async def kpi_project(self, kpi_id: str) -> str | None:
        """The project of the KPI, or None when it does not exist."""
        response = await self._call("GetKpi", catalog_service_pb2.GetKpiRequest(kpi_id=kpi_id))
        return response.kpi.project_id if response is not None else None


@dataclass(frozen=True)
class ModelInfo:
    """What other services need to know of a Catalog model version."""

    id: str
    task_id: str
    name: str
    version: str
    with_probabilistic_output: bool = False
    metric_name: str = ""  # ModelMetricName without prefix, e.g. "ACCURACY"
    preferred_suggestion_type: str = ""  # SuggestionType without prefix
    resampled_dataset_size: int = 0
    retraining_cost: float = 0.0  # in the task's currency
    python_model_id: str = ""  # the Python model it was trained from; "" for other models


class CatalogModels(CatalogTasks):
    """Model versions too, through CatalogService.GetModel (for MonitoringService)."""

    async def get_model(self, model_id: str) -> ModelInfo | None:
        """The model version, or None when it does not exist."""
        response = await self._call("GetModel",
                                    catalog_service_pb2.GetModelRequest(model_id=model_id))
        return _model_info(response.model) if response is not None else None

    async def get_model_version(self, task_id: str, name: str, version: str
                                ) -> ModelInfo | None:
        """The version named ``version`` of the task's model ``name``, or None."""
        response = await self._call(
            "GetModelByNameAndVersion", catalog_service_pb2.GetModelByNameAndVersionRequest(
                task_id=task_id, model_name=name, model_version=version))
        return _model_info(response.model) if response is not None else None


def _model_info(model) -> ModelInfo:
    from driftline.catalog.v1 import model_pb2

    return ModelInfo(model.id, model.task_id, model.name, model.version,
                     model.with_probabilistic_output,
                     model_pb2.ModelMetricName.Name(model.metric_name).removeprefix(
                         "MODEL_METRIC_NAME_") if model.metric_name else "",
                     model_pb2.SuggestionType.Name(model.preferred_suggestion_type)
                     .removeprefix("SUGGESTION_TYPE_")
                     if model.preferred_suggestion_type else "",
                     model.resampled_dataset_size,
                     float(model.retraining_cost.amount or 0),
                     model.python_model_id)
