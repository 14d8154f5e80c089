"""Voting people can trust: the ballot shows what each theme holds, the vote is closed before
its totals are revealed, and each phase has its own countdown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IDEAS = [
    "Hackathon cultural pentru antreprenori tineri",
    "Hackathon de trei zile pentru industriile creative",
    "Finanțare pentru start-up-uri culturale",
    "Granturi mici pentru firme creative la început",
]
COUNTDOWN = re.compile(r"^\d+:\d\d$")


def start_phase(controls, phase: str, minutes: str = "") -> None:
    """Start a phase on the facilitator's page with its own countdown field."""
    controls.fill(f"#minutes-{phase}", minutes)
    controls.click(f".phase-button[data-phase={phase}]")
    expect(controls.locator(f".phase-step[data-phase={phase}]")).to_have_class(
        re.compile(r"\bcurrent\b")
    )


def test_ballot_with_ideas_two_step_close_and_per_phase_countdowns(
    open_phone, facilitator_page, submit_idea
):
    """A whole vote on one phone: phase countdowns never carry over; the ballot opens a theme's
    ideas; closing the vote freezes ballots without totals; revealing shows them."""
    controls = facilitator_page
    voter = open_phone()
    countdown = voter.locator("#countdown")

    start_phase(controls, "write", "5")
    expect(countdown).to_have_text(re.compile(r"^[45]:\d\d$"))
    for text in IDEAS:
        expect(submit_idea(voter, text).locator(".badge")).to_have_class(re.compile(r"\bsent\b"))
    # The next phase, without minutes of its own, has no countdown: nothing carries over.
    start_phase(controls, "group")
    expect(countdown).to_have_text("")
    controls.wait_for_function(
        "() => document.querySelectorAll(\".facilitate-theme:not([data-theme-id='new'])\")"
        ".length >= 1",
        timeout=60_000,
    )
    # The current phase's countdown can be started and stopped.
    controls.fill("#countdown-minutes", "3")
    controls.click("#countdown-form button[type=submit]")
    expect(countdown).to_have_text(re.compile(r"^[23]:\d\d$"))
    controls.click("#stop-countdown")
    expect(countdown).to_have_text("")

    start_phase(controls, "vote", "2")
    expect(countdown).to_have_text(re.compile(r"^[12]:\d\d$"))
    expect(voter.locator("#vote")).to_be_visible()
    item = voter.locator(".ballot-item").first
    expect(item).to_be_visible()
    folded = item.locator("details.ballot-ideas")
    expect(folded.locator("summary")).to_have_text(re.compile(r"^Show \d+ ideas?$"))
    expect(folded.locator("li").first).to_be_hidden()
    folded.locator("summary").click()
    shown = folded.locator("li")
    expect(shown.first).to_be_visible()
    assert set(shown.all_inner_texts()) <= set(IDEAS) and shown.count() >= 1
    # Every idea is in exactly one theme of the ballot.
    every = voter.locator(".ballot-item details.ballot-ideas li")
    assert sorted(every.all_text_contents()) == sorted(IDEAS)
    item.locator("button.add").click()
    expect(voter.locator("#vote-status")).to_have_text("Your votes are saved.")

    # Revealing while people still vote is refused; the reveal button waits for the close.
    expect(controls.locator("#reveal-results")).to_be_disabled()
    controls.click(".phase-button[data-phase=results]")
    expect(controls.locator("#action-message")).to_have_text(re.compile("^Close the vote"))
    expect(voter.locator("#results")).to_be_hidden()

    controls.click("#close-vote")
    expect(voter.locator("#vote-status")).to_have_text(
        "The vote is closed. The results appear when the facilitator reveals them."
    )
    expect(voter.locator(".ballot-item button.add").first).to_be_disabled()
    expect(voter.locator("#results")).to_be_hidden()
    expect(controls.locator("#results")).to_be_hidden()
    expect(controls.locator("#vote-state")).to_contain_text("totals are still hidden")
    expect(countdown).to_have_text(COUNTDOWN)  # the vote's own countdown goes on

    # Staff still type in a paper ballot after the close: the theme the phone chose gets 2 more.
    chosen = item.get_attribute("data-item-id")
    controls.locator("summary", has_text="Paper cards and ballots").click()
    controls.fill("#ballot-voter", "Fișa 12")
    controls.fill(f"#ballot-{chosen}", "2")
    controls.click("#paper-ballot button[type=submit]")
    expect(controls.locator("#action-message")).to_have_text("")

    controls.click("#reveal-results")
    expect(voter.locator("#results")).to_be_visible()
    expect(voter.locator("#results-list li").first).to_contain_text("3 dots")
    expect(countdown).to_have_text("")  # results were given no minutes: no countdown
