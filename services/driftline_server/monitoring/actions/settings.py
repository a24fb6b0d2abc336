"""Server-wide settings of deliveries: the SMTP server, and endpoint overrides for tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeliverySettings:
    """How this server delivers notifications.

    ``allow_http`` lets webhooks and Event Grid topics use plain http:// (tests on loopback);
    production leaves it False so that URLs and secrets only travel over TLS. The endpoint
    overrides point the cloud SDKs at local stand-ins: ``aws_endpoint_url`` (EventBridge and STS,
    e.g. moto's server) and ``gcp_pubsub_endpoint`` ("host:port" of a plaintext gRPC Pub/Sub,
    as the emulator is reached, with anonymous credentials).
    """

    allow_http: bool = False
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_sender: str = ""
    smtp_starttls: bool = True
    aws_endpoint_url: str | None = None
    gcp_pubsub_endpoint: str | None = None
