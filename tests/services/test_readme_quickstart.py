"""The README's quickstart works as pasted: the create-user command, then the Python block."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest

from harness import ROOT, ServerProcess, fresh_database


def _blocks(language: str, section: str = "Quickstart") -> list[str]:
    readme = (ROOT / "README.md").read_text()
    text = readme.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The server as the README starts it for its drift walkthrough (webhooks may use http)."""
    data_dir = tmp_path_factory.mktemp("driftline")
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url,
                            extra_env={"DRIFTLINE_ACTIONS_ALLOW_HTTP": "true"}).start()
    try:
        yield process
    finally:
        process.stop()
        database.drop()


def _run(server, program: str) -> subprocess.CompletedProcess:
    (command,) = _blocks("sh")
    args = command.split()
    assert args[0] == ".venv/bin/driftline-server" and args[1:3] == ["admin", "create-user"]
    result = server.cli(*args[1:3], "--email", f"{uuid.uuid4().hex[:8]}@example.com",
                        *args[5:])
    api_key = dict(line.split(": ", 1) for line in result.stdout.splitlines())["api_key"]
    assert "127.0.0.1:50051" in program  # the address `make run` serves on
    env = {**os.environ, "DRIFTLINE_API_KEY": api_key}
    return subprocess.run(
        [sys.executable, "-c", program.replace("127.0.0.1:50051", server.address)],
        env=env, capture_output=True, text=True, timeout=300,
    )


def test_quickstart_as_pasted(server):
    (program,) = _blocks("python")
    run = _run(server, program)
    assert run.returncode == 0, run.stderr
    # show_models printed the model just created; both uploads were stored and read back.
    assert "gbm" in run.stdout and "1" in run.stdout
    assert "2000 samples; {'churned': 200, 'stayed': 800}" in run.stdout, run.stdout


def test_the_drift_walkthrough_as_pasted(server):
    """The quickstart, then the drift walkthrough in the same session: an alert in the
    terminal, the webhook's call, the detection events' table and the retraining report."""
    (quickstart,) = _blocks("python")
    (walkthrough,) = _blocks("python", "From data to a drift alert")
    run = _run(server, quickstart + "\n" + walkthrough)
    assert run.returncode == 0, run.stderr
    assert "alert: DETECTION_EVENT_TYPE_DRIFT_ON MONITORING_TARGET_INPUT tenure_months" \
        in run.stdout, run.stdout
    assert "webhook: DRIFT_ON" in run.stdout and "signed: sha256=" in run.stdout, run.stdout
    assert "retraining report:" in run.stdout, run.stdout


def test_the_python_model_loop_as_pasted(server):
    """The quickstart, then a Python model retrained by Driftline when its inputs drift: the
    second version errs less on the moved data than the first."""
    import re as regex

    (quickstart,) = _blocks("python")
    (loop,) = _blocks("python", "From drift to a retrained Python model")
    run = _run(server, quickstart + "\n" + loop)
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    assert "trained v1 COMPLETE on 3000 samples" in run.stdout, run.stdout
    errors = dict(regex.findall(r"(v\d) mean squared error on the moved data: ([\d.]+)",
                                run.stdout))
    assert float(errors["v2"]) < 0.5 * float(errors["v1"]), run.stdout


def test_the_reports_as_pasted(server):
    """The quickstart, then a RAG task's evaluation and its questions' topics."""
    import re as regex

    (quickstart,) = _blocks("python")
    (reports,) = _blocks("python", "Reports: how a RAG assistant answers, and what its users ask")
    run = _run(server, quickstart + "\n" + reports)
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    means = dict(regex.findall(r"^(\w+)\s+mean +([\d.]+)", run.stdout, flags=regex.M))
    assert 0.7 < float(means["groundedness"]) < 0.95, run.stdout
    assert "['html', 'samples', 'summary']" in run.stdout, run.stdout
    assert "topics found: 3 samples: 120" in run.stdout, run.stdout
