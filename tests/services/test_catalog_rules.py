"""Every rule of the catalog, one parametrized case per broken rule: the status is
INVALID_ARGUMENT, the ErrorInfo reason names the rule and a BadRequest violation names the field."""

from __future__ import annotations

import grpc
import pytest

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
from conftest import wait_for_auth_cache
from driftline.catalog.v1 import (
    catalog_service_pb2 as pb,
    data_schema_pb2 as ds,
    model_pb2,
    project_pb2,
    task_pb2,
)
from driftline.common.v1 import money_pb2

INVALID = grpc.StatusCode.INVALID_ARGUMENT
RAG = task_pb2.TASK_TYPE_RAG
TEXT = task_pb2.DATA_STRUCTURE_TEXT
EURO = money_pb2.CURRENCY_EURO


@pytest.fixture(scope="module")
def owner(company):
    wait_for_auth_cache()
    return company.owner


@pytest.fixture(scope="module")
def project_id(owner):
    return owner.create_project("rules")


@pytest.fixture(scope="module")
def task_id(owner, project_id):
    return binary_task(owner, project_id)


@pytest.fixture(scope="module")
def model_id(owner, task_id):
    return accuracy_model(owner, task_id)


@pytest.fixture(scope="module")
def plain_model_id(owner, task_id):
    return accuracy_model(owner, task_id, name="plain", with_probabilistic_output=False)


# -- projects and KPIs ---------------------------------------------------------------------


def test_project_needs_a_name(owner):
    with raises(INVALID, "NAME_REQUIRED", "project.name"):
        owner.create_project("   ")
    with raises(INVALID, "NAME_TOO_LONG", "project.name"):
        owner.create_project("x" * 201)


def test_project_description_is_bounded(owner):
    with raises(INVALID, "DESCRIPTION_TOO_LONG", "project.description"):
        owner.create_project("long", "x" * 2001)


def test_project_update_follows_the_same_rules(owner, project_id):
    with raises(INVALID, "NAME_REQUIRED", "project.name"):
        owner.update_project(project_id, name="")
    assert owner.get_project(project_id).name == "rules"


def test_kpi_needs_a_name(owner, project_id):
    with raises(INVALID, "NAME_REQUIRED", "kpi.name"):
        owner.create_kpi(project_id, "")


# -- tasks ---------------------------------------------------------------------------------

REGRESSION_COST = task_pb2.RegressionTaskCostInfo(
    currency=EURO, overestimation_cost="1", underestimation_cost="2"
)


def _task(**overrides):
    arguments = dict(name="t", tags=[], task_type=REGRESSION, data_structure=TABULAR)
    arguments.update(overrides)
    return arguments


TASK_RULES = [
    ("NAME_REQUIRED", "task.name", _task(name="")),
    ("NAME_TOO_LONG", "task.name", _task(name="n" * 201)),
    ("TAG_INVALID", "task.tags[1]", _task(tags=["ok", " "])),
    ("TAG_DUPLICATE", "task.tags", _task(tags=["a", "b", "a"])),
    ("TASK_TYPE_REQUIRED", "task.task_type", _task(task_type=0)),
    ("INVALID_ENUM_VALUE", "task.task_type", _task(task_type=99)),
    ("DATA_STRUCTURE_REQUIRED", "task.data_structure", _task(data_structure=0)),
    (
        "DATA_STRUCTURE_NOT_SUPPORTED",
        "task.data_structure",
        _task(task_type=RAG, rag_contexts_separator="|"),
    ),
    (
        "DATA_STRUCTURE_NOT_SUPPORTED",
        "task.data_structure",
        _task(task_type=task_pb2.TASK_TYPE_OBJECT_DETECTION),
    ),
    (
        "DATA_STRUCTURE_NOT_SUPPORTED",
        "task.data_structure",
        _task(
            task_type=task_pb2.TASK_TYPE_TIME_SERIES, data_structure=task_pb2.DATA_STRUCTURE_IMAGE
        ),
    ),
    ("POSITIVE_CLASS_REQUIRED", "task.positive_class", _task(task_type=BINARY)),
    ("POSITIVE_CLASS_NOT_ALLOWED", "task.positive_class", _task(positive_class="yes")),
    (
        "POSITIVE_CLASS_NOT_ALLOWED",
        "task.positive_class",
        _task(task_type=task_pb2.TASK_TYPE_CLASSIFICATION_MULTICLASS, positive_class=1),
    ),
    ("TEXT_LANGUAGE_REQUIRED", "task.text_language", _task(data_structure=TEXT)),
    ("TEXT_LANGUAGE_NOT_ALLOWED", "task.text_language", _task(text_language="ENGLISH")),
    (
        "RAG_CONTEXTS_SEPARATOR_REQUIRED",
        "task.rag_contexts_separator",
        _task(task_type=RAG, data_structure=TEXT, text_language="ENGLISH"),
    ),
    (
        "RAG_CONTEXTS_SEPARATOR_NOT_ALLOWED",
        "task.rag_contexts_separator",
        _task(rag_contexts_separator="|"),
    ),
    (
        "COST_INFO_MISMATCH",
        "task.cost_info",
        _task(
            cost_info=task_pb2.BinaryClassificationTaskCostInfo(
                currency=EURO, false_positive_cost="1", false_negative_cost="1"
            )
        ),
    ),
    (
        "COST_INFO_MISMATCH",
        "task.cost_info",
        _task(task_type=task_pb2.TASK_TYPE_CLUSTERING, cost_info=REGRESSION_COST),
    ),
    (
        "CURRENCY_REQUIRED",
        "task.cost_info.currency",
        _task(
            cost_info=task_pb2.RegressionTaskCostInfo(
                overestimation_cost="1", underestimation_cost="1"
            )
        ),
    ),
    (
        "COST_INVALID",
        "task.cost_info.overestimation_cost",
        _task(
            cost_info=task_pb2.RegressionTaskCostInfo(
                currency=EURO, overestimation_cost="-1", underestimation_cost="1"
            )
        ),
    ),
    (
        "COST_INVALID",
        "task.cost_info.underestimation_cost",
        _task(
            cost_info=task_pb2.RegressionTaskCostInfo(
                currency=EURO, overestimation_cost="1", underestimation_cost="1.00001"
            )
        ),
    ),
    (
        "COST_INVALID",
        "task.cost_info.misclassification_cost",
        _task(
            task_type=task_pb2.TASK_TYPE_CLASSIFICATION_MULTICLASS,
            cost_info=task_pb2.MulticlassClassificationTaskCostInfo(
                currency=EURO, misclassification_cost="much"
            ),
        ),
    ),
]


@pytest.mark.parametrize(
    "reason, field, arguments",
    TASK_RULES,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(TASK_RULES)],
)
def test_broken_task_rule_is_rejected(owner, project_id, reason, field, arguments):
    before = len(owner.get_tasks(project_id))
    with raises(INVALID, reason, field):
        owner.create_task(project_id, **arguments)
    assert len(owner.get_tasks(project_id)) == before


def test_every_broken_task_rule_is_reported_at_once(owner, project_id):
    with raises(INVALID, "NAME_REQUIRED") as info:
        owner.create_task(project_id, "", ["x", "x"], 0, 0)
    fields = {field for field, _ in info.value.field_violations}
    assert {"task.name", "task.tags", "task.task_type", "task.data_structure"} <= fields


def test_valid_tasks_of_every_kind_are_accepted(owner, project_id):
    kinds = [
        _task(cost_info=REGRESSION_COST),
        _task(
            task_type=RAG,
            data_structure=TEXT,
            text_language="MULTILANGUAGE",
            rag_contexts_separator="\n\n",
        ),
        _task(task_type=task_pb2.TASK_TYPE_OCR, data_structure=task_pb2.DATA_STRUCTURE_IMAGE),
        _task(task_type=task_pb2.TASK_TYPE_TIME_SERIES),
        _task(
            task_type=task_pb2.TASK_TYPE_CLASSIFICATION_MULTILABEL,
            data_structure=TEXT,
            text_language="ITALIAN",
        ),
        _task(
            task_type=BINARY, positive_class=False, data_structure=task_pb2.DATA_STRUCTURE_EMBEDDING
        ),
    ]
    for arguments in kinds:
        assert owner.create_task(project_id, **arguments)


def test_update_task_follows_the_rules(owner, task_id):
    with raises(INVALID, "NAME_REQUIRED", "task.name"):
        owner.update_task(task_id, name=" ")
    with raises(INVALID, "TAG_DUPLICATE", "task.tags"):
        owner.update_task(task_id, tags=["a", "a"])
    with raises(INVALID, "COST_INFO_MISMATCH", "task.cost_info"):
        owner.update_task(task_id, cost_info=REGRESSION_COST)
    task = owner.get_task(task_id)
    assert task.name == "churn" and list(task.tags) == ["q3"]


# -- models --------------------------------------------------------------------------------


def _model(**overrides):
    arguments = dict(
        name="m",
        version="v1",
        with_probabilistic_output=False,
        metric_name=model_pb2.MODEL_METRIC_NAME_ACCURACY,
    )
    arguments.update(overrides)
    return arguments


MODEL_RULES = [
    ("NAME_REQUIRED", "model.name", _model(name="")),
    ("VERSION_REQUIRED", "model.version", _model(version=" ")),
    ("VERSION_TOO_LONG", "model.version", _model(version="v" * 101)),
    ("METRIC_NAME_NOT_SUPPORTED", "model.metric_name", _model(metric_name="RMSE")),
    ("METRIC_NAME_NOT_SUPPORTED", "model.metric_name", _model(metric_name="RSQUARE")),
    ("INVALID_ENUM_VALUE", "model.metric_name", _model(metric_name=42)),
    (
        "RESAMPLED_DATASET_SIZE_REQUIRED",
        "model.resampled_dataset_size",
        _model(preferred_suggestion_type="RESAMPLED_DATASET"),
    ),
    (
        "RESAMPLED_DATASET_SIZE_REQUIRED",
        "model.resampled_dataset_size",
        _model(preferred_suggestion_type="RESAMPLED_DATASET", resampled_dataset_size=-3),
    ),
    (
        "RESAMPLED_DATASET_SIZE_NOT_ALLOWED",
        "model.resampled_dataset_size",
        _model(preferred_suggestion_type="SAMPLE_WEIGHTS", resampled_dataset_size=100),
    ),
    ("RETRAINING_COST_INVALID", "model.retraining_cost.amount", _model(retraining_cost=-1.0)),
    ("RETRAINING_COST_INVALID", "model.retraining_cost.amount", _model(retraining_cost="lots")),
]


@pytest.mark.parametrize(
    "reason, field, arguments",
    MODEL_RULES,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(MODEL_RULES)],
)
def test_broken_model_rule_is_rejected(owner, task_id, reason, field, arguments):
    with raises(INVALID, reason, field):
        owner.create_model(task_id, **arguments)


def test_metric_must_fit_the_task_type(owner, project_id):
    regression = owner.create_task(project_id, "r", [], REGRESSION, TABULAR)
    with raises(INVALID, "METRIC_NAME_NOT_SUPPORTED", "model.metric_name"):
        owner.create_model(regression, "m", "v1", False, "ACCURACY")
    assert owner.create_model(regression, "m", "v1", False, "RSQUARE")
    clustering = owner.create_task(project_id, "c", [], task_pb2.TASK_TYPE_CLUSTERING, TABULAR)
    with raises(INVALID, "METRIC_NAME_NOT_SUPPORTED", "model.metric_name"):
        owner.create_model(clustering, "m", "v1", False, "RMSE")
    assert owner.create_model(clustering, "m", "v1", False, None)


def test_retraining_cost_is_in_the_task_currency(owner, task_id):
    request = pb.CreateModelRequest(
        task_id=task_id,
        model=model_pb2.Model(
            name="dollars",
            version="v1",
            retraining_cost=money_pb2.Money(currency=money_pb2.CURRENCY_DOLLAR, amount="5"),
        ),
    )
    with raises(INVALID, "CURRENCY_MISMATCH", "model.retraining_cost.currency"):
        owner.stubs.call(owner.stubs.catalog.CreateModel, request)


def test_new_model_version_needs_a_version(owner, model_id):
    with raises(INVALID, "VERSION_REQUIRED", "new_model_version"):
        owner.update_model_version(model_id, "")


# -- data schemas --------------------------------------------------------------------------


def change(index, **fields):
    def mutate(columns):
        for name, value in fields.items():
            if isinstance(value, list):
                del getattr(columns[index], name)[:]
                getattr(columns[index], name).extend(value)
            else:
                setattr(columns[index], name, value)
        return columns

    return mutate


def drop(index):
    return lambda columns: columns[:index] + columns[index + 1 :]


def renamed(original: ds.ColumnInfo, name: str) -> ds.ColumnInfo:
    copy = ds.ColumnInfo()
    copy.CopyFrom(original)
    copy.name = name
    return copy


def add(*new):
    return lambda columns: columns + list(new)


# binary_schema(model_id): 0 sample_id ID, 1 timestamp TIME_ID, 2 age INPUT FLOAT,
# 3 plan INPUT CATEGORICAL, 4 label TARGET CATEGORICAL, 5 prediction, 6 probability.
SCHEMA_RULES = [
    ("COLUMNS_REQUIRED", "data_schema.columns", lambda columns: []),
    ("COLUMN_NAME_REQUIRED", "data_schema.columns[2].name", change(2, name="")),
    ("COLUMN_NAME_DUPLICATE", "data_schema.columns[3].name", change(3, name="age")),
    ("COLUMN_ROLE_REQUIRED", "data_schema.columns[2].role", change(2, role=0)),
    ("INVALID_ENUM_VALUE", "data_schema.columns[2].role", change(2, role=77)),
    ("DATA_TYPE_REQUIRED", "data_schema.columns[2].data_type", change(2, data_type=0)),
    ("ID_COLUMN_REQUIRED", "data_schema.columns", drop(0)),
    ("ID_COLUMN_DUPLICATE", "data_schema.columns", add(column("id2", "ID", "STRING"))),
    ("TIME_ID_COLUMN_REQUIRED", "data_schema.columns", drop(1)),
    ("TIME_ID_COLUMN_DUPLICATE", "data_schema.columns", add(column("t2", "TIME_ID", "FLOAT"))),
    ("KEY_COLUMN_NULLABLE", "data_schema.columns[0].nullable", change(0, nullable=True)),
    (
        "COLUMN_TYPE_NOT_SUPPORTED",
        "data_schema.columns[0].data_type",
        change(0, data_type=ds.DATA_TYPE_FLOAT),
    ),
    (
        "COLUMN_TYPE_NOT_SUPPORTED",
        "data_schema.columns[4].data_type",
        change(4, data_type=ds.DATA_TYPE_FLOAT, possible_values=[]),
    ),
    (
        "COLUMN_TYPE_NOT_SUPPORTED",
        "data_schema.columns[7].data_type",
        add(column("emb", "INPUT_ADDITIONAL_EMBEDDING", "FLOAT")),
    ),
    (
        "CATEGORICAL_VALUES_REQUIRED",
        "data_schema.columns[3].possible_values",
        change(3, possible_values=[]),
    ),
    (
        "POSSIBLE_VALUES_DUPLICATE",
        "data_schema.columns[3].possible_values",
        change(3, possible_values=["a", "a"]),
    ),
    (
        "POSSIBLE_VALUES_NOT_ALLOWED",
        "data_schema.columns[2].possible_values",
        change(2, possible_values=["1"]),
    ),
    (
        "DIMS_INVALID",
        "data_schema.columns[7].dims",
        add(column("matrix", "INPUT", "ARRAY_2", dims=[3])),
    ),
    (
        "DIMS_INVALID",
        "data_schema.columns[7].dims",
        add(column("vector", "INPUT", "ARRAY_1", dims=[0])),
    ),
    ("DIMS_NOT_ALLOWED", "data_schema.columns[2].dims", change(2, dims=[3])),
    ("TARGET_COLUMN_REQUIRED", "data_schema.columns", lambda c: c[:4]),
    (
        "TARGET_COLUMN_DUPLICATE",
        "data_schema.columns",
        add(column("label2", "TARGET", "CATEGORICAL", possible_values=["yes", "no"])),
    ),
    (
        "POSITIVE_CLASS_NOT_IN_TARGET",
        "data_schema.columns[4].possible_values",
        change(4, possible_values=["a", "b"]),
    ),
    ("MODEL_ID_REQUIRED", "data_schema.columns[5].model_id", change(5, model_id="")),
    ("PREDICTION_MODEL_NOT_FOUND", "data_schema.columns[5].model_id", change(5, model_id="0" * 32)),
    ("MODEL_ID_NOT_ALLOWED", "data_schema.columns[2].model_id", change(2, model_id="x")),
    (
        "PREDICTION_COLUMN_DUPLICATE",
        "data_schema.columns[7].model_id",
        lambda c: c + [renamed(c[5], "again")],
    ),
    (
        "PREDICTED_TARGET_NOT_FOUND",
        "data_schema.columns[5].predicted_target",
        change(5, predicted_target="nope"),
    ),
    (
        "PREDICTED_TARGET_NOT_ALLOWED",
        "data_schema.columns[2].predicted_target",
        change(2, predicted_target="label"),
    ),
    (
        "SUB_ROLE_NOT_ALLOWED",
        "data_schema.columns[2].sub_role",
        change(2, sub_role=ds.COLUMN_SUB_ROLE_MODEL_PROBABILITY),
    ),
    (
        "SUB_ROLE_NOT_ALLOWED",
        "data_schema.columns[2].sub_role",
        change(2, sub_role=ds.COLUMN_SUB_ROLE_SEASONALITY),
    ),
    (
        "CLASSES_NAMES_NOT_ALLOWED",
        "data_schema.columns[4].classes_names",
        change(4, classes_names=["yes", "no"]),
    ),
    (
        "ROLE_NOT_ALLOWED",
        "data_schema.columns[7].role",
        add(column("question", "USER_INPUT", "STRING")),
    ),
]


@pytest.mark.parametrize(
    "reason, field, mutate",
    SCHEMA_RULES,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(SCHEMA_RULES)],
)
def test_broken_schema_rule_is_rejected(owner, task_id, model_id, reason, field, mutate):
    with raises(INVALID, reason, field):
        owner.add_data_schema(task_id, mutate(binary_schema(model_id)))


def test_the_unbroken_schema_is_accepted(owner, project_id, model_id, task_id):
    owner.add_data_schema(task_id, binary_schema(model_id))
    assert owner.get_data_schema(task_id).columns[5].model_id == model_id


def test_probability_needs_a_probabilistic_model(owner, task_id, plain_model_id):
    columns = binary_schema(plain_model_id)
    with raises(INVALID, "MODEL_NOT_PROBABILISTIC", "data_schema.columns[6].sub_role"):
        owner.add_data_schema(task_id, columns)


def test_prediction_of_another_tasks_model_is_rejected(owner, project_id, model_id):
    other = binary_task(owner, project_id, name="other")
    with raises(INVALID, "PREDICTION_MODEL_NOT_FOUND", "data_schema.columns[5].model_id"):
        owner.add_data_schema(other, binary_schema(model_id))


def test_optional_target_tasks_may_omit_the_target(owner, project_id):
    task_id = binary_task(owner, project_id, optional_target=True)
    owner.add_data_schema(task_id, binary_schema()[:4])
    assert len(owner.get_data_schema(task_id).columns) == 4


def test_multilabel_target_names_its_classes(owner, project_id):
    task_id = owner.create_task(
        project_id, "tags", [], task_pb2.TASK_TYPE_CLASSIFICATION_MULTILABEL, TABULAR
    )
    columns = binary_schema()[:4] + [column("labels", "TARGET", "ARRAY_1", dims=[2])]
    with raises(INVALID, "CLASSES_NAMES_REQUIRED", "data_schema.columns[4].classes_names"):
        owner.add_data_schema(task_id, columns)


def test_rag_schema_needs_user_input_and_retrieved_context(owner, project_id):
    task_id = owner.create_task(
        project_id, "rag", [], RAG, TEXT, text_language="ENGLISH", rag_contexts_separator="|"
    )
    keys = binary_schema()[:2]
    with raises(INVALID, "USER_INPUT_COLUMN_REQUIRED", "data_schema.columns"):
        owner.add_data_schema(task_id, keys + [column("ctx", "RETRIEVED_CONTEXT", "STRING")])
    with raises(INVALID, "RETRIEVED_CONTEXT_COLUMN_REQUIRED", "data_schema.columns"):
        owner.add_data_schema(task_id, keys + [column("q", "USER_INPUT", "STRING")])
    owner.add_data_schema(
        task_id,
        keys
        + [
            column("q", "USER_INPUT", "STRING"),
            column("ctx", "RETRIEVED_CONTEXT", "STRING"),
            column("session", "METADATA", "STRING", sub_role=ds.COLUMN_SUB_ROLE_RAG_SESSION_ID),
        ],
    )
    assert owner.get_data_schema(task_id).version == 1


def test_request_ids_and_amounts_are_bounded(owner, task_id):
    request = pb.CreateProjectRequest(project=project_pb2.Project(name="p"), request_id="r" * 65)
    with raises(INVALID, "REQUEST_ID_TOO_LONG", "request_id"):
        owner.stubs.call(owner.stubs.catalog.CreateProject, request)
    with raises(INVALID, "RETRAINING_COST_INVALID", "model.retraining_cost.amount"):
        owner.create_model(task_id, "m", "v1", False, "ACCURACY", retraining_cost="1" * 31)
