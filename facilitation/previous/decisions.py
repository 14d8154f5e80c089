"""The facilitator's decisions on the then-and-now matches: confirm, reject, match by hand, undo.

A decision is stored at once and the comparison is made again in the background (the clustering
worker, never the handler), which respects every decision and pushes `comparison_updated`. An
earlier theme is named by its label as the last comparison showed it; today's theme by its id.
Refused, with nothing changed: a theme that is not on the board, an earlier theme the comparison
does not have, an unknown decision, and the same decision sent again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from analysis.comparison import CONFIRMED, MADE, REJECTED
from analysis.text import canonical
from facilitation.models import ComparisonDecision, Theme, Workshop
from facilitation.operations import audit
from facilitation.operations.errors import Rejected
from facilitation.previous import operations
from facilitation.validation import identifier, text_field

# What the facilitator sends, and what is stored: "confirm" and "match" store "confirmed" for a
# pair the comparison matched and "made" for one it did not.
ACTIONS = ("confirm", "reject", "match")
MAX_LABEL = 120


def label_key(label: str) -> str:
    """An earlier theme's label as decisions compare it: whatever its case, spacing or cedilla."""
    return canonical(" ".join(str(label).split())).casefold()[:MAX_LABEL]


def _pair(
    db: Session, workshop: Workshop, theme_id: object, previous_theme: object
) -> tuple[Theme, str, dict[str, Any]]:
    """Today's theme, the earlier theme's label as the comparison has it, and that comparison."""
    theme_id = identifier(theme_id, "theme_id")
    label = text_field(previous_theme, "Earlier theme", MAX_LABEL)
    theme = db.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop.id or theme.retired:
        raise Rejected("This theme is not on the board any more.", "not_found")
    session = operations.find(db, workshop)
    if session is None:
        raise Rejected("No previous session has been imported for this workshop.", "not_found")
    comparison = session.comparison
    if not comparison:
        raise Rejected("The comparison is not ready yet; try again in a moment.", "not_ready")
    wanted = label_key(label)
    for earlier in comparison.get("previous_themes") or []:
        if label_key(earlier["label"]) == wanted:
            return theme, earlier["label"], comparison
    raise Rejected(
        "The previous session has no theme called “%(label)s”.", "not_found", label=label
    )


def _computed_match(comparison: dict[str, Any], theme_id: int, label: str) -> bool:
    """Whether the comparison matched the pair by itself (not by a decision)."""
    for theme in comparison.get("current_themes") or []:
        if theme.get("theme_id") != theme_id:
            continue
        for detail in [*(theme.get("match_details") or []), *(theme.get("rejected") or [])]:
            if label_key(detail["label"]) == label_key(label):
                return bool(detail.get("computed"))
    return False


def decide(
    db: Session, workshop: Workshop, theme_id: object, previous_theme: object, action: object
) -> dict[str, Any]:
    """Confirm, reject or make a match; the comparison follows in the background."""
    if action not in ACTIONS:
        raise Rejected("The decision must be confirm, reject or match.", "malformed")
    theme, label, comparison = _pair(db, workshop, theme_id, previous_theme)
    if action == "reject":
        decision = REJECTED
    else:
        decision = CONFIRMED if _computed_match(comparison, theme.id, label) else MADE
    key = label_key(label)
    row = db.scalar(
        select(ComparisonDecision).where(
            ComparisonDecision.workshop_id == workshop.id,
            ComparisonDecision.theme_id == theme.id,
            ComparisonDecision.previous_key == key,
        )
    )
    if row is not None and (row.decision == REJECTED) == (decision == REJECTED):
        raise Rejected("This decision is already recorded.", "already_decided")
    detail = {"theme_id": theme.id, "previous_theme": label, "decision": decision}
    if row is None:
        db.add(
            ComparisonDecision(
                workshop_id=workshop.id,
                theme_id=theme.id,
                previous_label=label,
                previous_key=key,
                decision=decision,
            )
        )
    else:
        detail["was"] = row.decision
        row.decision = decision
        row.previous_label = label
    audit.record(db, workshop, "decide_match", detail, undoable=False)
    _compare_again(db, workshop)
    return {"decision": decision}


def undo(db: Session, workshop: Workshop, theme_id: object, previous_theme: object) -> dict:
    """Remove a decision: the computed match (or its absence) comes back."""
    theme_id = identifier(theme_id, "theme_id")
    label = text_field(previous_theme, "Earlier theme", MAX_LABEL)
    row = db.scalar(
        select(ComparisonDecision).where(
            ComparisonDecision.workshop_id == workshop.id,
            ComparisonDecision.theme_id == theme_id,
            ComparisonDecision.previous_key == label_key(label),
        )
    )
    if row is None:
        raise Rejected("There is no decision on this match to undo.", "not_found")
    audit.record(
        db,
        workshop,
        "undo_match_decision",
        {"theme_id": theme_id, "previous_theme": row.previous_label, "decision": row.decision},
        undoable=False,
    )
    db.delete(row)
    _compare_again(db, workshop)
    return {"undone": row.decision}


def _compare_again(db: Session, workshop: Workshop) -> None:
    """Make the comparison due now: the background loop computes it in the worker."""
    session = operations.find(db, workshop)
    if session is not None:
        operations.inputs_changed(session)
    db.flush()


def archived(db: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """The decisions as the session archive carries them."""
    return [
        {"theme_id": theme_id, "previous_theme": label, "decision": decision}
        for theme_id, label, decision in operations.decisions(db, workshop)
    ]


def restore(
    db: Session, workshop: Workshop, rows: list[dict[str, Any]], theme_ids: dict[int, int]
) -> None:
    """Put archived decisions back, with the restored ids of today's themes."""
    db.execute(delete(ComparisonDecision).where(ComparisonDecision.workshop_id == workshop.id))
    seen = set()
    for row in rows:
        theme_id = theme_ids.get(row.get("theme_id"))
        label = str(row.get("previous_theme") or "")[:MAX_LABEL]
        decision = row.get("decision")
        key = (theme_id, label_key(label))
        if theme_id is None or not label.strip() or decision not in (CONFIRMED, MADE, REJECTED):
            continue
        if key in seen:
            continue
        seen.add(key)
        db.add(
            ComparisonDecision(
                workshop_id=workshop.id,
                theme_id=theme_id,
                previous_label=label,
                previous_key=key[1],
                decision=decision,
            )
        )
    db.flush()
