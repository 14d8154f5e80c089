"""Socket.IO events sent by the facilitator's controls; each is refused to phones and boards."""

from __future__ import annotations

from flask import current_app

from facilitation import live
from facilitation.extensions import socketio
from facilitation.operations import ideas, themes, workshops
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
            lambda db, w: ideas.set_hidden(db, w, data.get("idea_id"), data.get("hidden")),
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
