"""Ideas over the speed limit wait in the phone's outbox, survive a reload and go by themselves.

The server's own limit here is 3 ideas per 15 seconds (the default is 20 a minute, and a
workshop's facilitator sets ideas per minute): the phone's outbox follows whatever window the
server says (`retry_after`), and the test waits seconds instead of a whole minute.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone_outbox import facilitator_ideas, type_ideas
from tests.conftest import away_from_a_window_turn

pytestmark = pytest.mark.browser

WINDOW = 15
SERVER_SETTINGS = {"IDEA_RATE_LIMIT": f"3 per {WINDOW} seconds"}
# Longest wait for an idea held back by the limit: two of the limiter's windows (the sliding
# count remembers the last one), plus the phone's margin.
LIMIT_WAIT_MS = (2 * WINDOW + 15) * 1000


def test_ideas_over_the_limit_wait_and_go_by_themselves_even_after_a_reload(
    phone_page, facilitator_page
):
    """With a limit of 3 per window, 5 quick ideas: 3 go, 2 wait with a truthful message next
    to the button, survive a reload, and are sent by themselves when the limit allows."""
    # Start in the first 3 s of a window: the burst stays in it, and the 2 held back wait at
    # least the rest of it (10 s or more), longer than the reload below.
    away_from_a_window_turn(WINDOW, burst=WINDOW - 3)
    texts = [f"Grabă {n}: idee trimisă repede" for n in range(5)]
    type_ideas(phone_page, texts)
    expect(phone_page.locator("li.my-idea .badge.sent")).to_have_count(3)
    waiting = phone_page.locator("li.my-idea .badge.waiting")
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_have_text(re.compile(r"^waiting: sent automatically in \d+ s$"))
    status = phone_page.locator("#send-status")
    expect(status).to_have_text(re.compile(r"^2 ideas waiting \(sent automatically in \d+ s\)$"))
    message = phone_page.locator("#form-message")
    expect(message).to_have_text("")  # nothing was refused for good

    phone_page.reload()
    expect(phone_page.locator("#connection")).to_have_text("Connected")
    expect(phone_page.locator("li.my-idea .badge.waiting")).to_have_count(2)
    expect(phone_page.locator("#send-status")).to_have_text(re.compile(r"^2 ideas waiting"))

    expect(phone_page.locator("li.my-idea .badge.sent")).to_have_count(5, timeout=LIMIT_WAIT_MS)
    expect(phone_page.locator("#send-status")).to_have_text("✓ Sent")
    expect(facilitator_ideas(facilitator_page, "Grabă ")).to_have_count(5)
    stored = facilitator_ideas(facilitator_page, "Grabă ").all_inner_texts()
    assert sorted(stored) == sorted(texts)
