"""Themes as results, and placing a new idea among them: light enough for the web server.

The server places every submitted idea at once, with the model of the last clustering. This
module needs NumPy and the tokeniser only, not scikit-learn or SciPy (whose import alone costs a
process about 100 MB): a clustering computed in a worker process comes back as a `Clustering`
whose `Weights` hold plain arrays and dictionaries, so the server never imports them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from analysis.language import content_form, stem
from analysis.text import detect_language, fold, words

Token = tuple[str, str, str]  # (word as typed, folded content word, stem)

# A new idea whose TF-IDF cosine (words and character n-grams) to the nearest theme is below this
# goes to "new" instead of a theme.
PLACE_SIMILARITY = 0.08


def idea_tokens(text: str, language: str | None = None) -> list[Token]:
    """The content words of one idea: as typed, folded, and stemmed in the idea's language."""
    language = language or detect_language(text)
    tokens = []
    for word in words(text):
        content = content_form(fold(word), language)
        if content is not None:
            tokens.append((word, content, stem(content, language)))
    return tokens


def char_ngrams(word: str, lowest: int = 3, highest: int = 5) -> list[str]:
    """Character n-grams of one word padded with spaces: scikit-learn's "char_wb", faster.

    A padded word no longer than n gives itself once and stops, as in scikit-learn.
    """
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(lowest, highest + 1):
        if size <= n:
            grams.append(padded)
            break
        grams += [padded[i : i + n] for i in range(size - n + 1)]
    return grams


def stems(doc: list[Token]) -> list[str]:
    """Analyzer for pre-tokenised ideas: the stems."""
    return [term for _, _, term in doc]


def contents(doc: list[Token]) -> list[str]:
    """Analyzer for pre-tokenised ideas: the folded content words."""
    return [content for _, content, _ in doc]


def weigh_one(
    features: list[str], vocabulary: dict[str, int], idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear TF-IDF of one text's known features, unit length, as (columns, values).

    The weighting of scikit-learn's TfidfTransformer(sublinear_tf=True) followed by l2
    normalisation.
    """
    counts = Counter(j for j in map(vocabulary.get, features) if j is not None)
    columns = np.fromiter(counts.keys(), np.int64, len(counts))
    values = np.log(np.fromiter(counts.values(), float, len(counts))) + 1.0
    values *= idf[columns]
    norm = np.sqrt(values @ values)
    return columns, values / norm if norm > 0 else values


@dataclass
class Weights:
    """What a fitted vectorizer needs to turn one new text into its row and its LSA vector.

    Columns are the word block (n_word_columns stems) followed by the character n-gram block;
    components is the LSA projection (None when the rows are used as they are).
    """

    language: str | None
    word_vocabulary: dict[str, int] | None
    word_idf: np.ndarray | None
    char_range: tuple[int, int] | None
    char_vocabulary: dict[str, int] | None
    char_idf: np.ndarray | None
    n_word_columns: int
    n_columns: int
    components: np.ndarray | None

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's joint word and character TF-IDF row, in the fitted vocabulary.

        Returns (column indices, values), of length one unless the text has no known feature.
        The same weighting as the fitted TF-IDF transformers, written out for one text: placing
        an idea is then a few small array operations (placement is on the path of every idea).
        """
        doc = idea_tokens(text, self.language)
        blocks = []
        if self.word_vocabulary is not None:
            blocks.append(weigh_one(stems(doc), self.word_vocabulary, self.word_idf))
        if self.char_range is not None:
            lowest, highest = self.char_range
            grams = [g for word in contents(doc) for g in char_ngrams(word, lowest, highest)]
            columns, values = weigh_one(grams, self.char_vocabulary, self.char_idf)
            blocks.append((columns + self.n_word_columns, values))
        columns = np.concatenate([c for c, _ in blocks])
        values = np.concatenate([v for _, v in blocks])
        norm = np.sqrt(values @ values)
        return columns, values / norm if norm > 0 else values

    def project_one(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """LSA vector of one sparse row given as (column indices, values)."""
        if self.components is None:
            projected = np.zeros(self.n_columns)
            projected[columns] = values
        else:
            projected = self.components[:, columns] @ values
        norm = np.linalg.norm(projected)
        return projected / norm if norm > 0 else projected


@dataclass(frozen=True)
class ThemeSummary:
    """One group of ideas, with what explains it."""

    members: tuple[int, ...]
    key: Hashable | None
    terms: tuple[str, ...]
    representative: int | None
    # A short phrase from the theme's ideas (analysis.naming), "" when none was found.
    name: str = ""

    @property
    def label(self) -> str:
        """The theme's default name: its phrase, or else its top terms."""
        return self.name or " · ".join(self.terms[:3])


@dataclass
class Clustering:
    """The result of one clustering run, able to place a new idea among its themes."""

    themes: list[ThemeSummary]
    _weights: Weights | None = field(default=None, repr=False)
    _centroids: np.ndarray | None = field(default=None, repr=False)
    _sparse_centroids: np.ndarray | None = field(default=None, repr=False)
    _accepts: np.ndarray | None = field(default=None, repr=False)

    def place(self, text: str) -> int | None:
        """Index of the theme nearest to text, or None when no open theme is close enough."""
        if self._weights is None or self._centroids is None or not len(self._centroids):
            return None
        columns, values = self._weights.transform_one(text)
        if not len(columns):
            return None
        similarity = self._centroids @ self._weights.project_one(columns, values)
        similarity[~self._accepts] = -np.inf
        best = int(np.argmax(similarity))
        if not np.isfinite(similarity[best]):
            return None
        overlap = float(self._sparse_centroids[best][columns] @ values)
        return best if overlap >= PLACE_SIMILARITY else None
