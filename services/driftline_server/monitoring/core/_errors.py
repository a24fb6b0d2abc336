"""Domain errors of the monitoring core."""

from __future__ import annotations


class CoreInputError(ValueError):
    """Raised when inputs to the monitoring core are unusable.

    The message always says what was wrong and how to fix it. It subclasses
    ``ValueError`` so generic callers can still catch it.
    """


class ProfileFormatError(CoreInputError):
    """Raised when serialised profile or detector bytes cannot be read."""
