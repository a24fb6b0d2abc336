"""The README's quickstart works as pasted: the create-user command, then the Python block."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from harness import ROOT


def _blocks(language: str) -> list[str]:
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", quickstart, flags=re.S)


def test_quickstart_as_pasted(server):
    (command,) = _blocks("sh")
    args = command.split()
    assert args[0] == ".venv/bin/driftline-server" and args[1:3] == ["admin", "create-user"]
    result = server.cli(*args[1:])
    api_key = dict(line.split(": ", 1) for line in result.stdout.splitlines())["api_key"]

    (program,) = _blocks("python")
    assert "127.0.0.1:50051" in program  # the address `make run` serves on
    env = {**os.environ, "DRIFTLINE_API_KEY": api_key}
    run = subprocess.run(
        [sys.executable, "-c", program.replace("127.0.0.1:50051", server.address)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    # show_models printed the model just created; both uploads were stored and read back.
    assert "gbm" in run.stdout and "1" in run.stdout
    assert "2000 samples; {'churned': 200, 'stayed': 800}" in run.stdout, run.stdout
