"""Background re-clustering: the board never waits for it.

A new idea is placed at once with the nearest theme of the last clustering (or among "new"), and
a workshop whose ideas changed is re-clustered in the background at most every
RECLUSTER_INTERVAL seconds, then pushed to boards as one `themes_updated` event. If clustering
fails on some input, the last good themes stay on the board and the error is logged.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from analysis import Clustering, find_themes
from facilitation import live
from facilitation.models import Workshop
from facilitation.operations import themes as theme_ops

log = logging.getLogger(__name__)
FROZEN_PHASES = ("vote", "results")
# Themes are continued (same number, started from the old groups) while the room has grown by
# less than this since the last fresh choice of the number of themes; past it, the number is
# chosen again and identities are carried over by matching old and new groups.
FRESH_CHOICE_GROWTH = 1.3


@dataclass
class _Placement:
    """The last clustering of a workshop, kept to place new ideas without waiting."""

    clustering: Clustering
    theme_ids: list[int]


class BackgroundClusterer:
    """Re-clusters changed workshops in the background and places new ideas meanwhile."""

    def __init__(self, app: Flask) -> None:
        """Bind to an application; the loop starts with `start`."""
        self.app = app
        self.interval = float(app.config["RECLUSTER_INTERVAL"])
        self._placements: dict[int, _Placement] = {}
        self._fresh_size: dict[int, tuple[int, tuple[int, int]]] = {}
        self._stop = threading.Event()
        self._started = False

    def place(self, workshop_id: int, text: str) -> int | None:
        """The theme id a new idea goes to now, or None for "new"."""
        placement = self._placements.get(workshop_id)
        if placement is None:
            return None
        try:
            index = placement.clustering.place(text)
        except Exception:  # a placement failure must never cost an idea
            log.exception("placing an idea failed; it goes to 'new'")
            return None
        return placement.theme_ids[index] if index is not None else None

    def recluster(self, workshop_id: int) -> bool:
        """Re-cluster one workshop now and publish the result; False when nothing was applied."""
        store = self.app.extensions["store"]
        with self.app.app_context():
            with store.read() as db:
                workshop = db.get(Workshop, workshop_id)
                if workshop is None:
                    return False
                data = theme_ops.clustering_input(db, workshop)
            result = find_themes(
                data.texts,
                fixed=data.fixed,
                closed=data.closed,
                k_range=data.k_range,
                previous=self._history(workshop_id, data),
            )

            def apply(db, workshop):  # noqa: ANN001
                return theme_ops.apply_clustering(db, workshop, data, result) or []

            recorded = live.change(workshop_id, apply)
            if not recorded:
                return False
            assignments = recorded[-1].payload["assignments"]
            # Every theme of a clustering has members; its first member's theme is its id.
            theme_ids = [assignments[str(data.idea_ids[t.members[0]])] for t in result.themes]
            self._placements[workshop_id] = _Placement(result, theme_ids)
            return True

    def _history(self, workshop_id: int, data) -> list[int | None] | None:  # noqa: ANN001
        """Current themes to continue, or None when the number of themes should be chosen again."""
        size = len(data.texts)
        fresh_size, k_range = self._fresh_size.get(workshop_id, (0, data.k_range))
        grown = size > fresh_size * FRESH_CHOICE_GROWTH
        if fresh_size and not grown and k_range == data.k_range and any(data.current):
            return data.current
        # A new range from the facilitator, or a room that grew: choose the number afresh.
        self._fresh_size[workshop_id] = (max(size, 1), data.k_range)
        return None

    def dirty_workshops(self) -> list[int]:
        """Workshops whose ideas changed since their last clustering, outside vote and results.

        Themes stand still while people vote on them and read the results; the facilitator can
        still curate them by hand.
        """
        store = self.app.extensions["store"]
        with store.read() as db:
            return list(
                db.scalars(
                    select(Workshop.id).where(
                        Workshop.content_version > Workshop.clustered_version,
                        Workshop.phase.not_in(FROZEN_PHASES),
                    )
                )
            )

    def run_once(self) -> None:
        """Re-cluster every changed workshop, each failure logged and contained."""
        for workshop_id in self.dirty_workshops():
            try:
                self.recluster(workshop_id)
            except Exception:
                log.exception(
                    "re-clustering workshop %s failed; the last good themes stay", workshop_id
                )

    def run_forever(self) -> None:
        """The background loop, until `stop`."""
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:
                log.exception("the re-clustering loop hit an error; it goes on")

    def start(self) -> None:
        """Start the background loop once."""
        if not self._started:
            self._started = True
            live.socketio.start_background_task(self.run_forever)

    def stop(self) -> None:
        """Ask the loop to end."""
        self._stop.set()
