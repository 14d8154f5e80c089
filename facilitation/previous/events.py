"""Socket.IO events of the facilitator's then-and-now controls: decide on a match, undo it.

Each stores the decision in one transaction and replies at once; the comparison is made again by
the background loop in the clustering worker and arrives as `comparison_updated`.
"""

from __future__ import annotations

from facilitation import rooms
from facilitation.previous import decisions
from facilitation.rooms import handler
from facilitation.validation import payload


@handler("facilitator")
def on_decide_match(connection: rooms.Connection, data):  # noqa: ANN001
    """Facilitator confirms, rejects or makes a match: {theme_id, previous_theme, decision}."""
    data = payload(data)
    result = rooms.change(
        connection.workshop_id,
        lambda db, w: decisions.decide(
            db, w, data.get("theme_id"), data.get("previous_theme"), data.get("decision")
        ),
    )
    return {"ok": True, "changed": True, "decision": result["decision"], "pending": True}


@handler("facilitator")
def on_undo_match_decision(connection: rooms.Connection, data):  # noqa: ANN001
    """Facilitator removes a decision on a match: {theme_id, previous_theme}."""
    data = payload(data)
    result = rooms.change(
        connection.workshop_id,
        lambda db, w: decisions.undo(db, w, data.get("theme_id"), data.get("previous_theme")),
    )
    return {"ok": True, "changed": True, "undone": result["undone"], "pending": True}
