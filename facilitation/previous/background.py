"""Keeping the "then and now" comparison current on the boards, without blocking them.

Called by the background re-clustering loop after each pass: every workshop whose ideas, themes
or previous session changed since its last comparison is compared again (outside any write
transaction, in the clustering worker process when there is one), and the result is written and
pushed as one `comparison_updated` event. The loop runs every RECLUSTER_INTERVAL seconds, and a
comparison that took t seconds holds the next one of that workshop back like a re-clustering
(`locks.hold_back`). Only the holder of a workshop's clustering lock compares it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext

from facilitation import rooms
from facilitation.locks import Stopping, clustering_lock, hold_back
from facilitation.models import PreviousSession, Workshop
from facilitation.previous import operations

log = logging.getLogger(__name__)
# The page languages the charts are drawn in.
LANGUAGES = ("ro", "en")
Runner = Callable[..., Any]


def refresh_comparison(
    app: Flask, workshop_id: int, run: Runner | None = None, charts: bool = True
) -> bool:
    """Compare one workshop with its previous session now and publish; False when not applied.

    run(function, *args) runs the computation, for example in the clustering worker process.
    With charts=False the charts are not drawn (a comparison takes a tenth of a second, its
    charts seconds): the stored ones stay until a round with time for them.
    """
    store = app.extensions["store"]
    with app.app_context(), clustering_lock(store, workshop_id) as holder:
        if not holder:
            return False
        with store.read() as db:
            workshop = db.get(Workshop, workshop_id)
            data = operations.comparison_input(db, workshop) if workshop is not None else None
        if data is None:
            return False
        began = time.monotonic()
        try:
            view, drawn = operations.compute(
                data, operations.thresholds(app.config), run, chart_words() if charts else {}
            )
        finally:
            elapsed = time.monotonic() - began
            factor = float(app.config["BACKGROUND_BACKOFF"])
            hold_back(store, PreviousSession.compare_after, data.session_id, elapsed, factor)
        recorded = rooms.change(
            workshop_id, lambda db, w: operations.store_comparison(db, w, data, view, drawn)
        )
        log.info("compared workshop %s with its previous session (%.2f s)", workshop_id, elapsed)
        return bool(recorded)


def chart_words() -> dict[str, dict[str, str]]:
    """The words of the comparison's charts in each page language (the worker draws them)."""
    words = {}
    for language in LANGUAGES:
        with force_locale(language):
            words[language] = {
                "title_sizes": gettext("Ideas per theme, then and now"),
                "title_similarity": gettext("Similarity between themes"),
                "then": gettext("then"),
                "now": gettext("now"),
                "ideas": gettext("ideas"),
            }
    return words


def refresh_due_comparisons(app: Flask, run: Runner | None = None, charts: bool = True) -> None:
    """Compare again every workshop whose comparison is out of date, and with charts=True draw
    the charts that do not show the last comparison; each failure contained."""
    try:
        with app.extensions["store"].read() as db:
            workshop_ids = operations.due(db, charts)
    except Exception:
        log.exception("could not list the comparisons to refresh")
        return
    for workshop_id in workshop_ids:
        try:
            refresh_comparison(app, workshop_id, run, charts)
        except Stopping:
            return
        except Exception:
            log.exception("comparing workshop %s with its previous session failed", workshop_id)
