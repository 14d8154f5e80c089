"""Every counted message takes the plural form its number wants, in Romanian and in English.

Romanian has three forms: one ("1 bulină"), few ("2 buline", also 0 and anything ending in
01-19: "101 buline") and other, which puts "de" between the number and the noun ("20 de buline").
The table below holds, for each counted message of the catalogue, the words that follow the
number in each form; a counted message missing from the table fails the first test.
"""

from __future__ import annotations

from babel import Locale
from babel.messages.pofile import read_po
from babel.support import Translations

from facilitation.exports.labels import CATALOGUES
from facilitation.plurals import plural_forms

NUMBERS = (0, 1, 2, 19, 20, 101)
LANGS = ("ro", "en")
# The Romanian form each number takes: 0 one, 1 few, 2 other (the catalogue's order).
ROMANIAN_FORM = {0: 1, 1: 0, 2: 1, 19: 1, 20: 2, 101: 1}
VALUES = {"field": "Ideea", "max": 500, "row": 3, "name": "idei.csv", "theme": "Turism"}
# English singular message: ((English one, other), (Romanian one, few, other)).
COUNTED = {
    "%(num)d dot": (("dot", "dots"), ("bulină", "buline", "de buline")),
    "%(num)d voter": (("voter", "voters"), ("votant", "votanți", "de votanți")),
    "%(num)d idea": (("idea", "ideas"), ("idee", "idei", "de idei")),
    "%(num)d theme": (("theme", "themes"), ("temă", "teme", "de teme")),
    "%(num)d idea waiting": (
        ("idea waiting", "ideas waiting"),
        ("idee în așteptare", "idei în așteptare", "de idei în așteptare"),
    ),
    "Show %(num)d idea": (("idea", "ideas"), ("idee", "idei", "de idei")),
    "Let each phone send %(num)d new idea a minute.": (
        ("new idea a minute.", "new ideas a minute."),
        ("idee nouă pe minut.", "idei noi pe minut.", "de idei noi pe minut."),
    ),
    "%(num)d character too many": (
        ("character too many", "characters too many"),
        ("caracter în plus", "caractere în plus", "de caractere în plus"),
    ),
    "%(num)d idea received": (
        ("idea received", "ideas received"),
        ("idee primită", "idei primite", "de idei primite"),
    ),
    "%(num)d person has voted": (
        ("person has voted", "people have voted"),
        ("persoană a votat", "persoane au votat", "de persoane au votat"),
    ),
    "%(num)d row in %(name)s": (
        ("row in idei.csv", "rows in idei.csv"),
        ("rând în idei.csv", "rânduri în idei.csv", "de rânduri în idei.csv"),
    ),
    "Participants wrote %(num)d idea on it.": (
        ("idea on it.", "ideas on it."),
        ("idee pe această temă.", "idei pe această temă.", "de idei pe această temă."),
    ),
    "%(num)d of them was typed in from a paper card.": (
        ("of them was typed in from a paper card.", "of them were typed in from paper cards."),
        ("a fost preluată", "au fost preluate", "au fost preluate"),
    ),
    "%(field)s is too long: %(num)d character, at most %(max)s.": (
        ("character, at most 500.", "characters, at most 500."),
        ("caracter, cel mult 500.", "caractere, cel mult 500.", "de caractere, cel mult 500."),
    ),
    "categories must be a list of at most %(num)d name.": (
        ("name.", "names."),
        ("nume.", "nume.", "de nume."),
    ),
    "words must be a list of at most %(num)d word or phrase.": (
        ("word or phrase.", "words or phrases."),
        ("cuvânt sau expresie.", "cuvinte sau expresii.", "de cuvinte sau expresii."),
    ),
    "This theme has fewer than %(num)d idea.": (
        ("idea.", "ideas."),
        ("idee.", "idei.", "de idei."),
    ),
    "You have %(num)d dot in all.": (
        ("dot in all.", "dots in all."),
        ("bulină.", "buline.", "de buline."),
    ),
    "At most %(num)d dot on one item.": (
        ("dot on one item.", "dots on one item."),
        ("bulină pe un element.", "buline pe un element.", "de buline pe un element."),
    ),
    "At most %(num)d question.": (
        ("question.", "questions."),
        ("întrebare.", "întrebări.", "de întrebări."),
    ),
    "The title is longer than %(num)d character.": (
        ("character.", "characters."),
        ("caracter.", "caractere.", "de caractere."),
    ),
    "+ %(num)d more idea": (("more idea", "more ideas"), ("idee", "idei", "de idei")),
    "+ %(num)d more item with fewer dots": (
        ("more item with fewer dots", "more items with fewer dots"),
        (
            "rezultat cu mai puține buline",
            "rezultate cu mai puține buline",
            "de rezultate cu mai puține buline",
        ),
    ),
    "Split the theme %(theme)s into %(num)d part.": (
        ("part.", "parts."),
        ("parte.", "părți.", "de părți."),
    ),
    "The file has more than %(num)d row.": (
        ("row.", "rows."),
        ("rând.", "rânduri.", "de rânduri."),
    ),
    **{
        f"Row %(row)s: the {what} is longer than %(num)d character.": (
            ("character.", "characters."),
            ("caracter.", "caractere.", "de caractere."),
        )
        for what in ("idea", "theme", "question")
    },
    "Row %(row)s: a cell is longer than %(num)d character.": (
        ("character.", "characters."),
        ("caracter.", "caractere.", "de caractere."),
    ),
}


def _plural_messages() -> dict[str, str]:
    """The counted messages of the Romanian catalogue: singular to plural."""
    with open(CATALOGUES / "ro" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return {m.id[0]: m.id[1] for m in read_po(handle, locale="ro") if m.pluralizable}


def test_every_counted_message_is_in_the_table():
    """A new counted message needs its line in COUNTED, so that its forms are checked."""
    assert sorted(_plural_messages()) == sorted(COUNTED)


def test_every_counted_message_takes_the_right_form_for_0_1_2_19_20_101():
    """'1 bulină', '2 buline', '19 buline', '20 de buline', '101 buline'; '1 dot', '2 dots'."""
    catalogues = {language: Translations.load(str(CATALOGUES), [language]) for language in LANGS}
    for singular, plural in _plural_messages().items():
        english, romanian = COUNTED[singular]
        for n in NUMBERS:
            shown = catalogues["en"].ngettext(singular, plural, n) % {"num": n, **VALUES}
            assert f"{n} {english[0 if n == 1 else 1]}" in shown, (singular, n, shown)
            shown = catalogues["ro"].ngettext(singular, plural, n) % {"num": n, **VALUES}
            assert f"{n} {romanian[ROMANIAN_FORM[n]]}" in shown, (singular, n, shown)


def test_catalogue_plural_rule_is_romanian_cldr():
    """The catalogue's Plural-Forms picks the same form as CLDR (and so Intl.PluralRules)."""
    catalogue = Translations.load(str(CATALOGUES), ["ro"])
    cldr = Locale("ro").plural_form
    index = {"one": 0, "few": 1, "other": 2}
    for n in range(0, 1001):
        assert catalogue.plural(n) == index[cldr(n)], n


def test_scripts_get_one_text_per_plural_category_of_the_page_language(app):
    """The board's counts: the catalogue's text for each category, `{n}` for the number."""
    with app.test_request_context(headers={"Cookie": "lang=ro"}):
        forms = plural_forms("%(num)d dot", "%(num)d dots")
    assert forms == {"one": "{n} bulină", "few": "{n} buline", "other": "{n} de buline"}
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        forms = plural_forms("%(num)d person has voted", "%(num)d people have voted")
    assert forms == {"one": "{n} person has voted", "other": "{n} people have voted"}
