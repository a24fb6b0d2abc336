"""``driftline-server admin set-plan`` and ``admin list-plans``: the operator's hand on the
companies' subscription plans, working on the database directly (like ``admin create-user``).

    driftline-server admin set-plan --name team --max-projects 3 --max-users 10
    driftline-server admin set-plan --name team --company-id 5f0c...   # put a company on it
    driftline-server admin list-plans [--company-id 5f0c...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from driftline_server.platform.plans import LIMIT_NAMES

_MEANING = {
    "max_projects": "projects",
    "max_tasks": "tasks, over all projects",
    "max_models": "models (new versions of a model are not counted again)",
    "max_users": "users, the owner included",
    "max_stored_bytes": "bytes of committed data",
    "max_concurrent_jobs": "unfinished jobs when a user's call starts one",
    "max_calls_per_minute": "API calls a minute, per server process",
}


def add_commands(admin_commands, add_common) -> None:
    set_plan = admin_commands.add_parser(
        "set-plan",
        help="define or change a subscription plan, and put a company on it",
        description="Define the plan NAME, or change the limits given (the others keep their "
        "value; a new plan starts unlimited). Every company on the plan moves to its new "
        "limits at once; --company-id also puts that company on it. A limit of 0 means "
        "unlimited. Services apply a change within DRIFTLINE_PLAN_CACHE_SECONDS.",
    )
    add_common(set_plan)
    set_plan.add_argument("--name", required=True, help="the plan's name, e.g. team")
    set_plan.add_argument("--company-id", help="put this company on the plan")
    for limit in LIMIT_NAMES:
        set_plan.add_argument(f"--{limit.replace('_', '-')}", type=_limit, metavar="N",
                              help=f"most {_MEANING[limit]}; 0 for unlimited")
    list_plans = admin_commands.add_parser(
        "list-plans", help="the plans, or one company's plan history (newest first)")
    add_common(list_plans)
    list_plans.add_argument("--company-id", help="show this company's plan periods")


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (unlimited) or more")
    return value


def _limits_text(row) -> str:
    return ", ".join(f"{limit}={getattr(row, limit) or 'unlimited'}" for limit in LIMIT_NAMES)


def run(args, settings) -> int | None:
    """Run a plan command; None when ``args`` names another command."""
    from driftline_server.identity import admin
    from driftline_server.platform.errors import DomainError

    try:
        if args.admin_command == "set-plan":
            limits = {limit: getattr(args, limit) for limit in LIMIT_NAMES}
            plan, begun = asyncio.run(admin.set_plan(settings, args.name, limits, args.company_id))
            print(f"plan: {plan.name}")
            print(f"limits: {_limits_text(plan)}")
            for period in begun:
                print(f"company {period.company_id}: on '{plan.name}' since "
                      f"{period.start_time.isoformat(timespec='seconds')}")
            return 0
        if args.admin_command == "list-plans":
            if args.company_id:
                for period in asyncio.run(admin.list_plans(settings, args.company_id)):
                    end = (period.end_time.isoformat(timespec="seconds") if period.end_time
                           else "active")
                    print(f"{period.plan_name}\t{period.start_time.isoformat(timespec='seconds')}"
                          f"\t{end}\t{_limits_text(period)}")
                return 0
            for plan, companies in asyncio.run(admin.list_plans(settings)):
                print(f"{plan.name}\t{companies} companies\t{_limits_text(plan)}")
            return 0
    except DomainError as error:
        print(f"driftline-server: {error.message}", file=sys.stderr)
        return 1
    return None
