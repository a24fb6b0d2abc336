"""Python models as the Catalog keeps them: a definition per model of a task (source code, the
functions' names, what to train on, resources, requirements), checked without running any of it
(source.py), and the training of each version.

Each training makes a version: a ModelRow of the task with the Python model's name (so
monitoring, data and retraining see it as any other model version) and a PythonModelVersionRow
that keeps the definition as it was then, the training's status, its job and its artifact. The
"train_python_model" job (catalog/job_handlers.py) trains it in a sandboxed worker process
and reports back through the internal StartPythonModelTraining / FinishPythonModelTraining.

A retraining (a Driftline retrain trigger fired by a retraining report) trains the next version
from the current definition on the report's suggestion: the reference samples it names, with
their weights or drawn by them, then sets the new version's reference from the same data.

Nothing here knows gRPC. Authorization: writes need PROJECT_USER on the task's project, reads
PROJECT_VIEW; another company's models are NOT_FOUND.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog.domain import replayed, visible_row, visible_task
from driftline_server.catalog import plan_limits
from driftline_server.catalog.models import (
    DataSchemaRow,
    ModelRow,
    ProjectRow,
    PythonModelRow,
    PythonModelVersionRow,
    TaskRow,
)
from driftline_server.catalog.python_models import source as source_rules
from driftline_server.catalog.python_models.sandbox import Limits
from driftline_server.catalog.rules import (
    METRICS_OF_TASK,
    MAX_VERSION,
    Violations,
    check_name,
    check_request_id,
)
from driftline_server.catalog.vocabulary import (
    CpuSize,
    ModelCodeFailure,
    ModelMetricName,
    PythonModelVersionStatus as Status,
    TaskType,
    TrainingDataKind,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    ResourceExhausted,
    not_found,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.roles import Caller, ProjectRole

_log = get_logger("driftline.catalog.python_models")

TRAINING_JOB = "train_python_model"
MAX_TRAINING_INPUTS = 20
MAX_CONFIG_BYTES = 64 * 1024
DEFAULT_MEMORY_GB, MAX_MEMORY_GB = 2, 64
DEFAULT_TRAINING_SECONDS, MAX_TRAINING_SECONDS = 3600, 86400
DEFAULT_PREDICTION_SECONDS, MAX_PREDICTION_SECONDS = 60, 3600
THREADS = {CpuSize.SMALL: 1, CpuSize.MEDIUM: 2, CpuSize.LARGE: 4}
# The request fields that name each role's function (source.ROLES).
FUNCTION_FIELDS = {"train": "train_function_name", "predict": "predict_function_name",
                   "predict_many": "predict_many_function_name",
                   "initialize": "initialize_function_name"}
ENDED = frozenset({Status.COMPLETE, Status.FAILED})


@dataclass(frozen=True)
class TrainingInput:
    """A range of the task's stored data of one kind; None ends are open."""

    kind: TrainingDataKind | None
    from_time: datetime | None = None
    to_time: datetime | None = None

    def to_json(self) -> dict:
        def iso(moment):
            return as_utc(moment).isoformat() if moment else None
        return {"kind": self.kind.value, "from_time": iso(self.from_time),
                "to_time": iso(self.to_time)}

    @classmethod
    def from_json(cls, value: dict) -> TrainingInput:
        def moment(text):
            return datetime.fromisoformat(text) if text else None
        return cls(TrainingDataKind(value["kind"]), moment(value["from_time"]),
                   moment(value["to_time"]))


@dataclass
class Definition:
    """A Python model's definition as CreatePythonModel / UpdatePythonModel give it. Zero values
    take the defaults (memory, timeouts, CPU size)."""

    source_code: str = ""
    functions: dict[str, str] = field(default_factory=dict)  # role -> function name
    training_inputs: list[TrainingInput] = field(default_factory=list)
    cpu_size: CpuSize | None = None
    memory_gb: int = 0
    package_requirements: list[str] = field(default_factory=list)
    use_gpu: bool = False
    is_thread_safe: bool = False
    training_config: dict | None = None
    metric_name: ModelMetricName | None = None
    with_probabilistic_output: bool = False
    training_timeout_seconds: int = 0
    prediction_timeout_seconds: int = 0


# The definition's fields an update may change (FieldMask paths), besides the function names.
UPDATABLE = tuple(sorted(
    [f.name for f in fields(Definition) if f.name != "functions"] + list(FUNCTION_FIELDS.values())))


def check_definition(definition: Definition, task_type: TaskType,
                     prefix: str = "python_model.") -> None:
    """INVALID_ARGUMENT listing every problem of the definition, each naming its field (and the
    line and function, for the source); nothing of the code runs."""
    found = Violations()
    for problem in source_rules.check_definition(
            definition.source_code, definition.functions, definition.package_requirements):
        path = problem.field.replace("requirements[", "package_requirements[", 1)
        if path.startswith("functions."):
            path = "functions"
        found.add(problem.code, prefix + path, problem.message)
    if not definition.training_inputs:
        found.add("TRAINING_INPUTS_REQUIRED", prefix + "training_inputs",
                  "name the stored data to train on: at least one kind (HISTORICAL or "
                  "PRODUCTION) with an optional time range")
    elif len(definition.training_inputs) > MAX_TRAINING_INPUTS:
        found.add("TRAINING_INPUTS_TOO_MANY", prefix + "training_inputs",
                  f"{len(definition.training_inputs)} ranges; at most {MAX_TRAINING_INPUTS}")
    for index, given in enumerate(definition.training_inputs):
        path = f"{prefix}training_inputs[{index}]"
        if given.kind is None:
            found.add("TRAINING_INPUT_KIND_REQUIRED", path + ".kind",
                      "required: HISTORICAL or PRODUCTION")
        if given.from_time and given.to_time and given.from_time >= given.to_time:
            found.add("TIME_RANGE_INVALID", path + ".to_time", "must be after from_time")
    _check_bound(found, prefix + "memory_gb", definition.memory_gb, MAX_MEMORY_GB, "GB")
    _check_bound(found, prefix + "training_timeout_seconds",
                 definition.training_timeout_seconds, MAX_TRAINING_SECONDS, "seconds")
    _check_bound(found, prefix + "prediction_timeout_seconds",
                 definition.prediction_timeout_seconds, MAX_PREDICTION_SECONDS, "seconds")
    if definition.training_config is not None:
        size = len(json.dumps(definition.training_config).encode())
        if size > MAX_CONFIG_BYTES:
            found.add("TRAINING_CONFIG_TOO_LARGE", prefix + "training_config",
                      f"is {size} bytes as JSON; at most {MAX_CONFIG_BYTES} are allowed: keep "
                      "data out of the configuration")
    allowed = METRICS_OF_TASK.get(task_type, set())
    if definition.metric_name is not None and definition.metric_name not in allowed:
        fits = ", ".join(sorted(allowed)) or "no metric (leave it unset)"
        found.add("METRIC_NAME_NOT_SUPPORTED", prefix + "metric_name",
                  f"{definition.metric_name.value} does not fit {task_type.value} tasks; they "
                  f"take {fits}")
    found.raise_if_any()


def _check_bound(found: Violations, path: str, value: int, limit: int, unit: str) -> None:
    if value < 0 or value > limit:
        found.add("RESOURCE_OUT_OF_RANGE", path,
                  f"{value} {unit} is out of range: give 1 to {limit} (0 for the default)")


# -- the definition a version keeps ------------------------------------------------------------


def definition_of(row: PythonModelRow) -> Definition:
    return Definition(
        source_code=row.source_code, functions=dict(row.functions),
        training_inputs=[TrainingInput.from_json(value) for value in row.training_inputs],
        cpu_size=CpuSize(row.cpu_size), memory_gb=row.memory_gb,
        package_requirements=list(row.package_requirements), use_gpu=row.use_gpu,
        is_thread_safe=row.is_thread_safe, training_config=dict(row.training_config),
        metric_name=ModelMetricName(row.metric_name) if row.metric_name else None,
        with_probabilistic_output=row.with_probabilistic_output,
        training_timeout_seconds=row.training_timeout_seconds,
        prediction_timeout_seconds=row.prediction_timeout_seconds)


def snapshot(row: PythonModelRow) -> dict:
    """What a version keeps of the definition it is trained from (as JSON)."""
    return {"source_code": row.source_code, "functions": dict(row.functions),
            "training_inputs": list(row.training_inputs), "cpu_size": row.cpu_size,
            "memory_gb": row.memory_gb, "package_requirements": list(row.package_requirements),
            "use_gpu": row.use_gpu, "is_thread_safe": row.is_thread_safe,
            "training_config": dict(row.training_config), "metric_name": row.metric_name,
            "with_probabilistic_output": row.with_probabilistic_output,
            "training_timeout_seconds": row.training_timeout_seconds,
            "prediction_timeout_seconds": row.prediction_timeout_seconds}


def limits_of(kept: dict, purpose: str) -> Limits:
    """The sandbox limits of a version's definition (``snapshot``), for "training" or
    "prediction": its memory, its wall clock, and CPU time for that long on its threads."""
    threads = THREADS[CpuSize(kept["cpu_size"])]
    wall = kept[f"{purpose}_timeout_seconds"]
    return Limits(memory_bytes=kept["memory_gb"] << 30, cpu_seconds=int(wall * threads) + 5,
                  wall_seconds=float(wall), threads=threads, gpu=kept["use_gpu"])


@dataclass
class VersionView:
    """A version as answered: its training row and its ModelRow's tag."""

    row: PythonModelVersionRow
    version: str


@dataclass
class TrainingStart:
    """What StartPythonModelTraining answers the job."""

    view: VersionView
    definition: PythonModelRow  # the version's definition, as a row (not stored)
    columns: list[dict]
    task_id: str


class PythonModels:
    """Python models' definitions, their versions' trainings, and retraining them."""

    def __init__(self, database: Database, jobs, artifact_path, storage_root: str,
                 plans=None):
        self._db = database
        self._plans = plans  # identity.remote.CompanyPlans: a Python model counts as a model
        self._jobs = jobs  # jobs.remote.JobsClient
        self._artifact_path = artifact_path  # (task_id, model_id) -> where its artifact goes
        self._storage_root = storage_root  # the storage the job writes the artifact to

    # -- access --------------------------------------------------------------------------------

    async def _python_model(self, session, caller: Caller, python_model_id: str,
                            needed: ProjectRole, action: str) -> tuple[PythonModelRow, TaskRow]:
        tasks = []

        async def owner(row: PythonModelRow) -> None:
            tasks.append(await visible_task(session, caller, row.task_id, needed, action))

        row = await visible_row(session, caller, PythonModelRow, python_model_id,
                                "python model", needed, action, owner=owner)
        return row, tasks[0]

    async def _version(self, session, caller: Caller, model_id: str, needed: ProjectRole,
                       action: str) -> tuple[PythonModelVersionRow, ModelRow]:
        version = await session.get(PythonModelVersionRow, model_id) if model_id else None
        model = await session.get(ModelRow, model_id) if version is not None else None
        if version is None or model is None:
            raise NotFound(
                reason="PYTHON_MODEL_VERSION_NOT_FOUND",
                message=f"model '{model_id}' is not a version of a Python model that you can "
                        "see: train one with TrainPythonModel",
                metadata={"id": model_id})
        try:
            await visible_task(session, caller, model.task_id, needed, action)
        except NotFound:
            raise NotFound(
                reason="PYTHON_MODEL_VERSION_NOT_FOUND",
                message=f"model '{model_id}' is not a version of a Python model that you can "
                        "see", metadata={"id": model_id}) from None
        return version, model

    # -- definitions ---------------------------------------------------------------------------

    async def create(self, caller: Caller, task_id: str, name: str, definition: Definition,
                     request_id: str = "") -> PythonModelRow:
        check_request_id(request_id)
        found = Violations()
        check_name(found, name, "python_model.name")
        found.raise_if_any()
        name = name.strip()
        limits = await plan_limits.caller_limits(self._plans, caller)
        try:
            async with self._db.transaction() as session:
                task = await visible_task(session, caller, task_id, ProjectRole.USER,
                                          "CreatePythonModel")
                existing = await replayed(session, PythonModelRow, request_id, task_id=task_id)
                if existing is not None:
                    return existing
                check_definition(definition, TaskType(task.task_type))
                await self._require_free_name(session, task_id, name)
                await plan_limits.check_models(session, limits, caller.company_id or "",
                                               task_id, name)
                now = utcnow()
                row = PythonModelRow(
                    id=new_id(), task_id=task_id, name=name, definition_version=1,
                    creator_id=caller.user_id[:64], request_id=request_id or None,
                    create_time=now, update_time=now, **_stored(definition))
                session.add(row)
        except IntegrityError as error:  # the same name (or request id) at the same time
            if not is_unique_violation(error):
                raise
            raise _name_taken(name) from None
        _log.info("python_model_created", python_model_id=row.id, task_id=task_id)
        return row

    @staticmethod
    async def _require_free_name(session, task_id: str, name: str) -> None:
        taken = (await session.exec(select(PythonModelRow.id).where(
            PythonModelRow.task_id == task_id, PythonModelRow.name == name))).first()
        taken = taken or (await session.exec(select(ModelRow.id).where(
            ModelRow.task_id == task_id, ModelRow.name == name))).first()
        if taken is not None:
            raise _name_taken(name)

    async def get(self, caller: Caller, python_model_id: str) -> PythonModelRow:
        async with self._db.reading() as session:
            row, _ = await self._python_model(session, caller, python_model_id,
                                              ProjectRole.VIEW, "GetPythonModel")
            return row

    async def list(self, caller: Caller, task_id: str, page_size: int,
                   page_token: str) -> tuple[list[PythonModelRow], str]:
        page = paging.parse(page_size, page_token, paging.fingerprint("python_models", task_id))
        async with self._db.reading() as session:
            await visible_task(session, caller, task_id, ProjectRole.VIEW, "ListPythonModels")
            rows = list((await session.exec(paging.by_time_and_id(
                select(PythonModelRow).where(PythonModelRow.task_id == task_id), page,
                PythonModelRow.create_time, PythonModelRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def update(self, caller: Caller, python_model_id: str,
                     changes: dict) -> PythonModelRow:
        """``changes``: new values of UPDATABLE fields (function names by their field). The
        whole definition after the change is checked; versions keep theirs."""
        async with self._db.transaction() as session:
            row, task = await self._python_model(session, caller, python_model_id,
                                                 ProjectRole.USER, "UpdatePythonModel")
            definition = definition_of(row)
            roles = {field_name: role for role, field_name in FUNCTION_FIELDS.items()}
            for path, value in changes.items():
                if path in roles:
                    if value:
                        definition.functions[roles[path]] = value
                    else:
                        definition.functions.pop(roles[path], None)
                else:
                    setattr(definition, path, value)
            check_definition(definition, TaskType(task.task_type))
            for name, value in _stored(definition).items():
                setattr(row, name, value)
            row.definition_version += 1
            row.update_time = utcnow()
            session.add(row)
        _log.info("python_model_updated", python_model_id=row.id,
                  definition_version=row.definition_version)
        return row

    # -- training ------------------------------------------------------------------------------

    async def train(self, caller: Caller, python_model_id: str, version: str = "",
                    request_id: str = "") -> tuple[VersionView, ModelRow]:
        """A new version PENDING, and the job that trains it."""
        check_request_id(request_id)
        found = Violations()
        if len(version) > MAX_VERSION:
            found.add("VERSION_TOO_LONG", "version", f"at most {MAX_VERSION} characters")
        found.raise_if_any()
        async with self._db.reading() as session:
            definition, task = await self._python_model(
                session, caller, python_model_id, ProjectRole.USER, "TrainPythonModel")
        view, model = await self._new_version(definition, task, caller.user_id, version.strip(),
                                              request_id)
        try:
            return await self._submitted(view, task, enforce_plan_limit=True), model
        except ResourceExhausted:  # the plan's max_concurrent_jobs: the version is not kept
            await self._forget_unsubmitted(view.row)
            raise

    async def _forget_unsubmitted(self, version: PythonModelVersionRow) -> None:
        """Remove a version that never got its training job (and its catalog model), and point
        its Python model back at the newest version left."""
        async with self._db.transaction() as session:
            row = await session.get(PythonModelVersionRow, version.model_id)
            if row is None or row.job_id:
                return
            await session.delete(row)
            model = await session.get(ModelRow, version.model_id)
            if model is not None:
                await session.delete(model)
            await session.flush()
            definition = await session.get(PythonModelRow, version.python_model_id,
                                           with_for_update=True)
            if definition is not None and definition.latest_version_id == version.model_id:
                definition.latest_version_id = (await session.exec(
                    select(PythonModelVersionRow.model_id)
                    .where(PythonModelVersionRow.python_model_id == definition.id)
                    .order_by(PythonModelVersionRow.create_time.desc()).limit(1))).first()
                session.add(definition)

    async def retrain(self, model_id: str, report_id: str, reference_from: datetime,
                      reference_to: datetime, set_reference: bool) -> VersionView:
        """A Driftline retrain trigger fired for ``model_id``, a version of a Python model:
        the next version, trained from the current definition on the report's suggestion
        (once per report)."""
        async with self._db.reading() as session:
            model = await session.get(ModelRow, model_id) if model_id else None
            definition = (await session.get(PythonModelRow, model.python_model_id)
                          if model is not None and model.python_model_id else None)
            task = await session.get(TaskRow, model.task_id) if definition else None
        if definition is None or task is None:
            raise FailedPrecondition(
                reason="NOT_A_PYTHON_MODEL",
                message=f"model '{model_id}' is not a version of a Python model: Driftline "
                        "retrains only the models it trains (CreatePythonModel); use an AWS, "
                        "GCP or Azure trigger for the others", metadata={"model_id": model_id})
        view, _ = await self._new_version(
            definition, task, "", "", "retrain-" + report_id, previous=model,
            suggestion=(report_id, reference_from, reference_to, set_reference))
        return await self._submitted(view, task)

    async def _new_version(self, definition: PythonModelRow, task: TaskRow, creator: str,
                           version: str, request_id: str, previous: ModelRow | None = None,
                           suggestion: tuple | None = None) -> tuple[VersionView, ModelRow]:
        try:
            async with self._db.transaction() as session:
                existing = await replayed(session, PythonModelVersionRow, request_id,
                                          python_model_id=definition.id)
                if existing is not None:
                    model = await session.get(ModelRow, existing.model_id)
                    return VersionView(existing, model.version), model
                version = version or await self._next_version(session, task.id, definition.name)
                taken = (await session.exec(select(ModelRow.id).where(
                    ModelRow.task_id == task.id, ModelRow.name == definition.name,
                    ModelRow.version == version))).first()
                if taken is not None:
                    raise _version_taken(definition.name, version)
                now = utcnow()
                model = ModelRow(
                    id=new_id(), task_id=task.id, name=definition.name, version=version,
                    metric_name=definition.metric_name,
                    with_probabilistic_output=definition.with_probabilistic_output,
                    python_model_id=definition.id, create_time=now, update_time=now)
                if previous is not None:  # a retraining keeps the version's preferences
                    model.previous_version_id = previous.id
                    model.preferred_suggestion_type = previous.preferred_suggestion_type
                    model.resampled_dataset_size = previous.resampled_dataset_size
                    model.retraining_cost_amount = previous.retraining_cost_amount
                    model.retraining_cost_currency = previous.retraining_cost_currency
                row = PythonModelVersionRow(
                    model_id=model.id, python_model_id=definition.id,
                    status=Status.PENDING.value, definition_version=definition.definition_version,
                    definition=snapshot(definition), output_tail="",
                    artifact_path=self._artifact_path(task.id, model.id),
                    previous_version_id=previous.id if previous is not None else None,
                    request_id=request_id or None, create_time=now)
                if suggestion is not None:
                    (row.suggestion_id, row.suggestion_from_time, row.suggestion_to_time,
                     row.set_reference) = suggestion
                session.add(model)
                await session.flush()
                session.add(row)
                stored = await session.get(PythonModelRow, definition.id, with_for_update=True)
                stored.latest_version_id = model.id
                session.add(stored)
        except IntegrityError as error:  # the same version tag or request id at the same time
            if not is_unique_violation(error):
                raise
            if not request_id:
                raise _version_taken(definition.name, version) from None
            async with self._db.reading() as session:
                existing = await replayed(session, PythonModelVersionRow, request_id,
                                          python_model_id=definition.id)
                if existing is None:
                    raise _version_taken(definition.name, version) from None
                model = await session.get(ModelRow, existing.model_id)
                return VersionView(existing, model.version), model
        _log.info("python_model_version_created", model_id=model.id,
                  python_model_id=definition.id, version=version,
                  suggestion_id=row.suggestion_id)
        return VersionView(row, version), model

    @staticmethod
    async def _next_version(session, task_id: str, name: str) -> str:
        """"v<n>" with the smallest n above the number of versions that is free."""
        taken = set((await session.exec(select(ModelRow.version).where(
            ModelRow.task_id == task_id, ModelRow.name == name))).all())
        number = len(taken) + 1
        while f"v{number}" in taken:
            number += 1
        return f"v{number}"

    async def _submitted(self, view: VersionView, task: TaskRow,
                         enforce_plan_limit: bool = False) -> VersionView:
        """The version with its training job (submitted once: the job's request id is the
        version's id, so a retry or the recovery finds the same job). ``enforce_plan_limit``:
        a user's training, refused past the plan's max_concurrent_jobs."""
        if view.row.job_id:
            return view
        async with self._db.reading() as session:
            project = await session.get(ProjectRow, task.project_id)
        job_id = await self._jobs.submit(
            TRAINING_JOB, {"model_id": view.row.model_id, "storage": self._storage_root},
            company_id=project.company_id,
            project_id=task.project_id, task_id=task.id, model_id=view.row.model_id,
            request_id="train-" + view.row.model_id, max_attempts=3,
            enforce_plan_limit=enforce_plan_limit)
        async with self._db.transaction() as session:
            row = await session.get(PythonModelVersionRow, view.row.model_id)
            row.job_id = job_id
            session.add(row)
        _log.info("python_model_training_submitted", model_id=row.model_id, job_id=job_id)
        return VersionView(row, view.version)

    async def recover(self) -> int:
        """Submit the jobs of versions left PENDING without one (a stop between the version's
        commit and its submission); how many."""
        async with self._db.reading() as session:
            rows = (await session.exec(select(PythonModelVersionRow, ModelRow, TaskRow)
                                       .join(ModelRow, ModelRow.id == PythonModelVersionRow.model_id)
                                       .join(TaskRow, TaskRow.id == ModelRow.task_id)
                                       .where(PythonModelVersionRow.status == Status.PENDING.value,
                                              PythonModelVersionRow.job_id.is_(None)))).all()
        for version, model, task in rows:
            await self._submitted(VersionView(version, model.version), task)
        return len(rows)

    # -- versions ------------------------------------------------------------------------------

    async def get_version(self, caller: Caller, model_id: str) -> VersionView:
        async with self._db.reading() as session:
            row, model = await self._version(session, caller, model_id, ProjectRole.VIEW,
                                             "GetPythonModelVersion")
            return VersionView(row, model.version)

    async def list_versions(self, caller: Caller, python_model_id: str, page_size: int,
                            page_token: str) -> tuple[list[VersionView], str]:
        page = paging.parse(page_size, page_token,
                            paging.fingerprint("python_model_versions", python_model_id))
        async with self._db.reading() as session:
            await self._python_model(session, caller, python_model_id, ProjectRole.VIEW,
                                     "ListPythonModelVersions")
            statement = (select(PythonModelVersionRow, ModelRow.version)
                         .join(ModelRow, ModelRow.id == PythonModelVersionRow.model_id)
                         .where(PythonModelVersionRow.python_model_id == python_model_id))
            found = list((await session.exec(paging.by_time_and_id(
                statement, page, PythonModelVersionRow.create_time,
                PythonModelVersionRow.model_id))).all())
        rows, token = paging.time_and_id_page(page, [row for row, _ in found])
        tags = {row.model_id: tag for row, tag in found}
        return [VersionView(row, tags[row.model_id]) for row in rows], token

    async def servable(self, caller: Caller, model_id: str) -> PythonModelVersionRow:
        """A COMPLETE version to predict with; FAILED_PRECONDITION for one not trained."""
        async with self._db.reading() as session:
            row, model = await self._version(session, caller, model_id, ProjectRole.VIEW,
                                             "Predict")
        if row.status != Status.COMPLETE:
            reason = f": {row.error}" if row.status == Status.FAILED else \
                ": wait for its training job" + (f" {row.job_id}" if row.job_id else "")
            raise FailedPrecondition(
                reason="MODEL_VERSION_NOT_TRAINED",
                message=f"version '{model.version}' ({model_id}) is {row.status}, not COMPLETE"
                        + reason, metadata={"model_id": model_id, "status": row.status})
        return row

    # -- the training job (internal) -----------------------------------------------------------

    @staticmethod
    async def _locked_version(session, model_id: str) -> tuple[PythonModelVersionRow, ModelRow]:
        """The version's training row, locked for this transaction, and its ModelRow."""
        row = await session.get(PythonModelVersionRow, model_id, with_for_update=True) \
            if model_id else None
        if row is None:
            raise not_found("python model version", model_id)
        return row, await session.get(ModelRow, model_id)

    async def start_training(self, model_id: str) -> TrainingStart:
        """The job begins: PENDING becomes TRAINING (with its start time); an ended version is
        answered as it is."""
        async with self._db.transaction() as session:
            row, model = await self._locked_version(session, model_id)
            if row.status == Status.PENDING:
                row.status = Status.TRAINING.value
                row.training_start_time = utcnow()
                session.add(row)
            schema = (await session.exec(
                select(DataSchemaRow).where(DataSchemaRow.task_id == model.task_id)
                .order_by(DataSchemaRow.version.desc()).limit(1))).first()
            kept = PythonModelRow(id=row.python_model_id, task_id=model.task_id,
                                  name=model.name, definition_version=row.definition_version,
                                  **row.definition)
        return TrainingStart(VersionView(row, model.version), kept,
                             list(schema.columns) if schema else [], model.task_id)

    async def finish_training(self, model_id: str, trained: bool, *, error: str = "",
                              failure: ModelCodeFailure | None = None, output_tail: str = "",
                              sample_count: int = 0, sample_weighted: bool = False,
                              artifact_size: int = 0, reference_job_id: str = "") -> VersionView:
        """The job ended: COMPLETE (its artifact written where start_training said) or FAILED
        with why. An ended version is answered as it is (a re-run changes nothing)."""
        async with self._db.transaction() as session:
            row, model = await self._locked_version(session, model_id)
            if row.status in ENDED:
                return VersionView(row, model.version)
            row.status = (Status.COMPLETE if trained else Status.FAILED).value
            row.training_start_time = row.training_start_time or utcnow()
            row.training_complete_time = utcnow()
            row.error = error[:4000]
            row.failure = failure.value if failure and not trained else None
            row.output_tail = output_tail[-4000:]
            row.training_sample_count = sample_count
            row.sample_weighted = sample_weighted
            row.artifact_size_bytes = artifact_size if trained else 0
            row.reference_job_id = reference_job_id or None
            session.add(row)
            model.update_time = row.training_complete_time
            session.add(model)
        _log.info("python_model_training_finished", model_id=model_id, status=row.status,
                  failure=row.failure)
        return VersionView(row, model.version)


def _stored(definition: Definition) -> dict:
    """The row's columns of a (checked) definition, defaults filled in."""
    return {
        "source_code": definition.source_code,
        "functions": {role: name for role, name in definition.functions.items() if name},
        "training_inputs": [given.to_json() for given in definition.training_inputs],
        "cpu_size": (definition.cpu_size or CpuSize.SMALL).value,
        "memory_gb": definition.memory_gb or DEFAULT_MEMORY_GB,
        "package_requirements": list(definition.package_requirements),
        "use_gpu": definition.use_gpu, "is_thread_safe": definition.is_thread_safe,
        "training_config": dict(definition.training_config or {}),
        "metric_name": definition.metric_name.value if definition.metric_name else None,
        "with_probabilistic_output": definition.with_probabilistic_output,
        "training_timeout_seconds": (definition.training_timeout_seconds
                                     or DEFAULT_TRAINING_SECONDS),
        "prediction_timeout_seconds": (definition.prediction_timeout_seconds
                                       or DEFAULT_PREDICTION_SECONDS),
    }


def _name_taken(name: str) -> AlreadyExists:
    return AlreadyExists(
        reason="MODEL_NAME_TAKEN",
        message=f"the task already has a model named '{name}': a Python model's versions take "
                "its name, so choose another", metadata={"name": name})


def _version_taken(name: str, version: str) -> AlreadyExists:
    return AlreadyExists(
        reason="MODEL_ALREADY_EXISTS",
        message=f"the task already has model '{name}' version '{version}': choose another "
                "version, or leave it empty for the next free one",
        metadata={"name": name, "version": version})
