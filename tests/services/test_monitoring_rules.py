"""Detection event rules against a real server: each kind of action delivered to a real local
endpoint when a drift is detected (webhooks on loopback with the HMAC signature checked, a local
SMTP server, the Mosquitto broker, moto's EventBridge, loopback Pub/Sub and Event Grid
endpoints), retried when its endpoint fails, a delivery record per event and action; a rule that
matches nothing, a deleted rule, another company's task; secrets encrypted at rest, masked when
read, kept across an update, never logged; who may do what."""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

import driftline
from conftest import wait_for_auth_cache
from driftline.monitoring.v1 import monitoring_pb2 as mpb, rules_pb2
from driftline.types import SlackNotificationAction, WebhookAction
from harness import ServerProcess, fails, fresh_database, free_port
from monitoring_helpers import event_bus, make_flow, moto_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "monitoring_actions"))
from actions_endpoints import (  # noqa: E402
    Answer,
    PubSubPublisherService,
    RecordingHTTPServer,
)

from driftline_server.monitoring.actions import verify_webhook  # noqa: E402

DELIVERED = rules_pb2.ACTION_DELIVERY_STATE_DELIVERED
FAILED = rules_pb2.ACTION_DELIVERY_STATE_FAILED
HMAC_SECRET = "a-webhook-secret-of-32-characters"
SLACK_PATH = "/services/T000/B000/slack-secret-token-9876"
MQTT_PASSWORD_FREE = "mqtt://127.0.0.1:1883"


class Mailbox:
    """aiosmtpd's handler: keeps every message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="module")
def endpoints():
    http = RecordingHTTPServer().start()
    failing = RecordingHTTPServer().start()
    failing.answer = Answer(status=503, body=b"down")
    flaky = RecordingHTTPServer().start()
    flaky.answer = Answer(status=500, body=b"not yet")
    grid = RecordingHTTPServer().start()
    grid.answer = Answer(status=200, body=b"")  # as an Event Grid topic answers
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    smtp.start()
    moto, moto_endpoint = moto_server()
    moto.start()
    pubsub = PubSubPublisherService().start()
    found = {"http": http, "failing": failing, "flaky": flaky, "grid": grid, "mailbox": mailbox,
             "smtp_port": smtp.port, "moto": moto_endpoint,
             "pubsub": pubsub}
    yield found
    for server in (http, failing, flaky, grid, pubsub):
        server.stop()
    smtp.stop()
    moto.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, endpoints):
    """This module's server, delivering to the loopback endpoints."""
    data_dir = tmp_path_factory.mktemp("driftline")
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url, extra_env={
        "DRIFTLINE_ACTIONS_ALLOW_HTTP": "true",
        "DRIFTLINE_SMTP_HOST": "127.0.0.1",
        "DRIFTLINE_SMTP_PORT": str(endpoints["smtp_port"]),
        "DRIFTLINE_SMTP_STARTTLS": "false",
        "DRIFTLINE_SMTP_SENDER": "alerts@driftline.test",
        "DRIFTLINE_AWS_ENDPOINT_URL": endpoints["moto"],
        "DRIFTLINE_GCP_PUBSUB_ENDPOINT": endpoints["pubsub"].endpoint,
        "DRIFTLINE_ACTION_ATTEMPTS": "3",
        "DRIFTLINE_ACTION_BACKOFF_SECONDS": "0.3",
    }).start()
    try:
        yield process
    finally:
        process.stop()
        database.drop()


@pytest.fixture(scope="module")
def mqtt_messages():
    """Messages published on this module's MQTT topic (the Mosquitto broker on this machine)."""
    topic = f"driftline/tests/{uuid.uuid4().hex}"
    received: list[bytes] = []
    subscribed = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.on_subscribe = lambda *_: subscribed.set()
    client.on_message = lambda _c, _u, message: received.append(message.payload)
    try:
        client.connect("127.0.0.1", 1883, keepalive=30)
    except OSError as error:
        pytest.fail(f"the Mosquitto broker on 127.0.0.1:1883 is not reachable: {error}")
    client.loop_start()
    assert subscribed.wait(10), "could not subscribe to the MQTT broker"
    yield topic, received
    client.loop_stop()
    client.disconnect()


@pytest.fixture(scope="module")
def bus(endpoints):
    return event_bus(endpoints["moto"])


@pytest.fixture(scope="module")
def flow(owner, project_id):
    return make_flow(owner, project_id, name="alerting")


@pytest.fixture(scope="module")
def credentials(owner, project_id, endpoints):
    aws = owner.create_aws_compatible_integration_credentials(
        "moto", False, project_id, "testing", "testing-secret-key", endpoints["moto"])
    gcp = owner.create_gcp_integration_credentials("gcp", False, project_id, json.dumps({
        "type": "service_account", "project_id": "driftline-tests", "private_key_id": "k1",
        "private_key": "-----BEGIN PRIVATE KEY-----\nnot-used\n-----END PRIVATE KEY-----\n",
        "client_email": "alerts@driftline-tests.iam.gserviceaccount.com"}))
    azure = owner.create_azure_integration_credentials("azure", False, project_id, json.dumps({
        "client_id": "c", "client_secret": "s", "tenant_id": "t",
        "access_key": "event-grid-topic-access-key"}))
    return {"aws": aws.credentials_id, "gcp": gcp.credentials_id, "azure": azure.credentials_id}



@pytest.fixture(scope="module")
def rules(flow, endpoints, credentials, mqtt_messages, bus):
    """The rules, created before any production batch: one with every kind of notification on
    the drift of a column, one whose endpoints fail (one for good, one for a while), one that
    matches nothing, and one deleted before the drift."""
    client, task_id = flow.client, flow.task.task_id
    http = endpoints["http"]
    topic, _ = mqtt_messages
    every = client.create_detection_event_rule(
        "column drift", task_id, severity=None, detection_event_type="DRIFT_ON",
        monitoring_target="INPUT", monitoring_metric="FEATURE", actions=[
            rules_pb2.WebhookAction(url=http.url("/signed"), secret=HMAC_SECRET,
                                    headers={"Authorization": "Bearer team-token-123456"}),
            rules_pb2.SlackNotificationAction(webhook_url=http.url(SLACK_PATH),
                                              channel="#ml-alerts"),
            rules_pb2.DiscordNotificationAction(webhook_url=http.url("/discord/hook-secret")),
            rules_pb2.TeamsNotificationAction(webhook_url=http.url("/teams/hook-secret-1")),
            rules_pb2.EmailNotificationAction(addresses=["ml-team@example.com"]),
            rules_pb2.MqttNotificationAction(connection_string=MQTT_PASSWORD_FREE, topic=topic,
                                             payload="{event_type} {feature} {severity}"),
            rules_pb2.AwsEventBridgeNotificationAction(
                credentials_id=credentials["aws"], aws_region_name="eu-west-1",
                event_bus_name=bus[0]),
            rules_pb2.GcpPubSubNotificationAction(
                credentials_id=credentials["gcp"], project_id="driftline-tests",
                topic_name="drift-events"),
            rules_pb2.AzureEventGridNotificationAction(
                credentials_id=credentials["azure"],
                topic_endpoint=endpoints["grid"].url("/api/events")),
        ])
    failing = client.create_detection_event_rule(
        "failing endpoints", task_id, severity="HIGH", detection_event_type="DRIFT_ON",
        monitoring_target="INPUT", monitoring_metric="FEATURE", actions=[
            rules_pb2.WebhookAction(url=endpoints["failing"].url(), secret=HMAC_SECRET),
            rules_pb2.WebhookAction(url=endpoints["flaky"].url(), secret=HMAC_SECRET),
        ])
    nothing = client.create_detection_event_rule(
        "errors of another model", task_id, severity=None, detection_event_type="DRIFT_ON",
        monitoring_target="ERROR", model_name="not-this-model",
        actions=[rules_pb2.WebhookAction(url=http.url("/never"), secret=HMAC_SECRET)])
    deleted = client.create_detection_event_rule(
        "deleted", task_id, severity=None, detection_event_type="DRIFT_ON",
        monitoring_target="INPUT", monitoring_metric="FEATURE",
        actions=[rules_pb2.WebhookAction(url=http.url("/deleted"), secret=HMAC_SECRET)])
    client.delete_detection_event_rule(deleted)
    return {"every": every, "failing": failing, "nothing": nothing, "deleted": deleted}


@pytest.fixture(scope="module")
def drift(flow, rules, endpoints):
    """A calm batch, then a shifted one: the age column drifts; wait for the deliveries."""
    flow.production("calm")

    def recover_flaky():  # the flaky endpoint comes back after its first failure
        deadline = time.monotonic() + 60
        while not endpoints["flaky"].requests and time.monotonic() < deadline:
            time.sleep(0.05)
        endpoints["flaky"].answer = Answer(status=200, body=b"ok")

    threading.Thread(target=recover_flaky, daemon=True).start()
    flow.production("shift", age_shift=15.0)
    age = next((e for e in flow.events(event_type="DRIFT_ON") if e.specification == "age"), None)
    assert age is not None, "the shift raised no drift event on age"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        deliveries = flow.client.get_action_deliveries(event_id=age.event_id)
        if deliveries and all(d.status in (DELIVERED, FAILED) for d in deliveries):
            return age, deliveries
        time.sleep(0.2)
    raise AssertionError(f"deliveries not finished: {deliveries}")


def test_every_action_of_the_matching_rules_is_delivered_once(flow, rules, drift):
    age, deliveries = drift
    by_rule = {}
    for delivery in deliveries:
        by_rule.setdefault(delivery.rule_id, []).append(delivery)
    assert set(by_rule) == {rules["every"], rules["failing"]}  # not "nothing", not "deleted"
    every = sorted(by_rule[rules["every"]], key=lambda d: d.action_index)
    assert [d.action_index for d in every] == list(range(9))
    assert all(d.status == DELIVERED and d.attempts == 1 for d in every), str([
        (d.action_index, d.status, d.attempts, d.last_error) for d in every])
    assert every[0].action_type == rules_pb2.DETECTION_EVENT_ACTION_TYPE_WEBHOOK
    assert all(d.outcome and d.job_id for d in every)
    # The rule's own record lists the same deliveries.
    assert {(d.event_id, d.action_index) for d in
            flow.client.get_action_deliveries(rule_id=rules["every"])
            if d.event_id == age.event_id} == {(age.event_id, i) for i in range(9)}


def test_the_webhook_is_signed_and_the_chat_messages_say_what_drifted(drift, endpoints):
    age, _ = drift
    requests = {r.path: r for r in endpoints["http"].requests}
    signed = requests["/signed"]
    assert verify_webhook(HMAC_SECRET, signed.body, signed.headers["X-Driftline-Timestamp"],
                          signed.headers["X-Driftline-Signature"])
    assert not verify_webhook("another-secret-of-enough-length", signed.body,
                              signed.headers["X-Driftline-Timestamp"],
                              signed.headers["X-Driftline-Signature"])
    assert signed.headers["Authorization"] == "Bearer team-token-123456"
    body = signed.json()
    assert body["event_id"] == age.event_id and body["feature"] == "age"
    assert body["event_type"] == "DRIFT_ON" and body["severity"] == "HIGH"
    assert body["explanation"][0]["column"] == "age"
    slack = requests[SLACK_PATH].json()
    assert "age" in slack["text"] and slack["channel"] == "#ml-alerts"
    assert "age" in json.dumps(requests["/discord/hook-secret"].json())
    assert "age" in json.dumps(requests["/teams/hook-secret-1"].json())
    assert "/never" not in requests and "/deleted" not in requests
    grid = endpoints["grid"].last
    assert grid.path.startswith("/api/events")
    assert grid.headers["aeg-sas-key"] == "event-grid-topic-access-key"
    (cloud_event,) = grid.json()
    assert cloud_event["data"]["event_id"] == age.event_id


def test_email_mqtt_and_the_cloud_notifications_arrive(drift, endpoints, mqtt_messages, bus):
    age, _ = drift
    [mail] = endpoints["mailbox"].messages
    assert mail.rcpt_tos == ["ml-team@example.com"]
    assert mail.mail_from == "alerts@driftline.test"
    assert b"age" in mail.content and b"DRIFT_ON" in mail.content
    _, received = mqtt_messages
    deadline = time.monotonic() + 10
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received == [b"DRIFT_ON age HIGH"]
    _, read_queue = bus
    messages = read_queue()
    assert len(messages) == 1
    detail = json.loads(messages[0]["Body"])
    assert detail["source"] == "driftline" and detail["detail"]["event_id"] == age.event_id
    [published] = endpoints["pubsub"].requests
    assert published.topic == "projects/driftline-tests/topics/drift-events"
    assert json.loads(published.messages[0].data)["event_id"] == age.event_id


def test_failing_endpoints_are_retried_and_recorded(flow, rules, drift, endpoints):
    age, deliveries = drift
    failing = sorted((d for d in deliveries if d.rule_id == rules["failing"]),
                     key=lambda d: d.action_index)
    down, flaky = failing
    assert down.status == FAILED and down.attempts == 3  # DRIFTLINE_ACTION_ATTEMPTS
    assert "503" in down.last_error
    assert len(endpoints["failing"].requests) == 3
    assert flaky.status == DELIVERED and flaky.attempts >= 2
    assert flaky.last_error is None or "500" in flaky.last_error


def test_secrets_are_masked_when_read_and_kept_across_an_update(server, flow, rules):
    client = flow.client
    rule = client.get_detection_event_rule(rules["every"])
    shown = rule.actions[0]
    assert isinstance(shown, WebhookAction)
    assert HMAC_SECRET not in str(rule) and "team-token-123456" not in str(rule)
    assert isinstance(rule.actions[1], SlackNotificationAction)
    assert "slack-secret-token-9876" not in rule.actions[1].webhook
    assert rule.actions[1].webhook.startswith("http://127.0.0.1:")
    assert rule.actions[1].channel == "#ml-alerts"
    assert shown.secret and shown.secret != HMAC_SECRET
    # Sent back as shown, with a new name: the secrets stay what they were.
    updated = client.update_detection_event_rule(rules["every"], name="column drift (v2)",
                                                 actions=list(rule.actions))
    assert updated.name == "column drift (v2)"
    from driftline_server.platform.crypto import SecretBox

    key = (server.data_dir / "secret.key").read_text().strip()
    engine = sa.create_engine(server.database_url.replace("+aiosqlite", ""))
    with engine.connect() as connection:
        sealed = connection.execute(sa.text(
            "SELECT actions_sealed, actions_shown FROM monitoring_rules WHERE id = :id"),
            {"id": rules["every"]}).one()
    engine.dispose()
    assert HMAC_SECRET not in sealed[0] and HMAC_SECRET not in json.dumps(sealed[1])
    stored = SecretBox(key).open(sealed[0])["actions"]
    assert stored[0]["secret"] == HMAC_SECRET
    assert stored[0]["headers"] == {"Authorization": "Bearer team-token-123456"}
    assert stored[1]["webhook_url"].endswith(SLACK_PATH)
    # Nor does any secret reach the server's log.
    log = server.log_path.read_text()
    for secret in (HMAC_SECRET, "team-token-123456", "slack-secret-token-9876",
                   "event-grid-topic-access-key", "testing-secret-key"):
        assert secret not in log


def test_rules_are_listed_read_and_checked(flow, rules):
    client, task_id = flow.client, flow.task.task_id
    listed = client.get_detection_event_rules(task_id)
    assert [r.rule_id for r in listed] == [rules["every"], rules["failing"], rules["nothing"]]
    nothing = client.get_detection_event_rule(rules["nothing"])
    assert nothing.model_name == "not-this-model"
    assert nothing.monitoring_target == mpb.MONITORING_TARGET_ERROR
    assert nothing.detection_event_type == mpb.DETECTION_EVENT_TYPE_DRIFT_ON
    assert nothing.monitoring_targets == [mpb.MONITORING_TARGET_ERROR]
    with fails(driftline.NotFoundError):
        client.get_detection_event_rule(rules["deleted"])
    # Actions as driftline.types results (the fixture gives rules_pb2 messages: both work).
    webhook = WebhookAction(url="https://hooks.example.com/x", secret=HMAC_SECRET)
    with fails(driftline.InvalidArgumentError, "DETECTION_EVENT_RULE_INVALID",
               field="model_name"):
        client.create_detection_event_rule("r", task_id, None, "DRIFT_ON", "ERROR", [webhook])
    with fails(driftline.InvalidArgumentError, field="severity"):
        client.create_detection_event_rule("r", task_id, "HIGH", "WARNING_ON", "INPUT",
                                           [webhook])
    with fails(driftline.InvalidArgumentError, field="actions"):
        client.create_detection_event_rule("r", task_id, None, "DRIFT_ON", "INPUT", [])
    with fails(driftline.InvalidArgumentError, field="actions[0].secret"):
        client.create_detection_event_rule(
            "r", task_id, None, "DRIFT_ON", "INPUT",
            [WebhookAction(url="https://hooks.example.com/x", secret="short")])
    with fails(driftline.InvalidArgumentError, field="actions[0].addresses"):
        client.create_detection_event_rule(
            "r", task_id, None, "DRIFT_ON", "INPUT",
            [rules_pb2.EmailNotificationAction(addresses=["not an address"])])
    with fails(driftline.InvalidArgumentError, field="detection_event_type"):
        client.create_detection_event_rule("r", task_id, None, None, "INPUT", [webhook])
    with fails(driftline.InvalidArgumentError, "UPDATE_MASK_REQUIRED"):
        client.update_detection_event_rule(rules["nothing"])
    # A retried create with the same request id gives the first rule.
    first = client.create_detection_event_rule("once", task_id, None, "DRIFT_OFF", "INPUT",
                                               [webhook], request_id="rule-once")
    again = client.create_detection_event_rule("once", task_id, None, "DRIFT_OFF", "INPUT",
                                               [webhook], request_id="rule-once")
    assert first == again
    client.delete_detection_event_rule(first)


def test_who_may_change_and_read_rules(company, other_company, flow, rules):
    viewer = company.member(project_roles={flow.task.project_id: "PROJECT_VIEW"})
    wait_for_auth_cache()
    task_id = flow.task.task_id
    assert [r.rule_id for r in viewer.get_detection_event_rules(task_id)][:1] == \
        [rules["every"]]
    webhook = WebhookAction(url="https://hooks.example.com/x", secret=HMAC_SECRET)
    with fails(driftline.PermissionDeniedError):
        viewer.create_detection_event_rule("r", task_id, None, "DRIFT_ON", "INPUT", [webhook])
    with fails(driftline.PermissionDeniedError):
        viewer.delete_detection_event_rule(rules["nothing"])
    for call in (
        lambda: other_company.create_detection_event_rule("r", task_id, None, "DRIFT_ON",
                                                          "INPUT", [webhook]),
        lambda: other_company.get_detection_event_rule(rules["every"]),
        lambda: other_company.get_detection_event_rules(task_id),
        lambda: other_company.update_detection_event_rule(rules["every"], name="mine"),
        lambda: other_company.delete_detection_event_rule(rules["every"]),
        lambda: other_company.get_action_deliveries(rule_id=rules["every"]),
    ):
        with fails(driftline.NotFoundError):
            call()
