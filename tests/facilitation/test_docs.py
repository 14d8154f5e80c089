"""The docs stay true: every setting, every Socket.IO handler and every event kind is documented."""

from __future__ import annotations

import re
from pathlib import Path

from facilitation import settings
from facilitation.extensions import socketio

ROOT = Path(__file__).resolve().parents[2]


def test_settings_page_is_the_generated_settings_table():
    """docs/settings.md is exactly what `facilitation settings --markdown` prints."""
    assert (ROOT / "docs" / "settings.md").read_text() == settings.markdown()


def test_every_socketio_handler_is_in_the_event_catalogue(app):
    """Each event the server handles has a row in docs/events.md."""
    handled = set(socketio.server.handlers["/"])
    documented = set(
        re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs" / "events.md").read_text(), re.M)
    )
    assert handled, "no handlers registered"
    assert handled - documented == set()


def test_every_event_kind_recorded_is_in_the_event_catalogue():
    """Each kind of `update` the code records has a row in docs/events.md."""
    source = "\n".join(p.read_text() for p in (ROOT / "facilitation").rglob("*.py"))
    kinds = set(re.findall(r'events\.record\(\s*db,\s*\w+,\s*"([a-z_]+)"', source))
    documented = set(
        re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs" / "events.md").read_text(), re.M)
    )
    assert kinds, "no event kinds found in the code"
    assert kinds - documented == set()


def test_readme_shows_the_two_commands_and_links_the_docs():
    """The README gives make run and make test and links every page in docs/."""
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    for page in ("settings.md", "events.md", "deploying.md", "benchmarks.md"):
        assert f"docs/{page}" in readme
        assert (ROOT / "docs" / page).exists()
