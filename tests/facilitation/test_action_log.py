"""The action log reads as sentences in the page's language, for every kind of action recorded."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

from sqlalchemy import select

from facilitation.board.action_log import SENTENCES
from facilitation.models import FacilitatorAction, Idea, Theme
from tests.facilitation.test_facilitator_actions import IDEAS, add_ideas

ROOT = Path(__file__).resolve().parents[2]


def recorded_action_kinds() -> set[str]:
    """Every action name the operations can write to the log, read from their code: the action
    argument of `audit.record(db, workshop, ACTION, ...)` and of `set_switch(..., ACTION)`."""
    kinds: set[str] = set()
    for path in (ROOT / "facilitation" / "operations").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            owner = getattr(func.value, "id", None) if isinstance(func, ast.Attribute) else None
            if name == "record" and owner == "audit" and len(node.args) >= 3:
                action = node.args[2]
            elif name == "set_switch" and len(node.args) >= 6:
                action = node.args[5]
            else:
                continue
            kinds.update(
                c.value
                for c in ast.walk(action)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            )
    return kinds


def test_every_recorded_kind_of_action_has_its_sentence():
    kinds = recorded_action_kinds()
    assert {"rename_theme", "set_submissions", "hide_idea", "undo"} <= kinds, kinds
    assert kinds - set(SENTENCES) == set()


def log_rows(app, workshop, lang: str) -> list[tuple[str, str]]:
    """(action kind, sentence shown) for every row of the log page, in lang."""
    client = app.test_client()
    client.set_cookie("lang", lang)
    page = client.get(f"/facilitate/{workshop.code}/log?key={workshop.key}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in text
    rows = re.findall(
        r'<tr data-action="([a-z_]+)">.*?<td class="action-sentence">(.*?)</td>', text, re.S
    )
    return [(kind, html.unescape(sentence)) for kind, sentence in rows]


def test_a_session_of_actions_reads_as_sentences_in_romanian_and_english(
    app, phone, board, store, workshop
):
    """Each action the facilitator took is one sentence naming what it touched, in the page's
    language, with no code or JSON; undone actions are marked."""
    add_ideas(phone, IDEAS)
    assert app.extensions["clusterer"].recluster(workshop.id)
    with store.read() as db:
        themes = list(db.scalars(select(Theme.id).where(Theme.retired.is_(False))))
        ideas = list(db.scalars(select(Idea.id).order_by(Idea.id)))
    controls = board("facilitator")

    def act(event, **data):
        reply = controls.emit(event, data, callback=True)
        assert reply["ok"], (event, reply)

    act("rename_theme", theme_id=themes[0], name="Finanțare pentru IMM-uri")
    act("lock_theme", theme_id=themes[0], locked=True)
    act("lock_theme", theme_id=themes[0], locked=False)
    act("move_idea", idea_id=ideas[-1], theme_id=themes[0])
    act("hide_idea", idea_id=ideas[1], hidden=True, reason="dublură")
    act("hide_idea", idea_id=ideas[1], hidden=False)
    act("merge_ideas", idea_id=ideas[0], duplicate_ids=[ideas[2]])
    act("undo")
    act("merge_themes", theme_ids=themes[:2], into=themes[0])
    act("set_theme_range", min=2, max=6)
    act("set_submissions", open=False)
    act("set_submissions", open=True)
    act("set_joining", open=False)
    act("set_revealed", revealed=False)
    act("set_revealed", revealed=True)
    act("show_question", question_id=workshop.question_ids[1])
    act("show_question", question_id=None)
    act("set_vote_rules", target="ideas", budget=4, cap=2)
    act("set_categories", categories=["IMM", "Universitate"])
    act("set_word_list", words=["prost"])
    act("set_phase", phase="write", seconds=300)
    act("set_phase", phase="vote")
    act("set_late_voters", allowed=True)
    with store.read() as db:
        logged = list(db.scalars(select(FacilitatorAction.action).order_by(FacilitatorAction.id)))

    english = log_rows(app, workshop, "en")
    romanian = log_rows(app, workshop, "ro")

    assert [kind for kind, _ in english] == logged
    assert [kind for kind, _ in romanian] == logged
    for (kind, en), (_, ro) in zip(english, romanian, strict=True):
        for sentence in (en, ro):
            assert sentence[0].isupper() and sentence.rstrip("”").endswith((".", "”")), sentence
            assert not re.search(r"[{}\[\]_]|%\(|\b(None|True|False|null)\b", sentence), sentence
        assert en != ro, f"{kind} is not translated: {en}"
    said = dict(english)
    assert said["rename_theme"] == "Renamed the theme to “Finanțare pentru IMM-uri”."
    assert "“Finanțare pentru IMM-uri”" in said["lock_theme"]
    assert "(reason: dublură)" in said["hide_idea"]
    assert "5:00" in english[logged.index("set_phase")][1]
    assert said["undo"].startswith("Undid this earlier action: Merged “")
    ro_said = dict(romanian)
    assert ro_said["rename_theme"] == "A redenumit tema în „Finanțare pentru IMM-uri”."
    assert all("“" not in sentence for _, sentence in romanian)
