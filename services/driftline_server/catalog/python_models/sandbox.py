"""Running a Python model's functions in a process of their own, never in a server's: a fresh
interpreter in a private working folder, an environment with nothing of the server's (no
DRIFTLINE_* setting, no credential), address-space and CPU-time limits (setrlimit) and a
wall-clock limit after which its whole process group is killed.

What crosses the boundary is data, never code: arguments go in as Arrow IPC and JSON files;
the trained artifact comes back as opaque bytes (pickled inside the sandbox, unpickled only
inside a later sandbox); predictions come back as JSON. Nothing the user's process writes is
unpickled here.

This isolates the server from a model that raises, loops, eats memory or exits; it is not a
security boundary against hostile code (the process runs as the server's user and can reach
the network and the file system that user can): run the workers on machines of their own
(the Dask cluster) when the code is not trusted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

OUTPUT_TAIL = 4000  # characters of the process's output kept for the error

# The program the sandboxed interpreter runs to train: it imports the model's source, calls the
# train function and writes the artifact. It imports nothing of Driftline's. (Predictions are
# served by serving.py's program.)
_RUNNER = r'''
import json, pickle, sys, traceback
function = sys.argv[1]

def finish(outcome):
    with open("outcome.json", "w") as f:
        json.dump(outcome, f)
    sys.exit(0)

try:
    import pyarrow as pa, pyarrow.ipc
    sys.path.insert(0, ".")
    import model
    with open("config.json") as f:
        config = json.load(f)
    weights = None
    try:
        with open("weights.json") as f:
            weights = json.load(f)
    except FileNotFoundError:
        pass
    with pa.ipc.open_file("data.arrow") as reader:
        data = reader.read_all()
    artifact = getattr(model, function)(data, config, weights)
    try:
        blob = pickle.dumps(artifact)
    except Exception as error:
        finish({"kind": "WRONG_TYPE", "message": f"{function} returned a "
                f"{type(artifact).__name__}, which cannot be pickled: {error}"})
    with open("artifact.bin", "wb") as f:
        f.write(blob)
    finish({"kind": "OK"})
except MemoryError:
    finish({"kind": "MEMORY", "message": "the model ran out of memory (MemoryError)"})
except SystemExit:
    raise
except BaseException as error:
    finish({"kind": "RAISED", "message": f"{type(error).__name__}: {error}",
            "traceback": traceback.format_exc()[-4000:]})
'''


@dataclass(frozen=True)
class Limits:
    """What one sandboxed process may use: address space, CPU time (of all its threads), the
    wall clock, the threads its numeric libraries start, and whether it sees the GPUs."""

    memory_bytes: int
    cpu_seconds: int
    wall_seconds: float
    threads: int = 1
    gpu: bool = False


@dataclass
class Outcome:
    """How a sandboxed call ended: kind OK, RAISED, MEMORY, CPU_TIME, WALL_TIME, WRONG_TYPE,
    CRASHED or CANCELLED, with a message saying what happened and the tail of its output."""

    kind: str
    message: str = ""
    output_tail: str = ""
    artifact: bytes | None = None
    predictions: list | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "OK"


# Sets the limits in the new interpreter, then runs the program: applied after exec, not in a
# preexec_fn, which runs Python between fork and exec in a multi-threaded server and could
# crash the child (signals 6 and 11 seen under load) or deadlock it on a lock another thread
# held at the fork. Standard library only, before anything of the model is imported.
_LIMITED = r'''
import resource, runpy, sys
memory_kind, memory, cpu_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(getattr(resource, memory_kind), (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
# No file larger than its memory (the artifact is pickled from memory): a model that prints or
# writes without end stops there instead of filling the worker's disk.
resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))
sys.argv = sys.argv[4:]
runpy.run_path(sys.argv[0], run_name="__main__")
'''


def limited_command(python: str | None, limits: Limits, program: str, *args: str) -> list[str]:
    """The command that runs ``program`` (a file in the working folder) with ``args`` in a
    fresh isolated interpreter under ``limits``. Start it with ``start_new_session=True``: its
    own process group, so that a timeout kills whatever it started too."""
    # GPU runtimes map far more address space than they use: limit their data instead.
    memory_kind = "RLIMIT_DATA" if limits.gpu else "RLIMIT_AS"
    return [python or sys.executable, "-I", "-u", "-B", "-c", _LIMITED, memory_kind,
            str(limits.memory_bytes), str(limits.cpu_seconds), program, *args]


def _environment(folder: Path, limits: Limits) -> dict[str, str]:
    """Only what an interpreter needs: nothing of the server's settings or credentials. The
    GPUs are hidden from a model that did not ask for one."""
    threads = str(limits.threads)
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(folder),
                   "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
                   "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads,
                   "MKL_NUM_THREADS": threads, "NUMBA_NUM_THREADS": threads}
    if not limits.gpu:
        environment["CUDA_VISIBLE_DEVICES"] = ""
    elif "CUDA_VISIBLE_DEVICES" in os.environ:  # the worker's share of the machine's GPUs
        environment["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return environment


def _write_table(path: Path, table) -> None:
    import pyarrow as pa

    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _run(source: str, function: str, limits: Limits, files: dict, python: str | None,
         should_stop=None) -> tuple[Outcome, Path, tempfile.TemporaryDirectory]:
    folder = tempfile.TemporaryDirectory(prefix="driftline-model-")
    root = Path(folder.name)
    os.chmod(root, 0o700)
    (root / "model.py").write_text(source)
    (root / "_runner.py").write_text(_RUNNER)
    for name, content in files.items():
        if hasattr(content, "schema"):
            _write_table(root / name, content)
        else:
            (root / name).write_text(json.dumps(content))
    # The output goes to a file, not a pipe: a model that prints without end costs disk in
    # its own folder, not the worker's memory, and only its tail is read back.
    with open(root / "output.log", "w+b") as log:
        process = subprocess.Popen(
            limited_command(python, limits, "_runner.py", function), cwd=root,
            env=_environment(root, limits), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        ended = _wait(process, limits.wall_seconds, should_stop)
        if ended != "EXITED":
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        tail = _tail(log)
    if ended == "STOPPED":
        return Outcome("CANCELLED", f"{function} was stopped: its job was cancelled",
                       tail), root, folder
    if ended == "WALL_TIME":
        return Outcome("WALL_TIME", f"{function} ran past its {limits.wall_seconds:g} s "
                                    "wall-clock limit and was stopped", tail), root, folder
    outcome_file = root / "outcome.json"
    if outcome_file.exists():
        found = json.loads(outcome_file.read_text())
        message = found.get("message", "")
        if found.get("traceback"):
            tail = (tail + "\n" + found["traceback"])[-OUTPUT_TAIL:]
        return Outcome(found["kind"], message, tail), root, folder
    code = process.returncode
    if code == -signal.SIGXCPU:
        return Outcome("CPU_TIME", f"{function} used its {limits.cpu_seconds} s of CPU time "
                                   "and was stopped", tail), root, folder
    if "MemoryError" in tail or "Cannot allocate memory" in tail:
        return Outcome("MEMORY", f"{function} ran out of its "
                                 f"{limits.memory_bytes >> 20} MiB of memory", tail), root, folder
    if code == -signal.SIGXFSZ:
        return Outcome("CRASHED", f"{function} wrote a file (or output) larger than its "
                                  f"{limits.memory_bytes >> 20} MiB and was stopped",
                       tail), root, folder
    how = f"signal {-code}" if code < 0 else f"exit code {code}"
    return Outcome("CRASHED", f"the model's process ended with {how} before "
                              f"{function} returned", tail), root, folder


def _wait(process: subprocess.Popen, wall_seconds: float, should_stop) -> str:
    """EXITED, WALL_TIME, or STOPPED when ``should_stop()`` (asked every half second) says so;
    the process is left running in the last two cases."""
    deadline = time.monotonic() + wall_seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return "WALL_TIME"
        try:
            process.wait(timeout=min(left, 0.5))
            return "EXITED"
        except subprocess.TimeoutExpired:
            if should_stop is not None and should_stop():
                return "STOPPED"


def _tail(log) -> str:
    """The last OUTPUT_TAIL characters of an output file (open for reading, binary)."""
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - 4 * OUTPUT_TAIL))
    return log.read().decode("utf-8", "replace")[-OUTPUT_TAIL:]


def train(source: str, function: str, data, config: dict, sample_weights: list | None,
          limits: Limits, python: str | None = None, should_stop=None) -> Outcome:
    """Call ``function(data, config, sample_weights)`` of ``source`` in a sandbox; the artifact
    it returned comes back pickled, as opaque bytes. ``should_stop()``, asked every half second,
    ends it early (kind CANCELLED) when it answers True."""
    files = {"data.arrow": data, "config.json": config}
    if sample_weights is not None:
        files["weights.json"] = list(sample_weights)
    outcome, root, folder = _run(source, function, limits, files, python, should_stop)
    with folder:
        if outcome.ok:
            outcome.artifact = (root / "artifact.bin").read_bytes()
    return outcome


def predict(source: str, function: str, artifact: bytes, data, limits: Limits, *,
            many: bool, initialize: str = "", python: str | None = None) -> Outcome:
    """Predictions of ``data``'s rows: ``function(state, samples)`` once (``many``) or
    ``function(state, sample)`` per row, the state being ``initialize(artifact)`` (or the
    artifact itself): a version loaded for this one request (serving.LoadedModel)."""
    from driftline_server.catalog.python_models.serving import LoadedModel

    with LoadedModel(source, artifact, limits, initialize=initialize, python=python) as model:
        return model.predict(function, data, many=many)
