"""Previous sessions: the imported results of the session before a workshop, to compare with

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:49:53.755733
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "previous_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("session_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("file_format", sa.String(length=8), nullable=False, server_default="csv"),
        sa.Column("encoding", sa.String(length=20), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column(
            "imported_at", sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()
        ),
        sa.Column("comparison", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("compared_key", sa.String(length=80), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_previous_sessions_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_previous_sessions")),
    )
    with op.batch_alter_table("previous_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_previous_sessions_workshop_id"), ["workshop_id"], unique=True
        )

    op.create_table(
        "previous_ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("previous_session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=True),
        sa.Column("question", sa.String(length=500), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["previous_session_id"],
            ["previous_sessions.id"],
            name=op.f("fk_previous_ideas_previous_session_id_previous_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_previous_ideas")),
    )
    with op.batch_alter_table("previous_ideas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_previous_ideas_previous_session_id"),
            ["previous_session_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("previous_ideas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_previous_ideas_previous_session_id"))

    op.drop_table("previous_ideas")
    with op.batch_alter_table("previous_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_previous_sessions_workshop_id"))

    op.drop_table("previous_sessions")
