"""A whole session built through the live protocol: ideas, a paper card, a hidden idea, votes."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from facilitation.models import Idea
from tests.conftest import drain

CATEGORIES = ["IMM", "Universitate", "ONG"]
PHONE_IDEAS = [
    # (category of the phone, question index, text)
    ("IMM", 0, "Finanțare pentru IMM-uri din industriile creative, împreună cu ADR Vest"),
    ("IMM", 0, "Granturi și finanțare pentru start-up-uri culturale"),
    ("IMM", 1, "Fonduri europene pentru IMM-uri din țară"),
    ("Universitate", 1, "Mentorat pentru tineri antreprenori la Universitatea de Vest"),
    ("Universitate", 0, "Programe de mentorat în universități pentru tineri"),
    ("Universitate", 1, "Tinerii au nevoie de mentori din mediul de afaceri"),
    ("ONG", 0, "Turism cultural în centrul istoric, cu ONG-uri locale"),
    ("ONG", 1, "Trasee de turism cultural pentru vizitatori"),
    ("ONG", 0, "<script>alert('x')</script> **turism** [link](http://example.com)"),
]
PAPER_IDEA = "Promovarea turismului cultural al orașului (fișă)"
FORMULA_IDEA = "=SUM(A1:A3) finanțare"
HIDDEN_IDEA = "Idee ascunsă de facilitator: reclamă"


@dataclass
class Lab:
    """A finished session: how to reach it, and what was written in it."""

    code: str
    key: str
    visible_ideas: list[str] = field(default_factory=list)
    hidden_ideas: list[str] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)


def act(client, event, **data):
    """Send an event that must succeed; return its reply."""
    reply = client.emit(event, data, callback=True)
    assert reply["ok"], reply
    return reply


@pytest.fixture
def lab(app, store, workshop, phone, board) -> Lab:
    """Nine phone ideas from three categories, a paper card, a formula-like idea, a hidden idea,
    clustered into themes, then a dot vote by the three phones and one paper ballot."""
    return run_lab(app, store, workshop, phone, board)


def run_lab(app, store, workshop, phone, board) -> Lab:
    """The session of the `lab` fixture, run with the given ways to make phones and boards."""
    controls = board("facilitator")
    act(controls, "set_categories", categories=CATEGORIES)
    phones = {}
    for category in CATEGORIES:
        phones[category] = phone()
        act(phones[category], "set_category", category=category)
    for n, (category, question, text) in enumerate(PHONE_IDEAS):
        act(
            phones[category],
            "submit_idea",
            client_id=f"lab-idea-{n:04d}",
            text=text,
            question_id=workshop.question_ids[question],
        )
    act(controls, "add_paper_idea", client_id="lab-paper-0001", text=PAPER_IDEA)
    act(phones["IMM"], "submit_idea", client_id="lab-formula-1", text=FORMULA_IDEA)
    act(phones["ONG"], "submit_idea", client_id="lab-hidden-1", text=HIDDEN_IDEA)
    app.extensions["clusterer"].recluster(workshop.id)
    with store.read() as db:
        hidden_id = db.scalar(select(Idea.id).where(Idea.text == HIDDEN_IDEA))
    act(controls, "hide_idea", idea_id=hidden_id, hidden=True)
    act(controls, "set_phase", phase="vote")
    ballot = act(phones["IMM"], "get_ballot")
    items = [item["id"] for item in ballot["items"]]
    assert len(items) >= 2, ballot
    act(phones["IMM"], "cast_votes", votes={str(items[0]): 3, str(items[1]): 2})
    act(phones["Universitate"], "cast_votes", votes={str(items[0]): 2})
    act(phones["ONG"], "cast_votes", votes={str(items[1]): 1})
    act(
        controls,
        "record_paper_votes",
        voter="Ion Popescu",
        category="ONG",
        votes={str(items[0]): 1},
    )
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    for client in [controls, *phones.values()]:
        drain(client)
    return Lab(
        code=workshop.code,
        key=workshop.key,
        visible_ideas=[t for _, _, t in PHONE_IDEAS] + [PAPER_IDEA, FORMULA_IDEA],
        hidden_ideas=[HIDDEN_IDEA],
        theme_ids=items,
    )


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def unzip(data: bytes) -> dict[str, bytes]:
    """The files of a zip, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def page_url(lab: Lab, path: str = "action-plan") -> str:
    """An address under the workshop's facilitator pages, with its key."""
    return f"/facilitate/{lab.code}/{path}?key={lab.key}"


def save_plan(client, lab: Lab, **fields) -> None:
    """Submit the action-plan form as a browser would, with the page's own values changed."""
    html = client.get(page_url(lab)).get_data(as_text=True)
    form: dict[str, object] = {"csrf_token": csrf_token(html)}
    theme_ids = re.findall(r'name="theme_ids" value="(\d+)"', html)
    form["theme_ids"] = theme_ids
    form.update(fields)
    response = client.post(page_url(lab), data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
