"""The metadata database as the services use it: on SQLite, concurrent read-then-write
transactions wait for each other instead of failing with "database is locked"."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from driftline_server.platform.database import Database


def test_concurrent_read_then_write_transactions_all_commit(tmp_path):
    """Fifty transactions each read a counter, yield, and write it back plus one: deferred
    SQLite transactions whose snapshot went stale would fail; all must commit, none lost."""

    async def run() -> int:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'counter.db'}", pool_size=10)
        try:
            async with database.transaction() as session:
                connection = await session.connection()
                await connection.exec_driver_sql(
                    "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
                await connection.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")

            async def bump() -> None:
                async with database.transaction() as session:
                    connection = await session.connection()
                    n = (await connection.execute(
                        sa.text("SELECT n FROM counter WHERE id = 1"))).scalar_one()
                    await asyncio.sleep(0.005)  # another transaction's turn, if it may
                    await connection.execute(sa.text("UPDATE counter SET n = :n WHERE id = 1"),
                                             {"n": n + 1})

            await asyncio.gather(*(bump() for _ in range(50)))
            async with database.reading() as session:
                connection = await session.connection()
                return (await connection.execute(sa.text("SELECT n FROM counter"))).scalar_one()
        finally:
            await database.close()

    assert asyncio.run(run()) == 50


def test_a_failed_transaction_leaves_nothing(tmp_path):
    async def run() -> int:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'undo.db'}")
        try:
            async with database.transaction() as session:
                connection = await session.connection()
                await connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
            try:
                async with database.transaction() as session:
                    connection = await session.connection()
                    await connection.exec_driver_sql("INSERT INTO t VALUES (1)")
                    raise RuntimeError("undo")
            except RuntimeError:
                pass
            async with database.reading() as session:
                connection = await session.connection()
                return (await connection.execute(sa.text("SELECT count(*) FROM t"))).scalar_one()
        finally:
            await database.close()

    assert asyncio.run(run()) == 0
