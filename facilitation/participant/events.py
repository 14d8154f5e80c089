"""Socket.IO events sent by phones."""

from __future__ import annotations

from flask import current_app

from facilitation import live
from facilitation.extensions import socketio
from facilitation.models import Participant
from facilitation.operations import ideas
from facilitation.realtime import handler
from facilitation.validation import payload


@socketio.on("submit_idea")
@handler("phone")
def on_submit_idea(connection: live.Connection, data):  # noqa: ANN001
    """A phone submits {client_id, text, question_id?}; acknowledged only after the commit.

    Broadcasts `idea_added` to boards. Sending the same client_id again returns the stored idea
    and broadcasts nothing.
    """
    data = payload(data)
    clusterer = current_app.extensions["clusterer"]
    max_length = current_app.config["MAX_IDEA_LENGTH"]

    def submit(db, workshop):  # noqa: ANN001
        participant = db.get(Participant, connection.participant_id)
        return ideas.submit(
            db,
            workshop,
            participant,
            client_id=data.get("client_id"),
            text=data.get("text"),
            question_id=data.get("question_id"),
            max_length=max_length,
            place=lambda text: clusterer.place(workshop.id, text),
        )

    outcome = live.change(connection.workshop_id, submit)
    idea = outcome.idea
    return {
        "ok": True,
        "duplicate": not outcome.created,
        "idea": {"client_id": idea.client_id, "text": idea.text, "question_id": idea.question_id},
    }
