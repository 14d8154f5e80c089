"""The facilitator's decisions on the then-and-now matches, and the charts drawn by the worker

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 23:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comparison_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("previous_label", sa.String(length=120), nullable=False),
        sa.Column("previous_key", sa.String(length=120), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column(
            "decided_at", sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_comparison_decisions_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_comparison_decisions_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparison_decisions")),
        sa.UniqueConstraint(
            "workshop_id",
            "theme_id",
            "previous_key",
            name=op.f("uq_comparison_decisions_workshop_id"),
        ),
    )
    with op.batch_alter_table("comparison_decisions") as batch:
        batch.create_index(
            batch.f("ix_comparison_decisions_workshop_id"), ["workshop_id"], unique=False
        )
    op.create_table(
        "comparison_charts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("previous_session_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_session_id"],
            ["previous_sessions.id"],
            name=op.f("fk_comparison_charts_previous_session_id_previous_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparison_charts")),
        sa.UniqueConstraint(
            "previous_session_id",
            "name",
            "language",
            name=op.f("uq_comparison_charts_previous_session_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("comparison_charts")
    with op.batch_alter_table("comparison_decisions") as batch:
        batch.drop_index(batch.f("ix_comparison_decisions_workshop_id"))
    op.drop_table("comparison_decisions")
