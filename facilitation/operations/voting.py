"""Dot voting: a budget of dots per voter, a cap per item, totals hidden until the vote closes.

A voter's dots are replaced as a whole on every change, so a retried message counts once and a
voter can move dots freely until the vote closes. Votes on themes or ideas that were later
merged count for what they were merged into.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from facilitation import validation
from facilitation.models import Event, Idea, Participant, Theme, Vote, Workshop
from facilitation.operations import events, workshops
from facilitation.operations.errors import Rejected
from facilitation.operations.tallies import voters


def _targets(db: Session, workshop: Workshop) -> dict[int, str]:
    """What can be voted on now: id and label of each live theme, or each visible idea."""
    if workshop.vote_target == "themes":
        rows = db.execute(
            select(Theme.id, Theme.name).where(
                Theme.workshop_id == workshop.id, Theme.retired.is_(False)
            )
        )
    else:
        rows = db.execute(
            select(Idea.id, Idea.text).where(
                Idea.workshop_id == workshop.id,
                Idea.hidden.is_(False),
                Idea.held.is_(False),
                Idea.merged_into_id.is_(None),
            )
        )
    return dict(rows.all())


def ballot(
    db: Session, workshop: Workshop, participant: Participant | None, proxy_label: str = ""
) -> dict:
    """What a voter sees: the items, the rules, and their own dots."""
    owner = participant.id if participant else None
    mine = {
        v.target_id: v.dots
        for v in db.scalars(select(Vote).where(*_voters_dots(workshop, owner, proxy_label)))
    }
    items = _targets(db, workshop)
    ideas_of = _theme_ideas(db, workshop) if workshop.vote_target == "themes" else {}
    return {
        "target": workshop.vote_target,
        "budget": workshop.vote_budget,
        "cap": workshop.vote_cap,
        "open": vote_open(workshop),
        "closed": workshop.phase == "vote" and workshop.vote_closed,
        "items": [
            {"id": i, "label": label, **({"ideas": ideas_of.get(i, [])} if ideas_of else {})}
            for i, label in items.items()
        ],
        "mine": {str(k): v for k, v in mine.items() if k in items},
    }


def vote_open(workshop: Workshop) -> bool:
    """Whether phones may put or move dots now: the vote phase, until the vote is closed."""
    return workshop.phase == "vote" and not workshop.vote_closed


def _theme_ideas(db: Session, workshop: Workshop) -> dict[int, list[str]]:
    """The texts of each theme's visible ideas, oldest first, so a voter sees what a theme holds
    (an idea merged as a near-duplicate is shown with the idea it was merged into)."""
    rows = db.execute(
        select(Idea.theme_id, Idea.text)
        .where(
            Idea.workshop_id == workshop.id,
            Idea.theme_id.is_not(None),
            Idea.hidden.is_(False),
            Idea.held.is_(False),
            Idea.merged_into_id.is_(None),
        )
        .order_by(Idea.id)
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for theme_id, text in rows:
        texts[theme_id].append(text)
    return texts


def cast(
    db: Session,
    workshop: Workshop,
    participant: Participant | None,
    allocations: object,
    *,
    proxy_label: object = "",
    category: object = None,
) -> list[Event]:
    """Replace one voter's dots with `allocations` ({item id: dots}); a retry changes nothing.

    Staff record a paper ballot with participant None and the voter's `proxy_label`.
    """
    proxy_label, category = _voter(participant, proxy_label, category)
    wanted = _dots_wanted(allocations)
    _check_may_vote(workshop, participant)
    _check_rules(workshop, wanted, _targets(db, workshop))
    owner = participant.id if participant else None
    if not _replace_dots(db, workshop, owner, proxy_label, category, wanted):
        return []
    if workshop.phase == "results":
        return [
            events.record(
                db, workshop, "workshop_updated", events.PHONES, events.workshop_view(workshop)
            )
        ]
    return [
        events.record(db, workshop, "votes_cast", events.BOARD, {"voters": voters(db, workshop)})
    ]


def _voter(
    participant: Participant | None, proxy_label: object, category: object
) -> tuple[str, str | None]:
    """The voter's label and category: a phone's own category, or a paper ballot's fields."""
    if participant is not None:
        return "", participant.category
    label = validation.text_field(proxy_label, "Voter", 80)
    return label, validation.text_field(category, "Category", 80, required=False) or None


def _dots_wanted(allocations: object) -> dict[int, int]:
    """{item id: dots} read from the message, items with no dots left out."""
    if not isinstance(allocations, Mapping) or len(allocations) > 200:
        raise Rejected("votes must map item ids to numbers of dots.", "malformed")
    wanted: dict[int, int] = {}
    for key, dots in allocations.items():
        try:
            target = int(key)
        except (TypeError, ValueError):
            raise Rejected("votes must map item ids to numbers of dots.", "malformed") from None
        if isinstance(dots, bool) or not isinstance(dots, int) or dots < 0:
            raise Rejected("Dots must be whole numbers, zero or more.", "malformed")
        if dots:
            wanted[target] = dots
    return wanted


def _check_may_vote(workshop: Workshop, participant: Participant | None) -> None:
    """Refuse a ballot outside the vote, and a phone that may not vote (an observer, or one
    that joined during the vote). Staff may still record paper ballots in the results."""
    if participant is not None and workshop.phase == "vote" and workshop.vote_closed:
        raise Rejected("The vote is closed.", "closed")
    if workshop.phase != "vote" and not (participant is None and workshop.phase == "results"):
        raise Rejected("Voting is not open.", "closed")
    if participant is None:
        return
    workshops.check_may_write(participant.observer)
    opened = workshop.vote_opened_at
    if opened is not None and participant.created_at > opened and not workshop.late_voters:
        # A device made during the vote could be one of many made-up ballots.
        raise Rejected(
            "This phone joined after the vote opened, so it cannot vote. Ask the facilitator.",
            "joined_late",
        )


def _check_rules(workshop: Workshop, wanted: dict[int, int], items: Mapping[int, str]) -> None:
    """Refuse dots over the budget or the cap per item, or on an item not on the ballot."""
    if sum(wanted.values()) > workshop.vote_budget:
        raise Rejected.counted(
            "You have %(num)d dot in all.",
            "You have %(num)d dots in all.",
            workshop.vote_budget,
            "over_budget",
        )
    if any(d > workshop.vote_cap for d in wanted.values()):
        raise Rejected.counted(
            "At most %(num)d dot on one item.",
            "At most %(num)d dots on one item.",
            workshop.vote_cap,
            "over_cap",
        )
    if not set(wanted) <= set(items):
        raise Rejected("You can only vote for items on the ballot.", "not_found")


def _voters_dots(workshop: Workshop, owner: int | None, proxy_label: str) -> tuple:
    """The conditions that select one voter's dots on the workshop's current kind of item."""
    return (
        Vote.workshop_id == workshop.id,
        Vote.participant_id.is_(owner) if owner is None else Vote.participant_id == owner,
        Vote.proxy_label == proxy_label,
        Vote.target_kind == workshop.vote_target[:-1],
    )


def _replace_dots(
    db: Session,
    workshop: Workshop,
    owner: int | None,
    proxy_label: str,
    category: str | None,
    wanted: dict[int, int],
) -> bool:
    """Store the voter's dots in place of the ones they had; False when nothing changed."""
    mine = _voters_dots(workshop, owner, proxy_label)
    current = {v.target_id: v.dots for v in db.scalars(select(Vote).where(*mine))}
    if current == wanted:
        return False
    db.execute(delete(Vote).where(*mine))
    for target, dots in wanted.items():
        db.add(
            Vote(
                workshop_id=workshop.id,
                participant_id=owner,
                proxy_label=proxy_label,
                category=category,
                target_kind=workshop.vote_target[:-1],
                target_id=target,
                dots=dots,
            )
        )
    db.flush()
    return True


def set_category(
    db: Session, workshop: Workshop, participant: Participant, category: object
) -> list[Event]:
    """A phone says which stakeholder category it belongs to (optional, from the list)."""
    category = validation.text_field(category, "Category", 80, required=False) or None
    if category is not None and category not in (workshop.categories or []):
        raise Rejected("Choose one of the categories offered.", "not_found")
    participant.category = category
    return []


def set_late_voters(db: Session, workshop: Workshop, allowed: object) -> list[Event]:
    """Let devices that joined after the vote opened vote too (the facilitator vouches for them)."""
    allowed = validation.flag(allowed, "allowed")
    return workshops.set_switch(db, workshop, "late_voters", allowed, "allowed", "set_late_voters")
