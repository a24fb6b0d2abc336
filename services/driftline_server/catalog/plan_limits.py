"""The plan limits Catalog enforces: a company's projects, tasks and models, counted inside the
transaction that creates one more (platform.plans.check_count locks the count on PostgreSQL;
SQLite's writers already go one at a time).

A model is a name in a task: its new versions are not counted again, and a Python model counts
as one model whatever its versions. The suite's own calls (internal callers) are not limited.
"""

from __future__ import annotations

from sqlalchemy import func, union
from sqlmodel import select

from driftline_server.catalog.models import ModelRow, ProjectRow, PythonModelRow, TaskRow
from driftline_server.platform.plans import UNLIMITED, PlanLimits, check_count
from driftline_server.platform.roles import Caller


async def caller_limits(plans, caller: Caller) -> PlanLimits:
    """The caller's company's limits (``plans``: identity.remote.CompanyPlans, or None)."""
    if plans is None or caller.internal or not caller.company_id:
        return UNLIMITED
    return await plans.limits(caller.company_id)


def _company_tasks(company_id: str):
    return (select(TaskRow.id).join(ProjectRow, ProjectRow.id == TaskRow.project_id)
            .where(ProjectRow.company_id == company_id))


async def check_projects(session, limits: PlanLimits, company_id: str) -> None:
    await check_count(
        session, limits, company_id, "max_projects",
        select(func.count()).select_from(ProjectRow).where(ProjectRow.company_id == company_id),
        "projects", "delete a project you no longer need")


async def check_tasks(session, limits: PlanLimits, company_id: str) -> None:
    await check_count(
        session, limits, company_id, "max_tasks",
        select(func.count()).select_from(TaskRow).join(
            ProjectRow, ProjectRow.id == TaskRow.project_id
        ).where(ProjectRow.company_id == company_id),
        "tasks", "delete a task you no longer need")


async def check_models(session, limits: PlanLimits, company_id: str, task_id: str,
                       name: str) -> None:
    """Refuse a new model past max_models; a new version of a model of the task is free."""
    if not limits.max_models:
        return
    known = (await session.exec(select(ModelRow.id).where(
        ModelRow.task_id == task_id, ModelRow.name == name.strip()).limit(1))).first()
    if known is not None:
        return
    tasks = _company_tasks(company_id)
    names = union(
        select(ModelRow.task_id, ModelRow.name).where(ModelRow.task_id.in_(tasks)),
        select(PythonModelRow.task_id, PythonModelRow.name).where(
            PythonModelRow.task_id.in_(tasks)),
    ).subquery()
    await check_count(
        session, limits, company_id, "max_models", select(func.count()).select_from(names),
        "models", "delete a model you no longer need")
