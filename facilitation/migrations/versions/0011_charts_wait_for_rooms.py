"""Then-and-now charts are drawn when no room waits for its themes: the comparison they show

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 13:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("previous_sessions") as batch:
        batch.add_column(
            sa.Column("charted_key", sa.String(length=80), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("previous_sessions") as batch:
        batch.drop_column("charted_key")
