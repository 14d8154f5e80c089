"""A previous session's ideas get their semantic vectors once, in the background, with progress."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis import embedding
from facilitation import clustering as clustering_module
from facilitation.models import PreviousIdea, PreviousSession, Workshop
from facilitation.previous import operations
from tests.compare.test_then_and_now import PREVIOUS, _import

needs_model = pytest.mark.skipif(
    not embedding.available(), reason="the semantic model is not installed"
)


def _vectors(store) -> list[bytes | None]:
    with store.read() as db:
        return list(db.scalars(select(PreviousIdea.embedding).order_by(PreviousIdea.id)))


def _progress(app, workshop) -> dict | None:
    reply = app.test_client().get(
        f"/facilitate/{workshop.code}/previous/progress.json?key={workshop.key}"
    )
    assert reply.status_code == 200
    return reply.get_json()


@needs_model
def test_previous_ideas_are_embedded_in_batches_once_and_progress_is_shown(
    app, store, workshop, monkeypatch
):
    """Batches of PREVIOUS_BATCH per round; the page shows the progress until all are done;
    then the comparison is due again, and a later round embeds nothing."""
    _import(store, workshop.id)
    total = PREVIOUS.count("\n") - 1
    monkeypatch.setattr(clustering_module, "PREVIOUS_BATCH", 4)
    with store.write() as db:
        # As if compared already: nothing due until the vectors are all there.
        session = db.scalar(select(PreviousSession))
        session.compared_key = operations.state_key(db.get(Workshop, workshop.id), session)
    page = app.test_client().get(f"/facilitate/{workshop.code}/previous?key={workshop.key}")
    assert 'id="embedding-progress"' in page.get_data(as_text=True)
    assert _progress(app, workshop) == {"done": 0, "total": total}

    embedded: list[int] = []
    real = embedding.embed
    monkeypatch.setattr(
        embedding, "embed", lambda texts: embedded.append(len(texts)) or real(texts)
    )
    clusterer = app.extensions["clusterer"]
    clusterer.embed_previous_sessions()
    assert _progress(app, workshop) == {"done": 4, "total": total}
    with store.read() as db:
        assert operations.due(db) == []
    clusterer.embed_previous_sessions()
    clusterer.embed_previous_sessions()
    assert embedded == [4, total - 4]
    vectors = _vectors(store)
    assert all(blob is not None and len(blob) == 2 * embedding.DIMENSIONS for blob in vectors)
    # Same text, same vector: what the worker stored is the model's vector of that idea.
    with store.read() as db:
        first = db.scalar(select(PreviousIdea.text).order_by(PreviousIdea.id))
    assert embedding.from_bytes(vectors[0]) == pytest.approx(real([first])[0], abs=2e-3)
    with store.read() as db:
        assert workshop.id in operations.due(db)
    page = app.test_client().get(f"/facilitate/{workshop.code}/previous?key={workshop.key}")
    assert 'id="embedding-progress"' not in page.get_data(as_text=True)


def test_without_the_semantic_model_nothing_is_embedded_or_awaited(app, store, workshop):
    """Semantic comparison off (or the package absent): no vector, no progress line."""
    app.config["SEMANTIC_THEMES"] = False
    app.extensions["clusterer"].semantic = False
    _import(store, workshop.id)
    app.extensions["clusterer"].embed_previous_sessions()
    assert set(_vectors(store)) == {None}
    assert _progress(app, workshop) is None
    page = app.test_client().get(f"/facilitate/{workshop.code}/previous?key={workshop.key}")
    assert 'id="embedding-progress"' not in page.get_data(as_text=True)


def test_progress_needs_the_facilitator_key(app, store, workshop):
    """The progress is the facilitator's, like the import page."""
    _import(store, workshop.id)
    client = app.test_client()
    assert client.get(f"/facilitate/{workshop.code}/previous/progress.json").status_code == 403


@needs_model
def test_a_session_replaced_meanwhile_keeps_no_stale_vector(app, store, workshop):
    """Vectors computed for a session replaced before they were stored are dropped (ids may be
    reused by the new session's ideas)."""
    _import(store, workshop.id)
    with store.read() as db:
        (batch,) = operations.ideas_to_embed(db, 2)
    replacement = PREVIOUS.replace("Granturi", "Burse").replace("Fonduri", "Bani")
    _import(store, workshop.id, replacement)
    with store.write() as db:
        stale = [(i, text, b"\0" * 768) for i, text in batch[2]]
        assert not operations.store_vectors(db, batch[1], stale)
    assert set(_vectors(store)) == {None}
