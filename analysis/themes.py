"""Ideas to themes: TF-IDF vectors, k-means with an automatic number of themes, facilitator constraints.

Short ideas share few words, so every word is folded (no diacritics, cedilla = comma-below) and
stemmed before weighting. The number of themes is chosen by the silhouette score within the range
the facilitator allows. Ideas the facilitator placed by hand keep their group ("fixed"), and
groups the facilitator locked ("closed") take no new ideas; only the free ideas are re-clustered.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from analysis.language import stem_words

# A free cluster whose centre is this close to an open fixed group joins that group.
JOIN_FIXED_SIMILARITY = 0.5
# A new idea closer than this to no theme goes to "new" instead of a theme.
PLACE_SIMILARITY = 0.1


@dataclass(frozen=True)
class ThemeSummary:
    """One group of ideas, with what explains it."""

    members: tuple[int, ...]
    key: Hashable | None
    terms: tuple[str, ...]
    representative: int | None

    @property
    def label(self) -> str:
        """A short default name made of the top terms."""
        return " · ".join(self.terms[:3])


@dataclass
class Clustering:
    """The result of one clustering run, able to place a new idea among its themes."""

    themes: list[ThemeSummary]
    _vectorizer: TfidfVectorizer | None = field(default=None, repr=False)
    _centroids: np.ndarray | None = field(default=None, repr=False)

    def place(self, text: str) -> int | None:
        """Index of the theme nearest to text, or None when no theme is close enough."""
        if self._vectorizer is None or self._centroids is None or not len(self._centroids):
            return None
        vector = normalize(self._vectorizer.transform([text]))
        similarity = (vector @ self._centroids.T).ravel()
        best = int(np.argmax(similarity))
        return best if similarity[best] >= PLACE_SIMILARITY else None


def _analyzer(surface: dict[str, Counter]):
    """Build a TF-IDF analyzer that stems words and remembers how each stem was typed."""

    def analyse(text: str) -> list[str]:
        pairs = stem_words(text)
        for word, stem in pairs:
            surface[stem][word.lower()] += 1
        return [stem for _, stem in pairs]

    return analyse


def _choose_k(vectors, k_min: int, k_max: int, random_state: int) -> np.ndarray:
    """Cluster with each k in range and keep the labels with the best silhouette score."""
    n = vectors.shape[0]
    best_labels, best_score = np.zeros(n, dtype=int), -2.0
    for k in range(max(2, k_min), min(k_max, n - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(vectors, labels, metric="cosine")
        if score > best_score:
            best_labels, best_score = labels, score
    return best_labels


def find_themes(
    texts: Sequence[str],
    *,
    fixed: Sequence[Hashable | None] | None = None,
    closed: Collection[Hashable] = (),
    k_range: tuple[int, int] = (2, 12),
    random_state: int = 0,
) -> Clustering:
    """Group texts into themes; fixed[i] keeps text i in group fixed[i], closed groups take no others."""
    n = len(texts)
    fixed = list(fixed) if fixed is not None else [None] * n
    if len(fixed) != n:
        raise ValueError("fixed must have one entry per text")
    if n == 0:
        return Clustering(themes=[])
    surface: dict[str, Counter] = defaultdict(Counter)
    vectorizer = TfidfVectorizer(analyzer=_analyzer(surface), sublinear_tf=True)
    try:
        vectors = normalize(vectorizer.fit_transform(texts))
    except ValueError:  # no words at all (only punctuation or digits)
        return Clustering(themes=[ThemeSummary(tuple(range(n)), None, (), 0)])

    groups: dict[Hashable, list[int]] = defaultdict(list)
    for i, key in enumerate(fixed):
        if key is not None:
            groups[("fixed", key)].append(i)
    free = [i for i in range(n) if fixed[i] is None]
    if free:
        if len(free) < 4:
            labels = np.zeros(len(free), dtype=int)
        else:
            labels = _choose_k(vectors[free], k_range[0], k_range[1], random_state)
        free_groups: dict[int, list[int]] = defaultdict(list)
        for i, label in zip(free, labels, strict=True):
            free_groups[int(label)].append(i)
        open_keys = [g for g in groups if g[1] not in closed]
        open_centres = (
            normalize(np.vstack([np.asarray(vectors[groups[g]].mean(axis=0)) for g in open_keys]))
            if open_keys
            else None
        )
        for label, members in free_groups.items():
            target = ("free", label)
            if open_centres is not None:
                centre = normalize(np.asarray(vectors[members].mean(axis=0)))
                similarity = (centre @ open_centres.T).ravel()
                best = int(np.argmax(similarity))
                if similarity[best] >= JOIN_FIXED_SIMILARITY:
                    target = open_keys[best]
            groups[target].extend(members)

    vocabulary = np.array(vectorizer.get_feature_names_out())
    themes, centres = [], []
    for group, members in groups.items():
        members = sorted(members)
        centre = normalize(np.asarray(vectors[members].mean(axis=0)))
        weights = centre.ravel()
        top = [vocabulary[j] for j in np.argsort(-weights)[:5] if weights[j] > 0]
        terms = tuple(surface[stem].most_common(1)[0][0] for stem in top if surface[stem])
        representative = members[int(np.argmax((vectors[members] @ centre.T).ravel()))]
        key = group[1] if group[0] == "fixed" else None
        themes.append(ThemeSummary(tuple(members), key, terms, representative))
        centres.append(centre.ravel())
    return Clustering(themes=themes, _vectorizer=vectorizer, _centroids=np.vstack(centres))
