"""Socket.IO events sent by the facilitator's controls; each is refused to phones and boards."""

from __future__ import annotations

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
