"""The per-workshop event log: what changed, numbered, for live updates and catch-up.

An event is written in the same transaction as the change it describes, with the next sequence
number of its workshop, so a client that reconnects with the last number it saw can be sent
exactly what it missed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from facilitation.models import Event, Idea, Participant, Theme, Workshop
from facilitation.operations import tallies

PHONES, BOARD, FACILITATOR = "phones", "board", "facilitator"
# Which audiences each kind of client may see.
VISIBLE_TO = {
    "phone": (PHONES,),
    "board": (PHONES, BOARD),
    "facilitator": (PHONES, BOARD, FACILITATOR),
}

# The statements of every event, built once: building one costs more than running it.
_WORKSHOPS = Workshop.__table__.c
_COUNT = (
    update(Workshop.__table__)
    .where(_WORKSHOPS.id == bindparam("workshop_id"))
    .values(last_seq=_WORKSHOPS.last_seq + 1)
    .returning(_WORKSHOPS.last_seq, _WORKSHOPS.content_version)
)
_COUNT_CONTENT = _COUNT.values(content_version=_WORKSHOPS.content_version + 1)
_INSERT = insert(Event.__table__)


def record(
    db: Session | Connection,
    workshop: Workshop | int,
    kind: str,
    audience: str,
    data: dict[str, Any],
    *,
    content_changed: bool = False,
) -> Event:
    """Write one event with the workshop's next sequence number.

    content_changed also counts a change of the workshop's ideas (its content_version), in the
    same statement. A Workshop object is given the new counters as stored, so that they are
    not written again; an operation that did not load its workshop (the hot path of an idea)
    gives its id, and may give a connection instead of a session.
    """
    if isinstance(workshop, int):
        return _write(db, workshop, kind, audience, data, content_changed)[0]
    event, content_version = _write(db, workshop.id, kind, audience, data, content_changed)
    set_committed_value(workshop, "last_seq", event.seq)
    if content_changed:
        set_committed_value(workshop, "content_version", content_version)
    return event


def _write(
    db: Session | Connection,
    workshop_id: int,
    kind: str,
    audience: str,
    data: dict[str, Any],
    content_changed: bool,
) -> tuple[Event, int]:
    """Number and insert one event; the event (not in the session) and the content version.

    One atomic increment in the database (several server processes may write events), then
    one INSERT, both Core statements on the session's connection. The session's pending
    changes are written first, as before any query. An idea's hot path gives a connection
    (`Store.write_statements`), with no session at all.
    """
    if isinstance(db, Session):
        db.flush()
        connection = db.connection()
    else:
        connection = db
    counted = _COUNT_CONTENT if content_changed else _COUNT
    seq, content_version = connection.execute(counted, {"workshop_id": workshop_id}).one()
    values = {"workshop_id": workshop_id, "seq": seq, "kind": kind, "audience": audience}
    connection.execute(_INSERT, {"payload": data, **values})
    return Event(payload=data, **values), content_version


def as_message(event: Event) -> dict[str, Any]:
    """The form in which an event travels to a client."""
    return {"seq": event.seq, "kind": event.kind, "data": event.payload}


def idea_view(idea: Idea, *, for_facilitator: bool = False) -> dict[str, Any]:
    """An idea as boards show it; the facilitator also sees whether it is hidden."""
    view = {
        "id": idea.id,
        "text": idea.text,
        "theme_id": idea.theme_id,
        "question_id": idea.question_id,
        "merged_into_id": idea.merged_into_id,
        "source": idea.source,
        "created_at": idea.created_at.isoformat() + "Z",
    }
    if for_facilitator:
        view["hidden"] = idea.hidden
        view["hidden_reason"] = idea.hidden_reason
        view["held"] = idea.held
        view["placed_by_facilitator"] = idea.placed_by_facilitator
    return view


def theme_view(theme: Theme) -> dict[str, Any]:
    """A theme as boards show it."""
    return {
        "id": theme.id,
        "name": theme.name,
        "color": theme.color,
        "position": theme.position,
        "terms": list(theme.terms or []),
        "representative_idea_id": theme.representative_idea_id,
        "locked": theme.locked,
    }


def workshop_view(workshop: Workshop) -> dict[str, Any]:
    """What every client knows of the workshop itself; vote totals only once the vote closed."""
    view = {
        "code": workshop.code,
        "title": workshop.title,
        "language": workshop.language,
        "date": workshop.date.isoformat() if workshop.date else None,
        "submissions_open": workshop.submissions_open,
        "joining_open": workshop.joining_open,
        "late_voters": workshop.late_voters,
        "ideas_per_minute": workshop.ideas_per_minute,
        "theme_count_min": workshop.theme_count_min,
        "theme_count_max": workshop.theme_count_max,
        "phase": workshop.phase,
        "vote_closed": workshop.vote_closed,
        "phase_ends_at": workshop.phase_ends_at.isoformat() + "Z"
        if workshop.phase_ends_at
        else None,
        "ideas_revealed": workshop.ideas_revealed,
        "board_question_id": workshop.board_question_id,
        "vote_target": workshop.vote_target,
        "vote_budget": workshop.vote_budget,
        "vote_cap": workshop.vote_cap,
        "categories": list(workshop.categories or []),
        "questions": [
            {"id": q.id, "position": q.position, "text": q.text} for q in workshop.questions
        ],
    }
    if workshop.phase == "results":
        db = object_session(workshop)
        view["results"] = tallies.results(db, workshop)
        view["participation"] = tallies.participation(db, workshop)
    return view


def snapshot(
    db: Session, workshop: Workshop, role: str, participant: Participant | None = None
) -> dict:
    """Everything a client of this role needs to draw its page from scratch."""
    view: dict[str, Any] = {"workshop": workshop_view(workshop), "seq": workshop.last_seq}
    if role == "phone":
        mine = db.scalars(
            select(Idea)
            .where(Idea.workshop_id == workshop.id, Idea.participant_id == participant.id)
            .order_by(Idea.id)
        )
        view["my_ideas"] = [
            {"client_id": i.client_id, "text": i.text, "question_id": i.question_id} for i in mine
        ]
        return view
    for_facilitator = role == "facilitator"
    ideas = select(Idea).where(Idea.workshop_id == workshop.id).order_by(Idea.id)
    if not for_facilitator:
        ideas = ideas.where(Idea.hidden.is_(False), Idea.held.is_(False))
    else:
        view["word_list"] = list(workshop.blocked_words or [])
    view["ideas"] = [idea_view(i, for_facilitator=for_facilitator) for i in db.scalars(ideas)]
    themes = select(Theme).where(Theme.workshop_id == workshop.id, Theme.retired.is_(False))
    view["themes"] = [theme_view(t) for t in db.scalars(themes.order_by(Theme.position))]
    view["voters"] = tallies.voters(db, workshop)
    return view


def missed(db: Session, workshop: Workshop, role: str, since: int, limit: int) -> list[dict] | None:
    """Events after since that this role may see, in order; None when a snapshot is better."""
    if since < 0 or since > workshop.last_seq or workshop.last_seq - since > limit:
        return None
    events = list(
        db.scalars(
            select(Event)
            .where(
                Event.workshop_id == workshop.id,
                Event.seq > since,
                Event.audience.in_(VISIBLE_TO[role]),
            )
            .order_by(Event.seq)
        )
    )
    if role == "board":
        # An idea hidden since must not reach the board, even through an older event.
        shown_ids = {e.payload["idea"]["id"] for e in events if "idea" in e.payload}
        hidden = set(
            db.scalars(
                select(Idea.id).where(
                    Idea.id.in_(shown_ids), (Idea.hidden.is_(True)) | (Idea.held.is_(True))
                )
            )
        )
        events = [e for e in events if e.payload.get("idea", {}).get("id") not in hidden]
    return [as_message(e) for e in events]
