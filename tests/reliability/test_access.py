"""Access: facilitator operations need the facilitator key, device cookies cannot be forged,
forms carry CSRF tokens, and Socket.IO refuses other origins.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from facilitation import security
from facilitation.extensions import socketio
from facilitation.operations import workshops
from tests.conftest import drain
from tests.reliability.conftest import dump

# A payload each facilitator event would accept from the facilitator (ids filled in below).
VALID = {
    "hide_idea": lambda ids: {"idea_id": ids["idea"], "hidden": True},
    "move_idea": lambda ids: {"idea_id": ids["idea"], "theme_id": None},
    "rename_theme": lambda ids: {"theme_id": ids["theme"], "name": "Nume nou"},
    "set_submissions": lambda ids: {"open": False},
    "set_joining": lambda ids: {"open": False},
    "set_late_voters": lambda ids: {"allowed": True},
    "set_idea_limit": lambda ids: {"per_minute": 30},
    "set_countdown": lambda ids: {"seconds": 120},
    "set_vote_open": lambda ids: {"open": False},
    "reveal_results": lambda ids: {},
    "lock_theme": lambda ids: {"theme_id": ids["theme"], "locked": True},
    "merge_themes": lambda ids: {"theme_ids": ids["themes"][:2], "into": ids["themes"][0]},
    "split_theme": lambda ids: {"theme_id": ids["theme"], "parts": 2},
    "set_theme_range": lambda ids: {"min": 2, "max": 4},
    "merge_ideas": lambda ids: {"idea_id": ids["idea"], "duplicate_ids": [ids["other_idea"]]},
    "undo": lambda ids: {},
    "find_duplicates": lambda ids: {},
    "set_phase": lambda ids: {"phase": "vote"},
    "set_revealed": lambda ids: {"revealed": False},
    "show_question": lambda ids: {"question_id": None},
    "set_vote_rules": lambda ids: {"target": "ideas", "budget": 5, "cap": 3},
    "set_categories": lambda ids: {"categories": ["IMM", "ONG"]},
    "set_word_list": lambda ids: {"words": ["prost"]},
    "review_idea": lambda ids: {"idea_id": ids["idea"], "approve": True},
    "add_paper_idea": lambda ids: {"client_id": "paper-card-01", "text": "De pe hârtie"},
    "record_paper_votes": lambda ids: {"voter": "Ana", "votes": {}},
}


@pytest.fixture
def curated(app, store, workshop, phone):
    """A workshop with ideas grouped into themes, and the ids a facilitator would act on."""
    client = phone()
    for n, text in enumerate(
        [
            "Spații de coworking pentru tineri",
            "Spații de coworking pentru studenți",
            "Mentorat pentru IMM-uri creative",
            "Mentorat pentru firme mici",
            "Festival de artă stradală",
            "Festival de muzică în parc",
        ]
    ):
        client.emit("submit_idea", {"client_id": f"curated-{n:03d}", "text": text}, callback=True)
    app.extensions["clusterer"].recluster(workshop.id)
    with store.read() as db:
        from sqlalchemy import text as sql

        ideas = [r[0] for r in db.execute(sql("SELECT id FROM ideas ORDER BY id"))]
        themes = [
            r[0] for r in db.execute(sql("SELECT id FROM themes WHERE retired = 0 ORDER BY id"))
        ]
    assert len(themes) >= 2
    return {"idea": ideas[0], "other_idea": ideas[1], "theme": themes[0], "themes": themes}


@pytest.mark.parametrize("role", ["phone", "board"])
def test_facilitator_operations_are_refused_to_phones_and_boards(
    role, curated, phone, board, store
):
    """A phone, or a board holding the key, is refused every facilitator operation."""
    sender = phone() if role == "phone" else board("board")
    watcher = board("board")
    drain(watcher)
    before = dump(store)
    replies = {event: sender.emit(event, VALID[event](curated), callback=True) for event in VALID}
    assert {e: (r["ok"], r["code"]) for e, r in replies.items()} == dict.fromkeys(
        VALID, (False, "forbidden")
    )
    assert dump(store) == before
    assert "update" not in drain(watcher)


def test_the_same_operations_go_through_for_the_facilitator(curated, board):
    """The payloads refused above are accepted from the facilitator, so the refusals are real."""
    facilitator = board("facilitator")
    for event in ("hide_idea", "rename_theme", "lock_theme", "set_theme_range", "find_duplicates"):
        assert facilitator.emit(event, VALID[event](curated), callback=True)["ok"], event


@pytest.mark.parametrize("role", ["board", "facilitator"])
@pytest.mark.parametrize("key", [None, "", "wrong-key", 12345, ["k"]])
def test_board_and_facilitator_need_the_right_key(app, workshop, role, key):
    """A board or facilitator connecting without the workshop's key is refused."""
    auth = {"code": workshop.code, "role": role}
    if key is not None:
        auth["key"] = key
    client = socketio.test_client(app, auth=auth)
    assert not client.is_connected()


def test_one_workshops_key_opens_nothing_of_another(app, store, workshop):
    """The key of workshop A opens neither the board, the controls nor the log of workshop B."""
    with store.write() as db:
        other = workshops.create(db, title="Alt atelier", questions=["Ce lipsește?"])
        other_code = other.code
    for role in ("board", "facilitator"):
        client = socketio.test_client(
            app, auth={"code": other_code, "role": role, "key": workshop.key}
        )
        assert not client.is_connected()
    http = app.test_client()
    for page in ("board", "facilitate"):
        assert http.get(f"/{page}/{other_code}?key={workshop.key}").status_code == 403
    assert http.get(f"/facilitate/{other_code}/log?key={workshop.key}").status_code == 403
    assert http.get(f"/staff?key={workshop.key}").status_code == 403


def forged_cookie(secret: str, device: str) -> str:
    """A session cookie with this device id, signed with secret."""
    forger = Flask("forger")
    forger.secret_key = secret
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps({"device": device})


@pytest.mark.parametrize(
    "cookie",
    [
        pytest.param(lambda real: forged_cookie("not-the-server-key", "a" * 32), id="other-key"),
        pytest.param(
            lambda real: real[:-3] + ("AAA" if real[-3:] != "AAA" else "BBB"), id="bad-sig"
        ),
        pytest.param(lambda real: "e30.AAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA", id="made-up"),
        pytest.param(lambda real: forged_cookie("test-secret-key", "short"), id="bad-device"),
    ],
)
def test_forged_device_cookies_are_refused(app, store, workshop, cookie):
    """A phone whose device cookie is forged, tampered with or malformed cannot connect."""
    honest = app.test_client()
    honest.get(f"/j/{workshop.code}")
    real = honest.get_cookie("session").value
    http = app.test_client()
    http.set_cookie("session", cookie(real))
    before = dump(store)
    client = socketio.test_client(
        app, flask_test_client=http, auth={"code": workshop.code, "role": "phone"}
    )
    assert not client.is_connected()
    assert dump(store) == before


def test_a_cookie_signed_with_the_server_key_is_accepted(app, workshop):
    """The same forging path with the server's own key works, so the refusals above are real."""
    http = app.test_client()
    http.set_cookie("session", forged_cookie("test-secret-key", "b" * 32))
    client = socketio.test_client(
        app, flask_test_client=http, auth={"code": workshop.code, "role": "phone"}
    )
    assert client.is_connected()
    client.disconnect()


def test_forms_without_a_csrf_token_are_refused(app, store, workshop):
    """The join form and the staff form are refused without their CSRF token."""
    with app.app_context():
        staff = security.staff_secret()
    http = app.test_client()
    before = dump(store)
    assert http.post("/join", data={"code": workshop.code}).status_code == 400
    created = http.post(
        f"/staff/workshops?key={staff}", data={"title": "Fără token", "questions": "De ce?"}
    )
    assert created.status_code == 400
    forged = http.post(
        f"/staff/workshops?key={staff}",
        data={"title": "Token fals", "questions": "De ce?", "csrf_token": "x" * 40},
    )
    assert forged.status_code == 400
    assert dump(store) == before


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost", True),
        ("http://evil.example", False),
        ("null", False),
        ("http://localhost.evil.example", False),
    ],
)
def test_socketio_refuses_other_origins(app, origin, allowed):
    """The Socket.IO handshake is refused to a page of another origin (same-origin check on)."""
    http = app.test_client()
    response = http.get(
        "/socket.io/?EIO=4&transport=polling", headers={"Origin": origin, "Host": "localhost"}
    )
    assert (response.status_code == 200) is allowed
