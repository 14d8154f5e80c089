"""The draft action plan: what staff chose and edited, and what the session suggests.

Staff pick the themes that become actions and edit each action's six fields (Interreg Europe
template, Part III); Part I and Part II are per-workshop settings. Until staff save, everything
is suggested from the session: the top-voted themes become actions, their background tells where
they came from, their action lists the most supported ideas, their players are the stakeholder
categories involved and the organisations participants named.

`previous_session_link` is the hook for the comparison with a previous session (built
separately): empty when there is none, and the document then says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitation import validation
from facilitation.exports import labels as label_table
from facilitation.exports.labels import quoted
from facilitation.exports.statistics import visible
from facilitation.operations.errors import Rejected
from facilitation.vocabulary import ACTION_FIELDS, GENERAL_PARTS, LANGUAGES

GENERAL_FIELDS = tuple(name for names in GENERAL_PARTS.values() for name in names)
# Lines of the editor's box for each field of an action but its one-line title.
ACTION_ROWS = {
    "background": 6,
    "previous_session_link": 2,
    "action": 8,
    "players": 3,
    "timeframe": 3,
    "costs": 2,
    "funding": 2,
}
# Defaults for the first user, Timișoara City Hall in ECoC-SME.
DEFAULT_GENERAL = {
    "en": {
        "project": "ECoC-SME (PGI06047)",
        "partner": "Timișoara City Hall",
        "other_partners": "",
        "country": "Romania",
        "region": "Vest (RO42)",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "instrument_kind": "Investment for Growth and Jobs programme",
        "instrument_name": "Regional Operational Programme 2014-2020, priority axis 2 "
        "(SME competitiveness)",
    },
    "ro": {
        "project": "ECoC-SME (PGI06047)",
        "partner": "Primăria Municipiului Timișoara",
        "other_partners": "",
        "country": "România",
        "region": "Vest (RO42)",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "instrument_kind": "Program de investiții pentru creștere economică și locuri de muncă",
        "instrument_name": "Programul Operațional Regional 2014-2020, axa prioritară 2 "
        "(Îmbunătățirea competitivității întreprinderilor mici și mijlocii)",
    },
}
SUGGESTED_ACTIONS = 3
TOP_IDEAS = 5
MAX_GENERAL = 500
MAX_LABEL = 200
MAX_ACTION_FIELD = 10000
MAX_PLAYERS = 12


def date_text(date: str | None, language: str) -> str:
    """' (20 January 2020)' in the document's language, or '' without a date."""
    if not date:
        return ""
    return f" ({format_date(dt.date.fromisoformat(date), 'long', locale=language)})"


# ---- Suggestions from the session -----------------------------------------------------------


def _idea_dots(archive: Any) -> dict[int, int]:
    """Dots per idea, from the results."""
    return {r["id"]: r["dots"] for r in archive.results if r["kind"] == "idea"}


def theme_members(archive: Any) -> dict[int, list[Any]]:
    """Visible ideas per theme id (merged duplicates left out: they show with their idea)."""
    members: dict[int, list[Any]] = {}
    for idea in archive.ideas:
        if visible(idea) and idea.merged_into_id is None and idea.theme_id is not None:
            members.setdefault(idea.theme_id, []).append(idea)
    return members


def ranked_themes(archive: Any) -> list[dict[str, Any]]:
    """Live themes with ideas, most dots first, then most ideas: the order of the actions."""
    members = theme_members(archive)
    theme_results = {r["id"]: r for r in archive.results if r["kind"] == "theme"}
    idea_dots = _idea_dots(archive)
    rows = []
    for theme in archive.themes:
        ideas = members.get(theme.id, [])
        if theme.retired or not ideas:
            continue
        result = theme_results.get(theme.id)
        dots = result["dots"] if result else sum(idea_dots.get(i.id, 0) for i in ideas)
        rows.append({"theme": theme, "ideas": ideas, "dots": dots, "result": result})
    rows.sort(key=lambda r: (-r["dots"], -len(r["ideas"]), r["theme"].position))
    return rows


ACRONYM = re.compile(
    r"\b[A-ZĂÂÎȘȚŞŢ]{2,}(?:[a-z][A-Z]+)?\b(?:-[a-zăâîșțşţ]+)?"
    r"(?:\s+[A-ZĂÂÎȘȚŞŢ][a-zăâîșțşţ]+(?![-\w]))?"
)
CAPITALISED = re.compile(
    r"\b[A-ZĂÂÎȘȚŞŢ][\wăâîșțşţ&.-]+(?:\s+(?:(?:de|din|al|a|și|si|of|for|and|the)\s+)?"
    r"(?:[A-ZĂÂÎȘȚŞŢ][\wăâîșțşţ&.-]+|\d{4}))+"
)
GENERIC = (
    (re.compile(r"\buniversit", re.I), "universities"),
    (re.compile(r"\b(?:școl|şcol|scol|school|licee|liceu)", re.I), "schools"),
    (re.compile(r"\b(?:ONG|NGO)", re.I), "ngos"),
)
# Words in capitals that name the programme or a sector, not an organisation.
NOT_PLAYERS = {"CEaC", "ECoC", "IT", "TIC", "IT&C", "ICC", "UE", "EU", "IMM", "SME", "POR", "ROP"}


def named_players(texts: list[str], language: str) -> list[str]:
    """Organisations named in ideas: acronyms (ADR Vest, ONG), capitalised names, universities.

    A heuristic that staff correct: most frequent first, at most a dozen.
    """
    words = label_table.texts(language)
    found: Counter[str] = Counter()
    for text in texts:
        names: list[str] = []
        for match in ACRONYM.finditer(text):
            name = match.group(0)
            base = name.split("-")[0]
            if base.split()[0] in NOT_PLAYERS or base in NOT_PLAYERS:
                continue
            names.append(base if "-" in name else name)
        for match in CAPITALISED.finditer(text):
            if not any(match.group(0) in n or n in match.group(0) for n in names):
                names.append(match.group(0))
        for pattern, key in GENERIC:
            if pattern.search(text) and not (key == "ngos" and any("ONG" in n for n in names)):
                names.append(words[key])
        found.update(dict.fromkeys(names, 1))
    return [name for name, _ in found.most_common(MAX_PLAYERS)]


def previous_session_link(archive: Any, theme_id: int, language: str) -> str:
    """How a theme relates to the previous session, from the comparison; "" without one."""
    comparison = archive.previous_session or {}
    for row in comparison.get("current_themes") or []:
        if row.get("theme_id") != theme_id:
            continue
        words = label_table.texts(language)
        about = comparison.get("previous_session") or {}
        if row.get("status") == "recurring" and row.get("matches"):
            trend = words.get(f"trend_{row.get('trend')}", "") if row.get("trend") else ""
            if not trend and "ideas_then" in row and "ideas" in row:
                # The count and the share disagree: both numbers, no word (docs/comparison.md).
                trend = words["then_now"].format(then=row["ideas_then"], now=row["ideas"])
            return words["link_recurring"].format(
                title=about.get("title") or "",
                themes="; ".join(quoted(m, language) for m in row["matches"]),
                trend=f" ({trend})" if trend else "",
            )
        return words["link_new"].format(title=about.get("title") or "")
    return ""


def theme_voters(archive: Any, row: dict[str, Any]) -> int:
    """How many people (phones and paper ballots) gave dots to a theme or to its ideas."""
    if row["result"]:
        return row["result"]["voters"]
    ids = {i.id for i in row["ideas"]}
    ids |= {i.id for i in archive.ideas if i.merged_into_id in ids}
    return len(
        {
            (v.participant_id, v.ballot)
            for v in archive.votes
            if v.target_kind == "idea" and v.target_id in ids and v.dots > 0
        }
    )


def dots_from_voters(archive: Any, row: dict[str, Any], language: str) -> str:
    """'9 dots from 5 voters' for a ranked theme, each count with its plural form."""
    return label_table.texts(language)["dots_from_voters"].format(
        dots=label_table.dots(language, row["dots"]),
        voters=label_table.voters(language, theme_voters(archive, row)),
    )


def suggest_action(archive: Any, row: dict[str, Any], language: str) -> dict[str, Any]:
    """The six fields of one action, prefilled from its theme, ideas and votes."""
    words = label_table.texts(language)
    idea_dots = _idea_dots(archive)
    top = _top_ideas(row, idea_dots)
    return {
        "theme_id": row["theme"].id,
        "chosen": False,
        "title": row["theme"].name,
        "background": " ".join(_background(archive, row, top, language)),
        "previous_session_link": previous_session_link(archive, row["theme"].id, language),
        "action": "\n".join(_proposed_action(top, idea_dots, language)),
        "players": "\n".join(_players(archive, row, language)),
        "timeframe": words["timeframe_default"],
        "costs": "",
        "funding": "",
    }


def _top_ideas(row: dict[str, Any], idea_dots: dict[int, int]) -> list[Any]:
    """The theme's most voted ideas, its representative idea first among equals."""
    representative = row["theme"].representative_idea_id
    return sorted(
        row["ideas"], key=lambda i: (-idea_dots.get(i.id, 0), i.id != representative, i.id)
    )[:TOP_IDEAS]


def _background(archive: Any, row: dict[str, Any], top: list[Any], language: str) -> list[str]:
    """Sentences of the background: where the theme came from, how many wrote and voted."""
    words = label_table.texts(language)
    theme, ideas = row["theme"], row["ideas"]
    questions = {q.id: q for q in archive.questions}
    asked = sorted(
        {i.question_id for i in ideas if i.question_id in questions},
        key=lambda q: questions[q].position,
    )
    when = date_text(archive.workshop.date, language)
    background = [
        words["background_origin"].format(theme=theme.name, title=archive.workshop.title, date=when)
    ]
    if asked:
        quoted_questions = "; ".join(quoted(questions[q].text, language) for q in asked)
        background.append(words["background_questions"].format(questions=quoted_questions))
    background.append(
        label_table.counted(
            "Participants wrote %(num)d idea on it.",
            "Participants wrote %(num)d ideas on it.",
            len(ideas),
            language,
        )
    )
    paper = sum(1 for i in ideas if i.source == "paper")
    if paper:
        background.append(
            label_table.counted(
                "%(num)d of them was typed in from a paper card.",
                "%(num)d of them were typed in from paper cards.",
                paper,
                language,
            )
        )
    background.append(_votes_sentence(archive, row, language))
    top_texts = "; ".join(quoted(i.text, language) for i in top[:3])
    background.append(words["background_top"].format(ideas=top_texts))
    return background


def _votes_sentence(archive: Any, row: dict[str, Any], language: str) -> str:
    """How many dots the theme got, and from which stakeholder groups."""
    words = label_table.texts(language)
    if not row["dots"]:
        return words["background_no_votes"]
    split_by = (row["result"] or {}).get("by_category", {})
    split = ", ".join(
        f"{c or words['not_given']}: {n}" for c, n in sorted(split_by.items(), key=lambda x: -x[1])
    )
    return words["background_votes"].format(
        votes=dots_from_voters(archive, row, language),
        split=words["dots_by_category"].format(split=split) if split else "",
    )


def _proposed_action(top: list[Any], idea_dots: dict[int, int], language: str) -> list[str]:
    """The action's lines: the ideas it grows from, each with its dots."""
    lines = [label_table.texts(language)["action_from_ideas"]]
    for idea in top:
        n = idea_dots.get(idea.id, 0)
        lines.append(f"- {idea.text}" + (f" ({label_table.dots(language, n)})" if n else ""))
    return lines


def _players(archive: Any, row: dict[str, Any], language: str) -> list[str]:
    """Who could act: the stakeholder groups that wrote or voted on it, and names in its ideas."""
    words = label_table.texts(language)
    ideas = row["ideas"]
    category_of = {p.id: p.category for p in archive.participants}
    present = {category_of.get(i.participant_id) for i in ideas}
    voted = (row["result"] or {}).get("by_category", {})
    categories = [c for c in archive.workshop.categories if c in present or c in voted]
    players = []
    if categories:
        players.append(words["players_categories"].format(names=", ".join(categories)))
    named = named_players([i.text for i in ideas], language)
    if named:
        players.append(words["players_named"].format(names=", ".join(named)))
    return players


def effective(archive: Any, language: str | None = None) -> dict[str, Any]:
    """The plan as the documents print it: staff's saved choices over the session's suggestions.

    Every live theme with ideas has an entry in `actions`, in rank order; `chosen` marks those
    that become actions. Without a saved plan the top-voted themes are chosen.
    """
    saved = archive.action_plan or {}
    language = language or saved.get("language") or archive.workshop.language
    general = dict(DEFAULT_GENERAL[language])
    general.update({k: v for k, v in (saved.get("general") or {}).items() if k in GENERAL_FIELDS})
    saved_actions = {a.get("theme_id"): a for a in saved.get("actions") or []}
    ranked = ranked_themes(archive)
    actions = []
    for n, row in enumerate(ranked):
        action = suggest_action(archive, row, language)
        stored = saved_actions.get(row["theme"].id)
        if stored is not None:
            action.update({k: stored[k] for k in (*ACTION_FIELDS, "chosen") if k in stored})
        elif not saved:
            action["chosen"] = n < SUGGESTED_ACTIONS and (row["dots"] > 0 or not archive.votes)
        # The clustering's name ("events · cultural · big") is no title for an official plan.
        theme = row["theme"]
        action["automatic_title"] = not theme.renamed and action["title"].strip() == theme.name
        actions.append(action)
    # Saved order first (staff may reorder later), new themes after.
    order = [a.get("theme_id") for a in saved.get("actions") or []]
    actions.sort(key=lambda a: order.index(a["theme_id"]) if a["theme_id"] in order else len(order))
    return {
        "language": language,
        "general": general,
        "labels": {k: dict(v) for k, v in (saved.get("labels") or {}).items()},
        "actions": actions,
        "saved": bool(saved),
    }


def chosen_actions(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions of a plan that staff chose, in order."""
    return [a for a in plan["actions"] if a.get("chosen")]


# ---- Storage ----------------------------------------------------------------------------------


def stored(db: Session, workshop: Any) -> dict[str, Any] | None:
    """The saved plan of a workshop and its previous-session hook, or None when never saved."""
    from facilitation.models import ActionPlan

    row = db.scalar(select(ActionPlan).where(ActionPlan.workshop_id == workshop.id))
    if row is None:
        return None
    plan = None
    if row.actions or row.general or row.labels:
        plan = {
            "language": row.language,
            "general": dict(row.general or {}),
            "labels": {k: dict(v) for k, v in (row.labels or {}).items()},
            "actions": [dict(a) for a in row.actions or []],
        }
    return {"plan": plan, "previous_session": row.previous_session}


def _row(db: Session, workshop: Any) -> Any:
    """The workshop's ActionPlan row, made on first save."""
    from facilitation.models import ActionPlan

    row = db.scalar(select(ActionPlan).where(ActionPlan.workshop_id == workshop.id))
    if row is None:
        row = ActionPlan(
            workshop_id=workshop.id,
            language=workshop.language,
            general={},
            labels={},
            actions=[],
            previous_session=None,
        )
        db.add(row)
    return row


def save(db: Session, workshop: Any, form: Mapping[str, Any], current: dict[str, Any]) -> None:
    """Store the action-plan form: language, Part I/II, edited labels, actions and choices.

    `current` is the plan the form was drawn from; a field the form leaves out keeps its value.
    Form names: `language`, `general-<field>`, `label-<key>`, `theme_ids` (in order),
    `action-<theme id>-chosen` and `action-<theme id>-<field>`.
    """
    language = form.get("language") if form.get("language") in LANGUAGES else None
    language = language or current["language"]
    words = label_table.texts(current["language"], current["labels"].get(current["language"]))
    general = {}
    for name in GENERAL_FIELDS:
        value = form.get(f"general-{name}", current["general"].get(name, ""))
        general[name] = validation.text_field(value, words[name], MAX_GENERAL, required=False)
    edited = dict(current["labels"])
    mine = dict(edited.get(current["language"], {}))
    defaults = label_table.texts(current["language"])
    for key in label_table.EDITABLE:
        if f"label-{key}" not in form:
            continue
        value = validation.text_field(
            form[f"label-{key}"], defaults[key], MAX_LABEL, required=False
        )
        if value and value != defaults[key]:
            mine[key] = value
        else:
            mine.pop(key, None)
    edited[current["language"]] = mine
    edited = {k: v for k, v in edited.items() if v}
    by_theme = {a["theme_id"]: a for a in current["actions"]}
    listed = form.getlist("theme_ids") if hasattr(form, "getlist") else form.get("theme_ids", [])
    order = []
    for raw in listed:
        try:
            order.append(int(raw))
        except (TypeError, ValueError):
            continue
    order = [t for t in order if t in by_theme] + [t for t in by_theme if t not in order]
    actions = []
    for theme_id in order:
        action = dict(by_theme[theme_id])
        action["chosen"] = f"action-{theme_id}-chosen" in form
        for name in ACTION_FIELDS:
            key = f"action-{theme_id}-{name}"
            if key in form:
                # Browsers send line breaks as CR LF; the documents want LF.
                value = str(form[key]).replace("\r\n", "\n")
                action[name] = validation.text_field(
                    value, words.get(name, name), MAX_ACTION_FIELD, required=False
                )
        actions.append({k: action[k] for k in ("theme_id", "chosen", *ACTION_FIELDS)})
    row = _row(db, workshop)
    row.language = language
    row.general = general
    row.labels = edited
    row.actions = actions


def rename_action(
    db: Session, workshop: Any, current: dict[str, Any], theme_id: int, title: object
) -> None:
    """Give one action a title of its own; the rest of the plan stays as it is."""
    if theme_id not in {a["theme_id"] for a in current["actions"]}:
        raise Rejected("This theme is not in the action plan.", "not_found")
    title = validation.text_field(title, "Title", MAX_LABEL)
    form: dict[str, Any] = {
        "theme_ids": [a["theme_id"] for a in current["actions"]],
        f"action-{theme_id}-title": title,
    }
    form.update({f"action-{a['theme_id']}-chosen": "on" for a in chosen_actions(current)})
    save(db, workshop, form, current)


def restore(
    db: Session,
    workshop: Any,
    plan: dict[str, Any] | None,
    previous_session: dict[str, Any] | None,
    theme_ids: Mapping[int, int],
) -> None:
    """Store an archived plan for a restored workshop, its theme ids mapped to the new ones."""
    row = _row(db, workshop)
    if plan is not None:
        row.language = plan.get("language") if plan.get("language") in LANGUAGES else "ro"
        row.general = {k: v for k, v in (plan.get("general") or {}).items() if k in GENERAL_FIELDS}
        row.labels = dict(plan.get("labels") or {})
        row.actions = [
            {**a, "theme_id": theme_ids[a["theme_id"]]}
            for a in plan.get("actions") or []
            if a.get("theme_id") in theme_ids
        ]
    row.previous_session = previous_session
