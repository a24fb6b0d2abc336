"""Who may call each CatalogService RPC: every RPC for the company owner and admin, and for a
company user holding PROJECT_ADMIN, PROJECT_USER, PROJECT_VIEW or no role on the project; and
another company, which finds nothing (NOT_FOUND, never PERMISSION_DENIED)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import grpc
import pytest

import driftline
from catalog_helpers import accuracy_model, assert_error, binary_schema, binary_task
from conftest import wait_for_auth_cache
from data_helpers import inputs, target
from driftline_server.catalog import INTERNAL_METHODS
from driftline import MetricPoint, Module
from driftline.catalog.v1 import catalog_service_pb2 as pb

_counter = itertools.count()


def fresh(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


@dataclass
class World:
    project_id: str
    task_id: str
    model_id: str
    kpi_id: str
    model_run_id: str = ""
    # new_model_run(associated=False) -> a fresh run of the project, made by the owner.
    new_model_run: Callable[..., str] | None = None
    python_model_id: str = ""
    python_version_id: str = ""  # a COMPLETE version of the Python model
    model_session_id: str = ""
    built_model_id: str = ""
    # A fresh model session, and a fresh model of the session, made by the owner.
    new_model_session: Callable[[], str] | None = None
    new_built_model: Callable[[], str] | None = None
    # An experiment of the project and a model of it (hash "guarded"); the owner makes more.
    experiment_id: str = ""
    experiment_model_id: str = ""
    owner: driftline.Client | None = None


@pytest.fixture(scope="module")
def world(company) -> World:
    wait_for_auth_cache()
    owner = company.owner
    project_id = owner.create_project("guarded")
    task_id = binary_task(owner, project_id)
    model_id = accuracy_model(owner, task_id)
    owner.add_data_schema(task_id, binary_schema(model_id))
    world = World(project_id, task_id, model_id, owner.create_kpi(project_id, "revenue"))

    def new_model_run(associated: bool = False) -> str:
        run_id = owner.create_model_run(project_id, {"fresh": fresh("run")})
        if associated:
            owner.associate_model(run_id, model_id)
        return run_id

    world.model_run_id = owner.create_model_run(project_id, {"guarded": True}, model_name="gbm")
    world.new_model_run = new_model_run
    samples = [f"guarded-{i}" for i in range(20)]
    owner.wait_job_completion(owner.add_historical_data(task_id, inputs(samples),
                                                        target=target(samples)), 120)
    world.python_model_id = owner.create_python_model(
        task_id, "constant", CONSTANT_MODEL, "train", "predict", ["HISTORICAL"])
    world.python_version_id = owner.wait_model_training(
        owner.train_model(world.python_model_id).model_id, 300).model_id
    world.model_session_id = owner.create_model_session(
        project_id, "guarded", "d").model_session_id
    world.built_model_id = owner.create_built_model(
        "guarded", session_id=world.model_session_id).built_model_id
    world.new_model_session = lambda: owner.create_model_session(
        project_id, fresh("s"), "d").model_session_id
    world.new_built_model = lambda: owner.create_built_model(
        fresh("m"), session_id=world.model_session_id).built_model_id
    world.experiment_id = owner.create_experiment(project_id, "guarded").experiment_id
    world.experiment_model_id = owner.create_experiment_model(
        world.experiment_id, "guarded").experiment_model_id
    world.owner = owner
    return world


CONSTANT_MODEL = """
def train(data, config, sample_weights):
    return "yes"

def predict(state, sample):
    return state
"""


# The effective project role of each caller (owner and admin act as PROJECT_ADMIN).
RANK = {"VIEW": 1, "USER": 2, "ADMIN": 3}
ROLES = {
    "owner": 3,
    "admin": 3,
    "project_admin": 3,
    "project_user": 2,
    "project_view": 1,
    "no_role": 0,
}


@pytest.fixture(scope="module")
def callers(company, world) -> dict[str, driftline.Client]:
    project = world.project_id
    return {
        "owner": company.owner,
        "admin": company.admin,
        "project_admin": company.member("COMPANY_USER", {project: "PROJECT_ADMIN"}),
        "project_user": company.member("COMPANY_USER", {project: "PROJECT_USER"}),
        "project_view": company.member("COMPANY_USER", {project: "PROJECT_VIEW"}),
        "no_role": company.user,
    }


# RPC -> (the role it needs: a project role, or "COMPANY_MANAGER"; the call).
RPCS = {
    "CreateProject": ("COMPANY_MANAGER", lambda c, w: c.create_project(fresh("p"))),
    "GetProject": ("VIEW", lambda c, w: c.get_project(w.project_id)),
    "UpdateProject": ("ADMIN", lambda c, w: c.update_project(w.project_id, description=fresh("d"))),
    "CreateTask": ("USER", lambda c, w: binary_task(c, w.project_id, name=fresh("t"))),
    "GetTask": ("VIEW", lambda c, w: c.get_task(w.task_id)),
    "ListTasks": ("VIEW", lambda c, w: c.get_tasks(w.project_id)),
    "UpdateTask": ("USER", lambda c, w: c.update_task(w.task_id, tags=[fresh("tag")])),
    "CreateModel": ("USER", lambda c, w: accuracy_model(c, w.task_id, version=fresh("v"))),
    "GetModel": ("VIEW", lambda c, w: c.get_model(w.model_id)),
    "ListModels": ("VIEW", lambda c, w: c.get_models(w.task_id)),
    "GetModelByNameAndVersion": (
        "VIEW",
        lambda c, w: c.get_model_by_name_and_version(w.task_id, "gbm", "v1"),
    ),
    "UpdateModelVersion": ("USER", lambda c, w: c.update_model_version(w.model_id, fresh("v"))),
    "SetModelSuggestionType": (
        "USER",
        lambda c, w: c.set_model_suggestion_type(w.model_id, "SAMPLE_WEIGHTS"),
    ),
    "CreateDataSchema": (
        "USER",
        lambda c, w: c.add_data_schema(w.task_id, binary_schema(w.model_id)),
    ),
    "GetDataSchema": ("VIEW", lambda c, w: c.get_data_schema(w.task_id)),
    "GetDataSchemaTemplate": ("VIEW", lambda c, w: c.get_data_schema_template(w.task_id)),
    "CreateKpi": ("USER", lambda c, w: c.create_kpi(w.project_id, fresh("k"))),
    "GetKpi": ("VIEW", lambda c, w: c.get_kpi(w.kpi_id)),
    "ListKpis": ("VIEW", lambda c, w: c.get_kpis(w.project_id)),
    "CreateModelRun": ("USER", lambda c, w: c.create_model_run(w.project_id, {"by": fresh("r")})),
    "BatchCreateModelRuns": (
        "USER",
        lambda c, w: c.create_model_runs(w.project_id, [{"by": fresh("r")}]),
    ),
    "GetModelRun": ("VIEW", lambda c, w: c.get_model_run_by_id(w.model_run_id)),
    "FindModelRun": (
        "VIEW",
        lambda c, w: c.model_run_exists(w.project_id, {"guarded": True}, "gbm"),
    ),
    "ListModelRuns": ("VIEW", lambda c, w: list(c.search_model_runs(w.project_id, {}))),
    "UpdateModelRun": ("USER", lambda c, w: c.update_model_run(w.model_run_id, model_name="gbm")),
    "DeleteModelRun": ("USER", lambda c, w: c.delete_model_run(w.new_model_run())),
    "AssociateModelRun": ("USER", lambda c, w: c.associate_model(w.model_run_id, w.model_id)),
    "UnassociateModelRun": (
        "USER",
        lambda c, w: c.unassociate_model(w.new_model_run(associated=True), w.model_id),
    ),
    "CreatePythonModel": ("USER", lambda c, w: c.create_python_model(
        w.task_id, fresh("python"), CONSTANT_MODEL, "train", "predict", ["HISTORICAL"])),
    "GetPythonModel": ("VIEW", lambda c, w: c.get_python_model(w.python_model_id)),
    "ListPythonModels": ("VIEW", lambda c, w: c.get_python_models(w.task_id)),
    "UpdatePythonModel": ("USER", lambda c, w: c.update_python_model(
        w.python_model_id, training_config={"by": fresh("config")})),
    "TrainPythonModel": ("USER", lambda c, w: c.train_model(w.python_model_id)),
    "GetPythonModelVersion": ("VIEW", lambda c, w: c.get_python_model_version(
        w.python_version_id)),
    "ListPythonModelVersions": ("VIEW", lambda c, w: c.get_python_model_versions(
        w.python_model_id)),
    "Predict": ("VIEW", lambda c, w: c.predict(w.python_version_id, {"age": 30.0})),
    "PredictMany": ("VIEW", lambda c, w: c.predict_many(w.python_version_id,
                                                         [{"age": 30.0}])),
    # model sessions and built models
    "CreateModelSession": (
        "USER",
        lambda c, w: c.create_model_session(w.project_id, fresh("s"), "d"),
    ),
    "GetModelSession": ("VIEW", lambda c, w: c.get_model_session(w.model_session_id)),
    "ListModelSessions": ("VIEW", lambda c, w: list(c.get_model_sessions(w.project_id))),
    "UpdateModelSession": (
        "USER",
        lambda c, w: c.update_model_session(w.model_session_id, name=fresh("s")),
    ),
    "DeleteModelSession": ("USER", lambda c, w: c.delete_model_session(w.new_model_session())),
    "AddModelSessionRegistryEntries": (
        "USER",
        lambda c, w: c.add_model_session_metrics(w.model_session_id, {"m": 1}),
    ),
    "WatchModelSession": (
        "VIEW",
        lambda c, w: next(c.watch_model_session(w.model_session_id, timeout=10)),
    ),
    "WatchModelSessions": (
        "VIEW",
        lambda c, w: next(c.watch_model_sessions(w.project_id, include_heartbeats=True)),
    ),
    "CreateBuiltModel": (
        "USER",
        lambda c, w: c.create_built_model(fresh("m"), session_id=w.model_session_id),
    ),
    "GetBuiltModel": ("VIEW", lambda c, w: c.get_built_model(w.built_model_id)),
    "ListBuiltModels": ("VIEW", lambda c, w: list(c.get_built_models(w.project_id))),
    "UpdateBuiltModel": (
        "USER",
        lambda c, w: c.update_built_model(w.built_model_id, name=fresh("m")),
    ),
    "DeleteBuiltModel": ("USER", lambda c, w: c.delete_built_model(w.new_built_model())),
    # -- experiments
    "CreateExperiment": ("USER", lambda c, w: c.create_experiment(w.project_id, fresh("e"))),
    "GetExperiment": ("VIEW", lambda c, w: c.get_experiment(w.experiment_id)),
    "ListExperiments": ("VIEW", lambda c, w: list(c.get_experiments(w.project_id))),
    "UpdateExperiment": (
        "USER", lambda c, w: c.update_experiment(w.experiment_id, description=fresh("d"))),
    "DeleteExperiment": ("USER", lambda c, w: c.delete_experiment(
        w.owner.create_experiment(w.project_id, "doomed").experiment_id)),
    "CreateExperimentModel": (
        "USER", lambda c, w: c.create_experiment_model(w.experiment_id, fresh("h"))),
    "GetExperimentModel": ("VIEW", lambda c, w: c.get_experiment_model(w.experiment_model_id)),
    "GetExperimentModelByHash": (
        "VIEW", lambda c, w: c.read_experiment_model(w.experiment_id, "guarded")),
    "ListExperimentModels": ("VIEW", lambda c, w: list(c.list_experiment_models(w.experiment_id))),
    "UpdateExperimentModel": (
        "USER", lambda c, w: c.update_experiment_model(w.experiment_id, "guarded", fresh("n"))),
    "DeleteExperimentModel": ("USER", lambda c, w: c.delete_experiment_model(
        w.owner.create_experiment_model(w.experiment_id, fresh("doomed")).experiment_model_id)),
    "CreateIteration": ("USER", lambda c, w: c.create_iteration(
        w.experiment_model_id, next(_counter), "TRAINING")),
    "ListIterations": ("VIEW", lambda c, w: list(c.get_iterations(w.experiment_model_id))),
    "LogMetrics": ("USER", lambda c, w: c.log_metrics([MetricPoint(w.experiment_model_id, "l", 1)])),
    "AppendMetrics": (
        "USER", lambda c, w: c.append_metrics([MetricPoint(w.experiment_model_id, "l", 1)])),
    "ListMetrics": ("VIEW", lambda c, w: list(c.get_metrics(w.experiment_model_id))),
    "AddModules": ("USER", lambda c, w: c.add_modules(
        w.experiment_model_id, [Module(fresh("m"), "torch.nn.Linear")])),
    "ListModules": ("VIEW", lambda c, w: c.get_modules(w.experiment_model_id)),
}


def allowed(needed: str, role: str) -> bool:
    if needed == "COMPANY_MANAGER":
        return role in ("owner", "admin")
    return ROLES[role] >= RANK[needed]


def test_every_rpc_of_the_service_is_in_the_matrix():
    service = pb.DESCRIPTOR.services_by_name["CatalogService"]
    internal = {path.rsplit("/", 1)[1] for path in INTERNAL_METHODS}
    assert set(RPCS) | {"ListProjects"} | internal == {method.name for method in service.methods}


@pytest.mark.parametrize("role", list(ROLES))
def test_the_internal_methods_refuse_every_user(callers, world, role):
    """Only the suite's own services (the training job, Monitoring) may call them."""
    client = callers[role]
    for path in sorted(INTERNAL_METHODS):
        name = path.rsplit("/", 1)[1]
        with pytest.raises(driftline.PermissionDeniedError):
            request = getattr(pb, f"{name}Request")()
            if "model_id" in request.DESCRIPTOR.fields_by_name:
                request.model_id = world.model_id
            else:
                request.model_ids.append(world.model_id)
            client.stubs.call(getattr(client.stubs.catalog, name), request)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("rpc", list(RPCS))
def test_role_matrix(callers, world, rpc, role):
    needed, call = RPCS[rpc]
    if allowed(needed, role):
        call(callers[role], world)
    else:
        with pytest.raises(driftline.PermissionDeniedError) as info:
            call(callers[role], world)
        reason = "COMPANY_ROLE_REQUIRED" if needed == "COMPANY_MANAGER" else "PROJECT_ROLE_REQUIRED"
        assert_error(info.value, grpc.StatusCode.PERMISSION_DENIED, reason)


@pytest.mark.parametrize("role", list(ROLES))
def test_list_projects_shows_what_each_role_may_view(callers, world, role):
    visible = [p.project_id for p in callers[role].get_projects()]
    assert (world.project_id in visible) == (role != "no_role")


def test_company_user_sees_only_projects_with_a_role(company, world):
    elsewhere = company.owner.create_project("elsewhere")
    viewer = company.member("COMPANY_USER", {elsewhere: "PROJECT_VIEW"})
    assert [p.project_id for p in viewer.get_projects()] == [elsewhere]
    with pytest.raises(driftline.PermissionDeniedError):
        viewer.get_task(world.task_id)


# -- another company -----------------------------------------------------------------------

NOT_FOUND_REASON = {
    "GetProject": "PROJECT_NOT_FOUND",
    "UpdateProject": "PROJECT_NOT_FOUND",
    "CreateTask": "PROJECT_NOT_FOUND",
    "ListTasks": "PROJECT_NOT_FOUND",
    "CreateKpi": "PROJECT_NOT_FOUND",
    "ListKpis": "PROJECT_NOT_FOUND",
    "GetTask": "TASK_NOT_FOUND",
    "UpdateTask": "TASK_NOT_FOUND",
    "CreateModel": "TASK_NOT_FOUND",
    "ListModels": "TASK_NOT_FOUND",
    "GetModelByNameAndVersion": "TASK_NOT_FOUND",
    "CreateDataSchema": "TASK_NOT_FOUND",
    "GetDataSchema": "TASK_NOT_FOUND",
    "GetDataSchemaTemplate": "TASK_NOT_FOUND",
    "GetModel": "MODEL_NOT_FOUND",
    "UpdateModelVersion": "MODEL_NOT_FOUND",
    "SetModelSuggestionType": "MODEL_NOT_FOUND",
    "GetKpi": "KPI_NOT_FOUND",
    "CreateModelRun": "PROJECT_NOT_FOUND",
    "BatchCreateModelRuns": "PROJECT_NOT_FOUND",
    "FindModelRun": "PROJECT_NOT_FOUND",
    "ListModelRuns": "PROJECT_NOT_FOUND",
    "GetModelRun": "MODEL_RUN_NOT_FOUND",
    "UpdateModelRun": "MODEL_RUN_NOT_FOUND",
    "DeleteModelRun": "MODEL_RUN_NOT_FOUND",
    "AssociateModelRun": "MODEL_RUN_NOT_FOUND",
    "UnassociateModelRun": "MODEL_RUN_NOT_FOUND",
    "CreatePythonModel": "TASK_NOT_FOUND",
    "ListPythonModels": "TASK_NOT_FOUND",
    "GetPythonModel": "PYTHON_MODEL_NOT_FOUND",
    "UpdatePythonModel": "PYTHON_MODEL_NOT_FOUND",
    "TrainPythonModel": "PYTHON_MODEL_NOT_FOUND",
    "ListPythonModelVersions": "PYTHON_MODEL_NOT_FOUND",
    "GetPythonModelVersion": "PYTHON_MODEL_VERSION_NOT_FOUND",
    "Predict": "PYTHON_MODEL_VERSION_NOT_FOUND",
    "PredictMany": "PYTHON_MODEL_VERSION_NOT_FOUND",
    # model sessions and built models
    "CreateModelSession": "PROJECT_NOT_FOUND",
    "ListModelSessions": "PROJECT_NOT_FOUND",
    "WatchModelSessions": "PROJECT_NOT_FOUND",
    "ListBuiltModels": "PROJECT_NOT_FOUND",
    "GetModelSession": "MODEL_SESSION_NOT_FOUND",
    "UpdateModelSession": "MODEL_SESSION_NOT_FOUND",
    "DeleteModelSession": "MODEL_SESSION_NOT_FOUND",
    "AddModelSessionRegistryEntries": "MODEL_SESSION_NOT_FOUND",
    "WatchModelSession": "MODEL_SESSION_NOT_FOUND",
    "CreateBuiltModel": "MODEL_SESSION_NOT_FOUND",
    "GetBuiltModel": "BUILT_MODEL_NOT_FOUND",
    "UpdateBuiltModel": "BUILT_MODEL_NOT_FOUND",
    "DeleteBuiltModel": "BUILT_MODEL_NOT_FOUND",
    # -- experiments
    "CreateExperiment": "PROJECT_NOT_FOUND",
    "ListExperiments": "PROJECT_NOT_FOUND",
    **dict.fromkeys(["GetExperiment", "UpdateExperiment", "DeleteExperiment",
                     "CreateExperimentModel", "GetExperimentModelByHash", "ListExperimentModels",
                     "UpdateExperimentModel"], "EXPERIMENT_NOT_FOUND"),
    **dict.fromkeys(["GetExperimentModel", "DeleteExperimentModel", "CreateIteration",
                     "ListIterations", "LogMetrics", "AppendMetrics", "ListMetrics", "AddModules",
                     "ListModules"], "EXPERIMENT_MODEL_NOT_FOUND"),
}


@pytest.fixture(scope="module")
def stranger(other_company, world):
    wait_for_auth_cache()
    return other_company


@pytest.mark.parametrize("rpc", sorted(NOT_FOUND_REASON))
def test_another_company_finds_nothing(stranger, world, rpc):
    _, call = RPCS[rpc]
    with pytest.raises(driftline.NotFoundError) as info:
        call(stranger, world)
    assert_error(info.value, grpc.StatusCode.NOT_FOUND, NOT_FOUND_REASON[rpc])


def test_another_company_lists_none_of_its_projects(stranger, world, company):
    own = stranger.create_project("stranger's own")
    assert [p.project_id for p in stranger.get_projects()] == [own]
    assert own not in [p.project_id for p in company.owner.get_projects()]
    response = stranger.stubs.call(
        stranger.stubs.catalog.ListProjects, pb.ListProjectsRequest(company_id=company.company_id)
    )
    assert list(response.projects) == []


def test_nothing_of_another_company_changed(company, world):
    owner = company.owner
    assert owner.get_project(world.project_id).company_id == company.company_id
    assert owner.get_model(world.model_id).version == "v1"
