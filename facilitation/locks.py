"""The lock that lets one process at a time re-cluster a workshop.

On PostgreSQL it is a session-level advisory lock, so it lives exactly as long as the holder's
database connection: when that process dies, the server releases it and another process takes
over at its next round. On SQLite there is one process, and a lock in memory suffices.
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterator

from sqlalchemy import text

from facilitation.store import Store

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
