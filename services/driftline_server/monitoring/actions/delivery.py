"""deliver(): one notification of one action, sent synchronously.

The sender of each action type lives in its own module, imported when first used, so that a
server that never sends to a cloud does not load its SDK (and one without it installed still
delivers everything else).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from driftline_server.monitoring.actions import action_types as kinds
from driftline_server.monitoring.actions.errors import DeliveryError, configuration_error
from driftline_server.monitoring.actions.masking import secret_values, without_secrets
from driftline_server.monitoring.actions.settings import DeliverySettings
from driftline_server.monitoring.actions.validation import validate_action

# action type: (module of this package, sender function, what to install for it)
_SENDERS = {
    kinds.SLACK: ("webhooks", "send_slack", None),
    kinds.DISCORD: ("webhooks", "send_discord", None),
    kinds.TEAMS: ("webhooks", "send_teams", None),
    kinds.WEBHOOK: ("webhooks", "send_webhook", None),
    kinds.EMAIL: ("mail", "send_email", None),
    kinds.MQTT: ("mqtt", "send_mqtt", "paho-mqtt>=2"),
    kinds.AWS_EVENT_BRIDGE: ("eventbridge", "send_event_bridge", "boto3"),
    kinds.GCP_PUBSUB: ("pubsub", "send_pubsub", "google-cloud-pubsub"),
    kinds.AZURE_EVENT_GRID: ("eventgrid", "send_event_grid", "azure-eventgrid"),
}
DEFAULT_TIMEOUT_SECONDS = 10.0
# An unexpected error's text is kept to this length in the DeliveryError that reports it.
_UNEXPECTED_SHOWN = 300


def deliver(
    action: Mapping,
    event: Mapping,
    *,
    credentials: Mapping | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    settings: DeliverySettings | None = None,
) -> str:
    """Send one notification of ``event`` as ``action`` says; returns a short description of
    what was done (e.g. ``"HTTP 200 from hooks.slack.com"``).

    ``credentials`` are the resolved integration credentials of a cloud action. Raises
    DeliveryError, whose ``retryable`` says whether trying again later may succeed; an invalid
    configuration (see validate_action) is a non-retryable one, and nothing is sent.
    """
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    settings = settings or DeliverySettings()
    problems = validate_action(action, settings=settings)
    if problems:
        raise configuration_error("invalid action configuration: " + "; ".join(
            f"{field} {problem}" for field, problem in problems))
    module_name, function_name, requirement = _SENDERS[action[kinds.TYPE_KEY]]
    try:
        module = importlib.import_module(f"{__package__}.{module_name}")
        sender = getattr(module, function_name)
        return sender(action, event, credentials=credentials, timeout=timeout,
                      settings=settings)
    except DeliveryError as error:
        message = without_secrets(error.message, secret_values(action, credentials))
        if message == error.message:
            raise
        raise DeliveryError(message, retryable=error.retryable,
                            retry_after=error.retry_after) from error
    except ModuleNotFoundError as error:
        if requirement is None or error.name is None or error.name.startswith(__package__):
            raise
        raise configuration_error(
            f"{action[kinds.TYPE_KEY]} needs {requirement}, which is not installed "
            f"(missing module {error.name})") from error
    except Exception as error:
        # Whatever an SDK raises that the sender did not foresee is still a failed delivery;
        # it may be transient, and the caller's retries are bounded.
        text = without_secrets(str(error), secret_values(action, credentials))
        text = text[:_UNEXPECTED_SHOWN]
        raise DeliveryError(f"{type(error).__name__}: {text}", retryable=True) from error
