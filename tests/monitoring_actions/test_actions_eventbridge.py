"""AWS EventBridge through boto3, to moto's server on loopback; a rule forwards the bus's
events to an SQS queue, where the test reads what arrived."""

from __future__ import annotations

import json
import time
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

from actions_endpoints import free_port
from driftline_server.monitoring.actions import (
    DeliveryError,
    DeliverySettings,
    deliver,
    event_document,
)

REGION = "eu-west-1"
KEYS = {"type": "AWS_COMPATIBLE", "access_key_id": "testing", "secret_access_key": "testing"}


@pytest.fixture(scope="module")
def moto_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def aws(service: str, endpoint: str):
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def bus(moto_endpoint):
    """A new event bus whose driftline events land in an SQS queue; yields (name, queue URL)."""
    name = f"driftline-{uuid.uuid4().hex[:8]}"
    events, sqs = aws("events", moto_endpoint), aws("sqs", moto_endpoint)
    events.create_event_bus(Name=name)
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=f"{name}-to-sqs", EventBusName=name,
                    EventPattern=json.dumps({"source": ["driftline"]}))
    events.put_targets(Rule=f"{name}-to-sqs", EventBusName=name,
                       Targets=[{"Id": "queue", "Arn": queue_arn}])
    return name, queue_url


def bridge_action(bus_name: str, **extra) -> dict:
    return {"type": "AWS_EVENT_BRIDGE_NOTIFICATION", "credentials_id": "cred-aws",
            "aws_region_name": REGION, "event_bus_name": bus_name, **extra}


def arrived(moto_endpoint: str, queue_url: str) -> dict:
    messages = aws("sqs", moto_endpoint).receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    assert len(messages) == 1, f"expected one event on the queue, got {len(messages)}"
    return json.loads(messages[0]["Body"])


@pytest.mark.parametrize("credentials", [
    KEYS,
    # An IAM role assumed through STS first (with the access keys as the identity that may).
    {"type": "AWS", "access_key_id": "testing", "secret_access_key": "testing",
     "role_arn": "arn:aws:iam::123456789012:role/driftline", "external_id": "ext-123"},
], ids=["access-keys", "role"])
def test_event_arrives_on_the_bus(event, moto_endpoint, bus, credentials):
    name, queue_url = bus
    settings = DeliverySettings(aws_endpoint_url=moto_endpoint)
    done = deliver(bridge_action(name), event, credentials=credentials, settings=settings,
                   timeout=5)
    assert done.startswith("EventBridge accepted event ")
    assert done.endswith(f" on bus {name} ({REGION})")
    received = arrived(moto_endpoint, queue_url)
    assert received["source"] == "driftline"
    assert received["detail-type"] == "Driftline detection event"
    assert received["region"] == REGION
    assert received["detail"] == event_document(event)


def test_the_assumed_role_is_who_sends(event, moto_endpoint, bus):
    # The bus is in account 123456789012: sent as a role of another account, it is not found.
    name, _ = bus
    credentials = {**KEYS, "type": "AWS", "role_arn": "arn:aws:iam::111122223333:role/driftline"}
    with pytest.raises(DeliveryError) as raised:
        deliver(bridge_action(name), event, credentials=credentials,
                settings=DeliverySettings(aws_endpoint_url=moto_endpoint), timeout=5)
    assert not raised.value.retryable
    assert f"ResourceNotFoundException Event bus {name} does not exist" in str(raised.value)


def test_endpoint_of_aws_compatible_credentials(event, moto_endpoint, bus):
    name, queue_url = bus
    credentials = {**KEYS, "endpoint_url": moto_endpoint}
    deliver(bridge_action(name), event, credentials=credentials, timeout=5)
    assert arrived(moto_endpoint, queue_url)["detail"]["event_id"] == "evt-0001"


def test_unknown_bus_is_not_retryable(event, moto_endpoint):
    settings = DeliverySettings(aws_endpoint_url=moto_endpoint)
    with pytest.raises(DeliveryError) as raised:
        deliver(bridge_action("no-such-bus"), event, credentials=KEYS, settings=settings,
                timeout=5)
    assert not raised.value.retryable
    assert "no-such-bus" in str(raised.value)


def test_unreachable_endpoint_is_retryable(event):
    settings = DeliverySettings(aws_endpoint_url=f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        deliver(bridge_action("default"), event, credentials=KEYS, settings=settings, timeout=2)
    assert raised.value.retryable and "EventBridge" in str(raised.value)
    assert time.monotonic() - started < 3  # one attempt: boto3's own retries are off


def test_unforeseen_sdk_errors_are_delivery_errors(event):
    settings = DeliverySettings(aws_endpoint_url="not a url")
    with pytest.raises(DeliveryError) as raised:
        deliver(bridge_action("default"), event, credentials=KEYS, settings=settings, timeout=2)
    assert raised.value.retryable
    assert str(raised.value).startswith("ValueError: Invalid endpoint: not a url")
    assert isinstance(raised.value.__cause__, ValueError)


@pytest.mark.parametrize("credentials, message", [
    (None, "needs the integration credentials 'cred-aws'"),
    ({"type": "AZURE", "access_key": "k"}, "of type AWS or AWS_COMPATIBLE"),
    ({"type": "AWS_COMPATIBLE", "access_key_id": "testing"}, "neither access keys nor a role"),
])
def test_unusable_credentials(event, credentials, message):
    with pytest.raises(DeliveryError) as raised:
        deliver(bridge_action("default"), event, credentials=credentials, timeout=5)
    assert not raised.value.retryable and message in str(raised.value)
