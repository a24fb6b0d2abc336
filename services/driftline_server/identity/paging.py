"""Keyset pagination of Identity's listings over the platform's page tokens (AIP-158): rows
in (created_at, id) order, the token holding the last pair seen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_

from driftline_server.platform.clock import as_utc
from driftline_server.platform.errors import InvalidArgument
from driftline_server.platform.paging import Page, fingerprint, next_token, parse

__all__ = ["Page", "after", "fingerprint", "next_token", "parse", "sort_key"]


def sort_key(row) -> list:
    """The (created_at, id) sort key of a row, as a token stores it."""
    return [as_utc(row.created_at).isoformat(), row.id]


def after(query, table, last: list | None):
    """``query`` restricted to rows after the previous page's last (created_at, id)."""
    if last is None:
        return query
    try:
        created_at, row_id = datetime.fromisoformat(last[0]), str(last[1])
    except (ValueError, TypeError, IndexError):
        raise InvalidArgument.for_field(
            "page_token", "is damaged: start again without it"
        ) from None
    return query.where(
        or_(table.created_at > created_at, and_(table.created_at == created_at, table.id > row_id))
    )
