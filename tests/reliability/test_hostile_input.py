"""Hostile input: random, oversized, wrongly typed and malformed messages and forms.

For every Socket.IO event the server handles and every form it accepts, Hypothesis sends
payloads no honest client would. The server must answer each with a clear reply (never the
`server` code, never HTTP 500), and a refused message must leave every table as it was and
broadcast nothing.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from facilitation import security
from facilitation.extensions import socketio
from facilitation.operations import workshops
from tests.conftest import drain
from tests.reliability.conftest import dump

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What honest clients send, per event; the strategies below fill these fields with anything.
FIELDS = {
    "submit_idea": ("client_id", "text", "question_id"),
    "sync": ("since",),
    "hide_idea": ("idea_id", "hidden"),
    "move_idea": ("idea_id", "theme_id"),
    "rename_theme": ("theme_id", "name"),
    "set_submissions": ("open",),
    "set_joining": ("open",),
    "set_late_voters": ("allowed",),
    "set_idea_limit": ("per_minute",),
    "set_countdown": ("seconds",),
    "set_vote_open": ("open",),
    "reveal_results": ("seconds",),
    "lock_theme": ("theme_id", "locked"),
    "merge_themes": ("theme_ids", "into"),
    "split_theme": ("theme_id", "parts", "idea_ids"),
    "set_theme_range": ("min", "max"),
    "merge_ideas": ("idea_id", "duplicate_ids"),
    "undo": (),
    "find_duplicates": (),
    "set_category": ("category",),
    "get_ballot": (),
    "cast_votes": ("votes",),
    "set_phase": ("phase", "seconds"),
    "set_revealed": ("revealed",),
    "show_question": ("question_id",),
    "set_vote_rules": ("target", "budget", "cap"),
    "set_categories": ("categories",),
    "set_word_list": ("words",),
    "review_idea": ("idea_id", "approve"),
    "add_paper_idea": ("client_id", "text", "question_id"),
    "record_paper_votes": ("voter", "category", "votes"),
    "get_paper_ballot": (),
    "get_results": (),
}
PHONE_EVENTS = ["submit_idea", "sync", "set_category", "get_ballot", "cast_votes"]
FACILITATOR_EVENTS = [e for e in FIELDS if e not in PHONE_EVENTS]

junk_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=10),
    st.sampled_from(["\ud800", "a\udfffb", "<script>alert(1)</script>", "'; DROP TABLE ideas;--"]),
    st.integers(1, 3).map(lambda n: "x" * (10**n * 70)),  # 700 to 70 000 characters
)
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.integers(-3, 60),
    st.floats(allow_nan=True, allow_infinity=True),
    junk_text,
)
anything = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def field_values(ids: list[int]) -> st.SearchStrategy:
    """Values for one field: junk, or ids that exist here or in another workshop, or lists."""
    known = st.sampled_from(ids)
    words = st.sampled_from(["write", "vote", "results", "themes", "ideas", "IMM", "ONG"])
    return st.one_of(
        anything,
        known,
        words,
        st.lists(words, max_size=15),
        st.dictionaries(st.one_of(known.map(str), st.text(max_size=4)), scalar, max_size=8),
        st.lists(known, max_size=60),
        st.lists(st.one_of(known, scalar), min_size=1, max_size=4),
    )


def payloads(event: str, ids: list[int]) -> st.SearchStrategy:
    """Whole payloads for event: not a mapping at all, or its fields filled with anything."""
    fields = {name: field_values(ids) for name in FIELDS[event]}
    return st.one_of(
        anything,
        st.fixed_dictionaries({}, optional=fields),
        st.fixed_dictionaries(fields, optional={"extra": anything}),
    )


@pytest.fixture
def room(app, store, workshop, phone, board):
    """A workshop with ideas and themes, another workshop, and a phone, a board, a facilitator."""
    client = phone()
    for n, text in enumerate(
        [
            "Spații de coworking pentru tineri antreprenori",
            "Spatii de coworking pentru tineri",
            "Mentorat pentru IMM-uri din industriile creative",
            "Granturi mici pentru artiști locali",
            "Festival de artă stradală în cartiere",
            "Parteneriate între universitate și firme",
        ]
    ):
        assert client.emit(
            "submit_idea", {"client_id": f"seed-idea-{n}", "text": text}, callback=True
        )["ok"]
    app.extensions["clusterer"].recluster(workshop.id)
    with store.write() as db:
        other = workshops.create(db, title="Alt atelier", questions=["Ce lipsește?"])
        other_id = other.id
    with store.read() as db:
        ids = [row[0] for row in db.execute(_ID_QUERY)]
    facilitator = board("facilitator")
    screen = board()
    for c in (client, facilitator, screen):
        drain(c)
    return {
        "phone": client,
        "facilitator": facilitator,
        "board": screen,
        "ids": sorted({*ids, 0, -1, 2**62, 2**63, other_id}),
        "other_id": other_id,
    }


_ID_QUERY = sql(
    "SELECT id FROM ideas UNION SELECT id FROM themes UNION SELECT id FROM questions"
    " UNION SELECT id FROM workshops"
)


def send_and_check(store, sender, watcher, event: str, payload: object) -> dict:  # noqa: ANN001
    """Send one message; check the reply is clear, and that a refusal changed nothing."""
    before = dump(store)
    reply = sender.emit(event, payload, callback=True)
    assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), reply
    assert reply.get("code") != "server", (event, payload, reply)
    if not reply["ok"]:
        assert isinstance(reply.get("error"), str) and reply.get("code")
        assert dump(store) == before, (event, payload, reply)
        assert "update" not in drain(watcher), (event, payload, reply)
    drain(watcher)
    return reply


@pytest.mark.parametrize("event", FACILITATOR_EVENTS)
def test_facilitator_events_answer_any_payload_clearly_and_refusals_change_nothing(
    event, room, store
):
    """Any payload of a facilitator event gets a clear reply; a refusal stores and sends nothing."""

    @FUZZ
    @given(payload=payloads(event, room["ids"]))
    def check(payload):
        """One payload."""
        send_and_check(store, room["facilitator"], room["board"], event, payload)

    check()


@pytest.mark.parametrize("event", PHONE_EVENTS)
def test_phone_events_answer_any_payload_clearly_and_refusals_change_nothing(event, room, store):
    """Any payload of a phone event gets a clear reply; refusals change nothing."""
    ids = room["ids"]
    client_ids = st.one_of(st.from_regex(r"\A[A-Za-z0-9_-]{8,64}\Z"), anything)

    @FUZZ
    @given(
        payload=payloads(event, ids)
        | st.fixed_dictionaries(
            {"client_id": client_ids, "text": st.one_of(junk_text, anything)},
            optional={"question_id": field_values(ids)},
        )
    )
    def check(payload):
        """One payload."""
        send_and_check(store, room["phone"], room["board"], event, payload)

    check()


def test_event_sent_with_extra_arguments_gets_a_clear_refusal(room):
    """A message with more arguments than the protocol has is refused with `malformed`."""
    reply = room["phone"].emit(
        "submit_idea", {"client_id": "two-args-01", "text": "x"}, 2, callback=True
    )
    assert reply["code"] == "malformed"


@FUZZ
@given(
    auth=st.one_of(
        # A bare number cannot travel as connect data: the Socket.IO encoding of a CONNECT
        # packet would read its first digit as a packet id (python-socketio, not this app).
        anything.filter(lambda a: isinstance(a, str | bool | list | dict) or a is None),
        st.fixed_dictionaries(
            {},
            optional={
                "code": st.one_of(anything, st.just("VALID")),
                "role": st.one_of(anything, st.sampled_from(["phone", "board", "facilitator"])),
                "key": st.one_of(anything, st.just("VALID")),
                "since": anything,
            },
        ),
    ),
    with_cookie=st.booleans(),
)
def test_connect_with_any_auth_is_accepted_or_refused_and_a_refusal_changes_nothing(
    app, store, workshop, auth, with_cookie
):
    """Any auth on connect either joins the workshop or is refused, never an error."""
    if isinstance(auth, dict):
        auth = {
            k: {"code": workshop.code, "key": workshop.key}.get(k, v) if v == "VALID" else v
            for k, v in auth.items()
        }
    http = app.test_client()
    if with_cookie:
        http.get(f"/j/{workshop.code}")
    before = dump(store)
    client = socketio.test_client(app, flask_test_client=http, auth=auth)
    try:
        if not client.is_connected():
            assert dump(store) == before
        else:
            assert drain(client)["sync"][0]["seq"] >= 0
    finally:
        if client.is_connected():
            client.disconnect()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


form_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.integers(1, 3).map(lambda n: "ă" * (10**n * 30)),
    st.sampled_from(["", " ", "2020-02-30", "9999-12-31", "<b>x</b>", "ro", "en", "xx"]),
)


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["code", "extra", "csrf_token"]), form_text))
def test_join_form_never_fails_and_changes_nothing(app, store, workshop, fields):
    """Any join form gets a page or a redirect, never a server error, and stores nothing."""
    http = app.test_client()
    token = csrf_token(http.get("/").get_data(as_text=True))
    before = dump(store)
    response = http.post("/join", data={"csrf_token": token, **fields})
    assert response.status_code in (302, 400, 404)
    assert dump(store) == before


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["title", "language", "date", "questions", "extra"]), form_text
    )
)
def test_staff_form_never_fails_and_a_refusal_changes_nothing(app, store, fields):
    """Any workshop form gets a page or a redirect, never a 500; a refusal stores nothing."""
    with app.app_context():
        key = security.staff_secret()
    http = app.test_client()
    token = csrf_token(http.get(f"/staff?key={key}").get_data(as_text=True))
    before = dump(store)
    response = http.post(f"/staff/workshops?key={key}", data={"csrf_token": token, **fields})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert dump(store) == before


@pytest.mark.parametrize(
    "body",
    [b"code=%FF%FE%00", b"\xff\xfe\x00\x01", b"code=" + b"A" * 200_000, b"=&&=&code"],
)
def test_join_form_with_broken_bytes_never_fails(app, store, workshop, body):
    """A join form whose body is not valid text is answered without a server error."""
    http = app.test_client()
    token = csrf_token(http.get("/").get_data(as_text=True))
    response = http.post(
        "/join",
        data=body + b"&csrf_token=" + token.encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 400, 404, 413)


def test_script_and_markup_in_an_idea_are_stored_and_shown_as_text(room, store):
    """Markup in an idea is kept exactly as typed and reaches boards as plain text data."""
    text = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
    reply = room["phone"].emit(
        "submit_idea", {"client_id": "markup-idea-1", "text": text}, callback=True
    )
    assert reply["ok"] and reply["idea"]["text"] == text
    update = drain(room["board"])["update"][0]
    assert update["data"]["idea"]["text"] == text
    with store.read() as db:
        stored = db.execute(
            sql("SELECT text FROM ideas WHERE client_id = :c"),
            {"c": "markup-idea-1"},
        ).scalar_one()
    assert stored == text
