"""Administration without a running server: the first user of a fresh installation, and the
companies' subscription plans."""

from __future__ import annotations

import asyncio

from driftline_server.identity.accounts import Accounts
from driftline_server.identity.common import ApiKeyExpiration, ProjectInfo
from driftline_server.identity.plans import Plans
from driftline_server.platform import migrations
from driftline_server.platform.config import Settings
from driftline_server.platform.database import Database


class _NoProjects:
    """Creating a user needs no project; nothing here asks Catalog."""

    async def get_project(self, project_id: str) -> ProjectInfo | None:
        return None

    async def list_company_projects(self, company_id: str) -> list[ProjectInfo]:
        return []


async def create_user(
    settings: Settings, email: str, name: str, surname: str, username: str | None = None
) -> tuple[str, str]:
    """Create a user with no company and a never-expiring first API key: (user_id, api_key).

    Raises AlreadyExists for a taken e-mail or username, InvalidArgument for bad values.
    """
    await asyncio.to_thread(migrations.upgrade, "identity", settings.database_url)
    database = Database(settings.database_url, pool_size=1)
    try:
        accounts = Accounts(database, _NoProjects())
        user, issued = await accounts.create_user(
            email, name, surname, username, expiration=ApiKeyExpiration.NEVER
        )
    finally:
        await database.close()
    return user.id, issued.secret


async def _with_plans(settings: Settings, work):
    await asyncio.to_thread(migrations.upgrade, "identity", settings.database_url)
    database = Database(settings.database_url, pool_size=1)
    try:
        return await work(Plans(database))
    finally:
        await database.close()


async def set_plan(settings: Settings, name: str, limits: dict[str, int | None],
                   company_id: str | None = None):
    """Define or change the plan ``name`` and move the companies on it to its limits; with
    ``company_id``, put that company on it. Returns (plan, periods begun).

    Raises InvalidArgument for a bad name or limit, NotFound for an unknown company."""
    return await _with_plans(settings, lambda plans: plans.set_plan(name, limits, company_id))


async def list_plans(settings: Settings, company_id: str | None = None):
    """The named plans with how many companies are on each, or a company's plan periods."""
    if company_id:
        return await _with_plans(settings, lambda plans: plans.company_history(company_id))
    return await _with_plans(settings, lambda plans: plans.list_plans())
