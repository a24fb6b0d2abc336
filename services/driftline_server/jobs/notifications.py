"""LISTEN/NOTIFY: with several Jobs replicas on PostgreSQL, each learns at once that another
committed events (the feed then reads them from the log). Reconnects on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.engine import make_url

from driftline_server.jobs.events import NOTIFY_CHANNEL
from driftline_server.platform.logging import get_logger

_log = get_logger("driftline.jobs.notifications")


def psycopg_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as a libpq URI."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False
    )


class PostgresListener:
    def __init__(self, database_url: str, on_notify: Callable[[], None]):
        self._conninfo = psycopg_conninfo(database_url)
        self._on_notify = on_notify
        self._task: asyncio.Task | None = None
        self._listening = asyncio.Event()

    async def start(self, timeout: float = 10.0) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="jobs-listen")
        await asyncio.wait_for(self._listening.wait(), timeout)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen_forever(self) -> None:
        import psycopg

        delay = 0.5
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                )
                async with connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._listening.set()
                    delay = 0.5
                    # Events may have been committed while we were not listening.
                    self._on_notify()
                    async for _ in connection.notifies():
                        self._on_notify()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                _log.warning("listen_failed", error=str(error), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
