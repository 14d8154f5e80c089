"""Phones write to the question on the board by default and follow it when the facilitator
switches; a person can still choose another question."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import exactly

pytestmark = pytest.mark.browser


def show_on_board(facilitator_page, index: int) -> str:
    """Show the question at this position (1-based; 0: every question); returns its id."""
    select = facilitator_page.locator("#board-question")
    value = select.locator("option").nth(index).get_attribute("value")
    select.select_option(value)
    expect(facilitator_page.locator("#action-message")).to_have_text("")
    return value


def board_ideas(board, text: str):
    return board.locator("#themes li.idea", has_text=exactly(text))


def test_a_phone_follows_the_question_on_the_board(
    open_phone, board_page, facilitator_page, submit_idea
):
    """Question 5 on the board: a new phone writes there, and the board shows the idea; a person
    who picks question 2 writes there; the next switch on the board brings the phone along."""
    fifth = show_on_board(facilitator_page, 5)
    phone = open_phone()
    expect(phone.locator("#question")).to_have_value(fifth)
    expect(phone.locator("#question-follow")).to_have_text("This is the question on the board.")
    fifth_text = phone.locator("#question option").nth(4).get_attribute("data-text")
    expect(phone.locator("#question-text")).to_have_text(fifth_text)

    # Five ideas in a row, as in a room: every one reaches the projected question.
    texts = [f"Răspuns {n} la întrebarea de pe tablă" for n in range(5)]
    for text in texts:
        expect(submit_idea(phone, text).locator(".badge")).to_have_class(re.compile(r"\bsent\b"))
    for text in texts:
        expect(board_ideas(board_page, text)).to_have_count(1)

    # The facilitator switches: the phone, already open, switches too.
    third = show_on_board(facilitator_page, 3)
    expect(phone.locator("#question")).to_have_value(third)
    expect(phone.locator("#question-follow")).to_have_text("The board moved to this question.")
    expect(submit_idea(phone, "Idee la a treia").locator(".badge")).to_have_class(
        re.compile(r"\bsent\b")
    )
    expect(board_ideas(board_page, "Idee la a treia")).to_have_count(1)

    # A person chooses another question: their choice holds, and says it differs from the board.
    second = phone.locator("#question option").nth(1).get_attribute("value")
    phone.select_option("#question", second)
    expect(phone.locator("#question-follow")).to_have_text(
        "You chose a question other than the one on the board."
    )
    expect(submit_idea(phone, "Idee la a doua").locator(".badge")).to_have_class(
        re.compile(r"\bsent\b")
    )
    expect(board_ideas(board_page, "Idee la a treia")).to_have_count(1)
    expect(board_ideas(board_page, "Idee la a doua")).to_have_count(0)
    show_on_board(facilitator_page, 2)
    expect(board_ideas(board_page, "Idee la a doua")).to_have_count(1)
    expect(phone.locator("#question-follow")).to_have_text("This is the question on the board.")

    # The board moves on: the phone comes along again.
    first = show_on_board(facilitator_page, 1)
    expect(phone.locator("#question")).to_have_value(first)
    # Every question on the board: the phone keeps what it has.
    show_on_board(facilitator_page, 0)
    expect(phone.locator("#question")).to_have_value(first)
    expect(phone.locator("#question-follow")).to_have_text("")
    # A reload follows the board too: question 4 is shown, the reloaded phone writes to it.
    fourth = show_on_board(facilitator_page, 4)
    phone.reload()
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.locator("#question")).to_have_value(fourth)
