"""Data: when Monitoring was told of a committed batch (data_batches.monitoring_notify_time), so
that recovery tells it of batches a stopped server committed without telling.

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
    with op.batch_alter_table("data_batches") as batch:
        batch.add_column(sa.Column("monitoring_notify_time", sa.DateTime(timezone=True),
                                   nullable=True))
    # Batches committed before detection existed are not sent to it now.
    op.execute("UPDATE data_batches SET monitoring_notify_time = finish_time "
               "WHERE state = 'COMMITTED'")


def downgrade() -> None:
    with op.batch_alter_table("data_batches") as batch:
        batch.drop_column("monitoring_notify_time")
