"""The live connection: joining a workshop's rooms on every connect, and catching up.

A client connects with `auth = {code, role, key?, since?}`. The server checks who it is, joins it
to the rooms of its role, and sends it `sync`: the events it missed since `since`, or a fresh
snapshot. A client that sees a gap in sequence numbers asks again with the `sync` event.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import current_app, request
from flask_socketio import emit, join_room
from socketio.exceptions import ConnectionRefusedError as Refused

from facilitation import live, security
from facilitation.models import Workshop
from facilitation.operations import events as event_log
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected

log = logging.getLogger(__name__)
ROLES = ("phone", "board", "facilitator")


def handler(*roles: str) -> Callable:
    """Wrap an event handler: the sender must hold one of roles; errors become clear replies."""

    def wrap(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(data=None, *extra):  # noqa: ANN001, ANN002
            connection = live.connections.get(request.sid)
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


def catch_up(db, workshop: Workshop, connection: live.Connection, since: int) -> dict:  # noqa: ANN001
    """The sync message for a client: missed events, or a snapshot when that is simpler."""
    limit = current_app.config["CATCH_UP_LIMIT"]
    if since >= 0:
        missed = event_log.missed(db, workshop, connection.role, since, limit)
        if missed is not None:
            return {"mode": "events", "seq": workshop.last_seq, "events": missed}
    participant = None
    if connection.participant_id is not None:
        from facilitation.models import Participant

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
            with store.write() as db:
                workshop = workshops.find(db, auth.get("code"))
                participant = workshops.participant(db, workshop, device)
                connection = live.Connection(
                    "phone", workshop.id, participant.id, participant.observer
                )
        else:
            with store.read() as db:
                workshop = workshops.find(db, auth.get("code"))
                if not security.check_facilitator_secret(
                    workshop.id, workshop.secret_salt, auth.get("key")
                ):
                    limits.wrong_guess()
                    raise refuse(Rejected("Wrong or missing facilitator key.", "forbidden"))
                connection = live.Connection(role, workshop.id)
    except Rejected as rejected:
        if rejected.code == "unknown_workshop":
            limits.wrong_guess()
        raise refuse(rejected) from None
    live.connections[request.sid] = connection
    for name in live.rooms_for(role, connection.workshop_id):
        join_room(name)
    # Rooms are joined before reading, so nothing committed from now on can be missed.
    with store.read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        emit("sync", catch_up(db, workshop, connection, _since(auth.get("since"))))


def on_disconnect(*_args):  # noqa: ANN002
    """Any client leaves: forget its connection."""
    live.connections.pop(request.sid, None)


@handler(*ROLES)
def on_sync(connection: live.Connection, data):  # noqa: ANN001
    """A client that saw a gap asks for what it missed since `since`; replies like `sync`."""
    current_app.extensions["device_limits"].sync(request.sid)
    since = _since(data.get("since") if isinstance(data, dict) else None)
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        return {"ok": True, **catch_up(db, workshop, connection, since)}
