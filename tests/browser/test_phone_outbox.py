"""Nothing typed on a phone is lost: ideas over the speed limit wait in the outbox and go by
themselves, an over-long paste is refused with its count, and the feedback sits by the button.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_VIEWPORT, exactly
from tests.conftest import away_from_a_window_turn

pytestmark = pytest.mark.browser

SENT = re.compile(r"\bsent\b")
WAITING = re.compile(r"\bwaiting\b")


def facilitator_ideas(page, prefix: str):
    """The facilitator page's rows of ideas whose text starts with prefix (hidden ones too)."""
    return page.locator(
        "li.facilitate-idea .idea-text", has_text=re.compile("^" + re.escape(prefix))
    )


def set_idea_limit(facilitator_page, value: str) -> None:
    """Set the workshop's own limit on new ideas per phone and minute ("" for the default)."""
    facilitator_page.fill("#ideas-per-minute", value)
    facilitator_page.click("#idea-limit button[type=submit]")
    expect(facilitator_page.locator("#action-message")).to_have_text("")


def type_ideas(page, texts: list[str]) -> None:
    """Type and send each text as a person would, one after the other."""
    for text in texts:
        page.fill("#idea", text)
        page.click("#send")
        expect(page.locator("#idea")).to_have_value("")


def test_fifteen_ideas_in_a_minute_are_all_stored_once(phone_page, facilitator_page):
    """A table scribe sends 15 ideas within a minute: every one is stored, none twice."""
    set_idea_limit(facilitator_page, "")
    texts = [f"Scrib {n:02d}: propunere a grupului de la masa {n % 4 + 1}" for n in range(15)]
    type_ideas(phone_page, texts)
    rows = phone_page.locator("li.my-idea")
    expect(rows).to_have_count(15)
    expect(phone_page.locator("li.my-idea .badge.sent")).to_have_count(15)
    expect(facilitator_ideas(facilitator_page, "Scrib ")).to_have_count(15)
    # A reload re-sends nothing twice: the page still lists 15, and the server stored 15.
    phone_page.reload()
    expect(phone_page.locator("#connection")).to_have_text("Connected")
    expect(phone_page.locator("li.my-idea .badge.sent")).to_have_count(15)
    stored = facilitator_ideas(facilitator_page, "Scrib ").all_inner_texts()
    assert sorted(stored) == sorted(texts)


def test_ideas_held_back_go_at_once_when_the_facilitator_raises_the_limit(
    phone_page, facilitator_page
):
    """Limit 2: of 4 quick ideas 2 wait; raised to 30, they go without waiting out the old one."""
    set_idea_limit(facilitator_page, "2")
    away_from_a_window_turn(burst=15)
    texts = [f"Limită ridicată {n}" for n in range(4)]
    type_ideas(phone_page, texts)
    expect(phone_page.locator("li.my-idea .badge.waiting")).to_have_count(2)
    set_idea_limit(facilitator_page, "30")
    expect(phone_page.locator("li.my-idea .badge.sent")).to_have_count(4, timeout=8_000)
    expect(facilitator_ideas(facilitator_page, "Limită ridicată ")).to_have_count(4)
    set_idea_limit(facilitator_page, "")


def test_an_over_long_paste_is_refused_with_its_count_and_nothing_is_cut(phone_page):
    """520 characters pasted: all 520 stay in the box, the count says 20 too many, nothing sent."""
    text = ("Finanțare pentru proiecte culturale în cartiere. " * 11)[:520]
    phone_page.fill("#idea", text)
    assert len(phone_page.input_value("#idea")) == 520
    expect(phone_page.locator("#counter")).to_have_text("520 / 500")
    expect(phone_page.locator("#counter")).to_have_class(re.compile(r"\bover\b"))
    expect(phone_page.locator("#form-message")).to_contain_text("20 characters too many")
    before = phone_page.locator("li.my-idea").count()
    phone_page.click("#send")
    expect(phone_page.locator("#form-message")).to_contain_text("nothing was cut")
    expect(phone_page.locator("li.my-idea")).to_have_count(before)
    assert phone_page.input_value("#idea") == text
    # Shortened to the limit, it goes.
    phone_page.fill("#idea", text[:500])
    expect(phone_page.locator("#form-message")).to_have_text("")
    phone_page.click("#send")
    row = phone_page.locator("li.my-idea").filter(
        has=phone_page.locator(".my-idea-text", has_text=exactly(text[:500].strip()))
    )
    expect(row.locator(".badge")).to_have_class(re.compile(r"\bsent\b"))


def test_sent_feedback_is_next_to_the_button_on_a_small_phone(phone_page):
    """On 360x740, after sending, "Sent" is on screen beside the button, not below the fold."""
    phone_page.fill("#idea", "Ateliere de antreprenoriat în licee")
    phone_page.click("#send")
    status = phone_page.locator("#send-status")
    expect(status).to_have_text("✓ Sent")
    box, button = status.bounding_box(), phone_page.locator("#send").bounding_box()
    assert box and button
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_VIEWPORT["height"], box
    assert box["x"] + box["width"] <= PHONE_VIEWPORT["width"], box
    # Same row as the button: their vertical spans overlap, the status to its right.
    assert box["y"] < button["y"] + button["height"] and button["y"] < box["y"] + box["height"]
    assert box["x"] >= button["x"] + button["width"]
