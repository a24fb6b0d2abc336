"""The asyncio pager: ``Pager``'s arguments and behaviour, as an async iterator."""

from __future__ import annotations

from collections.abc import AsyncIterator

from driftline._pagination import Item, PagerBase


class AsyncPager(PagerBase[Item]):
    """Iterate the items of a List RPC page by page, from an event loop: ``Pager`` with
    ``async for`` and ``anext``. ``call`` is the asyncio transport's (a coroutine function). An
    async iterator consumed once, like the sync pager: call the listing again to start over.

    Example:
        >>> jobs = client.iter_jobs(project_id=project_id, page_size=100, limit=250)
        >>> (await anext(jobs)).job_id
        >>> [job.job_id async for job in jobs]
    """

    _cursor: AsyncIterator[Item] | None = None

    async def _items_of_every_page(self) -> AsyncIterator[Item]:
        remaining = self._limit
        request = self._first_request()
        while remaining is None or remaining > 0:
            response = await self._call(self._method, request, idempotent=True)
            items, remaining = self._page(response, remaining)
            for item in items:
                yield item
            if not response.next_page_token:
                return
            request.page_token = response.next_page_token

    def __aiter__(self) -> AsyncPager[Item]:
        return self

    async def __anext__(self) -> Item:
        if self._cursor is None:
            self._cursor = self._items_of_every_page()
        return await anext(self._cursor)
