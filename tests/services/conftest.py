"""Fixtures every service suite shares: companies with members of each role, on the module's
server (tests/conftest.py). Users get API keys through IdentityService itself, as in real use.

    def test_something(company, other_company):
        company.owner.create_project(...)          # COMPANY_OWNER, created the company
        viewer = company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"})
        other_company.create_project(...)          # the owner of an isolated second company
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import pytest

import driftline

AUTH_CACHE_SECONDS = 2.0
TEMPORARY_PASSWORD = "Temporary-password-1"


def wait_for_auth_cache() -> None:
    """Sleep just past the services' API-key cache, after changing keys or roles."""
    time.sleep(AUTH_CACHE_SECONDS + 0.3)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Company:
    """A company on the module's server: ``owner``, ``admin`` and ``user`` are Clients (each with
    a ``user_id`` attribute); ``member(...)`` makes more."""

    address: str
    company_id: str
    owner: driftline.Client | None
    admin: driftline.Client | None = None
    user: driftline.Client | None = None
    _clients: list = field(default_factory=list)

    def client(self, api_key: str, user_id: str) -> driftline.Client:
        client = driftline.Client(self.address, api_key)
        client.user_id = user_id
        self._clients.append(client)
        return client

    def member(
        self,
        role: str = "COMPANY_USER",
        project_roles: dict[str, str] | None = None,
        username: str | None = None,
    ) -> driftline.Client:
        """A new user of this company with ``role`` (and project roles), signed in with a
        fresh API key. The returned Client has ``user_id`` and ``username`` attributes."""
        username = username or unique(role.lower().replace("company_", ""))
        user_id = self.owner.create_company_user(
            name="Test",
            surname=role.title(),
            username=username,
            password=TEMPORARY_PASSWORD,
            email=f"{username}@example.com",
            company_role=role,
        )
        for project_id, project_role in (project_roles or {}).items():
            self.owner.add_user_project_role(user_id, project_id, project_role)
        api_key = self.owner.create_user_api_key(user_id, "tests", "NEVER")
        client = self.client(api_key, user_id)
        client.username = username
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()


def make_company(server, name: str = "Acme") -> Company:
    """A fresh company: its owner made by `driftline-server admin create-user`."""
    email = f"{unique('owner')}@example.com"
    owner_id, api_key = server.create_user(email)
    with driftline.Client(server.address, api_key) as founder:
        company_id = founder.create_company(name=name, address="1 Main Street", vat="IT12345678901")
        # Other services cache a key's roles for 2 s, and this key was seen without a company:
        # the owner continues with a fresh key instead of waiting.
        owner_key = founder.create_api_key("tests", "NEVER")
    company = Company(address=server.address, company_id=company_id, owner=None)
    company.owner = company.client(owner_key, owner_id)
    company.admin = company.member("COMPANY_ADMIN")
    company.user = company.member("COMPANY_USER")
    return company


@pytest.fixture(scope="module")
def company(server):
    """A company with an owner, an admin and a user (no project roles)."""
    made = make_company(server, "Acme")
    yield made
    made.close()


@pytest.fixture(scope="module")
def owner(company):
    """The company's owner, a Client."""
    return company.owner


@pytest.fixture(scope="module")
def project_id(owner, new_project):
    """A project of the company, made by its owner."""
    return new_project(owner)


@pytest.fixture(scope="module")
def company_factory(server):
    """``company_factory(name) -> Company``: another fresh company (closed after the module)."""
    made: list[Company] = []

    def make(name: str = "Extra") -> Company:
        made.append(make_company(server, name))
        return made[-1]

    yield make
    for company in made:
        company.close()


@pytest.fixture(scope="module")
def other_company(server):
    """The owner Client of a second company that must never see the first one's resources."""
    made = make_company(server, "Globex")
    yield made.owner
    made.close()


@pytest.fixture(scope="module")
def new_project():
    """``new_project(client, name=None) -> project_id``: a Catalog project made by ``client``."""

    def make(client: driftline.Client, name: str | None = None) -> str:
        return client.create_project(name=name or unique("project"), description="made by a test")

    return make


@pytest.fixture(scope="module")
def database(server):
    """A synchronous SQLAlchemy engine on the module server's database, to look at rows."""
    from sqlalchemy import create_engine, pool

    from driftline_server.platform.database import sync_url

    engine = create_engine(sync_url(server.database_url), poolclass=pool.NullPool)
    yield engine
    engine.dispose()


def stored_credentials(server, database, ids: list[str]) -> tuple[list[dict], object]:
    """The identity_integration_credentials rows of ``ids`` as stored, and the server's key to
    open their secrets (to check that nothing is in clear and what is encrypted)."""
    from cryptography.fernet import Fernet
    from sqlalchemy import text

    with database.connect() as connection:
        rows = connection.execute(
            text("SELECT * FROM identity_integration_credentials")).mappings().all()
    return ([dict(r) for r in rows if r["id"] in ids],
            Fernet((server.data_dir / "secret.key").read_text().strip()))
