"""AIP-158 page tokens: opaque base64 of the query's fingerprint and the last sort key seen."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from driftline_server.platform.errors import FieldViolation, InvalidArgument, require

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page:
    size: int
    after: list | None  # the last sort key of the previous page
    query: str


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def parse(page_size: int, page_token: str, query: str) -> Page:
    """The page asked for; INVALID_ARGUMENT for a negative size or a foreign/garbled token."""
    violations = []
    if page_size < 0:
        violations.append(FieldViolation("page_size", "must not be negative"))
    require(violations)
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if not page_token:
        return Page(size, None, query)
    try:
        data = json.loads(base64.urlsafe_b64decode(page_token.encode()))
        if data["q"] != query or not isinstance(data["k"], list):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise InvalidArgument.for_field(
            "page_token", "is not a token returned by this listing: start again without it"
        ) from None
    return Page(size, data["k"], query)


def next_token(page: Page, rows: list, key) -> str:
    """Token after ``rows`` (fetched with limit size + 1); empty when there is no next page."""
    if len(rows) <= page.size:
        return ""
    last = key(rows[page.size - 1])
    return base64.urlsafe_b64encode(json.dumps({"q": page.query, "k": last}).encode()).decode()
