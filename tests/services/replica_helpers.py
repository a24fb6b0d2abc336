"""Two Driftline servers (replicas) on one PostgreSQL database, and one user's clients through
each: the fixtures of the replica suites (PostgreSQL leg only)."""

from __future__ import annotations

import secrets

import pytest
from cryptography.fernet import Fernet

import driftline
from conftest import make_company
from harness import ServerProcess, _postgres_url, fresh_database

needs_postgres = pytest.mark.skipif(
    _postgres_url() is None,
    reason="replicas share a PostgreSQL database: set DRIFTLINE_TEST_DATABASE_URL",
)


# The fixtures' functions have names of their own, so that a suite can import them beside the
# tests that take the fixtures by name.
@pytest.fixture(scope="module", name="replicas")
def replicas_fixture(tmp_path_factory):
    root = tmp_path_factory.mktemp("replicas")
    database = fresh_database(root)
    # Replicas share the database, the keys and where batches are stored.
    shared = {"DRIFTLINE_INTERNAL_TOKEN": secrets.token_urlsafe(32),
              "DRIFTLINE_SECRET_KEY": Fernet.generate_key().decode(),
              "DRIFTLINE_DATA_STORAGE": str(root / "data")}
    processes = []
    try:
        for name in ("a", "b"):  # one after the other: the first one migrates the database
            (root / name).mkdir()
            processes.append(ServerProcess(root / name, database.url, shared).start())
        yield processes
    finally:
        for process in processes:
            process.stop()
        database.drop()


@pytest.fixture(scope="module", name="clients")
def clients_fixture(replicas):
    a, b = replicas
    company = make_company(a, "Replicas")
    owner_a = company.owner
    api_key = dict(owner_a.stubs.metadata)["authorization"].removeprefix("Bearer ")
    owner_b = driftline.Client(b.address, api_key)  # the same user, through the other replica
    project_id = owner_a.create_project(name="replicated", description="")
    yield owner_a, owner_b, project_id
    owner_b.close()
    company.close()
