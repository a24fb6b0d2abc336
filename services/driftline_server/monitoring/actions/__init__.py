"""Delivery of detection events to the actions of rules: chat webhooks (Slack, Discord, Teams),
signed webhooks, e-mail, MQTT, AWS EventBridge, GCP Pub/Sub and Azure Event Grid.

A pure library: given one action's configuration, the event and, for cloud actions, resolved
credentials (all plain dicts), deliver() sends one notification synchronously or raises
DeliveryError. Retries, backoff and delivery records belong to the caller.
"""

from driftline_server.monitoring.actions.action_types import ACTION_TYPES, secret_fields
from driftline_server.monitoring.actions.delivery import deliver
from driftline_server.monitoring.actions.errors import DeliveryError
from driftline_server.monitoring.actions.masking import mask, redact_action
from driftline_server.monitoring.actions.payloads import (
    event_document,
    event_json,
    summary_line,
)
from driftline_server.monitoring.actions.settings import DeliverySettings
from driftline_server.monitoring.actions.signing import sign_webhook, verify_webhook
from driftline_server.monitoring.actions.validation import validate_action

__all__ = [
    "ACTION_TYPES",
    "DeliveryError",
    "DeliverySettings",
    "deliver",
    "event_document",
    "event_json",
    "mask",
    "redact_action",
    "secret_fields",
    "sign_webhook",
    "summary_line",
    "validate_action",
    "verify_webhook",
]
