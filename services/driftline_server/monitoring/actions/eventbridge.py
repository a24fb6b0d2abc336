"""Delivery to an AWS EventBridge event bus, with boto3."""

from __future__ import annotations

from collections.abc import Mapping

from driftline_server.monitoring.actions.credentials import require_credentials
from driftline_server.monitoring.actions.errors import (
    DeliveryError,
    configuration_error,
    http_status_is_retryable,
)
from driftline_server.monitoring.actions.payloads import event_json
from driftline_server.monitoring.actions.settings import DeliverySettings

EVENT_SOURCE = "driftline"
EVENT_DETAIL_TYPE = "Driftline detection event"
ROLE_SESSION_NAME = "driftline-notifications"
ROLE_SESSION_SECONDS = 900  # the shortest STS allows: one delivery needs minutes at most
# Error codes that say "later", whatever the HTTP status that carried them.
_TRANSIENT_CODES = {"InternalFailure", "InternalException", "ServiceUnavailable",
                    "ThrottlingException", "Throttling", "RequestLimitExceeded"}


def _client_error(error, what: str) -> DeliveryError:
    details = error.response.get("Error", {})
    code = details.get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return DeliveryError(
        f"{what}: {code or 'HTTP ' + str(status)} {details.get('Message', '')}".rstrip(),
        retryable=code in _TRANSIENT_CODES or http_status_is_retryable(status))


def send_event_bridge(action: Mapping, event: Mapping, *, credentials: Mapping | None,
                      timeout: float, settings: DeliverySettings) -> str:
    """Put the event's JSON document on the action's event bus (Source "driftline", DetailType
    "Driftline detection event"). With a ``role_arn`` the role is assumed through STS first,
    from the credentials' access keys when they have some, else from Driftline's own AWS
    identity (the environment)."""
    import boto3
    from botocore import exceptions as aws_errors
    from botocore.config import Config

    found = require_credentials(credentials, action, "EventBridge", ("AWS", "AWS_COMPATIBLE"))
    role_arn = found.get("role_arn")
    if not role_arn and not (found.get("access_key_id") and found.get("secret_access_key")):
        raise configuration_error(
            f"integration credentials {action.get('credentials_id')!r} have neither access keys "
            "nor a role to assume")
    region, bus = action["aws_region_name"], action["event_bus_name"]
    # AWS_COMPATIBLE credentials may name the endpoint of their AWS-compatible service.
    endpoint = settings.aws_endpoint_url or found.get("endpoint_url") or None
    # One attempt: the caller owns retries and backoff, and the timeout must bound the call.
    config = Config(connect_timeout=timeout, read_timeout=timeout,
                    retries={"total_max_attempts": 1, "mode": "standard"})
    session = boto3.session.Session(
        aws_access_key_id=found.get("access_key_id") or None,
        aws_secret_access_key=found.get("secret_access_key") or None,
        aws_session_token=found.get("session_token") or None,
        region_name=region,
    )
    step = "EventBridge"
    try:
        if role_arn:
            step = f"assuming the role {role_arn}"
            sts = session.client("sts", endpoint_url=endpoint, config=config)
            assume = {"RoleArn": role_arn, "RoleSessionName": ROLE_SESSION_NAME,
                      "DurationSeconds": ROLE_SESSION_SECONDS}
            if found.get("external_id"):
                assume["ExternalId"] = found["external_id"]
            role = sts.assume_role(**assume)["Credentials"]
            session = boto3.session.Session(
                aws_access_key_id=role["AccessKeyId"],
                aws_secret_access_key=role["SecretAccessKey"],
                aws_session_token=role["SessionToken"],
                region_name=region,
            )
            step = "EventBridge"
        events = session.client("events", endpoint_url=endpoint, config=config)
        answer = events.put_events(Entries=[{
            "Source": EVENT_SOURCE,
            "DetailType": EVENT_DETAIL_TYPE,
            "Detail": event_json(event).decode("utf-8"),
            "EventBusName": bus,
        }])
    except aws_errors.ClientError as error:
        raise _client_error(error, f"{step} refused") from error
    except (aws_errors.NoCredentialsError, aws_errors.PartialCredentialsError,
            aws_errors.ParamValidationError, aws_errors.NoRegionError) as error:
        raise configuration_error(f"{step}: {error}") from error
    except aws_errors.BotoCoreError as error:  # connection refused, timeouts, DNS
        raise DeliveryError(f"{step}: {error}", retryable=True) from error
    entry = (answer.get("Entries") or [{}])[0]
    if answer.get("FailedEntryCount", 0) > 0 or "ErrorCode" in entry:
        code = entry.get("ErrorCode", "")
        raise DeliveryError(f"EventBridge did not accept the event on bus {bus}: {code} "
                            f"{entry.get('ErrorMessage', '')}".rstrip(),
                            retryable=code in _TRANSIENT_CODES)
    return f"EventBridge accepted event {entry.get('EventId', '?')} on bus {bus} ({region})"
