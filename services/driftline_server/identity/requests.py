"""Idempotent creates (AIP-155): a create that carries a request id records what it made, and
a retry with the same id gets that resource back instead of a second one or an error."""

from __future__ import annotations

from datetime import datetime

from driftline_server.identity.models import RequestRow
from driftline_server.platform.errors import FieldViolation

MAX_LENGTH = 64


def check_request_id(violations: list[FieldViolation], request_id: str) -> str:
    request_id = (request_id or "").strip()
    if len(request_id) > MAX_LENGTH:
        violations.append(
            FieldViolation("request_id", f"must have at most {MAX_LENGTH} characters")
        )
    return request_id


async def earlier_result(session, scope: str, request_id: str) -> str | None:
    """The id of the resource an earlier call with this request id created, if any."""
    if not request_id:
        return None
    row = await session.get(RequestRow, (scope, request_id))
    return row.resource_id if row is not None else None


def remember(session, scope: str, request_id: str, resource_id: str, now: datetime) -> None:
    """Record the resource this request created (in the same transaction as the resource)."""
    if request_id:
        session.add(
            RequestRow(scope=scope, request_id=request_id, resource_id=resource_id, created_at=now)
        )
