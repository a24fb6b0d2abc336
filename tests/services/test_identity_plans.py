"""Subscription plans through the client against a real server: the default plan, the operator's
`admin set-plan` and `list-plans`, every limit refused with its ErrorInfo and nothing stored,
two creates racing for the last place, the history, another company's plans, and the migration
that puts existing companies on the default plan.

The module's server trusts a company's limits for 0.5 s (DRIFTLINE_PLAN_CACHE_SECONDS) instead
of the default 2 s, so the tests wait less after each `set-plan`; nothing else differs.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, pool, text

import driftline
from catalog_helpers import accuracy_model, binary_task
from conftest import unique
from data_helpers import START, failed_job, ids, inputs, make_task, target
from driftline.data.v1 import batch_pb2
from driftline.jobs.v1 import job_pb2
from harness import ServerProcess, fresh_database
from monitoring_helpers import make_rag_task
from driftline_server.platform import migrations
from driftline_server.platform.database import sync_url

PLAN_CACHE_SECONDS = 0.5


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("driftline-plans")
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url,
                            {"DRIFTLINE_PLAN_CACHE_SECONDS": str(PLAN_CACHE_SECONDS)}).start()
    try:
        yield process
    finally:
        process.stop()
        database.drop()


def set_plan(server, name: str, company_id: str | None = None, **limits: int) -> str:
    """`driftline-server admin set-plan`; waits until every service sees the change."""
    args = ["admin", "set-plan", "--name", name]
    if company_id:
        args += ["--company-id", company_id]
    for limit, value in limits.items():
        args += [f"--{limit.replace('_', '-')}", str(value)]
    out = server.cli(*args).stdout
    time.sleep(PLAN_CACHE_SECONDS + 0.2)
    return out


def refused(call, limit: str, value: int, plan: str) -> driftline.ResourceExhaustedError:
    """``call()`` must be refused for ``limit`` of ``plan``, with the ErrorInfo saying so."""
    with pytest.raises(driftline.ResourceExhaustedError) as caught:
        call()
    error = caught.value
    assert error.error_code == "PLAN_LIMIT_REACHED", error
    assert error.metadata["limit"] == limit
    assert error.metadata["value"] == str(value)
    assert error.metadata["plan"] == plan
    assert plan in str(error) and "operator" in str(error)
    return error


# ---- reading plans ---------------------------------------------------------------------------


def test_a_new_company_is_on_the_unlimited_default_plan(company):
    plan = company.owner.get_active_subscription_plan()
    assert isinstance(plan, driftline.SubscriptionPlanInfo)
    assert (plan.name, plan.company_id, plan.is_active) == ("default", company.company_id, True)
    assert plan.expiration_date is None and plan.start_date is not None
    assert (plan.max_projects, plan.max_tasks, plan.max_models, plan.max_users,
            plan.max_stored_bytes, plan.max_concurrent_jobs, plan.max_calls_per_minute) == \
        (0, 0, 0, 0, 0, 0, 0)
    assert company.owner.get_all_company_subscription_plans() == [plan]
    assert company.admin.get_active_subscription_plan() == plan


def test_only_owners_and_admins_read_plans(company):
    with pytest.raises(driftline.PermissionDeniedError):
        company.user.get_active_subscription_plan()
    with pytest.raises(driftline.PermissionDeniedError):
        company.user.get_all_company_subscription_plans()


def test_another_companys_plans_are_invisible(server, company, company_factory):
    other = company_factory("Initech")
    set_plan(server, unique("other"), other.company_id, max_projects=7)
    mine = company.owner.get_all_company_subscription_plans()
    assert {plan.company_id for plan in mine} == {company.company_id}
    assert all(plan.name == "default" for plan in mine)
    theirs = other.owner.get_all_company_subscription_plans()
    assert {plan.company_id for plan in theirs} == {other.company_id}
    # Naming another company is for Driftline's own services only (the client never sends it).
    import grpc

    from driftline.identity.v1 import identity_service_pb2 as pb, identity_service_pb2_grpc

    api_key = company.owner.create_api_key("raw", "NEVER")
    with grpc.insecure_channel(server.address) as channel:
        stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.GetActiveSubscriptionPlan(
                pb.GetActiveSubscriptionPlanRequest(company_id=other.company_id),
                metadata=[("authorization", f"Bearer {api_key}")], timeout=10)
    assert caught.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_the_history_lists_every_period_newest_first(server, company_factory):
    acme = company_factory("History")
    first = acme.owner.get_active_subscription_plan()
    starter = unique("starter")
    set_plan(server, starter, acme.company_id, max_projects=2)
    set_plan(server, starter, max_projects=4)  # the plan changes: its companies follow
    pro = unique("pro")
    set_plan(server, pro, acme.company_id, max_projects=9)
    history = acme.owner.get_all_company_subscription_plans()
    assert [(p.name, p.max_projects, p.is_active) for p in history] == [
        (pro, 9, True), (starter, 4, False), (starter, 2, False), ("default", 0, False)]
    assert history[-1].subscription_id == first.subscription_id
    for newer, older in zip(history, history[1:]):
        assert older.expiration_date == newer.start_date
    assert acme.owner.get_active_subscription_plan() == history[0]
    # Setting the plan a company is already on, unchanged, starts no new period.
    set_plan(server, pro, acme.company_id)
    assert len(acme.owner.get_all_company_subscription_plans()) == 4


def test_list_plans_shows_plans_and_a_companys_history(server, company_factory):
    acme = company_factory("Listing")
    name = unique("listed")
    set_plan(server, name, acme.company_id, max_users=50, max_stored_bytes=10**9)
    plans = server.cli("admin", "list-plans").stdout
    line = next(line for line in plans.splitlines() if line.startswith(name + "\t"))
    assert "1 companies" in line and "max_users=50" in line and "max_projects=unlimited" in line
    assert any(line.startswith("default\t") for line in plans.splitlines())
    history = server.cli("admin", "list-plans", "--company-id", acme.company_id).stdout
    rows = history.strip().splitlines()
    assert rows[0].startswith(name + "\t") and "\tactive\t" in rows[0]
    assert rows[1].startswith("default\t") and "\tactive\t" not in rows[1]


def test_set_plan_says_what_is_wrong(server):
    unknown = server.cli("admin", "set-plan", "--name", "team", "--company-id", "nope",
                         check=False)
    assert unknown.returncode == 1 and "company 'nope' does not exist" in unknown.stderr
    bad_name = server.cli("admin", "set-plan", "--name", "no spaces", check=False)
    assert bad_name.returncode == 1 and "name:" in bad_name.stderr
    negative = server.cli("admin", "set-plan", "--name", "team", "--max-users", "-1",
                          check=False)
    assert negative.returncode == 2 and "0 (unlimited) or more" in negative.stderr
    assert "team\t" not in server.cli("admin", "list-plans").stdout  # nothing was defined


# ---- each limit --------------------------------------------------------------------------------


def test_max_projects(server, company_factory, new_project):
    acme = company_factory("Projects")
    plan = unique("projects")
    new_project(acme.owner)
    set_plan(server, plan, acme.company_id, max_projects=2)
    new_project(acme.owner)
    refused(lambda: new_project(acme.admin), "max_projects", 2, plan)
    assert len(acme.owner.get_projects()) == 2  # nothing stored
    set_plan(server, plan, max_projects=3)  # a larger plan: room again
    new_project(acme.owner)
    assert len(acme.owner.get_projects()) == 3


def test_max_tasks(server, company_factory, new_project):
    acme = company_factory("Tasks")
    plan = unique("tasks")
    first, second = new_project(acme.owner), new_project(acme.owner)
    set_plan(server, plan, acme.company_id, max_tasks=2)
    binary_task(acme.owner, first)
    binary_task(acme.owner, second)  # the limit counts the company's tasks, over projects
    refused(lambda: binary_task(acme.owner, first, name="third"), "max_tasks", 2, plan)
    assert len(acme.owner.get_tasks(first)) == 1 and len(acme.owner.get_tasks(second)) == 1


def test_max_models_counts_models_not_versions(server, company_factory, new_project):
    acme = company_factory("Models")
    plan = unique("models")
    task_id = binary_task(acme.owner, new_project(acme.owner))
    set_plan(server, plan, acme.company_id, max_models=1)
    model_id = accuracy_model(acme.owner, task_id, name="churn-model")
    acme.owner.update_model_version(model_id, "v2")  # a new version is not a new model
    refused(lambda: accuracy_model(acme.owner, task_id, name="second"), "max_models", 1, plan)
    assert sorted(m.version for m in acme.owner.get_models(task_id)) == ["v1", "v2"]


def test_max_users_counts_the_owner_too(server, company_factory):
    acme = company_factory("Users")  # an owner, an admin and a user
    plan = unique("users")
    set_plan(server, plan, acme.company_id, max_users=4)
    acme.member("COMPANY_NONE")
    before = len(acme.owner.get_company_users())
    refused(lambda: acme.member("COMPANY_USER"), "max_users", 4, plan)
    assert len(acme.owner.get_company_users()) == before == 4


def test_max_stored_bytes_refuses_a_batch_whole(server, company_factory, new_project):
    acme = company_factory("Bytes")
    plan = unique("bytes")
    task = make_task(acme.owner, new_project(acme.owner))
    first = ids("first", 300)
    acme.owner.wait_job_completion(acme.owner.add_historical_data(
        task.task_id, inputs(first), target(first)), max_wait_timeout=120)
    (batch,) = acme.owner.get_batches(task.task_id)
    stored = batch.stored_bytes
    assert stored > 0
    # Room for a few bytes more, not for a second batch like the first.
    set_plan(server, plan, acme.company_id, max_stored_bytes=stored + 100)
    second = ids("second", 300)
    job = failed_job(acme.owner, acme.owner.add_historical_data(
        task.task_id, inputs(second), target(second)))
    assert job.error.reason == "PLAN_LIMIT_REACHED"
    assert plan in job.error.message and "max_stored_bytes" in job.error.message
    details = dict(job.error.details)
    assert (details["limit"], details["value"], details["plan"]) == (
        "max_stored_bytes", str(stored + 100), plan)
    batches = {b.batch_id: b for b in acme.owner.get_batches(task.task_id)}
    assert len(batches) == 2
    assert sum(b.stored_bytes for b in batches.values()) == stored  # nothing of it kept
    states = sorted(b.state for b in batches.values())
    assert states == sorted([batch_pb2.BATCH_STATE_COMMITTED, batch_pb2.BATCH_STATE_FAILED])
    # Full: a new upload is refused at once, before anything is staged.
    set_plan(server, plan, max_stored_bytes=stored)
    refused(lambda: acme.owner.add_historical_data(task.task_id, inputs(ids("third", 10))),
            "max_stored_bytes", stored, plan)
    assert len(list(acme.owner.get_batches(task.task_id))) == 2


def test_max_concurrent_jobs(server, company_factory, new_project):
    acme = company_factory("Jobs")
    plan = unique("jobs")
    project_id = new_project(acme.owner)
    set_plan(server, plan, acme.company_id, max_concurrent_jobs=1)
    running = acme.owner.submit_diagnostics_job(project_id, steps=200, step_seconds=0.1)
    before = len(acme.owner.get_jobs(project_id=project_id))
    refused(lambda: acme.owner.submit_diagnostics_job(project_id, steps=1),
            "max_concurrent_jobs", 1, plan)
    task = make_task(acme.owner, project_id)
    refused(lambda: acme.owner.add_historical_data(task.task_id, inputs(ids("late", 5))),
            "max_concurrent_jobs", 1, plan)
    assert len(acme.owner.get_jobs(project_id=project_id)) == before  # nothing submitted
    assert list(acme.owner.get_batches(task.task_id)) == []  # nor any batch kept
    acme.owner.cancel_job(running)  # a finished job frees its place
    deadline = time.monotonic() + 30
    while (acme.owner.get_job(running).status != job_pb2.JOB_STATUS_CANCELLED
           and time.monotonic() < deadline):
        time.sleep(0.1)
    acme.owner.wait_job_completion(acme.owner.submit_diagnostics_job(project_id, steps=1),
                                   max_wait_timeout=60)


SOURCE = """
def train(data, config, sample_weights):
    return {}

def predict(state, sample):
    return "yes"
"""


def test_references_reports_and_trainings_count_against_max_concurrent_jobs(
        server, company_factory, new_project):
    """Every job a user's call starts is held to the plan; a refused call stores nothing, so
    no later read submits its job past the limit."""
    acme = company_factory("Work")
    client, plan = acme.owner, unique("work")
    task = make_task(client, project_id := new_project(client))
    samples = ids("fit", 400)
    client.wait_job_completion(client.add_historical_data(
        task.task_id, inputs(samples), target=target(samples)), 120)
    client.wait_job_completion(client.set_model_reference(task.model_id, START, START + 400), 120)
    python_model_id = client.create_python_model(task.task_id, "rules", SOURCE, "train",
                                                 "predict", ["HISTORICAL"])
    rag_task_id, _ = make_rag_task(client, project_id, "\n---\n")
    set_plan(server, plan, acme.company_id, max_concurrent_jobs=1)
    running = client.submit_diagnostics_job(project_id, steps=200, step_seconds=0.1)
    jobs_before = len(client.get_jobs(project_id=project_id))
    refused(lambda: client.set_model_reference(task.model_id, START, START + 200),
            "max_concurrent_jobs", 1, plan)
    refused(lambda: client.compute_retraining_report(task.model_id),
            "max_concurrent_jobs", 1, plan)
    refused(lambda: client.train_model(python_model_id), "max_concurrent_jobs", 1, plan)
    refused(lambda: client.compute_rag_evaluation_report(rag_task_id, "r", START, START + 9),
            "max_concurrent_jobs", 1, plan)
    assert len(client.get_jobs(project_id=project_id)) == jobs_before
    assert [r.version for r in client.get_model_references(task.model_id)] == [1]
    with pytest.raises(driftline.NotFoundError):
        client.get_retraining_report(task.model_id)
    assert client.get_python_model_versions(python_model_id) == []
    assert client.get_python_model(python_model_id).latest_version_id is None
    assert [m.version for m in client.get_models(task.task_id)] == ["v1"]
    assert client.get_rag_evaluation_reports(rag_task_id) == []
    client.cancel_job(running)


def test_max_calls_per_minute(server, company_factory):
    acme = company_factory("Calls")
    plan = unique("calls")
    set_plan(server, plan, acme.company_id, max_calls_per_minute=30)
    made = 0
    with pytest.raises(driftline.ResourceExhaustedError) as caught:
        for _ in range(100):
            acme.owner.get_company()
            made += 1
    error = caught.value
    assert (error.error_code, error.metadata["limit"], error.metadata["value"],
            error.metadata["plan"]) == ("PLAN_LIMIT_REACHED", "max_calls_per_minute", "30", plan)
    assert 1 <= int(error.metadata["retry_after_seconds"]) <= 3
    assert 25 <= made <= 31  # a minute's calls at once (a few may have refilled meanwhile)
    # The company's other keys share the bucket; another company is not slowed down.
    with pytest.raises(driftline.ResourceExhaustedError):
        acme.admin.get_company()
    other = company_factory("Unhurried")
    for _ in range(40):
        other.owner.get_company()
    # The bucket refills: one call every two seconds at 30 a minute.
    time.sleep(2.2)
    acme.owner.get_company()


# ---- races -----------------------------------------------------------------------------------


def test_concurrent_creates_take_the_last_place_once(server, company_factory, new_project):
    acme = company_factory("Race")
    plan = unique("race")
    new_project(acme.owner)
    set_plan(server, plan, acme.company_id, max_projects=2)
    clients = [acme.owner, acme.admin] * 4

    def create(client):
        try:
            return new_project(client)
        except driftline.ResourceExhaustedError as error:
            return error

    with ThreadPoolExecutor(len(clients)) as pool:
        outcomes = list(pool.map(create, clients))
    made = [o for o in outcomes if isinstance(o, str)]
    assert len(made) == 1, outcomes
    assert all(o.metadata["limit"] == "max_projects" for o in outcomes if o not in made)
    assert len(acme.owner.get_projects()) == 2


def test_concurrent_users_take_the_last_place_once(server, company_factory):
    acme = company_factory("UserRace")
    plan = unique("user-race")
    set_plan(server, plan, acme.company_id, max_users=4)

    def create(index):
        try:
            return acme.owner.create_company_user(
                "Race", "User", unique(f"racer{index}"), "Temporary-password-1",
                f"{unique('racer')}@example.com", "COMPANY_NONE")
        except driftline.ResourceExhaustedError as error:
            return error

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(create, range(6)))
    assert len([o for o in outcomes if isinstance(o, str)]) == 1, outcomes
    assert len(acme.owner.get_company_users()) == 4


# ---- the migration -----------------------------------------------------------------------------


def test_upgrading_puts_existing_companies_on_the_default_plan(tmp_path):
    database = fresh_database(tmp_path)
    try:
        migrations.upgrade("identity", database.url, "0001")
        engine = create_engine(sync_url(database.url), poolclass=pool.NullPool)
        created = "2026-01-02 03:04:05+00:00"
        with engine.begin() as connection:
            for company_id in ("c1", "c2"):
                connection.execute(text(
                    "INSERT INTO identity_companies (id, name, address, vat, created_at, "
                    "updated_at) VALUES (:id, :name, '', '', :at, :at)"),
                    {"id": company_id, "name": f"Company {company_id}", "at": created})
        migrations.upgrade("identity", database.url)
        with engine.connect() as connection:
            companies = connection.execute(text(
                "SELECT id, name FROM identity_companies ORDER BY id")).all()
            periods = connection.execute(text(
                "SELECT company_id, plan_name, active_slot, end_time, max_projects, "
                "max_calls_per_minute FROM identity_company_plans ORDER BY company_id")).all()
            plans = connection.execute(text("SELECT name FROM identity_plans")).all()
        engine.dispose()
        assert [tuple(c) for c in companies] == [("c1", "Company c1"), ("c2", "Company c2")]
        assert [tuple(p) for p in periods] == [("c1", "default", "c1", None, 0, 0),
                                               ("c2", "default", "c2", None, 0, 0)]
        assert [p[0] for p in plans] == ["default"]
        migrations.downgrade("identity", database.url, "0001")  # and back, rows kept
        migrations.upgrade("identity", database.url)
    finally:
        database.drop()


# ---- conversions -------------------------------------------------------------------------------


def test_a_plan_period_converts_both_ways():
    from datetime import datetime, timezone

    from driftline.conversions.identity import subscription_plan_from_proto as _plan
    from driftline_server.identity.conversions import plan_limits_from_pb, subscription_plan_to_pb
    from driftline_server.identity.models import CompanyPlanRow
    from driftline_server.platform.plans import PlanLimits

    start = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    end = datetime(2026, 4, 1, 12, 0, tzinfo=timezone.utc)
    limits = PlanLimits("team", 3, 10, 20, 5, 10**12, 4, 600)
    active = CompanyPlanRow(id="p2", company_id="c", plan_name="team", start_time=end,
                            active_slot="c", **limits.as_dict())
    ended = CompanyPlanRow(id="p1", company_id="c", plan_name="default", start_time=start,
                           end_time=end, active_slot=None)
    message = subscription_plan_to_pb(active)
    assert plan_limits_from_pb(message) == limits
    info = _plan(message)
    assert (info.subscription_id, info.name, info.is_active, info.start_date,
            info.expiration_date, info.max_stored_bytes, info.max_calls_per_minute) == (
        "p2", "team", True, end, None, 10**12, 600)
    old = _plan(subscription_plan_to_pb(ended))
    assert (old.is_active, old.start_date, old.expiration_date, old.max_projects) == (
        False, start, end, 0)
