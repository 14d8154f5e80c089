"""The Romanian texts follow docs/language.md: its glossary, its register and its quotation marks.

The page is the source: the words of its "Avoid" column, the informal forms listed under
"Register"; the texts are every Romanian string of the catalogue and of the export labels.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from facilitation.exports.labels import CATALOGUES, TEXTS

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")


def romanian_texts() -> list[str]:
    """Every Romanian text the product shows: catalogue translations and export labels."""
    with open(CATALOGUES / "ro" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale="ro")
    texts = []
    for message in catalogue:
        if message.id:
            forms = [message.string] if isinstance(message.string, str) else message.string
            texts.extend(form for form in forms if form)
    return texts + [romanian for _english, romanian in TEXTS.values()]


def avoided_words() -> list[str]:
    """The words of the glossary's "Avoid" column."""
    rows = re.findall(r"^\| ([^|]+) \| ([^|]+) \| ([^|]*) \|$", GUIDE, re.M)
    avoided = [w.strip() for *_, avoid in rows[2:] for w in avoid.split(",") if w.strip()]
    assert len(avoided) >= 5, "the glossary's table was not found"
    return avoided


def informal_forms() -> list[str]:
    """The informal imperatives listed under "Register"."""
    listed = re.search(r"Informal forms that must not start[^:]*:(.*?)\.\n", GUIDE, re.S)
    return [w.strip() for w in listed.group(1).split(",")]


def _has_word(word: str, text: str) -> bool:
    """Whether text holds the word (or phrase) whole, in any case."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I) is not None


def test_romanian_texts_use_the_glossary_words():
    """No Romanian text uses a word the glossary says to avoid (punct for bulină, ...)."""
    found = [(w, t) for w in avoided_words() for t in romanian_texts() if _has_word(w, t)]
    assert found == []


def test_romanian_texts_address_people_formally():
    """No text, button or phrase starts with an informal imperative ("Trimite" for "Trimiteți")."""
    informal = {w.lower() for w in informal_forms()}
    assert {"trimite", "intră", "salvează"} <= informal
    starts = [
        (phrase.split()[0], text)
        for text in romanian_texts()
        for phrase in re.split(r"(?:^|[.;:(]\s*|\n)", text)
        if phrase.split() and phrase.split()[0].strip("„”…").lower() in informal
    ]
    assert starts == []


def test_romanian_quotations_use_low_and_high_marks():
    """„…” in Romanian: no “ at all, and every „ closed by ”."""
    for text in romanian_texts():
        assert "“" not in text, text
        assert text.count("„") == text.count("”"), text
        assert not re.search(r'"\w', text), text
