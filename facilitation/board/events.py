"""Socket.IO events the projected board sends (the facilitator's page sends them too).

The facilitator's own controls are in `facilitation/facilitator/events.py`.
"""

from __future__ import annotations

from flask import current_app

from facilitation import rooms
from facilitation.models import Workshop
from facilitation.operations import tallies
from facilitation.rooms import handler


@handler("board", "facilitator")
def on_get_results(connection: rooms.Connection, data):  # noqa: ANN001
    """Boards ask for vote totals; given only once the vote is closed (results phase)."""
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        if workshop.phase != "results":
            return {
                "ok": False,
                "error": "Totals are shown when the vote closes.",
                "code": "closed",
            }
        return {"ok": True, "results": tallies.results(db, workshop)}
