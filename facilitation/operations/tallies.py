"""Vote counts read from the database: who voted, the ranked results, who joined per category.

Reading only: casting votes and recording them as events is `voting`'s job. Kept apart so that
the event log's views (`events.workshop_view`, `events.snapshot`) can show the counts without
importing the module that records events through them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitation.models import Idea, Participant, Theme, Vote, Workshop

NO_CATEGORY = ""


def voters(db: Session, workshop: Workshop) -> int:
    """How many people (phones and paper ballots) have put at least one dot."""
    rows = db.execute(
        select(Vote.participant_id, Vote.proxy_label)
        .where(Vote.workshop_id == workshop.id, Vote.dots > 0)
        .distinct()
    )
    return len(rows.all())


def _resolve(db: Session, model, item_id: int) -> int:  # noqa: ANN001
    """Follow merges to the item that now carries this one's votes."""
    seen = set()
    while item_id not in seen:
        seen.add(item_id)
        row = db.get(model, item_id)
        if row is None or row.merged_into_id is None:
            return item_id
        item_id = row.merged_into_id
    return item_id


def results(db: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """Ranked totals per item, merged items added up, with dots per stakeholder category."""
    totals: Counter[tuple[str, int]] = Counter()
    by_category: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    voters_of: dict[tuple[str, int], set] = defaultdict(set)
    for vote in db.scalars(select(Vote).where(Vote.workshop_id == workshop.id)):
        model = Theme if vote.target_kind == "theme" else Idea
        key = (vote.target_kind, _resolve(db, model, vote.target_id))
        totals[key] += vote.dots
        by_category[key][vote.category or NO_CATEGORY] += vote.dots
        voters_of[key].add((vote.participant_id, vote.proxy_label))
    ranked = []
    for (kind, item_id), dots in totals.most_common():
        row = db.get(Theme if kind == "theme" else Idea, item_id)
        label = row.name if kind == "theme" else row.text
        ranked.append(
            {
                "kind": kind,
                "id": item_id,
                "label": label,
                "dots": dots,
                "voters": len(voters_of[(kind, item_id)]),
                "by_category": dict(by_category[(kind, item_id)]),
            }
        )
    ranked.sort(key=lambda r: (-r["dots"], r["label"]))
    return ranked


def participation(db: Session, workshop: Workshop) -> dict[str, int]:
    """How many phones joined, per stakeholder category (no personal data)."""
    rows = db.execute(
        select(Participant.category, func.count(Participant.id))
        .where(Participant.workshop_id == workshop.id)
        .group_by(Participant.category)
    )
    return {category or NO_CATEGORY: count for category, count in rows}
