"""Ideas to themes: spherical k-means on LSA vectors, the number of themes at the silhouette knee.

Why: on unit vectors, k-means with cosine similarity (spherical k-means) is the plain, fast and
predictable choice; run in a 10-15 dimensional LSA space it re-clusters ten thousand ideas in a few
seconds, so the board can re-cluster in the background. The number of themes is the fewest in the
facilitator's range whose silhouette reaches 80% of the best: in a few LSA dimensions the
silhouette keeps rising past the real number of themes, so its maximum split every topic. k is
searched on at most 1,000 ideas; a larger board then needs one warm-started k-means. Iterative
classification refinement (Rakib et al. 2020) and other variants were measured and did not help
on short texts here (docs/clustering.md).

The facilitator's decisions win: ideas placed by hand ("fixed") stay in their group, locked groups
("closed") take no other idea, and an open group absorbs a free idea only when that idea is
clearly closer to it than to any new theme. Only free ideas are re-clustered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis import semantic
from analysis.identity import match_groups
from analysis.naming import theme_name
from analysis.placement import Clustering, ThemeSummary
from analysis.text import fold
from analysis.vectors import IdeaVectorizer

# A free idea joins an open facilitator group when its LSA cosine to the group is at least this
# and higher than to any new theme.
ABSORB_SIMILARITY = 0.6
# The number of themes is searched on at most this many ideas (k-means for every k, and an exact
# silhouette): enough to rank k, bounded in time; the other ideas join the themes found.
SEARCH_SAMPLE = 1000
# An idea already in a theme moves to another only when that theme's centre is closer by more than
# this cosine (see spherical_kmeans's stay).
STAY_MARGIN = 0.08
# When the number of themes chosen again is the number there is, the themes are continued (as
# between choices) rather than replaced by the new grouping: far fewer ideas change theme, for
# a fraction of a point of AMI (docs/clustering.md, "Ideas that stay put while a room grows").
CONTINUE_AT_SAME_K = True
# Up to this many ideas the search runs k-means three times per k (cheap there, and it matters on
# small boards); above, once, from k-means++ seeds.
FEW_IDEAS = 400
# k is the fewest themes whose silhouette reaches this share of the best silhouette in the range.
SILHOUETTE_SHARE = 0.8
# A theme is named from at most this many of its ideas, the nearest to its centre.
NAMING_IDEAS = 20


def _seed_centres(vectors: np.ndarray, k: int, rng: np.random.RandomState) -> np.ndarray:
    """k-means++ seeding on cosine distance: spread the first centres over the ideas."""
    n = len(vectors)
    chosen = [int(rng.randint(n))]
    distance = 1.0 - vectors @ vectors[chosen[0]]
    for _ in range(1, k):
        weights = np.clip(distance, 0.0, None) ** 2
        total = weights.sum()
        pick = int(rng.choice(n, p=weights / total)) if total > 0 else int(rng.randint(n))
        chosen.append(pick)
        distance = np.minimum(distance, 1.0 - vectors @ vectors[pick])
    return vectors[chosen].copy()


def _unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to length one (zero rows stay zero); cheaper than sklearn's in a hot loop."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def _sum_by_label(vectors: np.ndarray, labels: np.ndarray, n_labels: int) -> np.ndarray:
    """Row sums of vectors per label, as one product with a sparse one-hot matrix (fastest)."""
    n = len(labels)
    one_hot = sp.csc_matrix((np.ones(n), labels, np.arange(n + 1)), shape=(n_labels, n))
    return np.asarray(one_hot @ vectors)


def spherical_kmeans(
    vectors: np.ndarray,
    k: int,
    *,
    pinned: np.ndarray | None = None,
    random_state: int = 0,
    n_init: int = 3,
    max_iter: int = 40,
    init: np.ndarray | None = None,
    stay: np.ndarray | None = None,
) -> np.ndarray:
    """Cluster unit rows by cosine into k new groups; label j < len(pinned) means pinned group j.

    init, when given, holds the k starting centres (a warm start from the previous themes).
    stay[i], with init, is the index in init of row i's previous theme (-1 for a new row): a row
    leaves it only for a centre closer by more than STAY_MARGIN, so that the themes on a board
    do not trade the ideas at their borders at every round.

    Pinned centres are fixed (a facilitator's open groups); a row joins one only when it is at
    least ABSORB_SIMILARITY close and closer than to every new centre.
    """
    n = len(vectors)
    n_pinned = 0 if pinned is None else len(pinned)
    k = len(init) if init is not None else max(1, min(k, n))
    rng = np.random.RandomState(random_state)
    to_pinned = vectors @ pinned.T if n_pinned else None
    stayers = np.flatnonzero(stay >= 0) if stay is not None and init is not None else None
    best_labels, best_objective = np.full(n, n_pinned), -np.inf
    for _ in range(1 if init is not None else n_init):
        centres = (
            _unit(np.array(init, dtype=float))
            if init is not None
            else _seed_centres(vectors, k, rng)
        )
        labels = np.full(n, -1)
        for _ in range(max_iter):
            similarity = vectors @ centres.T
            if stayers is not None and len(stayers):
                similarity[stayers, stay[stayers]] += STAY_MARGIN
            new_labels = similarity.argmax(axis=1)
            score = similarity[np.arange(n), new_labels]
            new_labels = new_labels + n_pinned
            if n_pinned:
                nearest = to_pinned.argmax(axis=1)
                closeness = to_pinned[np.arange(n), nearest]
                joins = (closeness >= ABSORB_SIMILARITY) & (closeness > score)
                new_labels = np.where(joins, nearest, new_labels)
                score = np.where(joins, closeness, score)
            if np.count_nonzero(new_labels != labels) <= n // 1000:  # converged
                labels = new_labels
                break
            labels = new_labels
            sums = _sum_by_label(vectors, labels, n_pinned + k)[n_pinned:]
            empty = ~sums.any(axis=1)
            if empty.any():  # an emptied centre restarts at the ideas worst served by the others
                worst = np.argsort(score)[: int(empty.sum())]
                sums[empty] = vectors[worst]
            centres = _unit(sums)
        objective = float(score.sum())
        if objective > best_objective:
            best_labels, best_objective = labels, objective
    return best_labels


def silhouette(distance: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette given a square distance matrix (-1 when it is undefined)."""
    kinds, labels = np.unique(labels, return_inverse=True)
    n, k = len(labels), len(kinds)
    if not 1 < k < n:
        return -1.0
    one_hot = (labels[:, None] == np.arange(k)[None, :]).astype(distance.dtype)
    per_label = distance @ one_hot  # (n, k): summed distance from each row to each group
    sizes = one_hot.sum(axis=0)
    own = sizes[labels]
    rows = np.arange(n)
    inside = per_label[rows, labels] / np.maximum(own - 1, 1)
    per_label[rows, labels] = np.inf
    outside = (per_label / sizes).min(axis=1)
    values = (outside - inside) / np.maximum(np.maximum(outside, inside), 1e-12)
    values[own == 1] = 0.0  # the usual convention for a group of one
    return float(values.mean())


def _choose_k(scores: dict[int, float]) -> int:
    """The fewest themes whose silhouette reaches SILHOUETTE_SHARE of the best in the range.

    In a few LSA dimensions the silhouette keeps rising slowly with k after the real number of
    themes (more groups hug the axes better), so its maximum sits at the top of the range; the
    fewest themes within reach of it sit at the knee (docs/clustering.md, "Choosing k").
    """
    best = max(scores.values())
    if best <= 0:
        return max(scores, key=scores.__getitem__)
    return min(k for k, score in scores.items() if score >= SILHOUETTE_SHARE * best)


def _choose_labels(
    vectors: np.ndarray, k_min: int, k_max: int, pinned: np.ndarray | None, random_state: int
) -> np.ndarray:
    """Cluster with each k in range on a sample, choose k by silhouette, then label every row.

    Up to SEARCH_SAMPLE rows the search runs on all of them and its labels are kept; above, it
    runs on a random sample, and one k-means of all rows starts from the sample's themes.
    """
    n = len(vectors)
    k_max = min(k_max, n - 1) if n > 2 else 1
    k_min = min(k_min, k_max)
    if k_min == k_max:
        return spherical_kmeans(vectors, k_min, pinned=pinned, random_state=random_state)
    rng = np.random.RandomState(random_state)
    sample = np.sort(rng.choice(n, SEARCH_SAMPLE, replace=False)) if n > SEARCH_SAMPLE else None
    rows = vectors if sample is None else vectors[sample]
    starts = 3 if len(rows) <= FEW_IDEAS else 1
    # Cosine distance of unit rows, computed once for every k, in place (one n x n matrix, not two).
    distance = rows @ rows.T
    np.subtract(1.0, distance, out=distance)
    found: dict[int, np.ndarray] = {}
    scores: dict[int, float] = {}
    for k in range(k_min, k_max + 1):
        found[k] = spherical_kmeans(
            rows, k, pinned=pinned, random_state=random_state, n_init=starts
        )
        scores[k] = silhouette(distance, found[k])
    k = _choose_k(scores)
    if sample is None:
        return found[k]
    n_pinned = 0 if pinned is None else len(pinned)
    sums = _sum_by_label(rows, found[k], n_pinned + k)[n_pinned:]
    centres = sums[sums.any(axis=1)]
    if not len(centres):  # every sampled row joined a facilitator group
        return spherical_kmeans(vectors, k, pinned=pinned, random_state=random_state, n_init=1)
    return spherical_kmeans(vectors, len(centres), pinned=pinned, init=centres)


def find_themes(
    texts: Sequence[str],
    *,
    fixed: Sequence[Hashable | None] | None = None,
    closed: Collection[Hashable] = (),
    k_range: tuple[int, int] = (2, 12),
    random_state: int = 0,
    language: str | None = None,
    n_terms: int = 5,
    previous: Sequence[Hashable | None] | None = None,
    embeddings: np.ndarray | None = None,
    name_language: str | None = None,
    rechoose: bool = False,
) -> Clustering:
    """Group texts into themes; fixed ideas stay in their group, closed groups take no others.

    k_range bounds the number of themes, facilitator groups included. language ("ro" or "en")
    skips per-idea language detection when the whole input is known to be in one language.
    previous[i], when given, is the key (any id) of text i's theme in the last clustering, or
    None for a new idea: the themes are then continued (same number, k-means started from the old
    groups) instead of found afresh, so the board does not reshuffle when ideas arrive; an idea
    whose last theme is now a facilitator's group (an idea was placed in it by hand, or it was
    locked) stays in that group. An idea leaves its last theme only for one whose centre is
    closer by more than STAY_MARGIN. With rechoose, the number of themes is chosen again (the
    room grew), and then too an idea stays with the new theme that continues its last one
    unless its own new theme is closer by more than that margin; when it finds as many themes
    as there are, they are continued instead.

    embeddings, when given, holds each text's semantic vector (`analysis.embedding`): they then
    decide which ideas belong together (`analysis.semantic`), and TF-IDF only names and explains
    the themes. name_language is the room's language, in which themes are named when their ideas
    are in both.
    """
    if embeddings is not None and len(embeddings) != len(texts):
        raise ValueError("embeddings must have one row per text")
    # The matrices here are small: one BLAS thread is up to ten times faster than two threads
    # fighting over a busy server's cores (measured), and leaves a core to the web workers.
    with threadpool_limits(limits=1):
        return _find_themes(
            texts,
            fixed,
            closed,
            k_range,
            random_state,
            language,
            n_terms,
            previous,
            embeddings,
            name_language,
            rechoose,
        )


def continue_themes(
    texts: Sequence[str],
    *,
    ids: Sequence[Hashable],
    groups: Mapping[Hashable, Collection[Hashable]],
    **options: Any,
) -> tuple[Clustering, list[Hashable | None]]:
    """find_themes, and which earlier group each theme continues (its key), or None for a new one.

    ids[i] is text i's id; groups maps each earlier theme's key to the ids of its ideas. A theme
    of fixed ideas continues its own key; the others are paired with the earlier groups they
    recognisably are (`match_groups`), so that a theme keeps its id, name and colour on the board.
    """
    result = find_themes(texts, **options)
    keyed = {theme.key for theme in result.themes if theme.key is not None}
    free = [theme for theme in result.themes if theme.key is None]
    matches = iter(
        match_groups(
            {key: members for key, members in groups.items() if key not in keyed},
            [{ids[i] for i in theme.members} for theme in free],
        )
    )
    return result, [
        theme.key if theme.key is not None else next(matches) for theme in result.themes
    ]


def split_theme(
    texts: Sequence[str],
    *,
    parts: int | None = None,
    groups: Sequence[Sequence[int]] | None = None,
    embeddings: np.ndarray | None = None,
) -> list[ThemeSummary]:
    """A theme's ideas in parts, each with its name and terms: re-clustered into `parts` (largest
    first; by meaning when embeddings, their stored vectors, are given), or the `groups` given
    (lists of indexes into texts), in their order."""
    if groups is None:
        found = find_themes(texts, k_range=(parts, parts), embeddings=embeddings).themes
        parts_found = sorted(found, key=lambda theme: len(theme.members), reverse=True)
        return [replace(theme, key=None) for theme in parts_found]
    # Each part is explained against the whole theme, so its terms and name say what sets it
    # apart from the other parts (a part alone may have no word that repeats).
    fixed: list[Hashable | None] = [None] * len(texts)
    for number, group in enumerate(groups):
        for i in group:
            fixed[i] = number
    explained = {theme.key: theme for theme in find_themes(texts, fixed=fixed).themes}
    return [
        replace(explained[number], members=tuple(group), key=None)
        for number, group in enumerate(groups)
    ]


def _find_themes(
    texts: Sequence[str],
    fixed: Sequence[Hashable | None] | None,
    closed: Collection[Hashable],
    k_range: tuple[int, int],
    random_state: int,
    language: str | None,
    n_terms: int,
    previous: Sequence[Hashable | None] | None,
    embeddings: np.ndarray | None = None,
    name_language: str | None = None,
    rechoose: bool = False,
) -> Clustering:
    """find_themes, within the caller's thread limits."""
    n = len(texts)
    fixed = list(fixed) if fixed is not None else [None] * n
    if len(fixed) != n:
        raise ValueError("fixed must have one entry per text")
    if n == 0:
        return Clustering(themes=[])
    closed = set(closed)
    # As many LSA dimensions as the most themes asked for, and at least 10: fewer dimensions than
    # themes cannot separate them, many more bring back the noise LSA is there to remove.
    dims = max(10, k_range[1])
    vectorizer = IdeaVectorizer(language=language, n_components=dims, random_state=random_state)
    try:
        vectors = vectorizer.fit_transform(texts)
    except ValueError:  # no content word in any idea (only punctuation, digits, stop words)
        if embeddings is None:
            return _without_words(fixed, closed)
        vectorizer, vectors = None, np.zeros((n, 1))
    # Which ideas belong together: the semantic space where there are vectors, else LSA.
    space = vectors if embeddings is None else semantic.space(texts, embeddings, vectors)

    group_keys: list[Hashable] = list(dict.fromkeys(key for key in fixed if key is not None))
    open_keys = [key for key in group_keys if key not in closed]
    members: dict[int, list[int]] = {g: [] for g in range(len(group_keys))}
    group_of = {key: g for g, key in enumerate(group_keys)}
    for i, key in enumerate(fixed):
        if key is not None:
            members[group_of[key]].append(i)
    # A free idea the last clustering put in a facilitator's group stays in it: placing one idea
    # by hand in a theme makes that theme a facilitator's group, and its other ideas must not
    # leave with it (the group's centre would be the one idea placed by hand).
    kept = set()
    if previous is not None:
        if len(previous) != n:
            raise ValueError("previous must have one entry per text")
        for i, key in enumerate(previous):
            if fixed[i] is None and key is not None and key in group_of:
                members[group_of[key]].append(i)
                kept.add(i)
    free = np.array([i for i in range(n) if fixed[i] is None and i not in kept], dtype=int)
    if len(free):
        pinned = (
            normalize(np.vstack([space[members[group_of[k]]].mean(axis=0) for k in open_keys]))
            if open_keys
            else None
        )
        k_min = max(1, k_range[0] - len(group_keys))
        k_max = max(k_min, k_range[1] - len(group_keys))
        warm, stay = _previous_centres(space, free, previous, set(group_keys))
        labels = None
        if rechoose or warm is None or not k_min <= len(warm) <= k_max:
            if embeddings is not None:
                labels = semantic.group(space[free], k_min, k_max, pinned, random_state)
            else:
                labels = _choose_labels(space[free], k_min, k_max, pinned, random_state)
            if warm is not None:
                found = len(np.unique(labels[labels >= len(open_keys)]))
                if CONTINUE_AT_SAME_K and found == len(warm):
                    labels = None  # as many themes as now: they are continued
                else:
                    labels = _keep_previous(space[free], labels, stay, len(open_keys))
        if labels is None:
            labels = spherical_kmeans(space[free], len(warm), pinned=pinned, init=warm, stay=stay)
        n_open = len(open_keys)
        new_groups: dict[int, list[int]] = {}
        for i, label in zip(free.tolist(), labels.tolist(), strict=True):
            if label < n_open:
                members[group_of[open_keys[label]]].append(i)
            else:
                new_groups.setdefault(label, []).append(i)
        for group in sorted(new_groups.values(), key=lambda m: (-len(m), m[0])):
            members[len(members)] = group
    keys = group_keys + [None] * (len(members) - len(group_keys))
    if vectorizer is None:  # semantic groups of ideas without a single content word
        return _without_terms(members, keys, space)
    return _summarise(
        vectorizer, vectors, space, texts, members, keys, closed, n_terms, name_language
    )


def _keep_previous(
    vectors: np.ndarray, labels: np.ndarray, stay: np.ndarray, n_pinned: int
) -> np.ndarray:
    """Labels of a fresh grouping, with each idea back in the group that continues its previous
    theme unless its new group's centre is closer by more than STAY_MARGIN.

    stay[i] is row i's previous theme (an index, -1 for a new idea). A previous theme continues
    as the new group holding most of its ideas, when that group holds at least half of them and
    is not taken by a larger previous theme.
    """
    n_labels = int(labels.max()) + 1 if len(labels) else 0
    counts = np.zeros((int(stay.max()) + 1, n_labels), dtype=int)
    np.add.at(counts, (stay[stay >= 0], labels[stay >= 0]), 1)
    target = np.full(len(counts), -1)
    taken: set[int] = set()
    for theme in np.argsort(-counts.sum(axis=1), kind="stable"):
        label = int(counts[theme].argmax())
        most = 2 * counts[theme, label] >= counts[theme].sum()
        if label >= n_pinned and label not in taken and most:
            target[theme] = label
            taken.add(label)
    centres = _unit(_sum_by_label(vectors, labels, n_labels))
    similarity = vectors @ centres.T
    rows = np.flatnonzero(stay >= 0)
    goal = target[stay[rows]]
    rows, goal = rows[goal >= 0], goal[goal >= 0]
    own = labels[rows]
    back = (own >= n_pinned) & (own != goal)
    back &= similarity[rows, own] - similarity[rows, goal] <= STAY_MARGIN
    out = labels.copy()
    out[rows[back]] = goal[back]
    return out


def _previous_centres(
    vectors: np.ndarray,
    free: np.ndarray,
    previous: Sequence[Hashable | None] | None,
    fixed_keys: set,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Centres of the previous themes of the free ideas, and each free idea's index among them
    (-1 for a new idea); (None, None) without a usable history."""
    if previous is None:
        return None, None
    if len(previous) != len(vectors):
        raise ValueError("previous must have one entry per text")
    groups: dict[Hashable, list[int]] = {}
    index: dict[Hashable, int] = {}  # each previous theme's row among the centres
    stay = np.full(len(free), -1)
    for row, i in enumerate(free.tolist()):
        key = previous[i]
        if key is not None and key not in fixed_keys:
            groups.setdefault(key, []).append(i)
            stay[row] = index.setdefault(key, len(index))
    if not groups:
        return None, None
    return np.vstack([vectors[members].mean(axis=0) for members in groups.values()]), stay


def _summarise(
    vectorizer: IdeaVectorizer,
    vectors: np.ndarray,
    space: np.ndarray,
    texts: Sequence[str],
    members: dict[int, list[int]],
    keys: list[Hashable | None],
    closed: set,
    n_terms: int,
    name_language: str | None,
) -> Clustering:
    """Themes with their name, top terms as typed, representative idea, and their centres.

    The representative idea is the one nearest the theme's centre in the space that grouped the
    ideas; the centres kept for placing new ideas are LSA centres (the server has no model).
    """
    sparse = vectorizer.sparse_
    words = sparse[:, : vectorizer.n_word_columns_]
    overall = np.asarray(words.mean(axis=0)).ravel()
    themes, centres, sparse_centres, accepts = [], [], [], []
    for g, group in members.items():
        group = sorted(group)
        centre = normalize(vectors[group].mean(axis=0, keepdims=True)).ravel()
        weights = np.asarray(words[group].mean(axis=0)).ravel() - overall
        top = [j for j in np.argsort(-weights)[:n_terms] if weights[j] > 0]
        terms = tuple(_shown(vectorizer, vectorizer.terms_[j]) for j in top)
        closeness = space[group] @ normalize(space[group].mean(axis=0, keepdims=True)).ravel()
        representative = group[int(np.argmax(closeness))] if group else None
        distinctive = {vectorizer.terms_[j]: float(weights[j]) for j in np.flatnonzero(weights > 0)}
        central = [texts[group[i]] for i in np.argsort(-closeness)[:NAMING_IDEAS]]
        name = theme_name(central, distinctive, language=name_language) or _opening(central)
        themes.append(ThemeSummary(tuple(group), keys[g], terms, representative, name))
        centres.append(centre)
        sparse_centres.append(np.asarray(sparse[group].mean(axis=0)).ravel())
        accepts.append(keys[g] not in closed if keys[g] is not None else True)
    return Clustering(
        themes=themes,
        _weights=vectorizer.weights_,
        _centroids=np.vstack(centres),
        _sparse_centroids=np.vstack(sparse_centres),
        _accepts=np.array(accepts, dtype=bool),
    )


def _opening(texts: Sequence[str]) -> str:
    """A name when no word sets a theme apart: the first words of its most central idea."""
    words = texts[0].split() if texts else []
    return " ".join(words[:4]).strip(" ,.;:!?") if words else ""


def _shown(vectorizer: IdeaVectorizer, term: str) -> str:
    """The form people typed most often for a stem, written with diacritics when anyone did."""
    spellings: dict[str, Counter] = {}
    for form, count in vectorizer.surface_[term].items():
        spellings.setdefault(fold(form), Counter())[form] += count
    commonest = max(spellings.values(), key=lambda forms: (forms.total(), -len(min(forms))))
    return max(commonest, key=lambda form: (not form.isascii(), commonest[form], form.islower()))


def _without_terms(
    members: dict[int, list[int]], keys: list[Hashable | None], space: np.ndarray
) -> Clustering:
    """Themes grouped by meaning among ideas with no content word: no terms, no name."""
    themes = []
    for g, group in members.items():
        group = sorted(group)
        closeness = space[group] @ space[group].mean(axis=0)
        themes.append(ThemeSummary(tuple(group), keys[g], (), group[int(np.argmax(closeness))]))
    return Clustering(themes=themes)


def _without_words(fixed: list[Hashable | None], closed: set) -> Clustering:
    """Themes when no idea has a content word: facilitator groups, and one group for the rest."""
    groups: dict[Hashable | None, list[int]] = {}
    for i, key in enumerate(fixed):
        groups.setdefault(key, []).append(i)
    themes = [
        ThemeSummary(tuple(group), key, (), group[0])
        for key, group in sorted(groups.items(), key=lambda kv: kv[0] is None)
    ]
    return Clustering(themes=themes)
