"""End to end: the projected then-and-now view follows new ideas live, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IDEAS = [
    "Finanțare nerambursabilă pentru IMM-uri din industriile creative",
    "Granturi mici pentru start-up-uri ale tinerilor",
    "Fonduri europene pentru IMM-uri și antreprenori",
    "Cursuri de antreprenoriat în licee ținute de antreprenori",
    "Educație antreprenorială pentru elevi în școli",
    "Stagii de practică pentru studenți în firme",
]


def test_then_and_now_view_changes_after_new_ideas(
    server, new_context, open_phone, submit_idea, facilitator_page
):
    """The demo's illustrative session is listed; today's themes appear as ideas come in."""
    url = server.board_url.replace(f"/board/{server.code}?", f"/board/{server.code}/then-and-now?")
    page = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(url)
    view = page.locator("#then-and-now")
    expect(view).to_have_attribute("data-connection", "online")
    expect(page.locator("#illustrative")).to_be_visible()
    expect(page.locator("#then-themes li.then-theme").first).to_be_visible()
    expect(page.locator("#now-themes li.then-theme")).to_have_count(0)
    page.evaluate("window.__notReloaded = true")

    phone = open_phone()
    for text in IDEAS:
        expect(submit_idea(phone, text).locator(".badge")).to_have_class("badge sent")

    expect(page.locator("#now-themes li.then-theme").first).to_be_visible()
    expect(page.locator('#now-themes li[data-status="recurring"]').first).to_be_visible()
    expect(page.locator('#then-themes li[data-status="recurring"]').first).to_be_visible()
    expect(page.locator("#sizes-chart")).to_be_visible()
    assert page.evaluate("window.__notReloaded === true")
    expect(facilitator_page.get_by_role("link", name="Previous session")).to_be_visible()
