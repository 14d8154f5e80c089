"""Removing one phone's contributions from the facilitator's page, and undoing it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import exactly

pytestmark = pytest.mark.browser


def test_the_facilitator_removes_one_phones_ideas_in_one_click_and_undoes_it(
    open_phone, board_page, facilitator_page, submit_idea
):
    """A phone that sent nonsense: one click on one of its ideas (confirmed) hides every idea it
    sent from the board, the other phone's idea stays, and undo brings them back."""
    controls = facilitator_page
    member, script = open_phone(), open_phone()
    expect(
        submit_idea(member, "Piste de biciclete spre centru").locator(".badge.sent")
    ).to_be_visible()
    for n in range(3):
        expect(submit_idea(script, f"Reclamă fără sens {n}").locator(".badge.sent")).to_be_visible()
    expect(board_page.locator("#themes li.idea")).to_have_count(4)
    controls.once("dialog", lambda dialog: dialog.accept())
    row = controls.locator(".facilitate-idea").filter(
        has=controls.locator(".idea-text", has_text=exactly("Reclamă fără sens 1"))
    )
    row.locator(".remove-device-button").click()
    expect(board_page.locator("#themes li.idea")).to_have_count(1)
    expect(board_page.locator("#themes li.idea")).to_have_text("Piste de biciclete spre centru")
    expect(row.locator(".badge")).to_contain_text("all of this phone's ideas were removed")
    controls.click("#undo")
    expect(board_page.locator("#themes li.idea")).to_have_count(4)
