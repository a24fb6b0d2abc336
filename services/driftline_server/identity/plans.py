"""Subscription plans: the named plans an operator defines, and each company's plan periods.

A company always has one active period (its plan now, with the limits that hold); a new
company starts on the plan named "default" (unlimited until the operator says otherwise).
The operator changes plans with ``driftline-server admin set-plan`` (identity/admin.py), which
works on the database directly; users read theirs with ListCompanySubscriptionPlans and
GetActiveSubscriptionPlan, and the other services ask GetActiveSubscriptionPlan for the limits
they enforce (identity.remote.CompanyPlans).

Changing a plan's limits moves every company on that plan to the new limits: its current
period ends and a new one begins, so the history shows which limits held when.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from driftline_server.identity.common import new_id, utcnow
from driftline_server.identity.models import CompanyPlanRow, CompanyRow, PlanRow, UserRow
from driftline_server.platform import paging
from driftline_server.platform.database import Database
from driftline_server.platform.errors import (
    FieldViolation,
    NotFound,
    PermissionDenied,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.plans import (
    DEFAULT_PLAN,
    LIMIT_NAMES,
    PlanLimits,
    check_count,
)
from driftline_server.platform.roles import Caller

_log = get_logger("driftline.identity.plans")
_PLAN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def limits_of(row: PlanRow | CompanyPlanRow | None) -> PlanLimits:
    """The limits a plan or a period holds (unlimited for none)."""
    if row is None:
        return PlanLimits()
    name = row.name if isinstance(row, PlanRow) else row.plan_name
    return PlanLimits(name, **{limit: getattr(row, limit) for limit in LIMIT_NAMES})


def check_plan(name: str, limits: dict[str, int | None]) -> str:
    """The plan name, stripped; INVALID_ARGUMENT for a bad name or a negative or unknown limit."""
    violations: list[FieldViolation] = []
    name = (name or "").strip()
    if not _PLAN_NAME.match(name):
        violations.append(FieldViolation(
            "name", "1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"))
    for limit, value in limits.items():
        if limit not in LIMIT_NAMES:
            violations.append(FieldViolation(limit, f"is not a limit: {', '.join(LIMIT_NAMES)}"))
        elif value is not None and (not isinstance(value, int) or value < 0):
            violations.append(FieldViolation(limit, "must be a whole number, 0 for unlimited"))
    require(violations)
    return name


class Plans:
    def __init__(self, database: Database, clock: Callable[[], datetime] = utcnow):
        self._db = database
        self._clock = clock

    # ---- inside Identity's own transactions ---------------------------------------------

    @staticmethod
    async def active_in(session, company_id: str) -> CompanyPlanRow | None:
        return (await session.exec(
            select(CompanyPlanRow).where(CompanyPlanRow.active_slot == company_id))).first()

    async def start_default(self, session, company_id: str, now: datetime) -> CompanyPlanRow:
        """Put a new company on the default plan (in the transaction that creates it)."""
        plan = await session.get(PlanRow, DEFAULT_PLAN)
        period = self._period(company_id, limits_of(plan), now)
        session.add(period)
        return period

    @staticmethod
    def _period(company_id: str, limits: PlanLimits, now: datetime) -> CompanyPlanRow:
        return CompanyPlanRow(id=new_id(), company_id=company_id, plan_name=limits.plan,
                              start_time=now, end_time=None, active_slot=company_id,
                              **limits.as_dict())

    async def check_users(self, session, company_id: str, adding: int = 1) -> None:
        """Refuse a new user past the company's max_users (in the creating transaction)."""
        limits = limits_of(await self.active_in(session, company_id))
        await check_count(
            session, limits, company_id, "max_users",
            select(func.count()).select_from(UserRow).where(UserRow.company_id == company_id),
            "users", "delete a user who no longer needs access", adding)

    # ---- for users and services ---------------------------------------------------------

    async def list_company_plans(
        self, caller: Caller, page_size: int, page_token: str
    ) -> tuple[list[CompanyPlanRow], str]:
        """The caller's company's plan periods, newest first (COMPANY_OWNER, COMPANY_ADMIN)."""
        company_id = caller.require_company_manager("listing the company's subscription plans")
        page = paging.parse(page_size, page_token, paging.fingerprint("plans", company_id))
        query = paging.by_time_and_id(
            select(CompanyPlanRow).where(CompanyPlanRow.company_id == company_id),
            page, CompanyPlanRow.start_time, CompanyPlanRow.id, descending=True)
        async with self._db.reading() as session:
            rows = (await session.exec(query)).all()
        return paging.time_and_id_page(page, rows, "start_time")

    async def active_plan(self, caller: Caller, company_id: str = "") -> CompanyPlanRow | None:
        """The active period of the caller's company (COMPANY_OWNER, COMPANY_ADMIN), or of
        ``company_id`` for Driftline's own services; None when there is none."""
        company_id = (company_id or "").strip()
        if caller.internal:
            if not company_id:
                return None
        else:
            own = caller.require_company_manager("reading the company's subscription plan")
            if company_id and company_id != own:
                raise PermissionDenied(
                    reason="INTERNAL_FIELD",
                    message="company_id is for Driftline's own services: leave it empty to "
                            "read your company's plan")
            company_id = own
        async with self._db.reading() as session:
            return await self.active_in(session, company_id)

    # ---- the operator (admin CLI) --------------------------------------------------------

    async def set_plan(
        self, name: str, limits: dict[str, int | None], company_id: str | None = None
    ) -> tuple[PlanRow, list[CompanyPlanRow]]:
        """Define or change the plan ``name`` (limits left None keep their value; a new plan
        starts unlimited), move the companies on it to its limits, and put ``company_id`` on it.
        Returns the plan and the periods begun. NOT_FOUND for an unknown company."""
        name = check_plan(name, limits)
        now = self._clock()
        begun: list[CompanyPlanRow] = []
        async with self._db.transaction() as session:
            if company_id is not None:
                company_id = company_id.strip()
                if not company_id or await session.get(CompanyRow, company_id) is None:
                    raise NotFound(reason="COMPANY_NOT_FOUND",
                                   message=f"company '{company_id}' does not exist",
                                   metadata={"id": company_id})
            plan = await session.get(PlanRow, name)
            if plan is None:
                plan = PlanRow(name=name, created_at=now, updated_at=now)
            for limit, value in limits.items():
                if value is not None:
                    setattr(plan, limit, value)
            plan.updated_at = now
            session.add(plan)
            wanted = limits_of(plan)
            on_plan = (await session.exec(select(CompanyPlanRow).where(
                CompanyPlanRow.plan_name == name, CompanyPlanRow.active_slot.is_not(None),
            ))).all()
            moving = {row.company_id: row for row in on_plan if limits_of(row) != wanted}
            if company_id is not None:
                current = await self.active_in(session, company_id)
                if current is None or limits_of(current) != wanted:
                    moving[company_id] = current
            for moved, current in moving.items():
                if current is not None:
                    current.end_time, current.active_slot = now, None
                    session.add(current)
            await session.flush()  # the old periods free their slot before the new ones take it
            for moved in moving:
                begun.append(self._period(moved, wanted, now))
                session.add(begun[-1])
        for period in begun:
            _log.info("company_plan_set", company_id=period.company_id, plan=name)
        return plan, begun

    async def list_plans(self) -> list[tuple[PlanRow, int]]:
        """Every named plan, with how many companies are on it now."""
        async with self._db.reading() as session:
            plans = (await session.exec(select(PlanRow).order_by(PlanRow.name))).all()
            counts = dict((await session.exec(
                select(CompanyPlanRow.plan_name, func.count())
                .where(CompanyPlanRow.active_slot.is_not(None))
                .group_by(CompanyPlanRow.plan_name))).all())
        return [(plan, counts.get(plan.name, 0)) for plan in plans]

    async def company_history(self, company_id: str) -> list[CompanyPlanRow]:
        """A company's plan periods, newest first; NOT_FOUND for an unknown company."""
        async with self._db.reading() as session:
            if await session.get(CompanyRow, company_id) is None:
                raise NotFound(reason="COMPANY_NOT_FOUND",
                               message=f"company '{company_id}' does not exist",
                               metadata={"id": company_id})
            return list((await session.exec(
                select(CompanyPlanRow).where(CompanyPlanRow.company_id == company_id)
                .order_by(CompanyPlanRow.start_time.desc(), CompanyPlanRow.id.desc()))).all())
