"""Lazy pagination over List RPCs (AIP-158): one page is fetched only when it is needed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

Item = TypeVar("Item")


def paginate(fetch_page: Callable[[str], tuple[list[Item], str]]) -> Iterator[Item]:
    """Yield items page by page. ``fetch_page(token)`` returns ``(items, next_page_token)``;
    an empty next token ends the listing."""
    token = ""
    while True:
        items, token = fetch_page(token)
        yield from items
        if not token:
            return
