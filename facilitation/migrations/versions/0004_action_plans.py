"""Action plans: staff's draft Interreg Europe action plan per workshop

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:40:35.183105
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False, server_default="ro"),
        sa.Column("general", sa.JSON(), nullable=False, server_default="{}"),
        sa.Column("labels", sa.JSON(), nullable=False, server_default="{}"),
        sa.Column("actions", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("previous_session", sa.JSON(none_as_null=True), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_action_plans_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
    )
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plans_workshop_id"), ["workshop_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plans_workshop_id"))

    op.drop_table("action_plans")
