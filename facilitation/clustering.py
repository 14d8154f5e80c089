"""Background re-clustering: the board never waits for it.

A new idea is placed at once with the nearest theme of the last clustering (or among "new"), and
a workshop whose ideas changed is re-clustered in the background at most every
RECLUSTER_INTERVAL seconds, then pushed to boards as one `themes_updated` event. If clustering
fails on some input, the last good themes stay on the board and the error is logged.

With several server processes, every process runs this loop but only the holder of a workshop's
clustering lock re-clusters it; the others rebuild their placement model from the stored themes
when they see that the themes changed, so that every process places new ideas alike.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from analysis import worker as analysis_worker
from analysis.embedding import EmbeddingUnavailable
from analysis.jobs import ThemesRequest
from analysis.placement import Clustering
from analysis.text import detect_language
from facilitation import rooms
from facilitation.extensions import socketio
from facilitation.locks import Stopping, clustering_lock, hold_back, may_start
from facilitation.models import Idea, Workshop
from facilitation.operations import themes as theme_ops
from facilitation.previous import operations as previous_operations
from facilitation.previous.background import refresh_due_comparisons
from facilitation.vocabulary import FROZEN_PHASES

log = logging.getLogger(__name__)
# Themes are continued (same number, started from the old groups) while the room has grown by
# less than this since the last fresh choice of the number of themes; past it, the number is
# chosen again and identities are carried over by matching old and new groups.
FRESH_CHOICE_GROWTH = 1.3
# Longest a clustering may take in a worker before it is given up (the last themes stay).
CLUSTERING_TIMEOUT = 300.0
# After a worker died inside a job (the semantic model's C engine, say), semantic vectors are
# left aside for this long, so that an input that crashes it cannot crash every round: the themes
# go on with TF-IDF meanwhile, and the worker is started again.
SEMANTIC_PAUSE = 300.0
# A previous session's ideas embedded per round of the background loop (about a second's work).
PREVIOUS_BATCH = 32
# Longest the background work that can wait (a previous session's vectors, then-and-now
# charts) waits while rooms keep the worker busy with new ideas.
DEFERRED_WORK = 60.0
# Shortest pause between two rounds of the background loop, even after a long round.
ROUND_PAUSE = 0.05


@dataclass
class _Placement:
    """The last clustering of a workshop, kept to place new ideas without waiting."""

    clustering: Clustering
    theme_ids: list[int]
    # The workshop's clustered_version and curation_version this placement was made from.
    version: tuple[int, int] = (0, 0)


class BackgroundClusterer:
    """Re-clusters changed workshops in the background and places new ideas meanwhile."""

    def __init__(self, app: Flask) -> None:
        """Bind to an application; the loop starts with `start`."""
        self.app = app
        self.interval = float(app.config["RECLUSTER_INTERVAL"])
        self.backoff = float(app.config["BACKGROUND_BACKOFF"])
        self._placements: dict[int, _Placement] = {}
        self._fresh_size: dict[int, tuple[int, tuple[int, int]]] = {}
        self._stop = threading.Event()
        self._started = False
        self._workers = int(app.config["CLUSTERING_WORKERS"])
        self._pool: ProcessPoolExecutor | None = None
        self._pool_guard = threading.Lock()
        self.semantic = bool(app.config["SEMANTIC_THEMES"])
        self._semantic_paused_until = 0.0
        # Counted from the start: a server started while a room writes serves the room first.
        self._deferred_at = time.monotonic()

    def compute(
        self, name: str, *args: Any, languages_of: Iterable[str] = (), **kwargs: Any
    ) -> Any:
        """Run analysis function `name` ("module.function") in a worker process, and return its
        result (here, in this process, with CLUSTERING_WORKERS=0).

        The function is named, not imported: this process then never loads scikit-learn or SciPy.
        languages_of lists texts whose language this process decides (it already did for every
        idea it placed) and passes on, so that the worker never loads the language model.
        Raises `Stopping` once the server shuts down, instead of starting more work.
        """
        if self._stop.is_set():
            raise Stopping
        languages = _languages(languages_of)
        if self._workers <= 0:
            return analysis_worker.call(name, languages, args, kwargs)
        with self._pool_guard:
            if self._pool is None:
                # "spawn": a fresh interpreter, never a fork of a process with live threads.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=context,
                    initializer=analysis_worker.start,
                    initargs=(os.getpid(),),
                )
            pool = self._pool
        try:
            future = pool.submit(analysis_worker.call, name, languages, args, kwargs)
            return future.result(timeout=CLUSTERING_TIMEOUT)
        except BrokenProcessPool:
            # The worker died inside a job: the next job starts a new one.
            self._discard(pool)
            self._semantic_paused_until = time.monotonic() + SEMANTIC_PAUSE
            log.error("the clustering worker died during %s; it is started again", name)
            raise
        except RuntimeError:  # the pool or the interpreter is shutting down
            if self._stop.is_set() or sys.is_finalizing():
                raise Stopping from None
            raise

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken worker pool, so that the next job starts a fresh one."""
        with self._pool_guard:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def semantic_now(self) -> bool:
        """Whether this round may group ideas by semantic vectors (on, and not paused)."""
        return self.semantic and time.monotonic() >= self._semantic_paused_until

    def place(self, workshop_id: int, text: object) -> int | None:
        """The theme id a new idea goes to now, or None for "new" (or for text that is no text)."""
        placement = self._placements.get(workshop_id)
        if placement is None or not isinstance(text, str) or not text.strip():
            return None
        try:
            index = placement.clustering.place(text)
        except Exception:  # a placement failure must never cost an idea
            log.exception("placing an idea failed; it goes to 'new'")
            return None
        return placement.theme_ids[index] if index is not None else None

    def recluster(self, workshop_id: int) -> bool:
        """Re-cluster one workshop now and publish the result; False when nothing was applied.

        Nothing happens when another process holds the workshop's clustering lock.
        """
        store = self.app.extensions["store"]
        with self.app.app_context(), clustering_lock(store, workshop_id) as holder:
            if not holder:
                return False
            read_began = time.perf_counter()
            with store.read() as db:
                workshop = db.get(Workshop, workshop_id)
                if workshop is None:
                    return False
                data = theme_ops.clustering_input(db, workshop)
            read_ms = (time.perf_counter() - read_began) * 1000
            request = ThemesRequest(
                texts=data.texts,
                ids=data.idea_ids,
                groups=data.previous,
                fixed=data.fixed,
                closed=data.closed,
                k_range=data.k_range,
                previous=data.current if any(data.current) else None,
                vectors=data.vectors if self.semantic_now() else None,
                language=data.language,
                rechoose=self._rechoose(workshop_id, data),
            )

            def apply(db, workshop):  # noqa: ANN001
                nonlocal apply_ms
                began = time.perf_counter()
                # Vectors are kept even when curation made the themes stale: they stay valid.
                theme_ops.store_vectors(db, job.new_vectors)
                if job.new_vectors:  # logged with the vectors' transaction, before it commits
                    log.info("workshop %s: %d ideas embedded", workshop_id, len(job.new_vectors))
                applied = theme_ops.apply_clustering(
                    db, workshop, data, job.clustering, job.continued
                )
                apply_ms = (time.perf_counter() - began) * 1000
                return applied or []

            # The back-off counts the worker's time and this server's time to apply the result
            # (a large room's round holds the server's loop too), not the one-time embedding.
            began = time.monotonic()
            job = None
            apply_ms = 0.0  # the time apply holds the workshop's lock and write transaction
            try:
                job = self.compute("analysis.jobs.themes", request, languages_of=data.texts)
                if job.fallback:
                    log.warning(
                        "themes of workshop %s by TF-IDF alone: %s", workshop_id, job.fallback
                    )
                recorded = rooms.change(workshop_id, apply)
            finally:  # a failing clustering is held back too, not retried at every round
                elapsed = time.monotonic() - began
                if job is not None:
                    elapsed = max(0.0, elapsed - job.embedding_seconds)
                hold_back(store, Workshop.recluster_after, workshop_id, elapsed, self.backoff)
            result = job.clustering
            if not recorded:
                return False
            # Every theme of a clustering has members; its first member's theme is its id.
            firsts = [data.idea_ids[t.members[0]] for t in result.themes]
            with store.read() as db:
                theme_of = dict(
                    db.execute(select(Idea.id, Idea.theme_id).where(Idea.id.in_(firsts))).all()
                )
                theme_ids = [theme_of.get(idea_id) for idea_id in firsts]
                workshop = db.get(Workshop, workshop_id)
                version = (workshop.clustered_version, workshop.curation_version)
            self._placements[workshop_id] = _Placement(result, theme_ids, version)
            # The two parts of a round that run on the server's loop, timed (make load reports
            # their worst): reading the input, and applying the result under the workshop lock.
            # And how many ideas changed theme: what boards were sent, and what the apply wrote.
            moved = sum(len(e.payload.get("assignments") or {}) for e in recorded)
            log.info(
                "re-clustered workshop %s: %d ideas, %d themes (%s); read in %.1f ms, applied in "
                "%.1f ms; %d ideas changed theme",
                workshop_id,
                len(data.texts),
                len(result.themes),
                job.representation,
                read_ms,
                apply_ms,
                moved,
            )
            return True

    def refresh_placement(self, workshop_id: int) -> bool:
        """Rebuild the placement model from the stored themes when they changed elsewhere."""
        store = self.app.extensions["store"]
        with store.read() as db:
            workshop = db.get(Workshop, workshop_id)
            if workshop is None:
                return False
            version = (workshop.clustered_version, workshop.curation_version)
            current = self._placements.get(workshop_id)
            if current is not None and current.version == version:
                return False
            data = theme_ops.clustering_input(db, workshop)
        placed = [i for i, theme in enumerate(data.current) if theme is not None]
        if not placed:
            return False
        # Every idea fixed to its stored theme: no search for a number of themes, only a fit.
        texts = [data.texts[i] for i in placed]
        result = self.compute(
            "analysis.themes.find_themes",
            texts,
            languages_of=texts,
            fixed=[data.current[i] for i in placed],
            k_range=data.k_range,
        )
        self._placements[workshop_id] = _Placement(result, [t.key for t in result.themes], version)
        return True

    def _rechoose(self, workshop_id: int, data) -> bool:  # noqa: ANN001
        """Whether this round chooses the number of themes again rather than continue them."""
        size = len(data.texts)
        fresh_size, k_range = self._fresh_size.get(workshop_id, (0, data.k_range))
        grown = size > fresh_size * FRESH_CHOICE_GROWTH
        if fresh_size and not grown and k_range == data.k_range and any(data.current):
            return False
        # A new range from the facilitator, or a room that grew: choose the number afresh.
        self._fresh_size[workshop_id] = (max(size, 1), data.k_range)
        return True

    def dirty_workshops(self) -> list[int]:
        """Workshops whose ideas changed since their last clustering, outside vote and results.

        Themes stand still while people vote on them and read the results; the facilitator can
        still curate them by hand. A workshop whose last clustering was heavy waits out its
        back-off (`locks.hold_back`).
        """
        store = self.app.extensions["store"]
        with store.read() as db:
            return list(
                db.scalars(
                    select(Workshop.id).where(
                        Workshop.content_version > Workshop.clustered_version,
                        Workshop.phase.not_in(FROZEN_PHASES),
                        may_start(Workshop.recluster_after),
                    )
                )
            )

    def rooms_waiting(self) -> bool:
        """Whether some workshop has ideas that no re-clustering has seen yet (back-off or not)."""
        store = self.app.extensions["store"]
        with store.read() as db:
            return bool(
                db.scalar(
                    select(Workshop.id)
                    .where(
                        Workshop.content_version > Workshop.clustered_version,
                        Workshop.phase.not_in(FROZEN_PHASES),
                    )
                    .limit(1)
                )
            )

    def run_once(self) -> None:
        """Re-cluster every changed workshop, then catch up placements; failures contained."""
        rooms_waited = False
        for workshop_id in self.dirty_workshops():
            try:
                rooms_waited = self.recluster(workshop_id) or rooms_waited
            except Stopping:
                return
            except Exception:
                log.exception(
                    "re-clustering workshop %s failed; the last good themes stay", workshop_id
                )
        # Work that takes the worker seconds (a previous session's vectors, the then-and-now
        # charts) waits for a round in which no room waited for its themes, DEFERRED_WORK at most:
        # a new idea's theme then follows within a round or two while a room is writing.
        now = time.monotonic()
        rooms_waited = rooms_waited or self.rooms_waiting()
        spare = not rooms_waited or now - self._deferred_at >= DEFERRED_WORK
        if spare:
            self._deferred_at = now
            # A previous session's ideas get their vectors a batch per round, before comparing.
            try:
                self.embed_previous_sessions()
            except Stopping:
                return
            except Exception:
                log.exception("embedding a previous session's ideas failed; it is tried again")
        # Then and now: compare again the workshops whose ideas or themes changed, in the worker
        # process and with the same back-off, so it never takes the server's time.
        refresh_due_comparisons(self.app, self.compute, charts=spare)
        for workshop_id in self.active_workshops():
            try:
                self.refresh_placement(workshop_id)
            except Stopping:
                return
            except Exception:
                log.exception("rebuilding the placement of workshop %s failed", workshop_id)

    def embed_previous_sessions(self) -> None:
        """Embed the next batch of each imported previous session's ideas, in the worker.

        A batch takes about a second, so phones and re-clusterings wait at most that long; the
        import page shows the progress. Only the holder of a workshop's clustering lock embeds its
        previous session, so that each idea is embedded once across server processes.
        """
        if not self.semantic_now():
            return
        store = self.app.extensions["store"]
        with store.read() as db:
            batches = previous_operations.ideas_to_embed(db, PREVIOUS_BATCH)
        for workshop_id, session_id, ideas in batches:
            with clustering_lock(store, workshop_id) as holder:
                if not holder:
                    continue
                try:
                    blobs = self.compute("analysis.jobs.vectors", [text for _, text in ideas])
                except BrokenProcessPool:
                    return  # paused: the comparison goes on with TF-IDF meanwhile
                except EmbeddingUnavailable as absent:
                    # Not installed here: the comparison uses TF-IDF, and this is not tried again.
                    log.warning("previous sessions are compared by TF-IDF alone: %s", absent)
                    self.semantic = False
                    return
                vectors = [(i, text, blob) for (i, text), blob in zip(ideas, blobs, strict=True)]
                with store.write() as db:
                    complete = previous_operations.store_vectors(db, session_id, vectors)
                log.info(
                    "embedded %d ideas of the previous session of workshop %s%s",
                    len(vectors),
                    workshop_id,
                    " (all)" if complete else "",
                )

    def active_workshops(self) -> list[int]:
        """Workshops with themes whose placement this process may need to rebuild."""
        store = self.app.extensions["store"]
        with store.read() as db:
            rows = db.execute(
                select(Workshop.id, Workshop.clustered_version, Workshop.curation_version).where(
                    Workshop.clustered_version > 0
                )
            ).all()
        return [
            workshop_id
            for workshop_id, clustered, curated in rows
            if (held := self._placements.get(workshop_id)) is None
            or held.version != (clustered, curated)
        ]

    def run_forever(self) -> None:
        """The background loop, until `stop`; it first starts the worker process."""
        try:
            # Start the worker and load the analysis (and the semantic model, where it is used)
            # now, not during the room's first clustering.
            self.compute("analysis.themes.find_themes", ["start"], languages_of=["start"])
            if self.semantic_now():
                self.compute("analysis.embedding.warm_up")
        except Stopping:
            return
        except Exception:
            log.exception("the clustering worker could not start; it is tried again later")
        # Rounds start RECLUSTER_INTERVAL apart: a round's own time is not added to the wait,
        # so that a new idea's theme follows within about one interval and one round.
        started = time.monotonic()
        while not self._stop.wait(max(ROUND_PAUSE, started + self.interval - time.monotonic())):
            started = time.monotonic()
            try:
                self.run_once()
            except Stopping:
                return
            except Exception:
                log.exception("the re-clustering loop hit an error; it goes on")

    def start(self) -> None:
        """Load what placing an idea needs, then start the background loop once.

        The language model is loaded here, before the server answers anyone: loaded at the
        first placement, it would hold every connection for most of a second under gevent.
        """
        if not self._started:
            self._started = True
            detect_language("pornire")
            socketio.start_background_task(self.run_forever)

    def stop(self) -> None:
        """Ask the loop to end and let the worker processes go."""
        self._stop.set()
        with self._pool_guard:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


def _languages(texts: Iterable[str]) -> dict[str, str]:
    """The language of each distinct text, decided here (see `BackgroundClusterer.compute`)."""
    languages: dict[str, str] = {}
    for count, text in enumerate(texts):
        if text not in languages:
            languages[text] = detect_language(text)
        if count % 500 == 499:
            time.sleep(0)  # texts not seen before cost the model's time: let others run between
    return languages
