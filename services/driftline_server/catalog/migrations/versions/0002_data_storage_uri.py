"""Catalog: where a CUSTOMER project's batches are kept (projects.data_storage_uri).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing projects have none: the server default fills their rows.
    with op.batch_alter_table("catalog_projects") as batch:
        batch.add_column(sa.Column("data_storage_uri", AutoString(length=1024), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("catalog_projects") as batch:
        batch.drop_column("data_storage_uri")
