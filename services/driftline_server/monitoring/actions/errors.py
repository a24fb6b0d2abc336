"""The one exception deliveries raise, and the rule that says which failures are worth a retry."""

from __future__ import annotations


class DeliveryError(Exception):
    """A delivery failed.

    ``retryable`` is True for timeouts, connection errors, HTTP 408/429/5xx and SMTP 4xx answers;
    False for other 4xx answers, bad configuration and refused authentication. ``retry_after`` is
    the wait in seconds the endpoint asked for (HTTP ``Retry-After``), when it said.
    """

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"DeliveryError({self.message!r}, retryable={self.retryable})"


def http_status_is_retryable(status: int) -> bool:
    """Whether an HTTP answer may succeed later: timeouts, throttling and server errors."""
    return status in (408, 429) or status >= 500


def configuration_error(message: str) -> DeliveryError:
    """A failure that no retry can fix until someone changes the action or the settings."""
    return DeliveryError(message, retryable=False)
