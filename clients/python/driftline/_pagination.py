"""The client's one pager over List RPCs (AIP-158): lazy, a page fetched only when iteration
needs it, with an optional page size and a limit on the items yielded.

Every listing of the client is a ``Pager``: the SDK's ``get_*`` listings return ``list(pager)``,
their ``iter_*`` twins (and the listings of Driftline's own resources, which can be large) the
pager itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Item = TypeVar("Item")


class PagerBase(Generic[Item]):
    """What ``Pager`` and the asyncio ``AsyncPager`` (driftline.aio) share, none of it I/O: the
    arguments, the first request of an iteration and what a page yields."""

    def __init__(self, call: Callable, method, request, items: str,
                 convert: Callable[[object], Item] | None = None, *,
                 page_size: int | None = None, limit: int | None = None,
                 page_token: str = ""):
        if page_size is not None and page_size < 0:
            raise ValueError("page_size must be 0 (the server's default) or more")
        if limit is not None and limit < 0:
            raise ValueError("limit must be None (every item) or 0 or more")
        self._call = call
        self._method = method
        self._request = request
        self._items = items
        self._convert = convert
        self._page_size = page_size
        self._limit = limit
        self._page_token = page_token

    def _first_request(self):
        """A copy of the request, from the starting page, with the page size asked."""
        request = type(self._request)()
        request.CopyFrom(self._request)
        request.page_token = self._page_token
        if self._page_size:
            request.page_size = self._page_size if self._limit is None \
                else min(self._page_size, max(self._limit, 1))
        return request

    def _page(self, response, remaining: int | None) -> tuple[list[Item], int | None]:
        """The items of a page to yield, and how many may still be yielded after them."""
        page = getattr(response, self._items)
        messages = page if remaining is None else page[:remaining]
        items = [self._convert(m) for m in messages] if self._convert else list(messages)
        return items, None if remaining is None else remaining - len(items)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self._method!r}, page_size={self._page_size}, "
                f"limit={self._limit})")


class Pager(PagerBase[Item]):
    """Iterate the items of a List RPC page by page.

    ``call(method, request, idempotent=True)`` is the client's transport; ``items`` names the
    response's repeated field; ``convert`` turns each message into the client's result;
    ``page_size`` asks the server for pages of that size (0 or None: its default);
    ``limit`` stops after that many items (None: all); ``page_token`` starts from a page a
    listing returned before. A pager is an iterator, consumed once, like a generator: call the
    listing again to start over. The request given is not changed.

    Example:
        >>> jobs = client.iter_jobs(project_id=project_id, page_size=100, limit=250)
        >>> next(jobs).job_id
    """

    _cursor: Iterator[Item] | None = None

    def __iter__(self) -> Pager[Item]:
        return self

    def __next__(self) -> Item:
        if self._cursor is None:
            self._cursor = self._items_of_every_page()
        return next(self._cursor)

    def _items_of_every_page(self) -> Iterator[Item]:
        remaining = self._limit
        request = self._first_request()
        while remaining is None or remaining > 0:
            response = self._call(self._method, request, idempotent=True)
            items, remaining = self._page(response, remaining)
            yield from items
            if not response.next_page_token:
                return
            request.page_token = response.next_page_token
