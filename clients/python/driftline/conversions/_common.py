"""What every service's conversions share: times, JSON objects and enums."""

from __future__ import annotations

from datetime import datetime, timezone

from google.protobuf import struct_pb2, timestamp_pb2


def to_datetime(stamp: timestamp_pb2.Timestamp) -> datetime | None:
    """A Timestamp as an aware UTC datetime; None when unset (the epoch's zero)."""
    if not stamp.seconds and not stamp.nanos:
        return None
    return stamp.ToDatetime(tzinfo=timezone.utc)


def to_timestamp(moment: datetime | None) -> timestamp_pb2.Timestamp | None:
    """A datetime (naive ones taken as UTC) as a Timestamp; None stays None (the field unset)."""
    if moment is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
    return stamp


def to_struct(values: dict | None) -> struct_pb2.Struct | None:
    if values is None:
        return None
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


def text_or_none(text: str) -> str | None:
    """A proto3 string, None when empty (an unset optional text)."""
    return text or None
