"""Phases, votes, moderation, stakeholder categories

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:10:39.390539
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("proxy_label", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column("target_kind", sa.String(length=6), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_votes_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_votes_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
        sa.UniqueConstraint(
            "workshop_id",
            "participant_id",
            "proxy_label",
            "target_kind",
            "target_id",
            name=op.f("uq_votes_workshop_id"),
        ),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_votes_workshop_id"), ["workshop_id"], unique=False)

    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("held", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("source", sa.String(length=8), nullable=False, server_default="phone")
        )

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=80), nullable=True))

    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_themes_merged_into_id_themes"),
            "themes",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phase", sa.String(length=12), nullable=False, server_default="write")
        )
        batch_op.add_column(sa.Column("phase_ends_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("ideas_revealed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("board_question_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("vote_target", sa.String(length=6), nullable=False, server_default="themes")
        )
        batch_op.add_column(
            sa.Column("vote_budget", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(sa.Column("vote_cap", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("categories", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("blocked_words", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("blocked_words")
        batch_op.drop_column("categories")
        batch_op.drop_column("vote_cap")
        batch_op.drop_column("vote_budget")
        batch_op.drop_column("vote_target")
        batch_op.drop_column("board_question_id")
        batch_op.drop_column("ideas_revealed")
        batch_op.drop_column("phase_ends_at")
        batch_op.drop_column("phase")

    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_themes_merged_into_id_themes"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("category")

    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("held")
        batch_op.drop_column("hidden_reason")

    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_votes_workshop_id"))

    op.drop_table("votes")
