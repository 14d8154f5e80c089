"""Socket.IO events sent by the facilitator's controls; each is refused to phones and boards.

Most of them pass named fields of the message to one operation and reply whether anything
changed; `facilitator_change` makes those handlers from one line each, with their docstrings.
`facilitation.protocol` names the event each handler answers and registers it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import current_app

from facilitation import rooms
from facilitation.models import Workshop
from facilitation.operations import (
    devices,
    flow,
    ideas,
    moderation,
    themes,
    voting,
    workshops,
)
from facilitation.operations.errors import Rejected
from facilitation.rooms import handler
from facilitation.validation import payload


def _done(events: list) -> dict:
    """The reply to a facilitator action that went through."""
    return {"ok": True, "changed": bool(events)}


def facilitator_change(operation: Callable, *fields: str, **named: str) -> Callable:
    """A facilitator's handler: message fields go to `operation(db, workshop, ...)` in order
    (`fields`) or by keyword (`named`: keyword -> field); the decorated function gives the doc.
    """

    def register(describe: Callable) -> Callable:
        @functools.wraps(describe)
        def run(connection: rooms.Connection, data):  # noqa: ANN001
            data = payload(data)
            args = [data.get(field) for field in fields]
            kwargs = {keyword: data.get(field) for keyword, field in named.items()}
            recorded = rooms.change(
                connection.workshop_id, lambda db, w: operation(db, w, *args, **kwargs)
            )
            return _done(recorded)

        return handler("facilitator")(run)

    return register


@facilitator_change(ideas.set_hidden, "idea_id", "hidden", "reason")
def on_hide_idea() -> None:
    """Facilitator hides or shows an idea: {idea_id, hidden, reason?}. Broadcasts `idea_hidden`
    or `idea_unhidden`."""


@facilitator_change(devices.remove, "idea_id")
def on_remove_device() -> None:
    """Facilitator removes everything the device that sent this idea sent: {idea_id}. Its ideas
    are hidden, its votes dropped, and it may only watch from now on; one entry of the action
    log, undoable. Broadcasts `idea_hidden` per idea, and `votes_cast` when it had voted."""


@facilitator_change(ideas.move, "idea_id", "theme_id")
def on_move_idea() -> None:
    """Facilitator moves an idea: {idea_id, theme_id or null for "new"}. Broadcasts `idea_moved`."""


@facilitator_change(themes.rename, "theme_id", "name")
def on_rename_theme() -> None:
    """Facilitator renames a theme: {theme_id, name}. Broadcasts `theme_renamed`."""


@facilitator_change(workshops.set_submissions_open, "open")
def on_set_submissions() -> None:
    """Facilitator opens or closes submissions: {open}. Broadcasts `workshop_updated`."""


@facilitator_change(workshops.set_joining_open, "open")
def on_set_joining() -> None:
    """Facilitator opens or closes the join window: {open}. Broadcasts `workshop_updated`."""


@facilitator_change(voting.set_late_voters, "allowed")
def on_set_late_voters() -> None:
    """Facilitator lets phones that joined during the vote vote: {allowed}. Broadcasts
    `workshop_updated`."""


@facilitator_change(themes.lock, "theme_id", "locked")
def on_lock_theme() -> None:
    """Facilitator locks or unlocks a theme: {theme_id, locked}. Broadcasts `theme_locked`."""


@facilitator_change(themes.merge, "theme_ids", "into")
def on_merge_themes() -> None:
    """Facilitator merges themes: {theme_ids: [...], into}. Broadcasts `themes_updated`."""


@handler("facilitator")
def on_split_theme(connection: rooms.Connection, data):  # noqa: ANN001
    """Facilitator splits a theme: {theme_id, parts} or {theme_id, idea_ids}. Broadcasts
    `themes_updated`."""
    data = payload(data)
    fields = {"parts": data.get("parts"), "idea_ids": data.get("idea_ids")}
    theme_id = data.get("theme_id")
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        if workshop is None:
            raise Rejected("This workshop no longer exists.", "unknown_workshop")
        plan = themes.plan_split(db, workshop, theme_id, **fields)
    # The parts are computed by the clustering worker, outside the write transaction.
    parts = current_app.extensions["clusterer"].compute(
        "analysis.themes.split_theme",
        plan.texts,
        languages_of=plan.texts,
        parts=plan.parts,
        groups=plan.groups,
        embeddings=plan.embeddings,
    )
    return _done(
        rooms.change(
            connection.workshop_id,
            lambda db, w: themes.split(db, w, theme_id, **fields, planned=(plan, parts)),
        )
    )


@facilitator_change(themes.set_theme_range, "min", "max")
def on_set_theme_range() -> None:
    """Facilitator sets the number of themes: {min, max}. Broadcasts `workshop_updated`."""


@facilitator_change(ideas.merge, "idea_id", "duplicate_ids")
def on_merge_ideas() -> None:
    """Facilitator merges near-duplicates: {idea_id, duplicate_ids}. Broadcasts `ideas_merged`."""


@facilitator_change(themes.undo)
def on_undo() -> None:
    """Facilitator undoes their last action. Broadcasts `refresh` and `workshop_updated`."""


@facilitator_change(flow.set_phase, "phase", "seconds")
def on_set_phase() -> None:
    """Facilitator moves the room to a phase: {phase, seconds?}. Broadcasts `workshop_updated`."""


@facilitator_change(flow.set_countdown, "seconds")
def on_set_countdown() -> None:
    """Facilitator starts a countdown in the current phase, or stops it: {seconds or null}.
    Broadcasts `workshop_updated`."""


@facilitator_change(flow.set_vote_open, "open")
def on_set_vote_open() -> None:
    """Facilitator closes the vote without revealing it, or opens it again: {open}.
    Broadcasts `workshop_updated`."""


@facilitator_change(flow.reveal_results, "seconds")
def on_reveal_results() -> None:
    """Facilitator reveals the totals of the closed vote: {seconds?}. Broadcasts
    `workshop_updated` with the results."""


@facilitator_change(flow.set_revealed, "revealed")
def on_set_revealed() -> None:
    """Facilitator ends or starts silent writing: {revealed}. Broadcasts `workshop_updated`."""


@facilitator_change(flow.show_question, "question_id")
def on_show_question() -> None:
    """Facilitator picks the question on the board: {question_id or null for all}."""


@facilitator_change(flow.set_vote_rules, "target", "budget", "cap")
def on_set_vote_rules() -> None:
    """Facilitator sets {target: themes|ideas, budget, cap}. Broadcasts `workshop_updated`."""


@facilitator_change(flow.set_idea_limit, "per_minute")
def on_set_idea_limit() -> None:
    """Facilitator sets the new ideas one phone may send per minute: {per_minute or null for
    the server's default}. Broadcasts `workshop_updated`."""


@facilitator_change(flow.set_categories, "categories")
def on_set_categories() -> None:
    """Facilitator sets the stakeholder categories offered at join: {categories: [...]}."""


@facilitator_change(moderation.set_word_list, "words")
def on_set_word_list() -> None:
    """Facilitator sets the words that hold an idea for review: {words: [...]}."""


@facilitator_change(ideas.review, "idea_id", "approve")
def on_review_idea() -> None:
    """Facilitator approves or rejects a held idea: {idea_id, approve}."""


def _paper_ballot(db, workshop, votes, voter, category):  # noqa: ANN001
    """A paper ballot is a vote with no phone behind it, under the voter's label."""
    return voting.cast(db, workshop, None, votes, proxy_label=voter, category=category)


@facilitator_change(_paper_ballot, "votes", "voter", "category")
def on_record_paper_votes() -> None:
    """Staff record a paper ballot: {voter, category?, votes: {item_id: dots}}; the phone rules
    apply (budget, cap) and recording the same voter again replaces their dots."""


@handler("facilitator")
def on_get_paper_ballot(connection: rooms.Connection, data):  # noqa: ANN001
    """Staff ask what a paper ballot can give dots to: the ballot a phone gets (items, budget,
    cap), so the page lists what the server counts. Broadcasts nothing."""
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        return {"ok": True, **voting.ballot(db, workshop, None)}


@handler("facilitator")
def on_find_duplicates(connection: rooms.Connection, data):  # noqa: ANN001
    """Facilitator asks for near-duplicate ideas. Replies {ok, groups: [[idea_id, ...], ...]}."""
    with current_app.extensions["store"].read() as db:
        rows = ideas.near_duplicate_candidates(db, connection.workshop_id)
    texts = [text for _, text in rows]
    found = current_app.extensions["clusterer"].compute(
        "analysis.duplicates.near_duplicates", texts
    )
    return {"ok": True, "groups": ideas.near_duplicate_groups(rows, found)}


@handler("facilitator")
def on_add_paper_idea(connection: rooms.Connection, data):  # noqa: ANN001
    """Staff type in an idea from a paper card: {client_id, text, question_id?}.

    Broadcasts `idea_added` with `source: "paper"`; accepted even while submissions are closed.
    """
    data = payload(data)
    clusterer = current_app.extensions["clusterer"]
    guess = clusterer.place(connection.workshop_id, data.get("text", ""))

    def add(db):  # noqa: ANN001
        return ideas.submit(
            db,
            connection.workshop_id,
            None,
            client_id=data.get("client_id"),
            text=data.get("text"),
            question_id=data.get("question_id"),
            max_length=current_app.config["MAX_IDEA_LENGTH"],
            theme_guess=guess,
            source="paper",
        )

    outcome = rooms.write(connection.workshop_id, add)
    return {"ok": True, "duplicate": not outcome.created, "idea_id": outcome.idea.id}
