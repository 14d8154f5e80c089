"""facilitator actions and merged ideas

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:02:42.688254
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facilitator_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("facilitator_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_facilitator_actions_workshop_id"), ["workshop_id"], unique=False
        )

    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_ideas_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_ideas_merged_into_id_ideas",
            "ideas",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ideas_merged_into_id_ideas", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_ideas_merged_into_id"))
        batch_op.drop_column("merged_into_id")

    with op.batch_alter_table("facilitator_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facilitator_actions_workshop_id"))

    op.drop_table("facilitator_actions")
