"""A loaded version of a Python model: one sandboxed process (sandbox.py's folder, environment
and limits) that imports the source, calls ``initialize`` once on the artifact, and then answers
prediction requests until it is closed. Requests and answers cross its stdin and stdout as data:
a JSON header line and an Arrow IPC stream in, a JSON line out.

Each request has the wall-clock limit; a model that overruns it, crashes or exhausts its memory
is stopped, the request fails with why, and the next request loads it again (initialize runs
again). CPU time is limited per process lifetime (RLIMIT_CPU), generously: the wall clock is what
bounds one request.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from driftline_server.catalog.python_models.sandbox import (
    OUTPUT_TAIL,
    Limits,
    Outcome,
    _environment,
    _limit,
)

_SERVER = r'''
import json, pickle, sys, traceback
import pyarrow as pa
sys.path.insert(0, ".")
out = sys.stdout
sys.stdout = sys.stderr  # what the model prints goes to the log, not into the protocol

def answer(outcome):
    out.write(json.dumps(outcome) + "\n")
    out.flush()

try:
    import model
    with open("artifact.bin", "rb") as f:
        state = pickle.load(f)
    initialize = sys.argv[1]
    if initialize:
        state = getattr(model, initialize)(state)
    answer({"kind": "READY"})
except BaseException as error:
    answer({"kind": "RAISED", "message": f"loading the model: {type(error).__name__}: {error}",
            "traceback": traceback.format_exc()[-4000:]})
    sys.exit(0)

source = sys.stdin.buffer
while True:
    line = source.readline()
    if not line:
        break
    header = json.loads(line)
    data = pa.ipc.open_stream(source.read(header["size"])).read_all()
    try:
        call = getattr(model, header["function"])
        if header["many"]:
            found = list(call(state, data))
            if len(found) != data.num_rows:
                answer({"kind": "WRONG_TYPE", "message": f"{header['function']} returned "
                        f"{len(found)} predictions for {data.num_rows} samples"})
                continue
        else:
            found = [call(state, row) for row in data.to_pylist()]
        answer({"kind": "OK", "predictions": [getattr(v, "item", lambda: v)() for v in found]})
    except MemoryError:
        answer({"kind": "MEMORY", "message": "the model ran out of memory (MemoryError)"})
    except (TypeError, ValueError) as error:
        if "JSON" in str(error) or "serializable" in str(error):
            answer({"kind": "WRONG_TYPE", "message": str(error)})
        else:
            answer({"kind": "RAISED", "message": f"{type(error).__name__}: {error}",
                    "traceback": traceback.format_exc()[-4000:]})
    except Exception as error:
        answer({"kind": "RAISED", "message": f"{type(error).__name__}: {error}",
                "traceback": traceback.format_exc()[-4000:]})
'''


class LoadedModel:
    """One model version loaded in its own process; ``predict`` is safe from several threads
    (requests are answered one at a time)."""

    def __init__(self, source: str, artifact: bytes, limits: Limits, *, initialize: str = "",
                 python: str | None = None):
        self._source, self._artifact, self._limits = source, artifact, limits
        self._initialize, self._python = initialize, python
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        self.loads = 0  # how many times the process was started (initialize ran)

    def predict(self, function: str, data, *, many: bool) -> Outcome:
        """Predictions of ``data``'s rows by ``function`` (per row, or once for all)."""
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, data.schema) as writer:
            writer.write_table(data)
        payload = sink.getvalue().to_pybytes()
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                started = self._start()
                if not started.ok:
                    return started
            header = json.dumps({"function": function, "many": many, "size": len(payload)})
            try:
                self._process.stdin.write(header.encode() + b"\n" + payload)
                self._process.stdin.flush()
            except BrokenPipeError:
                return self._ended(function)
            return self._reply(function)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __enter__(self) -> "LoadedModel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> Outcome:
        self._stop()
        self._folder = tempfile.TemporaryDirectory(prefix="driftline-serving-")
        root = Path(self._folder.name)
        os.chmod(root, 0o700)
        (root / "model.py").write_text(self._source)
        (root / "artifact.bin").write_bytes(self._artifact)
        (root / "_server.py").write_text(_SERVER)
        self._log = open(root / "output.log", "w+b")
        self._process = subprocess.Popen(
            [self._python or sys.executable, "-I", "_server.py", self._initialize], cwd=root,
            env=_environment(root), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, preexec_fn=_limit(self._limits))
        self.loads += 1
        ready = self._reply(self._initialize or "the model's loading")
        if ready.kind != "READY":
            self._stop()
            return ready
        return Outcome("OK")

    def _reply(self, function: str) -> Outcome:
        stdout = self._process.stdout
        readable, _, _ = select.select([stdout], [], [], self._limits.wall_seconds)
        if not readable:
            tail = self._tail()
            self._stop()
            return Outcome("WALL_TIME", f"{function} ran past its {self._limits.wall_seconds:g} "
                                        "s wall-clock limit and was stopped", tail)
        line = stdout.readline()
        if not line:
            return self._ended(function)
        found = json.loads(line)
        tail = (self._tail() + "\n" + found.get("traceback", "")).strip()[-OUTPUT_TAIL:]
        return Outcome(found["kind"], found.get("message", ""), tail,
                       predictions=found.get("predictions"))

    def _ended(self, function: str) -> Outcome:
        code = self._process.wait()
        tail = self._tail()
        self._stop()
        if code == -signal.SIGXCPU:
            return Outcome("CPU_TIME", f"the model used its {self._limits.cpu_seconds} s of CPU "
                                       "time and was stopped", tail)
        if "MemoryError" in tail:
            return Outcome("MEMORY", f"the model ran out of its "
                                     f"{self._limits.memory_bytes >> 20} MiB of memory", tail)
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        return Outcome("CRASHED", f"the model's process ended with {how} during {function}",
                       tail)

    def _tail(self) -> str:
        if self._folder is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-OUTPUT_TAIL:]

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                stream.close()
            self._process = None
        if self._folder is not None:
            self._log.close()
            self._folder.cleanup()
            self._folder = None
