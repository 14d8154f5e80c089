"""A reload without a network opens the phone page from the service worker's copy, with the
outbox intact: waiting ideas are shown, and sent once the network returns."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import exactly

pytestmark = pytest.mark.browser

WAITING = re.compile(r"\bwaiting\b")
SENT = re.compile(r"\bsent\b")


def test_a_reload_offline_opens_the_page_with_waiting_ideas(
    phone_page, facilitator_page, submit_idea
):
    """Offline: an idea waits; the reload comes from the copy and shows it waiting; online
    again, it is sent once."""
    phone = phone_page
    expect(phone.locator("#phone")).to_have_attribute("data-offline-copy", "ready")
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(submit_idea(phone, "Trimisă cu rețea").locator(".badge")).to_have_class(SENT)

    context = phone.context
    context.set_offline(True)
    expect(phone.locator("#connection")).not_to_have_text("Connected")
    text = "Scrisă fără rețea, păstrată la reîncărcare"
    expect(submit_idea(phone, text).locator(".badge")).to_have_class(WAITING)

    # Chromium's offline emulation covers the service worker's own requests too: without the
    # copy this reload fails (net::ERR_FAILED, or ERR_INTERNET_DISCONNECTED with no worker).
    phone.reload()
    expect(phone.locator("#idea-form")).to_be_visible()
    row = phone.locator("li.my-idea").filter(
        has=phone.locator(".my-idea-text", has_text=exactly(text))
    )
    expect(row.locator(".badge")).to_have_class(WAITING)
    expect(phone.locator("#send-status")).to_contain_text("1 idea waiting")
    expect(phone.locator("#connection")).to_contain_text("Offline")
    expect(phone.locator("li.my-idea .badge.sent")).to_have_count(1)

    context.set_offline(False)
    expect(row.locator(".badge")).to_have_class(SENT, timeout=20_000)
    expect(phone.locator("#connection")).to_have_text("Connected")
    stored = facilitator_page.locator("li.facilitate-idea .idea-text", has_text=exactly(text))
    expect(stored).to_have_count(1)
