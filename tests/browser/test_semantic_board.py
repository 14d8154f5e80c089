"""End to end: a mixed-language rehearsal of 40 ideas, grouped on the projected board by meaning,
in a few themes with names a room can read aloud."""

from __future__ import annotations

import re

import pytest

from analysis import embedding
from tests.analysis.rehearsal import IDEAS
from tests.browser.room import phone_client

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not embedding.available(), reason="the semantic model is not installed"),
]
# Ideas one phone sends here: under the default per-device limit.
PER_PHONE = 8


def send_rehearsal(server) -> None:
    """Five phones send the rehearsal's ideas, eight each, through the real Socket.IO endpoint."""
    for start in range(0, len(IDEAS), PER_PHONE):
        client = phone_client(server)
        try:
            for n, text in enumerate(IDEAS[start : start + PER_PHONE], start=start):
                reply = client.call(
                    "submit_idea", {"client_id": f"rehearsal-{n:04d}", "text": text}, timeout=20
                )
                assert reply["ok"], reply
        finally:
            client.disconnect()


def board_grouping(page) -> dict[str, dict]:
    """Each theme on the board: its shown name and the texts of its ideas (all of them, also
    those a full board shows in turn rather than at once)."""
    return page.evaluate(
        """() => Object.fromEntries(window.workshopDebug.groups()
            .filter((g) => g.key !== 'new')
            .map((g) => [g.key, {name: g.name, ideas: g.ideas}]))"""
    )


def test_a_mixed_language_rehearsal_is_grouped_by_meaning_with_readable_names(server, board_page):
    send_rehearsal(server)
    # Every idea shows at once; its theme follows with the next re-clustering.
    board_page.wait_for_function(f"() => window.workshopDebug.ideaCount() === {len(IDEAS)}")
    board_page.wait_for_function(
        "() => !window.workshopDebug.groups().some((g) => g.key === 'new')", timeout=60_000
    )
    # The names the room reads are the ones on the board.
    shown = board_page.locator("#themes .theme-name > span:first-child").all_inner_texts()
    themes = board_grouping(board_page)
    assert 4 <= len(themes) <= 7, themes
    assert {theme["name"] for theme in themes.values()} <= set(shown), shown
    theme_of = {idea: key for key, theme in themes.items() for idea in theme["ideas"]}
    assert len(theme_of) == len(IDEAS)
    for romanian, english in (
        (
            "Autobuze de noapte după concerte și festivaluri",
            "Night buses after big cultural events",
        ),
        (
            "Spații de coworking ieftine pentru artiști și start-up-uri",
            "More affordable coworking spaces for creative start-ups",
        ),
    ):
        assert theme_of[romanian] == theme_of[english], themes
    for theme in themes.values():
        name = theme["name"]
        assert "·" not in name and 1 <= len(name.split()) <= 4, name
        assert len(theme["ideas"]) >= 3, theme
        # A phrase of one of its own ideas, as typed.
        assert any(name.lower() in idea.lower() for idea in theme["ideas"]), theme
        assert re.match(r"^[A-ZĂÂÎȘȚ]", name), name
