"""The resolved integration credentials a cloud action needs, checked before any SDK sees them."""

from __future__ import annotations

from collections.abc import Mapping

from driftline_server.monitoring.actions.errors import configuration_error


def require_credentials(credentials: Mapping | None, action: Mapping, service: str,
                        types: tuple[str, ...], *keys: str) -> Mapping:
    """``credentials`` when they are of one of ``types`` and hold ``keys``; a non-retryable
    DeliveryError otherwise (which never quotes a secret)."""
    named = f"integration credentials {action.get('credentials_id')!r}"
    if not credentials:
        raise configuration_error(f"{service} needs the {named}, which were not given")
    if credentials.get("type") not in types:
        raise configuration_error(
            f"{service} needs integration credentials of type {' or '.join(types)}; "
            f"{named} are of type {credentials.get('type')!r}")
    missing = [key for key in keys if not credentials.get(key)]
    if missing:
        raise configuration_error(f"{named} lack {', '.join(missing)}")
    return credentials
