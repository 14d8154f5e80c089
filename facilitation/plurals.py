"""Counted texts for the pages' scripts: the catalogue's words, one per CLDR plural category.

The server knows the words ("{n} bulină", "{n} buline", "{n} de buline"); the browser knows the
rule: `Intl.PluralRules` follows the same CLDR categories Babel reads, so `counted()` in
static/js/lib/plural.js picks the text for a number without any rule written in JavaScript.
"""

from __future__ import annotations

import functools

from flask_babel import get_locale, get_translations

# Enough numbers to meet every plural category of Romanian and English (0, 1, 2-19, 20+).
_SAMPLES = range(0, 200)


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """The message for each plural category of the page's language, `{n}` in place of the count.

    `singular` and `plural` are catalogue messages with a `%(num)d` placeholder. Kept once
    worked out: pages ask for the same few texts at every render, and the catalogue is fixed.
    """
    return dict(_forms(str(get_locale()), singular, plural))


@functools.lru_cache(maxsize=256)
def _forms(locale: str, singular: str, plural: str) -> tuple[tuple[str, str], ...]:
    """plural_forms for a locale: the page's own catalogue, read once per text and language."""
    rule = get_locale().plural_form
    examples: dict[str, int] = {}
    for n in _SAMPLES:
        examples.setdefault(rule(n), n)
    translations = get_translations()
    return tuple(
        (category, translations.ngettext(singular, plural, n).replace("%(num)d", "{n}"))
        for category, n in examples.items()
    )
