"""Room controls: a per-workshop idea limit per phone, and closing the vote before revealing it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("ideas_per_minute", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("vote_closed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("vote_closed")
        batch.drop_column("ideas_per_minute")
