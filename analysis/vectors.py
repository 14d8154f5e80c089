"""Ideas to vectors: stemmed words plus character n-grams, TF-IDF weighted, reduced by LSA.

Why this mix (measured on SIB-200, see docs/clustering.md): short ideas share few whole words, so
stemmed words alone leave most pairs of ideas at similarity zero. Character n-grams of the folded
content words meet across inflections and typing variants ("antreprenoriat" / "antreprenori")
that a stemmer misses, but alone they are noisy. Both blocks, each TF-IDF weighted with sublinear
term frequency and given equal weight, then projected by LSA (TruncatedSVD) to a few dimensions
(as many as the most themes asked for, at least 10), gave the best themes: LSA lets two ideas
that share no term still meet through ideas that share terms with both.

The character block is computed once per distinct word (a sparse word-to-n-gram matrix), not
once per idea, and each distinct text is tokenised once per call (a board repeats ideas), which
keeps ten thousand ideas within a few seconds. Nothing is kept from one call to the next.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache, partial
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from analysis.placement import (
    Token,
    Weights,
    char_ngrams,
    contents,
    idea_tokens,
    stems,
)
from analysis.text import canonical


@lru_cache(maxsize=100_000)
def display_form(word: str) -> str:
    """How a typed word is shown in a theme's terms: acronyms stay upper case, others lower."""
    word = canonical(word)
    return word if word.isupper() and len(word) > 1 else word.lower()


class IdeaVectorizer:
    """Turn short ideas into unit vectors (scikit-learn style: fit, transform, fitted attributes).

    After fit: ``sparse_`` holds the joint word and character TF-IDF rows of the fitted ideas,
    ``vectors_`` their LSA vectors, ``terms_`` the stem of each word column and ``surface_`` the
    forms people typed for each stem.
    """

    def __init__(
        self,
        *,
        language: str | None = None,
        use_words: bool = True,
        char_ngrams: tuple[int, int] | None = (3, 5),
        n_components: int | None = 20,
        min_df: int = 2,
        random_state: int = 0,
    ) -> None:
        self.language = language
        self.use_words = use_words
        self.char_ngrams = char_ngrams
        self.n_components = n_components
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, texts: Sequence[str]) -> IdeaVectorizer:
        """Learn vocabulary, weights and the LSA projection from texts."""
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        """Learn from texts and return their LSA vectors (one unit row per text)."""
        # Each distinct text is tokenised and counted once; its rows are then repeated, so the
        # weights (document frequencies included) are exactly those of the full list.
        index: dict[str, int] = {}
        rows = np.fromiter((index.setdefault(t, len(index)) for t in texts), int, len(texts))
        repeats = np.bincount(rows, minlength=len(index))
        docs = [idea_tokens(t, self.language) for t in index]
        surface: dict[str, Counter] = defaultdict(Counter)
        for doc, times in zip(docs, repeats.tolist(), strict=True):
            for word, _, term in doc:
                surface[term][display_form(word)] += times
        self.surface_ = dict(surface)
        blocks = []
        if self.use_words:
            counts, self._word_vocabulary = _count([stems(doc) for doc in docs])
            self._word_tfidf = TfidfTransformer(sublinear_tf=True)
            blocks.append(normalize(self._word_tfidf.fit_transform(counts[rows])))
            self.terms_ = _names(self._word_vocabulary)
        else:
            self.terms_ = np.array([], dtype=object)
        if self.char_ngrams:
            blocks.append(normalize(self._fit_chars(docs, rows)))
        self.sparse_ = normalize(sp.hstack(blocks).tocsr()) if len(blocks) > 1 else blocks[0]
        self.n_word_columns_ = len(self.terms_)
        self.n_columns_ = self.sparse_.shape[1]
        dims = min(self.n_components or 0, self.sparse_.shape[1] - 1, len(texts) - 1)
        if dims >= 2 and self.sparse_.nnz:
            svd = TruncatedSVD(dims, algorithm="arpack", random_state=self.random_state)
            self.vectors_ = normalize(svd.fit_transform(self.sparse_))
            components = svd.components_
        else:
            self.vectors_ = normalize(self.sparse_.toarray())
            components = None
        self.weights_ = Weights(
            language=self.language,
            word_vocabulary=self._word_vocabulary if self.use_words else None,
            word_idf=self._word_tfidf.idf_ if self.use_words else None,
            char_range=self.char_ngrams or None,
            char_vocabulary=self._char_vocabulary if self.char_ngrams else None,
            char_idf=self._char_tfidf.idf_ if self.char_ngrams else None,
            n_word_columns=self.n_word_columns_,
            n_columns=self.n_columns_,
            components=components,
        )
        return self.vectors_

    def _fit_chars(self, docs: list[list[Token]], rows: np.ndarray) -> sp.csr_matrix:
        """Character n-gram TF-IDF of the content words, counted once per distinct word.

        docs are the distinct ideas; rows[i] is the distinct idea that idea i repeats.
        """
        grams = partial(char_ngrams, lowest=self.char_ngrams[0], highest=self.char_ngrams[1])
        doc_words, word_vocabulary = _count([contents(doc) for doc in docs])
        word_grams, gram_vocabulary = _count([grams(w) for w in _names(word_vocabulary)])
        counts = (doc_words @ word_grams).tocsr()[rows]
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        keep = np.flatnonzero(document_frequency >= min(self.min_df, len(rows)))
        names = _names(gram_vocabulary)[keep]
        self._char_vocabulary = {name: j for j, name in enumerate(names)}
        self._char_tfidf = TfidfTransformer(sublinear_tf=True)
        return self._char_tfidf.fit_transform(counts[:, keep])

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's joint word and character TF-IDF row (see `Weights.transform_one`)."""
        return self.weights_.transform_one(text)

    def transform_sparse(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Joint word and character TF-IDF rows of new texts (see `transform_one`)."""
        rows = [self.transform_one(t) for t in texts]
        indptr = np.cumsum([0, *(len(columns) for columns, _ in rows)])
        columns = np.concatenate([c for c, _ in rows]) if rows else np.array([], np.int64)
        values = np.concatenate([v for _, v in rows]) if rows else np.array([])
        return sp.csr_matrix((values, columns, indptr), shape=(len(rows), self.n_columns_))

    def project_one(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """LSA vector of one sparse row given as (column indices, values)."""
        return self.weights_.project_one(columns, values)

    def project(self, sparse_rows: sp.spmatrix) -> np.ndarray:
        """LSA vectors of sparse TF-IDF rows."""
        if self.weights_.components is None:
            return normalize(sparse_rows.toarray())
        projected = np.asarray(sparse_rows @ self.weights_.components.T)
        norms = np.linalg.norm(projected, axis=1, keepdims=True)
        return projected / np.where(norms > 0, norms, 1.0)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """LSA vectors of new texts."""
        return self.project(self.transform_sparse(texts))


def _count(
    docs: list[list[str]], vocabulary: dict[str, int] | None = None
) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Count matrix of feature lists; unknown features grow the vocabulary unless one is given.

    A grown vocabulary numbers features in order of first appearance. The lookups run as one
    map() over all features rather than a Python loop (three times faster on ten thousand ideas).
    """
    features = list(chain.from_iterable(docs))
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    if vocabulary is None:
        vocabulary = {feature: j for j, feature in enumerate(dict.fromkeys(features))}
        if not vocabulary:
            raise ValueError("no content word in any idea")
        indices = np.fromiter(map(vocabulary.__getitem__, features), np.int64, len(features))
    else:
        found = map(vocabulary.get, features, repeat(-1, len(features)))
        indices = np.fromiter(found, np.int64, len(features))
        known = indices >= 0
        if not known.all():
            owner = np.repeat(np.arange(len(docs)), lengths)[known]
            lengths = np.bincount(owner, minlength=len(docs))
            indices = indices[known]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    matrix = sp.csr_matrix(
        (np.ones(len(indices)), indices, indptr), shape=(len(docs), len(vocabulary))
    )
    matrix.sum_duplicates()
    return matrix, vocabulary


def _names(vocabulary: dict[str, int]) -> np.ndarray:
    """Feature names in column order."""
    names = np.empty(len(vocabulary), dtype=object)
    names[np.fromiter(vocabulary.values(), np.int64, len(vocabulary))] = list(vocabulary)
    return names
