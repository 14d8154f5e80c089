"""Participation statistics for the minutes: counts per stakeholder category and per question.

Only counts: no device ids, no paper voters' names, no idea texts. Category "" means the
participant did not give one. Participants are the devices that did something (an idea or a
dot). Ideas typed in from paper cards have no category of their own and are counted apart.
"""

from __future__ import annotations

from collections import Counter
from typing import Any


def visible(idea: Any) -> bool:
    """True for an idea the board shows (not hidden by the facilitator, not held for review)."""
    return not idea.hidden and not idea.held


def compute(archive: Any) -> dict[str, Any]:
    """Participants, ideas and votes of a session, per stakeholder category and per question."""
    category_of = {p.id: p.category or "" for p in archive.participants}
    shown = [i for i in archive.ideas if visible(i)]
    # A participant is a device that wrote an idea or cast a dot: a phone that only opened the
    # page, or a device made up by a script, is not counted.
    active = {i.participant_id for i in archive.ideas} | {
        v.participant_id for v in archive.votes if v.dots > 0
    }
    participants = Counter(category_of[p] for p in category_of if p in active)
    ideas_by_category = Counter(
        category_of.get(i.participant_id, "") for i in shown if i.source != "paper"
    )
    per_question = Counter(i.question_id for i in shown)
    voters = {(v.participant_id, v.ballot) for v in archive.votes if v.dots > 0}
    dots_by_category: Counter[str] = Counter()
    voters_by_category: dict[str, set] = {}
    for vote in archive.votes:
        dots_by_category[vote.category or ""] += vote.dots
        voters_by_category.setdefault(vote.category or "", set()).add(
            (vote.participant_id, vote.ballot)
        )
    categories = list(archive.workshop.categories)
    for extra in [*participants, *ideas_by_category, *dots_by_category]:
        if extra not in categories:
            categories.append(extra)
    categories.sort(key=lambda c: c == "")
    return {
        "participants": sum(participants.values()),
        "ideas": len(shown),
        "paper_ideas": sum(1 for i in shown if i.source == "paper"),
        "hidden_ideas": sum(1 for i in archive.ideas if not visible(i)),
        "voters": len(voters),
        "dots": sum(v.dots for v in archive.votes),
        "by_category": [
            {
                "category": category,
                "participants": participants.get(category, 0),
                "ideas": ideas_by_category.get(category, 0),
                "voters": len(voters_by_category.get(category, ())),
                "dots": dots_by_category.get(category, 0),
            }
            for category in categories
        ],
        "by_question": [
            {"question_id": q.id, "question": q.text, "ideas": per_question.get(q.id, 0)}
            for q in sorted(archive.questions, key=lambda q: q.position)
        ]
        + (
            [{"question_id": None, "question": None, "ideas": per_question[None]}]
            if per_question.get(None)
            else []
        ),
    }
