"""Delivery to a GCP Pub/Sub topic, with the official google-cloud-pubsub publisher."""

from __future__ import annotations

from collections.abc import Mapping

from driftline_server.monitoring.actions.credentials import require_credentials
from driftline_server.monitoring.actions.errors import DeliveryError, configuration_error
from driftline_server.monitoring.actions.payloads import event_json
from driftline_server.monitoring.actions.settings import DeliverySettings

PUBSUB_SCOPE = "https://www.googleapis.com/auth/pubsub"
# Event fields copied into the message's attributes, so that subscriptions can filter on them.
ATTRIBUTE_FIELDS = ("event_type", "task_id")


def _publisher(credentials: Mapping, settings: DeliverySettings):
    """A PublisherClient for the service account, or, with an endpoint override, for a
    plaintext local stand-in (the emulator's way: no TLS, anonymous)."""
    import grpc
    from google.cloud import pubsub_v1
    from google.oauth2 import service_account
    from google.pubsub_v1.services.publisher.transports import PublisherGrpcTransport

    if settings.gcp_pubsub_endpoint:
        channel = grpc.insecure_channel(settings.gcp_pubsub_endpoint)
        return pubsub_v1.PublisherClient(transport=PublisherGrpcTransport(channel=channel))
    try:
        account = service_account.Credentials.from_service_account_info(
            credentials["service_account_info"], scopes=[PUBSUB_SCOPE])
    except (ValueError, KeyError, TypeError) as error:
        raise configuration_error(f"the service account of the GCP credentials is not usable: "
                                  f"{error}") from error
    return pubsub_v1.PublisherClient(credentials=account)


def _retryable(error) -> bool:
    from google.api_core import exceptions as google_errors

    return isinstance(error, (google_errors.ServerError, google_errors.TooManyRequests,
                              google_errors.Aborted, google_errors.Cancelled))


def send_pubsub(action: Mapping, event: Mapping, *, credentials: Mapping | None, timeout: float,
                settings: DeliverySettings) -> str:
    """Publish the event's JSON document on the action's topic (attributes: event_type,
    task_id) and wait for its message id."""
    from google.api_core import exceptions as google_errors
    from google.auth import exceptions as auth_errors

    found = require_credentials(credentials, action, "Pub/Sub", ("GCP",), "service_account_info")
    client = _publisher(found, settings)
    topic = client.topic_path(action["project_id"], action["topic_name"])
    attributes = {name: str(event[name]) for name in ATTRIBUTE_FIELDS if event.get(name)}
    try:
        # No retry of the SDK's own: the caller owns retries, and the timeout must bound this.
        future = client.publish(topic, event_json(event), retry=None, timeout=timeout,
                                **attributes)
        message_id = future.result(timeout=timeout)
    except TimeoutError as error:
        raise DeliveryError(f"Pub/Sub did not confirm the message on {topic} within "
                            f"{timeout:g}s", retryable=True) from error
    except google_errors.GoogleAPICallError as error:
        raise DeliveryError(f"Pub/Sub refused the message on {topic}: {error.message}",
                            retryable=_retryable(error)) from error
    except auth_errors.RefreshError as error:
        raise DeliveryError(f"GCP refused the service account: {error}",
                            retryable=bool(getattr(error, "retryable", False))) from error
    except auth_errors.GoogleAuthError as error:  # the token endpoint could not be reached
        raise DeliveryError(f"could not authenticate with GCP: {error}",
                            retryable=True) from error
    finally:
        client.stop()
        client.transport.close()
    return f"Pub/Sub message {message_id} published on {topic}"
