"""The facilitator's action log as staff read it: one sentence per action, in the page's language.

Every kind of action the operations record (`audit.record`, `workshops.set_switch`) has its
sentence here; tests/facilitation/test_action_log.py reads the operations' code to check that
none is missing. Themes and ideas are named by their current name and text, quoted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy.orm import Session

from facilitation.models import Idea, Question, Theme, Workshop

# An idea is quoted by its first words in a sentence of the log.
QUOTED_IDEA_LENGTH = 90


class Names:
    """The current names of a workshop's themes, ideas and questions, read once each."""

    def __init__(self, db: Session, workshop: Workshop) -> None:
        self.db = db
        self.workshop = workshop

    def _row(self, model: type, row_id: object) -> Any:  # noqa: ANN401
        if isinstance(row_id, bool) or not isinstance(row_id, int):
            return None
        row = self.db.get(model, row_id)
        return row if row is not None and row.workshop_id == self.workshop.id else None

    def theme(self, theme_id: object) -> str:
        row = self._row(Theme, theme_id)
        return quoted(row.name) if row is not None else gettext("a theme that no longer exists")

    def idea(self, idea_id: object) -> str:
        row = self._row(Idea, idea_id)
        if row is None:
            return gettext("an idea that no longer exists")
        text = " ".join(row.text.split())
        if len(text) > QUOTED_IDEA_LENGTH:
            text = text[:QUOTED_IDEA_LENGTH].rsplit(" ", 1)[0] + "…"
        return quoted(text)

    def question(self, question_id: object) -> str:
        row = self._row(Question, question_id)
        return quoted(row.text) if row is not None else gettext("a question that no longer exists")

    def themes(self, ids: object) -> str:
        return listed([self.theme(i) for i in ids] if isinstance(ids, list) else [])

    def ideas(self, ids: object) -> str:
        return listed([self.idea(i) for i in ids] if isinstance(ids, list) else [])


def quoted(text: str) -> str:
    """text in the quotation marks of the page's language („…” in Romanian, “…” in English)."""
    return gettext("“%(text)s”", text=text)


def listed(items: list[str]) -> str:
    return ", ".join(items)


def phase_name(phase: object) -> str:
    names = {
        "welcome": gettext("Welcome"),
        "write": gettext("Write your ideas"),
        "group": gettext("Grouping and discussion"),
        "vote": gettext("Vote"),
        "results": gettext("Results"),
    }
    return quoted(names.get(phase, str(phase)))


def _set_phase(detail: dict, names: Names) -> str:
    seconds = detail.get("seconds")
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
        return gettext(
            "Moved the room to the phase %(phase)s, with a countdown of %(time)s.",
            phase=phase_name(detail.get("phase")),
            time=_time(seconds),
        )
    return gettext("Moved the room to the phase %(phase)s.", phase=phase_name(detail.get("phase")))


def _split_theme(detail: dict, names: Names) -> str:
    theme = names.theme(detail.get("theme_id"))
    if isinstance(detail.get("idea_ids"), list):
        return gettext(
            "Took %(ideas)s out of the theme %(theme)s into a theme of their own.",
            ideas=names.ideas(detail["idea_ids"]),
            theme=theme,
        )
    parts = detail.get("parts") if isinstance(detail.get("parts"), int) else 2
    return ngettext(
        "Split the theme %(theme)s into %(num)d part.",
        "Split the theme %(theme)s into %(num)d parts.",
        parts,
        theme=theme,
    )


def _hide_idea(detail: dict, names: Names) -> str:
    if detail.get("reason"):
        return gettext(
            "Hid the idea %(idea)s from the boards (reason: %(reason)s).",
            idea=names.idea(detail.get("idea_id")),
            reason=detail["reason"],
        )
    return gettext("Hid the idea %(idea)s from the boards.", idea=names.idea(detail.get("idea_id")))


def _move_idea(detail: dict, names: Names) -> str:
    idea = names.idea(detail.get("idea_id"))
    if detail.get("theme_id") is None:
        return gettext("Moved the idea %(idea)s back among the new ideas.", idea=idea)
    return gettext(
        "Moved the idea %(idea)s to the theme %(theme)s.",
        idea=idea,
        theme=names.theme(detail["theme_id"]),
    )


def _show_question(detail: dict, names: Names) -> str:
    if detail.get("question_id") is None:
        return gettext("Showed every question's ideas on the board.")
    return gettext(
        "Showed the question %(question)s on the board.",
        question=names.question(detail["question_id"]),
    )


def _set_vote_rules(detail: dict, names: Names) -> str:
    target = gettext("the themes") if detail.get("target") == "themes" else gettext("the ideas")
    return gettext(
        "Set the vote: people vote on %(target)s; dots per person: %(budget)s; most dots on one "
        "item: %(cap)s.",
        target=target,
        budget=detail.get("budget"),
        cap=detail.get("cap"),
    )


def _set_categories(detail: dict, names: Names) -> str:
    categories = detail.get("categories") or []
    if not categories:
        return gettext("Removed the stakeholder categories.")
    return gettext(
        "Set the stakeholder categories offered to phones: %(categories)s.",
        categories=listed([quoted(str(c)) for c in categories]),
    )


def _time(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _set_countdown(detail: dict, names: Names) -> str:
    seconds = detail.get("seconds")
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
        return gettext("Started a countdown of %(time)s in this phase.", time=_time(seconds))
    return gettext("Stopped the countdown of this phase.")


def _set_idea_limit(detail: dict, names: Names) -> str:
    per_minute = detail.get("per_minute")
    if isinstance(per_minute, int) and not isinstance(per_minute, bool):
        return ngettext(
            "Let each phone send %(num)d new idea a minute.",
            "Let each phone send %(num)d new ideas a minute.",
            per_minute,
        )
    return gettext("Let each phone send the server's default number of ideas a minute.")


def _remove_device(detail: dict, names: Names) -> str:
    ideas, votes = detail.get("ideas"), detail.get("votes")
    return gettext(
        "Removed everything the device that sent %(idea)s sent: %(ideas)s ideas hidden, "
        "%(votes)s votes dropped; it can only watch from now on.",
        idea=names.idea(detail.get("idea_id")),
        ideas=ideas if isinstance(ideas, int) else 0,
        votes=votes if isinstance(votes, int) else 0,
    )


def _undo(detail: dict, names: Names) -> str:
    earlier = sentence(str(detail.get("action")), detail.get("detail") or {}, names)
    return gettext("Undid this earlier action: %(action)s", action=earlier)


def _switch(opened: object, closed: object, field: str) -> Callable[[dict, Names], str]:
    """The sentence of a yes/no switch: opened (lazy texts, read in the page's language)."""
    return lambda detail, names: str(opened) if detail.get(field) else str(closed)


# Each action kind: its sentence, from the action's detail and the workshop's names.
SENTENCES: dict[str, Callable[[dict, Names], str]] = {
    "rename_theme": lambda d, n: gettext(
        "Renamed the theme to %(name)s.", name=quoted(str(d.get("name")))
    ),
    "lock_theme": lambda d, n: gettext(
        "Locked the theme %(theme)s: its ideas stay together.", theme=n.theme(d.get("theme_id"))
    ),
    "unlock_theme": lambda d, n: gettext(
        "Unlocked the theme %(theme)s.", theme=n.theme(d.get("theme_id"))
    ),
    "merge_themes": lambda d, n: gettext(
        "Merged the themes %(themes)s into %(theme)s.",
        themes=n.themes(d.get("theme_ids")),
        theme=n.theme(d.get("into")),
    ),
    "split_theme": _split_theme,
    "set_theme_range": lambda d, n: gettext(
        "Set the number of themes to between %(low)s and %(high)s.",
        low=d.get("min"),
        high=d.get("max"),
    ),
    "undo": _undo,
    "set_phase": _set_phase,
    "reveal_ideas": lambda d, n: gettext("Ended silent writing: the board shows the ideas."),
    "hide_ideas": lambda d, n: gettext("Started silent writing: the board hides the ideas."),
    "show_question": _show_question,
    "set_vote_rules": _set_vote_rules,
    "set_categories": _set_categories,
    "set_word_list": lambda d, n: gettext(
        "Set the word list that holds ideas for review (words and phrases: %(count)s).",
        count=d.get("count"),
    ),
    "approve_idea": lambda d, n: gettext(
        "Approved the idea %(idea)s, held for review: it is on the boards.",
        idea=n.idea(d.get("idea_id")),
    ),
    "reject_idea": lambda d, n: gettext(
        "Rejected the idea %(idea)s, held for review: it stays hidden.",
        idea=n.idea(d.get("idea_id")),
    ),
    "hide_idea": _hide_idea,
    "unhide_idea": lambda d, n: gettext(
        "Showed the idea %(idea)s on the boards again.", idea=n.idea(d.get("idea_id"))
    ),
    "move_idea": _move_idea,
    "merge_ideas": lambda d, n: gettext(
        "Merged %(duplicates)s into the idea %(idea)s as near-duplicates.",
        duplicates=n.ideas(d.get("duplicate_ids")),
        idea=n.idea(d.get("idea_id")),
    ),
    "set_joining": _switch(
        lazy_gettext("Opened joining."),
        lazy_gettext("Closed joining: phones that come now only watch."),
        "open",
    ),
    "set_submissions": _switch(
        lazy_gettext("Opened submissions."), lazy_gettext("Closed submissions."), "open"
    ),
    "set_countdown": _set_countdown,
    "set_idea_limit": _set_idea_limit,
    "open_vote": lambda d, n: gettext("Opened the vote again: people can change their dots."),
    "close_vote": lambda d, n: gettext(
        "Closed the vote: ballots are final, the totals stay hidden until they are revealed."
    ),
    "remove_device": _remove_device,
    "set_late_voters": _switch(
        lazy_gettext("Let phones that joined during the vote vote."),
        lazy_gettext("Phones that join during the vote no longer vote."),
        "allowed",
    ),
}


def sentence(action: str, detail: dict, names: Names) -> str:
    """One action as a sentence of the page's language."""
    describe = SENTENCES.get(action)
    if describe is None or not isinstance(detail, dict):
        # A kind this page does not know yet (an older or newer server's): said plainly.
        return gettext("Changed the workshop (%(what)s).", what=action.replace("_", " "))
    return describe(detail, names)


def readable(db: Session, workshop: Workshop, entries: list[dict]) -> list[dict]:
    """The log's entries, each with its sentence."""
    names = Names(db, workshop)
    return [
        {**entry, "sentence": sentence(entry["action"], entry["detail"], names)}
        for entry in entries
    ]
