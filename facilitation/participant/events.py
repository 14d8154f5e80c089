"""Socket.IO events sent by phones."""

from __future__ import annotations

import functools

from flask import current_app

from facilitation import rooms
from facilitation.models import Participant, Workshop
from facilitation.operations import ideas, voting, workshops
from facilitation.rooms import handler
from facilitation.validation import payload


@handler("phone")
def on_submit_idea(connection: rooms.Connection, data):  # noqa: ANN001
    """A phone submits {client_id, text, question_id?}; acknowledged only after the commit.

    Broadcasts `idea_added` to boards. Sending the same client_id again returns the stored idea
    and broadcasts nothing.
    """
    data = payload(data)
    clusterer = current_app.extensions["clusterer"]
    limits = current_app.extensions["device_limits"]
    max_length = current_app.config["MAX_IDEA_LENGTH"]

    # The nearest theme is looked up before taking the workshop's lock, so that other phones'
    # submissions never wait behind this computation.
    # Only a text that can be accepted is placed: ideas.submit refuses the others.
    text = data.get("text")
    fits = isinstance(text, str) and len(text) <= max_length
    guess = clusterer.place(connection.workshop_id, text) if fits else None

    workshop_id, participant_id = connection.workshop_id, connection.participant_id
    # Read and counted under the workshop's lock, so two ideas sent at once count apart.
    pace = ideas.Pace(
        functools.partial(limits.idea_wait, workshop_id, participant_id),
        functools.partial(limits.count_idea, workshop_id, participant_id),
    )

    def submit(db):  # noqa: ANN001
        workshops.check_may_write(connection.observer)
        return ideas.submit(
            db,
            workshop_id,
            participant_id,
            client_id=data.get("client_id"),
            text=data.get("text"),
            question_id=data.get("question_id"),
            max_length=max_length,
            theme_guess=guess,
            pace=pace,
        )

    outcome = rooms.write(workshop_id, submit)
    idea = outcome.idea
    return {
        "ok": True,
        "duplicate": not outcome.created,
        "idea": {"client_id": idea.client_id, "text": idea.text, "question_id": idea.question_id},
    }


@handler("phone")
def on_set_category(connection: rooms.Connection, data):  # noqa: ANN001
    """A phone chooses its stakeholder category: {category} (one of the workshop's, or null)."""
    data = payload(data)

    def choose(db, workshop):  # noqa: ANN001
        participant = db.get(Participant, connection.participant_id)
        return voting.set_category(db, workshop, participant, data.get("category"))

    rooms.change(connection.workshop_id, choose)
    return {"ok": True}


@handler("phone")
def on_get_ballot(connection: rooms.Connection, data):  # noqa: ANN001
    """A phone asks for the ballot: items, budget, cap and its own dots. Broadcasts nothing."""
    with current_app.extensions["store"].read() as db:
        workshop = db.get(Workshop, connection.workshop_id)
        participant = db.get(Participant, connection.participant_id)
        return {"ok": True, **voting.ballot(db, workshop, participant)}


@handler("phone")
def on_cast_votes(connection: rooms.Connection, data):  # noqa: ANN001
    """A phone sets all its dots at once: {votes: {item_id: dots}}. Broadcasts `votes_cast`.

    Sending the same votes again changes nothing, so a retry counts once.
    """
    data = payload(data)
    limits = current_app.extensions["device_limits"]

    def cast(db, workshop):  # noqa: ANN001
        participant = db.get(Participant, connection.participant_id)
        limits.vote(workshop.id, participant.id)
        return voting.cast(db, workshop, participant, data.get("votes"))

    rooms.change(connection.workshop_id, cast)
    return {"ok": True}
