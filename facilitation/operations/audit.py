"""The facilitator's action log: what staff read afterwards, and what undo restores.

Each curation records, before it changes anything, the fields it is about to change on every row
it touches. Undo puts those fields back; nothing else needs to know how to reverse an action.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitation.models import FacilitatorAction, Idea, Participant, Theme, Vote, Workshop

IDEA_FIELDS = (
    "theme_id",
    "placed_by_facilitator",
    "hidden",
    "hidden_reason",
    "held",
    "merged_into_id",
)
THEME_FIELDS = ("name", "renamed", "locked", "retired", "merged_into_id")
# A vote as undo puts it back (an action that removed votes keeps them in "votes").
VOTE_FIELDS = ("participant_id", "proxy_label", "category", "target_kind", "target_id", "dots")
WORKSHOP_FIELDS = (
    "theme_count_min",
    "theme_count_max",
    "blocked_words",
    "vote_target",
    "vote_budget",
    "vote_cap",
)


def record(
    db: Session,
    workshop: Workshop,
    action: str,
    detail: dict[str, Any],
    *,
    ideas: Iterable[Idea] = (),
    themes: Iterable[Theme] = (),
    workshop_fields: bool = False,
    undoable: bool = True,
) -> FacilitatorAction:
    """Log an action and, when undoable, the current state of the rows it will change."""
    before = None
    if undoable:
        before = {
            "ideas": {str(i.id): {f: getattr(i, f) for f in IDEA_FIELDS} for i in ideas},
            "themes": {str(t.id): {f: getattr(t, f) for f in THEME_FIELDS} for t in themes},
            "created_themes": [],
        }
        if workshop_fields:
            before["workshop"] = {f: getattr(workshop, f) for f in WORKSHOP_FIELDS}
    entry = FacilitatorAction(
        workshop_id=workshop.id, action=action, detail=detail, before=before, undone=False
    )
    db.add(entry)
    return entry


def note_created_theme(entry: FacilitatorAction, theme: Theme) -> None:
    """Remember a theme the action created, so undo retires it."""
    before = dict(entry.before)
    before["created_themes"] = [*before["created_themes"], theme.id]
    entry.before = before


def last_undoable(db: Session, workshop: Workshop) -> FacilitatorAction | None:
    """The newest action that can still be undone."""
    return db.scalar(
        select(FacilitatorAction)
        .where(
            FacilitatorAction.workshop_id == workshop.id,
            FacilitatorAction.before.is_not(None),
            FacilitatorAction.undone.is_(False),
        )
        .order_by(FacilitatorAction.id.desc())
        .limit(1)
    )


def restore(db: Session, workshop: Workshop, entry: FacilitatorAction) -> None:
    """Put back every field the action changed, and retire the themes it created."""
    before = entry.before
    for theme_id in before.get("created_themes", []):
        theme = db.get(Theme, theme_id)
        if theme is not None:
            theme.retired = True
    for idea_id, fields in before["ideas"].items():
        idea = db.get(Idea, int(idea_id))
        if idea is not None:
            for name, value in fields.items():
                setattr(idea, name, value)
    for theme_id, fields in before["themes"].items():
        theme = db.get(Theme, int(theme_id))
        if theme is not None:
            for name, value in fields.items():
                setattr(theme, name, value)
    for name, value in before.get("workshop", {}).items():
        setattr(workshop, name, value)
    for participant_id, fields in before.get("participants", {}).items():
        participant = db.get(Participant, int(participant_id))
        if participant is not None:
            for name, value in fields.items():
                setattr(participant, name, value)
    for vote in before.get("votes", []):
        db.add(Vote(workshop_id=workshop.id, **vote))
    entry.undone = True


def log(db: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """Every action on a workshop, oldest first, as staff read it."""
    entries = db.scalars(
        select(FacilitatorAction)
        .where(FacilitatorAction.workshop_id == workshop.id)
        .order_by(FacilitatorAction.id)
    )
    return [
        {
            "at": e.created_at.isoformat() + "Z",
            "action": e.action,
            "detail": e.detail,
            "undone": e.undone,
        }
        for e in entries
    ]
