"""E-mail delivered to an aiosmtpd server on loopback."""

from __future__ import annotations

import datetime
import ssl
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from actions_endpoints import free_port
from driftline_server.monitoring.actions import DeliveryError, DeliverySettings, deliver

SENDER = "driftline@example.com"
ACTION = {"type": "EMAIL_NOTIFICATION", "address": "ops@example.com"}


class Mailbox:
    """An SMTP handler that keeps what it is sent, refusing the recipients it is told to."""

    def __init__(self) -> None:
        self.envelopes = []
        self.refuse: dict[str, str] = {}  # address: SMTP answer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def smtp_settings(port: int, **extra) -> DeliverySettings:
    options = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_sender": SENDER,
               "smtp_starttls": False, **extra}
    return DeliverySettings(**options)


def running(handler, **smtp_parameters) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5,
                            **smtp_parameters)
    controller.start()
    return controller


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = running(box)
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()


def test_mail_is_sent(event, mailbox):
    done = deliver(ACTION, event, settings=smtp_settings(mailbox.port), timeout=5)
    assert done == "e-mail accepted by 127.0.0.1 for 1 recipient(s)"
    (envelope,) = mailbox.envelopes
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == ["ops@example.com"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["Subject"] == (
        "DRIFT_ON · INPUT FEATURE · feature age · model churn v2 · severity HIGH · task Churn")
    assert mail["To"] == "ops@example.com" and mail["X-Driftline-Event-Id"] == "evt-0001"
    body = mail.get_content()
    assert "Task:        Churn (task-42)" in body
    assert "Detected at: 2026-05-01T12:00:01+00:00" in body
    assert "  - age: statistic 0.31, p-value 1.2e-05, effect size 0.41" in body


def test_several_addresses(event, mailbox):
    action = {"type": "EMAIL_NOTIFICATION", "addresses": ["a@example.com", "b@example.org"]}
    deliver(action, event, settings=smtp_settings(mailbox.port), timeout=5)
    assert mailbox.envelopes[0].rcpt_tos == ["a@example.com", "b@example.org"]


@pytest.mark.parametrize("answer, retryable", [("550 5.1.1 no such user", False),
                                               ("450 4.2.1 mailbox busy", True)])
def test_refused_recipients(event, mailbox, answer, retryable):
    mailbox.refuse["ops@example.com"] = answer
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, settings=smtp_settings(mailbox.port), timeout=5)
    assert raised.value.retryable is retryable
    assert f"refused every recipient: ops@example.com (SMTP {answer[:3]})" in str(raised.value)


def test_partly_refused_recipients(event, mailbox):
    mailbox.refuse["b@example.org"] = "550 no such user"
    action = {"type": "EMAIL_NOTIFICATION", "addresses": ["a@example.com", "b@example.org"]}
    with pytest.raises(DeliveryError) as raised:
        deliver(action, event, settings=smtp_settings(mailbox.port), timeout=5)
    assert not raised.value.retryable
    assert "accepted 1 of 2 recipients; refused: b@example.org (SMTP 550)" in str(raised.value)
    assert mailbox.envelopes[0].rcpt_tos == ["a@example.com"]


def _authenticator(server, session, envelope, mechanism, auth_data):
    accepted = (auth_data.login, auth_data.password) == (b"notifier", b"s3cret")
    # handled=False: aiosmtpd answers the failure itself (535).
    return AuthResult(success=accepted, handled=False)


# Plain-text AUTH is fine on loopback (aiosmtpd warns about it, rightly elsewhere).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login(event):
    box = Mailbox()
    controller = running(box, authenticator=_authenticator, auth_required=True,
                         auth_require_tls=False)
    try:
        settings = smtp_settings(controller.port, smtp_username="notifier",
                                 smtp_password="s3cret")
        deliver(ACTION, event, settings=settings, timeout=5)
        assert len(box.envelopes) == 1
        wrong = smtp_settings(controller.port, smtp_username="notifier", smtp_password="nope")
        with pytest.raises(DeliveryError) as raised:
            deliver(ACTION, event, settings=wrong, timeout=5)
        assert not raised.value.retryable and "refused the SMTP login" in str(raised.value)
        assert "nope" not in str(raised.value)
    finally:
        controller.stop()


def test_starttls_not_offered_is_a_configuration_error(event, mailbox):
    settings = smtp_settings(mailbox.port, smtp_starttls=True)
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, settings=settings, timeout=5)
    assert not raised.value.retryable and "STARTTLS" in str(raised.value)
    assert mailbox.envelopes == []


def _self_signed_context(tmp_path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


def test_starttls_verifies_the_certificate(event, tmp_path):
    box = Mailbox()
    controller = running(box, tls_context=_self_signed_context(tmp_path), require_starttls=True)
    try:
        settings = smtp_settings(controller.port, smtp_starttls=True)
        with pytest.raises(DeliveryError) as raised:
            deliver(ACTION, event, settings=settings, timeout=5)
        assert not raised.value.retryable
        assert "TLS certificate of 127.0.0.1 is not valid" in str(raised.value)
        assert box.envelopes == []
    finally:
        controller.stop()


def test_unreachable_server_is_retryable(event):
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, settings=smtp_settings(free_port()), timeout=5)
    assert raised.value.retryable and "could not reach the SMTP server" in str(raised.value)
    assert time.monotonic() - started < 2


def test_smtp_not_configured(event):
    with pytest.raises(DeliveryError) as raised:
        deliver(ACTION, event, settings=DeliverySettings(), timeout=5)
    assert not raised.value.retryable and "need an SMTP server" in str(raised.value)
