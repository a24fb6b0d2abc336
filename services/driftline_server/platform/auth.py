"""API-key authentication for every service, with a short cache in front of IdentityService.

Services never read Identity's tables: they ask IdentityService over gRPC (through a
``resolve`` function) and remember the answer for ``ttl_seconds``, so a deleted or expired key
keeps working for at most that long anywhere in the suite.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from driftline_server.platform.roles import Caller

Resolve = Callable[[str], Awaitable[Caller]]


class Authenticator:
    def __init__(self, resolve: Resolve, ttl_seconds: float = 2.0, max_entries: int = 10_000):
        self._resolve = resolve
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        # Keyed by a digest, so raw keys are not kept in memory longer than one call.
        self._cache: OrderedDict[bytes, tuple[float, Caller]] = OrderedDict()

    async def authenticate(self, api_key: str, fresh: bool = False) -> tuple[Caller, bool]:
        """(the caller owning ``api_key``, whether the answer came from the cache); raises
        ``Unauthenticated`` when the key is not valid. ``fresh`` skips the cache."""
        digest = hashlib.sha256(api_key.encode()).digest()
        now = time.monotonic()
        cached = self._cache.get(digest)
        if not fresh and cached is not None and cached[0] > now:
            self._cache.move_to_end(digest)
            return cached[1], True
        caller = await self._resolve(api_key)  # raises Unauthenticated; failures are not cached
        if self._ttl > 0:
            self._cache[digest] = (now + self._ttl, caller)
            self._cache.move_to_end(digest)
            while len(self._cache) > self._max_entries:
                self._cache.popitem(last=False)
        return caller, False

    def forget_all(self) -> None:
        self._cache.clear()
