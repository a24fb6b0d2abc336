"""GCP Pub/Sub through the official publisher, to a loopback gRPC Publisher service."""

from __future__ import annotations

import json
import time

import grpc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from actions_endpoints import PubSubPublisherService, free_port
from driftline_server.monitoring.actions import (
    DeliveryError,
    DeliverySettings,
    deliver,
    event_document,
)

ACTION = {"type": "GCP_PUBSUB_NOTIFICATION", "credentials_id": "cred-gcp",
          "project_id": "driftline-test", "topic_name": "detection-events"}


def service_account_info() -> dict:
    """A service account as GCP hands it out, with a freshly made key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {
        "type": "service_account", "project_id": "driftline-test",
        "private_key_id": "0123456789abcdef", "private_key": pem,
        "client_email": "notifier@driftline-test.iam.gserviceaccount.com",
        "client_id": "1234567890", "token_uri": "https://oauth2.googleapis.com/token",
    }


CREDENTIALS = {"type": "GCP", "service_account_info": {"type": "service_account"}}


@pytest.fixture
def publisher():
    service = PubSubPublisherService().start()
    try:
        yield service
    finally:
        service.stop()


def emulated(service: PubSubPublisherService) -> DeliverySettings:
    return DeliverySettings(gcp_pubsub_endpoint=service.endpoint)


def test_publishes_the_event(event, publisher):
    done = deliver(ACTION, event, credentials=CREDENTIALS, settings=emulated(publisher),
                   timeout=5)
    assert done == ("Pub/Sub message 1000 published on "
                    "projects/driftline-test/topics/detection-events")
    (request,) = publisher.requests
    assert request.topic == "projects/driftline-test/topics/detection-events"
    (message,) = request.messages
    assert json.loads(message.data) == event_document(event)
    assert dict(message.attributes) == {"event_type": "DRIFT_ON", "task_id": "task-42"}


@pytest.mark.parametrize("status, retryable", [
    (grpc.StatusCode.NOT_FOUND, False), (grpc.StatusCode.PERMISSION_DENIED, False),
    (grpc.StatusCode.UNAUTHENTICATED, False), (grpc.StatusCode.INVALID_ARGUMENT, False),
    (grpc.StatusCode.UNAVAILABLE, True), (grpc.StatusCode.INTERNAL, True),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, True),
])
def test_refusals(event, publisher, status, retryable):
    publisher.fail_with = status
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, credentials=CREDENTIALS, settings=emulated(publisher), timeout=5)
    assert raised.value.retryable is retryable
    assert "Pub/Sub refused the message on projects/driftline-test/topics/detection-events" in (
        str(raised.value))
    assert len(publisher.requests) == 1  # the SDK's own retries are off


def test_unreachable_service_is_retryable(event):
    started = time.monotonic()
    settings = DeliverySettings(gcp_pubsub_endpoint=f"127.0.0.1:{free_port()}")
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, credentials=CREDENTIALS, settings=settings, timeout=1)
    assert raised.value.retryable
    assert time.monotonic() - started < 3


def test_service_account_credentials():
    from driftline_server.monitoring.actions.pubsub import _publisher

    client = _publisher({"service_account_info": service_account_info()}, DeliverySettings())
    try:
        account = client.transport._credentials  # what the SDK will sign its requests with
        assert account.service_account_email == "notifier@driftline-test.iam.gserviceaccount.com"
        assert "https://www.googleapis.com/auth/pubsub" in account.scopes
    finally:
        client.stop()
        client.transport.close()


@pytest.mark.parametrize("credentials, message", [
    (None, "needs the integration credentials 'cred-gcp'"),
    ({"type": "AWS", "role_arn": "arn:aws:iam::123456789012:role/x"}, "of type GCP"),
    ({"type": "GCP"}, "lack service_account_info"),
    ({"type": "GCP", "service_account_info": {"type": "service_account", "private_key": "x"}},
     "the service account of the GCP credentials is not usable"),
])
def test_unusable_credentials(event, credentials, message):
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, credentials=credentials, timeout=5)
    assert not raised.value.retryable and message in str(raised.value)
