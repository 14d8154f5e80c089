"""Screenshots for the README, taken from a real board that has grouped real-looking ideas."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` (UPDATE_SCREENSHOTS=1) refreshes the README's pictures; an ordinary test run
# writes them beside the tests, so that running the tests leaves the working tree unchanged.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else ROOT / "test-artifacts" / "screenshots"
)
MAX_PNG_BYTES = 400 * 1024
CLUSTERING_TIMEOUT_MS = 60_000

# (question index, idea): financing for SMEs, youth mentoring and education, cultural tourism,
# a digital platform; in Romanian and English, as a mixed room writes them.
IDEAS = [
    (4, "Granturi mici pentru IMM-uri la prima finanțare"),
    (2, "Mentorat pentru tineri: antreprenori locali în licee"),
    (1, "Trasee de turism cultural prin cartierele istorice"),
    (3, "Platformă digitală unică pentru finanțări, parteneri și evenimente"),
    (4, "Microcredite pentru IMM-uri și start-up-uri, fără garanții"),
    (2, "Mentoring for young people: entrepreneurs coach high school students"),
    (1, "Cultural tourism routes: historic districts, museums, local crafts"),
    (3, "A digital platform where young people publish business ideas"),
    (4, "Fond local de garantare pentru finanțarea IMM-urilor"),
    (2, "Educație antreprenorială în licee, cu mentorat pentru tineri"),
    (1, "Ghizi tineri pentru turism cultural în cartierele istorice"),
    (3, "Aplicație mobilă și platformă digitală pentru evenimentele din oraș"),
    (4, "Finanțare nerambursabilă pentru IMM-uri care angajează tineri"),
    (2, "Stagii de practică și mentorat pentru tineri în firme locale"),
    (1, "Festival de turism cultural organizat de tineri voluntari"),
]


def test_board_and_phone_screenshots(open_phone, board_page, submit_idea):
    """After a room sends ideas on four topics and the board groups them, both pages are saved."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Three people write five ideas each, as a room does (one phone may not flood the board).
    phones = [open_phone() for _ in range(3)]
    for n, (question_index, text) in enumerate(IDEAS):
        submit_idea(phones[n % 3], text, question_index=question_index)
    for phone in phones:
        expect(phone.locator("#my-ideas .badge.sent")).to_have_count(len(IDEAS) // 3)
    phone = phones[0]
    expect(board_page.locator("#themes li.idea")).to_have_count(len(IDEAS))

    themes = board_page.locator("#themes section.theme:not([data-theme-id='new'])")
    board_page.wait_for_function(
        """() => document.querySelectorAll(
            "#themes section.theme:not([data-theme-id='new'])").length >= 2
          && !document.querySelector("#themes section.theme[data-theme-id='new']")""",
        timeout=CLUSTERING_TIMEOUT_MS,
    )
    expect(themes.first.locator("h2.theme-name")).to_have_text(re.compile(r"\S"))
    expect(board_page.locator("#themes li.idea")).to_have_count(len(IDEAS))

    # Each theme is drawn in its own colour, so the room can tell them apart from afar.
    colours = board_page.locator("#themes section.theme h2.theme-name").evaluate_all(
        "nodes => nodes.map(n => getComputedStyle(n).backgroundColor)"
    )
    assert len(set(colours)) == len(colours), colours

    # A phone at rest: no focus ring left on the text box after the last send.
    phone.locator("#idea").blur()
    board_png = SCREENSHOTS / "board.png"
    phone_png = SCREENSHOTS / "phone.png"
    board_page.screenshot(path=board_png)
    phone.screenshot(path=phone_png)

    for png in (board_png, phone_png):
        assert 0 < png.stat().st_size < MAX_PNG_BYTES, f"{png.name} is {png.stat().st_size} bytes"
