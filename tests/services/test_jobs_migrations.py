"""Jobs' schema history: the event log never hands out a sequence number twice (the migrations
themselves are checked for every service in test_migrations.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, delete, insert, pool, select

from driftline_server.jobs import models
from driftline_server.platform import migrations
from driftline_server.platform.database import sync_url
from harness import fresh_database

@pytest.fixture
def empty_database(tmp_path):
    database = fresh_database(tmp_path)
    yield database.url
    database.drop()


def _engine(url: str):
    return create_engine(sync_url(url), poolclass=pool.NullPool)


def test_sequence_numbers_are_never_reused(empty_database):
    migrations.upgrade("jobs", empty_database)
    table = models.JobEventRow.__table__
    row = dict(job_id="j", job_type="diagnostics", event_type="PROGRESS", status="RUNNING",
               progress_fraction=0.0, progress_message="", attempt=1, message="",
               company_id="c", event_time=datetime.now(timezone.utc))
    engine = _engine(empty_database)
    try:
        with engine.begin() as connection:
            first = connection.execute(insert(table).values(**row)).inserted_primary_key[0]
            second = connection.execute(insert(table).values(**row)).inserted_primary_key[0]
            connection.execute(delete(table).where(table.c.sequence == second))
            third = connection.execute(insert(table).values(**row)).inserted_primary_key[0]
            assert first < second < third
            assert connection.execute(select(table.c.sequence)).scalars().all() == [first, third]
    finally:
        engine.dispose()
