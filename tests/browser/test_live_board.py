"""End to end: phones, the projected board and the facilitator's page stay in step, live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SENT = re.compile(r"\bsent\b")
WAITING = re.compile(r"\bwaiting\b")


def exactly(text: str) -> re.Pattern:
    """A pattern that matches an element's whole text, not a part of it."""
    return re.compile("^" + re.escape(text) + "$")


def board_ideas(board: Page, text: str):
    """The board's idea cards whose whole text is text."""
    return board.locator("#themes li.idea").filter(has_text=exactly(text))


def mark_page(page: Page) -> None:
    """Leave a mark in the page's window; a reload would wipe it."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page: Page) -> None:
    """The page still holds the mark set by mark_page: it was updated live, not reloaded."""
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"


def flush_board(phone: Page, board: Page, submit_idea, text: str) -> None:
    """Send one more idea and wait for it on the board: everything sent before it has arrived.

    The server publishes a workshop's events in order on each socket, so once this idea shows,
    any event published earlier (a duplicate, say) has been drawn too.
    """
    expect(submit_idea(phone, text).locator(".badge")).to_have_class(SENT)
    expect(board_ideas(board, text)).to_have_count(1)


def test_idea_from_phone_appears_on_open_board(phone_page, board_page, submit_idea):
    """An idea sent from a phone shows on an open board at once, and as sent on the phone."""
    text = "Finanțare pentru IMM-uri și start-up-uri"
    mark_page(board_page)

    row = submit_idea(phone_page, text)

    expect(board_ideas(board_page, text)).to_have_count(1)
    expect(row.locator(".badge")).to_have_class(SENT)
    expect(row.locator(".badge")).to_have_text("sent")
    expect(row.locator(".my-idea-text")).to_have_text(text)
    assert_not_reloaded(board_page)


def test_idea_resent_after_disconnect_appears_exactly_once(
    phone_page,
    board_page,
    open_board,
    submit_idea,
):
    """An idea sent offline waits, is sent on reconnect, and retries never duplicate it."""
    phone = phone_page
    text = "Mentorat pentru tineri antreprenori în școli (trimis offline)"
    phone.evaluate("window.workshopDebug.socket.disconnect()")
    expect(phone.locator("#connection")).not_to_have_text("Connected")

    row = submit_idea(phone, text)
    expect(row.locator(".badge")).to_have_class(WAITING)
    expect(board_ideas(board_page, text)).to_have_count(0)

    phone.evaluate("window.workshopDebug.socket.connect()")
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(row.locator(".badge")).to_have_class(SENT)
    expect(board_ideas(board_page, text)).to_have_count(1)

    # Retries as a flaky network makes them: the phone's own client id once more, and a new
    # client id sent twice at the same time.
    client_id = row.get_attribute("data-client-id")
    question_id = int(phone.input_value("#question"))
    twice_text = "Bursă locală pentru proiecte culturale (trimisă de două ori)"
    replies = phone.evaluate(
        """async ([clientId, text, twiceText, questionId]) => {
            const emit = (id, t) => window.workshopDebug.socket.timeout(8000)
                .emitWithAck("submit_idea", {client_id: id, text: t, question_id: questionId});
            const twiceId = crypto.randomUUID().replaceAll("-", "");
            return Promise.all([
                emit(clientId, text), emit(twiceId, twiceText), emit(twiceId, twiceText),
            ]);
        }""",
        [client_id, text, twice_text, question_id],
    )
    assert [reply["ok"] for reply in replies] == [True, True, True], replies
    assert replies[0]["duplicate"] is True
    assert sorted(reply["duplicate"] for reply in replies[1:]) == [False, True]

    flush_board(phone, board_page, submit_idea, "Spațiu de coworking pentru tineri (control)")
    expect(board_ideas(board_page, text)).to_have_count(1)
    expect(board_ideas(board_page, twice_text)).to_have_count(1)
    mine = phone.locator("li.my-idea .my-idea-text").filter(has_text=exactly(text))
    expect(mine).to_have_count(1)

    fresh_board = open_board()
    expect(board_ideas(fresh_board, twice_text)).to_have_count(1)
    expect(board_ideas(fresh_board, text)).to_have_count(1)


def test_board_catches_up_after_disconnect(phone_page, board_page, submit_idea):
    """A board that lost its connection shows, once back, every idea sent meanwhile, in order."""
    texts = [
        "Ghișeu unic online pentru autorizații de afaceri (recuperare 1)",
        "Ghișeu unic online pentru finanțări europene (recuperare 2)",
        "Ghișeu unic online pentru voluntariat cultural (recuperare 3)",
    ]
    mark_page(board_page)
    board_page.evaluate("window.workshopDebug.socket.disconnect()")
    expect(board_page.locator("#board")).to_have_attribute("data-connection", "offline")

    for text in texts:
        expect(submit_idea(phone_page, text).locator(".badge")).to_have_class(SENT)
    recovered = board_page.locator("#themes li.idea").filter(has_text="(recuperare ")
    expect(recovered).to_have_count(0)

    board_page.evaluate("window.workshopDebug.socket.connect()")

    expect(board_page.locator("#board")).to_have_attribute("data-connection", "online")
    expect(recovered).to_have_count(3)
    shown = recovered.evaluate_all(
        "cards => cards.map(c => [Number(c.dataset.ideaId), c.textContent])"
    )
    assert [text for _, text in sorted(shown)] == texts, "ideas are not in the order they were sent"
    assert_not_reloaded(board_page)


def test_markup_in_an_idea_is_shown_as_text(phone_page, board_page, submit_idea):
    """An idea made of HTML shows as literal text on the board and the phone; nothing runs."""
    text = "<img src=x onerror=alert(1)><b>bold</b>"
    dialogs: list[str] = []
    for page in (phone_page, board_page):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    row = submit_idea(phone_page, text)

    expect(row.locator(".badge")).to_have_class(SENT)
    expect(board_ideas(board_page, text)).to_have_count(1)
    expect(board_page.locator("#themes img")).to_have_count(0)
    expect(board_page.locator("#themes b")).to_have_count(0)
    expect(row.locator(".my-idea-text")).to_have_text(text)
    expect(phone_page.locator("#my-ideas img, #my-ideas b")).to_have_count(0)
    assert dialogs == []


def test_hidden_idea_leaves_the_board_and_comes_back(
    phone_page,
    board_page,
    facilitator_page,
    submit_idea,
):
    """A hidden idea leaves the open board at once; showing it again brings it back."""
    text = "Reclamă jignitoare care trebuie ascunsă"
    expect(submit_idea(phone_page, text).locator(".badge")).to_have_class(SENT)
    expect(board_ideas(board_page, text)).to_have_count(1)
    mark_page(board_page)
    row = facilitator_page.locator("li.facilitate-idea").filter(
        has=facilitator_page.locator(".idea-text", has_text=exactly(text))
    )

    row.locator("button.hide-button").click()

    expect(row).to_have_class(re.compile(r"\bis-hidden\b"))
    expect(board_ideas(board_page, text)).to_have_count(0)

    row.locator("button.hide-button").click()

    expect(row).not_to_have_class(re.compile(r"\bis-hidden\b"))
    expect(board_ideas(board_page, text)).to_have_count(1)
    assert_not_reloaded(board_page)


def test_closing_submissions_disables_the_phone_send_button(phone_page, facilitator_page):
    """Closing submissions disables Send on an open phone at once; reopening enables it again."""
    send = phone_page.locator("#send")
    toggle = facilitator_page.locator("#toggle-submissions")
    expect(send).to_be_enabled()
    expect(toggle).to_have_text("Close submissions")
    try:
        toggle.click()

        expect(send).to_be_disabled()
        expect(phone_page.locator("#form-message")).to_have_text("Submissions are closed for now.")

        toggle.click()

        expect(send).to_be_enabled()
    finally:
        # Leave the module's workshop open for the tests that follow, whatever happened above.
        facilitator_page.evaluate(
            "window.workshopDebug.socket.emit('set_submissions', {open: true})"
        )


def test_phone_page_has_no_horizontal_scroll(phone_page, submit_idea):
    """At 360 px the phone page, with long ideas listed, never scrolls sideways."""
    long_word = "https://exemplu.ro/" + "finanțare-nerambursabilă-" * 6
    for text in (long_word, "Întâlniri lunare între mentori și elevi de liceu " * 4):
        expect(submit_idea(phone_page, text.strip()).locator(".badge")).to_have_class(SENT)

    width = phone_page.evaluate("document.documentElement.scrollWidth")

    assert phone_page.viewport_size["width"] == 360
    assert width <= 360, f"the phone page is {width} px wide"
