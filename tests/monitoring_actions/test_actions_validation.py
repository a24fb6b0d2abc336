"""Configuration checks, secrets and their masks, and signatures: nothing is sent here."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from actions_endpoints import LOOPBACK
from driftline_server.monitoring.actions import (
    ACTION_TYPES,
    DeliveryError,
    deliver,
    mask,
    redact_action,
    secret_fields,
    sign_webhook,
    validate_action,
    verify_webhook,
)

SLACK_URL = "https://hooks.slack.com/services/T000/B000/abcdefghijklXYZ9"
VALID = {
    "SLACK_NOTIFICATION": {"webhook_url": SLACK_URL, "channel": "#alerts"},
    "DISCORD_NOTIFICATION": {"webhook_url": "https://discord.com/api/webhooks/1/token"},
    "TEAMS_NOTIFICATION": {"webhook_url": "https://example.webhook.office.com/workflows/1"},
    "WEBHOOK": {"url": "https://receiver.example.com/driftline", "secret": "s" * 16,
                "headers": {"Authorization": "Bearer abc"}},
    "EMAIL_NOTIFICATION": {"addresses": ["ops@example.com", "ml.team@example.co.uk"]},
    "MQTT_NOTIFICATION": {"connection_string": "mqtts://user:pass@broker.example.com:8883",
                          "topic": "driftline/events", "payload": "{summary} ({event_id})"},
    "AWS_EVENT_BRIDGE_NOTIFICATION": {"credentials_id": "c1", "aws_region_name": "us-gov-west-1",
                                      "event_bus_name": "default"},
    "GCP_PUBSUB_NOTIFICATION": {"credentials_id": "c1", "project_id": "my-project-123",
                                "topic_name": "detection-events"},
    "AZURE_EVENT_GRID_NOTIFICATION": {
        "credentials_id": "c1",
        "topic_endpoint": "https://topic.westeurope-1.eventgrid.azure.net/api/events"},
}


def action(action_type: str, **changes) -> dict:
    """A valid action of this type, with some keys changed (None removes one)."""
    config = {"type": action_type, **VALID[action_type], **changes}
    return {key: value for key, value in config.items() if value is not None}


def test_every_type_has_a_valid_example():
    assert set(VALID) == set(ACTION_TYPES)
    for action_type in ACTION_TYPES:
        assert validate_action(action(action_type)) == [], action_type


KNOWN = ", ".join(ACTION_TYPES)


@pytest.mark.parametrize("config, problems", [
    ({"webhook_url": "x"}, [("type", f"unknown action type None; known: {KNOWN}")]),
    ({"type": "PAGER", "webhook_url": "x"},
     [("type", f"unknown action type 'PAGER'; known: {KNOWN}")]),
    ("SLACK_NOTIFICATION", [("type", "the action must be a mapping")]),
])
def test_unknown_type(config, problems):
    assert validate_action(config) == problems


@pytest.mark.parametrize("action_type", ["SLACK_NOTIFICATION", "DISCORD_NOTIFICATION",
                                         "TEAMS_NOTIFICATION"])
@pytest.mark.parametrize("url, problem", [
    (None, "is required"),
    ("", "is required"),
    ("http://hooks.slack.com/services/x", "must be an https:// URL"),
    ("hooks.slack.com/services/x", "must be an https:// URL"),
    ("https:///no-host", "must be an https:// URL"),
    ("https://hooks.slack.com/a b", "must be an https:// URL"),
    ("https://hooks.slack.com:99x/a", "must be an https:// URL"),
    (12, "must be a string"),
    ("https://h/" + "a" * 3000, "must have at most 2048 characters"),
])
def test_chat_webhook_urls(action_type, url, problem):
    assert validate_action(action(action_type, webhook_url=url)) == [("webhook_url", problem)]


def test_http_is_allowed_only_when_the_settings_say_so():
    config = action("WEBHOOK", url="http://127.0.0.1:8080/hook")
    assert validate_action(config) == [("url", "must be an https:// URL")]
    assert validate_action(config, settings=LOOPBACK) == []
    assert validate_action(action("WEBHOOK", url="ftp://x/y"), settings=LOOPBACK) == [
        ("url", "must be an http(s):// URL")]


def test_slack_channel():
    assert validate_action(action("SLACK_NOTIFICATION", channel="#data science")) == [
        ("channel", "must be a channel name such as #alerts, without spaces")]
    assert validate_action(action("SLACK_NOTIFICATION", channel=None)) == []


@pytest.mark.parametrize("changes, problems", [
    ({"secret": None}, [("secret", "is required")]),
    ({"secret": "short"}, [("secret", "must have at least 16 characters")]),
    ({"url": None, "secret": None}, [("url", "is required"), ("secret", "is required")]),
    ({"headers": ["Authorization"]}, [("headers", "must be a mapping of header names to values")]),
    ({"headers": {"X-Driftline-Signature": "forged"}},
     [("headers", "X-Driftline-Signature is set by Driftline and cannot be overridden")]),
    ({"headers": {"content-type": "text/plain"}},
     [("headers", "content-type is set by Driftline and cannot be overridden")]),
    ({"headers": {"X-Team": "ml\r\nX-Injected: 1"}},
     [("headers", "the value of X-Team must be one line of text")]),
    ({"headers": {"Bad Name": "v"}}, [("headers", "'Bad Name' is not a valid header name")]),
])
def test_webhook(changes, problems):
    assert validate_action(action("WEBHOOK", **changes)) == problems


@pytest.mark.parametrize("changes, problems", [
    ({"addresses": None}, [("address", "is required: at least one e-mail address")]),
    ({"addresses": None, "address": "ops@example.com"}, []),
    ({"addresses": None, "address": "not-an-address"},
     [("address", "'not-an-address' is not an e-mail address")]),
    ({"addresses": []}, [("addresses", "is required: at least one e-mail address")]),
    ({"addresses": "ops@example.com"}, [("addresses", "must be a list of e-mail addresses")]),
    ({"addresses": ["ops@example.com", "a@b"]}, [("addresses", "'a@b' is not an e-mail address")]),
    ({"addresses": ["x@example.com\r\nBcc: y@example.com"]},
     [("addresses", "'x@example.com\\r\\nBcc: y@example.com' is not an e-mail address")]),
    ({"address": "ops@example.com"}, [("addresses", "give 'address' or 'addresses', not both")]),
])
def test_email(changes, problems):
    assert validate_action(action("EMAIL_NOTIFICATION", **changes)) == problems


@pytest.mark.parametrize("changes, problems", [
    ({"connection_string": None, "topic": None},
     [("connection_string", "is required"), ("topic", "is required")]),
    ({"connection_string": "tcp://broker:1883"}, [(
        "connection_string",
        "must be an mqtt:// or mqtts:// URL, e.g. mqtts://user:pass@broker:8883")]),
    ({"connection_string": "mqtt://user:secret@broker:99999"},
     [("connection_string", "has a port that is not a number between 1 and 65535")]),
    ({"connection_string": "mqtt://broker/some/path"},
     [("connection_string", "must name only the broker: mqtt(s)://[user:pass@]host[:port]")]),
    ({"connection_string": "mqtt://broker"}, []),
    ({"topic": "driftline/+/events"},
     [("topic", "must not contain the wildcards + or # (or NUL)")]),
    ({"payload": "{task_name} {nope}"}, [("payload", "unknown field {nope}; known: "
                                          "event_id, event_type, explanation, feature, "
                                          "insert_time, model_id, model_name, model_version, "
                                          "monitoring_metric, monitoring_target, rule_id, "
                                          "rule_name, sample_id, sample_time, severity, "
                                          "summary, task_id, task_name")]),
    ({"payload": "{task_name.__class__}"},
     [("payload", "placeholder {task_name.__class__} must be a plain field name, "
                  "e.g. {task_name}")]),
    ({"payload": "{explanation[0]}"},
     [("payload", "placeholder {explanation[0]} must be a plain field name, e.g. {task_name}")]),
    ({"payload": "{severity:>10}"},
     [("payload", "placeholder {severity} must be a plain field name, e.g. {task_name}")]),
    ({"payload": "{}"}, [("payload", "placeholder {} must be a plain field name, "
                                     "e.g. {task_name}")]),
    ({"payload": "{task_name"}, [("payload", "is not a valid template (expected '}' before end "
                                             "of string); write literal braces as {{ and }}")]),
    ({"payload": '{{"literal": true}} {summary}'}, []),
])
def test_mqtt(changes, problems):
    assert validate_action(action("MQTT_NOTIFICATION", **changes)) == problems


def test_mqtt_problems_never_quote_the_password():
    config = action("MQTT_NOTIFICATION", connection_string="mqtt://user:hunter2@broker:0x")
    (problem,) = validate_action(config)
    assert "hunter2" not in repr(problem)


@pytest.mark.parametrize("action_type, changes, problems", [
    ("AWS_EVENT_BRIDGE_NOTIFICATION", {"credentials_id": None, "aws_region_name": "Ireland"},
     [("credentials_id", "is required"),
      ("aws_region_name", "must be an AWS region such as eu-west-1")]),
    ("AWS_EVENT_BRIDGE_NOTIFICATION", {"event_bus_name": "my bus"},
     [("event_bus_name", "must be an event bus name (e.g. default) or ARN")]),
    ("AWS_EVENT_BRIDGE_NOTIFICATION",
     {"event_bus_name": "arn:aws:events:eu-west-1:123456789012:event-bus/ml"}, []),
    ("GCP_PUBSUB_NOTIFICATION", {"project_id": "My_Project"},
     [("project_id", "must be a GCP project id such as my-project-123")]),
    ("GCP_PUBSUB_NOTIFICATION", {"topic_name": "goog-events"}, [(
        "topic_name", "must be a Pub/Sub topic name (3-255 letters, digits or -_.~+%, starting "
                      "with a letter, not with 'goog')")]),
    ("AZURE_EVENT_GRID_NOTIFICATION", {"topic_endpoint": "http://topic.example.net/api/events",
                                       "credentials_id": ""},
     [("credentials_id", "is required"), ("topic_endpoint", "must be an https:// URL")]),
])
def test_cloud(action_type, changes, problems):
    assert validate_action(action(action_type, **changes)) == problems


def test_deliver_refuses_an_invalid_action_before_sending(event):
    with pytest.raises(DeliveryError) as raised:
        deliver(action("WEBHOOK", secret="short"), event)
    assert not raised.value.retryable
    assert str(raised.value) == (
        "invalid action configuration: secret must have at least 16 characters")
    with pytest.raises(DeliveryError) as unknown:
        deliver({"type": "PAGER"}, event)
    assert not unknown.value.retryable and "unknown action type 'PAGER'" in str(unknown.value)


def test_secret_fields():
    assert secret_fields("SLACK_NOTIFICATION") == ("webhook_url",)
    assert secret_fields("DISCORD_NOTIFICATION") == ("webhook_url",)
    assert secret_fields("TEAMS_NOTIFICATION") == ("webhook_url",)
    assert secret_fields("WEBHOOK") == ("url", "secret", "headers")
    assert secret_fields("MQTT_NOTIFICATION") == ("connection_string",)
    for action_type in ("EMAIL_NOTIFICATION", "AWS_EVENT_BRIDGE_NOTIFICATION",
                        "GCP_PUBSUB_NOTIFICATION", "AZURE_EVENT_GRID_NOTIFICATION"):
        assert secret_fields(action_type) == ()
    with pytest.raises(ValueError, match="unknown action type 'PAGER'"):
        secret_fields("PAGER")


@pytest.mark.parametrize("secret, masked", [
    (SLACK_URL, "https://hooks.slack.com/…XYZ9"),
    ("https://user:pw@discord.com:8443/api/webhooks/1/tokenABCD",
     "https://discord.com:8443/…ABCD"),
    ("https://receiver.example.com/x", "https://receiver.example.com/…"),
    ("mqtt://notifier:hunter2@broker.example.com:1883", "mqtt://broker.example.com:1883/…"),
    ("whsec-0123456789abcdef", "********cdef"),
    ("short", "********"),
    ("", ""),
])
def test_mask(secret, masked):
    assert mask(secret) == masked


def test_redact_action():
    webhook = action("WEBHOOK")
    assert redact_action(webhook) == {
        # The path is too short to show any of it.
        "type": "WEBHOOK", "url": "https://receiver.example.com/…",
        "secret": "********ssss", "headers": {"Authorization": "********"},
    }
    mqtt = redact_action(action("MQTT_NOTIFICATION"))
    assert mqtt["connection_string"] == "mqtts://broker.example.com:8883/…"
    assert mqtt["topic"] == "driftline/events"
    email = action("EMAIL_NOTIFICATION")
    assert redact_action(email) == email
    assert redact_action({"type": "PAGER", "token": "abcdefghijkl"}) == {
        "type": "PAGER", "token": "********ijkl"}


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"event_id":"e1"}'
    expected = hmac.new(b"topsecret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign_webhook("topsecret", body, 1700000000) == expected
    header = "sha256=" + expected
    assert verify_webhook("topsecret", body, "1700000000", header, now=1700000100)
    assert verify_webhook("topsecret", body, "1700000000", header.upper().replace("SHA256=",
                          "sha256="), now=1700000100)
    for timestamp, signature in [("1700000000", expected), ("1700000000", "md5=" + expected),
                                 ("soon", header), ("1700000001", header),
                                 ("1700000000", "sha256=" + "0" * 64)]:
        assert not verify_webhook("topsecret", body, timestamp, signature, now=1700000100)
    # The tolerance is the receiver's choice.
    assert not verify_webhook("topsecret", body, "1700000000", header, now=1700000100,
                              tolerance_seconds=60)
