"""End to end: a mixed-language rehearsal of 40 ideas, grouped on the projected board by meaning,
in a few themes with names a room can read aloud."""

from __future__ import annotations

import re

import pytest
import requests
import socketio
from playwright.sync_api import expect

from analysis import embedding
from tests.analysis.rehearsal import IDEAS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not embedding.available(), reason="the semantic model is not installed"),
]
# Ideas one phone sends here: under the default per-device limit.
PER_PHONE = 8


def send_rehearsal(server) -> None:
    """Five phones send the rehearsal's ideas, eight each, through the real Socket.IO endpoint."""
    for start in range(0, len(IDEAS), PER_PHONE):
        cookie = requests.get(f"{server.base}/j/{server.code}", timeout=10).cookies["session"]
        client = socketio.Client(reconnection=False)
        client.connect(
            server.base,
            headers={"Cookie": f"session={cookie}"},
            auth={"code": server.code, "role": "phone"},
            wait_timeout=10,
        )
        try:
            for n, text in enumerate(IDEAS[start : start + PER_PHONE], start=start):
                reply = client.call(
                    "submit_idea", {"client_id": f"rehearsal-{n:04d}", "text": text}, timeout=20
                )
                assert reply["ok"], reply
        finally:
            client.disconnect()


def board_grouping(page) -> dict[str, dict]:
    """Each theme on the board: its shown name and the texts of its ideas."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#themes section.theme')]
            .filter((s) => s.dataset.themeId !== 'new')
            .map((s) => [s.dataset.themeId, {
                name: s.querySelector('.theme-name span').textContent,
                ideas: [...s.querySelectorAll('li.idea')].map((li) => li.firstChild.textContent),
            }]))"""
    )


def test_a_mixed_language_rehearsal_is_grouped_by_meaning_with_readable_names(server, board_page):
    send_rehearsal(server)
    # Every idea shows at once; its theme follows with the next re-clustering.
    expect(board_page.locator("#themes li.idea")).to_have_count(len(IDEAS))
    expect(board_page.locator('#themes section.theme[data-theme-id="new"]')).to_have_count(
        0, timeout=60_000
    )
    themes = board_grouping(board_page)
    assert 4 <= len(themes) <= 7, themes
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
