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

from analysis import embedding
from analysis.placement import Clustering


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
    # Each idea's current theme when the themes are continued, or None to choose k again.
    previous: list[int | None] | None
    # Stored semantic vectors (None where not computed yet); None to use TF-IDF alone.
    vectors: list[bytes | None] | None = None
    # The workshop's language: themes whose ideas are in both languages are named in it.
    language: str | None = None


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
            vectors, missing = embedding.fill(request.texts, request.vectors)
        except embedding.EmbeddingUnavailable as error:
            fallback = str(error)
        else:
            new_vectors = {request.ids[i]: embedding.to_bytes(vectors[i]) for i in missing}
    embedding_seconds = time.perf_counter() - began
    clustering, continued = continue_themes(
        request.texts,
        ids=request.ids,
        groups=request.groups,
        fixed=request.fixed,
        closed=request.closed,
        k_range=request.k_range,
        previous=request.previous,
        embeddings=vectors,
        name_language=request.language,
    )
    return ThemesResult(
        clustering,
        continued,
        new_vectors,
        "semantic" if vectors is not None else "tfidf",
        fallback,
        embedding_seconds,
    )


def vectors(texts: list[str]) -> list[bytes]:
    """Semantic vectors of texts as stored with them (for example a previous session's ideas).

    Raises embedding.EmbeddingUnavailable where the model is absent.
    """
    return [embedding.to_bytes(row) for row in embedding.embed(texts)]
