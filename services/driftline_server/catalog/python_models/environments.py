"""The Python environments Python models run in: one virtual environment per set of package
requirements, built with the installer the project itself uses (venv and pip), kept under a
root folder by the digest of the requirements and the interpreter, and reused by every model
that asks for the same. Pure: no gRPC, no database.

An environment sees its own packages first and then the packages of the interpreter that built
it (a ``.pth`` file appends that interpreter's site-packages), so a model gets pyarrow and
numpy without installing them, and whatever version it pins wins over ours.

Builds are atomic (built aside, then renamed into place) and one at a time per digest (a file
lock), so two workers asking for the same environment build it once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BUILD_SECONDS = 900.0
OUTPUT_TAIL = 4000


@dataclass(frozen=True)
class Environment:
    digest: str
    python: str  # the interpreter to run the model with
    built: bool  # built by this call (False: found ready)


class EnvironmentBuildFailed(Exception):
    """pip could not install the requirements; ``output`` is the tail of what it said."""

    def __init__(self, message: str, output: str):
        super().__init__(message)
        self.output = output


def digest_of(requirements: list[str]) -> str:
    """The same requirements in any order, with any spacing, give the same digest; so does the
    same interpreter version."""
    from packaging.requirements import Requirement

    canonical = sorted(str(Requirement(text)) for text in requirements)
    key = json.dumps({"requirements": canonical, "python": sys.version.split()[0]})
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def environment_for(requirements: list[str], root: Path, *,
                    timeout: float = BUILD_SECONDS) -> Environment:
    """The environment of ``requirements`` under ``root``, built when missing."""
    digest = digest_of(requirements)
    root.mkdir(parents=True, exist_ok=True)
    place = root / digest
    python = place / "bin" / "python"
    if python.exists():
        return Environment(digest, str(python), False)
    with open(root / f"{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it
        if python.exists():
            return Environment(digest, str(python), False)
        aside = Path(tempfile.mkdtemp(prefix=f"{digest}.", dir=root))
        try:
            _build(aside, requirements, timeout)
            aside.rename(place)
        finally:
            shutil.rmtree(aside, ignore_errors=True)
    return Environment(digest, str(python), True)


def _build(folder: Path, requirements: list[str], timeout: float) -> None:
    import venv

    # Built in place: a venv's scripts name their folder, so it is built where it will live
    # under its final name's sibling and renamed only when complete (the interpreter link and
    # the .pth file hold no path of the build folder).
    venv.EnvBuilder(with_pip=False, symlinks=True).create(folder)
    packages = next((folder / "lib").glob("python3*/site-packages"))
    (packages / "_driftline_base.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n")
    if not requirements:
        return
    command = [sys.executable, "-m", "pip", "--python", str(folder / "bin" / "python"),
               "install", "--quiet", "--disable-pip-version-check", "--no-input",
               "--only-binary", ":all:", *requirements]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        raise EnvironmentBuildFailed(
            f"installing the requirements took more than {timeout:g} s",
            str(expired.output or "")[-OUTPUT_TAIL:]) from None
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-OUTPUT_TAIL:]
        raise EnvironmentBuildFailed(
            "pip could not install the requirements (see its output): check the names and "
            "versions exist on the package index for this platform", output)
