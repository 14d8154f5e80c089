"""Semantic vectors stored with each idea and each idea of a previous session

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ideas") as batch:
        batch.add_column(sa.Column("embedding", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("previous_ideas") as batch:
        batch.add_column(sa.Column("embedding", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("previous_ideas") as batch:
        batch.drop_column("embedding")
    with op.batch_alter_table("ideas") as batch:
        batch.drop_column("embedding")
