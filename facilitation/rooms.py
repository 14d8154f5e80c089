"""The live rooms: who is connected to which workshop, joining its rooms, catching up, and
publishing each change to them after its commit.

A client connects with `auth = {code, role, key?, since?}`. The server checks who it is, joins it
to the rooms of its role, and sends it `sync`: the events it missed since `since`, or a fresh
snapshot. A client that sees a gap in sequence numbers asks again with the `sync` event.

Each change runs under a per-workshop lock from its transaction to its emit (`change`), so every
client receives a workshop's events in sequence order; clients still check the order and ask to
catch up when they see a gap.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, request
from flask_socketio import emit, join_room, leave_room
from socketio.exceptions import ConnectionRefusedError as Refused

from facilitation import security
from facilitation.extensions import socketio
from facilitation.models import Event, Participant, Workshop
from facilitation.operations import events as event_log
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected
from facilitation.protocol import ROLES

log = logging.getLogger(__name__)
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
    """Run one operation on the workshop in a write transaction, then publish its events."""

    def on_workshop(db) -> T:  # noqa: ANN001
        workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            raise Rejected("This workshop no longer exists.", "unknown_workshop")
        return operation(db, workshop)

    return _publishing(workshop_id, current_app.extensions["store"].write, on_workshop)


def write(workshop_id: int, operation: Callable[[Any], T]) -> T:
    """`change` for an operation of plain Core statements that reads what it needs of the
    workshop itself: it gets a connection in a write transaction, not an ORM session."""
    return _publishing(workshop_id, current_app.extensions["store"].write_statements, operation)


def _publishing(
    workshop_id: int,
    transaction: Callable[[], contextlib.AbstractContextManager],
    operation: Callable[[Any], T],
) -> T:
    """Run operation in a write transaction (`Store.write` or `Store.write_statements`) under
    the workshop's lock, then publish the events it returns (its result, or its `events`)."""
    with workshop_lock(workshop_id):
        with transaction() as db:
            result = operation(db)
        recorded = result if isinstance(result, list) else getattr(result, "events", None) or []
        publish(recorded)
    return result


def handler(*roles: str) -> Callable:
    """Wrap an event handler: the sender must hold one of roles; errors become clear replies."""

    def wrap(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(data=None, *extra):  # noqa: ANN001, ANN002
            connection = connections.get(request.sid)
            try:
                if extra:
                    raise Rejected("Send one object with named fields.", "malformed")
                if connection is None:
                    raise Rejected("Not connected to a workshop.", "forbidden")
                if connection.role not in roles:
                    raise Rejected("This action is for the facilitator only.", "forbidden")
                return function(connection, data)
            except Rejected as rejected:
                return rejected.as_reply()
            except Exception:
                log.exception("event %s failed", function.__name__)
                return {
                    "ok": False,
                    "error": "The server could not do this. Try again.",
                    "code": "server",
                }

        run.roles = roles
        return run

    return wrap


def refuse(rejected: Rejected) -> Refused:
    """A refused connect: the client's `connect_error` carries the message and {code}.

    Python's own ConnectionRefusedError would reach the client as "Connection refused by
    server", whatever the reason.
    """
    return Refused(rejected.message, {"code": rejected.code})


def _since(value: object) -> int:
    """The last sequence number a client saw, or -1 when it has seen nothing usable."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return -1


def catch_up(db, workshop: Workshop, connection: Connection, since: int) -> dict:  # noqa: ANN001
    """The sync message for a client: missed events, or a snapshot when that is simpler."""
    limit = current_app.config["CATCH_UP_LIMIT"]
    if since >= 0:
        missed = event_log.missed(db, workshop, connection.role, since, limit)
        if missed is not None:
            return {"mode": "events", "seq": workshop.last_seq, "events": missed}
    participant = None
    if connection.participant_id is not None:
        participant = db.get(Participant, connection.participant_id)
    return {
        "mode": "snapshot",
        "seq": workshop.last_seq,
        "snapshot": event_log.snapshot(db, workshop, connection.role, participant),
    }


def on_connect(auth=None):  # noqa: ANN001
    """Any client connects: checks its role and secret, joins its rooms, sends `sync`."""
    if not isinstance(auth, dict):
        raise refuse(Rejected("Connect with auth = {code, role}.", "malformed"))
    role = auth.get("role")
    if role not in ROLES:
        raise refuse(Rejected("Unknown role.", "malformed"))
    store = current_app.extensions["store"]
    limits = current_app.extensions["device_limits"]
    try:
        limits.check_guessing()
        limits.from_address()
        if role == "phone":
            if current_app.extensions["room_gauge"].full():
                raise refuse(
                    Rejected(
                        "The room is full: this server cannot take more phones right now.",
                        "room_full",
                    )
                )
            device = security.device_id()
            if device is None:
                raise refuse(
                    Rejected(
                        "Open the join page first: this phone has no device cookie.", "no_device"
                    )
                )
            emit("sync", _connect_phone(store, auth, device))
            return
        with store.read() as db:
            workshop = workshops.find(db, auth.get("code"))
            if not security.check_facilitator_secret(
                workshop.id, workshop.secret_salt, auth.get("key")
            ):
                limits.wrong_guess()
                raise refuse(Rejected("Wrong or missing facilitator key.", "forbidden"))
            connection = Connection(role, workshop.id)
    except Rejected as rejected:
        if rejected.code == "unknown_workshop":
            limits.wrong_guess()
        raise refuse(rejected) from None
    _enter(connection)
    # Rooms are joined before reading, so nothing committed from now on can be missed.
    with store.read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        emit("sync", catch_up(db, workshop, connection, _since(auth.get("since"))))


def _connect_phone(store, auth: dict, device: str) -> dict:  # noqa: ANN001
    """Accept a phone: its participant (made on first sight), its rooms and its catch-up.

    One write transaction does it all, so a join storm costs one transaction per phone. No
    other writer commits while it runs (SQLite's write lock; on PostgreSQL the workshop is read
    again after joining), so nothing committed can be missed between the rooms and the read.
    """
    entered = None
    try:
        with store.write() as db:
            workshop = workshops.find(db, auth.get("code"))
            participant = workshops.participant(db, workshop, device)
            entered = Connection("phone", workshop.id, participant.id, participant.observer)
            _enter(entered)
            if not store.is_sqlite:
                db.refresh(workshop)
            return catch_up(db, workshop, entered, _since(auth.get("since")))
    except BaseException:
        if entered is not None:
            _leave(entered)
        raise


def _enter(connection: Connection) -> None:
    """Remember the connecting socket and join it to the rooms of its role."""
    connections[request.sid] = connection
    for name in rooms_for(connection.role, connection.workshop_id):
        join_room(name)


def _leave(connection: Connection) -> None:
    """Undo `_enter` for a connection that fails before it is accepted."""
    connections.pop(request.sid, None)
    for name in rooms_for(connection.role, connection.workshop_id):
        leave_room(name)


def on_disconnect(*_args):  # noqa: ANN002
    """Any client leaves: forget its connection."""
    connections.pop(request.sid, None)


@handler(*ROLES)
def on_sync(connection: Connection, data):  # noqa: ANN001
    """A client that saw a gap asks for what it missed since `since`; replies like `sync`."""
    current_app.extensions["device_limits"].sync(request.sid)
    since = _since(data.get("since") if isinstance(data, dict) else None)
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        return {"ok": True, **catch_up(db, workshop, connection, since)}
