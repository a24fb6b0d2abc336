"""Subscription plans: the named plans (with "default", unlimited) and each company's plan
periods. Every existing company gets the default plan from its creation on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LIMITS = ("max_projects", "max_tasks", "max_models", "max_users", "max_stored_bytes",
          "max_concurrent_jobs", "max_calls_per_minute")


def _limits() -> list[sa.Column]:
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in LIMITS]


def upgrade() -> None:
    plans = op.create_table(
        "identity_plans",
        sa.Column("name", AutoString(length=64), nullable=False),
        *_limits(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    periods = op.create_table(
        "identity_company_plans",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("plan_name", AutoString(length=64), nullable=False),
        *_limits(),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active_slot", AutoString(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("active_slot"),
    )
    op.create_index(
        "ix_identity_company_plans_company_id", "identity_company_plans", ["company_id"]
    )
    now = datetime.now(timezone.utc)
    unlimited = {name: 0 for name in LIMITS}
    op.bulk_insert(plans, [{"name": "default", **unlimited, "created_at": now, "updated_at": now}])
    company_table = sa.table("identity_companies", sa.column("id", AutoString(length=32)),
                             sa.column("created_at", sa.DateTime(timezone=True)))
    companies = op.get_bind().execute(
        sa.select(company_table.c.id, company_table.c.created_at)).all()
    if companies:
        op.bulk_insert(periods, [
            {"id": uuid.uuid4().hex, "company_id": company_id, "plan_name": "default",
             **unlimited, "start_time": created_at or now, "end_time": None,
             "active_slot": company_id}
            for company_id, created_at in companies
        ])


def downgrade() -> None:
    op.drop_table("identity_company_plans")
    op.drop_table("identity_plans")
