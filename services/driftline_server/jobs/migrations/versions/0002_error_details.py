"""Jobs: structured details of a failure (e.g. the problems an ingestion's validation found).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs_jobs") as batch:
        batch.add_column(sa.Column("error_details", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs_jobs") as batch:
        batch.drop_column("error_details")
