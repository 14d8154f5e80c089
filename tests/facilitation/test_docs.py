"""The docs stay true: every setting, every Socket.IO handler and every event kind is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from facilitation import protocol, settings
from facilitation.extensions import socketio
from facilitation.vocabulary import ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]


def test_settings_page_is_the_generated_settings_table():
    """docs/settings.md is exactly what `facilitation settings --markdown` prints."""
    assert (ROOT / "docs" / "settings.md").read_text() == settings.markdown()


def test_events_page_is_the_generated_event_catalogue():
    """docs/events.md is exactly what `facilitation events --markdown` prints."""
    assert (ROOT / "docs" / "events.md").read_text() == protocol.markdown()


def test_every_socketio_handler_is_declared_in_the_event_catalogue(app):
    """Each event the server handles is declared with a handler, and documented."""
    handled = set(socketio.server.handlers["/"])
    declared = {event.name for event in protocol.EVENTS if event.handler}
    documented = set(
        re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs" / "events.md").read_text(), re.M)
    )
    assert handled, "no handlers registered"
    assert handled == declared
    assert handled - documented == set()


def test_every_declared_handler_accepts_exactly_its_declared_senders():
    """The roles a handler lets through are the senders its declaration names."""
    for event in protocol.EVENTS:
        if event.sent_by == protocol.SERVER:
            assert event.handler is None and event.to, event.name
            continue
        assert set(event.sent_by) <= set(protocol.ROLES), event.name
        assert event.payload and event.reply, event.name
        roles = getattr(event.function(), "roles", protocol.ROLES)
        assert tuple(roles) == event.sent_by, event.name


def test_event_names_are_declared_once_in_a_section():
    """A name is declared once each way (`sync` is both a client event and a server message)."""
    names = [(event.name, event.sent_by == protocol.SERVER) for event in protocol.EVENTS]
    assert len(names) == len(set(names))
    groups = {section.group for section in protocol.SECTIONS}
    assert {event.group for event in protocol.EVENTS} == groups


def test_every_event_kind_recorded_is_in_the_event_catalogue():
    """Each kind of `update` the code records is declared in the catalogue."""
    source = "\n".join(p.read_text() for p in (ROOT / "facilitation").rglob("*.py"))
    kinds = set(re.findall(r'events\.record\(\s*db,\s*\w+,\s*"([a-z_]+)"', source))
    assert kinds, "no event kinds found in the code"
    assert kinds - protocol.update_kinds() == set()


def test_readme_shows_the_two_commands_and_links_the_docs():
    """The README gives make run and make test and links every page in docs/."""
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    for page in ("settings.md", "events.md", "deploying.md", "benchmarks.md"):
        assert f"docs/{page}" in readme
        assert (ROOT / "docs" / page).exists()


def _refusal_codes(path: Path) -> set[str]:
    """The literal codes a file gives refusals: Rejected(message, code), Rejected.counted(...,
    code), a refused connection's Refused(message, code) and a reply's {"code": ...}."""
    codes = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            codes.update(
                value.value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == "code"
                if isinstance(value, ast.Constant) and isinstance(value.value, str)
            )
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        position = {"Rejected": 1, "RateLimited": 1, "Refused": 1, "counted": 3}.get(name)
        if position is None:
            continue
        given = [
            *node.args[position : position + 1],
            *(k.value for k in node.keywords if k.arg == "code"),
        ]
        codes.update(g.value for g in given if isinstance(g, ast.Constant))
    return codes


def test_every_refusal_code_is_declared_in_the_vocabulary():
    """Each code the server refuses with is in vocabulary.ERROR_CODES, so docs/events.md has it."""
    used = set().union(*(_refusal_codes(p) for p in (ROOT / "facilitation").rglob("*.py")))
    assert {"malformed", "over_budget", "room_full", "server"} <= used
    assert used - set(ERROR_CODES) == set()
