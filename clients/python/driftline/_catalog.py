"""CatalogService operations of ``driftline.Client``: projects, tasks, models, data schemas, KPIs.

Enum arguments take the generated values (``task_pb2.TASK_TYPE_REGRESSION``) or their names,
with or without the prefix (``"REGRESSION"``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from google.protobuf import field_mask_pb2

from driftline._pagination import Pager
from driftline.display import print_table, time_cell
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


def _name(enum_type, value: int, prefix: str) -> str:
    return enum_type.Name(value).removeprefix(prefix) if value else ""



def _amount(value) -> str:
    """A decimal string for an amount given as a number or a string (floats keep their digits)."""
    if isinstance(value, str):
        return value
    return format(Decimal(str(value)).normalize(), "f")


def _cost_info(value) -> task_pb2.TaskCostInfo | None:
    """Wrap one of the three cost information shapes (or pass a TaskCostInfo through)."""
    if value is None or isinstance(value, task_pb2.TaskCostInfo):
        return value
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


def _class_label(value) -> task_pb2.ClassLabel | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return task_pb2.ClassLabel(bool_value=value)
    if isinstance(value, int):
        return task_pb2.ClassLabel(int_value=value)
    return task_pb2.ClassLabel(string_value=str(value))


def _request_id() -> str:
    """A fresh AIP-155 request id: the server answers a retried create with the first result."""
    return uuid.uuid4().hex


def _data_schema(value) -> data_schema_pb2.DataSchema:
    """A DataSchema message, or a list of ColumnInfo messages."""
    if isinstance(value, data_schema_pb2.DataSchema):
        return value
    return data_schema_pb2.DataSchema(columns=list(value))


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

    def _project_pages(self):
        return Pager(self._transport.call, self._catalog.ListProjects,
                     pb.ListProjectsRequest(), "projects")

    def get_projects(self) -> list[project_pb2.Project]:
        """The projects of your company you may view.

        Example:
            >>> for project in client.get_projects():
            ...     print(project.id, project.name)
        """
        return list(self._project_pages())

    def get_project(self, project_id: str) -> project_pb2.Project:
        """A project by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_project(project_id).name
            'churn'
        """
        return self._transport.call(
            self._catalog.GetProject, pb.GetProjectRequest(project_id=project_id), idempotent=True
        ).project

    def update_project(
        self,
        project_id: str,
        name: str | None = None,
        description: str | None = None,
        default_storage_policy=None,
        data_storage_uri: str | None = None,
    ) -> project_pb2.Project:
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
        return self._transport.call(self._catalog.UpdateProject, request,
                                    idempotent=True).project

    def show_projects(self) -> None:
        """Print the projects you may view as a table.

        Example:
            >>> client.show_projects()
            Project ID                        Name
            --------------------------------  -----
            4f2a...                           churn
        """
        print_table(
            ["Project ID", "Name", "Storage policy", "Created"],
            (
                [
                    p.id,
                    p.name,
                    _name(project_pb2.StoragePolicy, p.default_storage_policy, "STORAGE_POLICY_"),
                    time_cell(p.create_time),
                ]
                for p in self._project_pages()
            ),
        )

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
        tasks TEXT data and ``rag_contexts_separator``; ``cost_info`` (RegressionTaskCostInfo,
        BinaryClassificationTaskCostInfo or MulticlassClassificationTaskCostInfo) must match the
        task type.

        Example:
            >>> task_id = client.create_task(
            ...     project_id, "churn", tags=["q3"],
            ...     task_type=task_pb2.TASK_TYPE_CLASSIFICATION_BINARY,
            ...     data_structure=task_pb2.DATA_STRUCTURE_TABULAR, positive_class="yes",
            ...     cost_info=task_pb2.BinaryClassificationTaskCostInfo(
            ...         currency=money_pb2.CURRENCY_EURO, false_positive_cost="5",
            ...         false_negative_cost="50"))
        """
        task = task_pb2.Task(
            name=name,
            tags=list(tags or []),
            task_type=enum_value(task_pb2.TaskType, task_type, "TASK_TYPE_"),
            data_structure=enum_value(task_pb2.DataStructure, data_structure, "DATA_STRUCTURE_"),
            cost_info=_cost_info(cost_info),
            optional_target=optional_target,
            text_language=enum_value(task_pb2.TextLanguage, text_language, "TEXT_LANGUAGE_"),
            positive_class=_class_label(positive_class),
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
        """Change a task's name, tags (``[]`` removes them all) or cost information; None leaves
        a field as it is (at least PROJECT_USER).

        Example:
            >>> client.update_task(task_id, tags=["q3", "eu"])
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

    def _task_pages(self, project_id: str):
        return Pager(self._transport.call, self._catalog.ListTasks,
                     pb.ListTasksRequest(project_id=project_id), "tasks")

    def get_tasks(self, project_id: str) -> list[task_pb2.Task]:
        """The tasks of a project, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [task.name for task in client.get_tasks(project_id)]
            ['churn']
        """
        return list(self._task_pages(project_id))

    def get_task(self, task_id: str) -> task_pb2.Task:
        """A task by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_task(task_id).task_type == task_pb2.TASK_TYPE_CLASSIFICATION_BINARY
            True
        """
        return self._transport.call(
            self._catalog.GetTask, pb.GetTaskRequest(task_id=task_id), idempotent=True
        ).task

    def show_tasks(self, project_id: str) -> None:
        """Print the tasks of a project as a table.

        Example:
            >>> client.show_tasks(project_id)
            Task ID   Name   Type                   Data     Created
            --------  -----  ---------------------  -------  -------------------
            9b1e...   churn  CLASSIFICATION_BINARY  TABULAR  2026-11-23 10:14:06
        """
        print_table(
            ["Task ID", "Name", "Type", "Data", "Created"],
            (
                [
                    t.id,
                    t.name,
                    _name(task_pb2.TaskType, t.task_type, "TASK_TYPE_"),
                    _name(task_pb2.DataStructure, t.data_structure, "DATA_STRUCTURE_"),
                    time_cell(t.create_time),
                ]
                for t in self._task_pages(project_id)
            ),
        )

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

    def _model_pages(self, task_id: str):
        return Pager(self._transport.call, self._catalog.ListModels,
                     pb.ListModelsRequest(task_id=task_id), "models")

    def get_models(self, task_id: str) -> list[model_pb2.Model]:
        """Every model version of a task, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [(m.name, m.version) for m in client.get_models(task_id)]
            [('gbm', 'v1'), ('gbm', 'v2')]
        """
        return list(self._model_pages(task_id))

    def get_model(self, model_id: str) -> model_pb2.Model:
        """A model version by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_model(model_id).version
            'v1'
        """
        return self._transport.call(
            self._catalog.GetModel, pb.GetModelRequest(model_id=model_id), idempotent=True
        ).model

    def get_model_by_name_and_version(
        self, task_id: str, model_name: str, model_version: str
    ) -> model_pb2.Model:
        """A model version of a task by name and version (at least PROJECT_VIEW).

        Example:
            >>> client.get_model_by_name_and_version(task_id, "gbm", "v2").id
            '3c0d...'
        """
        request = pb.GetModelByNameAndVersionRequest(
            task_id=task_id, model_name=model_name, model_version=model_version
        )
        return self._transport.call(
            self._catalog.GetModelByNameAndVersion, request, idempotent=True
        ).model

    def show_models(self, task_id: str) -> None:
        """Print the model versions of a task as a table.

        Example:
            >>> client.show_models(task_id)
            Model ID  Task ID  Name  Version  Metric    Created
            --------  -------  ----  -------  --------  -------------------
            3c0d...   9b1e...  gbm   v1       ACCURACY  2026-11-23 10:20:41
        """
        print_table(
            ["Model ID", "Task ID", "Name", "Version", "Metric", "Created"],
            (
                [
                    m.id,
                    m.task_id,
                    m.name,
                    m.version,
                    _name(model_pb2.ModelMetricName, m.metric_name, "MODEL_METRIC_NAME_"),
                    time_cell(m.create_time),
                ]
                for m in self._model_pages(task_id)
            ),
        )

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
    ) -> model_pb2.Model:
        """Set the kind of retraining suggestion the model prefers: SAMPLE_WEIGHTS, or
        RESAMPLED_DATASET with the size of the dataset to propose (at least PROJECT_USER).
        Returns the model.

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
        return self._transport.call(self._catalog.SetModelSuggestionType, request,
                                    idempotent=True).model

    # ---- data schemas --------------------------------------------------------------------

    def add_data_schema(self, task_id: str, data_schema) -> None:
        """Add a data schema to a task (a DataSchema or a list of ColumnInfo); adding one again
        replaces it as a new version (at least PROJECT_USER).

        Example:
            >>> schema = client.get_data_schema_template(task_id)
            >>> schema.columns.append(data_schema_pb2.ColumnInfo(
            ...     name="age", role=data_schema_pb2.COLUMN_ROLE_INPUT,
            ...     data_type=data_schema_pb2.DATA_TYPE_FLOAT))
            >>> client.add_data_schema(task_id, schema)
        """
        request = pb.CreateDataSchemaRequest(task_id=task_id, data_schema=_data_schema(data_schema))
        self._transport.call(self._catalog.CreateDataSchema, request)

    def get_data_schema(self, task_id: str) -> data_schema_pb2.DataSchema:
        """A task's current data schema (at least PROJECT_VIEW).

        Example:
            >>> [column.name for column in client.get_data_schema(task_id).columns]
            ['sample_id', 'timestamp', 'target', 'age']
        """
        return self._transport.call(
            self._catalog.GetDataSchema, pb.GetDataSchemaRequest(task_id=task_id), idempotent=True
        ).data_schema

    def get_data_schema_template(self, task_id: str) -> data_schema_pb2.DataSchema:
        """The columns a task requires (ID, TIME_ID, the target in its type, one prediction per
        model), to complete and pass to ``add_data_schema`` (at least PROJECT_VIEW).

        Example:
            >>> template = client.get_data_schema_template(task_id)
        """
        request = pb.GetDataSchemaTemplateRequest(task_id=task_id)
        return self._transport.call(
            self._catalog.GetDataSchemaTemplate, request, idempotent=True
        ).data_schema

    def show_data_schema(self, task_id: str) -> None:
        """Print a task's data schema as a table.

        Example:
            >>> client.show_data_schema(task_id)
            Column name  Role     Type         Nullable
            -----------  -------  -----------  --------
            sample_id    ID       STRING       False
        """
        schema = self.get_data_schema(task_id)
        print_table(
            ["Column name", "Role", "Type", "Nullable"],
            (
                [
                    c.name,
                    _name(data_schema_pb2.ColumnRole, c.role, "COLUMN_ROLE_"),
                    _name(data_schema_pb2.DataType, c.data_type, "DATA_TYPE_"),
                    c.nullable,
                ]
                for c in schema.columns
            ),
        )

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

    def get_kpi(self, kpi_id: str) -> kpi_pb2.Kpi:
        """A KPI by id (at least PROJECT_VIEW).

        Example:
            >>> client.get_kpi(kpi_id).name
            'monthly revenue'
        """
        return self._transport.call(
            self._catalog.GetKpi, pb.GetKpiRequest(kpi_id=kpi_id), idempotent=True
        ).kpi

    def _kpi_pages(self, project_id: str):
        return Pager(self._transport.call, self._catalog.ListKpis,
                     pb.ListKpisRequest(project_id=project_id), "kpis")

    def get_kpis(self, project_id: str) -> list[kpi_pb2.Kpi]:
        """The KPIs of a project, oldest first (at least PROJECT_VIEW).

        Example:
            >>> [kpi.name for kpi in client.get_kpis(project_id)]
            ['monthly revenue']
        """
        return list(self._kpi_pages(project_id))

    def show_kpis(self, project_id: str) -> None:
        """Print the KPIs of a project as a table.

        Example:
            >>> client.show_kpis(project_id)
            KPI ID   Project ID  Name             Created
            -------  ----------  ---------------  -------------------
            77aa...  4f2a...     monthly revenue  2026-11-23 10:30:00
        """
        print_table(
            ["KPI ID", "Project ID", "Name", "Created"],
            (
                [k.id, k.project_id, k.name, time_cell(k.create_time)]
                for k in self._kpi_pages(project_id)
            ),
        )
