"""Field checks shared by every service: each records a FieldViolation instead of raising, so
one INVALID_ARGUMENT can name every bad field of a request (``errors.require``)."""

from __future__ import annotations

from driftline_server.platform.errors import FieldViolation, InvalidArgument

# The longest client-chosen request id (AIP-155) any Create or Compute call takes: a uuid fits.
MAX_REQUEST_ID = 64
# The longest model version ("v1", "2026-11-23"): Catalog stores it, Monitoring looks it up.
MAX_VERSION = 100


def check_text(
    violations: list[FieldViolation], field: str, value: str, max_length: int,
    required: bool = True,
) -> str:
    """Strip ``value`` and record why it is unacceptable, if it is."""
    value = (value or "").strip()
    if required and not value:
        violations.append(FieldViolation(field, "is required and must not be blank"))
    elif len(value) > max_length:
        violations.append(FieldViolation(field, f"must have at most {max_length} characters"))
    return value


def check_id(violations: list[FieldViolation], field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        violations.append(FieldViolation(field, "is required"))
    elif len(value) > 64:
        violations.append(FieldViolation(field, "is not an id: at most 64 characters"))
    return value


def require_id(value: str, field: str) -> None:
    """INVALID_ARGUMENT naming ``field`` when ``value`` is not an id (a single-field check)."""
    from driftline_server.platform.errors import require

    found: list[FieldViolation] = []
    check_id(found, field, value)
    require(found)


def heartbeat_seconds(request, default: float, field: str = "heartbeat_interval") -> float:
    """A Watch request's heartbeat interval in seconds (``default`` when unset); INVALID_ARGUMENT
    outside 1 to 60 seconds."""
    if not request.HasField(field):
        return default
    seconds = getattr(request, field).ToTimedelta().total_seconds()
    if not 1 <= seconds <= 60:
        raise InvalidArgument.for_field(field, "must be between 1 and 60 seconds")
    return seconds
