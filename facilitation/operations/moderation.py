"""The workshop's word list: ideas that match it wait for the facilitator instead of showing.

Why the care in matching: a word list is there to be dodged. Text is compared after NFKC
(full-width and styled letters become plain ones), without format characters (zero-width
spaces and joiners, soft hyphens) or blank letters, with look-alike letters of other scripts
(Cyrillic "р", Greek "ο") read as the Latin letters they imitate (Unicode's confusables table,
through confusable-homoglyphs), and also with letters that were spaced or dotted apart
("p r o s t", "p.r.o.s.t", "pro-st") put back together.
"""

from __future__ import annotations

import re
import unicodedata

from confusable_homoglyphs import confusables

from analysis import fold
from analysis.text import words
from facilitation import validation
from facilitation.models import Event, Workshop
from facilitation.operations import audit, events
from facilitation.operations.errors import Rejected

MAX_WORDS = 200


# Punctuation between two letters of one word ("p.r.o.s.t", "pro-st", "p*ost").
_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[.\-_*·•'’]+(?=[^\W\d_])")


def _folded_words(text: str) -> list[str]:
    """The words of text in matching form (no case, no diacritics, cedilla = comma-below)."""
    return [fold(w) for w in words(text)]


def _latin_lookalikes(text: str) -> str:
    """text with letters of other scripts that imitate Latin ones replaced by those."""
    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    table = {}
    for item in found:
        if not item["character"].isalpha():  # punctuation and digits are left as they are
            continue
        latin = [
            h["c"]
            for h in item["homoglyphs"]
            if h["n"].startswith("LATIN") and len(h["c"]) == 1 and h["c"].isascii()
        ]
        if latin and len(item["character"]) == 1:
            table[ord(item["character"])] = latin[0]
    return text.translate(table)


def _plain(text: str) -> str:
    """text as it reads: NFKC, no format characters or blank letters, Latin look-alikes."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if validation.visible(ch) or ch.isspace())
    return _latin_lookalikes(text)


def _readings(text: str) -> list[list[str]]:
    """The word sequences text can be read as: its words, and its words with letters that were
    dotted or spaced apart put back together (two or more single letters in a row)."""
    plain = _plain(text)
    joined: list[str] = []
    run: list[str] = []
    for word in [*_folded_words(_INSIDE_WORD.sub("", plain)), ""]:
        if len(word) == 1:
            run.append(word)
            continue
        joined.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if word:
            joined.append(word)
    return [_folded_words(plain), joined]


def matches_word_list(text: str, word_list: list[str]) -> bool:
    """True when text contains a listed word or phrase, however it is spelled, accented,
    disguised with invisible characters or look-alike letters, or spaced apart."""
    if not word_list:
        return False
    typed = [" " + " ".join(reading) + " " for reading in _readings(text)]
    for entry in word_list:
        phrase = " ".join(_folded_words(_plain(entry)))
        if phrase and any(f" {phrase} " in reading for reading in typed):
            return True
    return False


def set_word_list(db, workshop: Workshop, entries: object) -> list[Event]:  # noqa: ANN001
    """Replace the workshop's word list; it applies to ideas sent from now on."""
    if not isinstance(entries, list) or len(entries) > MAX_WORDS:
        raise Rejected.counted(
            "words must be a list of at most %(num)d word or phrase.",
            "words must be a list of at most %(num)d words or phrases.",
            MAX_WORDS,
            "malformed",
        )
    cleaned = sorted({validation.text_field(e, "Word", 60) for e in entries})
    if cleaned == sorted(workshop.blocked_words or []):
        return []
    audit.record(db, workshop, "set_word_list", {"count": len(cleaned)}, workshop_fields=True)
    workshop.blocked_words = cleaned
    return [
        events.record(db, workshop, "word_list_updated", events.FACILITATOR, {"words": cleaned})
    ]
