"""Delivery to an Azure Event Grid topic, with the official azure-eventgrid SDK."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from urllib.parse import urlsplit

from driftline_server.monitoring.actions.credentials import require_credentials
from driftline_server.monitoring.actions.errors import (
    DeliveryError,
    configuration_error,
    http_status_is_retryable,
)
from driftline_server.monitoring.actions.payloads import event_document
from driftline_server.monitoring.actions.settings import DeliverySettings

CLOUD_EVENT_TYPE = "driftline.detection_event"
CLOUD_EVENT_SOURCE = "driftline"
# Where a topic takes events, when its endpoint is given as the host alone.
TOPIC_EVENTS_PATH = "/api/events"


def _per_call_options(timeout: float) -> dict:
    """What bounds one send: no retry of the SDK's own (the caller owns retries), and the
    timeout (the SDK's default waits minutes)."""
    return {"retry_total": 0, "connection_timeout": timeout, "read_timeout": timeout}


_PER_CALL_OPTIONS = frozenset(_per_call_options(0))


class _PerCallOptionsFilter(logging.Filter):
    """For Event Grid Basic, the SDK also hands per-call options to its CloudEvent model, which
    logs a warning for each of them on every send; those lines say nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.args and record.args[0] in _PER_CALL_OPTIONS
                    and "is not a known attribute" in str(record.msg))


logging.getLogger("azure.eventgrid._legacy._generated._serialization").addFilter(
    _PerCallOptionsFilter())


def topic_events_url(topic_endpoint: str) -> str:
    """The URL events are posted to: the endpoint as the portal shows it
    (``https://<topic>.<region>-1.eventgrid.azure.net/api/events``), or its host alone."""
    if urlsplit(topic_endpoint).path in ("", "/"):
        return topic_endpoint.rstrip("/") + TOPIC_EVENTS_PATH
    return topic_endpoint


def _azure_credential(found: Mapping, action: Mapping):
    from azure.core.credentials import AzureKeyCredential, AzureSasCredential

    if found.get("access_key"):
        return AzureKeyCredential(found["access_key"])
    if found.get("sas_token"):
        return AzureSasCredential(found["sas_token"])
    raise configuration_error(
        f"integration credentials {action.get('credentials_id')!r} have no Event Grid "
        "access_key or sas_token")


def cloud_event(event: Mapping):
    """The detection event as a CloudEvent 1.0; its id is the event's, so that a receiver can
    drop the copies that retries may bring."""
    from azure.core.messaging import CloudEvent

    task_id = event.get("task_id")
    return CloudEvent(
        source=CLOUD_EVENT_SOURCE,
        type=CLOUD_EVENT_TYPE,
        data=event_document(event),
        datacontenttype="application/json",
        subject=f"tasks/{task_id}" if task_id else None,
        id=str(event.get("event_id") or uuid.uuid4()),
    )


def send_event_grid(action: Mapping, event: Mapping, *, credentials: Mapping | None,
                    timeout: float, settings: DeliverySettings) -> str:
    """Send the event as a CloudEvent to the action's topic, authenticated by the credentials'
    access key (``aeg-sas-key``) or SAS token (``aeg-sas-token``)."""
    from azure.core import exceptions as azure_errors
    from azure.eventgrid import EventGridPublisherClient

    found = require_credentials(credentials, action, "Event Grid", ("AZURE",))
    url = topic_events_url(action["topic_endpoint"])
    host = urlsplit(url).hostname
    client = EventGridPublisherClient(url, _azure_credential(found, action))
    try:
        client.send(cloud_event(event), **_per_call_options(timeout))
    except azure_errors.ClientAuthenticationError as error:
        raise DeliveryError(f"Event Grid at {host} refused the credentials "
                            f"(HTTP {error.status_code})", retryable=False) from error
    except azure_errors.HttpResponseError as error:
        raise DeliveryError(f"Event Grid at {host} refused the event: HTTP {error.status_code} "
                            f"{error.reason or ''}".rstrip(),
                            retryable=http_status_is_retryable(error.status_code or 0)) from error
    except azure_errors.AzureError as error:  # connection refused, timeouts, DNS
        raise DeliveryError(f"could not reach Event Grid at {host}: {error.message}",
                            retryable=True) from error
    finally:
        client.close()
    return f"Event Grid at {host} accepted the CloudEvent"
