"""Delivery by MQTT: one message published with QoS 1, delivered once the broker acknowledges it.

The client runs its network loop in the caller's thread, for one connection at a time, so a
delivery leaves no thread or socket behind whatever happens.
"""

from __future__ import annotations

import ssl
import time
import uuid
from collections.abc import Mapping
from urllib.parse import unquote

from driftline_server.monitoring.actions.errors import DeliveryError
from driftline_server.monitoring.actions.payloads import event_json, render_template
from driftline_server.monitoring.actions.settings import DeliverySettings
from driftline_server.monitoring.actions.validation import mqtt_broker

QOS_AT_LEAST_ONCE = 1
_LOOP_STEP = 0.05  # seconds the network loop waits for the socket each turn
# CONNACK reasons that no retry fixes, as paho reports them (MQTT 5.0 numbering, to which it maps
# the 3.1.1 codes 1, 2, 4 and 5): unsupported protocol version, client identifier not valid,
# bad user name or password, not authorized. "Server unavailable" (3.1.1 code 3) may pass.
_REFUSED_FOR_GOOD = {132, 133, 134, 135}


def mqtt_payload(action: Mapping, event: Mapping) -> bytes:
    """The action's payload template rendered with the event, or the event's JSON document."""
    template = action.get("payload")
    return render_template(template, event).encode("utf-8") if template else event_json(event)


class _Session:
    """What the client's callbacks report, read by the loop that waits for it."""

    def __init__(self) -> None:
        self.connack = None  # the CONNACK's reason code, once it came
        self.disconnected = None  # the reason code of a disconnection


def send_mqtt(action: Mapping, event: Mapping, *, credentials: Mapping | None, timeout: float,
              settings: DeliverySettings) -> str:
    """Connect to the broker of the action's connection string, publish the payload on its
    topic with QoS 1 and wait for the PUBACK, all within ``timeout``."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

    scheme, host, port, username, password = mqtt_broker(action["connection_string"])
    broker = f"{host}:{port}"
    session = _Session()
    client = paho.Client(CallbackAPIVersion.VERSION2,
                         client_id=f"driftline-{uuid.uuid4().hex[:16]}",
                         protocol=paho.MQTTv311, reconnect_on_failure=False)
    client.on_connect = lambda _c, _u, _f, reason, _p: setattr(session, "connack", reason)
    client.on_disconnect = lambda _c, _u, _f, reason, _p: setattr(session, "disconnected", reason)
    client.connect_timeout = timeout
    if username is not None:
        client.username_pw_set(unquote(username),
                               unquote(password) if password is not None else None)
    if scheme == "mqtts":
        client.tls_set_context(ssl.create_default_context())
    deadline = time.monotonic() + timeout

    def run_until(done, waiting_for: str) -> None:
        while not done():
            if session.disconnected is not None:
                raise DeliveryError(f"{broker} closed the connection ({session.disconnected}) "
                                    f"while Driftline waited for {waiting_for}", retryable=True)
            if time.monotonic() > deadline:
                raise DeliveryError(f"{broker} sent no {waiting_for} within {timeout:g}s",
                                    retryable=True)
            code = client.loop(timeout=_LOOP_STEP)
            # A lost connection and a refusing CONNACK are reported by the callbacks, with why.
            if code not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_CONN_LOST,
                            MQTTErrorCode.MQTT_ERR_CONN_REFUSED):
                raise DeliveryError(f"MQTT connection to {broker} failed: "
                                    f"{paho.error_string(code)}", retryable=True)

    try:
        client.connect(host, port, keepalive=max(5, int(timeout) * 2))
        run_until(lambda: session.connack is not None, "CONNACK")
        if session.connack.is_failure:
            raise DeliveryError(f"{broker} refused the connection: {session.connack}",
                                retryable=session.connack.value not in _REFUSED_FOR_GOOD)
        published = client.publish(action["topic"], mqtt_payload(action, event),
                                   qos=QOS_AT_LEAST_ONCE)
        run_until(published.is_published, "PUBACK")
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(f"the TLS certificate of {host} is not valid: "
                            f"{error.verify_message}", retryable=False) from error
    except TimeoutError as error:
        raise DeliveryError(f"{broker} did not answer within {timeout:g}s",
                            retryable=True) from error
    except OSError as error:
        raise DeliveryError(f"could not reach the MQTT broker {broker}: "
                            f"{str(error) or type(error).__name__}", retryable=True) from error
    finally:
        if client.socket() is not None:
            # With no loop thread, this writes the DISCONNECT and closes the socket at once.
            client.disconnect()
    return f"published on {action['topic']} at {broker} (QoS 1, acknowledged)"
