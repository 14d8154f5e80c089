"""Facilitator actions over Socket.IO: each reaches every board live and survives a restart."""

from __future__ import annotations

from sqlalchemy import select

from facilitation.models import Idea, Theme, Workshop
from tests.conftest import drain, restart


def add_ideas(phone, texts):
    """Submit texts from one phone and return nothing; each must be accepted."""
    client = phone()
    for n, text in enumerate(texts):
        reply = client.emit(
            "submit_idea", {"client_id": f"idea-{n:06d}", "text": text}, callback=True
        )
        assert reply["ok"], reply
    return client


IDEAS = [
    "Finanțare pentru IMM-uri din industriile creative",
    "Granturi si finantare pentru start-up-uri culturale",
    "Fonduri europene pentru IMM-uri",
    "Mentorat pentru tineri antreprenori",
    "Programe de mentorat în universități pentru tineri",
    "Tinerii au nevoie de mentori din mediul de afaceri",
    "Turism cultural în centrul istoric",
    "Trasee de turism cultural pentru vizitatori",
    "Promovarea turismului cultural al orașului",
]


def idea_ids(store):
    """Ids of every idea, in order of arrival."""
    with store.read() as db:
        return list(db.scalars(select(Idea.id).order_by(Idea.id)))


def test_hiding_an_idea_removes_it_from_boards_and_survives_a_restart(
    app, phone, board, store, tmp_path
):
    """A hidden idea leaves every board at once, stays out of snapshots, and stays hidden."""
    add_ideas(phone, IDEAS[:2])
    first, second = idea_ids(store)
    screen, controls = board(), board("facilitator")
    drain(screen), drain(controls)
    reply = controls.emit("hide_idea", {"idea_id": first, "hidden": True}, callback=True)
    assert reply == {"ok": True, "changed": True}
    assert [u["kind"] for u in drain(screen)["update"]] == ["idea_hidden"]
    restarted = restart(app)
    try:
        with restarted.extensions["store"].read() as db:
            assert db.get(Idea, first).hidden is True
    finally:
        restarted.extensions["store"].dispose()
    fresh = drain(board())["sync"][0]["snapshot"]
    assert [i["id"] for i in fresh["ideas"]] == [second]
    facilitator_view = drain(board("facilitator"))["sync"][0]["snapshot"]
    assert {i["id"]: i["hidden"] for i in facilitator_view["ideas"]} == {first: True, second: False}


def test_hidden_idea_text_never_reaches_a_board_catching_up(phone, board, store):
    """A board replaying events after the idea was hidden does not receive its text."""
    screen = board()
    seq = drain(screen)["sync"][0]["seq"]
    add_ideas(phone, ["Idee de ascuns imediat"])
    (idea,) = idea_ids(store)
    board("facilitator").emit("hide_idea", {"idea_id": idea, "hidden": True}, callback=True)
    sync = drain(board(since=seq))["sync"][0]
    assert sync["mode"] == "events"
    assert "Idee de ascuns imediat" not in str(sync)


def test_unhiding_brings_the_idea_back_to_boards(phone, board, store):
    """Showing a hidden idea again sends it to every board."""
    add_ideas(phone, ["O idee ascunsă"])
    (idea,) = idea_ids(store)
    controls = board("facilitator")
    controls.emit("hide_idea", {"idea_id": idea, "hidden": True}, callback=True)
    screen = board()
    drain(screen)
    assert controls.emit("hide_idea", {"idea_id": idea, "hidden": False}, callback=True)["ok"]
    (update,) = drain(screen)["update"]
    assert update["kind"] == "idea_unhidden" and update["data"]["idea"]["text"] == "O idee ascunsă"


def test_rename_and_move_reach_boards_and_survive_reclustering(app, phone, board, store, workshop):
    """A renamed theme keeps its name and a moved idea stays put after the next re-clustering."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    assert clusterer.recluster(workshop.id)
    with store.read() as db:
        themes = list(db.scalars(select(Theme).where(Theme.retired.is_(False)).order_by(Theme.id)))
        tourism = db.scalar(select(Idea).where(Idea.text == IDEAS[6]))
    assert len(themes) >= 2
    target = next(t for t in themes if t.id != tourism.theme_id)
    controls, screen = board("facilitator"), board()
    drain(screen)
    assert controls.emit(
        "rename_theme", {"theme_id": target.id, "name": "Numele nostru"}, callback=True
    )["ok"]
    assert controls.emit(
        "move_idea", {"idea_id": tourism.id, "theme_id": target.id}, callback=True
    )["ok"]
    assert [u["kind"] for u in drain(screen)["update"]] == ["theme_renamed", "idea_moved"]
    add_ideas_more = phone()
    add_ideas_more.emit(
        "submit_idea",
        {"client_id": "later-000001", "text": "Turism cultural si gastronomie"},
        callback=True,
    )
    assert clusterer.recluster(workshop.id)
    with store.read() as db:
        assert db.get(Theme, target.id).name == "Numele nostru"
        assert db.get(Idea, tourism.id).theme_id == target.id
    update = drain(screen)["update"][-1]
    assert update["kind"] == "themes_updated"
    # Only ideas that changed theme are sent; the one placed by hand did not.
    assert str(tourism.id) not in update["data"]["assignments"]


def test_a_theme_an_idea_was_moved_into_keeps_its_ideas_when_the_room_doubles(
    app, phone, board, store, workshop
):
    """Moving one idea into a theme makes it the facilitator's group; when the room then grows
    enough for the number of themes to be chosen again, the theme keeps every idea it had."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    assert clusterer.recluster(workshop.id)
    with store.read() as db:
        tourism = db.scalar(select(Idea).where(Idea.text == IDEAS[6]))
        ideas = list(db.scalars(select(Idea).order_by(Idea.id)))
    target = next(i.theme_id for i in ideas if i.theme_id != tourism.theme_id)
    before = {i.id for i in ideas if i.theme_id == target}
    assert board("facilitator").emit(
        "move_idea", {"idea_id": tourism.id, "theme_id": target}, callback=True
    )["ok"]
    more = phone()
    for n, text in enumerate(IDEAS * 2):
        reply = more.emit(
            "submit_idea",
            {"client_id": f"more-{n:06d}", "text": text + " (din nou)"},
            callback=True,
        )
        assert reply["ok"], reply
    assert clusterer.recluster(workshop.id)
    with store.read() as db:
        kept = set(db.scalars(select(Idea.id).where(Idea.theme_id == target)))
    assert before | {tourism.id} <= kept


def test_closing_submissions_reaches_phones_and_refuses_new_ideas(phone, board, store, workshop):
    """A closed room tells every phone at once and refuses ideas until it opens again."""
    client = phone()
    drain(client)
    controls = board("facilitator")
    assert controls.emit("set_submissions", {"open": False}, callback=True)["ok"]
    (update,) = drain(client)["update"]
    assert update["kind"] == "workshop_updated" and update["data"]["submissions_open"] is False
    reply = client.emit(
        "submit_idea", {"client_id": "closed-0001", "text": "Prea târziu"}, callback=True
    )
    assert reply["ok"] is False and reply["code"] == "closed"
    controls.emit("set_submissions", {"open": True}, callback=True)
    assert client.emit(
        "submit_idea", {"client_id": "closed-0001", "text": "Acum da"}, callback=True
    )["ok"]
    with store.read() as db:
        assert db.get(Workshop, workshop.id).submissions_open is True


def test_facilitator_actions_with_bad_payloads_are_refused_and_change_nothing(phone, board, store):
    """Malformed facilitator messages get a clear error and no event."""
    add_ideas(phone, ["Ceva"])
    (idea,) = idea_ids(store)
    controls, screen = board("facilitator"), board()
    drain(screen)
    bad = [
        ("hide_idea", {"idea_id": "1", "hidden": True}),
        ("hide_idea", {"idea_id": idea, "hidden": "yes"}),
        ("hide_idea", {"idea_id": 999999, "hidden": True}),
        ("move_idea", {"idea_id": idea, "theme_id": 424242}),
        ("rename_theme", {"theme_id": 1, "name": ""}),
        ("rename_theme", {"theme_id": None, "name": "x"}),
        ("set_submissions", {"open": 1}),
        ("set_submissions", "open"),
    ]
    for event, data in bad:
        reply = controls.emit(event, data, callback=True)
        assert reply["ok"] is False and reply["error"], (event, data)
    assert "update" not in drain(screen)
    with store.read() as db:
        assert db.get(Idea, idea).hidden is False


def test_board_role_cannot_curate(board, phone, store):
    """The projected board's connection holds the key but is not the facilitator's controls."""
    add_ideas(phone, ["Ceva"])
    (idea,) = idea_ids(store)
    reply = board().emit("hide_idea", {"idea_id": idea, "hidden": True}, callback=True)
    assert reply["ok"] is False and reply["code"] == "forbidden"
