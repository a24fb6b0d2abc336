"""Time and ids as every service stores them: timezone-aware UTC, opaque hex ids."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime | None:
    """Stored times come back naive from SQLite: they are UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def to_timestamp(moment: datetime | None):
    """A stored time as a google.protobuf.Timestamp (None stays unset)."""
    from google.protobuf.timestamp_pb2 import Timestamp

    if moment is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(as_utc(moment))
    return stamp


def time_from_proto(message, field_name: str) -> datetime | None:
    """A request's Timestamp field as an aware UTC datetime; None when it is unset."""
    if not message.HasField(field_name):
        return None
    return as_utc(getattr(message, field_name).ToDatetime())
