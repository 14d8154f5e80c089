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
from facilitation.store import IN_BATCH

NO_CATEGORY = ""


def voters(db: Session, workshop: Workshop) -> int:
    """How many people (phones and paper ballots) have put at least one dot."""
    rows = db.execute(
        select(Vote.participant_id, Vote.proxy_label)
        .where(Vote.workshop_id == workshop.id, Vote.dots > 0)
        .distinct()
    )
    return len(rows.all())


def _items(db: Session, model, ids: set[int]) -> dict[int, tuple[int | None, str]]:  # noqa: ANN001
    """Each voted item, and every item a merge leads to from it: id -> (merged into, label).

    A few statements for a whole ballot box, not one per vote (a room's results are read on the
    server's loop, at every snapshot of the results phase).
    """
    label = model.name if model is Theme else model.text
    found: dict[int, tuple[int | None, str]] = {}
    wanted = set(ids)
    while wanted:
        batch = sorted(wanted)
        for start in range(0, len(batch), IN_BATCH):
            rows = db.execute(
                select(model.id, model.merged_into_id, label).where(
                    model.id.in_(batch[start : start + IN_BATCH])
                )
            )
            found.update((item_id, (merged, text)) for item_id, merged, text in rows)
        for item_id in wanted - found.keys():  # gone: counted under its own id, without a label
            found[item_id] = (None, "")
        wanted = {m for m, _ in found.values() if m is not None and m not in found}
    return found


def _resolve(items: dict[int, tuple[int | None, str]], item_id: int) -> int:
    """Follow merges to the item that now carries this one's votes."""
    seen = set()
    while item_id not in seen:
        seen.add(item_id)
        merged = items.get(item_id, (None, ""))[0]
        if merged is None:
            return item_id
        item_id = merged
    return item_id


def results(db: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """Ranked totals per item, merged items added up, with dots per stakeholder category."""
    votes = db.execute(
        select(
            Vote.target_kind,
            Vote.target_id,
            Vote.dots,
            Vote.category,
            Vote.participant_id,
            Vote.proxy_label,
        ).where(Vote.workshop_id == workshop.id)
    ).all()
    items = {
        kind: _items(db, Theme if kind == "theme" else Idea, ids)
        for kind, ids in _targets(votes).items()
    }
    totals: Counter[tuple[str, int]] = Counter()
    by_category: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    voters_of: dict[tuple[str, int], set] = defaultdict(set)
    for kind, target_id, dots, category, participant_id, proxy_label in votes:
        key = (kind, _resolve(items[kind], target_id))
        totals[key] += dots
        by_category[key][category or NO_CATEGORY] += dots
        voters_of[key].add((participant_id, proxy_label))
    ranked = []
    for (kind, item_id), dots in totals.most_common():
        ranked.append(
            {
                "kind": kind,
                "id": item_id,
                "label": items[kind].get(item_id, (None, ""))[1],
                "dots": dots,
                "voters": len(voters_of[(kind, item_id)]),
                "by_category": dict(by_category[(kind, item_id)]),
            }
        )
    ranked.sort(key=lambda r: (-r["dots"], r["label"]))
    return ranked


def _targets(votes) -> dict[str, set[int]]:  # noqa: ANN001
    """The ids voted for, per kind of target."""
    targets: dict[str, set[int]] = defaultdict(set)
    for kind, target_id, *_ in votes:
        targets[kind].add(target_id)
    return targets


def participation(db: Session, workshop: Workshop) -> dict[str, int]:
    """How many phones joined, per stakeholder category (no personal data)."""
    rows = db.execute(
        select(Participant.category, func.count(Participant.id))
        .where(Participant.workshop_id == workshop.id)
        .group_by(Participant.category)
    )
    return {category or NO_CATEGORY: count for category, count in rows}
