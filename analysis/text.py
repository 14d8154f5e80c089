"""The one place that knows the Romanian alphabet and how people really type it.

Cedilla letters (ş ţ) and comma-below letters (ș ț) are one letter; text typed without
diacritics must meet text with them; the older î-inside-words spelling must meet â.
Unicode normalisation does not unify cedilla and comma-below, so they are mapped explicitly.

Language detection uses py3langid restricted to Romanian and English: measured on 3,200 word
windows of 3 to 8 words (SIB-200, Romanian also without diacritics) it was right 98.8% of the time
at 0.06 ms per text, against 98.1% at 0.4 ms for lingua and 92.9% for a list of marker words.
A Romanian-only letter, or a clear majority of function words of one language, settles the
question before the model is asked, and they break the tie when the model is unsure (99.5% on
the same windows, and cheaper on long statements).
"""

from __future__ import annotations

import mmap
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path

# Cedilla forms that older software produces, mapped to the correct comma-below letters.
_CEDILLA_TO_COMMA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
# Folding for matching: every Romanian letter to its plain Latin base.
_FOLD = str.maketrans({"ă": "a", "â": "a", "î": "i", "ș": "s", "ț": "t"})
ROMANIAN_ONLY_LETTERS = frozenset("ăâîșțĂÂÎȘȚşţŞŢ")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# A word-internal î is the older spelling of â ("cînd" = "când"); fold it to "a" like â. After a
# prefix ("reîntoarcere", "neînțeles") î stays î in both spellings, so it folds to "i".
_INNER_I = re.compile(r"(?<!\b(?:re|ne))(?<!\b(?:pre|dez|des|sub))(?<=\w)î(?=\w)")


def canonical(text: str) -> str:
    """Return text with cedilla letters replaced by comma-below letters, otherwise unchanged."""
    return unicodedata.normalize("NFC", text).translate(_CEDILLA_TO_COMMA)


def _fold(text: str) -> str:
    """`fold` without its cache, for whole texts that will not come again."""
    lowered = canonical(text).lower()
    lowered = _INNER_I.sub("a", lowered)
    folded = lowered.translate(_FOLD)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Return the matching form of text: lower case, no diacritics, old î spelled like â."""
    return _fold(text)


def words(text: str) -> list[str]:
    """Split text into words, keeping hyphenated forms such as IMM-urilor or într-un whole."""
    return _WORD.findall(text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `words(text)` starts and ends in text."""
    return [match.span() for match in _WORD.finditer(text)]


def has_romanian_letters(text: str) -> bool:
    """Whether text uses a letter that only Romanian has (ă â î ș ț, cedilla forms included)."""
    return not ROMANIAN_ONLY_LETTERS.isdisjoint(text)


_RO_MARKERS = frozenset(
    [
        "si",
        "sau",
        "este",
        "sunt",
        "pentru",
        "din",
        "care",
        "mai",
        "prin",
        "cu",
        "la",
        "pe",
        "de",
        "un",
        "o",
        "ca",
        "ce",
        "nu",
        "se",
        "ar",
        "fi",
        "lor",
        "acest",
        "aceasta",
        "foarte",
        "trebuie",
        "sa",
        "ai",
        "ale",
        "cum",
        "dar",
        "daca",
        "despre",
    ]
)
_EN_MARKERS = frozenset(
    [
        "the",
        "and",
        "or",
        "is",
        "are",
        "for",
        "from",
        "which",
        "more",
        "through",
        "with",
        "at",
        "on",
        "of",
        "an",
        "to",
        "that",
        "not",
        "be",
        "should",
        "would",
        "this",
        "these",
        "very",
        "must",
        "it",
        "we",
        "our",
        "have",
        "has",
        "can",
    ]
)


@lru_cache(maxsize=1)
def _identifier():
    """The py3langid model, limited to the two workshop languages (loaded once, ~0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["ro", "en"])
    # The identifier keeps the weights of all 97 languages to allow another set_languages; the
    # two kept here suffice, and letting the rest go saves about 27 MB in every process.
    with suppress(AttributeError):
        identifier._full_model = (identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes)
    with suppress(OSError, AttributeError, TypeError, ValueError):  # else it stays in memory
        identifier.tk_nextmove = _mapped_transitions(identifier.tk_nextmove)
    return identifier


def _mapped_transitions(table):  # noqa: ANN001, ANN202 (array.array of 'I', memoryview)
    """The model's byte-transition table (about 40 MB) read from a file mapped read-only.

    The walk over a text's bytes visits only the table's rows of the letters Romanian and
    English use, and only the pages it visits count in the process's memory (`make load` prints
    the server's peak memory). A mapped file is also shared by the server processes of one
    machine, and the system may drop its pages and read them again.
    The file lives in the user's cache folder, written again whenever its bytes differ from the
    model's (checked by reading it, which maps nothing).
    """
    data = memoryview(table).cast("B")
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "facilitation"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"language-transitions-{table.typecode}{table.itemsize}-{len(data)}.bin"
    if not _same_bytes(path, data):
        part = path.with_name(f"{path.name}.{os.getpid()}")
        part.write_bytes(data)
        os.replace(part, path)
    with path.open("rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) != len(data):
        raise ValueError("the transition table changed while it was mapped")
    return memoryview(mapped).cast(table.typecode)


def _same_bytes(path: Path, data: memoryview) -> bool:
    """Whether the file holds exactly these bytes, read in chunks (nothing is mapped)."""
    try:
        if path.stat().st_size != len(data):
            return False
        chunk = 1 << 20
        with path.open("rb") as file:
            for start in range(0, len(data), chunk):
                if file.read(chunk) != data[start : start + chunk]:
                    return False
        return True
    except OSError:
        return False


def language_model_loaded() -> bool:
    """Whether this process has loaded the language model (about 25 MB in use)."""
    return _identifier.cache_info().currsize > 0


# Languages already decided elsewhere, by text (see `known_languages`).
_known: dict[str, str] = {}


@contextmanager
def known_languages(languages: Mapping[str, str]) -> Iterator[None]:
    """Within the block, `detect_language` answers these texts' languages as given.

    The web server decides each idea's language when it places it; it passes those decisions to
    the worker process that clusters, which then never loads the language model (about 25 MB in
    use).
    """
    added = {text: language for text, language in languages.items() if text not in _known}
    _known.update(added)
    try:
        yield
    finally:
        for text in added:
            _known.pop(text, None)


def detect_language(text: str) -> str:
    """Guess whether a short idea is Romanian ("ro") or English ("en")."""
    known = _known.get(text)
    return known if known is not None else _guess_language(text)


@lru_cache(maxsize=50_000)
def _guess_language(text: str) -> str:
    """`detect_language`, for a text whose language was not given."""
    if has_romanian_letters(text):
        return "ro"
    tokens = words(_fold(text[:300]))  # folding the text folds each of its words
    if not tokens:
        return "ro"
    # Function words settle most ideas at no cost; the model decides the rest.
    ro = sum(t in _RO_MARKERS for t in tokens)
    en = sum(t in _EN_MARKERS for t in tokens)
    if ro >= en + 2:
        return "ro"
    if en >= ro + 2:
        return "en"
    # The first few hundred characters decide as well as the whole text, at a bounded cost.
    guess, confidence = _identifier().classify(text[:200].lower())
    if confidence < 0.9 and ro != en:  # an unsure model on a tiny idea: trust its function words
        return "ro" if ro > en else "en"
    return guess
