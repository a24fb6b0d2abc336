"""Azure Event Grid through the official SDK, to a loopback HTTP endpoint.

The SDK sends key (``aeg-sas-key``) and SAS (``aeg-sas-token``) credentials over plain http://
too (only bearer tokens insist on TLS), so the endpoint is the recording HTTP server and
``allow_http`` admits its URL.
"""

from __future__ import annotations

import time

import pytest

from actions_endpoints import LOOPBACK, Answer, free_port
from driftline_server.monitoring.actions import DeliveryError, deliver, event_document

KEY = {"type": "AZURE", "access_key": "topic-access-key-0123456789"}


def grid_action(endpoint: str) -> dict:
    return {"type": "AZURE_EVENT_GRID_NOTIFICATION", "credentials_id": "cred-azure",
            "topic_endpoint": endpoint}


@pytest.fixture
def topic(http_endpoint):
    """The recording endpoint, answering as an Event Grid topic does: 200 and no body."""
    http_endpoint.answer = Answer(status=200, body=b"")
    return http_endpoint


def test_cloud_event_with_access_key(event, topic, caplog):
    action = grid_action(topic.url("/api/events"))
    done = deliver(action, event, credentials=KEY, settings=LOOPBACK, timeout=5)
    assert done == "Event Grid at 127.0.0.1 accepted the CloudEvent"
    assert "is not a known attribute" not in caplog.text
    request = topic.last
    assert request.path == "/api/events?api-version=2018-01-01"
    assert request.headers["aeg-sas-key"] == KEY["access_key"]
    assert request.headers["Content-Type"].startswith("application/cloudevents-batch+json")
    (cloud_event,) = request.json()
    assert cloud_event["specversion"] == "1.0"
    assert cloud_event["type"] == "driftline.detection_event"
    assert cloud_event["source"] == "driftline"
    assert cloud_event["id"] == "evt-0001" and cloud_event["subject"] == "tasks/task-42"
    assert cloud_event["datacontenttype"] == "application/json"
    assert cloud_event["data"] == event_document(event)


def test_host_alone_posts_to_api_events(event, topic):
    action = grid_action(f"http://127.0.0.1:{topic.port}")
    deliver(action, event, credentials=KEY, settings=LOOPBACK, timeout=5)
    assert topic.last.path.startswith("/api/events?")


def test_sas_token(event, topic):
    credentials = {"type": "AZURE", "sas_token": "r=topic&e=2030&s=signature"}
    deliver(grid_action(topic.url("/api/events")), event, credentials=credentials,
            settings=LOOPBACK, timeout=5)
    assert topic.last.headers["aeg-sas-token"] == credentials["sas_token"]
    assert "aeg-sas-key" not in topic.last.headers


@pytest.mark.parametrize("status, retryable", [(401, False), (403, False), (400, False),
                                               (500, True), (503, True), (429, True)])
def test_refusals(event, http_endpoint, status, retryable):
    http_endpoint.answer = Answer(status=status, body=b'{"error": {"code": "x"}}',
                                  headers={"Content-Type": "application/json"})
    with pytest.raises(DeliveryError) as raised:
        deliver(grid_action(http_endpoint.url("/api/events")), event, credentials=KEY,
                settings=LOOPBACK, timeout=5)
    assert raised.value.retryable is retryable
    assert str(status) in str(raised.value)
    assert len(http_endpoint.requests) == 1  # the SDK's own retries are off


def test_unreachable_and_slow_topics_are_retryable(event, http_endpoint):
    started = time.monotonic()
    with pytest.raises(DeliveryError) as refused:
        deliver(grid_action(f"http://127.0.0.1:{free_port()}/api/events"), event,
                credentials=KEY, settings=LOOPBACK, timeout=5)
    assert refused.value.retryable and "could not reach Event Grid" in str(refused.value)
    http_endpoint.answer = Answer(delay=5)
    with pytest.raises(DeliveryError) as slow:
        deliver(grid_action(http_endpoint.url("/api/events")), event, credentials=KEY,
                settings=LOOPBACK, timeout=0.3)
    assert slow.value.retryable
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("credentials, message", [
    (None, "needs the integration credentials 'cred-azure'"),
    ({"type": "GCP", "service_account_info": {}}, "of type AZURE"),
    ({"type": "AZURE", "service_principal_credentials": {}}, "no Event Grid access_key"),
])
def test_unusable_credentials(event, http_endpoint, credentials, message):
    with pytest.raises(DeliveryError) as raised:
        deliver(grid_action(http_endpoint.url("/api/events")), event, credentials=credentials,
                settings=LOOPBACK, timeout=5)
    assert not raised.value.retryable and message in str(raised.value)
    assert http_endpoint.requests == []
