"""AIP-158 pages: opaque tokens holding the query's fingerprint and the last sort key seen.

Every listing is ordered by (create_time, id), so a page never repeats or skips a row even when
rows are added meanwhile.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from driftline_server.platform.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page:
    size: int
    after: tuple[datetime, str] | None
    query: str


def _fingerprint(parts: tuple) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def parse(page_size: int, page_token: str, *query: object) -> Page:
    """The page asked for; INVALID_ARGUMENT for a negative size or a token of another query."""
    if page_size < 0:
        raise InvalidArgument.for_field(
            "page_size", "must not be negative (0 means the default of 50)", "INVALID_PAGE_SIZE"
        )
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    fingerprint = _fingerprint(query)
    if not page_token:
        return Page(size, None, fingerprint)
    try:
        data = json.loads(base64.urlsafe_b64decode(page_token.encode()))
        if data["q"] != fingerprint:
            raise ValueError("token of another query")
        time = datetime.fromisoformat(data["t"])
        after = (time if time.tzinfo else time.replace(tzinfo=UTC), str(data["i"]))
    except (ValueError, KeyError, TypeError):
        raise InvalidArgument.for_field(
            "page_token",
            "is not a token returned by this listing: start again without it",
            "INVALID_PAGE_TOKEN",
        ) from None
    return Page(size, after, fingerprint)


def apply(statement, page: Page, table):
    """Order by (create_time, id), continue after the page's key, fetch one row more than needed."""
    if page.after is not None:
        time, last_id = page.after
        statement = statement.where(
            sa.or_(
                table.create_time > time,
                sa.and_(table.create_time == time, table.id > last_id),
            )
        )
    return statement.order_by(table.create_time, table.id).limit(page.size + 1)


def split(page: Page, rows: list) -> tuple[list, str]:
    """The page's rows and the next page's token (empty at the end)."""
    if len(rows) <= page.size:
        return rows, ""
    rows = rows[: page.size]
    last = rows[-1]
    time = last.create_time if last.create_time.tzinfo else last.create_time.replace(tzinfo=UTC)
    token = json.dumps({"q": page.query, "t": time.isoformat(), "i": last.id})
    return rows, base64.urlsafe_b64encode(token.encode()).decode()
