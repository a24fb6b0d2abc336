"""CatalogService through the Python client and raw stubs: every RPC's success path, FieldMask
updates, pagination, idempotent creates and the internal caller's view."""

from __future__ import annotations

import base64
import json
import uuid
from decimal import Decimal

import grpc
import pytest
from google.protobuf import field_mask_pb2

from catalog_helpers import (
    BINARY,
    REGRESSION,
    TABULAR,
    accuracy_model,
    binary_schema,
    binary_task,
    column,
    raises,
)
from conftest import unique, wait_for_auth_cache
from driftline.catalog.v1 import (
    catalog_service_pb2 as pb,
    catalog_service_pb2_grpc,
    data_schema_pb2 as ds,
    kpi_pb2,
    model_pb2,
    project_pb2,
    task_pb2,
)
from driftline.common.v1 import money_pb2
from driftline.enums import StoragePolicy
from driftline.types import ColumnInfo, DataSchema, MulticlassClassificationTaskCostInfo

INVALID = grpc.StatusCode.INVALID_ARGUMENT


@pytest.fixture(scope="module")
def owner(company):
    wait_for_auth_cache()  # the owner's first key resolution predates their company
    return company.owner


@pytest.fixture(scope="module")
def globex(other_company):
    wait_for_auth_cache()
    return other_company


@pytest.fixture(scope="module")
def project_id(owner):
    return owner.create_project(name="resources", description="catalog resources")


@pytest.fixture(scope="module")
def task_id(owner, project_id):
    return binary_task(owner, project_id)


@pytest.fixture(scope="module")
def stub(server):
    channel = grpc.insecure_channel(server.address)
    yield catalog_service_pb2_grpc.CatalogServiceStub(channel)
    channel.close()


def call(client, method: str, request):
    return client.stubs.call(getattr(client.stubs.catalog, method), request)


# -- projects ------------------------------------------------------------------------------


def test_project_is_created_read_listed_and_shown(owner, company, capsys):
    project_id = owner.create_project(
        name="churn",
        description="churn models",
        default_storage_policy=project_pb2.STORAGE_POLICY_CUSTOMER,
    )
    project = owner.get_project(project_id)
    assert (project.project_id, project.company_id, project.name, project.description) == (
        project_id,
        company.company_id,
        "churn",
        "churn models",
    )
    assert project.default_storage_policy is StoragePolicy.CUSTOMER
    assert project.creation_datetime and project.update_datetime == project.creation_datetime
    assert project_id in [p.project_id for p in owner.get_projects()]
    owner.show_projects()
    assert "churn" in capsys.readouterr().out


def test_project_storage_policy_defaults_to_driftline(owner):
    project = owner.get_project(owner.create_project("defaults"))
    assert project.default_storage_policy == project_pb2.STORAGE_POLICY_DRIFTLINE
    assert project.description is None


def test_update_project_changes_only_the_fields_named(owner):
    project_id = owner.create_project("before", "kept")
    updated = owner.update_project(project_id, name="after")  # the project, as in the SDK
    project = owner.get_project(project_id)
    assert updated == project
    assert (project.name, project.description) == ("after", "kept")
    assert project.default_storage_policy == project_pb2.STORAGE_POLICY_DRIFTLINE
    assert project.update_datetime > project.creation_datetime
    owner.update_project(project_id, default_storage_policy="CUSTOMER", description="")
    project = owner.get_project(project_id)
    assert (project.name, project.description) == ("after", None)
    assert project.default_storage_policy == project_pb2.STORAGE_POLICY_CUSTOMER


def test_update_project_mask_ignores_values_outside_it(owner):
    project_id = owner.create_project("masked", "unchanged")
    response = call(
        owner,
        "UpdateProject",
        pb.UpdateProjectRequest(
            project=project_pb2.Project(id=project_id, name="renamed", description="IGNORED"),
            update_mask=field_mask_pb2.FieldMask(paths=["name"]),
        ),
    )
    assert (response.project.name, response.project.description) == ("renamed", "unchanged")


def test_update_project_rejects_unknown_mask_paths(owner, project_id):
    for path in ["company_id", "create_time", "nonsense"]:
        with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
            call(
                owner,
                "UpdateProject",
                pb.UpdateProjectRequest(
                    project=project_pb2.Project(id=project_id, name="x"),
                    update_mask=field_mask_pb2.FieldMask(paths=[path]),
                ),
            )
    assert owner.get_project(project_id).name == "resources"


def test_update_without_mask_updates_the_fields_set(owner):
    project_id = owner.create_project("unmasked", "stays")
    call(
        owner,
        "UpdateProject",
        pb.UpdateProjectRequest(project=project_pb2.Project(id=project_id, name="renamed")),
    )
    project = owner.get_project(project_id)
    assert (project.name, project.description) == ("renamed", "stays")


def test_create_project_with_request_id_is_idempotent(owner):
    request = pb.CreateProjectRequest(
        project=project_pb2.Project(name="retried"), request_id=uuid.uuid4().hex
    )
    first = call(owner, "CreateProject", request).project
    second = call(owner, "CreateProject", request).project
    assert first.id == second.id
    assert [p.project_id for p in owner.get_projects()].count(first.id) == 1


# -- tasks ---------------------------------------------------------------------------------


def test_task_is_created_read_listed_and_shown(owner, project_id, capsys):
    task_id = binary_task(owner, project_id, name="created")
    task = owner.get_task(task_id)
    assert (task.task_id, task.project_id, task.name, task.tags) == (
        task_id,
        project_id,
        "created",
        ["q3"],
    )
    assert task.task_type == BINARY and task.data_structure == TABULAR
    assert task.positive_class == "yes"
    cost = task.cost_info
    assert (cost.currency, cost.false_positive_cost, cost.false_negative_cost) == (
        money_pb2.CURRENCY_EURO,
        Decimal("5"),
        Decimal("50.25"),
    )
    assert not task.optional_target and task.text_language is None
    assert task_id in [t.task_id for t in owner.get_tasks(project_id)]
    owner.show_tasks(project_id)
    assert "CLASSIFICATION_BINARY" in capsys.readouterr().out


@pytest.mark.parametrize("label", [True, 1, "yes"])
def test_positive_class_keeps_its_type(owner, project_id, label):
    task = owner.get_task(binary_task(owner, project_id, positive_class=label, cost_info=None))
    assert task.positive_class == label and type(task.positive_class) is type(label)


def test_text_and_rag_tasks_keep_language_and_separator(owner, project_id):
    rag = owner.get_task(
        owner.create_task(
            project_id,
            "rag",
            [],
            task_pb2.TASK_TYPE_RAG,
            task_pb2.DATA_STRUCTURE_TEXT,
            text_language=task_pb2.TEXT_LANGUAGE_ENGLISH,
            rag_contexts_separator="\n---\n",
            optional_target=True,
        )
    )
    assert rag.text_language == task_pb2.TEXT_LANGUAGE_ENGLISH
    assert rag.rag_contexts_separator == "\n---\n" and rag.optional_target
    regression = owner.get_task(
        owner.create_task(
            project_id,
            "prices",
            ["eu"],
            "REGRESSION",
            "TABULAR",
            cost_info=task_pb2.RegressionTaskCostInfo(
                currency=money_pb2.CURRENCY_DOLLAR,
                overestimation_cost="1.5",
                underestimation_cost="2",
            ),
        )
    )
    assert regression.cost_info.underestimation_cost == 2
    multiclass = owner.get_task(
        owner.create_task(
            project_id,
            "segments",
            [],
            task_pb2.TASK_TYPE_CLASSIFICATION_MULTICLASS,
            TABULAR,
            cost_info=MulticlassClassificationTaskCostInfo(currency="EURO",
                                                           misclassification_cost=3),
        )
    )
    assert multiclass.cost_info == MulticlassClassificationTaskCostInfo(
        currency=money_pb2.CURRENCY_EURO, misclassification_cost=Decimal("3"))


def test_update_task_changes_only_the_fields_named(owner, project_id):
    task_id = binary_task(owner, project_id, name="to update")
    before = owner.get_task(task_id)
    owner.update_task(task_id, tags=[])
    task = owner.get_task(task_id)
    assert task.tags == [] and task.name == "to update"
    assert task.cost_info == before.cost_info and task.positive_class == before.positive_class
    owner.update_task(
        task_id,
        name="updated",
        cost_info=task_pb2.BinaryClassificationTaskCostInfo(
            currency=money_pb2.CURRENCY_DOLLAR, false_positive_cost="1", false_negative_cost="2"
        ),
    )
    task = owner.get_task(task_id)
    assert task.name == "updated" and task.tags == []
    assert task.cost_info.currency == money_pb2.CURRENCY_DOLLAR
    assert task.task_type == BINARY and task.creation_datetime == before.creation_datetime
    # The cost information a task carries goes back as it came.
    owner.update_task(task_id, cost_info=before.cost_info)
    assert owner.get_task(task_id).cost_info == before.cost_info


def test_update_task_can_remove_cost_info(owner, project_id):
    task_id = binary_task(owner, project_id)
    call(
        owner,
        "UpdateTask",
        pb.UpdateTaskRequest(
            task=task_pb2.Task(id=task_id),
            update_mask=field_mask_pb2.FieldMask(paths=["cost_info"]),
        ),
    )
    assert owner.get_task(task_id).cost_info is None


def test_update_task_rejects_unknown_and_immutable_paths(owner, task_id):
    for path in ["task_type", "positive_class", "project_id", "nonsense"]:
        with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
            call(
                owner,
                "UpdateTask",
                pb.UpdateTaskRequest(
                    task=task_pb2.Task(id=task_id, task_type=REGRESSION),
                    update_mask=field_mask_pb2.FieldMask(paths=[path]),
                ),
            )
    assert owner.get_task(task_id).task_type == BINARY


def test_create_task_with_request_id_is_idempotent(owner, project_id):
    request = pb.CreateTaskRequest(
        project_id=project_id,
        request_id=uuid.uuid4().hex,
        task=task_pb2.Task(name="once", task_type=REGRESSION, data_structure=TABULAR),
    )
    assert call(owner, "CreateTask", request).task.id == call(owner, "CreateTask", request).task.id


# -- pagination ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crowded_project(owner):
    project_id = owner.create_project("crowded")
    task_ids = [
        owner.create_task(project_id, f"task {i:02d}", [], REGRESSION, TABULAR) for i in range(25)
    ]
    return project_id, task_ids


def test_pages_of_ten_cover_25_tasks_once(owner, crowded_project):
    project_id, task_ids = crowded_project
    seen, sizes, token = [], [], ""
    while True:
        response = call(
            owner,
            "ListTasks",
            pb.ListTasksRequest(project_id=project_id, page_size=10, page_token=token),
        )
        seen += [task.id for task in response.tasks]
        sizes.append(len(response.tasks))
        token = response.next_page_token
        if not token:
            break
    assert sizes == [10, 10, 5]
    assert seen == task_ids  # oldest first, no duplicates, none missing
    assert [t.task_id for t in owner.get_tasks(project_id)] == task_ids


def test_page_size_is_capped_and_defaulted(owner, crowded_project):
    project_id, task_ids = crowded_project
    for size in (0, 5000):
        response = call(
            owner, "ListTasks", pb.ListTasksRequest(project_id=project_id, page_size=size)
        )
        assert len(response.tasks) == 25 and response.next_page_token == ""


def test_bad_page_tokens_and_sizes_are_invalid(owner, crowded_project, project_id):
    crowded, _ = crowded_project
    first = call(owner, "ListTasks", pb.ListTasksRequest(project_id=crowded, page_size=10))
    forged = base64.urlsafe_b64encode(json.dumps({"q": "x", "t": "y", "i": 1}).encode()).decode()
    for token in ["garbage!", "e30=", forged]:
        with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):
            call(owner, "ListTasks", pb.ListTasksRequest(project_id=crowded, page_token=token))
    with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):  # a token of another listing
        call(
            owner,
            "ListTasks",
            pb.ListTasksRequest(project_id=project_id, page_token=first.next_page_token),
        )
    with raises(INVALID, "INVALID_PAGE_SIZE", "page_size"):
        call(owner, "ListTasks", pb.ListTasksRequest(project_id=crowded, page_size=-1))
    with raises(INVALID, "INVALID_PAGE_SIZE", "page_size"):
        call(owner, "ListProjects", pb.ListProjectsRequest(page_size=-5))


def test_projects_kpis_and_models_page_too(owner, crowded_project):
    project_id, task_ids = crowded_project
    for i in range(3):
        owner.create_kpi(project_id, f"kpi {i}")
        accuracy_model(
            owner, task_ids[0], version=f"v{i}", metric_name=model_pb2.MODEL_METRIC_NAME_RMSE
        )
    pages = [call(owner, "ListKpis", pb.ListKpisRequest(project_id=project_id, page_size=2))]
    pages.append(
        call(
            owner,
            "ListKpis",
            pb.ListKpisRequest(
                project_id=project_id, page_size=2, page_token=pages[0].next_page_token
            ),
        )
    )
    assert [len(p.kpis) for p in pages] == [2, 1] and pages[1].next_page_token == ""
    first = call(owner, "ListModels", pb.ListModelsRequest(task_id=task_ids[0], page_size=2))
    rest = call(
        owner,
        "ListModels",
        pb.ListModelsRequest(task_id=task_ids[0], page_size=2, page_token=first.next_page_token),
    )
    assert [m.version for m in [*first.models, *rest.models]] == ["v0", "v1", "v2"]
    first = call(owner, "ListProjects", pb.ListProjectsRequest(page_size=1))
    second = call(
        owner, "ListProjects", pb.ListProjectsRequest(page_size=1, page_token=first.next_page_token)
    )
    assert first.projects[0].id != second.projects[0].id


# -- models --------------------------------------------------------------------------------


def test_model_is_created_read_found_and_shown(owner, task_id, capsys):
    model_id = accuracy_model(owner, task_id, name="created")
    model = owner.get_model(model_id)
    assert (model.model_id, model.task_id, model.name, model.version) == (
        model_id,
        task_id,
        "created",
        "v1",
    )
    assert model.metric_name == model_pb2.MODEL_METRIC_NAME_ACCURACY
    assert model.with_probabilistic_output
    assert model.preferred_suggestion_type == model_pb2.SUGGESTION_TYPE_SAMPLE_WEIGHTS
    # The retraining cost is in the task's currency.
    assert (model.retraining_cost, model.retraining_cost_currency) == (
        Decimal("120.5"),
        money_pb2.CURRENCY_EURO,
    )
    assert owner.get_model_by_name_and_version(task_id, "created", "v1").model_id == model_id
    assert model_id in [m.model_id for m in owner.get_models(task_id)]
    assert [m.model_id for m in owner.iter_models(task_id, page_size=1, limit=2)] == [
        m.model_id for m in owner.get_models(task_id)[:2]]
    owner.show_models(task_id)
    assert "created" in capsys.readouterr().out


def test_create_model_takes_the_platform_sdks_order_and_defaults(owner, task_id):
    """(task_id, name, version, with_probabilistic_output, metric_name) positional, the
    suggestion type defaulted; the order before the SDK's is refused, not misread."""
    model = owner.get_model(owner.create_model(task_id, "sdk-order", "v1", True, "ACCURACY"))
    assert model.with_probabilistic_output
    assert model.metric_name == model_pb2.MODEL_METRIC_NAME_ACCURACY
    assert model.preferred_suggestion_type is None
    assert model.retraining_cost == 0 and model.resampled_dataset_size is None
    with pytest.raises(TypeError, match="with_probabilistic_output must be True or False"):
        owner.create_model(task_id, "old-order", "v1", "ACCURACY", "SAMPLE_WEIGHTS")


def test_resampled_dataset_model_keeps_its_size(owner, task_id):
    model = owner.get_model(
        accuracy_model(
            owner,
            task_id,
            name="resampled",
            preferred_suggestion_type=model_pb2.SUGGESTION_TYPE_RESAMPLED_DATASET,
            resampled_dataset_size=5000,
            retraining_cost=0.0,
        )
    )
    assert model.resampled_dataset_size == 5000 and model.retraining_cost == 0


def test_update_model_version_makes_a_new_version(owner, task_id):
    model_id = accuracy_model(owner, task_id, name="versioned")
    new_id = owner.update_model_version(model_id, "v2")
    assert new_id != model_id
    new = owner.get_model(new_id)
    assert (new.name, new.version, new.previous_version_id) == ("versioned", "v2", model_id)
    assert new.metric_name == model_pb2.MODEL_METRIC_NAME_ACCURACY
    assert owner.get_model(model_id).version == "v1"
    assert owner.get_model_by_name_and_version(task_id, "versioned", "v2").model_id == new_id
    versions = [m.version for m in owner.get_models(task_id) if m.name == "versioned"]
    assert versions == ["v1", "v2"]


def test_name_and_version_are_unique_per_task(owner, project_id, task_id):
    accuracy_model(owner, task_id, name="unique")
    with raises(grpc.StatusCode.ALREADY_EXISTS, "MODEL_ALREADY_EXISTS"):
        accuracy_model(owner, task_id, name="unique")
    second = owner.create_model(task_id, "unique", "v2", False, "ACCURACY")
    with raises(grpc.StatusCode.ALREADY_EXISTS, "MODEL_ALREADY_EXISTS"):
        owner.update_model_version(second, "v1")
    # The same name and version in another task is another model.
    other_task = binary_task(owner, project_id, name="other")
    assert accuracy_model(owner, other_task, name="unique")


def test_missing_model_by_name_and_version_is_not_found(owner, task_id):
    with raises(grpc.StatusCode.NOT_FOUND, "MODEL_NOT_FOUND"):
        owner.get_model_by_name_and_version(task_id, "nope", "v1")
    with raises(grpc.StatusCode.NOT_FOUND, "MODEL_NOT_FOUND"):
        owner.get_model("0" * 32)


# -- data schemas --------------------------------------------------------------------------


def test_data_schema_is_added_read_replaced_and_shown(owner, project_id, capsys):
    task_id = binary_task(owner, project_id, name="schema")
    with raises(grpc.StatusCode.NOT_FOUND, "DATA_SCHEMA_NOT_FOUND"):
        owner.get_data_schema(task_id)
    model_id = accuracy_model(owner, task_id)
    owner.add_data_schema(task_id, binary_schema(model_id))
    schema = owner.get_data_schema(task_id)
    assert (schema.task_id, schema.version) == (task_id, 1)
    assert [c.name for c in schema.columns] == [
        "sample_id",
        "timestamp",
        "age",
        "plan",
        "label",
        "prediction",
        "probability",
    ]
    assert list(schema.columns[3].possible_values) == ["basic", "pro"]
    assert schema.columns[5].model_id == model_id and schema.columns[5].predicted_target == "label"
    assert schema.columns[6].subrole == ds.COLUMN_SUB_ROLE_MODEL_PROBABILITY
    assert not any(c.is_nullable for c in schema.columns)

    owner.add_data_schema(task_id, ds.DataSchema(columns=binary_schema()))
    assert owner.get_data_schema(task_id).version == 2
    first = call(owner, "GetDataSchema", pb.GetDataSchemaRequest(task_id=task_id, version=1))
    assert len(first.data_schema.columns) == 7
    owner.show_data_schema(task_id)
    assert "sample_id" in capsys.readouterr().out


def test_array_columns_keep_their_dims(owner, project_id):
    task_id = owner.create_task(
        project_id,
        "images",
        [],
        task_pb2.TASK_TYPE_CLASSIFICATION_MULTILABEL,
        task_pb2.DATA_STRUCTURE_IMAGE,
    )
    owner.add_data_schema(
        task_id,
        [
            column("id", "ID", "INTEGER"),
            column("t", "TIME_ID", "STRING"),
            column("image", "INPUT", "ARRAY_3", dims=[64, 64, 3]),
            column("labels", "TARGET", "ARRAY_1", dims=[3], classes_names=["cat", "dog", "fox"]),
        ],
    )
    columns = owner.get_data_schema(task_id).columns
    assert list(columns[2].dims) == [64, 64, 3] and list(columns[3].classes_names) == [
        "cat",
        "dog",
        "fox",
    ]


def template_of(owner, project_id, *args, **kwargs):
    task_id = owner.create_task(project_id, unique("template"), [], *args, **kwargs)
    template = owner.get_data_schema_template(task_id)
    return task_id, {c.name: c for c in template.columns}


def test_template_of_a_binary_task(owner, project_id):
    task_id = binary_task(owner, project_id, name="template")
    model_id = accuracy_model(owner, task_id)
    template = owner.get_data_schema_template(task_id)
    roles = [c.role for c in template.columns]
    assert roles == [
        ds.COLUMN_ROLE_ID,
        ds.COLUMN_ROLE_TIME_ID,
        ds.COLUMN_ROLE_TARGET,
        ds.COLUMN_ROLE_PREDICTION,
    ]
    assert template.task_id == task_id and template.version is None
    target = template.columns[2]
    assert target.data_type == ds.DATA_TYPE_CATEGORICAL and "yes" in target.possible_values
    assert template.columns[3].model_id == model_id


def test_templates_follow_task_type_and_data_structure(owner, project_id):
    _, columns = template_of(owner, project_id, REGRESSION, TABULAR)
    assert columns["target"].data_type == ds.DATA_TYPE_FLOAT and len(columns) == 3
    _, columns = template_of(owner, project_id, REGRESSION, TABULAR, optional_target=True)
    assert columns["target"].is_nullable
    _, columns = template_of(
        owner,
        project_id,
        task_pb2.TASK_TYPE_RAG,
        task_pb2.DATA_STRUCTURE_TEXT,
        text_language="ITALIAN",
        rag_contexts_separator="||",
    )
    assert {c.role for c in columns.values()} == {
        ds.COLUMN_ROLE_ID,
        ds.COLUMN_ROLE_TIME_ID,
        ds.COLUMN_ROLE_USER_INPUT,
        ds.COLUMN_ROLE_RETRIEVED_CONTEXT,
    }
    _, columns = template_of(
        owner,
        project_id,
        task_pb2.TASK_TYPE_CLASSIFICATION_MULTICLASS,
        task_pb2.DATA_STRUCTURE_EMBEDDING,
    )
    assert columns["embedding"].data_type == ds.DATA_TYPE_ARRAY_1
    assert columns["target"].data_type == ds.DATA_TYPE_CATEGORICAL
    _, columns = template_of(owner, project_id, task_pb2.TASK_TYPE_CLUSTERING, TABULAR)
    assert "target" not in columns


def test_a_completed_template_is_a_valid_schema(owner, project_id):
    task_id, columns = template_of(owner, project_id, REGRESSION, TABULAR)
    schema = owner.get_data_schema_template(task_id)
    owner.add_data_schema(task_id, DataSchema(columns=[
        *schema.columns, ColumnInfo(name="x", role="INPUT", data_type="FLOAT")]))
    added = owner.get_data_schema(task_id)
    assert added.version == 1 and added.columns == [
        *schema.columns, ColumnInfo(name="x", role="INPUT", data_type="FLOAT")]
    # A schema read back is added as it is; messages and results may be mixed in a list.
    owner.add_data_schema(task_id, added)
    owner.add_data_schema(task_id, [*added.columns[:-1], column("y", "INPUT", "FLOAT")])
    assert [c.name for c in owner.get_data_schema(task_id).columns][-1] == "y"


# -- KPIs ----------------------------------------------------------------------------------


def test_kpi_is_created_read_listed_and_shown(owner, project_id, capsys):
    kpi_id = owner.create_kpi(project_id, "monthly revenue")
    kpi = owner.get_kpi(kpi_id)
    assert (kpi.kpi_id, kpi.project_id, kpi.name) == (kpi_id, project_id, "monthly revenue")
    assert kpi.creation_datetime and kpi_id in [k.kpi_id for k in owner.get_kpis(project_id)]
    owner.show_kpis(project_id)
    assert "monthly revenue" in capsys.readouterr().out
    request = pb.CreateKpiRequest(
        project_id=project_id, kpi=kpi_pb2.Kpi(name="retried"), request_id=uuid.uuid4().hex
    )
    assert call(owner, "CreateKpi", request).kpi.id == call(owner, "CreateKpi", request).kpi.id


# -- the internal caller -------------------------------------------------------------------


def test_internal_caller_reads_every_company(server, stub, owner, globex, project_id):
    other_project = globex.create_project("globex project")
    internal = (
        ("authorization", f"Bearer {(server.data_dir / 'internal.token').read_text().strip()}"),
    )
    got = stub.GetProject(pb.GetProjectRequest(project_id=other_project), metadata=internal)
    assert got.project.name == "globex project"

    def all_ids(company_id=""):
        ids, token = [], ""
        while True:
            response = stub.ListProjects(
                pb.ListProjectsRequest(company_id=company_id, page_token=token, page_size=3),
                metadata=internal,
            )
            ids += [p.id for p in response.projects]
            token = response.next_page_token
            if not token:
                return ids

    everything = all_ids()
    assert project_id in everything and other_project in everything
    own = owner.get_project(project_id).company_id
    restricted = all_ids(own)
    assert project_id in restricted and other_project not in restricted
