"""Deliveries over HTTP POST: Slack, Discord and Teams webhooks, and the generic signed WEBHOOK."""

from __future__ import annotations

import http.client
import ssl
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from driftline_server.monitoring.actions.errors import DeliveryError, http_status_is_retryable
from driftline_server.monitoring.actions.messages import (
    discord_message,
    slack_message,
    teams_message,
)
from driftline_server.monitoring.actions.payloads import encode_json, event_json
from driftline_server.monitoring.actions.settings import DeliverySettings
from driftline_server.monitoring.actions.signing import EVENT_ID_HEADER, signature_headers

USER_AGENT = "Driftline-Notifications/1"
# Enough of an error answer to say why (Slack answers e.g. "invalid_token"), no more.
_ANSWER_SHOWN = 200
_ANSWER_READ = 64 * 1024


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: left to the caller's own backoff
        return None


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> str:
    """POST ``body`` to ``url``; returns e.g. ``"HTTP 200 from hooks.slack.com"``.

    Redirects are not followed: a webhook that moved must be updated by its owner, and
    following it would hand the body (and its signature) to wherever it points. ``timeout``
    bounds each network operation (connect, send, each read).
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme.lower() == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    request_headers = {
        **headers,
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
    }
    try:
        connection.request("POST", path, body=body, headers=request_headers)
        response = connection.getresponse()
        answer = response.read(_ANSWER_READ)
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(f"the TLS certificate of {host} is not valid: {error.verify_message}",
                            retryable=False) from error
    except TimeoutError as error:
        raise DeliveryError(f"{host} did not answer within {timeout:g}s",
                            retryable=True) from error
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(f"could not reach {host}: {str(error) or type(error).__name__}",
                            retryable=True) from error
    finally:
        connection.close()
    status = response.status
    if 200 <= status < 300:
        return f"HTTP {status} from {host}"
    said = " ".join(answer.decode("utf-8", "replace").split())[:_ANSWER_SHOWN]
    reason = f"HTTP {status} from {host}" + (f": {said}" if said else "")
    if 300 <= status < 400:
        raise DeliveryError(f"{reason} (a redirect, not followed: update the URL)",
                            retryable=False)
    raise DeliveryError(reason, retryable=http_status_is_retryable(status),
                        retry_after=_retry_after(response.getheader("Retry-After")))


def send_slack(action: Mapping, event: Mapping, *, credentials: Mapping | None, timeout: float,
               settings: DeliverySettings) -> str:
    """Post the event to a Slack incoming webhook."""
    message = slack_message(event, action.get("channel") or None)
    return post(action["webhook_url"], encode_json(message), {}, timeout)


def send_discord(action: Mapping, event: Mapping, *, credentials: Mapping | None,
                 timeout: float, settings: DeliverySettings) -> str:
    """Post the event to a Discord webhook."""
    return post(action["webhook_url"], encode_json(discord_message(event)), {}, timeout)


def send_teams(action: Mapping, event: Mapping, *, credentials: Mapping | None, timeout: float,
               settings: DeliverySettings) -> str:
    """Post the event to a Microsoft Teams webhook (Workflows or incoming webhook)."""
    return post(action["webhook_url"], encode_json(teams_message(event)), {}, timeout)


def send_webhook(action: Mapping, event: Mapping, *, credentials: Mapping | None,
                 timeout: float, settings: DeliverySettings) -> str:
    """Post the event's JSON document, signed with the action's secret (see signing)."""
    body = event_json(event)
    headers = {
        **(action.get("headers") or {}),
        **signature_headers(action["secret"], body, int(time.time())),
        EVENT_ID_HEADER: str(event.get("event_id") or ""),
    }
    return post(action["url"], body, headers, timeout)
