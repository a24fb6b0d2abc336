"""Fixtures shared by every suite: a real server per test module (see harness.py)."""

from __future__ import annotations

import os

import pytest

from harness import ServerProcess, _check_postgres, _postgres_url, fresh_database


@pytest.fixture(scope="session", autouse=True)
def _require_postgres_when_asked():
    """In CI the PostgreSQL leg is required: an unreachable server fails, never skips."""
    if _postgres_url():
        _check_postgres(_postgres_url())
    elif os.environ.get("DRIFTLINE_TEST_REQUIRE_POSTGRES") and os.environ.get(
        "DRIFTLINE_TEST_DATABASE_URL"
    ):
        pytest.exit("DRIFTLINE_TEST_DATABASE_URL is set but is not a PostgreSQL URL", returncode=3)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server per test module (all services embedded), stopped after the module."""
    data_dir = tmp_path_factory.mktemp("driftline")
    database = fresh_database(data_dir)
    process = ServerProcess(data_dir, database.url).start()
    try:
        yield process
    finally:
        process.stop()
        database.drop()
