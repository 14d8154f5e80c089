"""The pages carry the server's rules (`data-rules`) and build their controls from them: phases,
vote targets and the bounds of the vote rules come from facilitation/vocabulary.py and
facilitation/operations/flow.py, and no script under static/js holds a copy of them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from facilitation import vocabulary
from facilitation.operations import flow

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"


def rules_of(page: str) -> dict:
    """The JSON a page's root element carries in data-rules."""
    return json.loads(html.unescape(re.search(r"data-rules='([^']+)'", page)[1]))


def pages(client, workshop) -> dict[str, str]:
    key = f"key={workshop.key}"
    return {
        "phone": client.get(f"/j/{workshop.code}").get_data(as_text=True),
        "board": client.get(f"/board/{workshop.code}?{key}").get_data(as_text=True),
        "facilitate": client.get(f"/facilitate/{workshop.code}?{key}").get_data(as_text=True),
    }


def test_pages_carry_the_declared_phases_vote_targets_and_vote_bounds(app, workshop):
    """Phone, board and facilitator's page: the same rules, as the server declares them."""
    for name, page in pages(app.test_client(), workshop).items():
        rules = rules_of(page)
        assert rules["phases"] == list(vocabulary.PHASES), name
        assert rules["frozen_phases"] == list(vocabulary.FROZEN_PHASES), name
        assert rules["vote_targets"] == list(vocabulary.VOTE_TARGETS), name
        assert rules["vote_dots"] == {"min": flow.MIN_DOTS, "max": flow.MAX_DOTS}, name
        assert rules["writing_phases"] == ["write", "group"], name


def test_the_pages_follow_a_change_of_the_declared_rules(app, workshop, monkeypatch):
    """Read where they are declared at every page, never copied: another list of phases or
    vote targets, other bounds, and the pages say so (a hardcoded list would not)."""
    monkeypatch.setattr(vocabulary, "PHASES", ("welcome", "write", "vote", "results"))
    monkeypatch.setattr(vocabulary, "VOTE_TARGETS", ("ideas", "themes"))
    monkeypatch.setattr(flow, "MAX_DOTS", 12)
    client = app.test_client()
    page = client.get(f"/facilitate/{workshop.code}?key={workshop.key}").get_data(as_text=True)
    rules = rules_of(page)
    assert rules["phases"] == ["welcome", "write", "vote", "results"]
    assert rules["writing_phases"] == ["write"]
    assert rules["vote_targets"] == ["ideas", "themes"]
    assert re.findall(r'class="phase-button" data-phase="(\w+)"', page) == rules["phases"]
    targets = re.search(r'<select id="vote-target"[^>]*>(.*?)</select>', page, re.S)[1]
    assert re.findall(r'<option value="(\w+)">', targets) == ["ideas", "themes"]
    assert re.search(r'id="vote-budget"[^>]* max="12"', page)


def test_the_facilitators_controls_are_built_from_the_rules(app, workshop):
    """One phase button per phase, named, in order; one choice per vote target, named; the
    vote rule fields bounded as the server bounds them."""
    page = pages(app.test_client(), workshop)["facilitate"]
    buttons = re.findall(r'class="phase-button" data-phase="(\w+)">([^<]*)<', page)
    assert [phase for phase, _ in buttons] == list(vocabulary.PHASES)
    assert all(name.strip() for _, name in buttons)
    targets = re.search(r'<select id="vote-target"[^>]*>(.*?)</select>', page, re.S)[1]
    options = re.findall(r'<option value="(\w+)">([^<]*)<', targets)
    assert [target for target, _ in options] == list(vocabulary.VOTE_TARGETS)
    assert all(name.strip() for _, name in options)
    for field in ("vote-budget", "vote-cap"):
        bounds = f'min="{flow.MIN_DOTS}" max="{flow.MAX_DOTS}"'
        assert re.search(rf'id="{field}"[^>]* {bounds}', page), field


def test_no_script_holds_a_copy_of_the_phases_or_vote_targets():
    """A list of two or more phases (or both vote targets) written in a script is a copy of a
    server rule: scripts read them from the page's data-rules."""
    phases = "|".join(vocabulary.PHASES)
    phase_name = rf"""["'](?:{phases})["']"""
    in_a_list = re.compile(rf"\[[^\]]*{phase_name}[^\]]*{phase_name}[^\]]*\]")
    targets = "|".join(vocabulary.VOTE_TARGETS)
    target_name = rf"""["'](?:{targets})["']"""
    # What a ballot lists comes from the server: no script tells targets apart by name.
    target_rule = re.compile(
        rf"\bvote_target\s*[!=]==?\s*{target_name}|\[[^\]]*{target_name}[^\]]*\]"
    )
    for path in SCRIPTS.rglob("*.js"):
        source = path.read_text(encoding="utf-8")
        assert not in_a_list.search(source), path
        assert ",".join(vocabulary.PHASES) not in source.replace('"', "").replace(" ", "")
        assert not target_rule.search(source), path
