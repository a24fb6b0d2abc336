"""What runs on a Dask worker: one attempt of a job, and the context its handler gets.

The worker talks to JobsService over gRPC with the suite's internal credential, like any other
service: it tells the service that the attempt began, reports progress and asks whether to stop.
It never touches the database, so a worker may run anywhere that reaches the Jobs service.
Each job's spec carries its server's settings (flags included, secrets left out), so a handler
runs with the configuration its server started with (``context.settings``). In the embedded
cluster (a thread of the server) the engine hands the worker its whole settings, credential
included; workers of an external cluster read the secrets (DRIFTLINE_INTERNAL_TOKEN, ...) from
their own variables, and DRIFTLINE_<SERVICE>_ADDRESS when the addresses the service knows itself
by are not reachable from them.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import traceback

import grpc

from driftline_server.platform.config import Settings, settings_of_job

_local = {"stopping": False}
_embedded: dict[str, Settings] = {}  # engine owner -> its server's settings, in this process
_channels: dict[tuple, grpc.Channel] = {}
_channels_lock = threading.Lock()
_RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})


class JobFailure(Exception):
    """Raised by a handler that must fail for good (no retry), with a stable reason code and,
    optionally, structured ``details`` (JSON-like) that the job's error carries."""

    def __init__(self, reason: str, message: str, details: dict | None = None):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.details = details


class JobCancelled(Exception):
    """Raised by the context when someone asked the job to stop; handlers let it propagate."""


class JobSuperseded(Exception):
    """Raised by the context when this attempt no longer owns the job (it was requeued)."""


class JobsServiceUnreachable(Exception):
    """The worker cannot reach the Jobs service: the attempt cannot be recorded, so it is left
    to the engine's lease (the job runs again once the lease expires or the engine stops)."""


def configure_embedded(owner: str, settings: Settings) -> None:
    """Called by an embedded engine: its jobs, run in this process, use its server's settings
    (its credential among them)."""
    _embedded[owner] = settings
    _local["stopping"] = False


def embedded_stopping() -> None:
    """Called by the embedded engine as the server stops: attempts running in this process
    end at their next call to the service instead of waiting for it."""
    _local["stopping"] = True


def _channel(address: str, settings: Settings, own: bool) -> grpc.Channel:
    """A channel to a service of the suite, over TLS when the settings say so (``own``: the
    embedded server's own address, checked against its certificate's name)."""
    from driftline_server.platform import tls

    # A handler may send and receive what the services do (max_message_mib), not grpc's 4 MiB:
    # a fitted reference or a retraining suggestion is larger.
    limit = settings.max_message_bytes
    key = (address, own, limit, settings.tls_cert, settings.tls_key, settings.tls_ca)
    with _channels_lock:
        if key not in _channels:
            _channels[key] = tls.open_channel(address, settings, [
                ("grpc.max_receive_message_length", limit),
                ("grpc.max_send_message_length", limit)], own=own)
        return _channels[key]


# How often check_cancelled asks the Jobs service, at most: a cancel is seen within this.
CANCEL_CHECK_SECONDS = 0.5


class JobContext:
    """Given to a handler: who the job is, progress, cancellation, and channels to services."""

    def __init__(self, spec: dict):
        self.job_id: str = spec["job_id"]
        self.job_type: str = spec["type"]
        self.attempt: int = spec["attempt"]
        self.max_attempts: int = spec.get("max_attempts", 1)
        self.company_id: str = spec["company_id"]
        self.project_id: str | None = spec.get("project_id")
        self.task_id: str | None = spec.get("task_id")
        self.model_id: str | None = spec.get("model_id")
        self._run_id: str = spec["run_id"]
        self._cancel_checked = float("-inf")  # when check_cancelled last asked
        self._embedded = embedded = spec.get("engine") in _embedded
        # The configuration the job's server started with: its own in this process, else the
        # spec's with this worker's secrets.
        self.settings: Settings = _embedded[spec["engine"]] if embedded \
            else settings_of_job(spec.get("settings", {}))
        self._token = self.settings.internal_token
        if not self._token:
            raise RuntimeError(
                "this Dask worker has no DRIFTLINE_INTERNAL_TOKEN: set it to the suite's value"
            )
        self._addresses = dict(spec["addresses"])
        if not embedded:
            for service in self._addresses:
                override = os.environ.get(f"DRIFTLINE_{service.upper()}_ADDRESS")
                if override:
                    self._addresses[service] = override
        from driftline.jobs.v1 import jobs_service_pb2_grpc

        self._jobs = jobs_service_pb2_grpc.JobsServiceStub(self.channel("jobs"))

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        """Call metadata with the internal credential, for calls to other services."""
        return (("authorization", f"Bearer {self._token}"),)

    def channel(self, service: str) -> grpc.Channel:
        """A gRPC channel to one of the suite's services (send ``metadata`` with each call)."""
        try:
            return _channel(self._addresses[service], self.settings,
                            own=self._embedded and service in self.settings.services)
        except KeyError:
            raise ValueError(f"no address known for service '{service}'") from None

    def _call(self, method, request):
        """Call the Jobs service, riding out a short outage (a restart, a busy replica)."""
        delay = 0.1
        for attempt in range(6):
            if _local["stopping"]:
                raise JobsServiceUnreachable("the embedded engine is stopping")
            try:
                return method(request, metadata=self.metadata, timeout=10)
            except grpc.RpcError as error:
                if error.code() is grpc.StatusCode.FAILED_PRECONDITION:
                    raise JobSuperseded(error.details()) from None
                if error.code() in _RETRYABLE and attempt == 5:
                    raise JobsServiceUnreachable(error.details()) from None
                if error.code() not in _RETRYABLE:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)

    def retrying(self, call):
        """Run ``call()`` (a call to another service, or a whole read of a stream), running it
        again while the service is briefly unreachable (a restart, a busy replica)."""
        delay = 0.2
        for attempt in range(6):
            try:
                return call()
            except grpc.RpcError as error:
                if error.code() not in _RETRYABLE or attempt == 5:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 3.0)
        raise AssertionError("unreachable")

    def call(self, method, request, timeout: float = 600.0):
        """Call a unary method of another service's stub with the internal credential, riding
        out a short outage (``retrying``)."""
        return self.retrying(lambda: method(request, metadata=self.metadata, timeout=timeout))

    def report_progress(self, fraction: float, message: str = "") -> None:
        """Record progress (0 to 1); raises JobCancelled when someone asked the job to stop."""
        from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb

        response = self._call(
            self._jobs.ReportJobProgress,
            pb.ReportJobProgressRequest(
                job_id=self.job_id, run_id=self._run_id,
                progress=job_pb2.JobProgress(fraction=min(max(fraction, 0.0), 1.0),
                                             message=message[:500]),
            ),
        )
        if response.cancel_requested:
            raise JobCancelled(self.job_id)

    def cancel_requested(self) -> bool:
        """Whether someone asked the job to stop."""
        from driftline.jobs.v1 import jobs_service_pb2 as pb

        return self._call(
            self._jobs.CheckJobCancellation,
            pb.CheckJobCancellationRequest(job_id=self.job_id, run_id=self._run_id),
        ).cancel_requested

    def check_cancelled(self) -> None:
        """Raise JobCancelled when someone asked the job to stop (call it in long loops: the
        Jobs service is asked at most every CANCEL_CHECK_SECONDS, so a tight loop costs no
        round trip per step)."""
        import time

        now = time.monotonic()
        if now - self._cancel_checked < CANCEL_CHECK_SECONDS:
            return
        self._cancel_checked = now
        if self.cancel_requested():
            raise JobCancelled(self.job_id)

    def _begin(self) -> bool:
        from driftline.jobs.v1 import jobs_service_pb2 as pb

        return self._call(
            self._jobs.StartJobAttempt,
            pb.StartJobAttemptRequest(job_id=self.job_id, run_id=self._run_id),
        ).proceed


def run_deciding(arguments: dict, context: JobContext, run, fail, what: str):
    """Run ``run(arguments, context)``, a handler that decides the fate of a resource (a
    reference, a model version). When the job is cancelled, or its last attempt fails for a
    reason the handler did not decide, ``fail(arguments, context, message)`` records why on the
    resource (best effort) before the job ends, so the resource does not wait for a recovery.
    ``what`` names the job in those messages ("the reference job")."""
    try:
        return run(arguments, context)
    except (JobFailure, JobSuperseded, JobsServiceUnreachable):
        raise  # the resource was decided, or the attempt is not over
    except JobCancelled:
        fail(arguments, context, f"{what} was cancelled")
        raise
    except Exception as error:
        if context.attempt >= context.max_attempts:
            fail(arguments, context, f"{what} failed on its last attempt ({context.attempt}): "
                                     f"{type(error).__name__}: {error}")
        raise  # the engine runs the job again, or ends it FAILED after its last attempt


def run_job(handler, spec: dict) -> dict:
    """Run one attempt of a job on this worker; the outcome comes back as plain data.

    Outcomes: ``completed`` (with ``result``), ``cancelled``, ``skipped`` (the job was
    cancelled before it began or another attempt owns it), ``interrupted`` (the Jobs service
    could not be reached), ``failed`` (``permanent`` says whether a retry could help).
    """
    try:
        context = JobContext(spec)
        if not context._begin():
            return {"outcome": "skipped"}
        result = handler(dict(spec["arguments"]), context) or {}
        try:
            json.dumps(result)
        except (TypeError, ValueError) as error:
            raise JobFailure(
                "RESULT_NOT_SERIALIZABLE",
                f"the {spec['type']} handler returned a result that is not JSON: {error}",
            ) from None
        return {"outcome": "completed", "result": result}
    except JobCancelled:
        return {"outcome": "cancelled"}
    except JobSuperseded:
        return {"outcome": "skipped"}
    except JobsServiceUnreachable:
        return {"outcome": "interrupted"}
    except JobFailure as failure:
        return {"outcome": "failed", "permanent": True, "reason": failure.reason,
                "message": failure.message, "details": failure.details}
    except Exception as error:  # anything else may pass on another attempt
        return {
            "outcome": "failed", "permanent": False, "reason": "HANDLER_ERROR",
            "message": f"{type(error).__name__}: {error}"[:1500],
            "traceback": traceback.format_exc()[-4000:],
        }


def worker_host() -> str:
    return socket.gethostname()


def worker_address() -> str:
    """The Dask worker running this code, or "" outside of one."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return ""
