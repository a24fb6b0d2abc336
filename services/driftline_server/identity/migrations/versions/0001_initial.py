"""Identity's initial tables: companies, users, API keys, project roles, sign-in failures,
integration credentials and request ids.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_companies",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("address", AutoString(length=500), nullable=False),
        sa.Column("vat", AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "identity_users",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("surname", AutoString(length=200), nullable=False),
        sa.Column("username", AutoString(length=64), nullable=False),
        sa.Column("email", AutoString(length=320), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=True),
        sa.Column("company_role", AutoString(length=32), nullable=False),
        sa.Column("password_hash", AutoString(length=256), nullable=True),
        sa.Column("password_temporary", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_identity_users_company_id", "identity_users", ["company_id"])
    op.create_table(
        "identity_api_keys",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("user_id", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("prefix", AutoString(length=16), nullable=False),
        sa.Column("key_hash", AutoString(length=64), nullable=False),
        sa.Column("expiration", AutoString(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_identity_api_keys_user_id", "identity_api_keys", ["user_id"])
    op.create_table(
        "identity_project_roles",
        sa.Column("user_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=64), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("role", AutoString(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "project_id"),
    )
    op.create_index(
        "ix_identity_project_roles_company_id", "identity_project_roles", ["company_id"]
    )
    op.create_table(
        "identity_sign_in_failures",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("username", AutoString(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_identity_sign_in_failures_username", "identity_sign_in_failures", ["username"]
    )
    op.create_table(
        "identity_integration_credentials",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("company_id", AutoString(length=32), nullable=False),
        sa.Column("project_id", AutoString(length=64), nullable=False),
        sa.Column("name", AutoString(length=200), nullable=False),
        sa.Column("type", AutoString(length=32), nullable=False),
        sa.Column("default_slot", AutoString(length=128), nullable=True),
        sa.Column("public_details", sa.Text(), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("default_slot"),
    )
    op.create_index(
        "ix_identity_integration_credentials_company_id",
        "identity_integration_credentials",
        ["company_id"],
    )
    op.create_index(
        "ix_identity_integration_credentials_project_id",
        "identity_integration_credentials",
        ["project_id"],
    )
    op.create_table(
        "identity_requests",
        sa.Column("scope", AutoString(length=96), nullable=False),
        sa.Column("request_id", AutoString(length=64), nullable=False),
        sa.Column("resource_id", AutoString(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "request_id"),
    )


def downgrade() -> None:
    op.drop_table("identity_requests")
    op.drop_table("identity_integration_credentials")
    op.drop_table("identity_sign_in_failures")
    op.drop_table("identity_project_roles")
    op.drop_table("identity_api_keys")
    op.drop_table("identity_users")
    op.drop_table("identity_companies")
