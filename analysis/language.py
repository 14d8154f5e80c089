"""Stop words and stemming for Romanian and English, from maintained packages.

Stop lists and stems are computed on folded text (no diacritics), so "finanțare", "finanţare" and
"finantare" give the same stem.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer
import stopwordsiso

from analysis.text import detect_language, fold, words

LANGUAGES = ("ro", "en")
_STEMMER_NAMES = {"ro": "romanian", "en": "english"}


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str]:
    """Folded stop words of a language."""
    return frozenset(fold(w) for w in stopwordsiso.stopwords(language))


@lru_cache(maxsize=None)
def _stemmer(language: str) -> Stemmer.Stemmer:
    """A PyStemmer stemmer, cached because building one is not free."""
    return Stemmer.Stemmer(_STEMMER_NAMES[language])


def stem_words(text: str, language: str | None = None) -> list[tuple[str, str]]:
    """(word as typed, stem) for every content word of text."""
    language = language or detect_language(text)
    stops = stop_words("ro") | stop_words("en")
    stemmer = _stemmer(language)
    pairs = []
    for word in words(text):
        folded = fold(word)
        if folded in stops or len(folded) < 2 or folded.isdigit():
            continue
        pairs.append((word, stemmer.stemWord(folded)))
    return pairs
