"""Ideas: submitted by phones once per client id, hidden, unhidden and moved by the facilitator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, insert, select
from sqlalchemy.orm import Session

from facilitation import validation
from facilitation.models import Event, Idea, Question, Theme, Workshop, utcnow
from facilitation.operations import audit, events, moderation
from facilitation.operations.errors import RateLimited, Rejected

_IDEAS, _THEMES = Idea.__table__.c, Theme.__table__.c
# The statements of an idea's hot path, built once: building one costs more than running it.
# The workshop's settings, with the idea of this client id if it was stored already.
_FIND = (
    select(
        Workshop.__table__.c.submissions_open,
        Workshop.__table__.c.blocked_words,
        Workshop.__table__.c.ideas_per_minute,
        _IDEAS.id.label("idea_id"),
        _IDEAS.participant_id,
        _IDEAS.source,
        _IDEAS.text,
        _IDEAS.question_id,
        _IDEAS.theme_id,
        _IDEAS.held,
        _IDEAS.created_at,
    )
    .select_from(Workshop.__table__)
    .outerjoin(
        Idea.__table__,
        (_IDEAS.workshop_id == Workshop.__table__.c.id)
        & (_IDEAS.client_id == bindparam("client_id")),
    )
    .where(Workshop.__table__.c.id == bindparam("workshop_id"))
)
_QUESTION = select(Question.__table__.c.id).where(
    Question.__table__.c.id == bindparam("question_id"),
    Question.__table__.c.workshop_id == bindparam("workshop_id"),
)
# The new idea, in the guessed theme if that is still live and unlocked (else in none).
_INSERT = (
    insert(Idea.__table__)
    .values(
        theme_id=select(_THEMES.id)
        .where(
            _THEMES.id == bindparam("theme_guess"),
            _THEMES.workshop_id == bindparam("theme_workshop_id"),
            _THEMES.retired.is_(False),
            _THEMES.locked.is_(False),
        )
        .scalar_subquery()
    )
    .returning(_IDEAS.id, _IDEAS.theme_id)
)


@dataclass(frozen=True)
class StoredIdea:
    """An idea as stored, without loading it into the session (`events.idea_view` reads it)."""

    id: int
    client_id: str
    text: str
    question_id: int | None
    theme_id: int | None
    source: str
    held: bool
    created_at: dt.datetime
    hidden: bool = False
    hidden_reason: str | None = None
    merged_into_id: int | None = None
    placed_by_facilitator: bool = False


@dataclass
class Submitted:
    """The outcome of a submission: the stored idea, and whether this call stored it."""

    idea: StoredIdea
    created: bool
    events: list[Event]


@dataclass(frozen=True)
class Pace:
    """A device's limit on new ideas, given the workshop's own limit (None: the server's).

    `wait(per_minute)` is the whole seconds before its next new idea fits (0: now);
    `count(per_minute)` counts one stored.
    """

    wait: Callable[[int | None], int]
    count: Callable[[int | None], None]


def submit(
    db: Session | Connection,
    workshop_id: int,
    participant_id: int | None,
    *,
    client_id: object,
    text: object,
    question_id: object = None,
    max_length: int = 500,
    theme_guess: int | None = None,
    pace: Pace | None = None,
    source: str = "phone",
) -> Submitted:
    """Store an idea once per (workshop, client id); a retry returns the stored idea unchanged.

    `participant_id` is the device's participant, and None for an idea staff typed in from a
    paper card (`source="paper"`), which is accepted even while submissions are closed.
    `theme_guess` is the theme the idea seems to belong to (None: "new"), used while that
    theme is live and unlocked. A new idea is refused while `pace` says the device must wait,
    and counted by it once stored; a retry of a stored idea is answered whatever its pace.

    This runs for every idea of a full room under the workshop's lock, so it is a handful of
    Core statements: one read of the workshop with any idea of this client id, one INSERT
    that also checks the guessed theme, and the event's two (`events.record`). `db` is a
    session, or on the hot path a connection (`rooms.write`), which skips the ORM entirely.
    """
    client_id = validation.client_id(client_id)
    connection = db
    if isinstance(db, Session):
        db.flush()  # what the session holds, as its own queries would (autoflush)
        connection = db.connection()
    found = connection.execute(
        _FIND, {"workshop_id": workshop_id, "client_id": client_id}
    ).one_or_none()
    if found is None:
        raise Rejected("This workshop no longer exists.", "unknown_workshop")
    if found.idea_id is not None:
        if found.participant_id != participant_id or found.source != source:
            raise Rejected("This idea id belongs to another device.", "conflict")
        stored = StoredIdea(
            found.idea_id,
            client_id,
            found.text,
            found.question_id,
            found.theme_id,
            found.source,
            found.held,
            found.created_at,
        )
        return Submitted(stored, False, [])
    text = validation.text_field(text, "Idea", max_length)
    question_id = validation.identifier(question_id, "question_id", optional=True)
    if question_id is not None and not connection.scalar(
        _QUESTION, {"question_id": question_id, "workshop_id": workshop_id}
    ):
        raise Rejected("This question is not part of the workshop.", "malformed")
    if source == "phone" and not found.submissions_open:
        raise Rejected("The facilitator has closed submissions for now.", "closed")
    if pace is not None and (seconds := pace.wait(found.ideas_per_minute)) > 0:
        raise _too_fast(seconds)
    held = moderation.matches_word_list(text, found.blocked_words or [])
    created_at = utcnow()
    idea_id, theme_id = connection.execute(
        _INSERT,
        {
            "workshop_id": workshop_id,
            "question_id": question_id,
            "participant_id": participant_id,
            "client_id": client_id,
            "text": text,
            "hidden": False,
            "held": held,
            "source": source,
            "placed_by_facilitator": False,
            "created_at": created_at,
            "theme_guess": None if held else theme_guess,
            "theme_workshop_id": workshop_id,
        },
    ).one()
    if pace is not None:
        pace.count(found.ideas_per_minute)
    idea = StoredIdea(idea_id, client_id, text, question_id, theme_id, source, held, created_at)
    if held:
        # Only the facilitator sees a held idea, until they approve it.
        view = events.idea_view(idea, for_facilitator=True)
        event = events.record(db, workshop_id, "idea_held", events.FACILITATOR, {"idea": view})
        return Submitted(idea, True, [event])
    event = events.record(
        db,
        workshop_id,
        "idea_added",
        events.BOARD,
        {"idea": events.idea_view(idea)},
        content_changed=True,
    )
    return Submitted(idea, True, [event])


def _too_fast(seconds: int) -> RateLimited:
    """The refusal of a new idea over the device's rate limit: it waits on the phone."""
    return RateLimited.after(
        Rejected(
            "You are sending ideas faster than this workshop allows. This one is kept "
            "on your phone and sent automatically in %(seconds)d s.",
            "rate_limited",
            seconds=seconds,
        ),
        seconds,
    )


def review(db: Session, workshop: Workshop, idea_id: object, approve: object) -> list[Event]:
    """Approve a held idea (it reaches the boards) or reject it (it stays hidden)."""
    idea = get(db, workshop, idea_id)
    approve = validation.flag(approve, "approve")
    if not idea.held:
        raise Rejected("This idea is not waiting for review.", "conflict")
    audit.record(
        db,
        workshop,
        "approve_idea" if approve else "reject_idea",
        {"idea_id": idea.id},
        ideas=[idea],
    )
    idea.held = False
    if not approve:
        idea.hidden = True
        idea.hidden_reason = "word list"
        return [
            events.record(
                db,
                workshop,
                "idea_hidden",
                events.FACILITATOR,
                {"idea_id": idea.id, "reason": idea.hidden_reason},
            )
        ]
    workshop.content_version += 1
    return [
        events.record(db, workshop, "idea_added", events.BOARD, {"idea": events.idea_view(idea)})
    ]


def get(db: Session, workshop: Workshop, idea_id: object) -> Idea:
    """An idea of this workshop by id, or a rejection."""
    idea_id = validation.identifier(idea_id, "idea_id")
    idea = db.get(Idea, idea_id)
    if idea is None or idea.workshop_id != workshop.id:
        raise Rejected("No such idea in this workshop.", "not_found")
    return idea


def set_hidden(
    db: Session, workshop: Workshop, idea_id: object, hidden: object, reason: object = None
) -> list[Event]:
    """Hide an idea from every board (with an optional reason), or show it again."""
    idea = get(db, workshop, idea_id)
    hidden = validation.flag(hidden, "hidden")
    reason = validation.text_field(reason, "Reason", 200, required=False) or None
    if idea.held:
        raise Rejected("This idea is waiting for review: approve or reject it.", "conflict")
    if idea.hidden == hidden:
        return []
    audit.record(
        db,
        workshop,
        "hide_idea" if hidden else "unhide_idea",
        {"idea_id": idea.id, "reason": reason},
        ideas=[idea],
    )
    idea.hidden = hidden
    idea.hidden_reason = reason if hidden else None
    workshop.content_version += 1
    workshop.curation_version += 1
    if hidden:
        # Boards never receive the reason (it may name the writer, or be unkind): the
        # facilitator gets it in an event of its own.
        hidden_events = [
            events.record(db, workshop, "idea_hidden", events.BOARD, {"idea_id": idea.id})
        ]
        if reason:
            hidden_events.append(
                events.record(
                    db,
                    workshop,
                    "idea_hidden",
                    events.FACILITATOR,
                    {"idea_id": idea.id, "reason": reason},
                )
            )
        return hidden_events
    return [
        events.record(db, workshop, "idea_unhidden", events.BOARD, {"idea": events.idea_view(idea)})
    ]


def move(db: Session, workshop: Workshop, idea_id: object, theme_id: object) -> list[Event]:
    """Put an idea in a theme, or back among new ideas (theme_id None); clustering leaves it."""
    idea = get(db, workshop, idea_id)
    theme_id = validation.identifier(theme_id, "theme_id", optional=True)
    if theme_id is not None:
        theme = db.get(Theme, theme_id)
        if theme is None or theme.workshop_id != workshop.id or theme.retired:
            raise Rejected("No such theme in this workshop.", "not_found")
    if idea.theme_id == theme_id and idea.placed_by_facilitator == (theme_id is not None):
        return []
    audit.record(
        db, workshop, "move_idea", {"idea_id": idea.id, "theme_id": theme_id}, ideas=[idea]
    )
    idea.theme_id = theme_id
    idea.placed_by_facilitator = theme_id is not None
    workshop.content_version += 1
    workshop.curation_version += 1
    return [
        events.record(
            db, workshop, "idea_moved", events.BOARD, {"idea_id": idea.id, "theme_id": theme_id}
        )
    ]


def merge(db: Session, workshop: Workshop, idea_id: object, duplicate_ids: object) -> list[Event]:
    """Merge near-duplicates into one idea: each keeps its text, their votes add up."""
    primary = get(db, workshop, idea_id)
    if not isinstance(duplicate_ids, list) or not 1 <= len(duplicate_ids) <= 50:
        raise Rejected("duplicate_ids must be a list of 1 to 50 idea ids.", "malformed")
    duplicates = [get(db, workshop, i) for i in duplicate_ids]
    if primary.merged_into_id is not None:
        raise Rejected("This idea is itself merged into another one.", "conflict")
    if any(d.id == primary.id for d in duplicates):
        raise Rejected("An idea cannot be merged into itself.", "malformed")
    # Ideas already merged into one of these follow them to the primary.
    followers = list(
        db.scalars(select(Idea).where(Idea.merged_into_id.in_([d.id for d in duplicates])))
    )
    audit.record(
        db,
        workshop,
        "merge_ideas",
        {"idea_id": primary.id, "duplicate_ids": [d.id for d in duplicates]},
        ideas=[*duplicates, *followers],
    )
    for idea in [*duplicates, *followers]:
        idea.merged_into_id = primary.id
        idea.theme_id = primary.theme_id
    workshop.content_version += 1
    workshop.curation_version += 1
    merged = sorted({i.id for i in [*duplicates, *followers]})
    return [
        events.record(
            db,
            workshop,
            "ideas_merged",
            events.BOARD,
            {"idea_id": primary.id, "merged_ids": merged},
        )
    ]


def near_duplicate_candidates(db: Session, workshop_id: int) -> list[tuple[int, str]]:
    """(id, text) of the visible ideas that may be merged, in order of arrival."""
    rows = db.execute(
        select(Idea.id, Idea.text)
        .where(
            Idea.workshop_id == workshop_id,
            Idea.hidden.is_(False),
            Idea.merged_into_id.is_(None),
        )
        .order_by(Idea.id)
    )
    return [(idea_id, text) for idea_id, text in rows]


def near_duplicate_groups(rows: list[tuple[int, str]], groups: list[list[int]]) -> list[list[int]]:
    """Idea ids of each group of near-duplicates (`analysis.near_duplicates` over rows' texts)."""
    return [[rows[i][0] for i in group] for group in groups if len(group) > 1]
