"""The comparison in the application: stored sessions, background updates, pages and charts."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from analysis import embedding
from facilitation.demo import ensure_demo_workshop
from facilitation.models import Participant, PreviousSession, Workshop
from facilitation.operations import ideas as idea_ops
from facilitation.previous import background, operations, parsing
from tests.conftest import drain

PREVIOUS = (
    "tema;idee\n"
    "Finanțare;Granturi pentru IMM-uri\nFinanțare;Fonduri europene pentru antreprenori\n"
    "Finanțare;Credite pentru firme noi\nTurism;Trasee de turism cultural\n"
    "Turism;Ghizi locali pentru turiști\nTurism;Turism cultural în centrul istoric\n"
)


def _import(store, workshop_id: int, content: str = PREVIOUS) -> None:
    """Import a previous session from CSV text."""
    with store.write() as db:
        operations.import_session(
            db,
            db.get(Workshop, workshop_id),
            parsing.parse(content.encode(), "then.csv"),
            source="then.csv",
            title="Atelier 1",
        )


def _submit(store, workshop_id: int, texts: list[str], device: str = "p") -> None:
    """Store ideas as phones would (one phone per device letter)."""
    with store.write() as db:
        w = db.get(Workshop, workshop_id)
        participant = Participant(workshop_id=w.id, device_id=device * 32)
        db.add(participant)
        db.flush()
        for n, text in enumerate(texts):
            idea_ops.submit(
                db, w.id, participant.id, client_id=f"idea-{len(text)}-{n:04d}", text=text
            )


def test_comparison_for_workshop_is_none_without_a_previous_session(store, workshop):
    """No imported session: nothing to compare."""
    with store.read() as db:
        assert operations.comparison_for_workshop(db, db.get(Workshop, workshop.id)) is None


def test_background_update_pushes_comparison_to_boards(app, store, workshop, board):
    """After a re-clustering the boards receive one comparison_updated with today's themes."""
    _import(store, workshop.id)
    _submit(
        store,
        workshop.id,
        [
            "Granturi mici pentru IMM-uri",
            "Fonduri europene pentru start-up-uri",
            "Credite pentru IMM-uri noi",
            "Spațiu de coworking pentru tineri",
            "Hub de coworking cu mentori",
            "Coworking ieftin pentru tineri",
        ],
    )
    client = board()
    drain(client)

    app.extensions["clusterer"].run_once()

    updates = [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]
    assert len(updates) == 1
    data = updates[0]["data"]
    assert data["previous_session"]["title"] == "Atelier 1"
    statuses = {t["label"]: t["status"] for t in data["previous_themes"]}
    assert statuses == {"Finanțare": "recurring", "Turism": "not_raised_again"}
    assert {t["status"] for t in data["current_themes"]} == {"recurring", "new"}
    assert data["closest"] and all("previous_text" in c for c in data["closest"])

    # A round with time to spare draws the charts, and embeds the previous session's ideas where
    # the semantic model is installed: the themes are then compared by meaning, with the same
    # outcome.
    app.extensions["clusterer"].run_once()
    updates = [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]
    if embedding.available():
        assert len(updates) == 1
        later = updates[0]["data"]
        assert later["representation"] == "semantic" and data["representation"] == "tfidf"
        assert {t["label"]: t["status"] for t in later["previous_themes"]} == statuses
        assert {t["status"] for t in later["current_themes"]} == {"recurring", "new"}
    else:
        assert [m["data"] for m in updates] == [data]  # the same comparison, with its charts
    app.extensions["clusterer"].run_once()  # nothing changed: nothing sent again
    assert not [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]


def test_comparison_is_computed_in_the_worker_process(app, store, workshop, board):
    """With CLUSTERING_WORKERS=1 the comparison runs in the worker, not in the server process."""
    import os

    _import(store, workshop.id)
    _submit(store, workshop.id, ["Granturi mici pentru IMM-uri", "Trasee turistice noi"])
    client = board()
    drain(client)
    clusterer = app.extensions["clusterer"]
    clusterer._workers = 1
    ran: list[str] = []

    def in_worker(name, *args, **kwargs):
        ran.append(name)
        return clusterer.compute(name, *args, **kwargs)

    try:
        background.refresh_due_comparisons(app, in_worker)
        assert clusterer.compute("os.getpid") != os.getpid()
    finally:
        clusterer.stop()
    assert ran == ["analysis.jobs.comparison"]
    updates = [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]
    assert len(updates) == 1


def test_a_heavy_comparison_holds_the_next_one_back(app, store, workshop, monkeypatch):
    """After a comparison that took t seconds, the next one waits BACKGROUND_BACKOFF × t."""
    import datetime as dt

    from facilitation import locks

    app.config["BACKGROUND_BACKOFF"] = 2.0
    _import(store, workshop.id)
    _submit(store, workshop.id, ["Granturi mici pentru IMM-uri", "Trasee turistice noi"])
    ticks = iter([0.0, 5.0])
    monkeypatch.setattr(background.time, "monotonic", lambda: next(ticks))
    assert background.refresh_comparison(app, workshop.id)
    _submit(store, workshop.id, ["Ghizi pentru turiști"], device="q")
    with store.read() as db:
        assert operations.due(db) == []
    real = locks.utcnow
    monkeypatch.setattr(locks, "utcnow", lambda: real() + dt.timedelta(seconds=11))
    with store.read() as db:
        assert operations.due(db) == [workshop.id]


def test_renaming_a_theme_updates_the_comparison(app, store, workshop, board):
    """A facilitator's rename reaches the then-and-now view through a new comparison."""
    _import(store, workshop.id)
    _submit(
        store,
        workshop.id,
        [
            "Granturi mici pentru IMM-uri",
            "Fonduri pentru IMM-uri",
            "Trasee turistice noi",
            "Ghizi pentru turiști",
        ],
    )
    app.extensions["clusterer"].run_once()
    facilitator = board("facilitator")
    with store.read() as db:
        theme_id = operations.stored_comparison(db, db.get(Workshop, workshop.id))[
            "current_themes"
        ][0]["theme_id"]
    facilitator.emit(
        "rename_theme", {"theme_id": theme_id, "name": "Bani pentru firme"}, callback=True
    )
    drain(facilitator)

    background.refresh_due_comparisons(app)

    updates = [m for m in drain(facilitator).get("update", []) if m["kind"] == "comparison_updated"]
    assert "Bani pentru firme" in [t["label"] for t in updates[-1]["data"]["current_themes"]]


def test_pages_need_the_key_and_show_the_comparison(app, store, workshop):
    """Import page, projected view, JSON and charts: 403 without the key, content with it."""
    _import(store, workshop.id)
    client = app.test_client()
    base = f"/facilitate/{workshop.code}/previous"
    assert client.get(base).status_code == 403
    assert client.get(f"/board/{workshop.code}/then-and-now?key=wrong").status_code == 403
    page = client.get(f"{base}?key={workshop.key}").get_data(as_text=True)
    assert "then.csv" in page and "Finanțare" in page
    assert client.get(f"/board/{workshop.code}/then-and-now?key={workshop.key}").status_code == 200
    # Nothing is computed by a request: until the worker made the comparison, it is pending.
    data = client.get(f"/board/{workshop.code}/then-and-now.json?key={workshop.key}").get_json()
    assert data["comparison"] is None and data["pending"] is True
    waiting = client.get(f"/board/{workshop.code}/then-and-now/sizes.svg?key={workshop.key}")
    assert waiting.status_code == 503 and waiting.headers["Retry-After"]
    background.refresh_due_comparisons(app)
    data = client.get(f"/board/{workshop.code}/then-and-now.json?key={workshop.key}").get_json()
    assert data["pending"] is False
    assert [t["label"] for t in data["comparison"]["previous_themes"]] == ["Finanțare", "Turism"]
    for chart in ("sizes", "similarity"):
        png = client.get(f"/board/{workshop.code}/then-and-now/{chart}.png?key={workshop.key}")
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
        svg = client.get(
            f"/board/{workshop.code}/then-and-now/{chart}.svg?key={workshop.key}&download=1"
        )
        assert (
            svg.data.lstrip().startswith(b"<?xml")
            and "attachment" in svg.headers["Content-Disposition"]
        )
    assert client.get(f"/board/{workshop.code}/then-and-now/sizes.png").status_code == 403
    # Drawn by the worker in each page language.
    for language, word, other in (("ro", "atunci", ">then<"), ("en", "then", "atunci")):
        reader = app.test_client()
        reader.set_cookie("lang", language)
        svg = reader.get(f"/board/{workshop.code}/then-and-now/sizes.svg?key={workshop.key}")
        text = svg.get_data(as_text=True)
        assert word in text and other not in text, language


def test_upload_with_preview_then_chosen_columns(app, store, workshop):
    """A CSV upload shows a preview; confirming with chosen columns imports it."""
    client = app.test_client()
    url = f"/facilitate/{workshop.code}/previous?key={workshop.key}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True))[
        1
    ]
    content = "Nr;Propunere;Grupa\n1;Granturi pentru IMM-uri;Bani\n2;Cursuri în licee;Şcoală\n"
    preview = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(content.encode("cp1250")), "flipchart.csv")},
        content_type="multipart/form-data",
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="preview-table"' in html
    file_data = re.search(r'name="file_data" value="([^"]+)"', html)[1]

    done = client.post(
        url,
        data={
            "csrf_token": token,
            "confirm": "1",
            "file_data": file_data,
            "file_name": "flipchart.csv",
            "column_text": "2",
            "column_theme": "3",
            "column_question": "",
            "column_votes": "",
        },
    )

    assert done.status_code == 302
    with store.read() as db:
        session = db.scalar(select(PreviousSession))
        assert [(i.text, i.theme) for i in session.ideas] == [
            ("Granturi pentru IMM-uri", "Bani"),
            ("Cursuri în licee", "Şcoală"),
        ]
        assert session.encoding == "cp1250"


def test_demo_workshop_comes_with_the_illustrative_previous_session(store):
    """The demo workshop imports the shipped sample, marked illustrative, five questions in it."""
    with store.write() as db:
        workshop = ensure_demo_workshop(db)
        session = operations.find(db, workshop)
        assert session.illustrative and session.session_date.isoformat() == "2019-09-30"
        assert 40 <= len(session.ideas) <= 60
        assert len({i.question for i in session.ideas}) == 5
        assert len({i.theme for i in session.ideas}) >= 8


def test_romanian_view_words_are_romanian(app, store, workshop):
    """The projected view and the facilitator's controls in Romanian: every status, strength,
    trend and decision word the script shows comes translated from the server."""
    import html
    import json

    from tests.exports.english import english_words_in

    client = app.test_client()
    client.set_cookie("lang", "ro")
    for path in ("board", "facilitate"):
        page = client.get(f"/{path}/{workshop.code}/then-and-now?key={workshop.key}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        words = json.loads(html.unescape(re.search(r"data-strings='([^']+)'", text)[1]))
        for key in ("recurring", "new", "not_raised_again", "grew", "shrank", "same", "clear"):
            assert words[key] and english_words_in(words[key]) == [], (key, words[key])
        assert words["recurring"] == "recurentă" and words["grew"] == "a crescut"
        assert (
            words["weak"] == "potrivire slabă" and words["confirmed"] == "confirmată de facilitator"
        )
        assert english_words_in(" ".join(v for v in words.values() if isinstance(v, str))) == []
    controls = client.get(f"/facilitate/{workshop.code}/then-and-now?key={workshop.key}")
    assert 'data-role="facilitator"' in controls.get_data(as_text=True)
    assert "Potriviți manual" in controls.get_data(as_text=True)
    assert client.get(f"/facilitate/{workshop.code}/then-and-now?key=wrong").status_code == 403


def _charts(store, workshop_id: int) -> tuple[str, str, bytes | None]:
    """The session's compared and charted keys, and its stored sizes chart in Romanian."""
    with store.read() as db:
        workshop = db.get(Workshop, workshop_id)
        session = operations.find(db, workshop)
        chart = operations.stored_chart(db, workshop, "sizes.svg", "ro")
        return session.compared_key, session.charted_key, chart


def test_charts_wait_for_a_round_without_a_room_waiting(app, store, workshop, board):
    """Charts take seconds of the worker: a round that re-clustered a room compares without them
    (the stored ones stay), and the next round with time to spare draws them and tells boards."""
    _import(store, workshop.id)
    _submit(store, workshop.id, ["Granturi mici pentru IMM-uri", "Trasee turistice noi"])
    clusterer = app.extensions["clusterer"]
    clusterer.run_once()  # the room waited for its themes: no charts yet
    assert _charts(store, workshop.id)[2] is None
    clusterer.run_once()  # a round with time to spare draws them
    compared, charted, first = _charts(store, workshop.id)
    assert first and charted == compared

    _submit(store, workshop.id, ["Credite pentru firme noi"], device="q")
    client = board()
    drain(client)
    clusterer.run_once()  # the room waited for its themes in this round: no charts
    compared, charted, chart = _charts(store, workshop.id)
    assert compared != charted and chart == first
    with store.read() as db:
        assert operations.due(db, charts=False) == []
        assert operations.due(db) == [workshop.id]
    updates = [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]
    assert len(updates) == 1  # the comparison itself is current

    clusterer.run_once()  # nothing to re-cluster: the charts are drawn now
    compared, charted, chart = _charts(store, workshop.id)
    assert charted == compared and chart and chart != first
    updates = [m for m in drain(client).get("update", []) if m["kind"] == "comparison_updated"]
    assert len(updates) == 1  # boards fetch the new charts


def test_charts_wait_for_busy_rooms_at_most_a_minute(app, store, workshop):
    """A room that never stops writing still gets its charts once DEFERRED_WORK has passed."""
    import time

    from facilitation import clustering

    _import(store, workshop.id)
    _submit(store, workshop.id, ["Granturi mici pentru IMM-uri", "Trasee turistice noi"])
    clusterer = app.extensions["clusterer"]
    clusterer.run_once()
    _submit(store, workshop.id, ["Credite pentru firme noi"], device="q")
    clusterer._deferred_at = time.monotonic() - clustering.DEFERRED_WORK
    clusterer.run_once()  # the room waited, but the charts have waited long enough
    compared, charted, chart = _charts(store, workshop.id)
    assert chart and charted == compared


def test_charts_wait_while_a_held_back_room_has_ideas_without_themes(app, store, workshop):
    """A room whose re-clustering is held back (a large room's back-off) still waits for its
    themes: the round that skips it does not draw charts meanwhile."""
    import datetime as dt

    _import(store, workshop.id)
    _submit(store, workshop.id, ["Granturi mici pentru IMM-uri", "Trasee turistice noi"])
    clusterer = app.extensions["clusterer"]
    clusterer.run_once()
    _submit(store, workshop.id, ["Credite pentru firme noi"], device="q")
    with store.write() as db:
        held = db.get(Workshop, workshop.id)
        held.recluster_after = held.created_at + dt.timedelta(days=3650)
    clusterer.run_once()  # not re-clustered (held back), yet its new idea waits for a theme
    assert clusterer.dirty_workshops() == []
    compared, charted, _chart = _charts(store, workshop.id)
    assert compared != charted
