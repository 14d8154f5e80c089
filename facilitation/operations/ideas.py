"""Ideas: submitted by phones once per client id, hidden, unhidden and moved by the facilitator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitation import validation
from facilitation.models import Event, Idea, Participant, Theme, Workshop
from facilitation.operations import audit, events, moderation
from facilitation.operations.errors import RateLimited, Rejected


@dataclass
class Submitted:
    """The outcome of a submission: the stored idea, and whether this call stored it."""

    idea: Idea
    created: bool
    events: list[Event]


def submit(
    db: Session,
    workshop: Workshop,
    participant: Participant | int | None,
    *,
    client_id: object,
    text: object,
    question_id: object = None,
    max_length: int = 500,
    theme_guess: int | None = None,
    retry_after: int = 0,
    source: str = "phone",
) -> Submitted:
    """Store an idea once per (workshop, client id); a retry returns the stored idea unchanged.

    `participant` is the device's Participant or its id (the phone's connection knows it, which
    spares a read per idea), and None for an idea staff typed in from a paper card
    (`source="paper"`), which is accepted even while submissions are closed. `theme_guess` is
    the theme the idea seems to belong to (None: "new"), used while that theme is live and
    unlocked. `retry_after` is the seconds before the device's next new idea fits its rate
    limit (0: now); a new idea is refused until then, while a retry of a stored idea is
    answered whatever it is. The caller counts an idea stored (`created`) against the limit.
    """
    client_id = validation.client_id(client_id)
    existing = db.scalar(
        select(Idea).where(Idea.workshop_id == workshop.id, Idea.client_id == client_id)
    )
    owner = participant.id if isinstance(participant, Participant) else participant
    if existing is not None:
        if existing.participant_id != owner or existing.source != source:
            raise Rejected("This idea id belongs to another device.", "conflict")
        return Submitted(existing, False, [])
    text = validation.text_field(text, "Idea", max_length)
    question_id = validation.identifier(question_id, "question_id", optional=True)
    if question_id is not None and question_id not in {q.id for q in workshop.questions}:
        raise Rejected("This question is not part of the workshop.", "malformed")
    if source == "phone" and not workshop.submissions_open:
        raise Rejected("The facilitator has closed submissions for now.", "closed")
    if retry_after > 0:
        raise _too_fast(retry_after)
    held = moderation.matches_word_list(text, workshop.blocked_words or [])
    theme_id = None if held else _active_theme(db, workshop, theme_guess)
    idea = Idea(
        workshop_id=workshop.id,
        question_id=question_id,
        participant_id=owner,
        client_id=client_id,
        text=text,
        hidden=False,
        held=held,
        source=source,
        theme_id=theme_id,
        placed_by_facilitator=False,
    )
    db.add(idea)
    db.flush()
    if held:
        # Only the facilitator sees a held idea, until they approve it.
        view = events.idea_view(idea, for_facilitator=True)
        return Submitted(
            idea,
            True,
            [events.record(db, workshop, "idea_held", events.FACILITATOR, {"idea": view})],
        )
    event = events.record(
        db,
        workshop,
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


def _active_theme(db: Session, workshop: Workshop, theme_id: int | None) -> int | None:
    """theme_id when it names a live, unlocked theme of this workshop, else None."""
    if theme_id is None:
        return None
    theme = db.get(Theme, theme_id)
    ok = theme and theme.workshop_id == workshop.id and not theme.retired and not theme.locked
    return theme_id if ok else None


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
