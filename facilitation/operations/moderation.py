"""The workshop's word list: ideas that match it wait for the facilitator instead of showing."""

from __future__ import annotations

from analysis import fold
from analysis.text import words
from facilitation import validation
from facilitation.models import Event, Workshop
from facilitation.operations import audit, events
from facilitation.operations.errors import Rejected

MAX_WORDS = 200


def _folded_words(text: str) -> list[str]:
    """The words of text in matching form (no case, no diacritics, cedilla = comma-below)."""
    return [fold(w) for w in words(text)]


def matches_word_list(text: str, word_list: list[str]) -> bool:
    """True when text contains a listed word or phrase, however it is spelled or accented."""
    if not word_list:
        return False
    typed = " " + " ".join(_folded_words(text)) + " "
    for entry in word_list:
        phrase = " ".join(_folded_words(entry))
        if phrase and f" {phrase} " in typed:
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
