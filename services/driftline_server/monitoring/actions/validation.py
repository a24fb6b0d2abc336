"""Checks of an action's configuration, without sending anything.

Each problem is a (field, problem) pair naming the configuration's key, so that the service can
turn them into field violations as they are. deliver() runs the same checks before it sends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from driftline_server.monitoring.actions import action_types as kinds
from driftline_server.monitoring.actions.payloads import template_problems
from driftline_server.monitoring.actions.settings import DeliverySettings
from driftline_server.monitoring.actions.signing import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
)

Problems = list[tuple[str, str]]

MAX_URL_LENGTH = 2048
# Short HMAC secrets can be guessed offline from one signed request.
MIN_WEBHOOK_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 1024
MQTT_SCHEMES = {"mqtt": 1883, "mqtts": 8883}
# Headers that the webhook's own signature, framing or routing depend on.
RESERVED_HEADERS = frozenset(name.lower() for name in (
    TIMESTAMP_HEADER, SIGNATURE_HEADER, EVENT_ID_HEADER, "Content-Type", "Content-Length",
    "Host", "Transfer-Encoding", "Connection",
))
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_AWS_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
_EVENT_BUS_NAME = re.compile(r"^[A-Za-z0-9._\-/]{1,256}$")
_EVENT_BUS_ARN = re.compile(
    r"^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus/[A-Za-z0-9._\-/]+$")
_GCP_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_GCP_TOPIC_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._~+%-]{2,254}$")


def _required_text(problems: Problems, action: Mapping, key: str, max_length: int = 256) -> str:
    """The text at ``key``, recording a problem when it is missing, too long, or padded with
    spaces (which the value would carry into the request)."""
    value = action.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append((key, "is required"))
        return ""
    if not isinstance(value, str):
        problems.append((key, "must be a string"))
        return ""
    if len(value) > max_length:
        problems.append((key, f"must have at most {max_length} characters"))
        return ""
    if value != value.strip():
        problems.append((key, "must not start or end with spaces"))
        return ""
    return value


def _check_url(problems: Problems, action: Mapping, key: str, settings: DeliverySettings) -> None:
    url = _required_text(problems, action, key, MAX_URL_LENGTH)
    if not url:
        return
    schemes = ("https", "http") if settings.allow_http else ("https",)
    wanted = "an http(s):// URL" if settings.allow_http else "an https:// URL"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        problems.append((key, f"must be {wanted}"))
        return
    if parts.scheme.lower() not in schemes or not parts.hostname or any(
        character.isspace() or ord(character) < 32 for character in url
    ):
        problems.append((key, f"must be {wanted}"))


def _check_chat(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    _check_url(problems, action, "webhook_url", settings)


def _check_slack(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    _check_chat(problems, action, settings)
    channel = action.get("channel")
    if channel not in (None, "") and (
        not isinstance(channel, str) or len(channel) > 80 or any(c.isspace() for c in channel)
    ):
        problems.append(("channel", "must be a channel name such as #alerts, without spaces"))


def _check_webhook(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    _check_url(problems, action, "url", settings)
    secret = _required_text(problems, action, "secret", MAX_SECRET_LENGTH)
    if secret and len(secret) < MIN_WEBHOOK_SECRET_LENGTH:
        problems.append(("secret", f"must have at least {MIN_WEBHOOK_SECRET_LENGTH} characters"))
    headers = action.get("headers")
    if headers in (None, {}):
        return
    if not isinstance(headers, Mapping):
        problems.append(("headers", "must be a mapping of header names to values"))
        return
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.match(name):
            problems.append(("headers", f"{name!r} is not a valid header name"))
        elif name.lower() in RESERVED_HEADERS:
            problems.append(("headers", f"{name} is set by Driftline and cannot be overridden"))
        # A line break in a value would let the configuration inject headers of its own.
        elif not isinstance(value, str) or any(c in value for c in "\r\n\0"):
            problems.append(("headers", f"the value of {name} must be one line of text"))


def recipients(action: Mapping) -> list[str]:
    """The e-mail addresses of an EMAIL_NOTIFICATION action (``address`` or ``addresses``)."""
    addresses = action.get("addresses")
    if addresses is None:
        address = action.get("address")
        return [address] if address else []
    return list(addresses) if isinstance(addresses, (list, tuple)) else [addresses]


def _check_email(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    has_one, has_list = action.get("address") is not None, action.get("addresses") is not None
    if has_one and has_list:
        problems.append(("addresses", "give 'address' or 'addresses', not both"))
        return
    key = "addresses" if has_list else "address"
    if has_list and not isinstance(action["addresses"], (list, tuple)):
        problems.append((key, "must be a list of e-mail addresses"))
        return
    found = recipients(action)
    if not found:
        problems.append((key, "is required: at least one e-mail address"))
    for address in found:
        if not isinstance(address, str) or len(address) > 254 or not _EMAIL.match(address):
            problems.append((key, f"{address!r} is not an e-mail address"))


def mqtt_broker(connection_string: str) -> tuple[str, str, int, str | None, str | None]:
    """(scheme, host, port, username, password) of an MQTT connection string such as
    ``mqtt://user:pass@host:1883``; the port defaults to 1883 (mqtt) or 8883 (mqtts).
    Raises ValueError when it is not one."""
    parts = urlsplit(connection_string)
    scheme = parts.scheme.lower()
    if scheme not in MQTT_SCHEMES or not parts.hostname:
        raise ValueError("must be an mqtt:// or mqtts:// URL, e.g. mqtts://user:pass@broker:8883")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("must name only the broker: mqtt(s)://[user:pass@]host[:port]")
    try:
        port = parts.port or MQTT_SCHEMES[scheme]
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ValueError("has a port that is not a number between 1 and 65535")
    return scheme, parts.hostname, port, parts.username, parts.password


def _check_mqtt(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    connection_string = _required_text(problems, action, "connection_string", MAX_URL_LENGTH)
    if connection_string:
        try:
            mqtt_broker(connection_string)
        except ValueError as error:  # its messages never quote the string (it has a password)
            problems.append(("connection_string", str(error)))
    topic = _required_text(problems, action, "topic", 1024)
    if topic and any(character in topic for character in "+#\0"):
        problems.append(("topic", "must not contain the wildcards + or # (or NUL)"))
    payload = action.get("payload")
    if payload not in (None, ""):
        if not isinstance(payload, str):
            problems.append(("payload", "must be a text template"))
        else:
            problems.extend(("payload", problem) for problem in template_problems(payload))


def _check_credentials_id(problems: Problems, action: Mapping) -> None:
    _required_text(problems, action, "credentials_id", 128)


def _check_event_bridge(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    _check_credentials_id(problems, action)
    region = _required_text(problems, action, "aws_region_name", 64)
    if region and not _AWS_REGION.match(region):
        problems.append(("aws_region_name", "must be an AWS region such as eu-west-1"))
    bus = _required_text(problems, action, "event_bus_name", 1600)
    if bus and not (_EVENT_BUS_NAME.match(bus) or _EVENT_BUS_ARN.match(bus)):
        problems.append(("event_bus_name", "must be an event bus name (e.g. default) or ARN"))


def _check_pubsub(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    _check_credentials_id(problems, action)
    project = _required_text(problems, action, "project_id", 64)
    if project and not _GCP_PROJECT_ID.match(project):
        problems.append(("project_id", "must be a GCP project id such as my-project-123"))
    topic = _required_text(problems, action, "topic_name", 255)
    if topic and (not _GCP_TOPIC_NAME.match(topic) or topic.lower().startswith("goog")):
        problems.append((
            "topic_name",
            "must be a Pub/Sub topic name (3-255 letters, digits or -_.~+%, starting with a "
            "letter, not with 'goog')",
        ))


def _check_event_grid(problems: Problems, action: Mapping, settings: DeliverySettings) -> None:
    _check_credentials_id(problems, action)
    _check_url(problems, action, "topic_endpoint", settings)


_CHECKS: dict[str, Callable[[Problems, Mapping, DeliverySettings], None]] = {
    kinds.SLACK: _check_slack,
    kinds.DISCORD: _check_chat,
    kinds.TEAMS: _check_chat,
    kinds.WEBHOOK: _check_webhook,
    kinds.EMAIL: _check_email,
    kinds.MQTT: _check_mqtt,
    kinds.AWS_EVENT_BRIDGE: _check_event_bridge,
    kinds.GCP_PUBSUB: _check_pubsub,
    kinds.AZURE_EVENT_GRID: _check_event_grid,
}


def validate_action(
    action: Mapping, *, settings: DeliverySettings | None = None
) -> list[tuple[str, str]]:
    """Check one action's configuration without sending anything; returns (field, problem)
    pairs, empty when it is valid, e.g. ``("webhook_url", "must be an https:// URL")``. The
    type is at ``action["type"]``, one of ACTION_TYPES. ``settings.allow_http`` admits http://
    URLs (tests); by default only https:// is."""
    if not isinstance(action, Mapping):
        return [(kinds.TYPE_KEY, "the action must be a mapping")]
    action_type = action.get(kinds.TYPE_KEY)
    check = _CHECKS.get(action_type) if isinstance(action_type, str) else None
    if check is None:
        return [(kinds.TYPE_KEY, f"unknown action type {action_type!r}; "
                                 f"known: {', '.join(kinds.ACTION_TYPES)}")]
    problems: Problems = []
    check(problems, action, settings or DeliverySettings())
    return problems
