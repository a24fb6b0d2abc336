"""The kinds of actions a detection event rule can run, and which of their keys are secrets."""

from __future__ import annotations

SLACK = "SLACK_NOTIFICATION"
DISCORD = "DISCORD_NOTIFICATION"
TEAMS = "TEAMS_NOTIFICATION"
WEBHOOK = "WEBHOOK"
EMAIL = "EMAIL_NOTIFICATION"
MQTT = "MQTT_NOTIFICATION"
AWS_EVENT_BRIDGE = "AWS_EVENT_BRIDGE_NOTIFICATION"
GCP_PUBSUB = "GCP_PUBSUB_NOTIFICATION"
AZURE_EVENT_GRID = "AZURE_EVENT_GRID_NOTIFICATION"

ACTION_TYPES = (SLACK, DISCORD, TEAMS, WEBHOOK, EMAIL, MQTT, AWS_EVENT_BRIDGE, GCP_PUBSUB,
                AZURE_EVENT_GRID)
CHAT_TYPES = (SLACK, DISCORD, TEAMS)
CLOUD_TYPES = (AWS_EVENT_BRIDGE, GCP_PUBSUB, AZURE_EVENT_GRID)

# The key of an action's configuration that names its type.
TYPE_KEY = "type"

# Keys whose values are encrypted at rest and never returned or logged in full. A chat webhook
# URL is itself the credential (whoever has it can post); a webhook's custom headers commonly
# carry tokens (Authorization), so all their values are secret; the MQTT connection string is
# secret as a whole because it carries the password. E-mail has no secret of its own (the SMTP
# password is a server setting) and cloud actions name integration credentials by id.
_SECRET_FIELDS = {
    SLACK: ("webhook_url",),
    DISCORD: ("webhook_url",),
    TEAMS: ("webhook_url",),
    WEBHOOK: ("url", "secret", "headers"),
    EMAIL: (),
    MQTT: ("connection_string",),
    AWS_EVENT_BRIDGE: (),
    GCP_PUBSUB: (),
    AZURE_EVENT_GRID: (),
}


def secret_fields(action_type: str) -> tuple[str, ...]:
    """Which keys of this action type are secrets: Slack/Discord/Teams ``webhook_url``;
    WEBHOOK ``url``, ``secret`` and ``headers`` (a mapping: every value is secret); MQTT
    ``connection_string`` (whole, as it carries the password). Raises ValueError for an unknown
    action type."""
    try:
        return _SECRET_FIELDS[action_type]
    except KeyError:
        raise ValueError(
            f"unknown action type {action_type!r}; known: {', '.join(ACTION_TYPES)}"
        ) from None
