"""The background jobs of the clustering worker, each with a typed request and result.

The web server builds a request from what it read in one short transaction, names the job
("analysis.jobs.themes") and hands both to the worker process; the worker returns the result,
which the server applies in one write transaction. Requests and results are plain dataclasses of
plain values and NumPy arrays, so they cross the process boundary by pickling and can be built
and checked in tests without a server.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis import embedding
from analysis.comparison import Comparison
from analysis.placement import Clustering

# Seconds a re-clustering round spends embedding new ideas at most (at least one chunk): about
# 60 ideas on this model, more than a full room sends between two rounds.
EMBEDDING_BUDGET = 2.0


@dataclass(frozen=True)
class ThemesRequest:
    """One re-clustering of a workshop's visible ideas."""

    texts: list[str]
    ids: list[int]
    # Each live theme's id and the ids of its ideas, so themes keep their identity.
    groups: dict[int, set[int]]
    # The facilitator's theme of each idea that must stay there (None for free ideas).
    fixed: list[int | None]
    closed: set[int]
    k_range: tuple[int, int]
    # Each idea's current theme (None for an idea without one), or None without a history.
    previous: list[int | None] | None
    # Stored semantic vectors (None where not computed yet); None to use TF-IDF alone.
    vectors: list[bytes | None] | None = None
    # The workshop's language: themes whose ideas are in both languages are named in it.
    language: str | None = None
    # Choose the number of themes again (ideas still keep their themes where it allows), rather
    # than continue the current themes.
    rechoose: bool = False


@dataclass
class ThemesResult:
    """The themes found, which live theme each continues, and the vectors computed meanwhile."""

    clustering: Clustering
    continued: list[Hashable | None]
    # Semantic vectors this job computed, by idea id, for the server to store.
    new_vectors: dict[int, bytes] = field(default_factory=dict)
    # "semantic" when semantic vectors grouped the ideas, "tfidf" otherwise.
    representation: str = "tfidf"
    # Why the semantic vectors were not used when they were asked for ("" otherwise).
    fallback: str = ""
    # Seconds spent embedding new ideas: a one-time cost per idea, which the back-off of the
    # next round does not count (it spaces out the work that comes back at every round).
    embedding_seconds: float = 0.0


def themes(request: ThemesRequest) -> ThemesResult:
    """Embed the ideas that have no vector yet, then find or continue the themes."""
    # Imported here: the server builds requests with this module and must not load scikit-learn.
    from analysis.themes import continue_themes

    vectors, new_vectors, fallback = None, {}, ""
    began = time.perf_counter()
    if request.vectors is not None and request.texts:
        try:
            vectors, new_vectors = _vectors_within(request, EMBEDDING_BUDGET)
        except embedding.EmbeddingUnavailable as error:
            fallback = str(error)
    embedding_seconds = time.perf_counter() - began
    previous = request.previous
    if previous is not None and new_vectors:
        # An idea embedded now had its theme from its words alone (placed on arrival, or a
        # stand-in vector): the margin that keeps ideas in their themes does not hold it there.
        previous = [
            None if idea_id in new_vectors else theme
            for theme, idea_id in zip(previous, request.ids, strict=True)
        ]
    clustering, continued = continue_themes(
        request.texts,
        ids=request.ids,
        groups=request.groups,
        fixed=request.fixed,
        closed=request.closed,
        k_range=request.k_range,
        previous=previous,
        embeddings=vectors,
        name_language=request.language,
        rechoose=request.rechoose,
    )
    return ThemesResult(
        clustering,
        continued,
        new_vectors,
        "semantic" if vectors is not None else "tfidf",
        fallback,
        embedding_seconds,
    )


def _vectors_within(request: ThemesRequest, seconds: float) -> tuple[np.ndarray, dict[int, bytes]]:
    """Every idea's vector, embedding new ones for about `seconds`; and the new vectors by id.

    A room sending faster than the model embeds would otherwise hold the themes back for
    minutes. The ideas still waiting get, for this round, the mean vector of the three embedded
    ideas closest to them in words (TF-IDF); they are embedded in the next rounds.
    """
    stored = request.vectors or []
    rows = np.zeros((len(request.texts), embedding.DIMENSIONS), dtype=np.float32)
    missing = []
    for i, blob in enumerate(stored):
        if blob is not None and len(blob) == embedding.DIMENSIONS * 2:
            rows[i] = embedding.from_bytes(blob)
        else:
            missing.append(i)
    new_vectors: dict[int, bytes] = {}
    began = time.perf_counter()
    while missing and (not new_vectors or time.perf_counter() - began < seconds):
        chunk, missing = missing[: embedding.CHUNK], missing[embedding.CHUNK :]
        rows[chunk] = embedding.embed([request.texts[i] for i in chunk])
        new_vectors.update({request.ids[i]: embedding.to_bytes(rows[i]) for i in chunk})
    if missing:
        waiting = set(missing)
        known = [i for i in range(len(request.texts)) if i not in waiting]
        rows[missing] = _impute(request.texts, known, missing, rows)
    return rows, new_vectors


def _impute(texts: list[str], known: list[int], missing: list[int], rows: np.ndarray):  # noqa: ANN202
    """Stand-in vectors for ideas not embedded yet: the mean of their 3 nearest by words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = words.fit_transform(texts)
    similar = (matrix[missing] @ matrix[known].T).toarray()
    nearest = np.argsort(-similar, axis=1)[:, :3]
    guesses = rows[np.asarray(known)][nearest].mean(axis=1)
    norms = np.linalg.norm(guesses, axis=1, keepdims=True)
    return guesses / np.where(norms > 0, norms, 1.0)


def vectors(texts: list[str]) -> list[bytes]:
    """Semantic vectors of texts as stored with them (for example a previous session's ideas).

    Raises embedding.EmbeddingUnavailable where the model is absent.
    """
    return [embedding.to_bytes(row) for row in embedding.embed(texts)]


# The charts of a comparison the worker draws: (chart, format) in every language asked for.
COMPARISON_CHARTS = (
    ("sizes", "png"),
    ("sizes", "svg"),
    ("similarity", "png"),
    ("similarity", "svg"),
)


@dataclass(frozen=True)
class ComparisonRequest:
    """One then-and-now comparison of a workshop with its previous session, and its charts."""

    previous_texts: list[str]
    # The theme label of each earlier idea (None: unlabelled), and the dots it had.
    previous_themes: list[str | None]
    previous_votes: list[int | None]
    texts: list[str]
    # The live theme of each idea of today (None: in no theme yet), and the themes' names.
    theme_ids: list[int | None]
    theme_names: dict[int, str]
    k_range: tuple[int, int]
    # theme_similarity, relative_similarity, idea_similarity.
    settings: dict[str, float]
    # The facilitator's decisions: (theme id, earlier theme label, decision).
    decisions: list[tuple[int, str, str]] = field(default_factory=list)
    # Stored semantic vectors of the earlier ideas and of today's (None where not computed):
    # themes are compared by them only when every idea of both sessions has one.
    previous_vectors: list[bytes | None] | None = None
    vectors: list[bytes | None] | None = None
    # The charts' words per page language: {language: {title_sizes, title_similarity, then, now,
    # ideas}}; no chart is drawn for a language not given.
    chart_words: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class ComparisonResult:
    """The comparison, and its charts as {(language, "sizes.png"): bytes}."""

    comparison: Comparison
    charts: dict[tuple[str, str], bytes] = field(default_factory=dict)
    seconds: float = 0.0


def comparison(request: ComparisonRequest) -> ComparisonResult:
    """Compare today's themes with the previous session's, then draw the charts."""
    # Imported here: the server builds requests with this module and must load neither
    # scikit-learn nor matplotlib.
    from analysis import charts
    from analysis.compare import compare_sessions

    began = time.perf_counter()
    result = compare_sessions(
        request.previous_texts,
        request.texts,
        previous_themes=request.previous_themes,
        current_themes=request.theme_ids,
        current_labels=request.theme_names,
        previous_votes=request.previous_votes,
        k_range=request.k_range,
        decisions=request.decisions,
        previous_vectors=embedding.stack(request.previous_vectors or []),
        current_vectors=embedding.stack(request.vectors or []),
        **request.settings,
    )
    view: dict[str, Any] = result.as_dict()
    drawn: dict[tuple[str, str], bytes] = {}
    for language, words in request.chart_words.items():
        labels = {"then_label": words["then"], "now_label": words["now"]}
        for chart, fmt in COMPARISON_CHARTS:
            if chart == "sizes":
                body = charts.theme_sizes_then_and_now(
                    view,
                    title=words["title_sizes"],
                    axis_label=words["ideas"],
                    fmt=fmt,
                    **labels,
                )
            else:
                body = charts.theme_similarity_heatmap(
                    view, title=words["title_similarity"], fmt=fmt, **labels
                )
            drawn[(language, f"{chart}.{fmt}")] = body
    return ComparisonResult(result, drawn, time.perf_counter() - began)
