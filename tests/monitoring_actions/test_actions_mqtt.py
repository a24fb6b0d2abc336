"""MQTT delivered through the Mosquitto broker on 127.0.0.1:1883, read back by a subscriber."""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
import uuid

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from actions_endpoints import free_port
from driftline_server.monitoring.actions import DeliveryError, deliver, event_document

BROKER = ("127.0.0.1", 1883)
WAIT = 5.0  # seconds a message may take to come back through the broker


@pytest.fixture(scope="module")
def broker():
    """The local Mosquitto; its absence fails the tests at once, with the reason."""
    try:
        socket.create_connection(BROKER, timeout=1).close()
    except OSError as error:
        pytest.fail(f"the Mosquitto broker is not reachable on {BROKER[0]}:{BROKER[1]} "
                    f"({error}); start it (e.g. `mosquitto -d`) to run the MQTT tests")
    return f"mqtt://{BROKER[0]}:{BROKER[1]}"


@pytest.fixture
def subscription(broker):
    """A subscriber to a topic of this test's own; yields (topic, queue of payloads)."""
    topic = f"driftline/tests/{uuid.uuid4().hex}"
    received: queue.Queue[bytes] = queue.Queue()
    subscribed = queue.Queue()
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"test-{uuid.uuid4().hex[:8]}")
    client.on_message = lambda _c, _u, message: received.put(message.payload)
    client.on_subscribe = lambda *_: subscribed.put(True)
    client.connect(*BROKER, keepalive=10)
    client.subscribe(topic, qos=1)
    client.loop_start()
    try:
        subscribed.get(timeout=WAIT)
        yield topic, received
    finally:
        client.disconnect()
        client.loop_stop()


def mqtt_action(connection_string: str, topic: str, **extra) -> dict:
    return {"type": "MQTT_NOTIFICATION", "connection_string": connection_string, "topic": topic,
            **extra}


def test_default_payload_is_the_event_document(event, broker, subscription):
    topic, received = subscription
    done = deliver(mqtt_action(broker, topic), event, timeout=5)
    assert done == f"published on {topic} at 127.0.0.1:1883 (QoS 1, acknowledged)"
    assert json.loads(received.get(timeout=WAIT)) == event_document(event)


def test_payload_template(event, broker, subscription):
    topic, received = subscription
    template = '{event_type} on {task_name}: {explanation}\n{{"id": "{event_id}"}} {summary}'
    # A user and password are sent (Mosquitto here accepts anyone).
    connection_string = broker.replace("mqtt://", "mqtt://notifier:p%40ss@")
    deliver(mqtt_action(connection_string, topic, payload=template), event, timeout=5)
    explanation = json.dumps(event_document(event)["explanation"], sort_keys=True,
                             separators=(",", ":"))
    assert received.get(timeout=WAIT).decode() == (
        f'DRIFT_ON on Churn: {explanation}\n{{"id": "evt-0001"}} DRIFT_ON · INPUT FEATURE · '
        "feature age · model churn v2 · severity HIGH · task Churn")


def test_refused_connection_is_retryable_and_quick(event):
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        deliver(mqtt_action(f"mqtt://127.0.0.1:{free_port()}", "driftline/x"), event, timeout=5)
    assert raised.value.retryable
    assert "could not reach the MQTT broker 127.0.0.1:" in str(raised.value)
    assert time.monotonic() - started < 2


def test_silent_broker_times_out(event):
    # Accepts the TCP connection but never answers the CONNECT.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(DeliveryError) as raised:
            deliver(mqtt_action(f"mqtt://127.0.0.1:{port}", "driftline/x"), event, timeout=0.5)
    assert raised.value.retryable and "sent no CONNACK within 0.5s" in str(raised.value)
    assert time.monotonic() - started < 2


def test_invalid_template_is_not_sent(event, broker):
    with pytest.raises(DeliveryError) as raised:
        deliver(mqtt_action(broker, "driftline/x", payload="{nope}"), event, timeout=5)
    assert not raised.value.retryable and "payload unknown field {nope}" in str(raised.value)


@pytest.mark.parametrize("return_code, retryable, reason", [
    (5, False, "Not authorized"), (4, False, "Bad user name or password"),
    (3, True, "Server unavailable"),
])
def test_broker_refusals(event, return_code, retryable, reason):
    # A broker that answers every CONNECT with this MQTT 3.1.1 CONNACK return code.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def refuse() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(1024)
                connection.sendall(bytes([0x20, 0x02, 0x00, return_code]))
                connection.recv(1024)  # until the client hangs up

        broker = threading.Thread(target=refuse, daemon=True)
        broker.start()
        with pytest.raises(DeliveryError) as raised:
            deliver(mqtt_action(f"mqtt://user:wrong@127.0.0.1:{port}", "driftline/x"), event,
                    timeout=5)
        broker.join(timeout=5)
    assert raised.value.retryable is retryable
    assert str(raised.value) == f"127.0.0.1:{port} refused the connection: {reason}"
