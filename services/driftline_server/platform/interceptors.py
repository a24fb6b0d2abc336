"""Server interceptors: RPC logging, error mapping, authentication and the plans' call rate.

Each interceptor wraps every method handler in a *guard*, an async context manager entered
around the call; the same guard serves unary and streaming methods. Order (outermost first):
logging, errors, authentication, call rate.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import time
import uuid
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

from driftline_server.platform import errors
from driftline_server.platform.auth import Authenticator
from driftline_server.platform.logging import get_logger
from driftline_server.platform.plans import limit_reached
from driftline_server.platform.roles import (
    INTERNAL_CALLER,
    caller_or_none,
    reset_current_caller,
    set_current_caller,
)

ERROR_DOMAIN = "driftline.dev"
_log = get_logger("driftline.rpc")

STATUS_OF = {
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Aborted: grpc.StatusCode.ABORTED,
    errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    errors.Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
    errors.DataLoss: grpc.StatusCode.DATA_LOSS,
}

# Health checks and reflection are open to everyone.
OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")

# What the logging guard knows of the call in progress (request id, caller id); inner guards add to it.
_call_record: contextvars.ContextVar[dict] = contextvars.ContextVar("driftline_call_record")


def _wrap_handler(handler, interceptor: "_GuardInterceptor", method: str):
    if handler is None:
        return None
    if handler.request_streaming and handler.response_streaming:
        inner, factory = handler.stream_stream, grpc.stream_stream_rpc_method_handler
    elif handler.request_streaming:
        inner, factory = handler.stream_unary, grpc.stream_unary_rpc_method_handler
    elif handler.response_streaming:
        inner, factory = handler.unary_stream, grpc.unary_stream_rpc_method_handler
    else:
        inner, factory = handler.unary_unary, grpc.unary_unary_rpc_method_handler

    if handler.response_streaming:

        async def behavior(request, context):
            async with interceptor.guard(method, context):
                async for response in inner(request, context):
                    yield response

    else:

        async def behavior(request, context):
            return await interceptor.around_unary(method, inner, request, context)

    return factory(
        behavior,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )


class _GuardInterceptor(grpc.aio.ServerInterceptor):
    """Wraps every handler in ``guard``, an async context manager entered around the call."""

    def guard(self, method: str, context) -> AbstractAsyncContextManager:
        raise NotImplementedError

    async def around_unary(self, method: str, inner, request, context):
        async with self.guard(method, context):
            return await inner(request, context)

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        return _wrap_handler(handler, self, handler_call_details.method)


def _metadata(context) -> dict[str, str]:
    return {key: value for key, value in (context.invocation_metadata() or ()) if isinstance(value, str)}


class LoggingInterceptor(_GuardInterceptor):
    """One JSON line per RPC: service, method, status code, latency, request id, caller id."""

    @asynccontextmanager
    async def guard(self, method, context):
        started = time.perf_counter()
        request_id = _metadata(context).get("x-request-id") or uuid.uuid4().hex
        record = {"caller_id": None}
        token = _call_record.set(record | {"request_id": request_id})
        code = grpc.StatusCode.OK
        try:
            yield
        except asyncio.CancelledError:
            code = grpc.StatusCode.CANCELLED
            raise
        except BaseException:
            code = context.code() or grpc.StatusCode.UNKNOWN
            raise
        finally:
            service, _, name = method.lstrip("/").rpartition("/")
            current = _call_record.get()
            _log.info(
                "rpc",
                service=service,
                method=name,
                code=code.name if isinstance(code, grpc.StatusCode) else str(code),
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
                request_id=request_id,
                caller_id=current.get("caller_id"),
            )
            _call_record.reset(token)


class ErrorInterceptor(_GuardInterceptor):
    """Domain errors become statuses with google.rpc details; nothing escapes as UNKNOWN."""

    @asynccontextmanager
    async def guard(self, method, context):
        try:
            yield
        except errors.DomainError as error:
            await abort_with_error(context, error)
        except (asyncio.CancelledError, grpc.aio.AbortError, GeneratorExit):
            raise
        except Exception as error:
            if _database_busy(error):
                # Contention, not a fault: the call changed nothing and may be sent again.
                _log.warning("database_busy", method=method)
                await abort_with_error(context, errors.Unavailable(
                    reason="DATABASE_BUSY",
                    message="the database is busy with other writes: retry shortly"))
                return
            request_id = _call_record.get({}).get("request_id")
            _log.exception("unhandled_error", method=method, request_id=request_id)
            await context.abort(
                grpc.StatusCode.INTERNAL,
                f"internal error while serving {method} (request id {request_id}); "
                "the server log has the details",
            )


def _database_busy(error: BaseException) -> bool:
    """SQLite's "database is locked" (a writer waited past the busy timeout), PostgreSQL's
    serialization failures and deadlocks: the transaction was rolled back whole."""
    from sqlalchemy.exc import OperationalError

    if not isinstance(error, OperationalError):
        return False
    text = str(error.orig).lower()
    code = getattr(error.orig, "sqlstate", None)
    return "database is locked" in text or code in ("40001", "40P01")


async def abort_with_error(context, error: errors.DomainError):
    code = STATUS_OF.get(type(error))
    if code is None:
        code = next(
            (status for cls, status in STATUS_OF.items() if isinstance(error, cls)),
            grpc.StatusCode.INTERNAL,
        )
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message=error.message)
    info = error_details_pb2.ErrorInfo(
        reason=error.reason, domain=ERROR_DOMAIN, metadata=error.metadata
    )
    status.details.append(_pack(info))
    if isinstance(error, errors.InvalidArgument) and error.violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
                for v in error.violations
            ]
        )
        status.details.append(_pack(bad_request))
    await context.abort(
        code,
        error.message,
        trailing_metadata=(("grpc-status-details-bin", status.SerializeToString()),),
    )


def _pack(message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


class AuthInterceptor(_GuardInterceptor):
    """Every RPC needs ``authorization: Bearer <API key>``, except health and reflection and the
    methods a service declares public; internal methods take only the suite's own credential."""

    def __init__(self, internal_token: str, public_methods=(), internal_methods=()):
        self._internal_token = internal_token.encode()
        self.public_methods = set(public_methods)
        self.internal_methods = set(internal_methods)
        self.authenticator: Authenticator | None = None  # set once the server knows its address

    @asynccontextmanager
    async def guard(self, method, context):
        caller, _ = await self._caller_for(method, context)
        with _acting_as(caller):
            yield

    async def around_unary(self, method, inner, request, context):
        caller, cached = await self._caller_for(method, context)
        try:
            with _acting_as(caller):
                return await inner(request, context)
        except _DENIALS:
            if not cached:
                raise
            # A cached caller may predate a change that allows this call (a company just
            # created, a role just granted): denials are decided on fresh facts. The refused
            # call wrote nothing (its transaction rolled back), so it can run again.
            fresh, _ = await self._caller_for(method, context, fresh=True)
            if fresh == caller:
                raise
            with _acting_as(fresh):
                return await inner(request, context)

    async def _caller_for(self, method, context, fresh: bool = False):
        """(caller, whether it came from the cache); (None, False) for open methods."""
        if method.startswith(OPEN_PREFIXES) or method in self.public_methods:
            return None, False
        credential = _bearer(_metadata(context).get("authorization"))
        if hmac.compare_digest(credential.encode(), self._internal_token):
            caller, cached = INTERNAL_CALLER, False
        elif method in self.internal_methods:
            raise errors.PermissionDenied(
                reason="INTERNAL_METHOD",
                message=f"{method} is for Driftline's own services, not for API keys",
            )
        else:
            assert self.authenticator is not None
            caller, cached = await self.authenticator.authenticate(credential, fresh=fresh)
        _call_record.get({})["caller_id"] = caller.user_id
        return caller, cached


_DENIALS = (errors.PermissionDenied, errors.FailedPrecondition, errors.NotFound)


@contextmanager
def _acting_as(caller):
    if caller is None:
        yield
        return
    token = set_current_caller(caller)
    try:
        yield
    finally:
        reset_current_caller(token)


def _bearer(authorization: str | None) -> str:
    scheme, _, credential = (authorization or "").partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise errors.Unauthenticated(
            reason="API_KEY_MISSING",
            message="send your API key as 'authorization: Bearer <api key>' metadata",
        )
    return credential




class CallRateInterceptor(_GuardInterceptor):
    """A company's API keys make at most its plan's ``max_calls_per_minute`` calls a minute in
    this process: a token bucket per company, holding a minute's calls and refilled at that
    rate (so a burst of the whole minute's calls passes, then one call every 60/N seconds).
    Calls past it are RESOURCE_EXHAUSTED (PLAN_LIMIT_REACHED, with ``retry_after_seconds``).

    Not counted: Driftline's own services (the internal credential), public and open methods,
    and users who belong to no company yet. A streaming call counts once."""

    def __init__(self, clock=time.monotonic, max_companies: int = 100_000):
        self.plans = None  # identity.remote.CompanyPlans, set once the server knows its address
        self._clock = clock
        self._max_companies = max_companies
        self._buckets: dict[str, tuple[float, float]] = {}  # company -> (tokens, when)

    @asynccontextmanager
    async def guard(self, method, context):
        caller = caller_or_none()
        if (caller is not None and not caller.internal and caller.company_id
                and self.plans is not None):
            limits = await self.plans.limits(caller.company_id)
            if limits.max_calls_per_minute:
                self._take(caller.company_id, limits)
        yield

    def _take(self, company_id: str, limits) -> None:
        capacity = float(limits.max_calls_per_minute)
        per_second = capacity / 60.0
        now = self._clock()
        tokens, when = self._buckets.get(company_id, (capacity, now))
        tokens = min(capacity, tokens + (now - when) * per_second)
        if tokens < 1.0:
            self._buckets[company_id] = (tokens, now)
            wait = max(1, int((1.0 - tokens) / per_second + 0.999))
            raise limit_reached(
                limits, "max_calls_per_minute", "calls a minute",
                f"slow down and retry in {wait} s", retry_after_seconds=str(wait))
        if company_id not in self._buckets and len(self._buckets) >= self._max_companies:
            self._buckets.clear()
        self._buckets[company_id] = (tokens - 1.0, now)
