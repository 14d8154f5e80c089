"""Stop words, hyphenated forms and stemming for Romanian and English, from maintained packages.

Everything works on folded text (no diacritics), so "finanțare", "finanţare" and "finantare" give
the same term. Stop lists are the words two maintained lists agree on: stopwordsiso alone also
drops content words that matter in a workshop ("young", "work", "research", "halbă"), so Romanian
uses stopwordsiso ∩ stop-words and English stopwordsiso ∩ scikit-learn's list. Hyphenated Romanian
forms keep their meaning: "IMM-urilor" is the term "imm", "start-up-uri" is "startup", and
"într-un" or "s-a" are function words.
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path

import Stemmer
import stop_words as stop_words_package
import stopwordsiso

from analysis.text import fold

LANGUAGES = ("ro", "en")
_STEMMER_NAMES = {"ro": "romanian", "en": "english"}
# Articles and plural endings Romanian writes after a hyphen on acronyms and loan words
# ("IMM-uri", "IMM-urilor", "ONG-ul", "start-up-ul"); folded spelling.
_HYPHEN_ENDINGS = frozenset(
    [
        "uri",
        "urile",
        "urilor",
        "ul",
        "ului",
        "ii",
        "iilor",
        "ile",
        "ilor",
        "le",
        "lor",
        "lui",
        "a",
        "ei",
    ]
)


@cache
def stop_words(language: str) -> frozenset[str]:
    """Folded stop words of a language ("ro" or "en")."""
    iso = {fold(w) for w in stopwordsiso.stopwords(language)}
    if language == "en":
        other = {fold(w) for w in _scikit_learn_english_stop_words()}
    else:
        other = {fold(w) for w in stop_words_package.get_stop_words(language)}
    return frozenset(iso & other)


def _scikit_learn_english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop list, read from its module without importing scikit-learn.

    Importing any part of scikit-learn imports most of it and SciPy (about 100 MB); the web
    server tokenises every idea it places but clusters nothing, so it reads this one list only.
    """
    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("scikit-learn is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), "feature_extraction", "_stop_words.py")
    loaded = importlib.util.spec_from_file_location("_scikit_learn_stop_words", path)
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    """A PyStemmer stemmer, cached because building one is not free."""
    return Stemmer.Stemmer(_STEMMER_NAMES[language])


@lru_cache(maxsize=200_000)
def content_form(folded_word: str, language: str) -> str | None:
    """The folded content word a token stands for, or None for a stop word or noise."""
    stops = stop_words(language)
    word = folded_word.replace("’", "'")
    if word in stops:
        return None
    if language == "en" and "'" in word:
        word = word.split("'")[0]  # possessive and contracted forms: "city's" is "city"
    if "-" in word or "'" in word:
        parts = [p for p in word.replace("'", "-").split("-") if p]
        while len(parts) > 1 and parts[-1] in _HYPHEN_ENDINGS:
            parts.pop()
        parts = [p for p in parts if p not in stops and len(p) > 1]
        if not parts:
            return None
        word = "".join(parts)
    if len(word) < 2 or word.isdigit() or word in stops:
        return None
    return word


@lru_cache(maxsize=200_000)
def stem(content_word: str, language: str) -> str:
    """The stem of a folded content word."""
    return _stemmer(language).stemWord(content_word)
