"""Every page passes axe-core in real Chromium: no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = Axe().run(page, options={**WCAG_AA, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_join_page(server, new_context):
    """The page where people type the code."""
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(server.base + "/")
    assert serious_violations(page) == []


def test_phone_page_while_writing_and_voting(open_phone, facilitator_page, submit_idea):
    """The phone page, with sent ideas, and again with the ballot open."""
    phone = open_phone()
    expect(
        submit_idea(phone, "Idee pentru verificarea accesibilității").locator(".badge.sent")
    ).to_be_visible()
    assert serious_violations(phone) == []
    facilitator_page.click(".phase-button[data-phase=vote]")
    expect(phone.locator("#vote")).to_be_visible()
    assert serious_violations(phone) == []
    facilitator_page.click(".phase-button[data-phase=write]")


def test_board_page(board_page, open_phone, submit_idea):
    """The projected board with ideas on it."""
    phone = open_phone()
    submit_idea(phone, "O idee pe tablă")
    expect(board_page.locator("#themes li.idea").first).to_be_visible()
    assert serious_violations(board_page) == []


def test_facilitator_page(facilitator_page):
    """The facilitator's controls, every panel open."""
    facilitator_page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert serious_violations(facilitator_page) == []


def test_staff_pages(server, new_context):
    """The staff list and creation form, and the action log."""
    page = new_context().new_page()
    page.goto(server.staff_url)
    expect(page.locator("h1")).to_be_visible()
    assert serious_violations(page) == []
    address, key = server.facilitator_url.split("?")
    page.goto(f"{address}/log?{key}")
    assert serious_violations(page) == []


def test_phone_page_survives_200_percent_zoom(server, new_context):
    """At 200 % zoom on a 360 px phone nothing needs sideways scrolling."""
    page = new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2).new_page()
    page.goto(server.join_url)
    page.evaluate("document.body.style.zoom = '200%'")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
