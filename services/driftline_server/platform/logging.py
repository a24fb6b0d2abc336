"""structlog set up to write one JSON object per line to stderr; secrets never reach it."""

from __future__ import annotations

import logging
import sys

import structlog

# Keys whose values are replaced before a line is written, wherever they appear.
_SECRET_KEYS = frozenset(
    {"api_key", "authorization", "password", "secret", "secret_key", "token", "internal_token",
     "credentials", "service_account_json", "service_principal_json", "secret_access_key"}
)


def _redact_secrets(_logger, _name, event_dict):
    for key in list(event_dict):
        if key.lower() in _SECRET_KEYS:
            event_dict[key] = "[redacted]"
    return event_dict


def configure(level: str = "info", stream=None) -> None:
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"log level '{level}' is not one of debug, info, warning, error")
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redact_secrets,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.WriteLoggerFactory(file=stream or sys.stderr),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str):
    return structlog.get_logger(name)
