"""AIP-158 pagination, one implementation for every List RPC.

A page token is opaque to clients: base64 of the query's fingerprint and the sort key of the last
row served. Listings are keyset-paged, most on (creation time, id), so a page never repeats or
skips a row even when rows are added between two pages. A token is only valid for the query
that produced it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from driftline_server.platform.clock import as_utc
from driftline_server.platform.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page:
    size: int
    after: list | None  # the sort key of the previous page's last row
    query: str


def fingerprint(*parts: object) -> str:
    """A short digest naming one query (the listing and its filters)."""
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def _bad_token() -> InvalidArgument:
    return InvalidArgument.for_field(
        "page_token",
        "is not a token returned by this listing: start again without it",
        "INVALID_PAGE_TOKEN",
    )


def parse(page_size: int, page_token: str, query: str) -> Page:
    """The page asked for; INVALID_ARGUMENT for a negative size or a foreign/garbled token."""
    if page_size < 0:
        raise InvalidArgument.for_field(
            "page_size",
            f"must not be negative (0 means the default of {DEFAULT_PAGE_SIZE})",
            "INVALID_PAGE_SIZE",
        )
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if not page_token:
        return Page(size, None, query)
    try:
        data = json.loads(base64.urlsafe_b64decode(page_token.encode()))
        if data["q"] != query or not isinstance(data["k"], list):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise _bad_token() from None
    return Page(size, data["k"], query)


def next_token(page: Page, rows: list, key) -> str:
    """Token after ``rows`` (fetched with limit size + 1); empty when there is no next page."""
    if len(rows) <= page.size:
        return ""
    last = key(rows[page.size - 1])
    return base64.urlsafe_b64encode(json.dumps({"q": page.query, "k": last}).encode()).decode()


def by_time_and_id(statement, page: Page, time_column, id_column, descending: bool = False):
    """``statement`` ordered by (time, id), oldest first (newest first when ``descending``),
    continuing after the page's key, with one row more than the page holds (so
    ``time_and_id_page`` can tell whether another page follows)."""
    if page.after is not None:
        try:
            time, last_id = as_utc(datetime.fromisoformat(page.after[0])), str(page.after[1])
        except (ValueError, TypeError, IndexError):
            raise _bad_token() from None
        if descending:
            statement = statement.where(
                sa.or_(time_column < time, sa.and_(time_column == time, id_column < last_id)))
        else:
            statement = statement.where(
                sa.or_(time_column > time, sa.and_(time_column == time, id_column > last_id)))
    order = (time_column.desc(), id_column.desc()) if descending else (time_column, id_column)
    return statement.order_by(*order).limit(page.size + 1)


def time_and_id_page(page: Page, rows: list, time_field: str = "create_time") -> tuple[list, str]:
    """The page's rows and the next page's token, for a ``by_time_and_id`` query."""
    return list(rows[: page.size]), next_token(
        page, rows, lambda row: [as_utc(getattr(row, time_field)).isoformat(), row.id]
    )
