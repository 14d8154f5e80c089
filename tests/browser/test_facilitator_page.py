"""The facilitator's page with a full room (450 ideas): themes fold, ideas can be searched and
filtered, and the main controls stay in reach at any scroll."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import exactly

pytestmark = pytest.mark.browser

ROOM = 450
PHONE_IDEAS = [
    "Sănătate mintală pentru antreprenorii tineri din industriile creative",
    "Un fond local pentru festivaluri de cartier, cu reguli simple",
    "Ateliere de design în școli, cu profesioniști din oraș",
    "Transport public gratuit în serile cu evenimente culturale",
    "Mentorat între firme mari și start-up-uri culturale",
]
TOPICS = [
    "finanțare nerambursabilă pentru start-up-uri culturale",
    "spații de coworking pentru tineri în clădiri vechi",
    "sanatate si sport in parcurile orasului",
    "turism cultural cu ghizi din cartierele istorice",
    "parteneriate între universități și IMM-uri",
    "digitalizarea arhivelor și a muzeelor locale",
    "educație antreprenorială în licee",
    "festivaluri de artă stradală în fiecare cartier",
    "un hackathon anual pentru industriile creative",
]


def paper_text(n: int) -> str:
    """A realistic idea of 60 to 200 characters, different for every n."""
    topic = TOPICS[n % len(TOPICS)]
    detail = " și ".join(TOPICS[(n * 7 + k) % len(TOPICS)] for k in range(n % 3))
    text = f"Propunerea {n}: {topic}" + (f", legată de {detail}" if detail else "") + "."
    return text[:200]


def wait_for_settled_themes(page, quiet_seconds: float = 4, timeout: float = 90) -> None:
    """Wait until every idea shown has a theme, there are two themes or more, and the themes' names
    and sizes have not changed for quiet_seconds (the worker re-clusters every second while
    ideas arrive, and may rename themes until it has seen them all)."""
    signature = """() => {
        const state = window.workshopDebug.state;
        const ideas = [...state.ideas.values()].filter((i) => !i.hidden && !i.held);
        if (ideas.some((idea) => idea.theme_id == null) || state.themes.size < 2) return null;
        const sizes = {};
        for (const idea of ideas) sizes[idea.theme_id] = (sizes[idea.theme_id] || 0) + 1;
        return JSON.stringify([...state.themes.values()].map((t) => [t.id, t.name, sizes[t.id]]));
    }"""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate(signature)
        if now is None or now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return
        # Polling interval of a bounded wait, not a wait for something to happen.
        time.sleep(0.25)
    raise AssertionError(f"the themes did not settle within {timeout} s: {last}")


def fill_the_room(page, phone, submit_idea, question_ids: list[str]) -> None:
    """Five ideas from a phone and the rest typed in from paper cards, two questions."""
    for text in PHONE_IDEAS:
        expect(submit_idea(phone, text).locator(".badge")).to_have_class(re.compile(r"\bsent\b"))
    cards = [
        {
            "client_id": f"card-{n:05d}",
            "text": paper_text(n),
            "question_id": int(question_ids[n % 2]),
        }
        for n in range(ROOM - len(PHONE_IDEAS))
    ]
    # Sent in groups of 25 without waiting for each reply, as staff typing at several laptops
    # would; every card is still acknowledged.
    replies = page.evaluate(
        """async (cards) => {
            const replies = [];
            const socket = window.workshopDebug.socket;
            for (let start = 0; start < cards.length; start += 25) {
                const group = cards.slice(start, start + 25).map(
                    (card) => socket.timeout(15000).emitWithAck("add_paper_idea", card));
                replies.push(...await Promise.all(group));
            }
            return replies;
        }""",
        cards,
    )
    assert all(reply["ok"] for reply in replies), [r for r in replies if not r["ok"]][:3]


def test_450_ideas_fold_search_filter_and_controls_stay_in_reach(
    facilitator_page, open_phone, submit_idea
):
    """A full room on the facilitator's page at 1280x900."""
    page = facilitator_page
    phone = open_phone()
    questions = [
        page.locator("#question-filter option").nth(k).get_attribute("value") for k in (1, 2)
    ]
    phone.select_option("#question", questions[0])
    fill_the_room(page, phone, submit_idea, questions)
    rows = page.locator("li.facilitate-idea")
    expect(rows).to_have_count(ROOM, timeout=30_000)

    # Search ignores case and diacritics.
    page.fill("#idea-search", "SANATATE")
    sanatate = [paper_text(n) for n in range(ROOM - 5) if "sanatate" in paper_text(n)]
    expected = len(sanatate) + 1  # and the phone's "Sănătate mintală …"
    expect(rows).to_have_count(expected)
    expect(page.locator("#filter-count")).to_have_text(f"Ideas shown: {expected} of {ROOM}")
    expect(rows.filter(has_text=PHONE_IDEAS[0])).to_have_count(1)
    page.fill("#idea-search", "nimic de găsit aici")
    expect(page.locator("#filter-count")).to_have_text("No idea matches.")
    page.fill("#idea-search", "")
    expect(page.locator("#filter-count")).to_have_text("")

    # Filters: paper cards, one question.
    page.select_option("#idea-filter", "paper")
    expect(rows).to_have_count(ROOM - 5)
    page.select_option("#idea-filter", "all")
    page.select_option("#question-filter", questions[1])
    on_second = sum(1 for n in range(ROOM - 5) if n % 2 == 1)
    expect(rows).to_have_count(on_second)
    page.select_option("#question-filter", "")

    # Hide two ideas, a reason for the first only: the reason does not carry over.
    first = rows.filter(has=page.locator(".idea-text", has_text=exactly(PHONE_IDEAS[1])))
    second = rows.filter(has=page.locator(".idea-text", has_text=exactly(PHONE_IDEAS[2])))
    reason = "În afara temei acestei întrebări, discutăm la final, cu toată sala de atelier"
    page.fill("#hide-reason", reason)
    first.locator("button.hide-button").click()
    expect(first.locator(".badge")).to_have_text(f"hidden: {reason}")
    expect(page.locator("#hide-reason")).to_have_value("")
    second.locator("button.hide-button").click()
    expect(second.locator(".badge")).to_have_text("hidden")
    page.select_option("#idea-filter", "hidden")
    expect(rows).to_have_count(2)
    # A hidden idea's text keeps the row's width: never one word per line.
    text_box = first.locator(".idea-text").bounding_box()
    row_box = first.bounding_box()
    assert text_box["width"] >= 0.9 * row_box["width"], (text_box, row_box)
    line = first.locator(".idea-text").evaluate("n => parseFloat(getComputedStyle(n).lineHeight)")
    assert text_box["height"] <= 2.5 * line, text_box
    page.select_option("#idea-filter", "all")

    # Moving an idea: its menu lists every theme once it is used (once the worker has grouped
    # the whole room and stopped renaming its themes).
    wait_for_settled_themes(page)
    moved = rows.filter(has=page.locator(".idea-text", has_text=exactly(PHONE_IDEAS[3])))
    menu = moved.locator("select.move-select")
    menu.focus()
    expect(menu).to_have_attribute("data-filled", "1")
    assert menu.locator("option").count() >= page.locator("section.facilitate-theme").count() >= 2
    target = menu.locator("option").nth(1)
    target_id, target_name = target.get_attribute("value"), target.inner_text()
    menu.select_option(target_id)
    section = page.locator(f"section.facilitate-theme[data-theme-id='{target_id}']")
    expect(section.locator(".idea-text", has_text=exactly(PHONE_IDEAS[3]))).to_have_count(1)
    # Its menu now says where it is; the theme kept its name and its other ideas (placing one
    # idea by hand does not empty the theme it joins).
    expect(moved.locator("select.move-select")).to_have_value(target_id)
    chosen = "s => s.options[s.selectedIndex].text"
    assert moved.locator("select.move-select").evaluate(chosen) == target_name
    size = section.locator("li.facilitate-idea").count()
    assert size > 2
    wait_for_settled_themes(page)  # the next rounds of the worker keep it so
    expect(section.locator("form.rename input[name=name]")).to_have_value(target_name)
    expect(section.locator("li.facilitate-idea")).to_have_count(size)
    expect(moved.locator("select.move-select")).to_have_value(target_id)

    # Held for review: the filter lists them, with their review buttons.
    page.locator("summary", has_text="Moderation").click()
    page.fill("#word-list", "interzis")
    page.click("#word-list-form button[type=submit]")
    expect(page.locator("#action-message")).to_have_text("")
    submit_idea(phone, "Un cuvânt interzis în idee")
    page.select_option("#idea-filter", "held")
    held = page.locator("#themes li.held-idea")
    expect(held).to_have_count(1)
    expect(held).to_contain_text("Un cuvânt interzis în idee")
    page.select_option("#idea-filter", "all")

    # Folded themes: the page is short; unfolded, it is long, and the bar stays in reach.
    page.click("#expand-all")
    expect(rows).to_have_count(ROOM)
    tall = page.evaluate("document.documentElement.scrollHeight")
    page.click("#collapse-all")
    expect(rows).to_have_count(0)
    short = page.evaluate("document.documentElement.scrollHeight")
    assert short * 4 < tall, (short, tall)  # folded: the themes' headings only
    themes = page.locator("section.facilitate-theme")
    assert themes.count() >= 2
    expect(themes.first.locator(".theme-count")).to_have_text(re.compile(r"^\d+ ideas?$"))
    # A folded theme opens alone, and stays open through live updates.
    themes.first.locator(".collapse-button").click()
    expect(themes.first.locator("li.facilitate-idea").first).to_be_visible()
    expect(themes.first.locator(".collapse-button")).to_have_attribute("aria-expanded", "true")
    page.click("#expand-all")

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    bar = page.locator("#sticky-bar").bounding_box()
    assert 0 <= bar["y"] <= 1 and bar["height"] < 300, bar
    for control in ("#toggle-submissions", "#undo", "#idea-search", "#current-phase"):
        box = page.locator(control).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900, (control, box)
    page.click("#toggle-submissions")
    expect(page.locator("#submissions-state")).to_have_text("Submissions are closed")
    expect(phone.locator("#send")).to_be_disabled()
    page.click("#toggle-submissions")
    expect(phone.locator("#send")).to_be_enabled()


def test_stakeholder_categories_reach_an_open_phone_without_a_reload(facilitator_page, open_phone):
    """The facilitator types categories; a phone already open offers them at once."""
    phone = open_phone()
    expect(phone.locator("#category-box")).to_be_hidden()
    facilitator_page.locator("summary", has_text="Vote rules and categories").click()
    facilitator_page.fill("#categories", "IMM\nUniversitate\nONG")
    facilitator_page.click("#categories-form button[type=submit]")
    expect(phone.locator("#category-box")).to_be_visible()
    expect(phone.locator("#category option")).to_have_text(
        ["Prefer not to say", "IMM", "Universitate", "ONG"]
    )
    phone.select_option("#category", "ONG")
    facilitator_page.fill("#categories", "IMM\nONG")
    facilitator_page.click("#categories-form button[type=submit]")
    expect(phone.locator("#category option")).to_have_text(["Prefer not to say", "IMM", "ONG"])
    expect(phone.locator("#category")).to_have_value("ONG")


KEPT = "#themes section.facilitate-theme, li.facilitate-idea"


def test_a_new_idea_adds_its_row_and_leaves_the_rest_of_the_page_in_place(facilitator_page):
    """A busy room redraws this page many times a second: an idea arriving inserts its own row
    and updates a count, and every other theme section and idea row stays the same element (a
    rebuilt section would make the browser lay out all its rows again)."""
    page = facilitator_page
    cards = [
        {"client_id": f"place-{n:05d}", "text": f"{TOPICS[n % 3]}, varianta {n}"} for n in range(12)
    ]
    send = """async (cards) => Promise.all(cards.map((card) =>
        window.workshopDebug.socket.timeout(15000).emitWithAck("add_paper_idea", card)))"""
    replies = page.evaluate(send, cards)
    assert all(reply["ok"] for reply in replies), replies[:2]
    wait_for_settled_themes(page, quiet_seconds=2)
    # Themes renamed by hand and locked keep their names and ideas, so that no re-clustering
    # rebuilds a section or a row (which shows its theme's name) meanwhile.
    locked = page.evaluate(
        """async () => {
            const debug = window.workshopDebug;
            const ids = [...debug.state.themes.keys()];
            const ask = (event, data) => debug.socket.timeout(15000).emitWithAck(event, data);
            const replies = await Promise.all(ids.flatMap((id) => [
                ask("rename_theme", {theme_id: id, name: "Tema " + id}),
                ask("lock_theme", {theme_id: id, locked: true}),
            ]));
            return replies.every((reply) => reply.ok) && ids.length;
        }"""
    )
    assert locked >= 2
    expect(page.locator("section.facilitate-theme.is-locked")).to_have_count(locked)
    names = page.locator("section.facilitate-theme form.rename input")
    expect(names).to_have_count(locked)
    for n in range(locked):
        expect(names.nth(n)).to_have_value(re.compile(r"^Tema \d+$"))
    expect(page.locator("li.facilitate-idea", has_text=cards[-1]["text"])).to_have_count(1)
    ideas = page.locator("li.facilitate-idea").count()
    marked = page.evaluate(
        """(selector) => {
            const nodes = document.querySelectorAll(selector);
            for (const node of nodes) node.keptMark = true;
            return nodes.length;
        }""",
        KEPT,
    )
    assert marked == locked + 1 + ideas  # the "new" section is there, empty

    card = {"client_id": "place-final", "text": "O idee nouă despre altceva: bănci în parc"}
    assert page.evaluate(send, [card])[0]["ok"]
    expect(page.locator("li.facilitate-idea", has_text=card["text"])).to_have_count(1)
    still = page.evaluate(
        "(selector) => [...document.querySelectorAll(selector)].filter((n) => n.keptMark).length",
        KEPT,
    )
    assert still == marked
    # textContent: sections far off screen are not rendered, so they have no inner text.
    counts = page.locator("section.facilitate-theme .theme-count").all_text_contents()
    numbers = [int(n) for c in counts for n in re.findall(r"\d+", c)]
    assert sum(numbers) == ideas + 1, counts
