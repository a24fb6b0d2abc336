"""CatalogService operations of ``driftline.Client``: projects, tasks, models, data schemas, KPIs.

Results are ``driftline.types`` models (Project, Task, Model, DataSchema with its ColumnInfo,
KPI), converted in ``driftline.conversions.catalog``. Enum arguments take ``driftline.enums``
members (``TaskType.REGRESSION``), the generated values (``task_pb2.TASK_TYPE_REGRESSION``) or
their names, with or without the prefix (``"REGRESSION"``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from google.protobuf import field_mask_pb2

from driftline import display
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline.catalog.v1 import (
    catalog_service_pb2 as pb,
    catalog_service_pb2_grpc,
    data_schema_pb2,
    kpi_pb2,
    model_pb2,
    project_pb2,
    task_pb2,
)
from driftline.common.v1 import money_pb2
from driftline._enums import enum_value
from driftline.conversions import catalog as convert
from driftline.types.catalog import (
    KPI,
    BinaryClassificationTaskCostInfo,
    ColumnInfo,
    DataSchema,
    Model,
    MulticlassClassificationTaskCostInfo,
    Project,
    RegressionTaskCostInfo,
    Task,
)


def _amount(value) -> str:
    """A decimal string for an amount given as a number or a string (floats keep their digits)."""
    if isinstance(value, str):
        return value
    return format(Decimal(str(value)).normalize(), "f")


def _cost_info(value) -> task_pb2.TaskCostInfo | None:
    """Wrap one of the three cost information shapes, results (RegressionTaskCostInfo, ...,
    as a Task carries them) or messages, or pass a TaskCostInfo message through."""
    if value is None or isinstance(value, task_pb2.TaskCostInfo):
        return value
    if isinstance(value, (RegressionTaskCostInfo, BinaryClassificationTaskCostInfo,
                          MulticlassClassificationTaskCostInfo)):
        return convert.task_cost_info_to_proto(value)
    if isinstance(value, task_pb2.RegressionTaskCostInfo):
        return task_pb2.TaskCostInfo(regression=value)
    if isinstance(value, task_pb2.BinaryClassificationTaskCostInfo):
        return task_pb2.TaskCostInfo(binary_classification=value)
    if isinstance(value, task_pb2.MulticlassClassificationTaskCostInfo):
        return task_pb2.TaskCostInfo(multiclass_classification=value)
    raise TypeError(
        "cost_info must be a RegressionTaskCostInfo, BinaryClassificationTaskCostInfo, "
        f"MulticlassClassificationTaskCostInfo or TaskCostInfo, not {type(value).__name__}"
    )


def _request_id() -> str:
    """A fresh AIP-155 request id: the server answers a retried create with the first result."""
    return uuid.uuid4().hex


def _column(value) -> data_schema_pb2.ColumnInfo:
    if isinstance(value, ColumnInfo):
        return convert.column_info_to_proto(value)
    if isinstance(value, data_schema_pb2.ColumnInfo):
        return value
    raise TypeError(f"a schema's columns are ColumnInfo, not {type(value).__name__}")


def _data_schema(value) -> data_schema_pb2.DataSchema:
    """The columns of a DataSchema (a result, as get_data_schema_template returns, or a
    message) or of a list of ColumnInfo (results or messages, mixed as they come), as the
    DataSchema message to add. Only the columns count: a task's schema gets its own task,
    version and time."""
    if isinstance(value, (DataSchema, data_schema_pb2.DataSchema)):
        value = value.columns
    return data_schema_pb2.DataSchema(columns=[_column(column) for column in value])


class CatalogMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._catalog``."""

    _transport: Transport
    _catalog: catalog_service_pb2_grpc.CatalogServiceStub

    # ---- projects ------------------------------------------------------------------------

    def create_project(
        self,
        name: str,
        description: str | None = None,
        default_storage_policy=project_pb2.STORAGE_POLICY_DRIFTLINE,
        data_storage_uri: str | None = None,
    ) -> str:
        """Create a project in your company (COMPANY_OWNER or COMPANY_ADMIN); returns its id.

        A ``STORAGE_POLICY_CUSTOMER`` project keeps its data in your own S3 (or S3-compatible)
        bucket: give ``data_storage_uri`` as ``s3://<bucket>[/<prefix>]`` and create the
        project's default integration credentials for it (AWS_COMPATIBLE, or an AWS role) before
        uploading data.

        Example:
            >>> project_id = client.create_project("churn", "customer churn models",
            ...                                    project_pb2.STORAGE_POLICY_DRIFTLINE)
            >>> own = client.create_project("fraud", "kept in our bucket", "CUSTOMER",
            ...                             data_storage_uri="s3://acme-ml/driftline")
        """
        request = pb.CreateProjectRequest(
            project=project_pb2.Project(
                name=name,
                description=description or "",
                default_storage_policy=enum_value(
                    project_pb2.StoragePolicy, default_storage_policy, "STORAGE_POLICY_"
                ),
                data_storage_uri=data_storage_uri or "",
            ),
            request_id=_request_id(),
        )
        return self._transport.call(
            self._catalog.CreateProject, request, idempotent=True
        ).project.id

    def _project_pages(self) -> Pager[Project]:
        return Pager(self._transport.call, self._catalog.ListProjects,
                     pb.ListProjectsRequest(), "projects", convert.project_from_proto)

    def get_projects(self) -> list[Project]:
        """The projects of your company you may view.

        Example:
            >>> for project in client.get_projects():
            ...     print(project.project_id, project.name)
        """
        return list(self._project_pages())

    def get_project(self, project_id: str) -> Project:
        """A project by id (at least PROJECT_VIEW): ``project_id``, ``company_id``, ``name``,
        ``description``, ``default_storage_policy``, ``data_storage_uri``,
        ``creation_datetime``, ``update_datetime``.

        Example:
            >>> client.get_project(project_id).name
            'churn'
        """
        return convert.project_from_proto(self._transport.call(
            self._catalog.GetProject, pb.GetProjectRequest(project_id=project_id), idempotent=True
        ).project)

    def update_project(
        self,
        project_id: str,
        name: str | None = None,
        description: str | None = None,
        default_storage_policy=None,
        data_storage_uri: str | None = None,
    ) -> Project:
        """Change a project's name, description, default storage policy or data storage URI
        (``s3://<bucket>[/<prefix>]`` of a CUSTOMER project; "" clears it); None leaves a field
        as it is (at least PROJECT_ADMIN). Batches already stored stay where they are. Returns
        the project as it is after the update, as the platform SDK does.

        Example:
            >>> client.update_project(project_id, description="churn, all regions").description
            'churn, all regions'
            >>> client.update_project(project_id, default_storage_policy="CUSTOMER",
            ...                       data_storage_uri="s3://acme-ml/driftline")
        """
        project = project_pb2.Project(id=project_id)
        paths = []
        if name is not None:
            project.name = name
            paths.append("name")
        if description is not None:
            project.description = description
            paths.append("description")
        if default_storage_policy is not None:
            project.default_storage_policy = enum_value(
                project_pb2.StoragePolicy, default_storage_policy, "STORAGE_POLICY_"
            )
            paths.append("default_storage_policy")
        if data_storage_uri is not None:
            project.data_storage_uri = data_storage_uri
            paths.append("data_storage_uri")
        if not paths:
            return self.get_project(project_id)
        request = pb.UpdateProjectRequest(
            project=project, update_mask=field_mask_pb2.FieldMask(paths=paths)
        )
        return convert.project_from_proto(
            self._transport.call(self._catalog.UpdateProject, request, idempotent=True).project)

    def show_projects(self) -> None:
        """Print the projects you may view as a table.

        Example:
            >>> client.show_projects()
            Project ID  Name   Storage policy  Created
            ----------  -----  --------------  -------------------------
            4f2a...     churn  DRIFTLINE       2026-11-23 10:14:06+00:00
        """
        display.show(self._project_pages(), display.PROJECT_COLUMNS)

    # ---- tasks ---------------------------------------------------------------------------

    def create_task(
        self,
        project_id: str,
        name: str,
        tags: list[str],
        task_type,
        data_structure,
        cost_info=None,
        optional_target: bool = False,
        text_language=None,
        positive_class: str | int | bool | None = None,
        rag_contexts_separator: str | None = None,
    ) -> str:
        """Create a task in a project (at least PROJECT_USER); returns its id.

        Binary classification tasks need ``positive_class``, TEXT tasks ``text_language``, RAG
        tasks TEXT data and ``rag_contexts_separator``; ``cost_info`` (a
        ``driftline.types`` RegressionTaskCostInfo, BinaryClassificationTaskCostInfo or
        MulticlassClassificationTaskCostInfo, as ``get_task`` returns them, or the contracts'
        messages of those names) must match the task type.

        Example:
            >>> from driftline.types import BinaryClassificationTaskCostInfo
            >>> task_id = client.create_task(
            ...     project_id, "churn", tags=["q3"], task_type="CLASSIFICATION_BINARY",
            ...     data_structure="TABULAR", positive_class="yes",
            ...     cost_info=BinaryClassificationTaskCostInfo(
            ...         currency="EURO", false_positive_cost=5, false_negative_cost="50.25"))
        """
        task = task_pb2.Task(
            name=name,
            tags=list(tags or []),
            task_type=enum_value(task_pb2.TaskType, task_type, "TASK_TYPE_"),
            data_structure=enum_value(task_pb2.DataStructure, data_structure, "DATA_STRUCTURE_"),
            cost_info=_cost_info(cost_info),
            optional_target=optional_target,
            text_language=enum_value(task_pb2.TextLanguage, text_language, "TEXT_LANGUAGE_"),
            positive_class=convert.class_label_to_proto(positive_class),
            rag_contexts_separator=rag_contexts_separator or "",
        )
        request = pb.CreateTaskRequest(project_id=project_id, task=task, request_id=_request_id())
        return self._transport.call(self._catalog.CreateTask, request, idempotent=True).task.id

    def update_task(
        self,
        task_id: str,
        name: str | None = None,
        tags: list[str] | None = None,
        cost_info=None,
    ) -> None:
        """Change a task's name, tags (``[]`` removes them all) or cost information (as
        ``create_task`` takes it); None leaves a field as it is (at least PROJECT_USER).

        Example:
            >>> client.update_task(task_id, tags=["q3", "eu"])
            >>> cost = client.get_task(task_id).cost_info
            >>> client.update_task(task_id, cost_info=cost.model_copy(
            ...     update={"false_negative_cost": cost.false_negative_cost * 2}))
        """
        task = task_pb2.Task(id=task_id)
        paths = []
        if name is not None:
            task.name = name
            paths.append("name")
        if tags is not None:
            task.tags[:] = list(tags)
            paths.append("tags")
        if cost_info is not None:
            task.cost_info.CopyFrom(_cost_info(cost_info))
            paths.append("cost_info")
        if not paths:
            return
        request = pb.UpdateTaskRequest(task=task, update_mask=field_mask_pb2.FieldMask(paths=paths))
        self._transport.call(self._catalog.UpdateTask, request, idempotent=True)

    def _task_pages(self, project_id: str) -> Pager[Task]:
        return Pager(self._transport.call, self._catalog.ListTasks,
                     pb.ListTasksRequest(project_id=project_id), "tasks",
                     convert.task_from_proto)

    def get_tasks(self, project_id: str) -> list[Task]:
        """The tasks of a project, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [task.name for task in client.get_tasks(project_id)]
            ['churn']
        """
        return list(self._task_pages(project_id))

    def get_task(self, task_id: str) -> Task:
        """A task by id (at least PROJECT_VIEW): ``task_id``, ``project_id``, ``name``,
        ``tags``, ``task_type``, ``data_structure``, ``cost_info`` (a RegressionTaskCostInfo,
        BinaryClassificationTaskCostInfo or MulticlassClassificationTaskCostInfo, or None),
        ``optional_target``, ``text_language``, ``positive_class`` (in its own type),
        ``rag_contexts_separator``, ``creation_datetime``, ``update_datetime``.

        Example:
            >>> client.get_task(task_id).task_type is TaskType.CLASSIFICATION_BINARY
            True
        """
        return convert.task_from_proto(self._transport.call(
            self._catalog.GetTask, pb.GetTaskRequest(task_id=task_id), idempotent=True
        ).task)

    def show_tasks(self, project_id: str) -> None:
        """Print the tasks of a project as a table.

        Example:
            >>> client.show_tasks(project_id)
            Task ID  Name   Type                   Data     Created
            -------  -----  ---------------------  -------  -------------------------
            9b1e...  churn  CLASSIFICATION_BINARY  TABULAR  2026-11-23 10:14:06+00:00
        """
        display.show(self._task_pages(project_id), display.TASK_COLUMNS)

    # ---- models --------------------------------------------------------------------------

    def create_model(
        self,
        task_id: str,
        name: str,
        version: str,
        with_probabilistic_output: bool,
        metric_name,
        preferred_suggestion_type=None,
        retraining_cost: float | str = 0.0,
        resampled_dataset_size: int | None = None,
    ) -> str:
        """Create a model (its first version) in a task (at least PROJECT_USER); returns its id.

        The arguments come in the monitoring platform SDK's order, with its defaults.
        ``with_probabilistic_output`` says whether the model outputs probabilities (needed by
        metrics such as ROC-AUC); ``metric_name`` must fit the task type (None for tasks without
        one). ``preferred_suggestion_type`` (None: SAMPLE_WEIGHTS) is the kind of retraining
        suggestion to compute; RESAMPLED_DATASET needs ``resampled_dataset_size``.
        ``retraining_cost`` is in the task's currency.

        Example:
            >>> model_id = client.create_model(task_id, "gbm", "v1", True,
            ...                                model_pb2.MODEL_METRIC_NAME_ACCURACY)
            >>> resampled_id = client.create_model(
            ...     task_id, "forest", "v1", with_probabilistic_output=False,
            ...     metric_name="ACCURACY", preferred_suggestion_type="RESAMPLED_DATASET",
            ...     retraining_cost=120.0, resampled_dataset_size=5000)
        """
        # Scripts written before the SDK's order passed metric_name fourth; a name there would
        # silently read as True.
        if not isinstance(with_probabilistic_output, bool):
            raise TypeError(
                "with_probabilistic_output must be True or False, not "
                f"{with_probabilistic_output!r}: create_model takes (task_id, name, version, "
                "with_probabilistic_output, metric_name, preferred_suggestion_type=None, ...)"
            )
        model = model_pb2.Model(
            name=name,
            version=version,
            metric_name=enum_value(model_pb2.ModelMetricName, metric_name, "MODEL_METRIC_NAME_"),
            preferred_suggestion_type=enum_value(
                model_pb2.SuggestionType, preferred_suggestion_type, "SUGGESTION_TYPE_"
            ),
            with_probabilistic_output=with_probabilistic_output,
            retraining_cost=money_pb2.Money(amount=_amount(retraining_cost)),
            resampled_dataset_size=resampled_dataset_size or 0,
        )
        request = pb.CreateModelRequest(task_id=task_id, model=model, request_id=_request_id())
        return self._transport.call(self._catalog.CreateModel, request, idempotent=True).model.id

    def iter_models(self, task_id: str, *, page_size: int | None = None,
                    limit: int | None = None) -> Pager[Model]:
        """Every model version of a task, oldest first, fetched a page at a time as you
        iterate (``get_models`` as a lazy pager; every retraining adds a version):
        ``page_size`` asks for pages of that size, ``limit`` stops after that many.

        Example:
            >>> for model in client.iter_models(task_id, page_size=100):
            ...     print(model.model_id, model.version)
        """
        return Pager(self._transport.call, self._catalog.ListModels,
                     pb.ListModelsRequest(task_id=task_id), "models", convert.model_from_proto,
                     page_size=page_size, limit=limit)

    def get_models(self, task_id: str) -> list[Model]:
        """Every model version of a task, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [(m.name, m.version) for m in client.get_models(task_id)]
            [('gbm', 'v1'), ('gbm', 'v2')]
        """
        return list(self.iter_models(task_id))

    def get_model(self, model_id: str) -> Model:
        """A model version by id (at least PROJECT_VIEW): the SDK's ``model_id``,
        ``task_id``, ``name``, ``version``, ``metric_name``, ``creation_datetime``,
        ``retraining_cost`` (a Decimal, in ``retraining_cost_currency``), and Driftline's
        ``with_probabilistic_output``, ``preferred_suggestion_type``,
        ``resampled_dataset_size``, ``previous_version_id``, ``python_model_id``,
        ``update_datetime``.

        Example:
            >>> client.get_model(model_id).version
            'v1'
        """
        return convert.model_from_proto(self._transport.call(
            self._catalog.GetModel, pb.GetModelRequest(model_id=model_id), idempotent=True
        ).model)

    def get_model_by_name_and_version(
        self, task_id: str, model_name: str, model_version: str
    ) -> Model:
        """A model version of a task by name and version (at least PROJECT_VIEW).

        Example:
            >>> client.get_model_by_name_and_version(task_id, "gbm", "v2").model_id
            '3c0d...'
        """
        request = pb.GetModelByNameAndVersionRequest(
            task_id=task_id, model_name=model_name, model_version=model_version
        )
        return convert.model_from_proto(self._transport.call(
            self._catalog.GetModelByNameAndVersion, request, idempotent=True
        ).model)

    def show_models(self, task_id: str) -> None:
        """Print the model versions of a task as a table.

        Example:
            >>> client.show_models(task_id)
            Model ID  Task ID  Name  Version  Metric    Created
            --------  -------  ----  -------  --------  -------------------------
            3c0d...   9b1e...  gbm   v1       ACCURACY  2026-11-23 10:20:41+00:00
        """
        display.show(self.iter_models(task_id), display.MODEL_COLUMNS)

    def update_model_version(self, model_id: str, new_model_version: str) -> str:
        """Create a new version of a model, with the settings of ``model_id``'s version, and
        return the new version's id (at least PROJECT_USER). Its data comes with later uploads.

        Example:
            >>> new_model_id = client.update_model_version(model_id, "v2")
        """
        request = pb.UpdateModelVersionRequest(
            model_id=model_id, new_model_version=new_model_version
        )
        return self._transport.call(self._catalog.UpdateModelVersion, request).model.id

    def set_model_suggestion_type(
        self, model_id: str, preferred_suggestion_type,
        resampled_dataset_size: int | None = None,
    ) -> Model:
        """Set the kind of retraining suggestion the model prefers: SAMPLE_WEIGHTS, or
        RESAMPLED_DATASET with the size of the dataset to propose (at least PROJECT_USER).
        Returns the model as it is after the change.

        Example:
            >>> client.set_model_suggestion_type(model_id, "RESAMPLED_DATASET", 5000)
            >>> client.set_model_suggestion_type(
            ...     model_id, preferred_suggestion_type=model_pb2.SUGGESTION_TYPE_SAMPLE_WEIGHTS)
        """
        request = pb.SetModelSuggestionTypeRequest(
            model_id=model_id,
            suggestion_type=enum_value(model_pb2.SuggestionType, preferred_suggestion_type,
                                       "SUGGESTION_TYPE_"),
            resampled_dataset_size=resampled_dataset_size or 0,
        )
        return convert.model_from_proto(self._transport.call(
            self._catalog.SetModelSuggestionType, request, idempotent=True).model)

    # ---- data schemas --------------------------------------------------------------------

    def add_data_schema(self, task_id: str, data_schema) -> None:
        """Add a data schema to a task; adding one again replaces it as a new version (at least
        PROJECT_USER). ``data_schema`` is a ``driftline.types.DataSchema`` (as the SDK's, and
        as ``get_data_schema_template`` returns it), a list of ``ColumnInfo``, or the
        contracts' DataSchema / ColumnInfo messages.

        Example:
            >>> from driftline.types import ColumnInfo, DataSchema
            >>> template = client.get_data_schema_template(task_id)
            >>> client.add_data_schema(task_id, DataSchema(columns=[
            ...     *template.columns,
            ...     ColumnInfo(name="age", role="INPUT", is_nullable=False, data_type="FLOAT")]))
        """
        request = pb.CreateDataSchemaRequest(task_id=task_id, data_schema=_data_schema(data_schema))
        self._transport.call(self._catalog.CreateDataSchema, request)

    def get_data_schema(self, task_id: str) -> DataSchema:
        """A task's current data schema (at least PROJECT_VIEW): its ``columns`` (ColumnInfo:
        ``name``, ``role``, ``is_nullable``, ``data_type``, ``predicted_target``,
        ``possible_values``, ``model_id``, ``dims``, ``classes_names``, ``subrole``), and
        Driftline's ``task_id``, ``version`` and ``creation_datetime``.

        Example:
            >>> [column.name for column in client.get_data_schema(task_id).columns]
            ['sample_id', 'timestamp', 'target', 'age']
        """
        return convert.data_schema_from_proto(self._transport.call(
            self._catalog.GetDataSchema, pb.GetDataSchemaRequest(task_id=task_id), idempotent=True
        ).data_schema)

    def get_data_schema_template(self, task_id: str) -> DataSchema:
        """The columns a task requires (ID, TIME_ID, the target in its type, one prediction per
        model), to complete and pass to ``add_data_schema`` (at least PROJECT_VIEW).

        Example:
            >>> template = client.get_data_schema_template(task_id)
        """
        request = pb.GetDataSchemaTemplateRequest(task_id=task_id)
        return convert.data_schema_from_proto(self._transport.call(
            self._catalog.GetDataSchemaTemplate, request, idempotent=True
        ).data_schema)

    def show_data_schema(self, task_id: str) -> None:
        """Print a task's data schema as a table.

        Example:
            >>> client.show_data_schema(task_id)
            Column name  Role     Type         Nullable
            -----------  -------  -----------  --------
            sample_id    ID       STRING       False
        """
        display.show(self.get_data_schema(task_id).columns, display.COLUMN_INFO_COLUMNS)

    # ---- KPIs ----------------------------------------------------------------------------

    def create_kpi(self, project_id: str, name: str) -> str:
        """Create a KPI in a project (at least PROJECT_USER); returns its id.

        Example:
            >>> kpi_id = client.create_kpi(project_id, "monthly revenue")
        """
        request = pb.CreateKpiRequest(
            project_id=project_id, kpi=kpi_pb2.Kpi(name=name), request_id=_request_id()
        )
        return self._transport.call(self._catalog.CreateKpi, request, idempotent=True).kpi.id

    def get_kpi(self, kpi_id: str) -> KPI:
        """A KPI by id (at least PROJECT_VIEW): ``kpi_id``, ``project_id``, ``name``,
        ``creation_datetime``, ``update_datetime``; its monitoring status is
        ``get_kpi_status(kpi_id)``.

        Example:
            >>> client.get_kpi(kpi_id).name
            'monthly revenue'
        """
        return convert.kpi_from_proto(self._transport.call(
            self._catalog.GetKpi, pb.GetKpiRequest(kpi_id=kpi_id), idempotent=True
        ).kpi)

    def _kpi_pages(self, project_id: str) -> Pager[KPI]:
        return Pager(self._transport.call, self._catalog.ListKpis,
                     pb.ListKpisRequest(project_id=project_id), "kpis", convert.kpi_from_proto)

    def get_kpis(self, project_id: str) -> list[KPI]:
        """The KPIs of a project, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [(kpi.kpi_id, kpi.name) for kpi in client.get_kpis(project_id)]
            ['monthly revenue']
        """
        return list(self._kpi_pages(project_id))

    def show_kpis(self, project_id: str) -> None:
        """Print the KPIs of a project as a table.

        Example:
            >>> client.show_kpis(project_id)
            KPI ID   Project ID  Name             Created
            -------  ----------  ---------------  -------------------------
            77aa...  4f2a...     monthly revenue  2026-11-23 10:30:00+00:00
        """
        display.show(self._kpi_pages(project_id), display.KPI_COLUMNS)
