"""One device's contributions removed at once: the answer to a script that wrote or voted.

The facilitator points at one of the device's ideas (they see ideas, not devices). Every idea of
that device is hidden, its votes are taken out of the count, and the device can still watch but
no longer write or vote (as a device that came after the join window). It is one entry of the
action log, and undo puts everything back.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from facilitation.models import Event, Idea, Participant, Vote, Workshop
from facilitation.operations import audit, events, ideas, tallies
from facilitation.operations.errors import Rejected

REASON = "device removed"  # shown beside the idea like "word list"; the facilitator can unhide


def remove(db: Session, workshop: Workshop, idea_id: object) -> list[Event]:
    """Hide every idea of the device that sent this idea, drop its votes, stop it writing."""
    idea = ideas.get(db, workshop, idea_id)
    if idea.participant_id is None:
        raise Rejected("This idea was typed in from a paper card: it has no device.", "conflict")
    device = db.get(Participant, idea.participant_id)
    sent = list(
        db.scalars(
            select(Idea).where(Idea.workshop_id == workshop.id, Idea.participant_id == device.id)
        )
    )
    votes = list(
        db.scalars(
            select(Vote).where(Vote.workshop_id == workshop.id, Vote.participant_id == device.id)
        )
    )
    shown = [i for i in sent if not i.hidden]
    if device.observer and not shown and not votes:
        return []
    entry = audit.record(
        db,
        workshop,
        "remove_device",
        {"idea_id": idea.id, "ideas": len(shown), "votes": len(votes)},
        ideas=sent,
    )
    before = dict(entry.before)
    before["participants"] = {str(device.id): {"observer": device.observer}}
    before["votes"] = [{f: getattr(v, f) for f in audit.VOTE_FIELDS} for v in votes]
    entry.before = before
    for each in shown:
        each.hidden, each.hidden_reason, each.held = True, REASON, False
    db.execute(delete(Vote).where(Vote.id.in_([v.id for v in votes])))
    device.observer = True
    workshop.content_version += 1
    workshop.curation_version += 1
    recorded = [
        events.record(db, workshop, "idea_hidden", events.BOARD, {"idea_id": i.id}) for i in shown
    ] + [  # the facilitator also learns why (boards never receive reasons)
        events.record(
            db, workshop, "idea_hidden", events.FACILITATOR, {"idea_id": i.id, "reason": REASON}
        )
        for i in shown
    ]
    if votes:
        db.flush()
        # Counts change: boards show how many have voted, and the results after the vote.
        recorded.append(
            events.record(
                db, workshop, "votes_cast", events.BOARD, {"voters": tallies.voters(db, workshop)}
            )
        )
        recorded.append(
            events.record(
                db, workshop, "workshop_updated", events.PHONES, events.workshop_view(workshop)
            )
        )
    return recorded
