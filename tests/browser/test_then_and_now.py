"""End to end: the projected then-and-now view follows new ideas live, without a reload."""

from __future__ import annotations

import re

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
    # The first comparison comes from the worker as it starts: allow a busy machine a minute.
    expect(page.locator("#then-themes li.then-theme").first).to_be_visible(timeout=60_000)
    expect(page.locator("#now-themes li.then-theme")).to_have_count(0)
    page.evaluate("window.__notReloaded = true")

    phone = open_phone()
    for text in IDEAS:
        expect(submit_idea(phone, text).locator(".badge")).to_have_class("badge sent")

    # Themes come from the background clustering: allow a busy machine a minute.
    expect(page.locator("#now-themes li.then-theme").first).to_be_visible(timeout=60_000)
    expect(page.locator('#now-themes li[data-status="recurring"]').first).to_be_visible()
    expect(page.locator('#then-themes li[data-status="recurring"]').first).to_be_visible()
    expect(page.locator("#sizes-chart")).to_be_visible()
    assert page.evaluate("window.__notReloaded === true")
    expect(facilitator_page.get_by_role("link", name="Previous session")).to_be_visible()


def test_facilitator_sees_the_closest_earlier_idea(open_phone, facilitator_page, submit_idea):
    """An idea close to one of the previous session shows that earlier idea to the facilitator."""
    phone = open_phone()
    earlier = "Finanțarea pentru start-up-uri e greu de accesat, cu birocrație multă"
    for text in (
        "Finanțarea pentru start-up-uri e greu de accesat, birocrația e multă",
        "Mentorat pentru tineri antreprenori în licee",
        "Trasee de turism cultural în cartierele istorice",
    ):
        expect(submit_idea(phone, text).locator(".badge.sent")).to_be_visible()
    idea = facilitator_page.locator(
        "li.facilitate-idea", has=facilitator_page.get_by_text("birocrația e multă")
    )
    # After the background re-clustering and comparison (bounded by the expect timeout below).
    expect(idea.locator(".earlier-idea")).to_contain_text(earlier, timeout=60_000)


def test_facilitator_confirms_and_rejects_a_match(server, new_context, open_phone, submit_idea):
    """On the facilitator's then-and-now controls a match is confirmed, undone and rejected;
    each decision comes back from the background comparison and the projected view follows."""
    controls_url = server.board_url.replace(
        f"/board/{server.code}?", f"/facilitate/{server.code}/then-and-now?"
    )
    projected_url = server.board_url.replace(
        f"/board/{server.code}?", f"/board/{server.code}/then-and-now?"
    )
    controls = new_context(viewport={"width": 1280, "height": 900}).new_page()
    controls.goto(controls_url)
    expect(controls.locator("#then-and-now")).to_have_attribute("data-connection", "online")
    projected = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projected.goto(projected_url)
    expect(projected.locator("#then-and-now")).to_have_attribute("data-connection", "online")
    phone = open_phone()
    for text in IDEAS:
        expect(submit_idea(phone, text).locator(".badge")).to_have_class("badge sent")

    # The first match of a recurring theme of today, with its evidence and its two buttons.
    theme = (
        controls.locator("#now-themes li.then-theme")
        .filter(has=controls.locator(".then-match"))
        .first
    )
    match = theme.locator(".then-match").first
    expect(match).to_be_visible(timeout=60_000)
    expect(match.locator(".then-evidence li").first).to_be_visible()
    theme_id = theme.get_attribute("data-theme-id")
    label = match.get_attribute("data-match")
    pair = f'#now-themes li[data-theme-id="{theme_id}"] .then-match[data-match="{label}"]'
    projected_pair = projected.locator(pair)
    expect(projected_pair).to_be_visible(timeout=60_000)

    controls.locator(pair).locator('button[data-decision="confirm"]').click()
    expect(controls.locator(pair)).to_have_attribute("data-decision", "confirmed", timeout=60_000)
    expect(projected_pair).to_have_attribute("data-decision", "confirmed", timeout=60_000)

    controls.locator(pair).locator('button[data-decision="undo"]').click()
    expect(controls.locator(pair)).to_have_attribute("data-decision", "", timeout=60_000)
    controls.locator(pair).locator('button[data-decision="reject"]').click()
    expect(controls.locator(pair)).to_have_attribute("data-decision", "rejected", timeout=60_000)
    # The projected view no longer shows the rejected match on that theme.
    expect(projected_pair).to_have_count(0, timeout=60_000)
    expect(controls.locator("#decide-error")).to_be_hidden()

    # Undo the rejection: the computed match is back on both pages.
    controls.locator(pair).locator('button[data-decision="undo"]').click()
    expect(controls.locator(pair)).to_have_attribute("data-decision", "", timeout=60_000)
    expect(projected_pair).to_be_visible(timeout=60_000)


MORE_IDEAS = [
    "Trasee de turism cultural în cartierele istorice",
    "Ghizi locali pentru turiști în centrul vechi",
    "Spațiu de coworking ieftin pentru tineri",
    "Hub de coworking cu mentori pentru start-up-uri",
    "Digitalizarea micilor afaceri din oraș",
    "Platformă online pentru artizani și creatori",
    "Evenimente culturale în piețele publice",
    "Festival de muzică pentru tineri în parc",
]

SIZES = """() => {
  const root = document.getElementById("then-and-now");
  const small = [];
  let smallest = 1000;
  for (const node of root.querySelectorAll("*")) {
    const text = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!text || !node.offsetParent) continue;
    const size = parseFloat(getComputedStyle(node).fontSize);
    smallest = Math.min(smallest, size);
  }
  const lists = [...root.querySelectorAll(".then-list")]
    .map((l) => [l.scrollHeight, l.clientHeight]);
  return {
    smallest,
    page: [document.documentElement.scrollHeight, window.innerHeight],
    width: [document.documentElement.scrollWidth, window.innerWidth],
    lists,
    fitted: root.dataset.fitted,
    themes: root.querySelectorAll("li.then-theme").length,
    evidence: root.querySelectorAll(".then-evidence li").length,
  };
}"""


@pytest.mark.parametrize(("width", "height", "minimum"), [(1920, 1080, 18), (1280, 720, 14)])
def test_projected_view_fits_the_projector_without_scrolling(
    server, new_context, open_phone, submit_idea, width, height, minimum
):
    """With the demo's earlier themes and today's themes on it, the projected view is no taller
    and no wider than the screen, hides no theme, and every text is at least 18 px at 1080p and
    14 px at 720p."""
    for texts in (IDEAS, MORE_IDEAS):  # two phones: each stays within its idea limit
        phone = open_phone()
        for text in texts:
            expect(submit_idea(phone, text).locator(".badge")).to_have_class("badge sent")
    url = server.board_url.replace(f"/board/{server.code}?", f"/board/{server.code}/then-and-now?")
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(url)
    expect(page.locator("#now-themes li.then-theme").nth(1)).to_be_visible(timeout=60_000)
    expect(page.locator("#then-and-now")).to_have_attribute("data-fitted", re.compile(r"^\d"))
    page.wait_for_timeout(500)  # the chart loaded and the view fitted again
    sizes = page.evaluate(SIZES)
    assert sizes["themes"] >= 8, sizes
    assert sizes["page"][0] <= sizes["page"][1], sizes
    assert sizes["width"][0] <= sizes["width"][1], sizes
    assert all(scroll <= client + 1 for scroll, client in sizes["lists"]), sizes
    assert sizes["smallest"] >= minimum, sizes


def test_then_and_now_pages_pass_axe(server, new_context, open_phone, submit_idea):
    """The projected view and the facilitator's controls, drawn, pass axe-core (WCAG 2.1 AA)."""
    from tests.browser.test_accessibility import serious_violations

    phone = open_phone()
    for text in IDEAS[:3]:
        expect(submit_idea(phone, text).locator(".badge")).to_have_class("badge sent")
    for path in ("board", "facilitate"):
        url = server.board_url.replace(
            f"/board/{server.code}?", f"/{path}/{server.code}/then-and-now?"
        )
        page = new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(url)
        expect(page.locator("#then-themes li.then-theme").first).to_be_visible(timeout=60_000)
        assert serious_violations(page) == [], path
