"""The live protocol: join on connect, acknowledge after commit, broadcast, catch up, refuse."""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import func, select

from facilitation.extensions import socketio
from facilitation.models import Event, Idea
from facilitation.operations import events as event_log
from tests.conftest import drain


def submit(client, text="Finanțare pentru IMM-uri", client_id="idea-0001", **extra):
    """Send one idea from a phone test client and return the acknowledgement."""
    return client.emit(
        "submit_idea", {"client_id": client_id, "text": text, **extra}, callback=True
    )


def idea_count(store) -> int:
    """How many ideas the database holds."""
    with store.read() as db:
        return db.scalar(select(func.count(Idea.id)))


def test_phone_gets_a_snapshot_of_its_own_ideas_on_connect(phone, workshop):
    """A phone that connects receives the workshop and the ideas it already sent."""
    client = phone()
    assert submit(client)["ok"]
    sync = drain(client)["sync"][0]
    assert sync["mode"] == "snapshot"
    assert sync["snapshot"]["workshop"]["code"] == workshop.code
    assert [q["text"] for q in sync["snapshot"]["workshop"]["questions"]] == [
        "Ce oportunități vedeți?",
        "Cum ne implicăm?",
    ]


def test_submitted_idea_is_acknowledged_stored_and_broadcast_to_boards(phone, board, store):
    """An idea is stored exactly as typed, acknowledged, and shown on every open board."""
    screen = board()
    drain(screen)
    client = phone()
    text = "  Finanţare pentru IMM-urilor și start-up-uri  "
    reply = submit(client, text=text)
    assert reply == {
        "ok": True,
        "duplicate": False,
        "idea": {"client_id": "idea-0001", "text": text.strip(), "question_id": None},
    }
    updates = drain(screen)["update"]
    assert [u["kind"] for u in updates] == ["idea_added"]
    assert updates[0]["data"]["idea"]["text"] == text.strip()
    with store.read() as db:
        assert db.scalar(select(Idea.text)) == text.strip()


def test_resending_the_same_client_id_stores_the_idea_once(phone, board, store):
    """A retry of an idea already stored is acknowledged again but never duplicated."""
    screen = board()
    client = phone()
    first = submit(client, client_id="retry-12345")
    drain(screen)
    second = submit(client, client_id="retry-12345")
    assert first["ok"] and second["ok"]
    assert second["duplicate"] is True
    assert idea_count(store) == 1
    assert "update" not in drain(screen)


def test_phone_sees_its_ideas_after_reconnecting(phone, workshop):
    """A phone that reconnects with the same device cookie gets back its own ideas."""
    client = phone()
    submit(client, text="Mentorat pentru tineri", client_id="mine-000001")
    client.disconnect()
    client.connect(auth={"code": workshop.code, "role": "phone"})
    snapshot = drain(client)["sync"][-1]["snapshot"]
    assert [i["text"] for i in snapshot["my_ideas"]] == ["Mentorat pentru tineri"]


def test_another_device_cannot_claim_an_existing_client_id(phone, store):
    """A second device reusing someone's client id is refused and stores nothing."""
    submit(phone(), client_id="shared-0001")
    reply = submit(phone(), client_id="shared-0001", text="Altă idee")
    assert reply["ok"] is False and reply["code"] == "conflict"
    assert idea_count(store) == 1


def test_board_catches_up_on_what_it_missed_in_order(phone, board):
    """A board reconnecting with the last seq it saw receives exactly the events after it."""
    screen = board()
    seq = drain(screen)["sync"][0]["seq"]
    client = phone()
    for n in range(3):
        submit(client, text=f"Idee {n}", client_id=f"catchup-{n:04d}")
    later = board(since=seq)
    sync = drain(later)["sync"][0]
    assert sync["mode"] == "events"
    assert [e["data"]["idea"]["text"] for e in sync["events"]] == ["Idee 0", "Idee 1", "Idee 2"]
    assert [e["seq"] for e in sync["events"]] == [seq + 1, seq + 2, seq + 3]


def test_board_far_behind_or_from_the_future_gets_a_snapshot(app, phone, board):
    """A board whose seq is unknown to the server is sent a fresh snapshot instead of events."""
    client = phone()
    submit(client)
    ahead = drain(board(since=999))["sync"][0]
    assert ahead["mode"] == "snapshot"
    assert [i["text"] for i in ahead["snapshot"]["ideas"]] == ["Finanțare pentru IMM-uri"]
    app.config["CATCH_UP_LIMIT"] = 0
    behind = drain(board(since=0))["sync"][0]
    assert behind["mode"] == "snapshot"


def test_sync_event_replays_missed_events(phone, board):
    """A client that sees a gap asks with `sync` and gets the events after its seq."""
    screen = board()
    drain(screen)
    submit(phone(), client_id="gap-000001")
    reply = screen.emit("sync", {"since": 0}, callback=True)
    assert reply["ok"] and reply["mode"] == "events"
    assert [e["kind"] for e in reply["events"]] == ["idea_added"]


def test_event_sequence_numbers_are_contiguous_per_workshop(phone, store, workshop):
    """Every stored event of a workshop has the next number: 1, 2, 3, ..."""
    client = phone()
    for n in range(5):
        submit(client, text=f"Idee numărul {n}", client_id=f"seq-{n:06d}")
    with store.read() as db:
        seqs = list(
            db.scalars(
                select(Event.seq).where(Event.workshop_id == workshop.id).order_by(Event.seq)
            )
        )
    assert seqs == [1, 2, 3, 4, 5]


def test_bad_ideas_are_refused_with_a_reason_and_change_nothing(phone, board, store, app):
    """Empty, too long, wrongly typed, malformed or wrongly encoded ideas are refused."""
    screen = board()
    drain(screen)
    client = phone()
    cases = {
        "empty": {"client_id": "bad-000001", "text": "   "},
        "too_long": {"client_id": "bad-000002", "text": "x" * (app.config["MAX_IDEA_LENGTH"] + 1)},
        "malformed": {"client_id": "bad-000003", "text": 42},
        "encoding": {"client_id": "bad-000004", "text": "idee \ud800 ruptă"},
    }
    for code, data in cases.items():
        reply = client.emit("submit_idea", data, callback=True)
        assert reply["ok"] is False, code
        assert reply["code"] == code
        assert reply["error"]
    for junk in (None, "text", [1, 2], {"client_id": "x", "text": "scurt"}, {"text": "fără id"}):
        reply = client.emit("submit_idea", junk, callback=True)
        assert reply["ok"] is False and reply["code"] == "malformed"
    bad_question = submit(client, client_id="bad-000005", question_id=99999)
    assert bad_question["ok"] is False
    assert idea_count(store) == 0
    assert "update" not in drain(screen)


def test_markup_is_stored_as_typed_not_interpreted(phone, store):
    """Script and markup are kept as plain text; escaping happens on output."""
    text = '<script>alert("x")</script><b>bold</b>'
    assert submit(phone(), text=text)["ok"]
    with store.read() as db:
        assert db.scalar(select(Idea.text)) == text


def test_phone_cannot_connect_without_a_device_cookie(app, workshop):
    """A socket without the signed device cookie of the join page is refused."""
    from facilitation.extensions import socketio

    client = socketio.test_client(app, auth={"code": workshop.code, "role": "phone"})
    assert not client.is_connected()


def test_forged_device_cookie_is_refused(app, workshop):
    """A device cookie not signed with the server key does not open a phone connection."""
    from facilitation.extensions import socketio

    http = app.test_client()
    http.set_cookie(
        "session", "eyJkZXZpY2UiOiIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCJ9.forged.sig"
    )
    client = socketio.test_client(
        app, flask_test_client=http, auth={"code": workshop.code, "role": "phone"}
    )
    assert not client.is_connected()


def test_unknown_join_code_is_refused(phone):
    """A phone connecting to a code no workshop has is refused."""
    client = phone(code="NOPE99")
    assert not client.is_connected()


def test_board_with_wrong_or_missing_key_is_refused(board):
    """Board and facilitator connections need the workshop's facilitator key."""
    assert not board(key="wrong-key").is_connected()
    assert not board(role="facilitator", key="").is_connected()
    assert board().is_connected()


def test_key_of_one_workshop_opens_nothing_of_another(app, store, board, workshop):
    """A facilitator key is bound to its own workshop."""
    from facilitation.extensions import socketio
    from facilitation.operations import workshops

    with store.write() as db:
        other = workshops.create(db, title="Alt atelier", questions=["Q?"]).code
    client = socketio.test_client(
        app, auth={"code": other, "role": "facilitator", "key": workshop.key}
    )
    assert not client.is_connected()


def test_phone_socket_cannot_perform_facilitator_actions(phone, store):
    """Every facilitator event sent from a phone is refused and changes nothing."""
    client = phone()
    submit(client)
    with store.read() as db:
        idea_id = db.scalar(select(Idea.id))
    for event, data in {
        "hide_idea": {"idea_id": idea_id, "hidden": True},
        "move_idea": {"idea_id": idea_id, "theme_id": None},
        "rename_theme": {"theme_id": 1, "name": "x"},
        "set_submissions": {"open": False},
    }.items():
        reply = client.emit(event, data, callback=True)
        assert reply == {
            "ok": False,
            "error": "This action is for the facilitator only.",
            "code": "forbidden",
        }
    with store.read() as db:
        assert db.scalar(select(Idea.hidden)) is False


def test_board_socket_cannot_submit_ideas(board, store):
    """A board connection is not a phone: it cannot submit."""
    reply = submit(board())
    assert reply["ok"] is False and reply["code"] == "forbidden"
    assert idea_count(store) == 0


def test_a_new_idea_is_one_insert_and_one_update_of_the_workshops_counters(phone, store, workshop):
    """Storing an idea writes the idea, both counters in one atomic UPDATE, and its event."""
    from sqlalchemy import event

    from facilitation.models import Workshop

    client = phone()
    client.emit("submit_idea", {"client_id": "count-0000001", "text": "Prima idee"}, callback=True)
    with store.read() as db:
        before = db.execute(select(Workshop.last_seq, Workshop.content_version)).one()
    written: list[str] = []

    def keep(conn, cursor, statement, *args):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SELECT", "BEGIN", "COMMIT")):
            written.append(" ".join(statement.split()))

    event.listen(store.write_engine, "before_cursor_execute", keep)
    try:
        reply = client.emit(
            "submit_idea", {"client_id": "count-0000002", "text": "A doua idee"}, callback=True
        )
    finally:
        event.remove(store.write_engine, "before_cursor_execute", keep)
    assert reply["ok"]
    assert [s.split(" (")[0].split(" SET")[0] for s in written] == [
        "INSERT INTO ideas",
        "UPDATE workshops",
        "INSERT INTO events",
    ]
    assert "last_seq + " in written[1] and "content_version + " in written[1]
    with store.read() as db:
        after = db.execute(select(Workshop.last_seq, Workshop.content_version)).one()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)


def test_a_connection_reads_its_session_cookie_once_not_at_every_event(phone, store, monkeypatch):
    """The signed cookie of a phone's handshake is checked once; its events reuse it, and the
    device it names is still the one whose ideas are stored."""
    from flask.sessions import SecureCookieSessionInterface

    opened = []
    original = SecureCookieSessionInterface.open_session

    def counting(self, app, request):  # noqa: ANN001, ANN202
        opened.append(request.environ.get("PATH_INFO"))
        return original(self, app, request)

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    client = phone()
    before = len(opened)
    for n in range(5):
        assert submit(client, text=f"Idea {n}", client_id=f"idea-{n:04d}")["ok"]
    assert len(opened) == before  # the connection's session was opened at its connect
    with store.read() as db:
        owners = set(db.scalars(select(Idea.participant_id)))
    assert len(owners) == 1 and idea_count(store) == 5


def test_events_leave_little_garbage_only_the_collector_can_free(phone, store):
    """Handling an event makes few reference cycles: Flask-SocketIO's context of each event
    matches a URL rule instead of keeping a NotFound (or a redirect) whose traceback points back
    at it, about 60 objects per event that only the garbage collector frees. What is left is
    Werkzeug's URL matcher, a recursive closure of 8 objects per match."""
    client = phone()
    assert submit(client, text="Warm-up idea", client_id="idea-warm")["ok"]
    gc.collect()
    gc.disable()
    try:
        for n in range(15):  # within the ideas a device may send in a minute
            assert submit(client, text=f"Idea {n}", client_id=f"idea-{n:04d}")["ok"]
        freed = gc.collect()
    finally:
        gc.enable()
    assert freed <= 12 * 15, f"{freed} objects in reference cycles after 15 ideas"
    assert idea_count(store) == 16


def test_a_phone_connects_in_one_transaction(app, workshop, store):
    """A join storm costs one transaction per phone: finding the workshop, making the
    participant, and reading the catch-up share it, on the first connect and on a reconnect."""
    from sqlalchemy import event

    begun = []

    def count(_connection):  # noqa: ANN001
        begun.append(1)

    engines = {store.engine, store.write_engine}
    for engine in engines:
        event.listen(engine, "begin", count)
    try:
        http = app.test_client()
        http.get(f"/j/{workshop.code}")  # the join page gives the device its cookie
        begun.clear()
        auth = {"code": workshop.code, "role": "phone"}
        client = socketio.test_client(app, flask_test_client=http, auth=auth)
        first = len(begun)
        assert submit(client)["ok"]
        client.disconnect()
        begun.clear()
        client.connect(auth=auth)
        reconnect = len(begun)
    finally:
        for engine in engines:
            event.remove(engine, "begin", count)
    assert (first, reconnect) == (1, 1)
    sync = drain(client)["sync"][-1]  # the reconnect's
    assert [i["text"] for i in sync["snapshot"]["my_ideas"]] == ["Finanțare pentru IMM-uri"]
    client.disconnect()


def test_a_phone_whose_catch_up_fails_is_in_no_room(phone, workshop, monkeypatch):
    """A connect that fails after joining the rooms leaves them: the phone hears nothing and
    the server forgets it."""
    from facilitation import rooms

    def failing(*_args):  # noqa: ANN002, ANN202
        raise RuntimeError("catch-up failed")

    def members() -> int:
        everyone = socketio.server.manager.rooms.get("/", {})
        return len(everyone.get(rooms.room(workshop.id, event_log.PHONES), {}))

    phone()
    known, listening = len(rooms.connections), members()
    monkeypatch.setattr(rooms, "catch_up", failing)
    with pytest.raises(Exception):  # noqa: B017, PT011 (the test client re-raises the error)
        phone()
    monkeypatch.undo()
    assert (len(rooms.connections), members()) == (known, listening) and listening == 1
