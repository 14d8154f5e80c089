"""The one place that knows the Romanian alphabet and how people really type it.

Cedilla letters (ş ţ) and comma-below letters (ș ț) are one letter; text typed without
diacritics must meet text with them; the older î-inside-words spelling must meet â.
Unicode normalisation does not unify cedilla and comma-below, so they are mapped explicitly.
"""

from __future__ import annotations

import re
import unicodedata

# Cedilla forms that older software produces, mapped to the correct comma-below letters.
_CEDILLA_TO_COMMA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
# Folding for matching: every Romanian letter to its plain Latin base.
_FOLD = str.maketrans({"ă": "a", "â": "a", "î": "i", "ș": "s", "ț": "t"})
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
# A word-internal î is the older spelling of â ("cînd" = "când"); fold it to "a" like â.
_INNER_I = re.compile(r"(?<=\w)î(?=\w)")


def canonical(text: str) -> str:
    """Return text with cedilla letters replaced by comma-below letters, otherwise unchanged."""
    return unicodedata.normalize("NFC", text).translate(_CEDILLA_TO_COMMA)


def fold(text: str) -> str:
    """Return the matching form of text: lower case, comma-below letters, no diacritics."""
    lowered = canonical(text).lower()
    lowered = _INNER_I.sub("a", lowered)
    folded = lowered.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Split text into words, keeping hyphenated forms such as IMM-urilor whole."""
    return _WORD.findall(text)


_RO_MARKERS = frozenset(
    "si sau este sunt pentru din care mai prin cu la pe de un o ca ce nu se ar fi tineri "
    "oras orasul ale lor acest aceasta foarte trebuie".split()
)
_EN_MARKERS = frozenset(
    "the and or is are for from which more through with at on of a an to that not be "
    "should would city young this these very must".split()
)


def detect_language(text: str) -> str:
    """Guess whether a short idea is Romanian ("ro") or English ("en")."""
    tokens = [fold(w) for w in words(text)]
    if any(ch in canonical(text).lower() for ch in "ăâîșț"):
        return "ro"
    ro = sum(t in _RO_MARKERS for t in tokens)
    en = sum(t in _EN_MARKERS for t in tokens)
    return "en" if en > ro else "ro"
