"""The client's exceptions, and the one place where a gRPC status becomes one of them.

Every exception carries ``error_code`` (the server's stable reason, e.g. ``TASK_NOT_FOUND``),
``error_message`` (what was wrong and how to fix it), ``field_violations`` for invalid
arguments, and the raw ``grpc.RpcError`` as ``rpc_error``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

if TYPE_CHECKING:
    from driftline.tls import TLSConfig


class DriftlineError(Exception):
    """Base of every error the client raises.

    Example:
        >>> try:
        ...     client.get_task("missing")
        ... except driftline.NotFoundError as error:
        ...     print(error.error_code)  # TASK_NOT_FOUND
    """

    status_code: grpc.StatusCode | None = None

    def __init__(
        self,
        error_code: str,
        error_message: str,
        *,
        metadata: dict[str, str] | None = None,
        field_violations: list[tuple[str, str]] | None = None,
        rpc_error: grpc.RpcError | None = None,
    ):
        super().__init__(f"{error_code}: {error_message}")
        self.error_code = error_code
        self.error_message = error_message
        self.metadata = dict(metadata or {})
        self.field_violations = list(field_violations or [])
        self.rpc_error = rpc_error


class InvalidArgumentError(DriftlineError):
    status_code = grpc.StatusCode.INVALID_ARGUMENT


class NotFoundError(DriftlineError):
    status_code = grpc.StatusCode.NOT_FOUND


class AlreadyExistsError(DriftlineError):
    status_code = grpc.StatusCode.ALREADY_EXISTS


class PermissionDeniedError(DriftlineError):
    status_code = grpc.StatusCode.PERMISSION_DENIED


class UnauthenticatedError(DriftlineError):
    status_code = grpc.StatusCode.UNAUTHENTICATED


class FailedPreconditionError(DriftlineError):
    status_code = grpc.StatusCode.FAILED_PRECONDITION


class ResourceExhaustedError(DriftlineError):
    status_code = grpc.StatusCode.RESOURCE_EXHAUSTED


class UnavailableError(DriftlineError):
    status_code = grpc.StatusCode.UNAVAILABLE


class DeadlineExceededError(DriftlineError):
    status_code = grpc.StatusCode.DEADLINE_EXCEEDED


class AbortedError(DriftlineError):
    status_code = grpc.StatusCode.ABORTED


class CancelledError(DriftlineError):
    status_code = grpc.StatusCode.CANCELLED


class InternalError(DriftlineError):
    status_code = grpc.StatusCode.INTERNAL


class DataLossError(DriftlineError):
    status_code = grpc.StatusCode.DATA_LOSS


class TLSError(DriftlineError):
    """The client and the server disagree about TLS: one speaks it and the other does not, the
    server's certificate has expired or is not signed by a CA the client trusts, or a client
    certificate is missing or refused. ``error_code`` says which (``TLS_REQUIRED``,
    ``TLS_NOT_OFFERED``, ``TLS_CERTIFICATE_EXPIRED``, ``TLS_CERTIFICATE_UNTRUSTED``,
    ``TLS_NAME_MISMATCH``, ``TLS_CLIENT_CERTIFICATE_REQUIRED``, ...) and the message how to fix
    it. Never retried: trying again cannot help.

    Example:
        >>> try:
        ...     driftline.Client("127.0.0.1:50051", api_key).get_current_user()
        ... except driftline.TLSError as error:
        ...     print(error.error_message)
        the server at 127.0.0.1:50051 answered with TLS but this client speaks plaintext: ...
    """

    status_code = grpc.StatusCode.UNAVAILABLE


class JobNotFoundError(NotFoundError):
    """The job waited for does not exist, or is not visible to you."""


class JobWaitTimeoutError(DriftlineError):
    """``wait_job_completion`` gave up: the job did not finish within ``max_wait_timeout``."""

    status_code = grpc.StatusCode.DEADLINE_EXCEEDED

    def __init__(self, job_id: str, waited_seconds: float):
        super().__init__(
            "JOB_WAIT_TIMEOUT",
            f"job '{job_id}' did not finish within {waited_seconds:g} s; it keeps running: "
            "wait again, or cancel it with cancel_job",
            metadata={"job_id": job_id},
        )
        self.job_id = job_id


class JobFailureError(DriftlineError):
    """The job waited for ended FAILED (``error_code`` is the job's error reason) or CANCELLED
    (``error_code`` JOB_CANCELLED). ``job`` is the job as it ended (``driftline.types.Job``)."""

    def __init__(self, job):
        from driftline.enums import JobStatus

        if job.status == JobStatus.CANCELLED:
            code, message = "JOB_CANCELLED", f"job '{job.job_id}' was cancelled"
        else:
            code = (job.error and job.error.reason) or "JOB_FAILED"
            message = (job.error and job.error.message) or f"job '{job.job_id}' failed"
        super().__init__(code, message, metadata={"job_id": job.job_id})
        self.job = job
        self.job_id = job.job_id


_BY_STATUS = {
    cls.status_code: cls
    for cls in (
        InvalidArgumentError, NotFoundError, AlreadyExistsError, PermissionDeniedError,
        UnauthenticatedError, FailedPreconditionError, ResourceExhaustedError,
        UnavailableError, DeadlineExceededError, AbortedError, CancelledError, InternalError,
        DataLossError,
    )
}


def from_rpc_error(
    error: grpc.RpcError, *, target: str | None = None, tls: "TLSConfig | None" = None
) -> DriftlineError:
    """The DriftlineError for a failed call, with the server's ErrorInfo and BadRequest details.

    With ``target`` (the address called) and ``tls`` (the client's TLS, None for plaintext), a
    connection that failed because the two sides disagree about TLS is a TLSError that says so.
    """
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = error.details() if hasattr(error, "details") else str(error)
    if target is not None and code is grpc.StatusCode.UNAVAILABLE:
        from driftline.tls import diagnose

        found = diagnose(message or "", target, tls)
        if found is not None:
            return TLSError(found[0], found[1], rpc_error=error)
    reason = code.name if code is not None else "UNKNOWN"
    metadata: dict[str, str] = {}
    violations: list[tuple[str, str]] = []
    status = rpc_status.from_call(error) if hasattr(error, "trailing_metadata") else None
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, metadata = info.reason, dict(info.metadata)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                violations = [(v.field, v.description) for v in bad_request.field_violations]
    cls = _BY_STATUS.get(code, DriftlineError)
    return cls(
        reason,
        message or reason,
        metadata=metadata,
        field_violations=violations,
        rpc_error=error,
    )
