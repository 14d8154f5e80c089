"""Creating workshops, finding them by join code, opening and closing submissions."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitation import validation
from facilitation.models import Event, Participant, Question, Workshop
from facilitation.operations import audit, events
from facilitation.operations.errors import Rejected
from facilitation.vocabulary import LANGUAGES

# No 0/O, 1/I/L: a code read off a projector must be typed without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_QUESTIONS = 20


def normalise_code(code: object) -> str:
    """A join code as typed (any case, spaces, dashes) in its stored form."""
    if not isinstance(code, str):
        raise Rejected("The join code must be text.", "malformed")
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if not cleaned or len(cleaned) > 12:
        raise Rejected("That is not a join code.", "unknown_workshop")
    return cleaned


def find(db: Session, code: object) -> Workshop:
    """The workshop with this join code, or a rejection that says so."""
    workshop = db.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        raise _unknown_code()
    return workshop


def _unknown_code() -> Rejected:
    """The rejection of a join code that no workshop has."""
    return Rejected(
        "No workshop has this join code. Check the code on the screen.", "unknown_workshop"
    )


class PageFacts(NamedTuple):
    """What the phone page shows of a workshop (hashable, so the page can be kept)."""

    title: str
    code: str
    language: str
    questions: tuple[tuple[int, str], ...]
    categories: tuple[str, ...]


def page_facts(db: Session, code: object) -> PageFacts:
    """The phone page's facts of the workshop with this join code, in two light queries."""
    row = db.execute(
        select(
            Workshop.id, Workshop.title, Workshop.code, Workshop.language, Workshop.categories
        ).where(Workshop.code == normalise_code(code))
    ).first()
    if row is None:
        raise _unknown_code()
    questions = db.execute(
        select(Question.id, Question.text)
        .where(Question.workshop_id == row.id)
        .order_by(Question.position)
    )
    return PageFacts(
        row.title,
        row.code,
        row.language,
        tuple((q_id, text) for q_id, text in questions),
        tuple(row.categories or ()),
    )


def create(
    db: Session,
    *,
    title: object,
    language: object = "ro",
    date: dt.date | None = None,
    questions: Sequence[object] = (),
) -> Workshop:
    """Create a workshop with its questions and a fresh join code and facilitator secret."""
    title = validation.text_field(title, "Title", 200)
    if language not in LANGUAGES:
        raise Rejected("Language must be ro or en.", "malformed")
    cleaned = [
        validation.text_field(q, "Question", 500)
        for q in questions
        if isinstance(q, str) and q.strip()
    ]
    if not cleaned:
        raise Rejected("A workshop needs at least one question.", "empty")
    if len(cleaned) > MAX_QUESTIONS:
        raise Rejected.counted(
            "At most %(num)d question.", "At most %(num)d questions.", MAX_QUESTIONS, "too_long"
        )
    workshop = Workshop(
        code=_unused_code(db),
        title=title,
        language=language,
        date=date,
        secret_salt=secrets.token_hex(16),  # the salt of its facilitator key
        submissions_open=True,
        theme_count_min=2,
        theme_count_max=12,
        last_seq=0,
        content_version=0,
        clustered_version=0,
        curation_version=0,
    )
    workshop.questions = [Question(position=i + 1, text=q) for i, q in enumerate(cleaned)]
    db.add(workshop)
    db.flush()
    return workshop


def _unused_code(db: Session) -> str:
    """A random join code no workshop uses yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def participant(db: Session, workshop: Workshop, device_id: str) -> Participant:
    """The participant record of a device in a workshop, made on first sight."""
    found = db.scalar(
        select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.device_id == device_id
        )
    )
    if found is None:
        found = Participant(
            workshop_id=workshop.id, device_id=device_id, observer=not workshop.joining_open
        )
        db.add(found)
        db.flush()
    return found


def check_may_write(observer: bool) -> None:
    """Refuse an idea or a vote from a device first seen after the join window closed."""
    if observer:
        raise Rejected(
            "This phone joined after joining closed: it can follow the session, but not write "
            "or vote. Ask the facilitator.",
            "joining_closed",
        )


def set_joining_open(db: Session, workshop: Workshop, is_open: object) -> list[Event]:
    """Open or close the join window: devices first seen while it is closed only watch."""
    is_open = validation.flag(is_open, "open")
    return set_switch(db, workshop, "joining_open", is_open, "open", "set_joining")


def set_switch(
    db: Session, workshop: Workshop, attribute: str, value: bool, field: str, action: str
) -> list[Event]:
    """Turn one of the workshop's yes/no switches; every phone and board sees it at once."""
    if getattr(workshop, attribute) == value:
        return []
    audit.record(db, workshop, action, {field: value}, undoable=False)
    setattr(workshop, attribute, value)
    return [
        events.record(
            db, workshop, "workshop_updated", events.PHONES, events.workshop_view(workshop)
        )
    ]


def set_submissions_open(db: Session, workshop: Workshop, is_open: object) -> list[Event]:
    """Open or close the room for new ideas."""
    is_open = validation.flag(is_open, "open")
    return set_switch(db, workshop, "submissions_open", is_open, "open", "set_submissions")
