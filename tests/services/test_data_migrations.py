"""Data's schema history: the migrations build exactly the tables of models.py and go down and
up again (Jobs' 0002, which adds structured failure details, is checked in its own suite)."""

from __future__ import annotations

import pytest

from driftline_server.platform import migrations
from harness import fresh_database

TABLES = {"data_batches", "data_samples"}


@pytest.fixture
def empty_database(tmp_path):
    database = fresh_database(tmp_path)
    yield database.url
    database.drop()


def test_migrations_build_exactly_the_models(empty_database):
    migrations.upgrade("data", empty_database)
    assert migrations.owned_tables("data", empty_database) == TABLES
    assert migrations.schema_differences("data", empty_database) == []


def test_downgrade_to_base_and_upgrade_again(empty_database):
    migrations.upgrade("data", empty_database)
    migrations.downgrade("data", empty_database, "base")
    assert migrations.owned_tables("data", empty_database) == set()
    migrations.upgrade("data", empty_database)
    assert migrations.schema_differences("data", empty_database) == []
