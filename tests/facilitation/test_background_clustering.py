"""Background re-clustering: placement at once, batches later, failures contained."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
from concurrent.futures.process import BrokenProcessPool

import pytest
from sqlalchemy import select

from analysis import embedding
from analysis import themes as analysis_themes
from analysis import worker as analysis_worker
from facilitation import clustering as clustering_module
from facilitation import locks
from facilitation.models import Idea, Theme, Workshop
from facilitation.operations import themes as theme_ops
from tests.conftest import drain
from tests.facilitation.test_facilitator_actions import IDEAS, add_ideas


def live_themes(store) -> dict[int, set[str]]:
    """Each live theme's id with the texts of its ideas."""
    with store.read() as db:
        grouped: dict[int, set[str]] = {}
        for idea in db.scalars(select(Idea).where(Idea.theme_id.is_not(None))):
            grouped.setdefault(idea.theme_id, set()).add(idea.text)
        live = set(db.scalars(select(Theme.id).where(Theme.retired.is_(False))))
    return {k: v for k, v in grouped.items() if k in live}


def test_changed_workshop_is_reclustered_once_and_then_clean(app, phone, store, workshop):
    """run_once re-clusters a workshop with new ideas, after which it is no longer pending."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    assert clusterer.dirty_workshops() == [workshop.id]
    clusterer.run_once()
    assert clusterer.dirty_workshops() == []
    groups = live_themes(store)
    assert len(groups) >= 2
    assert sum(len(texts) for texts in groups.values()) == len(IDEAS)


def test_new_themes_of_a_clustering_take_their_own_places_and_colours(
    app, phone, store, workshop, caplog
):
    """Themes a clustering makes come after every earlier theme, retired ones included, each in
    a colour no other live theme has; a second round that changes nothing keeps them all. The
    log says how many ideas each round moved: every idea, then none."""
    caplog.set_level(logging.INFO, logger="facilitation.clustering")
    add_ideas(phone, IDEAS)
    with store.write() as db:  # an earlier theme, retired, still holds its place
        db.add(
            Theme(workshop_id=workshop.id, name="Old", color="#ffd166", position=5, retired=True)
        )
    clusterer = app.extensions["clusterer"]
    assert clusterer.recluster(workshop.id)

    def live():
        with store.read() as db:
            return [
                (t.id, t.position, t.color)
                for t in db.scalars(
                    select(Theme).where(Theme.retired.is_(False)).order_by(Theme.position)
                )
            ]

    first = live()
    assert len(first) >= 2
    assert [position for _, position, _ in first] == list(range(6, 6 + len(first)))
    assert len({color for _, _, color in first}) == len(first)
    assert "#ffd166" in {color for _, _, color in first}  # a retired theme's colour is free
    with store.write() as db:
        db.get(Workshop, workshop.id).content_version += 1  # a round with nothing new
    assert clusterer.recluster(workshop.id)
    assert live() == first
    rounds = [r.getMessage() for r in caplog.records if "re-clustered workshop" in r.getMessage()]
    assert len(rounds) == 2, rounds
    assert rounds[0].endswith(f"; {len(IDEAS)} ideas changed theme"), rounds[0]
    assert rounds[1].endswith("; 0 ideas changed theme"), rounds[1]


def test_new_idea_is_placed_with_the_nearest_theme_at_once(app, phone, board, store, workshop):
    """After a clustering, a new idea arrives on the board already in its theme."""
    add_ideas(phone, IDEAS)
    app.extensions["clusterer"].recluster(workshop.id)
    with store.read() as db:
        finance_theme = db.scalar(select(Idea.theme_id).where(Idea.text == IDEAS[0]))
    screen = board()
    drain(screen)
    reply = phone().emit(
        "submit_idea",
        {"client_id": "new-0000001", "text": "Finanțare și granturi pentru IMM-uri"},
        callback=True,
    )
    assert reply["ok"]
    (update,) = drain(screen)["update"]
    assert update["data"]["idea"]["theme_id"] == finance_theme


def test_a_reclustering_sends_only_the_ideas_that_changed_theme(app, phone, board, workshop):
    """The first clustering sends every idea's theme (all were new); after one more idea the
    next sends only the ideas whose theme changed, and a board applying each update over what it
    held ends with the grouping stored in the database."""
    add_ideas(phone, IDEAS)
    screen = board()
    drain(screen)
    clusterer = app.extensions["clusterer"]
    held: dict[str, int | None] = {}

    def updates() -> list[dict]:
        found = [u["data"] for u in drain(screen)["update"] if u["kind"] == "themes_updated"]
        for data in found:
            held.update(data["assignments"])
        return found

    clusterer.recluster(workshop.id)
    (first,) = updates()
    assert len(first["assignments"]) == len(IDEAS)
    client = phone()
    reply = client.emit(
        "submit_idea", {"client_id": "more-000002", "text": "Mentori pentru tineri"}, callback=True
    )
    assert reply["ok"]
    for update in drain(screen)["update"]:  # on the board as it arrived, in its theme or new
        held[str(update["data"]["idea"]["id"])] = update["data"]["idea"]["theme_id"]
    clusterer.recluster(workshop.id)
    (second,) = updates()
    assert len(second["assignments"]) < len(IDEAS) // 2
    with app.extensions["store"].read() as db:
        stored = {str(i): t for i, t in db.execute(select(Idea.id, Idea.theme_id))}
    assert held == stored


def test_themes_keep_their_ids_when_a_few_ideas_are_added(app, phone, store, workshop):
    """After one more idea, every theme keeps its id together with most of its ideas."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer.recluster(workshop.id)
    before = live_themes(store)
    client = phone()
    client.emit(
        "submit_idea", {"client_id": "more-000001", "text": "Mentori pentru tineri"}, callback=True
    )
    clusterer.recluster(workshop.id)
    after = live_themes(store)
    for theme_id, texts in before.items():
        assert len(texts & after.get(theme_id, set())) > len(texts) / 2, (theme_id, before, after)


def test_failing_clustering_keeps_the_last_good_themes(
    app, phone, store, workshop, monkeypatch, caplog
):
    """If the analysis crashes on some input, the board keeps its themes and the error is logged."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer.recluster(workshop.id)
    before = live_themes(store)
    phone().emit("submit_idea", {"client_id": "boom-000001", "text": "Încă o idee"}, callback=True)

    def crash(*_args, **_kwargs):
        raise RuntimeError("analysis failed on this input")

    monkeypatch.setattr(analysis_themes, "find_themes", crash)
    with caplog.at_level(logging.ERROR):
        clusterer.run_once()
    assert "re-clustering workshop" in caplog.text
    assert live_themes(store) == before
    assert clusterer.dirty_workshops() == [workshop.id]


def test_clustering_computed_before_a_curation_is_discarded(app, phone, board, store, workshop):
    """A result that does not know about the facilitator's latest change is not applied."""
    add_ideas(phone, IDEAS)
    with store.read() as db:
        data = theme_ops.clustering_input(db, db.get(Workshop, workshop.id))
        first = db.scalar(select(Idea.id).order_by(Idea.id))
    board("facilitator").emit("hide_idea", {"idea_id": first, "hidden": True}, callback=True)
    result, continued = analysis_themes.continue_themes(
        data.texts, ids=data.idea_ids, groups=data.previous, fixed=data.fixed, closed=data.closed
    )
    with store.write() as db:
        workshop_now = db.get(Workshop, workshop.id)
        assert theme_ops.apply_clustering(db, workshop_now, data, result, continued) is None
        assert db.scalar(select(Theme.id)) is None


@pytest.mark.parametrize("texts", [["!!!", "???", "..."], ["1234", "5678"], ["a"]])
def test_ideas_without_words_still_get_a_group(app, phone, store, workshop, texts):
    """Punctuation-only or numeric ideas do not break clustering."""
    add_ideas(phone, texts)
    assert app.extensions["clusterer"].recluster(workshop.id)
    with store.read() as db:
        assert db.scalar(select(Idea.id).where(Idea.theme_id.is_(None))) is None


def test_themes_can_be_computed_in_a_worker_process(app, phone, store, workshop):
    """With CLUSTERING_WORKERS=1 the themes come from a separate process, with the same result,
    and that process has no need of the language model."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer._workers = 1
    try:
        assert clusterer.recluster(workshop.id)
        assert clusterer._pool is not None
        # The worker runs below the server's priority, so the server is served first.
        expected = min(19, os.nice(0) + analysis_worker.NICENESS)
        assert clusterer.compute("os.nice", 0) == expected
        # The server passed the ideas' languages: the worker never loaded the language model.
        assert not clusterer.compute("analysis.text.language_model_loaded")
        clusterer.compute("analysis.text.detect_language", "biciclete electrice")
        assert clusterer.compute("analysis.text.language_model_loaded")
    finally:
        clusterer.stop()
    assert sum(len(texts) for texts in live_themes(store).values()) == len(IDEAS)


def test_another_process_places_new_ideas_once_it_sees_new_themes(app, phone, store, workshop):
    """A second server process on the same database rebuilds its placement from stored themes."""
    from tests.conftest import restart

    add_ideas(phone, IDEAS)
    app.extensions["clusterer"].recluster(workshop.id)
    with store.read() as db:
        finance = db.scalar(select(Idea.theme_id).where(Idea.text == IDEAS[0]))
    other = restart(app)
    try:
        elsewhere = other.extensions["clusterer"]
        assert elsewhere.place(workshop.id, "Finanțare și granturi pentru IMM-uri") is None
        elsewhere.run_once()
        assert elsewhere.place(workshop.id, "Finanțare și granturi pentru IMM-uri") == finance
    finally:
        other.extensions["store"].dispose()


def _clustering_takes(monkeypatch, seconds: float) -> None:
    """Make every clustering take `seconds` by the clusterer's clock."""
    ticks = itertools.count(0.0, seconds)
    monkeypatch.setattr(clustering_module.time, "monotonic", lambda: next(ticks))


def _later(monkeypatch, seconds: float) -> None:
    """Move the back-off's clock `seconds` into the future."""
    real = locks.utcnow
    monkeypatch.setattr(locks, "utcnow", lambda: real() + dt.timedelta(seconds=seconds))


def _clustered_then_changed(app, phone, workshop, monkeypatch, seconds: float):
    """A workshop clustered once in `seconds` (back-off factor 2), then given one more idea."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer.backoff = 2.0
    _clustering_takes(monkeypatch, seconds)
    assert clusterer.recluster(workshop.id)
    reply = phone().emit(
        "submit_idea", {"client_id": "late-000001", "text": "Încă o idee"}, callback=True
    )
    assert reply["ok"]
    return clusterer


def test_a_slow_clustering_spaces_out_the_next_one(app, phone, workshop, monkeypatch):
    """After a clustering that took t seconds, the loop waits BACKGROUND_BACKOFF × t."""
    clusterer = _clustered_then_changed(app, phone, workshop, monkeypatch, 4.0)
    clusterer.run_once()  # at once, before 2 × 4 s: nothing happens
    assert clusterer.dirty_workshops() == []
    _later(monkeypatch, 9.0)
    assert clusterer.dirty_workshops() == [workshop.id]
    clusterer.run_once()  # 9 s later: the changed workshop is re-clustered
    assert clusterer.dirty_workshops() == []


def test_the_back_off_holds_for_every_server_process(app, phone, workshop, monkeypatch):
    """The back-off is stored with the workshop: another process waits it out as well."""
    from tests.conftest import restart

    _clustered_then_changed(app, phone, workshop, monkeypatch, 3.0)
    other = restart(app)
    try:
        elsewhere = other.extensions["clusterer"]
        assert elsewhere.dirty_workshops() == []
        _later(monkeypatch, 7.0)
        assert elsewhere.dirty_workshops() == [workshop.id]
    finally:
        other.extensions["store"].dispose()


def test_a_failing_clustering_is_held_back_too(app, phone, store, workshop, monkeypatch):
    """A clustering that keeps failing is not retried at every round of the loop."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer.backoff = 2.0
    _clustering_takes(monkeypatch, 5.0)

    def crash(*_args, **_kwargs):
        raise RuntimeError("analysis failed on this input")

    monkeypatch.setattr(analysis_themes, "find_themes", crash)
    with pytest.raises(RuntimeError):
        clusterer.recluster(workshop.id)
    assert clusterer.dirty_workshops() == []
    _later(monkeypatch, 11.0)
    assert clusterer.dirty_workshops() == [workshop.id]


def test_background_work_ends_quietly_once_the_server_stops(app, phone, workshop, caplog):
    """After stop (SIGTERM), the loop starts no more work and logs no error for it."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer.stop()
    with caplog.at_level(logging.ERROR):
        clusterer.run_once()
    assert caplog.text == ""
    assert clusterer.dirty_workshops() == [workshop.id]


def stored_vectors(store) -> dict[int, bytes | None]:
    """Each idea's stored semantic vector."""
    with store.read() as db:
        return dict(db.execute(select(Idea.id, Idea.embedding)).all())


@pytest.mark.skipif(not embedding.available(), reason="the semantic model is not installed")
def test_each_idea_is_embedded_once_and_its_vector_kept(app, phone, store, workshop, monkeypatch):
    """The first re-clustering stores every idea's vector; later ones embed only new ideas."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    assert clusterer.recluster(workshop.id)
    first = stored_vectors(store)
    assert len(first) == len(IDEAS)
    assert all(
        blob is not None and len(blob) == 2 * embedding.DIMENSIONS for blob in first.values()
    )
    embedded: list[int] = []
    real = embedding.embed
    monkeypatch.setattr(
        embedding, "embed", lambda texts: embedded.append(len(texts)) or real(texts)
    )
    reply = phone().emit(
        "submit_idea", {"client_id": "late-000002", "text": "Autobuze de noapte"}, callback=True
    )
    assert reply["ok"]
    assert clusterer.recluster(workshop.id)
    assert embedded == [1]
    second = stored_vectors(store)
    assert {k: v for k, v in second.items() if k in first} == first


def test_with_semantic_themes_off_no_idea_is_embedded(app, phone, store, workshop):
    """SEMANTIC_THEMES=0: themes by TF-IDF alone, and no vector is computed or stored."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer.semantic = False
    assert clusterer.recluster(workshop.id)
    assert set(stored_vectors(store).values()) == {None}
    assert sum(len(texts) for texts in live_themes(store).values()) == len(IDEAS)


def test_a_worker_that_dies_is_started_again_and_themes_go_on(app, phone, store, workshop, caplog):
    """A worker killed inside a job (as by a crash of the model's engine) is replaced; meanwhile
    the themes are computed without semantic vectors, and nothing is lost."""
    add_ideas(phone, IDEAS)
    clusterer = app.extensions["clusterer"]
    clusterer._workers = 1
    try:
        first = clusterer.compute("os.getpid")
        with pytest.raises(BrokenProcessPool):
            clusterer.compute("os._exit", 1)
        assert "worker died" in caplog.text
        assert not clusterer.semantic_now()
        assert clusterer.recluster(workshop.id)  # a new worker, by TF-IDF for now
        assert clusterer.compute("os.getpid") != first
    finally:
        clusterer.stop()
    assert sum(len(texts) for texts in live_themes(store).values()) == len(IDEAS)
    assert set(stored_vectors(store).values()) == {None}


def test_a_rounds_reads_let_the_server_answer_between_slices(
    app, phone, store, workshop, monkeypatch
):
    """The re-clustering's and the comparison's reads of every idea give the server's loop
    back between slices of SLICE_ROWS ideas, and still read every idea in order."""
    from facilitation import store as store_module
    from facilitation.previous import operations as previous_ops
    from tests.compare.test_then_and_now import _import

    add_ideas(phone, IDEAS)
    _import(store, workshop.id)
    pauses = []
    monkeypatch.setattr(store_module, "SLICE_ROWS", 2)
    monkeypatch.setattr(store_module.time, "sleep", pauses.append)
    with store.read() as db:
        data = theme_ops.clustering_input(db, db.get(Workshop, workshop.id))
        ids = list(db.scalars(select(Idea.id).order_by(Idea.id)))
    assert data.idea_ids == ids and len(ids) == len(IDEAS)
    assert pauses == [0] * (len(ids) // 2)
    pauses.clear()
    with store.read() as db:
        compared = previous_ops.comparison_input(db, db.get(Workshop, workshop.id))
    assert compared.idea_ids == ids
    assert pauses == [0] * (len(ids) // 2)
