"""A theme's name: a stretch people wrote, that does not stop in the middle of a phrase."""

from __future__ import annotations

from analysis.language import content_form, stem
from analysis.naming import theme_name
from analysis.text import fold


def _weights(words: list[str], language: str) -> dict[str, float]:
    """Equal weight for the stems of words, as the theme's distinctive terms."""
    return {stem(content_form(fold(w), language) or fold(w), language): 1.0 for w in words}


def test_an_english_name_does_not_stop_on_a_modifier():
    """ "monthly meetings between event" stops before the head of "event organisers"."""
    texts = [
        "I suggest monthly meetings between event organisers and local SMEs",
        "We need monthly meetings between event organisers and local SMEs",
    ]
    weights = _weights(["monthly", "meetings", "event", "organisers", "SMEs"], "en")
    assert theme_name(texts, weights, language="en") == "Meetings between event organisers"


def test_a_name_may_stop_before_a_capitalised_word_and_a_romanian_one_before_an_adjective():
    """A capitalised next word is a name's start, not a head; Romanian puts the head first."""
    weights = _weights(["United", "States", "President"], "en")
    texts = ["United States President George Bush visited"]
    assert theme_name(texts, weights, language="en") == "United States President"
    weights = _weights(["spații", "coworking"], "ro")
    texts = ["Spații de coworking ieftine pentru tineri"]
    assert theme_name(texts, weights, language="ro") == "Spații de coworking"
