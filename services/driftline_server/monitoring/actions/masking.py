"""Secrets as people and logs see them: enough to recognise, never enough to use."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from driftline_server.platform.crypto import mask as mask_text
from driftline_server.monitoring.actions.action_types import TYPE_KEY, secret_fields

# The keys of resolved integration credentials whose values are secrets.
CREDENTIAL_SECRETS = ("secret_access_key", "session_token", "access_key", "sas_token")
_VISIBLE = 4
# Shorter secrets are not looked for in messages: they would match ordinary text.
_SHORTEST_SCRUBBED = 6
# Text (or a URL's path) shorter than this shows none of its characters: 4 could be most of it.
_SHORTEST_SHOWN = 12
_FULLY_MASKED = "********"


def mask(value: str) -> str:
    """A secret as shown to users and logs. A URL keeps its scheme and host (never user or
    password) and the last 4 characters of the rest, e.g.
    ``https://hooks.slack.com/…XYZ9``; other text keeps only its last 4 characters
    (``********abcd``), and values (or paths) under 12 characters are fully masked."""
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        is_url = bool(parts.scheme and parts.hostname)
        port = parts.port if is_url else None
    except ValueError:  # e.g. a port that is not a number: treat it as plain text
        is_url = False
    if is_url:
        host = parts.hostname
        origin = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
        rest = value[value.index(parts.netloc) + len(parts.netloc):]
        shown = rest[-_VISIBLE:] if len(rest) >= _SHORTEST_SHOWN else ""
        return f"{origin}/…{shown}"
    return mask_text(value, _VISIBLE) if len(value) >= _SHORTEST_SHOWN else _FULLY_MASKED


def redact_action(action: Mapping) -> dict:
    """A copy of an action's configuration with its secrets masked (a mapping's values each),
    fit to return to users or to log. For an unknown type every value but the type is masked,
    as no one knows which are secrets."""
    try:
        secret_keys = set(secret_fields(action.get(TYPE_KEY)))
    except ValueError:
        secret_keys = {key for key in action if key != TYPE_KEY}
    redacted = {}
    for key, value in action.items():
        if key not in secret_keys:
            redacted[key] = value
        elif isinstance(value, Mapping):
            redacted[key] = {name: mask(str(item)) for name, item in value.items()}
        else:
            redacted[key] = mask(str(value)) if value else value
    return redacted


def secret_values(action: Mapping, credentials: Mapping | None = None) -> list[str]:
    """Every secret text in an action's configuration and in its resolved credentials (the
    service account's private key included), the longest first; very short ones left out."""
    try:
        keys = secret_fields(action.get(TYPE_KEY))
    except ValueError:
        keys = ()
    found = []
    for key in keys:
        value = action.get(key)
        found += [str(item) for item in value.values()] if isinstance(value, Mapping) \
            else [str(value or "")]
    if credentials:
        found += [str(credentials.get(key) or "") for key in CREDENTIAL_SECRETS]
        account = credentials.get("service_account_info")
        if isinstance(account, Mapping):
            found.append(str(account.get("private_key") or ""))
    return sorted({value for value in found if len(value) >= _SHORTEST_SCRUBBED}, key=len,
                  reverse=True)


def without_secrets(text: str, secrets: list[str]) -> str:
    """``text`` with each of ``secrets`` in it masked: error messages are stored and shown."""
    for secret in secrets:
        text = text.replace(secret, mask(secret))
    return text
