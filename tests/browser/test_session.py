"""A whole session in the browser: three phones join, write and vote; the board ranks the result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import exactly

pytestmark = pytest.mark.browser

IDEAS = [
    "Granturi pentru IMM-uri din industriile creative",
    "Finanțare nerambursabilă pentru start-up-uri culturale",
    "Mentorat pentru tineri antreprenori în licee",
    "Programe de mentorat pentru tineri în universități",
    "Trasee de turism cultural în cartierele istorice",
    "Turism cultural cu ghizi tineri din oraș",
]


def test_three_phones_write_and_vote_and_the_board_ranks_the_result(
    open_phone, board_page, facilitator_page, submit_idea
):
    """Phones write, the facilitator opens the vote, phones spend dots, the board ranks totals."""
    controls = facilitator_page
    controls.locator("summary", has_text="Vote rules and categories").click()
    controls.fill("#categories", "IMM\nEducație")
    controls.click("#categories-form button[type=submit]")
    phones = [open_phone() for _ in range(3)]
    for n, phone in enumerate(phones):
        phone.reload()
        expect(phone.locator("#category")).to_be_visible()
        phone.select_option("#category", label=["IMM", "IMM", "Educație"][n])
        for text in IDEAS[2 * n : 2 * n + 2]:
            expect(submit_idea(phone, text).locator(".badge.sent")).to_be_visible()
    expect(board_page.locator("#themes li.idea")).to_have_count(len(IDEAS))
    # The board groups the ideas into themes in the background before the vote.
    board_page.wait_for_function(
        "() => document.querySelectorAll("
        "\"#themes section.theme:not([data-theme-id='new'])\").length >= 2",
        timeout=60_000,
    )

    controls.click(".phase-button[data-phase=vote]")
    # The board speaks the workshop's language (Romanian), whatever the laptop's browser says.
    expect(board_page.locator("#phase-name")).to_have_text("Vot")
    for phone in phones:
        expect(phone.locator("#vote")).to_be_visible()
        expect(phone.locator(".ballot-item").first).to_be_visible()
        expect(phone.locator("#idea-form")).to_be_hidden()

    # Everyone puts three dots on the theme of the first idea.
    first_theme = board_page.locator(
        "#themes section.theme", has=board_page.locator("li.idea", has_text=exactly(IDEAS[0]))
    )
    favourite = first_theme.get_attribute("data-theme-id")
    for phone in phones:
        item = phone.locator(f".ballot-item[data-item-id='{favourite}']")
        for _ in range(3):
            item.locator("button.add").click()
        expect(item.locator(".dot-count")).to_have_text(re.compile(r"^3 "))
        expect(phone.locator("#dots-left")).to_have_text(re.compile(r"2"))
        expect(phone.locator("#vote-status")).to_have_text("Your votes are saved.")
        # A fourth dot on the same item is not offered: the cap is 3.
        expect(item.locator("button.add")).to_be_disabled()
    expect(board_page.locator("#voters")).to_have_text(re.compile(r"^3 "))
    # Totals are hidden while the vote is open.
    expect(board_page.locator("#results")).to_be_hidden()

    # Closing the vote keeps the totals hidden; revealing them is a second step.
    controls.click("#close-vote")
    for phone in phones:
        expect(phone.locator("#vote-status")).to_contain_text("The vote is closed.")
    expect(board_page.locator("#results")).to_be_hidden()
    controls.click("#reveal-results")
    expect(board_page.locator("#results")).to_be_visible()
    top = board_page.locator("#results-list li.result").first
    expect(top).to_have_attribute("data-item-id", favourite)
    expect(top.locator(".result-dots")).to_have_text(re.compile(r"^9 "))
    label = top.locator(".result-label").inner_text()
    for phone in phones:
        expect(phone.locator("#results-list li").first).to_contain_text(label)
        expect(phone.locator(".ballot-item button.add").first).to_be_hidden()
