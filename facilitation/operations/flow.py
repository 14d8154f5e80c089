"""The room's flow: phases with an optional countdown, silent writing, the question on the board,
and how the vote works. Each change reaches every phone and board at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from facilitation import validation
from facilitation.models import Event, Workshop, utcnow
from facilitation.operations import audit, events
from facilitation.operations.errors import Rejected
from facilitation.vocabulary import PHASES, VOTE_TARGETS

# Writing opens submissions; voting and results close them. Other phases leave them as they are.
SUBMISSIONS_IN_PHASE = {"write": True, "vote": False, "results": False}
MAX_COUNTDOWN_SECONDS = 4 * 60 * 60
MAX_CATEGORIES = 12
# Bounds of a workshop's own limit on new ideas per phone and minute.
MIN_IDEAS_PER_MINUTE, MAX_IDEAS_PER_MINUTE = 1, 120
# Bounds of the dots each voter has (budget) and of the dots one item may take (cap).
MIN_DOTS, MAX_DOTS = 1, 20


def _updated(db: Session, workshop: Workshop) -> list[Event]:
    """The event that tells every client the workshop's new state."""
    return [
        events.record(
            db, workshop, "workshop_updated", events.PHONES, events.workshop_view(workshop)
        )
    ]


def _countdown_end(seconds: object) -> dt.datetime | None:
    """When a countdown of `seconds` started now ends (None: no countdown)."""
    if seconds is not None and (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not 0 < seconds <= MAX_COUNTDOWN_SECONDS
    ):
        raise Rejected("seconds must be a whole number from 1 to 14400.", "malformed")
    return utcnow() + dt.timedelta(seconds=seconds) if seconds else None


def set_phase(
    db: Session, workshop: Workshop, phase: object, seconds: object = None
) -> list[Event]:
    """Move the room to a phase, with its own countdown of `seconds` when given.

    A phase never inherits the countdown of the one before: without `seconds` it has none.
    The results are revealed only once the vote is closed (`set_vote_open`): closing the vote
    and showing its totals are two steps, so nobody sees totals while others still vote.
    """
    if phase not in PHASES:
        raise Rejected("phase must be one of: %(phases)s.", "malformed", phases=", ".join(PHASES))
    ends_at = _countdown_end(seconds)
    if workshop.phase == phase and workshop.phase_ends_at == ends_at:
        return []
    if phase == "results" and workshop.phase == "vote" and not workshop.vote_closed:
        raise Rejected(
            "Close the vote before revealing the results: people are still voting.", "conflict"
        )
    audit.record(db, workshop, "set_phase", {"phase": phase, "seconds": seconds}, undoable=False)
    if phase == "vote" and workshop.phase != "vote":
        workshop.vote_opened_at = utcnow()  # devices that join from now on do not vote
        workshop.vote_closed = False
    workshop.phase = phase
    workshop.phase_ends_at = ends_at
    if phase in SUBMISSIONS_IN_PHASE:
        workshop.submissions_open = SUBMISSIONS_IN_PHASE[phase]
    return _updated(db, workshop)


def set_revealed(db: Session, workshop: Workshop, revealed: object) -> list[Event]:
    """End silent writing (boards show the ideas) or start it (boards show only a count)."""
    revealed = validation.flag(revealed, "revealed")
    if workshop.ideas_revealed == revealed:
        return []
    audit.record(db, workshop, "reveal_ideas" if revealed else "hide_ideas", {}, undoable=False)
    workshop.ideas_revealed = revealed
    return _updated(db, workshop)


def show_question(db: Session, workshop: Workshop, question_id: object) -> list[Event]:
    """Show one question's ideas on the board, or every question's (question_id None)."""
    question_id = validation.identifier(question_id, "question_id", optional=True)
    if question_id is not None and question_id not in {q.id for q in workshop.questions}:
        raise Rejected("This question is not part of the workshop.", "not_found")
    if workshop.board_question_id == question_id:
        return []
    audit.record(db, workshop, "show_question", {"question_id": question_id}, undoable=False)
    workshop.board_question_id = question_id
    return _updated(db, workshop)


def _small_int(value: object, field: str, low: int, high: int) -> int:
    """A whole number within bounds, or a rejection naming the field."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Rejected(
            "%(field)s must be a whole number from %(low)s to %(high)s.",
            "malformed",
            field=field,
            low=low,
            high=high,
        )
    return value


def set_vote_rules(
    db: Session, workshop: Workshop, target: object, budget: object, cap: object
) -> list[Event]:
    """Choose what people vote on (themes or ideas), their dots (budget) and dots per item (cap)."""
    if target not in VOTE_TARGETS:
        raise Rejected("target must be themes or ideas.", "malformed")
    budget = _small_int(budget, "budget", MIN_DOTS, MAX_DOTS)
    cap = _small_int(cap, "cap", MIN_DOTS, MAX_DOTS)
    if cap > budget:
        raise Rejected("The cap per item cannot be larger than the budget.", "malformed")
    if workshop.phase in ("vote", "results"):
        raise Rejected("Change the vote rules before the vote starts.", "conflict")
    if (workshop.vote_target, workshop.vote_budget, workshop.vote_cap) == (target, budget, cap):
        return []
    audit.record(
        db,
        workshop,
        "set_vote_rules",
        {"target": target, "budget": budget, "cap": cap},
        workshop_fields=True,
    )
    workshop.vote_target, workshop.vote_budget, workshop.vote_cap = target, budget, cap
    return _updated(db, workshop)


def set_categories(db: Session, workshop: Workshop, categories: object) -> list[Event]:
    """Set the stakeholder categories phones may choose from at join."""
    if not isinstance(categories, list) or len(categories) > MAX_CATEGORIES:
        raise Rejected.counted(
            "categories must be a list of at most %(num)d name.",
            "categories must be a list of at most %(num)d names.",
            MAX_CATEGORIES,
            "malformed",
        )
    cleaned: list[str] = []
    for category in categories:
        name = validation.text_field(category, "Category", 80)
        if name not in cleaned:
            cleaned.append(name)
    if cleaned == list(workshop.categories or []):
        return []
    audit.record(db, workshop, "set_categories", {"categories": cleaned}, undoable=False)
    workshop.categories = cleaned
    return _updated(db, workshop)


def set_idea_limit(db: Session, workshop: Workshop, per_minute: object) -> list[Event]:
    """Set how many new ideas one phone may send per minute (None: the server's default).

    An idea over the limit is not lost: the phone keeps it and sends it by itself when the
    limit allows.
    """
    if per_minute is not None:
        per_minute = _small_int(
            per_minute, "per_minute", MIN_IDEAS_PER_MINUTE, MAX_IDEAS_PER_MINUTE
        )
    if workshop.ideas_per_minute == per_minute:
        return []
    audit.record(db, workshop, "set_idea_limit", {"per_minute": per_minute}, undoable=False)
    workshop.ideas_per_minute = per_minute
    return _updated(db, workshop)


def set_countdown(db: Session, workshop: Workshop, seconds: object) -> list[Event]:
    """Start a countdown of `seconds` in the current phase, or stop it (None)."""
    ends_at = _countdown_end(seconds)
    if workshop.phase_ends_at is None and ends_at is None:
        return []
    audit.record(db, workshop, "set_countdown", {"seconds": seconds}, undoable=False)
    workshop.phase_ends_at = ends_at
    return _updated(db, workshop)


def set_vote_open(db: Session, workshop: Workshop, is_open: object) -> list[Event]:
    """Close the vote (ballots become final, totals stay hidden) or open it again.

    Only during the vote phase; the results phase reveals the totals once it is closed.
    """
    is_open = validation.flag(is_open, "open")
    if workshop.phase != "vote":
        raise Rejected("The vote is not running: move to the vote phase first.", "conflict")
    if workshop.vote_closed != is_open:
        return []
    audit.record(db, workshop, "open_vote" if is_open else "close_vote", {}, undoable=False)
    workshop.vote_closed = not is_open
    return _updated(db, workshop)


def reveal_results(db: Session, workshop: Workshop, seconds: object = None) -> list[Event]:
    """Show the totals of a closed vote to everyone: the results phase."""
    return set_phase(db, workshop, "results", seconds)
