"""Curation: lock, merge, split, theme range, duplicates, undo; each outlives re-clustering."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.models import FacilitatorAction, Idea, Theme, Workshop
from tests.conftest import drain, restart
from tests.facilitation.test_facilitator_actions import IDEAS, add_ideas


@pytest.fixture
def clustered(app, phone, workshop):
    """A workshop with nine ideas on three topics, clustered once."""
    add_ideas(phone, IDEAS)
    assert app.extensions["clusterer"].recluster(workshop.id)
    return app.extensions["clusterer"]


def themes_of(store) -> dict[int, set[int]]:
    """Each live theme with the ids of its visible ideas."""
    with store.read() as db:
        live = set(db.scalars(select(Theme.id).where(Theme.retired.is_(False))))
        grouped = {t: set() for t in live}
        for idea in db.scalars(select(Idea).where(Idea.hidden.is_(False))):
            if idea.theme_id in grouped:
                grouped[idea.theme_id].add(idea.id)
    return grouped


def theme_of_text(store, text: str) -> int:
    """The theme of the idea with this text."""
    with store.read() as db:
        return db.scalar(select(Idea.theme_id).where(Idea.text == text))


def act(client, event, **data):
    """Send a facilitator event and return the reply, which must be a success."""
    reply = client.emit(event, data, callback=True)
    assert reply["ok"], reply
    return reply


def add_more(phone, texts):
    """Submit more ideas from a new phone."""
    client = phone()
    for n, text in enumerate(texts):
        client.emit("submit_idea", {"client_id": f"more-{n:06d}", "text": text}, callback=True)


def test_merged_themes_stay_merged_after_reclustering(clustered, board, phone, store, workshop):
    """Two merged themes become one for boards and remain one after more ideas arrive."""
    finance, youth = theme_of_text(store, IDEAS[0]), theme_of_text(store, IDEAS[3])
    assert finance != youth
    controls, screen = board("facilitator"), board()
    drain(screen)
    act(controls, "merge_themes", theme_ids=[finance, youth], into=finance)
    update = drain(screen)["update"][-1]
    assert update["kind"] == "themes_updated"
    assert youth not in {t["id"] for t in update["data"]["themes"]}
    merged = themes_of(store)[finance]
    add_more(phone, ["Finanțare pentru tineri antreprenori", "Turism cultural nocturn"])
    clustered.recluster(workshop.id)
    assert merged <= themes_of(store)[finance]


def test_locked_theme_keeps_exactly_its_members(clustered, board, phone, store, workshop):
    """A locked theme keeps its ideas and takes no new ones through re-clustering."""
    tourism = theme_of_text(store, IDEAS[6])
    members = themes_of(store)[tourism]
    controls, screen = board("facilitator"), board()
    drain(screen)
    act(controls, "lock_theme", theme_id=tourism, locked=True)
    assert drain(screen)["update"][-1] == {
        "seq": drain_seq(store, workshop),
        "kind": "theme_locked",
        "data": {"theme_id": tourism, "locked": True},
    }
    add_more(phone, ["Turism cultural și gastronomie locală", "Turism cultural pentru familii"])
    clustered.recluster(workshop.id)
    assert themes_of(store)[tourism] == members


def drain_seq(store, workshop) -> int:
    """The workshop's last sequence number."""
    with store.read() as db:
        return db.get(Workshop, workshop.id).last_seq


def test_split_into_parts_survives_reclustering(clustered, board, phone, store, workshop):
    """Splitting a theme in two gives two themes that stay apart after re-clustering."""
    controls = board("facilitator")
    finance, youth = theme_of_text(store, IDEAS[0]), theme_of_text(store, IDEAS[3])
    act(controls, "merge_themes", theme_ids=[finance, youth], into=finance)
    merged = themes_of(store)[finance]
    act(controls, "split_theme", theme_id=finance, parts=2)
    after_split = {k: v for k, v in themes_of(store).items() if v & merged}
    assert len(after_split) == 2 and finance in after_split
    assert set().union(*after_split.values()) == merged
    add_more(phone, ["Mentori voluntari pentru liceeni"])
    clustered.recluster(workshop.id)
    groups = themes_of(store)
    for theme_id, ideas in after_split.items():
        assert ideas <= groups[theme_id]


def test_split_by_picking_ideas_makes_a_new_theme(clustered, board, store):
    """Ideas picked out of a theme form a new theme of their own."""
    finance = theme_of_text(store, IDEAS[0])
    with store.read() as db:
        picked = db.scalar(select(Idea.id).where(Idea.text == IDEAS[2]))
    act(board("facilitator"), "split_theme", theme_id=finance, idea_ids=[picked])
    new_theme = theme_of_text(store, IDEAS[2])
    assert new_theme != finance
    assert themes_of(store)[new_theme] == {picked}


def test_split_refuses_bad_requests(clustered, board, store):
    """Splitting a locked theme, into too many parts, or taking foreign ideas is refused."""
    controls = board("facilitator")
    finance, youth = theme_of_text(store, IDEAS[0]), theme_of_text(store, IDEAS[3])
    with store.read() as db:
        foreign = db.scalar(select(Idea.id).where(Idea.text == IDEAS[3]))
    for data in (
        {"theme_id": finance, "parts": 1},
        {"theme_id": finance, "parts": 50},
        {"theme_id": finance, "parts": "2"},
        {"theme_id": finance, "idea_ids": [foreign]},
        {"theme_id": finance, "idea_ids": []},
    ):
        assert controls.emit("split_theme", data, callback=True)["ok"] is False, data
    act(controls, "lock_theme", theme_id=youth, locked=True)
    reply = controls.emit("split_theme", {"theme_id": youth, "parts": 2}, callback=True)
    assert reply["ok"] is False and "Unlock" in reply["error"]


def test_theme_range_is_respected_by_the_next_clustering(clustered, board, store, workshop):
    """Setting the range to exactly two themes gives two themes at the next re-clustering."""
    act(board("facilitator"), "set_theme_range", min=2, max=2)
    assert clustered.dirty_workshops() == [workshop.id]
    clustered.recluster(workshop.id)
    assert len([t for t, ideas in themes_of(store).items() if ideas]) == 2
    for bad in (
        {"min": 0, "max": 3},
        {"min": 5, "max": 3},
        {"min": 2, "max": 99},
        {"min": "2", "max": 3},
    ):
        assert board("facilitator").emit("set_theme_range", bad, callback=True)["ok"] is False


def test_merged_duplicates_keep_their_texts_and_follow_their_idea(
    clustered, board, phone, store, workshop
):
    """Near-duplicates merged into one idea keep their own text and move with it."""
    add_more(phone, ["Finantare pentru IMM-uri din industriile creative!"])
    controls = board("facilitator")
    with store.read() as db:
        original = db.scalar(select(Idea.id).where(Idea.text == IDEAS[0]))
        copy = db.scalar(select(Idea.id).where(Idea.text.like("Finantare pentru IMM-uri%")))
    screen = board()
    drain(screen)
    act(controls, "merge_ideas", idea_id=original, duplicate_ids=[copy])
    (update,) = drain(screen)["update"]
    assert update["kind"] == "ideas_merged"
    assert update["data"] == {"idea_id": original, "merged_ids": [copy]}
    clustered.recluster(workshop.id)
    with store.read() as db:
        merged = db.get(Idea, copy)
        assert merged.merged_into_id == original
        assert merged.text == "Finantare pentru IMM-uri din industriile creative!"
    fresh = drain(board())["sync"][0]["snapshot"]
    assert {i["id"]: i["merged_into_id"] for i in fresh["ideas"]}[copy] == original


@pytest.mark.parametrize(
    "action",
    ["hide", "move", "rename", "lock", "merge", "split", "range", "merge_ideas"],
)
def test_undo_puts_back_what_the_last_action_changed(clustered, board, store, workshop, action):
    """Undo restores the state from before the facilitator's last action and redraws boards."""
    controls = board("facilitator")
    finance, youth = theme_of_text(store, IDEAS[0]), theme_of_text(store, IDEAS[3])
    with store.read() as db:
        first = db.scalar(select(Idea.id).where(Idea.text == IDEAS[0]))
        second = db.scalar(select(Idea.id).where(Idea.text == IDEAS[1]))
    before = snapshot_state(store, workshop)
    {
        "hide": lambda: act(controls, "hide_idea", idea_id=first, hidden=True),
        "move": lambda: act(controls, "move_idea", idea_id=first, theme_id=youth),
        "rename": lambda: act(controls, "rename_theme", theme_id=finance, name="Bani"),
        "lock": lambda: act(controls, "lock_theme", theme_id=finance, locked=True),
        "merge": lambda: act(controls, "merge_themes", theme_ids=[finance, youth], into=youth),
        "split": lambda: act(controls, "split_theme", theme_id=finance, parts=2),
        "range": lambda: act(controls, "set_theme_range", min=3, max=4),
        "merge_ideas": lambda: act(controls, "merge_ideas", idea_id=first, duplicate_ids=[second]),
    }[action]()
    assert snapshot_state(store, workshop) != before
    screen = board()
    drain(screen)
    act(controls, "undo")
    assert snapshot_state(store, workshop) == before
    assert [u["kind"] for u in drain(screen)["update"]] == ["refresh", "workshop_updated"]


def snapshot_state(store, workshop) -> tuple:
    """Everything curation can change, in a comparable form (retired themes as not live)."""
    with store.read() as db:
        ideas = tuple(
            (i.id, i.theme_id, i.placed_by_facilitator, i.hidden, i.merged_into_id)
            for i in db.scalars(select(Idea).order_by(Idea.id))
        )
        themes = tuple(
            (t.id, t.name, t.renamed, t.locked)
            for t in db.scalars(select(Theme).where(Theme.retired.is_(False)).order_by(Theme.id))
        )
        w = db.get(Workshop, workshop.id)
        return ideas, themes, (w.theme_count_min, w.theme_count_max)


def test_undo_with_nothing_to_undo_says_so(board):
    """Undo on a fresh workshop is refused with a message."""
    reply = board("facilitator").emit("undo", {}, callback=True)
    assert reply["ok"] is False and reply["error"] == "There is nothing to undo."


def test_two_undos_go_back_two_steps(clustered, board, store, workshop):
    """Undo walks back through actions one by one."""
    controls = board("facilitator")
    finance = theme_of_text(store, IDEAS[0])
    start = snapshot_state(store, workshop)
    act(controls, "rename_theme", theme_id=finance, name="Unu")
    middle = snapshot_state(store, workshop)
    act(controls, "rename_theme", theme_id=finance, name="Doi")
    act(controls, "undo")
    assert snapshot_state(store, workshop) == middle
    act(controls, "undo")
    assert snapshot_state(store, workshop) == start


def test_every_facilitator_action_is_in_the_audit_log(clustered, board, store, workshop):
    """Staff can read every facilitator action, undone ones marked."""
    controls = board("facilitator")
    finance = theme_of_text(store, IDEAS[0])
    act(controls, "rename_theme", theme_id=finance, name="Finanțare")
    act(controls, "set_submissions", open=False)
    act(controls, "undo")
    with store.read() as db:
        log = [
            (a.action, a.undone)
            for a in db.scalars(select(FacilitatorAction).order_by(FacilitatorAction.id))
        ]
    assert log == [("rename_theme", True), ("set_submissions", False), ("undo", False)]


def test_curation_survives_a_restart(app, clustered, board, store, workshop):
    """Lock, rename and merge are still in force in a new server process on the same database."""
    controls = board("facilitator")
    finance, youth = theme_of_text(store, IDEAS[0]), theme_of_text(store, IDEAS[3])
    act(controls, "merge_themes", theme_ids=[finance, youth], into=finance)
    act(controls, "rename_theme", theme_id=finance, name="Finanțare și tineri")
    act(controls, "lock_theme", theme_id=finance, locked=True)
    members = themes_of(store)[finance]
    restarted = restart(app)
    try:
        with restarted.extensions["store"].read() as db:
            theme = db.get(Theme, finance)
            assert (theme.name, theme.locked, theme.renamed) == ("Finanțare și tineri", True, True)
        restarted.extensions["clusterer"].recluster(workshop.id)
        assert themes_of(restarted.extensions["store"])[finance] == members
    finally:
        restarted.extensions["store"].dispose()
