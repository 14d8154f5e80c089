"""A previous session counts the changes of the comparison's own inputs (decisions, vectors)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("previous_sessions") as batch:
        batch.add_column(
            sa.Column("inputs_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("previous_sessions") as batch:
        batch.drop_column("inputs_version")
