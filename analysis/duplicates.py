"""Near-duplicate ideas: the same idea typed twice, with or without diacritics or small edits.

Why character n-grams of the folded text: a retyped idea differs by a letter, a diacritic or a
word order, never by meaning, so surface similarity is the right test and cheaper than themes.
Pairs at or above the cosine threshold are linked, and linked ideas form one group (connected
components), so "A ~ B ~ C" comes back as one group even when A and C differ a little more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.text import fold

NEAR_DUPLICATE_SIMILARITY = 0.8


def near_duplicates(
    texts: Sequence[str], threshold: float = NEAR_DUPLICATE_SIMILARITY
) -> list[list[int]]:
    """Groups (two or more indexes, ascending) of ideas that are near-duplicates of each other."""
    if len(texts) < 2:
        return []
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), preprocessor=_matching_form, sublinear_tf=True
    )
    try:
        vectors = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but blanks
        return []
    similarity = (vectors @ vectors.T).tocsr()
    similarity.data = np.where(similarity.data >= threshold - 1e-9, 1.0, 0.0)
    similarity.eliminate_zeros()
    _, labels = connected_components(similarity, directed=False)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def _matching_form(text: str) -> str:
    """Folded text with punctuation reduced to spaces, so "IMM-uri!" meets "imm uri"."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())
