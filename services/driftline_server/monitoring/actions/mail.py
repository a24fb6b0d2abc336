"""Delivery by e-mail, through the SMTP server of the deployment's settings."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from driftline_server.monitoring.actions.errors import DeliveryError, configuration_error
from driftline_server.monitoring.actions.messages import email_text
from driftline_server.monitoring.actions.payloads import summary_line
from driftline_server.monitoring.actions.settings import DeliverySettings
from driftline_server.monitoring.actions.signing import EVENT_ID_HEADER
from driftline_server.monitoring.actions.validation import recipients


def _smtp_error(error: smtplib.SMTPResponseException, what: str) -> DeliveryError:
    """SMTP says 4xx for "try again later" and 5xx for "never"."""
    said = error.smtp_error.decode("utf-8", "replace") if isinstance(
        error.smtp_error, bytes) else str(error.smtp_error)
    return DeliveryError(f"{what}: SMTP {error.smtp_code} {said}",
                         retryable=400 <= error.smtp_code < 500)


def email_message(event: Mapping, sender: str, to: list[str]) -> EmailMessage:
    """The notification e-mail: the summary line as subject, the details as plain text."""
    message = EmailMessage()
    message["Subject"] = summary_line(event)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if event.get("event_id"):
        message[EVENT_ID_HEADER] = str(event["event_id"])
    message.set_content(email_text(event))
    return message


def send_email(action: Mapping, event: Mapping, *, credentials: Mapping | None, timeout: float,
               settings: DeliverySettings) -> str:
    """Send the notification to the action's address(es), over STARTTLS and with a login when
    the settings say so."""
    if not settings.smtp_host or not settings.smtp_sender:
        raise configuration_error(
            "e-mail notifications need an SMTP server: set the SMTP host and sender address")
    to = recipients(action)
    message = email_message(event, settings.smtp_sender, to)
    server = settings.smtp_host
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(f"{server} refused the SMTP login (SMTP {error.smtp_code})",
                            retryable=False) from error
    except smtplib.SMTPNotSupportedError as error:
        raise configuration_error(f"{server}: {error}") from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise DeliveryError(
            f"{server} refused every recipient: " + "; ".join(
                f"{address} (SMTP {code})" for address, (code, _) in error.recipients.items()),
            retryable=all(400 <= code < 500 for code in codes)) from error
    except smtplib.SMTPResponseException as error:
        raise _smtp_error(error, f"{server} refused the message") from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(f"the TLS certificate of {server} is not valid: "
                            f"{error.verify_message}", retryable=False) from error
    except TimeoutError as error:
        raise DeliveryError(f"{server} did not answer within {timeout:g}s",
                            retryable=True) from error
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(f"could not reach the SMTP server {server}: "
                            f"{str(error) or type(error).__name__}", retryable=True) from error
    if refused:
        # Some got it: a retry resends to them too, which at-least-once delivery allows.
        raise DeliveryError(
            f"{server} accepted {len(to) - len(refused)} of {len(to)} recipients; refused: "
            + "; ".join(f"{address} (SMTP {code})" for address, (code, _) in refused.items()),
            retryable=all(400 <= code < 500 for code, _ in refused.values()))
    return f"e-mail accepted by {server} for {len(to)} recipient(s)"
