"""Romanian output has no English in it: pages, exports and documents, after a whole session.

The words come from tests/exports/english.py (the product's own English status words and
labels). Pages are read as a person or a screen reader meets them: text, labels, placeholders,
titles and the strings the scripts show (`data-strings`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from openpyxl import load_workbook

from facilitation import security
from tests.compare.test_then_and_now import _import
from tests.exports.conftest import page_url, unzip
from tests.exports.english import english_words_in

SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def _texts(value: object) -> list[str]:
    """Every text in a page's script strings (counted texts hold one per plural category)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [str(value)]


class _ShownText(HTMLParser):
    """Collects what a page shows: text outside scripts, labelling attributes, script strings."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
            elif name == "data-strings" and value:
                self.parts.extend(_texts(json.loads(value)))

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):  # noqa: ANN001
        if not self._hidden:
            self.parts.append(data)


def shown_text(html: str) -> str:
    """The text a visitor of the page sees or hears."""
    parser = _ShownText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture
def compared(app, store, workshop, lab):
    """The exports session, compared with an imported previous session; a Romanian browser."""
    _import(store, workshop.id)
    app.extensions["clusterer"].run_once()
    client = app.test_client()
    client.set_cookie("lang", "ro")
    return client


def test_english_words_are_found_where_they_are(compared, lab):
    """The check itself: the English plan of the same session does show them."""
    english = compared.get(page_url(lab, "export/md") + "&lang=en").get_data(as_text=True)
    found = {w.lower() for w in english_words_in(english)}
    assert {"recurring", "dots", "voters", "part", "annex"} <= found, found


def test_romanian_pages_have_no_english_status_words(app, compared, lab):
    """Every page a Romanian facilitator, staff member or participant opens."""
    with app.app_context():
        staff_key = security.staff_secret()
    pages = [
        "/",
        f"/j/{lab.code}",
        f"/board/{lab.code}?key={lab.key}",
        f"/board/{lab.code}/then-and-now?key={lab.key}",
        f"/facilitate/{lab.code}?key={lab.key}",
        page_url(lab, "log"),
        page_url(lab, "action-plan"),
        page_url(lab, "previous"),
        f"/staff?key={staff_key}",
    ]
    for address in pages:
        response = compared.get(address)
        assert response.status_code == 200, address
        html = response.get_data(as_text=True)
        assert 'lang="ro"' in html, address
        assert english_words_in(shown_text(html)) == [], address


def test_romanian_exports_and_documents_have_no_english_status_words(compared, lab):
    """The plan as Markdown and DOCX, the three CSV files and the workbook, in Romanian."""
    export = page_url(lab, "export/{}") + "&lang=ro"
    markdown = compared.get(export.format("md")).get_data(as_text=True)
    assert "recurentă" in markdown, "the comparison reached the document"
    # Chart links name files (charts/votes.png), which readers do not see.
    assert english_words_in(re.sub(r"\]\([^)]*\)", "]", markdown)) == []
    document = Document(io.BytesIO(compared.get(export.format("docx")).data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert english_words_in("\n".join([p.text for p in document.paragraphs] + cells)) == []
    for name, data in unzip(compared.get(export.format("csv")).data).items():
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert english_words_in("\n".join(",".join(row) for row in rows)) == [], name
    book = load_workbook(io.BytesIO(compared.get(export.format("xlsx")).data))
    for sheet in book:
        values = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert english_words_in("\n".join([sheet.title, *values])) == [], sheet.title
