"""The README's walkthroughs work as pasted, on the suite started as a user starts it.

Two servers, one after the other, each running every walkthrough (quickstart, drift alert,
Python model retrained by drift, reports):

- ``make run``: the Makefile's own command line, from a folder of its own, with no
  ``--data-dir``, no ``--database-url`` and no DRIFTLINE_* variable but the one the README's
  drift walkthrough asks for (DRIFTLINE_ACTIONS_ALLOW_HTTP=true). The data folder is the
  default, relative ``./.driftline``.
- flags only: the same command with ``--data-dir state`` (relative too), so that what a flag
  sets must reach the jobs: a Python model's environment is built under ``state``, and nothing
  is written to the default folder.

On the PostgreSQL leg both get ``--database-url`` (a flag, as a user with PostgreSQL gives it);
the SQLite leg uses the default database file in the data folder. The README's create-user
command runs from the server's folder as pasted, with an e-mail of its own per walkthrough
(each walkthrough makes its own company) and the server's flags.
"""

from __future__ import annotations

import re
import uuid

import pytest

from harness import ROOT, make_run_server, user_created

ALLOW_HTTP = {"DRIFTLINE_ACTIONS_ALLOW_HTTP": "true"}  # as the drift walkthrough says
# Every job type the suite has: the walkthroughs run eight, the last test the other two.
JOB_TYPES = {"ingest_batch", "set_model_reference", "detect_drift", "deliver_actions",
             "compute_retraining_report", "train_python_model", "compute_rag_evaluation_report",
             "compute_topic_modeling_report", "diagnostics", "detect_kpi_drift"}
WALKTHROUGHS_RUN: set[tuple[str, str]] = set()  # (server kind, walkthrough) that passed


def _blocks(language: str, section: str = "Quickstart") -> list[str]:
    readme = (ROOT / "README.md").read_text()
    text = readme.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.fixture(scope="module", params=["make run", "flags only"])
def server(request, tmp_path_factory):
    flags = ["--data-dir", "state"] if request.param == "flags only" else []
    with make_run_server(tmp_path_factory, *flags, env=ALLOW_HTTP) as process:
        process.kind = request.param
        process.data_dir = process.folder / ("state" if flags else ".driftline")
        database_url = dict(zip(process.flags, process.flags[1:])).get("--database-url")
        process.database_url = database_url or \
            f"sqlite+aiosqlite:///{process.data_dir / 'driftline.db'}"
        yield process


def _api_key(server) -> str:
    """The README's create-user command, run from the server's folder as pasted (its own
    e-mail, and the server's flags: the same data folder and database)."""
    (command,) = _blocks("sh")
    args = command.split()
    assert args[:3] == [".venv/bin/driftline-server", "admin", "create-user"]
    assert args[3:5] == ["--email", "ada@example.com"]
    result = server.run(*args[:4], f"{uuid.uuid4().hex[:8]}@example.com", *args[5:],
                        *server.flags, timeout=120)
    assert result.returncode == 0, result.stderr
    return user_created(result.stdout)[1]


def _run(server, program: str):
    """A README program run by the project's .venv/bin/python from the server's folder, with
    the key in DRIFTLINE_API_KEY as the README says."""
    assert "127.0.0.1:50051" in program  # the address `make run` serves on
    env = {**server.env, "DRIFTLINE_API_KEY": _api_key(server)}
    return server.run(".venv/bin/python", "-c",
                      program.replace("127.0.0.1:50051", server.address), env=env, timeout=300)


def test_quickstart_as_pasted(server):
    (program,) = _blocks("python")
    run = _run(server, program)
    assert run.returncode == 0, run.stderr
    # show_models printed the model just created; both uploads were stored and read back.
    assert "gbm" in run.stdout and "1" in run.stdout
    assert "2000 samples; {'churned': 200, 'stayed': 800}" in run.stdout, run.stdout
    WALKTHROUGHS_RUN.add((server.kind, "quickstart"))


def test_the_async_client_from_an_event_loop_as_pasted(server):
    """The quickstart, then the same calls from asyncio code (driftline.AsyncClient)."""
    (quickstart,) = _blocks("python")
    (program,) = _blocks("python", "From an event loop")
    run = _run(server, quickstart + "\n" + program)
    assert run.returncode == 0, run.stderr
    assert "sweep-0" in run.stdout and "sweep-9" in run.stdout, run.stdout
    assert "diagnostics job completed" in run.stdout, run.stdout


def test_the_drift_walkthrough_as_pasted(server):
    """The quickstart, then the drift walkthrough in the same session: an alert in the
    terminal, the webhook's call, the detection events' table and the retraining report."""
    (quickstart,) = _blocks("python")
    (walkthrough,) = _blocks("python", "From data to a drift alert")
    run = _run(server, quickstart + "\n" + walkthrough)
    assert run.returncode == 0, run.stderr
    assert "alert: DRIFT_ON INPUT tenure_months" in run.stdout, run.stdout
    assert "webhook: DRIFT_ON" in run.stdout and "signed: sha256=" in run.stdout, run.stdout
    assert "retraining report:" in run.stdout, run.stdout
    WALKTHROUGHS_RUN.add((server.kind, "drift"))


def test_the_python_model_loop_as_pasted(server):
    """The quickstart, then a Python model retrained by Driftline when its inputs drift: the
    second version errs less on the moved data than the first. Its environment is built in the
    server's data folder, whichever way that folder was given."""
    (quickstart,) = _blocks("python")
    (loop,) = _blocks("python", "From drift to a retrained Python model")
    run = _run(server, quickstart + "\n" + loop)
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    assert "trained v1 COMPLETE on 3000 samples" in run.stdout, run.stdout
    errors = dict(re.findall(r"(v\d) mean squared error on the moved data: ([\d.]+)",
                             run.stdout))
    assert float(errors["v2"]) < 0.5 * float(errors["v1"]), run.stdout
    environments = server.data_dir / "python-environments"
    assert any(path.is_dir() for path in environments.iterdir()), list(server.folder.rglob("*"))
    if server.kind == "flags only":  # nothing went to the default folder the flag replaced
        assert not (server.folder / ".driftline").exists()
    WALKTHROUGHS_RUN.add((server.kind, "python model"))


def test_the_reports_as_pasted(server):
    """The quickstart, then a RAG task's evaluation and its questions' topics."""
    (quickstart,) = _blocks("python")
    (reports,) = _blocks("python", "Reports: how a RAG assistant answers, and what its users ask")
    run = _run(server, quickstart + "\n" + reports)
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    means = dict(re.findall(r"^(\w+)\s+mean +([\d.]+)", run.stdout, flags=re.M))
    assert 0.7 < float(means["groundedness"]) < 0.95, run.stdout
    assert "['html', 'samples', 'summary']" in run.stdout, run.stdout
    assert "topics found: 3 samples: 120" in run.stdout, run.stdout
    WALKTHROUGHS_RUN.add((server.kind, "reports"))


# -- the reference's blocks ------------------------------------------------------------------------------

README_SETUP = '''import os

import driftline

client = driftline.Client("127.0.0.1:50051", api_key=os.environ["DRIFTLINE_API_KEY"])
client.create_company(name="Acme", address="1 Main Street", vat="IT01234567890")
project_id = client.create_project(name="vision", description="image models")
'''


def test_the_readme_tracks_an_experiment_as_pasted(server):
    """The Experiments section's block, after the quickstart's first lines (a client, a
    company, a project)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n### Experiments (Catalog)\n", 1)[1].split("\n### ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    run = _run(server, README_SETUP + block)
    assert run.returncode == 0, run.stderr
    out = run.stdout.splitlines()
    assert out[-1] == "1500 1500", run.stdout  # the step, and every loss point stored
    for header in (["Model", "ID", "Hash", "Name", "Step", "Created"],
                   ["Epoch", "Phase", "Started", "Ended", "Seconds"],
                   ["Name", "Type", "Arguments", "Hash"],
                   ["Name", "Phase", "Epoch", "Step", "Value", "Time"]):
        assert header in [line.split() for line in out], run.stdout
    assert any(line.split()[1:4] == ["3f9a1c0e", "resnet18", "1500"] for line in out)
    assert [line.split()[:2] for line in out if line.startswith("accuracy")] == [
        ["accuracy", "VALIDATION"]] * 3
    assert any(line.startswith("optimizer") and '{"lr":0.1,"momentum":0.9}' in line
               for line in out)


def test_every_job_type_ran_on_the_server_as_started(server):
    """A diagnostics job and a KPI's detection, then every job type the suite has has
    completed on this server (the walkthroughs above ran the other eight)."""
    import numpy as np
    import pyarrow as pa
    from sqlalchemy import create_engine, pool, text

    import driftline
    from driftline_server.platform.database import sync_url

    if len({walk for kind, walk in WALKTHROUGHS_RUN if kind == server.kind}) < 4:
        pytest.skip("needs the four walkthroughs above to have run on this server")
    client = driftline.Client(server.address, api_key=_api_key(server))
    client.create_company(name="Jobs", address="1 Main Street", vat="IT01234567890")
    project_id = client.create_project(name="kpis", description="")
    client.wait_job_completion(client.submit_diagnostics_job(project_id, steps=2,
                                                             step_seconds=0))
    kpi_id = client.create_kpi(project_id, "weekly revenue")
    values = np.random.default_rng(0).normal(100.0, 5.0, 40)
    client.wait_job_completion(client.add_kpi_data(project_id, kpi_id, pa.table(
        {"timestamp": [1_700_000_000.0 + 86_400.0 * i for i in range(40)], "value": values})))
    for job in client.get_jobs(project_id=project_id, job_group="detect_kpi_drift"):
        client.wait_job_completion(job.job_id, max_wait_timeout=60)

    client.close()

    engine = create_engine(sync_url(server.database_url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        completed = {row[0] for row in connection.execute(text(
            "SELECT DISTINCT type FROM jobs_jobs WHERE status = 'COMPLETED'"))}
    engine.dispose()
    assert JOB_TYPES <= completed, f"never completed: {sorted(JOB_TYPES - completed)}"
