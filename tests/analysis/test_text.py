"""The normaliser and language detection on Romanian and English as people really type it."""

import pytest

from analysis import detect_language, fold
from analysis.language import content_form, stem
from analysis.text import canonical, words
from analysis.vectors import idea_tokens


def terms(text: str, language: str = "ro") -> list[str]:
    """The stems the clustering sees for text."""
    return [term for _, _, term in idea_tokens(text, language)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("finanţare", "finantare"),  # cedilla (U+0163)
        ("finanțare", "finantare"),  # comma below (U+021B)
        ("FINANŢARE", "finantare"),  # cedilla capital (U+0162)
        ("ŞCOALĂ", "scoala"),  # cedilla capital (U+015E)
        ("școală", "scoala"),
        ("finantare", "finantare"),  # typed without diacritics
        ("cînd", "cand"),  # older î-inside-words spelling
        ("când", "cand"),
        ("început", "inceput"),  # î at the start stays i
        ("reîntoarcere", "reintoarcere"),  # î after a prefix stays i
        ("IMM-urilor", "imm-urilor"),
    ],
)
def test_fold_meets_every_spelling(typed, expected):
    assert fold(typed) == expected


def test_canonical_maps_cedilla_to_comma_below_and_keeps_the_rest():
    assert canonical("Ştiinţă şi ţară") == "Știință și țară"


def test_words_keep_hyphenated_forms_whole():
    assert words("Sprijin pentru IMM-urilor, start-up-uri și într-un oraș!") == [
        "Sprijin",
        "pentru",
        "IMM-urilor",
        "start-up-uri",
        "și",
        "într-un",
        "oraș",
    ]


def test_hyphenated_romanian_forms_become_one_meaningful_term():
    assert content_form("imm-urilor", "ro") == content_form("imm-uri", "ro") == "imm"
    assert content_form("start-up-uri", "ro") == "startup"
    assert content_form("intr-un", "ro") is None
    assert content_form("s-a", "ro") is None


def test_spelling_variants_give_the_same_terms():
    variants = [
        "Finanțare pentru tinerii antreprenori",
        "finantare pentru tinerii antreprenori",
        "FINANŢARE PENTRU TINERII ANTREPRENORI",
    ]
    assert terms(variants[0]) == terms(variants[1]) == terms(variants[2])
    assert terms(variants[1]) == ["finant", "tiner", "antreprenor"]


def test_stop_words_are_dropped_in_both_languages_but_workshop_words_are_kept():
    assert terms("și pentru care din", "ro") == []
    assert terms("the and of with", "en") == []
    assert terms("help young people find work", "en") == ["help", "young", "peopl", "work"]


def test_stems_meet_across_inflections():
    assert stem("antreprenorilor", "ro") == stem("antreprenori", "ro")
    assert stem("businesses", "en") == stem("business", "en")


@pytest.mark.parametrize(
    ("idea", "language"),
    [
        ("Mai multă finanțare pentru IMM-uri", "ro"),
        ("mai multa finantare pentru tineri", "ro"),
        ("parteneriate intre scoli si firme", "ro"),
        ("hub de coworking in centru", "ro"),
        ("More funding for small businesses", "en"),
        ("coworking hub downtown", "en"),
        ("mentoring for young entrepreneurs", "en"),
        ("we should create a platform for cultural entrepreneurs", "en"),
    ],
)
def test_detect_language_of_short_ideas(idea, language):
    assert detect_language(idea) == language


def test_the_language_models_transition_table_is_a_mapped_file_that_decides_alike(
    tmp_path, monkeypatch
):
    """The 40 MB table is read from a file mapped read-only; a damaged file is written again,
    and the mapped table decides every text as the table in memory does."""
    from array import array

    from analysis import text

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    table = array("I", range(100_000))
    mapped = text._mapped_transitions(table)
    assert isinstance(mapped, memoryview) and mapped.tolist() == table.tolist()
    (cached,) = (tmp_path / "facilitation").iterdir()
    cached.write_bytes(b"\0" * cached.stat().st_size)  # damaged, same size
    assert text._mapped_transitions(table).tolist() == table.tolist()

    identifier = text._identifier()
    assert isinstance(identifier.tk_nextmove, memoryview)
    in_memory = array("I", identifier.tk_nextmove)
    samples = [
        "Autobuze de noapte după concerte",
        "Night buses after the concerts",
        "Finantare pentru IMM-uri si granturi mici",
        "more bike lanes în centru",
        "Транспорт",
    ]
    for sample in samples:
        mapped_guess = identifier.classify(sample.lower())
        identifier.tk_nextmove, kept = in_memory, identifier.tk_nextmove
        try:
            assert identifier.classify(sample.lower()) == mapped_guess
        finally:
            identifier.tk_nextmove = kept
