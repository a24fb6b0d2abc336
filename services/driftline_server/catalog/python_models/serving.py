"""A loaded version of a Python model: one sandboxed process (sandbox.py's folder, environment
and limits) that imports the source, calls ``initialize`` once on the artifact, and then answers
prediction requests until it is closed. Requests and answers cross its stdin and stdout as data:
a JSON header line and an Arrow IPC stream in, a JSON line out, each carrying the request's id.

A version that is not thread-safe answers one request at a time, in order. A thread-safe one
(``concurrent``) answers requests as they come, each in a thread of its process, so one slow
request does not hold up the others.

Each request has the wall-clock limit; a model that overruns it, crashes or exhausts its memory
is stopped, the request fails with why (and so do the others it was answering), and the next
request loads it again (initialize runs again). CPU time is limited per process lifetime
(RLIMIT_CPU), generously: the wall clock is what bounds one request.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import tempfile
import threading
from contextlib import nullcontext
from pathlib import Path

from driftline_server.catalog.python_models.sandbox import (
    OUTPUT_TAIL,
    Limits,
    Outcome,
    _environment,
    limited_command,
)

_SERVER = r'''
import json, pickle, sys, threading, traceback
from concurrent.futures import ThreadPoolExecutor
import pyarrow as pa
sys.path.insert(0, ".")
out = sys.stdout
sys.stdout = sys.stderr  # what the model prints goes to the log, not into the protocol
writing = threading.Lock()

def answer(outcome, request=None):
    if request is not None:
        outcome["id"] = request
    line = json.dumps(outcome) + "\n"
    with writing:
        out.write(line)
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

def serve(header, data):
    try:
        call = getattr(model, header["function"])
        if header["many"]:
            found = list(call(state, data))
            if len(found) != data.num_rows:
                return {"kind": "WRONG_TYPE", "message": f"{header['function']} returned "
                        f"{len(found)} predictions for {data.num_rows} samples"}
        else:
            found = [call(state, row) for row in data.to_pylist()]
        predictions = [getattr(v, "item", lambda: v)() for v in found]
        json.dumps(predictions)
        return {"kind": "OK", "predictions": predictions}
    except MemoryError:
        return {"kind": "MEMORY", "message": "the model ran out of memory (MemoryError)"}
    except (TypeError, ValueError) as error:
        if "JSON" in str(error) or "serializable" in str(error):
            return {"kind": "WRONG_TYPE", "message": f"{header['function']} returned a "
                    f"prediction that is not JSON: {error}"}
        return {"kind": "RAISED", "message": f"{type(error).__name__}: {error}",
                "traceback": traceback.format_exc()[-4000:]}
    except Exception as error:
        return {"kind": "RAISED", "message": f"{type(error).__name__}: {error}",
                "traceback": traceback.format_exc()[-4000:]}

pool = ThreadPoolExecutor(int(sys.argv[2])) if int(sys.argv[2]) > 1 else None
source = sys.stdin.buffer
while True:
    line = source.readline()
    if not line:
        break
    header = json.loads(line)
    data = pa.ipc.open_stream(source.read(header["size"])).read_all()
    if pool is None:
        answer(serve(header, data), header["id"])
    else:
        pool.submit(lambda h=header, d=data: answer(serve(h, d), h["id"]))
'''

# Threads a thread-safe version answers requests in, at most.
CONCURRENT_REQUESTS = 8


class _Pending:
    """A request sent, waiting for its answer."""

    def __init__(self):
        self.answered = threading.Event()
        self.answer: dict | None = None


class LoadedModel:
    """One model version loaded in its own process; ``predict`` is safe from several threads
    (one request at a time unless ``concurrent``)."""

    def __init__(self, source: str, artifact: bytes, limits: Limits, *, initialize: str = "",
                 python: str | None = None, concurrent: bool = False):
        self._source, self._artifact, self._limits = source, artifact, limits
        self._initialize, self._python = initialize, python
        self._concurrent = concurrent
        self._lock = threading.Lock()  # the process, its pipes and the pending requests
        self._turn = nullcontext() if concurrent else threading.Lock()  # one at a time
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
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
        with self._turn:
            with self._lock:
                if self._process is None or self._process.poll() is not None:
                    started = self._start()
                    if not started.ok:
                        return started
                process = self._process
                request, pending = next(self._ids), _Pending()
                self._pending[request] = pending
                header = json.dumps({"id": request, "function": function, "many": many,
                                     "size": len(payload)})
                try:
                    process.stdin.write(header.encode() + b"\n" + payload)
                    process.stdin.flush()
                except BrokenPipeError:
                    pass  # it ended: the reader answers every pending request with why
            if not pending.answered.wait(self._limits.wall_seconds):
                tail = self._tail_of(process)
                with self._lock:
                    if self._process is process:
                        self._stop()
                return Outcome("WALL_TIME", f"{function} ran past its "
                                            f"{self._limits.wall_seconds:g} s wall-clock limit "
                                            "and was stopped", tail)
            found = pending.answer
        tail = (found.pop("output_tail", "") + "\n" + found.get("traceback", "")).strip()
        return Outcome(found["kind"], found.get("message", ""), tail[-OUTPUT_TAIL:],
                       predictions=found.get("predictions"))

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __enter__(self) -> "LoadedModel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the process -----------------------------------------------------------------------

    def _start(self) -> Outcome:
        """Start the process and wait for initialize (under ``_lock``)."""
        self._stop()
        self._folder = tempfile.TemporaryDirectory(prefix="driftline-serving-")
        root = Path(self._folder.name)
        os.chmod(root, 0o700)
        (root / "model.py").write_text(self._source)
        (root / "artifact.bin").write_bytes(self._artifact)
        (root / "_server.py").write_text(_SERVER)
        self._log = open(root / "output.log", "w+b")
        threads = str(CONCURRENT_REQUESTS if self._concurrent else 1)
        process = subprocess.Popen(
            limited_command(self._python, self._limits, "_server.py", self._initialize,
                            threads),
            cwd=root, env=_environment(root, self._limits), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._log, start_new_session=True)
        self._process = process
        self.loads += 1
        ready = _Pending()
        threading.Thread(target=self._read_answers, args=(process, ready), daemon=True,
                         name="driftline-model-answers").start()
        what = self._initialize or "the model's loading"
        if not ready.answered.wait(self._limits.wall_seconds):
            tail = self._tail_of(process)
            self._stop()
            return Outcome("WALL_TIME", f"{what} ran past its {self._limits.wall_seconds:g} s "
                                        "wall-clock limit and was stopped", tail)
        found = ready.answer
        if found["kind"] != "READY":
            self._stop()
            tail = (found.get("output_tail", "") + "\n" + found.get("traceback", "")).strip()
            return Outcome(found["kind"], found.get("message", ""), tail[-OUTPUT_TAIL:])
        return Outcome("OK")

    def _read_answers(self, process: subprocess.Popen, ready: _Pending) -> None:
        """The process's answers, each to the request that waits for it; when the process ends
        every request still waiting gets why. (``ready`` is answered without ``_lock``: _start
        holds it while it waits.)"""
        for line in process.stdout:
            found = json.loads(line)
            found["output_tail"] = self._tail_of(process)
            if "id" not in found:
                pending = ready
            else:
                with self._lock:
                    pending = self._pending.pop(found["id"], None)
            if pending is not None:
                pending.answer = found
                pending.answered.set()
        process.stdout.close()
        ended = self._ended(process)
        if not ready.answered.is_set():
            ready.answer = dict(ended)
            ready.answered.set()
        with self._lock:
            waiting = list(self._pending.values()) if process is self._process else []
            if process is self._process:
                self._pending.clear()
        for pending in waiting:
            pending.answer = dict(ended)
            pending.answered.set()

    def _ended(self, process: subprocess.Popen) -> dict:
        code = process.wait()
        tail = self._tail_of(process)
        if code == -signal.SIGXCPU:
            return {"kind": "CPU_TIME", "output_tail": tail,
                    "message": f"the model used its {self._limits.cpu_seconds} s of CPU time "
                               "and was stopped"}
        if "MemoryError" in tail:
            return {"kind": "MEMORY", "output_tail": tail,
                    "message": f"the model ran out of its {self._limits.memory_bytes >> 20} "
                               "MiB of memory"}
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        return {"kind": "CRASHED", "output_tail": tail,
                "message": f"the model's process ended with {how} before it answered"}

    def _tail_of(self, process: subprocess.Popen) -> str:
        """The end of what the process wrote to its log (empty once it is cleaned up)."""
        if process is not self._process or self._folder is None:
            return ""
        try:
            with open(Path(self._folder.name) / "output.log", "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 4 * OUTPUT_TAIL))
                return log.read().decode("utf-8", "replace")[-OUTPUT_TAIL:]
        except OSError:
            return ""

    def _stop(self) -> None:
        """Kill the process and clean its folder (under ``_lock``); its reader answers the
        requests still waiting."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            process.stdin.close()
        for pending in self._pending.values():
            if not pending.answered.is_set():
                pending.answer = {"kind": "CRASHED", "message": "the model's process was "
                                  "stopped while answering (another request overran its "
                                  "wall clock, or the model was closed)"}
                pending.answered.set()
        self._pending.clear()
        if self._folder is not None:
            self._log.close()
            self._folder.cleanup()
            self._folder = None
