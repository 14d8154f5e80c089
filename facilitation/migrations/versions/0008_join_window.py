"""A join window the facilitator can close, and votes from devices that joined in time

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(
            sa.Column("joining_open", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("vote_opened_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("late_voters", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("participants") as batch:
        batch.add_column(
            sa.Column("observer", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("observer")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("late_voters")
        batch.drop_column("vote_opened_at")
        batch.drop_column("joining_open")
