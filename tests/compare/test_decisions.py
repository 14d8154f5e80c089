"""The facilitator's decisions on the then-and-now matches: stored, respected, exported, undone."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from facilitation.exports import archive as archive_module
from facilitation.models import ComparisonDecision, FacilitatorAction, Workshop
from facilitation.previous import background, operations
from tests.compare.test_then_and_now import _import, _submit
from tests.conftest import drain

TODAY = [
    "Granturi mici pentru IMM-uri",
    "Fonduri europene pentru start-up-uri",
    "Credite pentru IMM-uri noi",
    "Spațiu de coworking pentru tineri",
    "Hub de coworking cu mentori",
    "Coworking ieftin pentru tineri",
]


def _compared(app, store, workshop) -> dict:
    """Import, submit, re-cluster and compare: the stored comparison."""
    _import(store, workshop.id)
    _submit(store, workshop.id, TODAY)
    app.extensions["clusterer"].run_once()
    with store.read() as db:
        return operations.stored_comparison(db, db.get(Workshop, workshop.id))


def _themes(comparison: dict) -> tuple[dict, dict]:
    """Today's recurring theme and today's new theme of the comparison."""
    now = comparison["current_themes"]
    recurring = next(t for t in now if t["status"] == "recurring")
    new = next(t for t in now if t["status"] == "new")
    return recurring, new


def _decisions(store) -> list[tuple[int, str, str]]:
    with store.read() as db:
        rows = db.scalars(select(ComparisonDecision).order_by(ComparisonDecision.id))
        return [(r.theme_id, r.previous_label, r.decision) for r in rows]


def _last_comparison(client) -> dict:
    updates = [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]
    assert updates, "no comparison_updated"
    return updates[-1]["data"]


def test_reject_confirm_make_and_undo_are_stored_and_respected(app, store, workshop, board):
    """Rejecting a match makes both themes unmatched in the next comparison; a match made by
    hand links a new theme; undo brings the computed match back; each reply is immediate and
    the comparison arrives as an event from the background loop."""
    comparison = _compared(app, store, workshop)
    recurring, new = _themes(comparison)
    assert recurring["matches"] == ["Finanțare"]
    facilitator = board("facilitator")
    drain(facilitator)

    reply = facilitator.emit(
        "decide_match",
        {"theme_id": recurring["theme_id"], "previous_theme": "finanţare", "decision": "reject"},
        callback=True,
    )
    assert reply == {"ok": True, "changed": True, "decision": "rejected", "pending": True}
    assert _decisions(store) == [(recurring["theme_id"], "Finanțare", "rejected")]
    background.refresh_due_comparisons(app)
    data = _last_comparison(facilitator)
    now = {t["theme_id"]: t for t in data["current_themes"]}
    assert now[recurring["theme_id"]]["status"] == "new"
    assert [d["label"] for d in now[recurring["theme_id"]]["rejected"]] == ["Finanțare"]
    assert {t["label"]: t["status"] for t in data["previous_themes"]}["Finanțare"] == (
        "not_raised_again"
    )

    # Made by hand: today's coworking theme continues the earlier tourism theme.
    reply = facilitator.emit(
        "decide_match",
        {"theme_id": new["theme_id"], "previous_theme": "Turism", "decision": "match"},
        callback=True,
    )
    assert reply["ok"] and reply["decision"] == "made"
    # A re-clustering later: the decisions still hold.
    _submit(store, workshop.id, ["Încă un spațiu de coworking"], device="q")
    app.extensions["clusterer"].run_once()
    background.refresh_due_comparisons(app)
    data = _last_comparison(facilitator)
    now = {t["theme_id"]: t for t in data["current_themes"]}
    assert now[new["theme_id"]]["matches"] == ["Turism"]
    assert now[new["theme_id"]]["match_details"][0]["decision"] == "made"
    assert now[recurring["theme_id"]]["status"] == "new"

    # Undo the rejection: the computed match comes back.
    reply = facilitator.emit(
        "undo_match_decision",
        {"theme_id": recurring["theme_id"], "previous_theme": "Finanțare"},
        callback=True,
    )
    assert reply["ok"] and reply["undone"] == "rejected"
    background.refresh_due_comparisons(app)
    data = _last_comparison(facilitator)
    now = {t["theme_id"]: t for t in data["current_themes"]}
    assert now[recurring["theme_id"]]["matches"] == ["Finanțare"]
    assert now[recurring["theme_id"]]["match_details"][0]["decision"] is None
    assert _decisions(store) == [(new["theme_id"], "Turism", "made")]
    with store.read() as db:
        logged = db.scalars(select(FacilitatorAction.action).order_by(FacilitatorAction.id))
        assert [a for a in logged if "match" in a] == [
            "decide_match",
            "decide_match",
            "undo_match_decision",
        ]


def test_a_decision_made_while_a_comparison_is_computed_is_shown_next(
    app, store, workshop, board, monkeypatch
):
    """The comparison reads its inputs, the facilitator rejects a match while it computes, and
    it is stored after: the next round compares again, so the rejection reaches the boards."""
    comparison = _compared(app, store, workshop)
    recurring, _ = _themes(comparison)
    facilitator = board("facilitator")
    drain(facilitator)
    # Something due, so that a round compares again.
    _submit(store, workshop.id, ["Microgranturi pentru firmele mici"], device="q")
    compute = operations.compute

    def decided_meanwhile(*args, **kwargs):
        reply = facilitator.emit(
            "decide_match",
            {
                "theme_id": recurring["theme_id"],
                "previous_theme": "Finanțare",
                "decision": "reject",
            },
            callback=True,
        )
        assert reply["ok"]
        return compute(*args, **kwargs)

    monkeypatch.setattr(operations, "compute", decided_meanwhile)
    background.refresh_due_comparisons(app, charts=False)
    monkeypatch.setattr(operations, "compute", compute)
    with store.read() as db:
        assert operations.due(db, charts=False) == [workshop.id]
    background.refresh_due_comparisons(app, charts=False)
    data = _last_comparison(facilitator)
    now = {t["theme_id"]: t for t in data["current_themes"]}
    assert [d["label"] for d in now[recurring["theme_id"]]["rejected"]] == ["Finanțare"]
    with store.read() as db:
        assert operations.due(db, charts=False) == []


def test_bad_decisions_are_refused_and_change_nothing(app, store, workshop, board):
    """Wrong role, unknown theme, unknown earlier theme, unknown decision, replay, undo of
    nothing: a clear refusal each time, no row, no event."""
    comparison = _compared(app, store, workshop)
    recurring, _ = _themes(comparison)
    facilitator = board("facilitator")
    projector = board("board")
    good = {"theme_id": recurring["theme_id"], "previous_theme": "Finanțare", "decision": "confirm"}
    assert facilitator.emit("decide_match", good, callback=True)["decision"] == "confirmed"
    drain(facilitator)
    drain(projector)
    before = _decisions(store)
    with store.read() as db:
        seq = db.get(Workshop, workshop.id).last_seq

    cases = [
        (projector, "decide_match", {**good, "decision": "reject"}, "forbidden"),
        (facilitator, "decide_match", {**good, "theme_id": 999_999}, "not_found"),
        (facilitator, "decide_match", {**good, "theme_id": "1"}, "malformed"),
        (facilitator, "decide_match", {**good, "previous_theme": "Sănătate"}, "not_found"),
        (facilitator, "decide_match", {**good, "previous_theme": ""}, "empty"),
        (facilitator, "decide_match", {**good, "decision": "maybe"}, "malformed"),
        (facilitator, "decide_match", good, "already_decided"),
        (facilitator, "decide_match", {**good, "decision": "match"}, "already_decided"),
        (facilitator, "decide_match", ["not", "an", "object"], "malformed"),
        (facilitator, "undo_match_decision", {**good, "previous_theme": "Turism"}, "not_found"),
        (projector, "undo_match_decision", good, "forbidden"),
    ]
    for client, event, body, code in cases:
        reply = client.emit(event, body, callback=True)
        assert reply["ok"] is False and reply["code"] == code, (event, body, reply)
        assert len(reply["error"]) > 10
    assert _decisions(store) == before
    with store.read() as db:
        assert db.get(Workshop, workshop.id).last_seq == seq
    assert not drain(facilitator).get("update") and not drain(projector).get("update")


def test_decisions_reach_the_archive_and_come_back_on_restore(app, store, workshop, board):
    """The archive carries the decisions; a restore puts them back on the new theme ids; a bad
    decision in an archive is refused with its path."""
    comparison = _compared(app, store, workshop)
    recurring, _ = _themes(comparison)
    facilitator = board("facilitator")
    facilitator.emit(
        "decide_match",
        {"theme_id": recurring["theme_id"], "previous_theme": "Finanțare", "decision": "reject"},
        callback=True,
    )
    background.refresh_due_comparisons(app)
    with store.read() as db:
        built = archive_module.build(db, db.get(Workshop, workshop.id))
    raw = archive_module.as_dict(built)
    assert raw["comparison_decisions"] == [
        {"theme_id": recurring["theme_id"], "previous_theme": "Finanțare", "decision": "rejected"}
    ]
    rejected = next(
        t
        for t in raw["previous_session"]["current_themes"]
        if t["theme_id"] == recurring["theme_id"]
    )["rejected"]
    assert rejected[0]["decision"] == "rejected"

    loaded = archive_module.load_archive(json.dumps(raw))
    with store.write() as db:
        restored = archive_module.restore(db, loaded)
        restored_id = restored.id
    with store.read() as db:
        rows = db.scalars(
            select(ComparisonDecision).where(ComparisonDecision.workshop_id == restored_id)
        ).all()
        assert [(r.previous_label, r.decision) for r in rows] == [("Finanțare", "rejected")]
        assert rows[0].theme_id != recurring["theme_id"] or restored_id != workshop.id

    broken = {**raw, "comparison_decisions": [{**raw["comparison_decisions"][0], "decision": "x"}]}
    try:
        archive_module.load_archive(json.dumps(broken))
    except archive_module.ArchiveError as error:
        assert "comparison_decisions[0].decision" in str(error)
    else:
        raise AssertionError("a bad decision was accepted")
    with store.read() as db:
        assert db.scalar(select(func.count(ComparisonDecision.id))) == 2
