"""Socket.IO events sent by the facilitator's controls; each is refused to phones and boards."""

from __future__ import annotations

from flask import current_app

from facilitation import live
from facilitation.extensions import socketio
from facilitation.models import Workshop
from facilitation.operations import flow, ideas, moderation, themes, voting, workshops
from facilitation.realtime import handler
from facilitation.validation import payload


def _done(events: list) -> dict:
    """The reply to a facilitator action that went through."""
    return {"ok": True, "changed": bool(events)}


@socketio.on("hide_idea")
@handler("facilitator")
def on_hide_idea(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator hides or shows an idea: {idea_id, hidden}. Broadcasts `idea_(un)hidden`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: ideas.set_hidden(
                db, w, data.get("idea_id"), data.get("hidden"), data.get("reason")
            ),
        )
    )


@socketio.on("move_idea")
@handler("facilitator")
def on_move_idea(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator moves an idea: {idea_id, theme_id or null for "new"}. Broadcasts `idea_moved`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: ideas.move(db, w, data.get("idea_id"), data.get("theme_id")),
        )
    )


@socketio.on("rename_theme")
@handler("facilitator")
def on_rename_theme(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator renames a theme: {theme_id, name}. Broadcasts `theme_renamed`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: themes.rename(db, w, data.get("theme_id"), data.get("name")),
        )
    )


@socketio.on("set_submissions")
@handler("facilitator")
def on_set_submissions(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator opens or closes submissions: {open}. Broadcasts `workshop_updated`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: workshops.set_submissions_open(db, w, data.get("open")),
        )
    )


@socketio.on("lock_theme")
@handler("facilitator")
def on_lock_theme(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator locks or unlocks a theme: {theme_id, locked}. Broadcasts `theme_locked`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: themes.lock(db, w, data.get("theme_id"), data.get("locked")),
        )
    )


@socketio.on("merge_themes")
@handler("facilitator")
def on_merge_themes(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator merges themes: {theme_ids: [...], into}. Broadcasts `themes_updated`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: themes.merge(db, w, data.get("theme_ids"), data.get("into")),
        )
    )


@socketio.on("split_theme")
@handler("facilitator")
def on_split_theme(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator splits a theme: {theme_id, parts} or {theme_id, idea_ids}.

    Broadcasts `themes_updated`.
    """
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: themes.split(
                db, w, data.get("theme_id"), parts=data.get("parts"), idea_ids=data.get("idea_ids")
            ),
        )
    )


@socketio.on("set_theme_range")
@handler("facilitator")
def on_set_theme_range(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator sets the number of themes: {min, max}. Broadcasts `workshop_updated`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: themes.set_theme_range(db, w, data.get("min"), data.get("max")),
        )
    )


@socketio.on("merge_ideas")
@handler("facilitator")
def on_merge_ideas(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator merges near-duplicates: {idea_id, duplicate_ids}. Broadcasts `ideas_merged`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: ideas.merge(db, w, data.get("idea_id"), data.get("duplicate_ids")),
        )
    )


@socketio.on("undo")
@handler("facilitator")
def on_undo(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator undoes their last action. Broadcasts `refresh` and `workshop_updated`."""
    return _done(live.change(connection.workshop_id, themes.undo))


@socketio.on("find_duplicates")
@handler("facilitator")
def on_find_duplicates(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator asks for near-duplicate ideas. Replies {ok, groups: [[idea_id, ...], ...]}."""
    with current_app.extensions["store"].read() as db:
        return {"ok": True, "groups": ideas.near_duplicate_groups(db, connection.workshop_id)}


@socketio.on("set_phase")
@handler("facilitator")
def on_set_phase(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator moves the room to a phase: {phase, seconds?}. Broadcasts `workshop_updated`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: flow.set_phase(db, w, data.get("phase"), data.get("seconds")),
        )
    )


@socketio.on("set_revealed")
@handler("facilitator")
def on_set_revealed(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator ends or starts silent writing: {revealed}. Broadcasts `workshop_updated`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id, lambda db, w: flow.set_revealed(db, w, data.get("revealed"))
        )
    )


@socketio.on("show_question")
@handler("facilitator")
def on_show_question(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator picks the question on the board: {question_id or null for all}."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: flow.show_question(db, w, data.get("question_id")),
        )
    )


@socketio.on("set_vote_rules")
@handler("facilitator")
def on_set_vote_rules(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator sets {target: themes|ideas, budget, cap}. Broadcasts `workshop_updated`."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: flow.set_vote_rules(
                db, w, data.get("target"), data.get("budget"), data.get("cap")
            ),
        )
    )


@socketio.on("set_categories")
@handler("facilitator")
def on_set_categories(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator sets the stakeholder categories offered at join: {categories: [...]}."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: flow.set_categories(db, w, data.get("categories")),
        )
    )


@socketio.on("set_word_list")
@handler("facilitator")
def on_set_word_list(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator sets the words that hold an idea for review: {words: [...]}."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: moderation.set_word_list(db, w, data.get("words")),
        )
    )


@socketio.on("review_idea")
@handler("facilitator")
def on_review_idea(connection: live.Connection, data):  # noqa: ANN001
    """Facilitator approves or rejects a held idea: {idea_id, approve}."""
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: ideas.review(db, w, data.get("idea_id"), data.get("approve")),
        )
    )


@socketio.on("add_paper_idea")
@handler("facilitator")
def on_add_paper_idea(connection: live.Connection, data):  # noqa: ANN001
    """Staff type in an idea from a paper card: {client_id, text, question_id?}.

    Broadcasts `idea_added` with `source: "paper"`; accepted even while submissions are closed.
    """
    data = payload(data)
    clusterer = current_app.extensions["clusterer"]

    def add(db, workshop):  # noqa: ANN001
        return ideas.submit(
            db,
            workshop,
            None,
            client_id=data.get("client_id"),
            text=data.get("text"),
            question_id=data.get("question_id"),
            max_length=current_app.config["MAX_IDEA_LENGTH"],
            place=lambda text: clusterer.place(workshop.id, text),
            source="paper",
        )

    outcome = live.change(connection.workshop_id, add)
    return {"ok": True, "duplicate": not outcome.created, "idea_id": outcome.idea.id}


@socketio.on("record_paper_votes")
@handler("facilitator")
def on_record_paper_votes(connection: live.Connection, data):  # noqa: ANN001
    """Staff record a paper ballot: {voter, category?, votes: {item_id: dots}}.

    The same rules as phones (budget, cap); recording the same voter again replaces their dots.
    """
    data = payload(data)
    return _done(
        live.change(
            connection.workshop_id,
            lambda db, w: voting.cast(
                db,
                w,
                None,
                data.get("votes"),
                proxy_label=data.get("voter"),
                category=data.get("category"),
            ),
        )
    )


@socketio.on("get_results")
@handler("board", "facilitator")
def on_get_results(connection: live.Connection, data):  # noqa: ANN001
    """Boards ask for vote totals; given only once the vote is closed (results phase)."""
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        if workshop.phase != "results":
            return {
                "ok": False,
                "error": "Totals are shown when the vote closes.",
                "code": "closed",
            }
        return {"ok": True, "results": voting.results(db, workshop)}
