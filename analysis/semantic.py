"""Which ideas belong together, by meaning: the space and the grouping used with semantic vectors.

Why this space (measured, docs/clustering.md "Semantic vectors"): the model's raw cosines are
compressed (unrelated ideas still score about 0.8) and carry the language of a sentence as
strongly as its topic, so Romanian and English ideas of one topic fall apart. Each language's
mean vector is taken away from that language's ideas (centring per language), which removes both
effects; the session's LSA vectors of TF-IDF words and character n-grams are then added with a
small weight (10 % of the squared length), which lets a topic's own vocabulary ("concussion",
"Brexit") tip close calls without letting shared function words decide.

Why this grouping: on these vectors the silhouette is flat in k (0.05-0.08 for every k), so it
cannot choose the number of themes, and k-means is unstable from one seed to the next. Average
linkage (cosine) on at most SEARCH_SAMPLE ideas is deterministic and was better than k-means on
most sets. From 100 ideas it links each idea as seen with its nearest neighbours
(`_neighbourhoods`), which keeps the Polis statements' themes from moving by several points when
the vectors move a little. The number of themes is chosen for the room, within a readable
window that grows with the square root of the number of ideas (`readable_range`), where the tree
of average linkage makes its largest jump; groups of fewer than MIN_THEME ideas are outliers of
average linkage and join their nearest theme instead of standing on the board alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from analysis.text import detect_language

# Share of the squared length given to the LSA vectors beside the centred semantic vectors.
LSA_WEIGHT = 0.1
# Themes of fewer ideas than this join their nearest theme (unless the board is that small).
MIN_THEME = 3
# Average linkage runs on at most this many ideas (its cost is quadratic); the others join the
# nearest of the themes found on them.
SEARCH_SAMPLE = 1000
# On a board of NEIGHBOURHOODS_FROM ideas or more, average linkage sees each idea together with
# its nearest neighbours: at most NEIGHBOURS, about sqrt(n) / NEIGHBOUR_SHARE (a fraction of a
# typical theme, which has about sqrt(n) ideas). See `_neighbourhoods`.
NEIGHBOURS = 8
NEIGHBOUR_SHARE = 2.5
NEIGHBOURHOODS_FROM = 100
# A free idea joins a facilitator's open group when its cosine to the group is at least this and
# higher than to its own theme (the same rule as `themes.ABSORB_SIMILARITY`, in this space).
ABSORB_SIMILARITY = 0.6


def _unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to length one (zero rows stay zero)."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def space(texts: Sequence[str], embeddings: np.ndarray, lsa: np.ndarray) -> np.ndarray:
    """The vectors that group ideas: semantic vectors centred per language, plus weighted LSA."""
    centred = np.asarray(embeddings, dtype=np.float64).copy()
    languages = np.array([detect_language(text) for text in texts])
    for language in np.unique(languages):
        rows = languages == language
        if rows.sum() > 1:
            centred[rows] -= centred[rows].mean(axis=0)
    blocks = [_unit(centred) * np.sqrt(1.0 - LSA_WEIGHT)]
    if lsa is not None and lsa.shape[1] > 1:
        blocks.append(_unit(np.asarray(lsa, dtype=np.float64)) * np.sqrt(LSA_WEIGHT))
    return _unit(np.hstack(blocks))


def readable_range(n: int, k_min: int, k_max: int) -> tuple[int, int]:
    """The numbers of themes n ideas can make for a room to read, within the facilitator's range:
    from about the square root of n/3 to the square root of n (2-3 themes for 9 ideas, 4-6 for
    40, 6-10 for 100, 12 from 150 ideas with the default range 2..12)."""
    low = int(min(k_max, max(k_min, round(np.sqrt(n / 3.0)), 1)))
    high = int(min(k_max, max(low, round(np.sqrt(n)))))
    return low, high


def readable_k(n: int, k_min: int, k_max: int, tree: np.ndarray | None = None) -> int:
    """How many themes n ideas make, within `readable_range`: where the average-linkage tree
    makes its largest jump (the groups just above it are clearly apart), else the middle."""
    low, high = readable_range(n, k_min, k_max)
    if tree is None or low == high:
        return (low + high + 1) // 2 if tree is None else low
    heights = tree[:, 2]
    # Merging k groups into k - 1 happens at heights[n - k]; the jump before it is the gap.
    gaps = {k: heights[n - k] - heights[n - k - 1] for k in range(max(low, 2), high + 1)}
    return max(gaps, key=lambda k: (gaps[k], -k)) if gaps else low


def group(
    vectors: np.ndarray,
    k_min: int,
    k_max: int,
    pinned: np.ndarray | None = None,
    random_state: int = 0,
) -> np.ndarray:
    """Labels of unit rows: label j < len(pinned) is pinned group j, the others new themes."""
    n = len(vectors)
    n_pinned = 0 if pinned is None else len(pinned)
    if n < 2:
        return np.full(n, n_pinned)
    rng = np.random.RandomState(random_state)
    sample = np.sort(rng.choice(n, SEARCH_SAMPLE, replace=False)) if n > SEARCH_SAMPLE else None
    rows = vectors if sample is None else vectors[sample]
    tree = linkage(_cosine_distances(_neighbourhoods(rows)), method="average")
    k = min(readable_k(len(rows), k_min, k_max, tree), n)
    cut = fcluster(tree, _cut_size(tree, k), criterion="maxclust") - 1
    large = _large_groups(cut)
    centres = _unit(np.vstack([rows[cut == c].mean(axis=0) for c in large]))
    similarity = vectors @ centres.T
    labels = similarity.argmax(axis=1)
    if sample is None:
        # Keep average linkage's own groups where they are large enough: nearest-centre labels
        # would move the ideas it placed by their neighbours.
        kept = {c: i for i, c in enumerate(large)}
        labels = np.array(
            [kept.get(c, int(nearest)) for c, nearest in zip(cut, labels, strict=True)]
        )
    score = similarity[np.arange(n), labels]
    labels = labels + n_pinned
    if n_pinned:
        to_pinned = vectors @ pinned.T
        nearest = to_pinned.argmax(axis=1)
        closeness = to_pinned[np.arange(n), nearest]
        joins = (closeness >= ABSORB_SIMILARITY) & (closeness > score)
        labels = np.where(joins, nearest, labels)
    return labels


def _neighbourhoods(rows: np.ndarray) -> np.ndarray:
    """Each unit row moved halfway towards the mean of its nearest neighbours (scaled back to
    length one), for average linkage to group; on a board of fewer than NEIGHBOURHOODS_FROM
    ideas, the rows as they are.

    Average linkage merges the closest pair first, so one idea that sits between two topics can
    chain them, and a tiny change of the vectors (the engine computes slightly different vectors
    on another processor) moves where the tree splits. Seen with its neighbours, an idea stands
    where its part of the room stands. Measured (`python -m benchmarks.clustering --robustness`,
    docs/clustering.md): on the Polis statements with a little noise added to the vectors, the
    worst of six runs rose from 42-44 to 48-51 (AMI x100); on SIB-200 the medians moved by -2 to
    +3 points; on boards of 100 and 200 ideas AMI rose in 7 of 8 cells (set and size), at the
    true and at the chosen k. On sessions of about 50 ideas the then-and-now statuses were worse
    on 4 of 8 rows, by up to 16 points (`benchmarks.comparison`), hence the lower bound.
    Only the tree is built on these vectors: the themes' centres, and so the placing of new
    ideas, stay those of the ideas themselves.
    """
    n = len(rows)
    m = int(min(NEIGHBOURS, round(np.sqrt(n) / NEIGHBOUR_SHARE), n - 1))
    if m < 1 or n < NEIGHBOURHOODS_FROM:
        return rows
    similarity = rows @ rows.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argpartition(-similarity, m - 1, axis=1)[:, :m]
    return _unit(rows + rows[nearest].mean(axis=1))


def _cosine_distances(rows: np.ndarray) -> np.ndarray:
    """Condensed cosine distances of unit rows, as scipy's linkage takes them: one matrix product
    (ten times faster than scipy's pairwise loop on a thousand ideas)."""
    n = len(rows)
    distance = 1.0 - rows @ rows.T
    upper = np.triu_indices(n, k=1)
    return np.clip(distance[upper], 0.0, 2.0)


def _cut_size(tree: np.ndarray, k: int) -> int:
    """The number of clusters to cut the tree into so that k of them have MIN_THEME ideas."""
    n = len(tree) + 1
    for size in range(k, min(n, k + 20) + 1):
        cut = fcluster(tree, size, criterion="maxclust") - 1
        if len(_large_groups(cut)) >= k:
            return size
    return k


def _large_groups(cut: np.ndarray) -> list[int]:
    """Labels of the groups of a cut with at least MIN_THEME ideas (all, on a tiny board)."""
    sizes = np.bincount(cut)
    least = MIN_THEME if len(cut) >= 3 * MIN_THEME else 1
    large = [int(c) for c in np.flatnonzero(sizes >= least)]
    return large or [int(np.argmax(sizes))]
