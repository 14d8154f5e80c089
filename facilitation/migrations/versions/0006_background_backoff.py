"""Back-off of background work kept with the workshop, so every server process respects it

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 13:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("recluster_after", sa.DateTime(), nullable=True))
    with op.batch_alter_table("previous_sessions") as batch:
        batch.add_column(sa.Column("compare_after", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("previous_sessions") as batch:
        batch.drop_column("compare_after")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("recluster_after")
