"""The catalog's operations: who may do what, the rules, and the rows they read and write.

Nothing here knows gRPC: the servicer passes the caller and plain values in, and gets rows (or
vocabulary values) back. Authorization goes through ``platform.roles``: anything of another
company is NOT_FOUND, a role too low is PERMISSION_DENIED.
"""

from __future__ import annotations


from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from driftline_server.catalog import plan_limits, rules
from driftline_server.catalog.models import (
    DataSchemaRow,
    KpiRow,
    ModelRow,
    ProjectRow,
    PythonModelRow,
    TaskRow,
)
from driftline_server.catalog.vocabulary import (
    ClassLabel,
    Column,
    CostInfo,
    DataStructure,
    ModelDraft,
    StoragePolicy,
    SuggestionType,
    TaskDraft,
    TaskType,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.errors import AlreadyExists, FailedPrecondition, NotFound, not_found
from driftline_server.platform.roles import Caller, CompanyRole, ProjectRole

# The fields each Update may change (FieldMask paths).
PROJECT_UPDATABLE = ("name", "description", "default_storage_policy", "data_storage_uri")
TASK_UPDATABLE = ("name", "tags", "cost_info")
# Most ids of each kind one GetResourceNames names (a page of jobs holds at most 1000).
MAX_NAMED_IDS = 1000


async def replayed(session, table, request_id: str, **scope):
    """The row an earlier create with the same request id made in this scope (AIP-155), if any."""
    if not request_id:
        return None
    conditions = [getattr(table, column) == value for column, value in scope.items()]
    statement = select(table).where(*conditions, table.request_id == request_id)
    return (await session.exec(statement)).first()


def task_cost_info(task: TaskRow) -> CostInfo | None:
    return CostInfo.from_json(task.cost_info) if task.cost_info else None


def task_positive_class(task: TaskRow) -> ClassLabel | None:
    return ClassLabel.from_json(task.positive_class) if task.positive_class else None


def schema_columns(schema: DataSchemaRow) -> list[Column]:
    return [Column.from_json(column) for column in schema.columns]


async def visible_project(session, caller: Caller, project_id: str, needed: ProjectRole,
                          action: str) -> ProjectRow:
    """The project, when the caller's company sees it and the caller has ``needed`` in it
    (NOT_FOUND for another company's, PERMISSION_DENIED for too small a role)."""
    project = await session.get(ProjectRow, project_id) if project_id else None
    if project is None or not caller.sees_company(project.company_id):
        raise not_found("project", project_id)
    caller.require_project_role(project.id, project.company_id, needed, action)
    return project


async def visible_task(session, caller: Caller, task_id: str, needed: ProjectRole,
                       action: str) -> TaskRow:
    """The task, when the caller's company sees its project and the caller has ``needed`` in
    it (NOT_FOUND for another company's, PERMISSION_DENIED for too small a role)."""
    task = await session.get(TaskRow, task_id) if task_id else None
    project = await session.get(ProjectRow, task.project_id) if task else None
    if task is None or project is None or not caller.sees_company(project.company_id):
        raise not_found("task", task_id)
    caller.require_project_role(project.id, project.company_id, needed, action)
    return task


async def visible_row(session, caller: Caller, row_type, row_id: str, kind: str,
                      needed: ProjectRole, action: str, *, owner=None, lock: bool = False):
    """The row ``row_id`` of ``row_type`` (a run, a session, an experiment...) when the caller
    may act on what it belongs to: its project (``row.project_id``), or what
    ``await owner(row)`` checks (raising NotFound when it is not visible). NOT_FOUND
    ``<KIND>_NOT_FOUND`` whether the row does not exist or belongs to what the caller cannot see,
    so another company's rows are never revealed. ``lock``: held until the transaction ends
    (PostgreSQL; SQLite has one writer anyway)."""
    row = (await session.get(row_type, row_id, with_for_update=lock or None)
           if row_id else None)
    if row is None:
        raise not_found(kind, row_id)
    try:
        if owner is None:
            await visible_project(session, caller, row.project_id, needed, action)
        else:
            await owner(row)
    except NotFound:
        raise not_found(kind, row_id) from None
    return row


class Catalog:
    """Projects, tasks, models, data schemas and KPIs."""

    def __init__(self, database: Database, plans=None):
        self._db = database
        self._plans = plans  # identity.remote.CompanyPlans: the limits of companies' plans

    # -- access ----------------------------------------------------------------------------

    _project = staticmethod(visible_project)

    _task = staticmethod(visible_task)

    async def _model(
        self, session, caller: Caller, model_id: str, needed: ProjectRole, action: str
    ):
        return await visible_row(
            session, caller, ModelRow, model_id, "model", needed, action,
            owner=lambda model: visible_task(session, caller, model.task_id, needed, action))

    # -- projects --------------------------------------------------------------------------

    async def create_project(
        self,
        caller: Caller,
        name: str,
        description: str,
        default_storage_policy: StoragePolicy | None,
        request_id: str = "",
        data_storage_uri: str = "",
    ) -> ProjectRow:
        rules.check_request_id(request_id)
        company_id = caller.require_company_manager("CreateProject")
        if caller.internal and not company_id:
            raise FailedPrecondition(
                reason="COMPANY_REQUIRED", message="internal callers cannot create projects"
            )
        found = rules.Violations()
        data_storage_uri = rules.check_project(found, name, description, data_storage_uri)
        found.raise_if_any()
        limits = await plan_limits.caller_limits(self._plans, caller)
        async with self._db.transaction() as session:
            existing = await replayed(session, ProjectRow, request_id, company_id=company_id)
            if existing is not None:
                return existing
            await plan_limits.check_projects(session, limits, company_id)
            now = utcnow()
            project = ProjectRow(
                id=new_id(),
                company_id=company_id,
                name=name.strip(),
                description=description,
                default_storage_policy=(default_storage_policy or StoragePolicy.DRIFTLINE).value,
                data_storage_uri=data_storage_uri,
                request_id=request_id or None,
                create_time=now,
                update_time=now,
            )
            session.add(project)
        return project

    async def get_project(self, caller: Caller, project_id: str) -> ProjectRow:
        async with self._db.reading() as session:
            return await self._project(session, caller, project_id, ProjectRole.VIEW, "GetProject")

    async def list_projects(
        self, caller: Caller, page_size: int, page_token: str, company_id: str = ""
    ) -> tuple[list[ProjectRow], str]:
        """Users: the projects of their company they may view. Internal callers: every project,
        or those of ``company_id`` when it is set."""
        if caller.internal:
            company = company_id or None
        else:
            company = caller.company_id
        page = paging.parse(page_size, page_token, paging.fingerprint("projects", caller.user_id, company))
        statement = select(ProjectRow)
        if not caller.internal:
            if caller.company_id is None or (company_id and company_id != caller.company_id):
                return [], ""  # another company's projects are never visible
            statement = statement.where(ProjectRow.company_id == caller.company_id)
            if not caller.is_company_manager:
                visible = (
                    list(caller.project_roles) if caller.company_role is CompanyRole.USER else []
                )
                statement = statement.where(ProjectRow.id.in_(visible))
        elif company is not None:
            statement = statement.where(ProjectRow.company_id == company)
        async with self._db.reading() as session:
            rows = list((await session.exec(paging.by_time_and_id(statement, page, ProjectRow.create_time, ProjectRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def update_project(self, caller: Caller, project_id: str, changes: dict) -> ProjectRow:
        """``changes``: new values of PROJECT_UPDATABLE fields."""
        found = rules.Violations()
        data_storage_uri = rules.check_project(
            found, changes.get("name"), changes.get("description"), changes.get("data_storage_uri")
        )
        found.raise_if_any()
        async with self._db.transaction() as session:
            project = await self._project(
                session, caller, project_id, ProjectRole.ADMIN, "UpdateProject"
            )
            if "name" in changes:
                project.name = changes["name"].strip()
            if "description" in changes:
                project.description = changes["description"]
            if "default_storage_policy" in changes:
                policy = changes["default_storage_policy"] or StoragePolicy.DRIFTLINE
                project.default_storage_policy = policy.value
            if data_storage_uri is not None:
                project.data_storage_uri = data_storage_uri
            project.update_time = utcnow()
            session.add(project)
        return project

    # -- tasks -----------------------------------------------------------------------------

    async def create_task(
        self, caller: Caller, project_id: str, draft: TaskDraft, request_id: str = ""
    ) -> TaskRow:
        rules.check_request_id(request_id)
        limits = await plan_limits.caller_limits(self._plans, caller)
        async with self._db.transaction() as session:
            project = await self._project(session, caller, project_id, ProjectRole.USER,
                                          "CreateTask")
            rules.check_task(draft)
            existing = await replayed(session, TaskRow, request_id, project_id=project_id)
            if existing is not None:
                return existing
            await plan_limits.check_tasks(session, limits, project.company_id)
            now = utcnow()
            task = TaskRow(
                id=new_id(),
                project_id=project_id,
                name=draft.name.strip(),
                tags=list(draft.tags),
                task_type=draft.task_type.value,
                data_structure=draft.data_structure.value,
                cost_info=draft.cost_info.to_json() if draft.cost_info else None,
                optional_target=draft.optional_target,
                text_language=draft.text_language.value if draft.text_language else None,
                positive_class=draft.positive_class.to_json() if draft.positive_class else None,
                rag_contexts_separator=draft.rag_contexts_separator or None,
                request_id=request_id or None,
                create_time=now,
                update_time=now,
            )
            session.add(task)
        return task

    async def get_task(self, caller: Caller, task_id: str) -> TaskRow:
        async with self._db.reading() as session:
            return await self._task(session, caller, task_id, ProjectRole.VIEW, "GetTask")

    async def list_tasks(
        self, caller: Caller, project_id: str, page_size: int, page_token: str
    ) -> tuple[list[TaskRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint("tasks", project_id))
        async with self._db.reading() as session:
            await self._project(session, caller, project_id, ProjectRole.VIEW, "ListTasks")
            statement = select(TaskRow).where(TaskRow.project_id == project_id)
            rows = list((await session.exec(paging.by_time_and_id(statement, page, TaskRow.create_time, TaskRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def update_task(self, caller: Caller, task_id: str, changes: dict) -> TaskRow:
        """``changes``: new values of TASK_UPDATABLE fields (cost_info None removes it)."""
        async with self._db.transaction() as session:
            task = await self._task(session, caller, task_id, ProjectRole.USER, "UpdateTask")
            rules.check_task_update(
                changes.get("name"),
                changes.get("tags"),
                changes.get("cost_info"),
                TaskType(task.task_type),
            )
            if "name" in changes:
                task.name = changes["name"].strip()
            if "tags" in changes:
                task.tags = list(changes["tags"])
            if "cost_info" in changes:
                cost_info = changes["cost_info"]
                task.cost_info = cost_info.to_json() if cost_info else None
            task.update_time = utcnow()
            session.add(task)
        return task

    # -- models ----------------------------------------------------------------------------

    async def create_model(
        self, caller: Caller, task_id: str, draft: ModelDraft, request_id: str = ""
    ) -> ModelRow:
        rules.check_request_id(request_id)
        limits = await plan_limits.caller_limits(self._plans, caller)
        try:
            async with self._db.transaction() as session:
                task = await self._task(session, caller, task_id, ProjectRole.USER, "CreateModel")
                cost_info = task_cost_info(task)
                task_currency = cost_info.currency if cost_info else None
                rules.check_model(draft, TaskType(task.task_type), task_currency)
                existing = await replayed(session, ModelRow, request_id, task_id=task_id)
                if existing is not None:
                    return existing
                await self._require_new_version(session, task_id, draft.name, draft.version)
                await self._require_not_python_model(session, task_id, draft.name)
                await plan_limits.check_models(session, limits, caller.company_id or "",
                                               task_id, draft.name)
                currency = draft.retraining_cost_currency or task_currency
                now = utcnow()
                model = ModelRow(
                    id=new_id(),
                    task_id=task_id,
                    name=draft.name.strip(),
                    version=draft.version.strip(),
                    metric_name=draft.metric_name.value if draft.metric_name else None,
                    with_probabilistic_output=draft.with_probabilistic_output,
                    preferred_suggestion_type=(
                        draft.preferred_suggestion_type.value
                        if draft.preferred_suggestion_type
                        else None
                    ),
                    resampled_dataset_size=draft.resampled_dataset_size or None,
                    retraining_cost_amount=str(rules.parse_amount(draft.retraining_cost_amount)),
                    retraining_cost_currency=currency.value if currency else None,
                    request_id=request_id or None,
                    create_time=now,
                    update_time=now,
                )
                session.add(model)
        except IntegrityError as error:  # a concurrent create of the same name and version
            if is_unique_violation(error):
                raise self._version_exists(draft.name, draft.version) from None
            raise
        return model

    @staticmethod
    def _version_exists(name: str, version: str) -> AlreadyExists:
        return AlreadyExists(
            reason="MODEL_ALREADY_EXISTS",
            message=f"the task already has model '{name}' version '{version}': "
            "choose another version",
            metadata={"name": name, "version": version},
        )

    async def _require_new_version(self, session, task_id: str, name: str, version: str) -> None:
        existing = (
            await session.exec(
                select(ModelRow.id).where(
                    ModelRow.task_id == task_id,
                    ModelRow.name == name.strip(),
                    ModelRow.version == version.strip(),
                )
            )
        ).first()
        if existing is not None:
            raise self._version_exists(name, version)

    @staticmethod
    async def _require_not_python_model(session, task_id: str, name: str) -> None:
        """A Python model's versions are made by training it, never created directly."""
        python_model = (await session.exec(select(PythonModelRow.id).where(
            PythonModelRow.task_id == task_id, PythonModelRow.name == name.strip()))).first()
        if python_model is not None:
            raise AlreadyExists(
                reason="MODEL_NAME_TAKEN",
                message=f"'{name.strip()}' is a Python model of the task ({python_model}): "
                        "its versions come from TrainPythonModel; give this model another name",
                metadata={"name": name.strip(), "python_model_id": python_model})

    async def get_model(self, caller: Caller, model_id: str) -> ModelRow:
        async with self._db.reading() as session:
            return await self._model(session, caller, model_id, ProjectRole.VIEW, "GetModel")

    async def list_models(
        self, caller: Caller, task_id: str, page_size: int, page_token: str
    ) -> tuple[list[ModelRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint("models", task_id))
        async with self._db.reading() as session:
            await self._task(session, caller, task_id, ProjectRole.VIEW, "ListModels")
            statement = select(ModelRow).where(ModelRow.task_id == task_id)
            rows = list((await session.exec(paging.by_time_and_id(statement, page, ModelRow.create_time, ModelRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def get_model_by_name_and_version(
        self, caller: Caller, task_id: str, name: str, version: str
    ) -> ModelRow:
        async with self._db.reading() as session:
            await self._task(session, caller, task_id, ProjectRole.VIEW, "GetModelByNameAndVersion")
            model = (
                await session.exec(
                    select(ModelRow).where(
                        ModelRow.task_id == task_id,
                        ModelRow.name == name,
                        ModelRow.version == version,
                    )
                )
            ).first()
        if model is None:
            raise NotFound(
                reason="MODEL_NOT_FOUND",
                message=f"the task has no model '{name}' version '{version}'",
                metadata={"task_id": task_id, "name": name, "version": version},
            )
        return model

    async def update_model_version(
        self, caller: Caller, model_id: str, new_version: str
    ) -> ModelRow:
        """A new version of the model: a new row with the settings of ``model_id``'s version.
        Its reference data is attached later (Data and Monitoring)."""
        found = rules.Violations()
        rules.check_version(found, new_version, "new_model_version")
        found.raise_if_any()
        try:
            async with self._db.transaction() as session:
                old = await self._model(
                    session, caller, model_id, ProjectRole.USER, "UpdateModelVersion"
                )
                if old.python_model_id:
                    raise FailedPrecondition(
                        reason="PYTHON_MODEL_VERSION",
                        message=f"model '{model_id}' is a version of a Python model: a new "
                                "version is trained (TrainPythonModel), not copied",
                        metadata={"model_id": model_id,
                                  "python_model_id": old.python_model_id})
                await self._require_new_version(session, old.task_id, old.name, new_version)
                now = utcnow()
                model = ModelRow(
                    id=new_id(),
                    task_id=old.task_id,
                    name=old.name,
                    version=new_version.strip(),
                    metric_name=old.metric_name,
                    with_probabilistic_output=old.with_probabilistic_output,
                    preferred_suggestion_type=old.preferred_suggestion_type,
                    resampled_dataset_size=old.resampled_dataset_size,
                    retraining_cost_amount=old.retraining_cost_amount,
                    retraining_cost_currency=old.retraining_cost_currency,
                    previous_version_id=old.id,
                    create_time=now,
                    update_time=now,
                )
                session.add(model)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise self._version_exists(old.name, new_version) from None
            raise
        return model

    async def set_model_suggestion_type(
        self, caller: Caller, model_id: str, suggestion_type: SuggestionType | None,
        resampled_dataset_size: int,
    ) -> ModelRow:
        """The kind of retraining suggestion the model prefers (and the resampled dataset's
        size, with RESAMPLED_DATASET)."""
        found = rules.Violations()
        if suggestion_type is None:
            found.add("SUGGESTION_TYPE_REQUIRED", "suggestion_type",
                      "required: SAMPLE_WEIGHTS or RESAMPLED_DATASET")
        rules.check_suggestion(found, suggestion_type, resampled_dataset_size)
        found.raise_if_any()
        async with self._db.transaction() as session:
            model = await self._model(
                session, caller, model_id, ProjectRole.USER, "SetModelSuggestionType"
            )
            model.preferred_suggestion_type = suggestion_type.value
            model.resampled_dataset_size = resampled_dataset_size or None
            model.update_time = utcnow()
            session.add(model)
        return model

    # -- data schemas ----------------------------------------------------------------------

    async def create_data_schema(
        self, caller: Caller, task_id: str, columns: list[Column]
    ) -> DataSchemaRow:
        """Validates and stores the schema as the task's next version. Replacing a schema once
        data exists is restricted by a later issue; for now every replacement is kept."""
        try:
            async with self._db.transaction() as session:
                task = await self._task(
                    session, caller, task_id, ProjectRole.USER, "CreateDataSchema"
                )
                models = (
                    await session.exec(
                        select(ModelRow.id, ModelRow.with_probabilistic_output).where(
                            ModelRow.task_id == task_id
                        )
                    )
                ).all()
                rules.check_data_schema(
                    columns,
                    TaskType(task.task_type),
                    task.optional_target,
                    task_positive_class(task),
                    {model_id: probabilistic for model_id, probabilistic in models},
                )
                latest = (
                    await session.exec(
                        select(func.max(DataSchemaRow.version)).where(
                            DataSchemaRow.task_id == task_id
                        )
                    )
                ).one()
                schema = DataSchemaRow(
                    id=new_id(),
                    task_id=task_id,
                    version=(latest or 0) + 1,
                    columns=[column.to_json() for column in columns],
                    create_time=utcnow(),
                )
                session.add(schema)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise FailedPrecondition(
                    reason="DATA_SCHEMA_CHANGED",
                    message="another schema was added to the task at the same time: "
                    "read it with GetDataSchema and try again",
                ) from None
            raise
        return schema

    async def get_data_schema(
        self, caller: Caller, task_id: str, version: int = 0
    ) -> DataSchemaRow:
        async with self._db.reading() as session:
            await self._task(session, caller, task_id, ProjectRole.VIEW, "GetDataSchema")
            statement = select(DataSchemaRow).where(DataSchemaRow.task_id == task_id)
            if version:
                statement = statement.where(DataSchemaRow.version == version)
            schema = (
                await session.exec(statement.order_by(DataSchemaRow.version.desc()).limit(1))
            ).first()
        if schema is None:
            raise NotFound(
                reason="DATA_SCHEMA_NOT_FOUND",
                message=(
                    f"task '{task_id}' has no data schema"
                    + (f" version {version}" if version else "")
                    + ": add one with add_data_schema (GetDataSchemaTemplate gives a start)"
                ),
                metadata={"task_id": task_id},
            )
        return schema

    async def get_data_schema_template(self, caller: Caller, task_id: str) -> list[Column]:
        async with self._db.reading() as session:
            task = await self._task(
                session, caller, task_id, ProjectRole.VIEW, "GetDataSchemaTemplate"
            )
            models = (
                await session.exec(
                    select(ModelRow.id, ModelRow.name, ModelRow.version)
                    .where(ModelRow.task_id == task_id)
                    .order_by(ModelRow.create_time, ModelRow.id)
                )
            ).all()
        return rules.schema_template(
            TaskType(task.task_type),
            DataStructure(task.data_structure),
            task.optional_target,
            task_positive_class(task),
            [tuple(model) for model in models],
        )

    # -- KPIs ------------------------------------------------------------------------------

    async def create_kpi(
        self, caller: Caller, project_id: str, name: str, request_id: str = ""
    ) -> KpiRow:
        rules.check_request_id(request_id)
        async with self._db.transaction() as session:
            await self._project(session, caller, project_id, ProjectRole.USER, "CreateKpi")
            rules.check_kpi(name)
            existing = await replayed(session, KpiRow, request_id, project_id=project_id)
            if existing is not None:
                return existing
            now = utcnow()
            kpi = KpiRow(
                id=new_id(),
                project_id=project_id,
                name=name.strip(),
                request_id=request_id or None,
                create_time=now,
                update_time=now,
            )
            session.add(kpi)
        return kpi

    async def get_kpi(self, caller: Caller, kpi_id: str) -> KpiRow:
        async with self._db.reading() as session:
            return await visible_row(session, caller, KpiRow, kpi_id, "KPI", ProjectRole.VIEW,
                                     "GetKpi")

    async def list_kpis(
        self, caller: Caller, project_id: str, page_size: int, page_token: str
    ) -> tuple[list[KpiRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint("kpis", project_id))
        async with self._db.reading() as session:
            await self._project(session, caller, project_id, ProjectRole.VIEW, "ListKpis")
            statement = select(KpiRow).where(KpiRow.project_id == project_id)
            rows = list((await session.exec(paging.by_time_and_id(statement, page, KpiRow.create_time, KpiRow.id))).all())
        return paging.time_and_id_page(page, rows)

    # -- names (internal) --------------------------------------------------------------------

    async def resource_names(
        self, project_ids: list[str], task_ids: list[str], model_ids: list[str]
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """Id -> name of the projects, tasks and models among the ids that exist, read in one
        transaction (JobsService names a page of jobs with one call)."""
        wanted = ((ProjectRow, "project_ids", project_ids), (TaskRow, "task_ids", task_ids),
                  (ModelRow, "model_ids", model_ids))
        found = rules.Violations()
        for _, field, ids in wanted:
            if len(ids) > MAX_NAMED_IDS:
                found.add("TOO_MANY_IDS", field,
                          f"{len(ids)} ids; at most {MAX_NAMED_IDS} per call, split the request")
        found.raise_if_any()
        async with self._db.reading() as session:
            names = []
            for table, _, ids in wanted:
                rows = (await session.exec(
                    select(table.id, table.name).where(table.id.in_(set(ids))))).all() if ids else []
                names.append({row_id: name for row_id, name in rows})
        return names[0], names[1], names[2]
