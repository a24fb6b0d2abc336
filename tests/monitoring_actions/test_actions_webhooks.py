"""Slack, Discord, Teams and signed webhooks delivered to a real HTTP server on loopback."""

from __future__ import annotations

import json
import math
import time

import pytest

from actions_endpoints import LOOPBACK, Answer, free_port
from driftline_server.monitoring.actions import (
    DeliveryError,
    deliver,
    event_document,
    summary_line,
    verify_webhook,
)

SUMMARY = "DRIFT_ON · INPUT FEATURE · feature age · model churn v2 · severity HIGH · task Churn"
SECRET = "whsec-0123456789abcdef"


def webhook(url: str, **extra) -> dict:
    return {"type": "WEBHOOK", "url": url, "secret": SECRET, **extra}


def test_summary_line(event):
    assert summary_line(event) == SUMMARY
    assert summary_line({"event_type": "DRIFT_OFF", "task_id": "t1"}) == "DRIFT_OFF · task t1"
    # Names typed by users stay on one line (the line is an e-mail subject).
    assert summary_line({"event_type": "DRIFT_ON", "task_name": "a\r\nBcc: x@y"}) == (
        "DRIFT_ON · task a Bcc: x@y")


def test_slack(event, http_endpoint):
    action = {"type": "SLACK_NOTIFICATION", "webhook_url": http_endpoint.url("/services/T/B/X"),
              "channel": "#alerts"}
    done = deliver(action, event, settings=LOOPBACK, timeout=5)
    assert done == "HTTP 200 from 127.0.0.1"
    request = http_endpoint.last
    assert request.path == "/services/T/B/X"
    assert request.headers["Content-Type"].startswith("application/json")
    message = request.json()
    assert message["text"] == SUMMARY and message["channel"] == "#alerts"
    kinds = [block["type"] for block in message["blocks"]]
    assert kinds[:2] == ["header", "section"] and kinds[-1] == "section"
    fields = " ".join(field["text"] for field in message["blocks"][1]["fields"])
    assert "*Task*\nChurn (task-42)" in fields and "*Severity*\nHIGH" in fields
    explanation = message["blocks"][-1]["text"]["text"]
    assert "age: statistic 0.31, p-value 1.2e-05, effect size 0.41" in explanation
    assert "income: statistic 0.12, p-value n/a" in explanation


def test_slack_escapes_user_text(event, http_endpoint):
    event["task_name"] = "<!channel> & co"
    action = {"type": "SLACK_NOTIFICATION", "webhook_url": http_endpoint.url()}
    deliver(action, event, settings=LOOPBACK, timeout=5)
    assert "&lt;!channel&gt; &amp; co" in http_endpoint.last.json()["text"]


def test_discord(event, http_endpoint):
    event["task_name"] = "x" * 3000  # the content must still fit Discord's 2000 characters
    action = {"type": "DISCORD_NOTIFICATION", "webhook_url": http_endpoint.url("/api/webhooks/1/t")}
    deliver(action, event, settings=LOOPBACK, timeout=5)
    message = http_endpoint.last.json()
    assert len(message["content"]) == 2000 and message["content"].startswith("DRIFT_ON · INPUT")
    assert message["allowed_mentions"] == {"parse": []}
    (embed,) = message["embeds"]
    assert embed["color"] == 0xD32F2F
    assert {"name": "Feature", "value": "age", "inline": True} in embed["fields"]
    assert all(len(field["value"]) <= 1024 for field in embed["fields"])
    assert "age: statistic 0.31" in embed["description"]


def test_teams(event, http_endpoint):
    action = {"type": "TEAMS_NOTIFICATION", "webhook_url": http_endpoint.url("/workflows/1")}
    http_endpoint.answer = Answer(status=202, body=b"")  # what Teams workflows answer
    assert deliver(action, event, settings=LOOPBACK, timeout=5) == "HTTP 202 from 127.0.0.1"
    message = http_endpoint.last.json()
    assert message["type"] == "message"
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["body"][1]["text"] == SUMMARY
    facts = {fact["title"]: fact["value"] for fact in card["body"][2]["facts"]}
    assert facts["Model"] == "churn v2 (model-7)" and facts["Rule"] == "Churn drift (rule-3)"


def test_webhook_is_signed_and_verifiable(event, http_endpoint):
    before = int(time.time())
    action = webhook(http_endpoint.url("/driftline"), headers={"Authorization": "Bearer tok"})
    deliver(action, event, settings=LOOPBACK, timeout=5)
    request = http_endpoint.last
    timestamp = request.headers["X-Driftline-Timestamp"]
    signature = request.headers["X-Driftline-Signature"]
    assert before <= int(timestamp) <= time.time() + 1
    assert signature.startswith("sha256=")
    assert request.headers["X-Driftline-Event-Id"] == "evt-0001"
    assert request.headers["Authorization"] == "Bearer tok"
    # Compact JSON with sorted keys: the event's fields and its summary, NaN as null.
    document = request.json()
    assert request.body == json.dumps(document, sort_keys=True, separators=(",", ":"),
                                      ensure_ascii=False).encode()
    assert document == event_document(event) and document["summary"] == SUMMARY
    assert document["explanation"][1]["p_value"] is None
    assert math.isnan(event["explanation"][1]["p_value"])  # the caller's event is untouched

    assert verify_webhook(SECRET, request.body, timestamp, signature)
    # A tampered body, another secret, an old or a future timestamp: all refused.
    assert not verify_webhook(SECRET, request.body.replace(b"HIGH", b"LOW!"), timestamp,
                              signature)
    assert not verify_webhook("another-secret-0123", request.body, timestamp, signature)
    assert not verify_webhook(SECRET, request.body, timestamp, signature,
                              now=int(timestamp) + 301)
    assert verify_webhook(SECRET, request.body, timestamp, signature, now=int(timestamp) + 299)
    assert not verify_webhook(SECRET, request.body, timestamp, signature,
                              now=int(timestamp) - 301)


@pytest.mark.parametrize("status, retryable", [
    (500, True), (503, True), (429, True), (408, True), (400, False), (404, False), (410, False),
    (301, False),
])
def test_error_answers(event, http_endpoint, status, retryable):
    http_endpoint.answer = Answer(status=status, body=b"invalid_token")
    action = {"type": "SLACK_NOTIFICATION", "webhook_url": http_endpoint.url()}
    with pytest.raises(DeliveryError) as raised:
        deliver(action, event, settings=LOOPBACK, timeout=5)
    assert raised.value.retryable is retryable
    assert f"HTTP {status} from 127.0.0.1: invalid_token" in str(raised.value)


def test_errors_never_quote_the_secrets(event, http_endpoint):
    # An endpoint that echoes what it got: the message keeps it, masked.
    http_endpoint.answer = Answer(status=400, body=f"bad signature for {SECRET}".encode())
    with pytest.raises(DeliveryError) as raised:
        deliver(webhook(http_endpoint.url()), event, settings=LOOPBACK, timeout=5)
    assert str(raised.value) == (
        "HTTP 400 from 127.0.0.1: bad signature for ********cdef")


def test_retry_after_is_passed_on(event, http_endpoint):
    http_endpoint.answer = Answer(status=429, headers={"Retry-After": "30"})
    with pytest.raises(DeliveryError) as raised:
        deliver(webhook(http_endpoint.url()), event, settings=LOOPBACK, timeout=5)
    assert raised.value.retryable and raised.value.retry_after == 30.0


def test_connection_refused_is_retryable(event):
    action = webhook(f"http://127.0.0.1:{free_port()}/hook")
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        deliver(action, event, settings=LOOPBACK, timeout=5)
    assert raised.value.retryable and "could not reach 127.0.0.1" in str(raised.value)
    assert time.monotonic() - started < 2


def test_timeout_is_retryable(event, http_endpoint):
    http_endpoint.answer = Answer(delay=5)
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        deliver(webhook(http_endpoint.url()), event, settings=LOOPBACK, timeout=0.3)
    assert raised.value.retryable and "did not answer within 0.3s" in str(raised.value)
    assert time.monotonic() - started < 2


def test_http_refused_in_production(event, http_endpoint):
    with pytest.raises(DeliveryError) as raised:
        deliver(webhook(http_endpoint.url()), event, timeout=5)
    assert not raised.value.retryable
    assert "url must be an https:// URL" in str(raised.value)
    assert http_endpoint.requests == []  # nothing was sent
