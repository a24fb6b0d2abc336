"""HMAC-SHA256 signatures of generic webhooks, timestamped so that receivers can refuse replays.

The sender signs ``f"{timestamp}.".encode() + body`` with the action's secret and sends
``X-Driftline-Timestamp: <unix seconds>`` and ``X-Driftline-Signature: sha256=<hex>``; a receiver
recomputes the signature over the raw body it got and refuses timestamps too far from its clock.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Driftline-Timestamp"
SIGNATURE_HEADER = "X-Driftline-Signature"
EVENT_ID_HEADER = "X-Driftline-Event-Id"
SIGNATURE_SCHEME = "sha256="
# How far a receiver lets the timestamp be from its own clock (replay window, clock skew).
DEFAULT_TOLERANCE_SECONDS = 300


def sign_webhook(secret: str, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}.".encode() + body`` under ``secret``."""
    message = f"{int(timestamp)}.".encode() + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """The timestamp and signature headers of one webhook request."""
    return {
        TIMESTAMP_HEADER: str(int(timestamp)),
        SIGNATURE_HEADER: SIGNATURE_SCHEME + sign_webhook(secret, body, timestamp),
    }


def verify_webhook(
    secret: str,
    body: bytes,
    timestamp_header: str,
    signature_header: str,
    *,
    now: int | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """The receiver's check: True when ``signature_header`` (``sha256=<hex>``) signs this exact
    body and timestamp, and the timestamp is within ``tolerance_seconds`` of ``now``."""
    try:
        timestamp = int(timestamp_header.strip())
    except (AttributeError, ValueError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return False
    if not isinstance(signature_header, str) or not signature_header.startswith(SIGNATURE_SCHEME):
        return False
    expected = sign_webhook(secret, body, timestamp)
    received = signature_header[len(SIGNATURE_SCHEME):].strip().lower()
    # Constant time, so that the comparison does not tell an attacker how much they got right.
    return hmac.compare_digest(expected.encode("ascii"), received.encode("ascii", "replace"))
