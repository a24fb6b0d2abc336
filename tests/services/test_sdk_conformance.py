"""The monitoring platform SDK's calls, as its users write them, run on Driftline.

Two checks, one server, started as `make run` starts it:

- Every SDK method the client covers is compared with the SDK's documented signature (the table
  ``SDK_CALLS`` below, written from ../shared/reference/003_*.txt): the same names in the same
  positional order, the SDK's defaults, Driftline's extra arguments only after them and never
  required; the SDK's job submissions and creations return an id (``str``), its listings a
  ``list``. Where the SDK requires an argument Driftline may default it (a call in the SDK's
  words still works): create_company's address and vat, create_project's description and
  storage policy, update_company's and update_project's fields, get_suggestions_info's and
  show_suggestions' model_version (the version model_id names), set_model_reference's range
  (a suggestion instead), get_detection_events' task_id (a KPI instead), create_api_key's and
  create_user_api_key's name and expiration, test_retrain_trigger's trigger (the model's own).
- A script in the SDK's own words, positional where its docs are, runs end to end against a real
  server: company, project, task, model (no preferred_suggestion_type), schema, historical data,
  the model's reference, production data with a shift, waits on the returned job ids, the
  monitoring status of a metric without a column, detection events as a list, a retraining
  report with its weights, the suggestions of a model version, a new version from a suggestion
  and from a time range (job ids, waited on).

Only the import and the client's constructor differ from an SDK script, and two things the
SDK types itself: enums are given by name ("CLASSIFICATION_BINARY"), as driftline.enums
members (``ColumnRole.ID``) or as Driftline's generated values, and data as tables or file paths
(here Parquet files, the nearest to the SDK's LocalDataSource) instead of its Data objects. The
schema is the SDK's: ``DataSchema(columns=[ColumnInfo(name, role, is_nullable, data_type,
...)])``, from driftline.types.

Every result is typed (driftline.types) and read here in the SDK's words. Monitoring's: the
script reads ``status.monitoring_target``, ``event.event_type``, ``event.specification``,
``report.report_id``, ``suggestion.suggestion_id``, ``suggestion.suggestion_type``, a
SuggestionInfo's ``id``, ``executed`` and ``timestamp``, and ``SDK_RESULT_FIELDS`` lists every
field the SDK's monitoring types have, each checked on Driftline's result of the same name.
Catalog's: the project, task, model (``model_id``, ``metric_name``, ``creation_datetime``,
``retraining_cost``), schema (ColumnInfo's ``is_nullable``, ``subrole``, ...) and a KPI
(``kpi_id``), with Model, ColumnInfo, DataSchema and KPI in SDK_RESULT_FIELDS (less the fields
Driftline leaves out, said beside them). Job's (job_id, job_group, project_id, project_name,
task_id, task_name, model_id, model_name, status, error), and the company, its users and its
plans in the SDK's words. Subscription plans
(get_all_company_subscription_plans, get_active_subscription_plan) are in the table and the
script.
"""

from __future__ import annotations

import ast
import inspect
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import driftline
import driftline.types
from driftline.catalog.v1 import model_pb2, project_pb2
from driftline.enums import ColumnRole, ColumnSubRole, DataType
from driftline.monitoring.v1 import monitoring_pb2
from driftline.types import KPI, ColumnInfo, DataSchema, Model, Project, Task

# The SDK's documented signatures (names, positional order, defaults), one call a line.
SDK_CALLS = """
create_company(name, address, vat)
get_company()
update_company(name, address, vat)
create_project(name, description, default_storage_policy)
get_projects()
get_project(project_id)
update_project(project_id, name, description, default_storage_policy)
show_projects()
create_task(project_id, name, tags, task_type, data_structure, cost_info=None,
            optional_target=False, text_language=None, positive_class=None,
            rag_contexts_separator=None)
update_task(task_id, name=None, tags=None, cost_info=None)
get_tasks(project_id)
get_task(task_id)
show_tasks(project_id)
create_model(task_id, name, version, with_probabilistic_output, metric_name,
             preferred_suggestion_type=None, retraining_cost=0.0, resampled_dataset_size=None)
get_models(task_id)
get_model(model_id)
get_model_by_name_and_version(task_id, model_name, model_version)
show_models(task_id)
get_suggestions_info(model_id, model_version)
show_suggestions(model_id, model_version)
set_model_suggestion_type(model_id, preferred_suggestion_type, resampled_dataset_size=None)
update_model_version_by_suggestion_id(model_id, new_model_version, suggestion_id)
update_model_version(model_id, new_model_version)
update_model_version_from_time_range(model_id, new_model_version, from_timestamp, to_timestamp)
add_data_schema(task_id, data_schema)
get_data_schema(task_id)
get_data_schema_template(task_id)
show_data_schema(task_id)
add_historical_data(task_id, inputs, target=None, predictions=None)
add_target_data(task_id, target)
set_model_reference(model_id, from_timestamp, to_timestamp)
add_production_data(task_id, inputs=None, target=None, predictions=None)
create_kpi(project_id, name)
get_kpi(kpi_id)
get_kpis(project_id)
show_kpis(project_id)
add_kpi_data(project_id, kpi_id, kpi)
compute_retraining_report(model_id)
get_retraining_report(model_id)
compute_rag_evaluation_report(task_id, report_name, from_timestamp, to_timestamp)
get_rag_evaluation_reports(task_id)
export_rag_evaluation_report(report_id, folder, file_name)
compute_topic_modeling_report(task_id, report_name, from_timestamp, to_timestamp)
get_topic_modeling_reports(task_id)
get_topic_modeling_report(report_id)
get_monitoring_status(task_id, monitoring_target, monitoring_metric=None)
get_jobs(project_id=None, task_id=None, model_id=None, status=None, job_id=None)
get_job(job_id)
show_jobs()
get_detection_events(task_id)
get_detection_event_rules(task_id)
get_detection_event_rule(rule_id)
set_detection_event_user_feedback(detection_id, user_feedback)
create_detection_event_rule(name, task_id, severity, detection_event_type, monitoring_target,
                            actions, monitoring_metric=None, model_name=None)
update_detection_event_rule(rule_id, name=None, model_name=None, severity=None,
                            detection_event_type=None, monitoring_target=None, actions=None)
delete_detection_event_rule(rule_id)
wait_job_completion(job_id, max_wait_timeout=3000)
create_company_user(name, surname, username, password, email, company_role)
get_company_users()
change_user_company_role(user_id, company_role)
show_company_users()
get_user_projects(user_id)
show_user_projects(user_id)
add_user_project_role(user_id, project_id, project_role)
delete_project_role(user_id, project_id)
get_api_keys()
show_api_keys()
create_api_key(name, expiration_time)
delete_api_key(api_key)
get_user_api_keys(user_id)
show_user_api_keys(user_id)
create_user_api_key(user_id, name, expiration_time)
delete_user_api_key(user_id, api_key)
change_company_owner(user_id)
delete_company_user(user_id)
get_integration_credentials(credentials_id)
get_all_project_integration_credentials(project_id)
delete_integration_credentials(credentials_id)
set_integration_credentials_as_default(credentials_id)
create_aws_integration_credentials(name, default, project_id, role_arn)
create_aws_compatible_integration_credentials(name, default, project_id, access_key_id,
                                              secret_access_key, endpoint_url=None)
create_gcp_integration_credentials(name, default, project_id, service_account_info_json)
create_azure_integration_credentials(name, default, project_id,
                                     service_principal_credentials_json)
set_retrain_trigger(model_id, trigger)
test_retrain_trigger(model_id, trigger)
retrain_model(model_id)
get_all_company_subscription_plans()
get_active_subscription_plan()
"""

# What the SDK returns: an identifier (a job's, or the entity's it created), or a list.
RETURNS_ID = """create_company create_project create_task create_model create_kpi
    create_detection_event_rule create_company_user create_user_api_key update_model_version
    add_historical_data add_target_data set_model_reference add_production_data add_kpi_data
    compute_retraining_report compute_rag_evaluation_report compute_topic_modeling_report
    update_model_version_by_suggestion_id update_model_version_from_time_range""".split()
RETURNS_LIST = """get_projects get_tasks get_models get_suggestions_info get_kpis
    get_rag_evaluation_reports get_topic_modeling_reports get_jobs get_detection_events
    get_detection_event_rules get_company_users get_user_projects get_api_keys
    get_user_api_keys get_all_project_integration_credentials
    get_all_company_subscription_plans""".split()

REQUIRED = object()


def _sdk_calls() -> list[tuple[str, list[tuple[str, object]]]]:
    """(method, [(argument, default or REQUIRED), ...]) for each SDK call of the table."""
    calls = []
    for call in ast.parse(SDK_CALLS).body:
        call = call.value
        arguments = [(a.id, REQUIRED) for a in call.args]
        arguments += [(k.arg, ast.literal_eval(k.value)) for k in call.keywords]
        calls.append((call.func.id, arguments))
    return calls


@pytest.mark.parametrize("method, sdk_arguments", _sdk_calls(),
                         ids=[method for method, _ in _sdk_calls()])
def test_the_client_takes_each_call_as_the_sdk_writes_it(method, sdk_arguments):
    found = getattr(driftline.Client, method, None)
    assert found is not None, f"driftline.Client has no {method}"
    parameters = [p for p in inspect.signature(found).parameters.values() if p.name != "self"]
    positional = [p for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    for index, (name, default) in enumerate(sdk_arguments):
        assert index < len(positional) and positional[index].name == name, (
            f"{method}: the SDK's argument {index + 1} is {name}, Driftline's "
            f"{positional[index].name if index < len(positional) else 'missing'}")
        if default is not REQUIRED:
            assert positional[index].default == default, (
                f"{method}({name}=...): the SDK's default is {default!r}, Driftline's "
                f"{positional[index].default!r}")
    for extra in parameters[len(sdk_arguments):]:
        assert extra.default is not inspect.Parameter.empty or extra.kind in (
            extra.VAR_POSITIONAL, extra.VAR_KEYWORD), (
            f"{method}: Driftline's extra argument {extra.name} must have a default")
    returned = str(inspect.signature(found).return_annotation)
    if method in RETURNS_ID:
        assert returned == "str", f"{method} returns {returned}, the SDK an id (str)"
    if method in RETURNS_LIST:
        assert returned.startswith("list["), f"{method} returns {returned}, the SDK a list"


# The catalog extras follow other references (../shared/reference/000, 001, 002, 004): their
# results carry those references' field names; their own ids are <type>_id, as every result of
# the client names it (the references' bare ``id``).
REFERENCE_FIELDS = {
    "ModelSession": "model_session_id name category dataset_id target metadata state start_time "
                    "end_time total_time default_model_id model_count registry",
    "BuiltModel": "built_model_id model_session_id name dataset_id metadata type state target "
                  "start_time end_time total_time model_binary_key",
    "ModelSessionRegistry": "build_logs metrics",
    "Experiment": "experiment_id project_id name description",
    "ExperimentModel": "experiment_model_id experiment_id hash name description step",
    "ModelRun": "model_run_id model_run_info model_name model_ids",
    "PythonModel": "python_model_id task_id name source_code train_function_name "
                   "predict_function_name predict_many_function_name initialize_function_name "
                   "cpu_size memory package_requirements use_gpu is_thread_safe training_config",
    "PythonModelVersion": "model_id python_model_id version status error",
}


@pytest.mark.parametrize("name", sorted(REFERENCE_FIELDS))
def test_the_catalog_extras_results_carry_their_references_names(name):
    result = getattr(driftline.types, name)
    missing = set(REFERENCE_FIELDS[name].split()) - set(result.model_fields)
    assert not missing, f"{name} lacks {sorted(missing)}"
    assert "id" not in result.model_fields


# -- the script ------------------------------------------------------------------------------

START = 1_700_000_000.0
HISTORY, PRODUCTION = 3000, 2000


def _tables(prefix: str, count: int, start: float, age_shift: float, seed: int):
    """Inputs, targets and the model's predictions: age ~ N(40, 10) + shift, the label 'yes'
    above 40, predicted right 90% of the time with a probability."""
    rng = np.random.default_rng(seed)
    ids = [f"{prefix}-{i:05d}" for i in range(count)]
    age = rng.normal(40.0, 10.0, count) + age_shift
    plan = np.where(rng.random(count) < 0.3, "pro", "basic")
    labels = np.where(age > 40.0, "yes", "no")
    right = rng.random(count) < 0.9
    predicted = np.where((age > 40.0) == right, "yes", "no")
    probability = np.clip(1 / (1 + np.exp(-(age - 40.0) / 5)), 0.01, 0.99)
    return (pa.table({"sample_id": ids, "timestamp": [start + i for i in range(count)],
                      "age": age, "plan": plan.tolist()}),
            pa.table({"sample_id": ids, "label": labels.tolist()}),
            pa.table({"sample_id": ids, "prediction": predicted.tolist(),
                      "probability": probability}))


def _files(folder, prefix: str, count: int, start: float, age_shift: float = 0.0,
           seed: int = 0) -> list[str]:
    """The three tables as Parquet files (the SDK's LocalDataSource reads files too)."""
    paths = []
    for part, table in zip(("inputs", "target", "predictions"),
                           _tables(prefix, count, start, age_shift, seed)):
        path = folder / f"{prefix}-{part}.parquet"
        pq.write_table(table, path)
        paths.append(str(path))
    return paths


def _wait_detections(client, task_id: str, timeout: float = 120) -> None:
    """Wait for the detection job that the committed production batch started (the SDK's
    get_jobs and wait_job_completion)."""
    deadline = time.monotonic() + timeout
    while not (jobs := [j for j in client.get_jobs(task_id=task_id)
                        if j.job_group == "detect_drift"]):
        assert time.monotonic() < deadline, "no detection job after the production batch"
        time.sleep(0.1)
    for job in jobs:
        client.wait_job_completion(job.job_id, 300)



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The suite as `make run` starts it: the script is what a user runs on it."""
    from harness import make_run_server

    with make_run_server(tmp_path_factory) as process:
        yield process


@pytest.fixture(scope="module")
def script(server, tmp_path_factory):
    """The SDK script, run once: what it saw, for the tests below to check."""
    folder = tmp_path_factory.mktemp("data")
    _, api_key = server.create_user("sdk-user@example.com")
    seen: dict = {}
    # The one line that differs from an SDK script: the client's constructor.
    client = driftline.Client(server.address, api_key, 60)

    seen["company_id"] = client.create_company("Acme", "1 Main Street", "IT01234567890")
    project_id = client.create_project("churn", "Customer churn models",
                                       project_pb2.STORAGE_POLICY_DRIFTLINE)
    task_id = client.create_task(project_id, "churn-next-month", ["retail"],
                                 "CLASSIFICATION_BINARY", "TABULAR", positive_class="yes")
    model_id = client.create_model(task_id, "gbm", "v1", True, "ACCURACY")
    client.add_data_schema(task_id, DataSchema(columns=[
        ColumnInfo(name="sample_id", role=ColumnRole.ID, is_nullable=False,
                   data_type=DataType.STRING),
        ColumnInfo(name="timestamp", role=ColumnRole.TIME_ID, is_nullable=False,
                   data_type=DataType.FLOAT),
        ColumnInfo(name="age", role=ColumnRole.INPUT, is_nullable=False,
                   data_type=DataType.FLOAT),
        ColumnInfo(name="plan", role=ColumnRole.INPUT, is_nullable=False,
                   data_type=DataType.CATEGORICAL, possible_values=["basic", "pro"]),
        ColumnInfo(name="label", role=ColumnRole.TARGET, is_nullable=False,
                   data_type=DataType.CATEGORICAL, possible_values=["yes", "no"]),
        ColumnInfo(name="prediction", role=ColumnRole.PREDICTION, is_nullable=False,
                   data_type=DataType.CATEGORICAL, possible_values=["yes", "no"],
                   model_id=model_id, predicted_target="label"),
        ColumnInfo(name="probability", role=ColumnRole.PREDICTION, is_nullable=False,
                   data_type=DataType.FLOAT, model_id=model_id,
                   subrole=ColumnSubRole.MODEL_PROBABILITY),
    ]))
    seen["catalog"] = {"project": client.get_project(project_id),
                       "task": client.get_task(task_id), "model": client.get_model(model_id),
                       "schema": client.get_data_schema(task_id),
                       "kpi": client.get_kpi(client.create_kpi(project_id, "monthly churn"))}

    inputs, target, predictions = _files(folder, "history", HISTORY, START)
    job_id = client.add_historical_data(task_id, inputs, target, [(model_id, predictions)])
    client.wait_job_completion(job_id)
    job_id = client.set_model_reference(model_id, START, START + HISTORY)
    client.wait_job_completion(job_id)

    # Production shifted in age by one and a half standard deviations.
    inputs, target, predictions = _files(folder, "production", PRODUCTION,
                                         START + HISTORY + 3600, age_shift=15.0, seed=1)
    job_id = client.add_production_data(task_id, inputs, target, [(model_id, predictions)])
    client.wait_job_completion(job_id)
    _wait_detections(client, task_id)

    seen["status"] = client.get_monitoring_status(task_id, "INPUT", "FEATURE")
    seen["events"] = client.get_detection_events(task_id)

    job_id = client.compute_retraining_report(model_id)
    client.wait_job_completion(job_id)
    seen["report"] = client.get_retraining_report(model_id)
    seen["suggestions"] = client.get_suggestions_info(model_id, "v1")
    client.show_suggestions(model_id, "v1")

    suggestion_id = seen["report"].suggestion.suggestion_id
    seen["suggestion_job_id"] = client.update_model_version_by_suggestion_id(
        model_id, "v2", suggestion_id)
    client.wait_job_completion(seen["suggestion_job_id"])
    seen["range_job_id"] = client.update_model_version_from_time_range(
        model_id, "v3", START, START + HISTORY)
    client.wait_job_completion(seen["range_job_id"])
    client.set_model_suggestion_type(model_id, preferred_suggestion_type="SAMPLE_WEIGHTS")

    seen["after"] = {
        "suggestions": client.get_suggestions_info(model_id, "v1"),
        "v2": client.get_model_by_name_and_version(task_id, "gbm", "v2"),
        "v3": client.get_model_by_name_and_version(task_id, "gbm", "v3"),
        "models": client.get_models(task_id),
        "jobs": client.get_jobs(project_id, task_id),
        "projects": client.get_projects(),
        "tasks": client.get_tasks(project_id),
        "rules": client.get_detection_event_rules(task_id),
        "plans": client.get_all_company_subscription_plans(),
    }
    seen["plan"] = client.get_active_subscription_plan()
    seen.update(client=client, task_id=task_id, model_id=model_id, suggestion_id=suggestion_id)
    yield seen
    client.close()


def test_catalog_results_carry_the_sdks_field_names(script):
    """Project, Task, Model, DataSchema with its ColumnInfo, KPI: typed results whose fields
    are named as the SDK names them."""
    catalog = script["catalog"]
    project, task, model = catalog["project"], catalog["task"], catalog["model"]
    assert isinstance(project, Project) and project.project_id and project.name == "churn"
    assert project.description == "Customer churn models"
    assert project.default_storage_policy == project_pb2.STORAGE_POLICY_DRIFTLINE
    assert isinstance(task, Task) and task.project_id == project.project_id
    assert (task.name, task.tags, task.task_type.name, task.data_structure.name,
            task.positive_class) == ("churn-next-month", ["retail"], "CLASSIFICATION_BINARY",
                                     "TABULAR", "yes")
    assert isinstance(model, Model) and model.model_id == script["model_id"]
    assert (model.task_id, model.name, model.version, model.metric_name.name) == (
        task.task_id, "gbm", "v1", "ACCURACY")
    assert model.retraining_cost == 0.0 and model.creation_datetime is not None
    schema = catalog["schema"]
    assert isinstance(schema, DataSchema)
    by_name = {column.name: column for column in schema.columns}
    assert isinstance(by_name["age"], ColumnInfo) and not by_name["age"].is_nullable
    assert by_name["prediction"].predicted_target == "label"
    assert by_name["prediction"].model_id == model.model_id
    assert by_name["plan"].possible_values == ["basic", "pro"]
    assert by_name["probability"].subrole is ColumnSubRole.MODEL_PROBABILITY
    assert by_name["sample_id"].role is ColumnRole.ID and by_name["age"].data_type is DataType.FLOAT
    assert by_name["age"].dims is None and by_name["label"].classes_names is None
    kpi = catalog["kpi"]
    assert isinstance(kpi, KPI) and kpi.kpi_id and kpi.name == "monthly churn"
    assert [m.model_id for m in script["after"]["models"]][0] == model.model_id


def test_the_shifted_column_drifts_the_metric_without_a_column(script):
    status = script["status"]
    assert status.monitoring_target == monitoring_pb2.MONITORING_TARGET_INPUT
    assert status.monitoring_metric == monitoring_pb2.MONITORING_METRIC_FEATURE
    assert status.specification is None  # no column: the worst of them
    assert status.status == monitoring_pb2.MONITORING_STATUS_DRIFT
    assert status.monitoring_target.name == "INPUT" and status.status.name == "DRIFT"


def test_detection_events_are_a_list_with_the_drift(script):
    events = script["events"]
    assert isinstance(events, list)
    [age] = [e for e in events if e.event_type == monitoring_pb2.DETECTION_EVENT_TYPE_DRIFT_ON
             and e.specification == "age"]
    assert age.event_id and age.monitoring_target.name == "INPUT"
    assert age.monitoring_metric.name == "FEATURE" and age.severity_type.name == "HIGH"
    assert age.model_id == script["model_id"] and (age.model_name, age.model_version) == (
        "gbm", "v1")
    assert age.sample_customer_id.startswith("production-")
    assert START + HISTORY + 3600 <= age.sample_timestamp < START + HISTORY + 3600 + PRODUCTION
    assert age.insert_datetime.tzinfo is not None and age.user_feedback is None


def test_the_retraining_report_carries_the_suggestions_weights(script):
    report = script["report"]
    assert report.report_id == script["suggestion_id"]
    assert report.model_metric_name == "ACCURACY" and 0 < report.effective_sample_size
    suggestion = report.suggestion
    assert suggestion.suggestion_id == report.report_id
    assert suggestion.suggestion_type == model_pb2.SUGGESTION_TYPE_SAMPLE_WEIGHTS  # the default
    assert len(suggestion.sample_ids) == len(suggestion.weights) == HISTORY


def test_the_suggestions_of_a_model_version(script):
    assert isinstance(script["suggestions"], list)
    assert [s.id for s in script["suggestions"]] == [script["suggestion_id"]]
    [after] = script["after"]["suggestions"]
    assert after.executed  # a version was made from it
    assert after.timestamp is not None


# The SDK's monitoring result types and their fields (platform-vocabulary.md, "Result types";
# the SDK's newer rules name their targets and metrics as lists). Every one is a field of
# Driftline's result, or a property reading one (a SuggestionInfo's id and timestamp).
SDK_RESULT_FIELDS = {
    "DetectionEvent": """event_id event_type monitoring_target monitoring_metric severity_type
        monitoring_evaluation_metric insert_datetime sample_timestamp sample_customer_id
        model_id model_name model_version user_feedback specification""",
    "DetectionEventRule": """rule_id name task_id model_name severity detection_event_type
        monitoring_target monitoring_targets monitoring_metric monitoring_metrics actions""",
    "MonitoringQuantityStatus": "monitoring_target status monitoring_metric",
    "RetrainingReport": """report_id suggestion effective_sample_size model_metric_name
        performance_upper_bound performance_lower_bound cost_upper_bound cost_lower_bound""",
    "Suggestion": "suggestion_id suggestion_type sample_ids weights",
    "SuggestionInfo": "id executed timestamp",
    "TaskRagEvalReportItem": "id creation_datetime name status from_datetime to_datetime",
    "TaskTopicModelingReportItem": "id creation_datetime name status from_datetime to_datetime",
    "TopicModelingReportDetails": "sample_ids topics",
    "SlackNotificationAction": "type webhook channel",
    "DiscordNotificationAction": "type webhook",
    "TeamsNotificationAction": "type webhook",
    "MqttNotificationAction": "type connection_string topic payload",
    "AwsEventBridgeNotificationAction": "type credentials_id aws_region_name event_bus_name",
    "RetrainAction": "type",
    "AwsEventBridgeRetrainTrigger": "credentials_id aws_region_name event_bus_name",
    "GcpPubSubRetrainTrigger": "credentials_id topic_name",
    "AzureEventGridRetrainTrigger": "credentials_id topic_endpoint",
    # Catalog. Left out, owned by Monitoring and read there: Model's retrain_trigger
    # (get_retrain_trigger) and KPI's status, status_kpi_start_timestamp and
    # status_insert_datetime (get_kpi_status).
    "Model": "model_id task_id name version metric_name creation_datetime retraining_cost",
    "ColumnInfo": """name role is_nullable data_type predicted_target possible_values model_id
        dims classes_names subrole""",
    "DataSchema": "columns",
    "KPI": "kpi_id name",
    "Job": """job_id job_group project_id project_name task_id task_name model_id model_name
        status error""",
}


@pytest.mark.parametrize("name", sorted(SDK_RESULT_FIELDS))
def test_results_carry_the_sdks_field_names(name):
    result_type = getattr(driftline.types, name)
    assert issubclass(result_type, driftline.types.Result)
    missing = [field for field in SDK_RESULT_FIELDS[name].split()
               if field not in result_type.model_fields and not hasattr(result_type, field)]
    assert not missing, f"{name} lacks the SDK's {missing}"


def test_new_versions_return_job_ids_that_wait_job_completion_takes(script):
    client = script["client"]
    for key, version in (("suggestion_job_id", "v2"), ("range_job_id", "v3")):
        job_id = script[key]
        assert isinstance(job_id, str) and job_id
        assert client.get_job(job_id).model_id == script["after"][version].model_id
    reference = client.get_model_reference(script["after"]["v2"].model_id)
    assert reference.suggestion_id == script["suggestion_id"]
    assert [m.version for m in script["after"]["models"]] == ["v1", "v2", "v3"]


def test_listings_are_lists(script):
    for name, listed in script["after"].items():
        if name not in ("v2", "v3"):
            assert isinstance(listed, list), name
    assert script["after"]["jobs"] and script["after"]["rules"] == []


def test_the_company_is_on_a_subscription_plan(script):
    """The embedded default: one plan, active, with no limit a walkthrough could meet."""
    [plan] = script["after"]["plans"]
    assert plan == script["plan"] and plan.is_active
    assert plan.company_id == script["company_id"] and plan.expiration_date is None
    assert plan.max_projects == plan.max_models == plan.max_calls_per_minute == 0


def test_jobs_companies_users_and_plans_carry_the_sdks_field_names(script):
    """Job: job_id, job_group, project_id, project_name, task_id, task_name, model_id,
    model_name, status, error; the company, its users and its plans as the SDK names them."""
    client, task_id = script["client"], script["task_id"]
    jobs = script["after"]["jobs"]
    assert {job.job_group for job in jobs} >= {"ingest_batch", "detect_drift",
                                               "compute_retraining_report"}
    for job in jobs:
        assert job.job_id and job.task_id == task_id and job.project_id
        assert (job.project_name, job.task_name) == ("churn", "churn-next-month")
        assert job.model_name == ("gbm" if job.model_id else None)
        assert job.status == driftline.enums.JobStatus.COMPLETED and job.error is None
        assert client.get_job(job.job_id) == job
    models = {job.model_id for job in jobs if job.job_group == "compute_retraining_report"}
    assert models == {script["model_id"]}
    company = client.get_company()
    assert (company.company_id, company.name, company.vat) == (
        script["company_id"], "Acme", "IT01234567890")
    [me] = client.get_company_users()
    assert me == client.get_current_user() and me.company_role.name == "COMPANY_OWNER"
    assert (me.user_id, me.username) and me.email == "sdk-user@example.com"
    plan = script["plan"]
    assert plan.subscription_id and plan.start_date and plan.is_active
