"""Keeping the "then and now" comparison current on the boards, without blocking them.

Called by the background re-clustering loop after each pass: every workshop whose ideas, themes
or previous session changed since its last comparison is compared again (outside any write
transaction), and the result is written and pushed as one `comparison_updated` event. The loop
runs every RECLUSTER_INTERVAL seconds, which throttles comparisons the same way.
"""

from __future__ import annotations

import logging

from flask import Flask

from facilitation import live
from facilitation.models import Workshop
from facilitation.previous import operations

log = logging.getLogger(__name__)


def refresh_comparison(app: Flask, workshop_id: int) -> bool:
    """Compare one workshop with its previous session now and publish; False when not applied."""
    store = app.extensions["store"]
    with app.app_context():
        with store.read() as db:
            workshop = db.get(Workshop, workshop_id)
            data = operations.comparison_input(db, workshop) if workshop is not None else None
        if data is None:
            return False
        view = operations.compute(data)
        recorded = live.change(
            workshop_id, lambda db, w: operations.store_comparison(db, w, data, view)
        )
        return bool(recorded)


def refresh_due_comparisons(app: Flask) -> None:
    """Compare again every workshop whose comparison is out of date; each failure contained."""
    try:
        with app.extensions["store"].read() as db:
            workshop_ids = operations.due(db)
    except Exception:
        log.exception("could not list the comparisons to refresh")
        return
    for workshop_id in workshop_ids:
        try:
            refresh_comparison(app, workshop_id)
        except Exception:
            log.exception("comparing workshop %s with its previous session failed", workshop_id)
