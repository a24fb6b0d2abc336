"""What other services ask IdentityService over gRPC with the internal credential: who owns an
API key (AuthenticateApiKey), how to reach a project's own storage
(ResolveStorageCredentials), and a company's plan limits (GetActiveSubscriptionPlan)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from driftline.identity.v1 import identity_service_pb2, identity_service_pb2_grpc
from driftline_server.identity.common import StorageCredentials
from driftline_server.identity.conversions import (
    caller_from_pb,
    plan_limits_from_pb,
    storage_credentials_from_pb,
)
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import ResourceExhausted, Unauthenticated, Unavailable
from driftline_server.platform.logging import get_logger
from driftline_server.platform.plans import UNLIMITED, PlanLimits
from driftline_server.platform.roles import Caller

_log = get_logger("driftline.identity.remote")
_TIMEOUT_SECONDS = 5.0


def _reason(error: grpc.aio.AioRpcError, default: str) -> str:
    try:
        status = rpc_status.from_call(error)
    except ValueError:
        return default
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason or default
    return default


def make_resolver(channels: ServiceChannels) -> Callable[[str], Awaitable[Caller]]:
    """An async ``api_key -> Caller`` asking IdentityService, for the Authenticator's cache.

    Raises ``Unauthenticated`` (Identity's reason, e.g. API_KEY_INVALID or API_KEY_EXPIRED)
    for a bad key and ``Unavailable`` when Identity cannot answer.
    """

    async def resolve(api_key: str) -> Caller:
        stub = identity_service_pb2_grpc.IdentityServiceStub(channels.channel("identity"))
        try:
            response = await stub.AuthenticateApiKey(
                identity_service_pb2.AuthenticateApiKeyRequest(api_key=api_key),
                metadata=channels.metadata(),
                timeout=_TIMEOUT_SECONDS,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() is grpc.StatusCode.UNAUTHENTICATED:
                raise Unauthenticated(
                    reason=_reason(error, "API_KEY_INVALID"),
                    message=error.details() or "the API key is not valid",
                ) from None
            _log.warning("identity_unreachable", code=error.code().name)
            raise Unavailable(
                reason="IDENTITY_UNAVAILABLE",
                message="the identity service cannot check API keys right now: retry shortly",
            ) from None
        return caller_from_pb(response)

    return resolve


class ProjectStorageCredentials:
    """A project's storage credentials (IdentityService.ResolveStorageCredentials), kept in this
    process for ``ttl_seconds`` so that reads of a customer's bucket do not ask Identity each
    time; a credential replaced by its owner is picked up within that delay.

    Example::

        credentials = await ProjectStorageCredentials(channels).get(project_id)
        if credentials is None:
            ...  # the project has no default AWS_COMPATIBLE or AWS credentials
    """

    def __init__(self, channels: ServiceChannels, ttl_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self._channels = channels
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, StorageCredentials]] = {}

    async def get(self, project_id: str, fresh: bool = False) -> StorageCredentials | None:
        """The project's credentials, or None when it has none; ``fresh`` skips the cache.
        Raises ``Unavailable`` when Identity cannot answer."""
        now = self._clock()
        cached = self._cache.get(project_id)
        if cached is not None and not fresh and now - cached[0] < self._ttl:
            return cached[1]
        stub = identity_service_pb2_grpc.IdentityServiceStub(self._channels.channel("identity"))
        try:
            response = await stub.ResolveStorageCredentials(
                identity_service_pb2.ResolveStorageCredentialsRequest(project_id=project_id),
                metadata=self._channels.metadata(),
                timeout=_TIMEOUT_SECONDS,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() is grpc.StatusCode.NOT_FOUND:
                self._cache.pop(project_id, None)
                return None
            _log.warning("identity_unreachable", code=error.code().name)
            raise Unavailable(
                reason="IDENTITY_UNAVAILABLE",
                message="the identity service cannot give the project's storage credentials "
                        "right now: retry shortly",
            ) from None
        resolved = storage_credentials_from_pb(response)
        if len(self._cache) >= 10_000:
            self._cache.clear()
        self._cache[project_id] = (now, resolved)
        return resolved

    def forget(self, project_id: str) -> None:
        """Drop the cached credentials (e.g. after the storage refused them)."""
        self._cache.pop(project_id, None)


def resolve_storage_credentials(
    channel: grpc.Channel, metadata, project_id: str, timeout: float = _TIMEOUT_SECONDS
) -> StorageCredentials | None:
    """Blocking ResolveStorageCredentials for job handlers (a Dask worker holds no credential of
    its own and must never get secrets through job arguments, which are stored in plain text).
    None when the project has no storage credentials; other errors raise ``grpc.RpcError``.

    Example::

        credentials = resolve_storage_credentials(context.channel("identity"),
                                                  context.metadata, project_id)
    """
    stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
    try:
        response = stub.ResolveStorageCredentials(
            identity_service_pb2.ResolveStorageCredentialsRequest(project_id=project_id),
            metadata=metadata,
            timeout=timeout,
        )
    except grpc.RpcError as error:
        if error.code() is grpc.StatusCode.NOT_FOUND:
            return None
        raise
    return storage_credentials_from_pb(response)


def _integration_request(credentials_id: str, project_id: str):
    return identity_service_pb2.ResolveIntegrationCredentialsRequest(
        credentials_id=credentials_id, project_id=project_id)


def resolve_integration_credentials(channel, metadata, credentials_id: str,
                                    project_id: str) -> dict:
    """For job handlers (blocking gRPC): a project's integration credentials, secrets in clear
    (IdentityService.ResolveIntegrationCredentials). Never log what this returns."""
    from google.protobuf import json_format

    stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
    response = stub.ResolveIntegrationCredentials(
        _integration_request(credentials_id, project_id), metadata=metadata,
        timeout=_TIMEOUT_SECONDS)
    return json_format.MessageToDict(response.credentials)


def integration_credentials_resolver(channels: ServiceChannels):
    """For services: ``await resolve(credentials_id, project_id)``, the same as
    ``resolve_integration_credentials``; NOT_FOUND becomes FailedPrecondition (the credentials
    a trigger names are gone), other failures Unavailable."""
    from google.protobuf import json_format

    from driftline_server.platform.errors import FailedPrecondition

    async def resolve(credentials_id: str, project_id: str) -> dict:
        stub = identity_service_pb2_grpc.IdentityServiceStub(channels.channel("identity"))
        try:
            response = await stub.ResolveIntegrationCredentials(
                _integration_request(credentials_id, project_id),
                metadata=channels.metadata(), timeout=_TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as error:
            if error.code() is grpc.StatusCode.NOT_FOUND:
                raise FailedPrecondition(
                    reason="INTEGRATION_CREDENTIALS_NOT_FOUND",
                    message=f"integration credentials '{credentials_id}' do not exist in the "
                            "project any more: set the trigger again with existing ones",
                    metadata={"credentials_id": credentials_id}) from None
            raise Unavailable(reason="IDENTITY_UNAVAILABLE",
                              message=f"IdentityService could not answer: {error.details()}"
                              ) from None
        return json_format.MessageToDict(response.credentials)

    return resolve


class CompanyPlans:
    """A company's plan limits (IdentityService.GetActiveSubscriptionPlan), kept in this process
    for ``ttl_seconds`` like the API-key cache: a plan the operator changes holds everywhere
    within that delay. A company with no active plan, or no company (the suite's own work), is
    unlimited.

    Example::

        limits = await CompanyPlans(channels).limits(company_id)
        if limits.max_projects and count >= limits.max_projects:
            raise limit_reached(limits, "max_projects", "projects", "delete a project")
    """

    def __init__(self, channels: ServiceChannels, ttl_seconds: float = 2.0,
                 clock: Callable[[], float] = time.monotonic):
        self._channels = channels
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, PlanLimits]] = {}

    async def limits(self, company_id: str) -> PlanLimits:
        """Raises ``Unavailable`` when Identity cannot answer."""
        if not company_id:
            return UNLIMITED
        now = self._clock()
        cached = self._cache.get(company_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        stub = identity_service_pb2_grpc.IdentityServiceStub(self._channels.channel("identity"))
        try:
            response = await stub.GetActiveSubscriptionPlan(
                identity_service_pb2.GetActiveSubscriptionPlanRequest(company_id=company_id),
                metadata=self._channels.metadata(), timeout=_TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as error:
            _log.warning("identity_unreachable", code=error.code().name)
            raise Unavailable(
                reason="IDENTITY_UNAVAILABLE",
                message="the identity service cannot give your company's plan right now: "
                        "retry shortly") from None
        limits = (plan_limits_from_pb(response.subscription_plan)
                  if response.HasField("subscription_plan") else UNLIMITED)
        if self._ttl > 0:
            if len(self._cache) >= 10_000:
                self._cache.clear()
            self._cache[company_id] = (now, limits)
        return limits


def plan_refusal(error: grpc.RpcError) -> ResourceExhausted | None:
    """Another service's PLAN_LIMIT_REACHED refusal, to pass on to the caller as it was given
    (reason, message, metadata); None for any other error."""
    if error.code() is not grpc.StatusCode.RESOURCE_EXHAUSTED:
        return None
    try:
        status = rpc_status.from_call(error)
    except ValueError:
        status = None
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return ResourceExhausted(reason=info.reason, message=error.details() or info.reason,
                                     metadata=dict(info.metadata))
    return ResourceExhausted(reason="RESOURCE_EXHAUSTED", message=error.details() or "")
