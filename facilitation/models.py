"""What a workshop is made of, as SQLAlchemy 2.x models.

Idea text is stored exactly as typed. Every change that a board or phone must see is also written
as an `Event` with a per-workshop sequence number, in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    """The current time in UTC, as stored in every timestamp column."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base class of every model, with constraint names that migrations can refer to."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Workshop(Base):
    """One live session: its join code, questions, ideas and themes."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="ro")
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Part of the facilitator link; replacing it revokes every link handed out before.
    secret_salt: Mapped[str] = mapped_column(String(32))
    submissions_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # The room's flow: welcome, write, group, vote, results.
    phase: Mapped[str] = mapped_column(String(12), default="write")
    phase_ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # False during silent writing: boards show how many ideas came in, not what they say.
    ideas_revealed: Mapped[bool] = mapped_column(Boolean, default=True)
    # The question the board shows, or None for all questions.
    board_question_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    vote_target: Mapped[str] = mapped_column(String(6), default="themes")
    vote_budget: Mapped[int] = mapped_column(Integer, default=5)
    vote_cap: Mapped[int] = mapped_column(Integer, default=3)
    # Stakeholder categories offered at join; staff type them, in the workshop's language.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Words that hold an idea for the facilitator's review instead of showing it.
    blocked_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    theme_count_min: Mapped[int] = mapped_column(Integer, default=2)
    theme_count_max: Mapped[int] = mapped_column(Integer, default=12)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by every change that a re-clustering must see; the clusterer records what it saw.
    content_version: Mapped[int] = mapped_column(Integer, default=0)
    clustered_version: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by every facilitator curation, so a re-clustering computed before one is discarded.
    curation_version: Mapped[int] = mapped_column(Integer, default=0)
    # No automatic re-clustering before this time (UTC): a clustering that took t seconds holds
    # the next one back for a few times t. Kept here so that every server process respects it.
    recluster_after: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # False once the facilitator closed the join window: a device seen for the first time after
    # that may follow the session but not write or vote (it would be a made-up device).
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # When the vote last opened: devices that joined later do not vote, unless late_voters.
    vote_opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    late_voters: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # New ideas one phone may send per minute; None: the server's IDEA_RATE_LIMIT.
    ideas_per_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # True once the facilitator closed the vote: ballots are final, totals still hidden until
    # the results phase reveals them.
    vote_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="workshop", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    """A question participants answer with ideas."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))

    workshop: Mapped[Workshop] = relationship(back_populates="questions")


class Participant(Base):
    """An anonymous phone, known only by the random id in its signed device cookie."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("workshop_id", "device_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    device_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # True for a device first seen after the join window closed: it watches, never writes.
    observer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Theme(Base):
    """A group of ideas, found by clustering and curated by the facilitator."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # True once the facilitator named it: re-clustering never renames it again.
    renamed: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    color: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer)
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    representative_idea_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A theme left without ideas is retired rather than deleted, so its identity can return.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the facilitator merged this theme into another: its votes count there.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Idea(Base):
    """One idea as a participant typed it, stored once per (workshop, client id)."""

    __tablename__ = "ideas"
    __table_args__ = (UniqueConstraint("workshop_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), nullable=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Held for the facilitator's review (it matched the workshop's word list); not on boards.
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    # "phone", or "paper" when staff typed it in from a card.
    source: Mapped[str] = mapped_column(String(8), default="phone")
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # True when the facilitator put the idea in its theme: re-clustering leaves it there.
    placed_by_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the facilitator merged this idea into a near-duplicate: it is shown (and its
    # votes counted) with that idea, and keeps its own text.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Its semantic vector (analysis.embedding, half precision), computed once by the clustering
    # worker and kept, so that no restart, re-clustering or comparison embeds it again. None
    # until then, and always where the semantic model is not installed.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Event(Base):
    """A change boards and phones must see, numbered per workshop for catch-up after reconnects."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("workshop_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    # Who may see it: "phones" (everyone), "board" (boards and facilitators), "facilitator".
    audience: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FacilitatorAction(Base):
    """One facilitator action: the audit log staff read, and what undo restores."""

    __tablename__ = "facilitator_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The state of every row the action changed, as it was before; None when it cannot be undone.
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Vote(Base):
    """Dots one voter put on one theme or idea; a voter's dots are replaced as a whole."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint(
            "workshop_id", "participant_id", "proxy_label", "target_kind", "target_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=True
    )
    # For votes staff record on someone's behalf (a paper ballot): who it was, as staff wrote it.
    proxy_label: Mapped[str] = mapped_column(String(80), default="")
    category: Mapped[str | None] = mapped_column(String(80), nullable=True)
    target_kind: Mapped[str] = mapped_column(String(6))  # "theme" or "idea"
    target_id: Mapped[int] = mapped_column(Integer)
    dots: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ActionPlan(Base):
    """Staff's draft Interreg Europe action plan of a workshop: settings, labels, actions.

    Kept as JSON because its fields follow the programme's template, whose wording differs between
    versions: `general` holds Part I and Part II, `labels` the edited field labels per language,
    `actions` one entry per theme with the six fields of Part III and whether it was chosen.
    """

    __tablename__ = "action_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), unique=True, index=True
    )
    language: Mapped[str] = mapped_column(String(2), default="ro")
    general: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    labels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The hook for the comparison with a previous session: None until one is imported.
    previous_session: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class PreviousSession(Base):
    """The results of the session before this workshop, imported from a file, to compare with.

    One per workshop: importing again replaces it. `comparison` keeps the last comparison with
    today's themes that boards were sent, and `compared_key` what it was computed from.
    """

    __tablename__ = "previous_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), unique=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    session_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The file it came from and how it was read: csv, xlsx, txt or archive, and the encoding.
    source: Mapped[str] = mapped_column(String(200), default="")
    file_format: Mapped[str] = mapped_column(String(8), default="csv")
    encoding: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # An example shipped with the tool, not real results: always shown as such.
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    comparison: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    compared_key: Mapped[str] = mapped_column(String(80), default="")
    # The compared_key of the comparison its stored charts show: drawing them takes seconds of
    # the worker, so they wait while a room waits for its themes (see `clustering.run_once`).
    charted_key: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # Counts the changes of the comparison's inputs that the workshop's versions do not count:
    # the facilitator's decisions and the session's idea vectors. Part of `compared_key`, so a
    # comparison read before such a change and stored after it is made again.
    inputs_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # No automatic comparison before this time (UTC), by the same rule as re-clustering.
    compare_after: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    ideas: Mapped[list[PreviousIdea]] = relationship(
        order_by="PreviousIdea.position", cascade="all, delete-orphan", passive_deletes=True
    )


class PreviousIdea(Base):
    """One idea of a previous session, as the file had it, with its theme label if any."""

    __tablename__ = "previous_ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    previous_session_id: Mapped[int] = mapped_column(
        ForeignKey("previous_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(String(120), nullable=True)
    question: Mapped[str | None] = mapped_column(String(500), nullable=True)
    votes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The row of the file it came from, so staff can find it there.
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Its semantic vector, as for Idea.embedding: computed once in the background after import.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class ComparisonDecision(Base):
    """The facilitator's decision on a pair (theme of today, earlier theme) of the then-and-now
    comparison: a computed match confirmed, a match made by hand, or a match rejected.

    Every later comparison respects it (docs/comparison.md). The earlier theme is kept by its
    label, and compared by `previous_key` (the label whatever its case, spacing or cedilla
    letters), so a decision survives importing the same file again. Undo deletes the row.
    """

    __tablename__ = "comparison_decisions"
    __table_args__ = (UniqueConstraint("workshop_id", "theme_id", "previous_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    previous_label: Mapped[str] = mapped_column(String(120))
    previous_key: Mapped[str] = mapped_column(String(120))
    # "confirmed", "made" or "rejected" (analysis.comparison.DECISIONS).
    decision: Mapped[str] = mapped_column(String(12))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ComparisonChart(Base):
    """A chart of the last comparison, drawn by the clustering worker (never by a request):
    sizes or similarity, PNG or SVG, in each page language. Replaced with each comparison."""

    __tablename__ = "comparison_charts"
    __table_args__ = (UniqueConstraint("previous_session_id", "name", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    previous_session_id: Mapped[int] = mapped_column(
        ForeignKey("previous_sessions.id", ondelete="CASCADE")
    )
    # "sizes.png", "sizes.svg", "similarity.png" or "similarity.svg".
    name: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[bytes] = mapped_column(LargeBinary)
