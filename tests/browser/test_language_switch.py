"""Every page has a Romanian/English switch; the choice is kept on the device, and the projected
pages speak the workshop's language, whatever the language of the laptop's browser."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def pages(server) -> dict[str, str]:
    """Each page with a switch, by name: its address."""
    key = urlparse(server.facilitator_url).query
    return {
        "join": server.base + "/",
        "staff": server.staff_url,
        "facilitator": server.facilitator_url,
        "action log": f"{server.base}/facilitate/{server.code}/log?{key}",
        "action plan": f"{server.base}/facilitate/{server.code}/action-plan?{key}",
        "previous session": f"{server.base}/facilitate/{server.code}/previous?{key}",
        "then and now controls": f"{server.base}/facilitate/{server.code}/then-and-now?{key}",
        "board": server.board_url,
        "then and now": f"{server.base}/board/{server.code}/then-and-now?{key}",
    }


def switch_to(page, lang: str) -> None:
    """Use the page's own switch, as a person would."""
    link = page.locator(f".language-switch a[lang={lang}]")
    expect(link).to_be_visible()
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= page.viewport_size["height"]
    address = page.url
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.url == address, "the switch did not lead back to the same page"
    expect(page.locator(f".language-switch a[lang={lang}]")).to_have_attribute(
        "aria-current", "true"
    )


@pytest.mark.parametrize(
    "name",
    [
        "join",
        "staff",
        "facilitator",
        "action log",
        "action plan",
        "previous session",
        "then and now controls",
        "board",
        "then and now",
    ],
)
def test_each_page_switches_language_and_the_device_remembers(server, new_context, name):
    """From the browser's English to Romanian and back, on the page itself; a reload and the
    device's other pages keep the choice."""
    context = new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    page.goto(pages(server)[name])
    projected = name in ("board", "then and now")
    # The demo workshop is Romanian: the projected pages speak it, the others follow the browser.
    start, other = ("ro", "en") if projected else ("en", "ro")
    expect(page.locator("html")).to_have_attribute("lang", start)
    label = page.locator(".language-switch").get_attribute("aria-label")

    switch_to(page, other)

    changed = page.locator(".language-switch").get_attribute("aria-label")
    assert changed != label, "the page's texts did not change language"
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", other)
    elsewhere = context.new_page()
    elsewhere.goto(pages(server)["join" if projected else "board"])
    expect(elsewhere.locator("html")).to_have_attribute("lang", other)

    switch_to(page, start)
    assert page.locator(".language-switch").get_attribute("aria-label") == label


def test_board_speaks_the_workshop_language_on_an_english_laptop(server, new_context):
    """A Romanian workshop's board comes out in Romanian on a laptop set to English."""
    page = new_context(viewport={"width": 1920, "height": 1080}, locale="en-US").new_page()
    page.goto(server.board_url)
    expect(page.locator("#board")).to_have_attribute("data-connection", "online")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator(".join-code-label")).to_have_text("Cod")
    expect(page.locator("#phase-name")).not_to_have_text("")
    english = {"Welcome", "Write your ideas", "Grouping and discussion", "Vote", "Results"}
    assert page.locator("#phase-name").inner_text() not in english
