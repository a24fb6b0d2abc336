"""Identity's tables. Enums are stored as their names, times as timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Every table of this module is ``identity_*``; SQLModel.metadata is shared with other services,
# which is why the migrations filter by prefix (platform.migrations.owned_by).


def _time(nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable, index=index)


class CompanyRow(SQLModel, table=True):
    __tablename__ = "identity_companies"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=500)
    vat: str = Field(default="", max_length=64)
    created_at: datetime = Field(sa_column=_time())
    updated_at: datetime = Field(sa_column=_time())


class UserRow(SQLModel, table=True):
    __tablename__ = "identity_users"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    surname: str = Field(max_length=200)
    # Stored lower-cased, so that sign-in and uniqueness ignore case.
    username: str = Field(max_length=64, unique=True)
    email: str = Field(max_length=320, unique=True)
    company_id: str | None = Field(default=None, max_length=32, index=True)
    company_role: str = Field(max_length=32)
    # argon2 hash; None for a user made by the admin CLI who has not set a password yet.
    password_hash: str | None = Field(default=None, max_length=256)
    password_temporary: bool = Field(default=False)
    created_at: datetime = Field(sa_column=_time())
    updated_at: datetime = Field(sa_column=_time())


class ApiKeyRow(SQLModel, table=True):
    __tablename__ = "identity_api_keys"

    # The id is embedded in the key itself, so authentication is one primary-key look-up.
    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(max_length=32, index=True)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16)
    # SHA-256 of the whole key: keys carry 256 random bits, so a fast hash is enough.
    key_hash: str = Field(max_length=64)
    expiration: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=_time())
    expires_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))


class ProjectRoleRow(SQLModel, table=True):
    __tablename__ = "identity_project_roles"

    user_id: str = Field(primary_key=True, max_length=32)
    project_id: str = Field(primary_key=True, max_length=64)
    company_id: str = Field(max_length=32, index=True)
    role: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=_time())


class SignInFailureRow(SQLModel, table=True):
    __tablename__ = "identity_sign_in_failures"

    id: str = Field(primary_key=True, max_length=32)
    username: str = Field(max_length=64, index=True)
    failed_at: datetime = Field(sa_column=_time())


class IntegrationCredentialsRow(SQLModel, table=True):
    __tablename__ = "identity_integration_credentials"

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32, index=True)
    project_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    type: str = Field(max_length=32)
    # "<project_id>:<type>" while these are the default, else NULL: the unique constraint keeps
    # one default per project and type on every database (NULLs never collide).
    default_slot: str | None = Field(default=None, max_length=128, unique=True)
    # Non-secret details (JSON): role ARN, external id, client e-mail, masked hints...
    public_details: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    # Fernet token of the secret part (JSON); empty for AWS roles, which have no secret.
    secret_encrypted: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    created_at: datetime = Field(sa_column=_time())


class RequestRow(SQLModel, table=True):
    """AIP-155: which resource a client-chosen request id created, so a retry returns it."""

    __tablename__ = "identity_requests"

    # "<method>:<user or company id>": request ids are only unique per caller.
    scope: str = Field(primary_key=True, max_length=96)
    request_id: str = Field(primary_key=True, max_length=64)
    resource_id: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=_time())



class PlanLimitColumns(SQLModel):
    """The limits of a plan, each counting a whole company; 0 means unlimited."""

    max_projects: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    max_tasks: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    max_models: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    max_users: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    max_stored_bytes: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    max_concurrent_jobs: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    max_calls_per_minute: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)


class PlanRow(PlanLimitColumns, table=True):
    """A named subscription plan an operator defined (``admin set-plan``); "default" is what a
    new company gets."""

    __tablename__ = "identity_plans"

    name: str = Field(primary_key=True, max_length=64)
    created_at: datetime = Field(sa_column=_time())
    updated_at: datetime = Field(sa_column=_time())


class CompanyPlanRow(PlanLimitColumns, table=True):
    """One period of a company's subscription: the plan's name and the limits that held, from
    start_time until end_time (None while active)."""

    __tablename__ = "identity_company_plans"

    id: str = Field(primary_key=True, max_length=32)
    company_id: str = Field(max_length=32, index=True)
    plan_name: str = Field(max_length=64)
    start_time: datetime = Field(sa_column=_time())
    end_time: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    # The company id while the period is active, else NULL: the unique constraint keeps one
    # active plan per company on every database (NULLs never collide).
    active_slot: str | None = Field(default=None, max_length=32, unique=True)
