"""Monitoring: references promise batches between false alarms (batch tests calibrated per
target) instead of samples between false alarms of per-sample detectors.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # References fitted before keep their legacy run lengths; they are tested at the default.
    with op.batch_alter_table("monitoring_references") as batch:
        batch.add_column(sa.Column("batches_between_false_alarms", sa.Float(), nullable=False,
                                   server_default="100"))


def downgrade() -> None:
    with op.batch_alter_table("monitoring_references") as batch:
        batch.drop_column("batches_between_false_alarms")
