"""The themes job embeds within a time budget per round, and stands in for the ideas left."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import embedding, jobs

pytestmark = pytest.mark.skipif(
    not embedding.available(), reason="the semantic model is not installed"
)

TOPICS = [
    "Autobuze de noapte după concerte {n}",
    "Granturi mici pentru firmele creative {n}",
    "Spații de coworking pentru artiști {n}",
]


def _request(count: int) -> jobs.ThemesRequest:
    texts = [TOPICS[n % 3].format(n=n) for n in range(count)]
    return jobs.ThemesRequest(
        texts=texts,
        ids=list(range(100, 100 + count)),
        groups={},
        fixed=[None] * count,
        closed=set(),
        k_range=(2, 6),
        previous=None,
        vectors=[None] * count,
    )


def test_a_round_past_its_budget_embeds_one_chunk_and_stands_in_for_the_rest():
    request = _request(embedding.CHUNK + 9)
    rows, new = jobs._vectors_within(request, seconds=0.0)
    assert sorted(new) == request.ids[: embedding.CHUNK]
    assert rows.shape == (len(request.texts), embedding.DIMENSIONS)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
    # A stand-in is near the real vectors of the ideas with the same words.
    real = embedding.embed(request.texts[embedding.CHUNK :])
    for offset, row in enumerate(rows[embedding.CHUNK :]):
        topic = (embedding.CHUNK + offset) % 3
        others = [TOPICS[(topic + k) % 3].format(n=embedding.CHUNK + offset) for k in (1, 2)]
        assert real[offset] @ row > max(embedding.embed(others) @ row)


def test_within_budget_every_idea_gets_its_real_vector_and_the_next_round_embeds_none():
    request = _request(7)
    rows, new = jobs._vectors_within(request, seconds=60.0)
    assert sorted(new) == request.ids
    assert np.allclose(rows, embedding.embed(request.texts), atol=2e-3)
    again = jobs.ThemesRequest(**{**request.__dict__, "vectors": [new[i] for i in request.ids]})
    _, none = jobs._vectors_within(again, seconds=60.0)
    assert none == {}


def test_an_idea_placed_on_arrival_is_not_held_to_that_theme_by_the_stay_margin(monkeypatch):
    from analysis import themes

    # Every idea that was in a theme at the last round stays there (a margin nothing overcomes):
    # only the ideas that arrived since, placed by their words, are free to go where they belong.
    monkeypatch.setattr(themes, "STAY_MARGIN", 2.0)
    texts = [TOPICS[n % 3].format(n=n) for n in range(18)] + ["Spații de coworking pentru artiști"]
    ids = list(range(100, 119))
    stored = jobs.vectors(texts[:18])
    themes_of = [10 + n % 3 for n in range(18)] + [10]  # the new idea was placed in theme 10
    request = jobs.ThemesRequest(
        texts=texts,
        ids=ids,
        groups={key: {ids[i] for i in range(18) if themes_of[i] == key} for key in (10, 11, 12)},
        fixed=[None] * 19,
        closed=set(),
        k_range=(3, 3),
        previous=themes_of,
        vectors=stored + [None],
    )
    result = jobs.themes(request)
    theme_of = {
        ids[m]: key
        for theme, key in zip(result.clustering.themes, result.continued, strict=True)
        for m in theme.members
    }
    assert [theme_of[ids[i]] for i in range(18)] == themes_of[:18]
    assert theme_of[118] == 12
