"""Background work on a workshop: one process at a time, and held back after heavy rounds.

The clustering lock lets one process at a time re-cluster a workshop or compare it with its
previous session. On PostgreSQL it is a session-level advisory lock, so it lives exactly as long
as the holder's database connection: when that process dies, the server releases it and another
process takes over at its next round. On SQLite there is one process, and a lock in memory
suffices.

The back-off is stored with the workshop (see `hold_back`), not in a process: after a round that
took t seconds, no process starts the next one for BACKGROUND_BACKOFF × t seconds (at most
MAX_BACKOFF), so a large room is worked on less often instead of keeping every core busy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import zlib
from collections.abc import Iterator

from sqlalchemy import text, update

from facilitation.models import utcnow
from facilitation.store import Store

MAX_BACKOFF = 15.0


class Stopping(Exception):  # noqa: N818 (a state, not an error)
    """The server is shutting down: background work ends here, quietly."""


# Advisory lock keys are shared by every application on the database server: a fixed namespace
# in the high bits keeps this application's keys apart from anyone else's.
LOCK_NAMESPACE = zlib.crc32(b"cocreation-board:clustering") & 0x7FFFFFFF


def _key(workshop_id: int) -> int:
    """The 64-bit advisory lock key of one workshop."""
    return (LOCK_NAMESPACE << 32) | (workshop_id & 0xFFFFFFFF)


_local_locks: dict[int, threading.Lock] = {}
_local_guard = threading.Lock()


@contextlib.contextmanager
def clustering_lock(store: Store, workshop_id: int) -> Iterator[bool]:
    """Try to take the clustering lock of a workshop; yields whether this process holds it."""
    if store.is_sqlite:
        with _local_guard:
            lock = _local_locks.setdefault(workshop_id, threading.Lock())
        acquired = lock.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()
        return
    with store.engine.connect() as connection:
        acquired = connection.execute(
            text("SELECT pg_try_advisory_lock(CAST(:key AS bigint))"), {"key": _key(workshop_id)}
        ).scalar()
        connection.commit()
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(
                    text("SELECT pg_advisory_unlock(CAST(:key AS bigint))"),
                    {"key": _key(workshop_id)},
                )
                connection.commit()


def hold_back(store: Store, column, row_id: int, elapsed: float, factor: float) -> None:  # noqa: ANN001
    """Keep the next round of background work on a row away for factor × elapsed seconds.

    column is the model attribute holding that time, for example `Workshop.recluster_after`.
    """
    pause = min(MAX_BACKOFF, max(factor, 0.0) * max(elapsed, 0.0))
    model = column.class_
    with store.write() as db:
        db.execute(
            update(model)
            .where(model.id == row_id)
            .values({column.key: utcnow() + dt.timedelta(seconds=pause)})
        )


def may_start(column, now: dt.datetime | None = None):  # noqa: ANN001, ANN201
    """SQL condition: the back-off stored in column is over (or was never set)."""
    return column.is_(None) | (column <= (now or utcnow()))
