"""Screenshots for the README, taken from a real board that has grouped a full room's ideas."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.room import realistic_ideas, send_ideas

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` (UPDATE_SCREENSHOTS=1) refreshes the README's pictures; an ordinary test run
# writes them beside the tests, so that running the tests leaves the working tree unchanged.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else ROOT / "test-artifacts" / "screenshots"
)
# The cap keeps the README's pictures light, and would catch a full-page or high-density capture
# (megabytes); a 1280x720 board's size varies with the themes and ideas it happens to show
# (340-415 KB seen), so the cap leaves room above that.
MAX_PNG_BYTES = 640 * 1024
CLUSTERING_TIMEOUT_MS = 120_000
# The rest of a room of 50 people, three ideas each, besides the three phones below.
ROOM_IDEAS = 135

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


def test_board_and_phone_screenshots(open_phone, board_page, submit_idea, server):
    """After a full room sends ideas and the board groups them, both pages are saved."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Three people write five ideas each on their phones, as a room does (one phone may not
    # flood the board); the rest of the room writes through the same endpoint.
    phones = [open_phone() for _ in range(3)]
    for n, (question_index, text) in enumerate(IDEAS):
        submit_idea(phones[n % 3], text, question_index=question_index)
    for phone in phones:
        expect(phone.locator("#my-ideas .badge.sent")).to_have_count(len(IDEAS) // 3)
    phone = phones[0]
    send_ideas(server, realistic_ideas(ROOM_IDEAS, seed=30), first_person=100)
    total = len(IDEAS) + ROOM_IDEAS
    board_page.wait_for_function(f"() => window.workshopDebug.ideaCount() === {total}")

    board_page.wait_for_function(
        """() => { const groups = window.workshopDebug.groups();
                   return groups.length >= 3 && !groups.some((g) => g.key === 'new'); }""",
        timeout=CLUSTERING_TIMEOUT_MS,
    )
    board_page.evaluate("window.workshopDebug.draw()")
    # A full board: a tile per theme, a spotlight on one, the newest ideas beside.
    expect(board_page.locator("#board")).to_have_attribute("data-mode", "overview")
    tiles = board_page.locator("#themes section.theme")
    expect(tiles.first.locator("h2.theme-name")).to_have_text(re.compile(r"\S"))
    counts = tiles.locator(".count").all_inner_texts()
    assert sum(int(n) for n in counts) == total
    expect(board_page.locator("#recent-list li.recent-idea").first).to_be_visible()

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
