"""How every service learns who owns an API key: IdentityService.AuthenticateApiKey over gRPC."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from driftline.identity.v1 import identity_service_pb2, identity_service_pb2_grpc
from driftline_server.identity.conversions import caller_from_pb
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unauthenticated, Unavailable
from driftline_server.platform.logging import get_logger
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
