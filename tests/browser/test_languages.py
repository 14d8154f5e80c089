"""The phone speaks Romanian to a Romanian browser, scripts included, and switches on request."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_phone_in_romanian_then_english(server, new_context):
    """Page, live status and idea states follow the language; the switch changes it."""
    page = new_context(viewport={"width": 360, "height": 740}, locale="ro-RO").new_page()
    page.goto(server.join_url)
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator("#connection")).to_have_text("Conectat")
    page.fill("#idea", "Idee trimisă dintr-un telefon în limba română")
    page.click("#send")
    expect(page.locator("#my-ideas .badge").first).to_have_text("trimisă")
    page.click(".language-switch a[lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(page.locator("#my-ideas .badge").first).to_have_text("sent")
