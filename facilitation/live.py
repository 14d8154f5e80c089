"""Live delivery: who is connected to which workshop, and publishing events after commit.

Each change runs under a per-workshop lock from its transaction to its emit, so every client
receives a workshop's events in sequence order; clients still check the order and ask to catch
up when they see a gap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app

from facilitation.extensions import socketio
from facilitation.models import Event, Workshop
from facilitation.operations import events as event_log
from facilitation.operations.errors import Rejected

T = TypeVar("T")


@dataclass(frozen=True)
class Connection:
    """What the server knows about one connected socket."""

    role: str  # "phone", "board" or "facilitator"
    workshop_id: int
    participant_id: int | None = None
    # A phone first seen after the join window closed: it may watch, never write or vote.
    observer: bool = False


connections: dict[str, Connection] = {}
_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


def room(workshop_id: int, audience: str) -> str:
    """The Socket.IO room of one audience of one workshop."""
    return f"workshop-{workshop_id}-{audience}"


def rooms_for(role: str, workshop_id: int) -> list[str]:
    """Every room a client of this role joins."""
    return [room(workshop_id, audience) for audience in event_log.VISIBLE_TO[role]]


def workshop_lock(workshop_id: int) -> threading.Lock:
    """The lock that keeps one workshop's changes and emits in sequence order."""
    with _locks_guard:
        return _locks.setdefault(workshop_id, threading.Lock())


def publish(events: Iterable[Event]) -> None:
    """Send committed events to the rooms of their audience."""
    for event in events:
        socketio.emit(
            "update", event_log.as_message(event), to=room(event.workshop_id, event.audience)
        )


def change(workshop_id: int, operation: Callable[[Any, Workshop], T]) -> T:
    """Run one operation in a write transaction, then publish the events it recorded."""
    store = current_app.extensions["store"]
    with workshop_lock(workshop_id):
        with store.write() as db:
            workshop = db.get(Workshop, workshop_id)
            if workshop is None:
                raise Rejected("This workshop no longer exists.", "unknown_workshop")
            result = operation(db, workshop)
        recorded = result if isinstance(result, list) else getattr(result, "events", None) or []
        publish(recorded)
    return result
