"""Subscription plans as every service sees them: a company's limits, the refusal when one is
reached, and the lock that lets two concurrent creates count one after the other.

Identity owns the plans (identity/plans.py); the other services ask it for a company's limits
through ``identity.remote.CompanyPlans`` (cached briefly) and count what they own themselves,
inside the transaction that creates the new thing::

    limits = await plans.limits(company_id)            # before the transaction (a gRPC call)
    async with database.transaction() as session:
        await check_count(session, limits, company_id, "max_projects", count_statement,
                          "projects", "delete a project")
        session.add(project)

A limit of 0 means unlimited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

import sqlalchemy as sa

from driftline_server.platform.errors import ResourceExhausted

PLAN_LIMIT_REACHED = "PLAN_LIMIT_REACHED"
DEFAULT_PLAN = "default"


@dataclass(frozen=True)
class PlanLimits:
    """A company's plan: its name and its limits (0: unlimited)."""

    plan: str = DEFAULT_PLAN
    max_projects: int = 0
    max_tasks: int = 0
    max_models: int = 0
    max_users: int = 0
    max_stored_bytes: int = 0
    max_concurrent_jobs: int = 0
    max_calls_per_minute: int = 0

    def of(self, limit: str) -> int:
        return int(getattr(self, limit))

    def as_dict(self) -> dict[str, int]:
        return {name: self.of(name) for name in LIMIT_NAMES}


LIMIT_NAMES = tuple(f.name for f in fields(PlanLimits) if f.name != "plan")
UNLIMITED = PlanLimits()


def limit_reached(limits: PlanLimits, limit: str, what: str, advice: str,
                  **metadata: str) -> ResourceExhausted:
    """The refusal of a call that would pass ``limit``: RESOURCE_EXHAUSTED, reason
    PLAN_LIMIT_REACHED, metadata {limit, value, plan} (and ``metadata``).

    ``what`` names the counted things ("projects"); ``advice`` what the caller can do about it
    ("delete a project you no longer need")."""
    value = limits.of(limit)
    return ResourceExhausted(
        reason=PLAN_LIMIT_REACHED,
        message=(f"your company's plan '{limits.plan}' allows {value} {what} ({limit}): "
                 f"{advice}, or ask your Driftline operator for a larger plan"),
        metadata={"limit": limit, "value": str(value), "plan": limits.plan, **metadata},
    )


async def lock_company(session, company_id: str, scope: str) -> None:
    """Hold, until the transaction ends, a lock on ``scope`` (e.g. "max_projects") of a
    company, so that a concurrent transaction counting the same things waits for this one.

    PostgreSQL: a transaction-level advisory lock (its next statements see what the other
    committed: READ COMMITTED reads afresh at each statement). SQLite: nothing to take, since
    ``Database.transaction()`` begins IMMEDIATE and writers already go one at a time."""
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"driftline-plan:{scope}:{company_id}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def check_count(session, limits: PlanLimits, company_id: str, limit: str, statement,
                      what: str, advice: str, adding: int = 1) -> None:
    """Refuse (``limit_reached``) when the ``count`` that ``statement`` selects, plus
    ``adding``, would pass the limit; nothing to do when the limit is 0 (unlimited). Call it
    inside the transaction that adds the things, before adding them."""
    value = limits.of(limit)
    if not value or not company_id:
        return
    await lock_company(session, company_id, limit)
    count = int((await session.exec(statement)).one() or 0)
    if count + adding > value:
        raise limit_reached(limits, limit, what, advice, current=str(count))


async def forget_if_refused(database, table, row_id: str, submission):
    """Await ``submission`` (the job of a row a user's call just stored); when the company's
    plan refuses the job (max_concurrent_jobs), delete the row and raise the refusal, so that
    nothing of the refused call stays, and no later read submits its job past the limit."""
    try:
        return await submission
    except ResourceExhausted:
        async with database.transaction() as session:
            await session.exec(sa.delete(table).where(table.id == row_id,
                                                       table.job_id.is_(None)))
        raise
