"""The session archive and the database: `build` reads a workshop into the archive's plain form
(`archive_format`), and `restore` writes an archive into the database as a new workshop.

The format's names (`Archive`, `load_archive`, `dumps`, ...) are importable from here too, as
every exporter reads a session through this module.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from analysis import embedding
from facilitation.exports.archive_format import (  # noqa: F401  (the format's names, from here too)
    FORMAT,
    MAX_ARCHIVE_BYTES,
    SCHEMA_VERSION,
    Archive,
    ArchiveDecision,
    ArchiveError,
    ArchiveIdea,
    ArchiveParticipant,
    ArchiveQuestion,
    ArchiveTheme,
    ArchiveVote,
    ArchiveWorkshop,
    _vector,
    as_dict,
    dumps,
    from_dict,
    load_archive,
)


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    """A date or UTC time in ISO 8601 (times with a Z)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    return value.isoformat()


def build(db: Session, workshop: Any) -> Archive:
    """Everything about a workshop, read in one transaction, as an archive."""
    from facilitation.exports import plan, statistics
    from facilitation.models import Idea, Participant, Theme, Vote
    from facilitation.operations import tallies

    participants = list(
        db.scalars(
            select(Participant)
            .where(Participant.workshop_id == workshop.id)
            .order_by(Participant.id)
        )
    )
    themes = db.scalars(
        select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.position, Theme.id)
    )
    ideas = db.scalars(
        select(Idea)
        .where(Idea.workshop_id == workshop.id)
        .order_by(Idea.id)
        .options(undefer(Idea.embedding))
    )
    votes = db.scalars(select(Vote).where(Vote.workshop_id == workshop.id).order_by(Vote.id))
    ballots: dict[str, str] = {}
    archive = Archive(
        schema_version=SCHEMA_VERSION,
        embedding_model=embedding.MODEL,
        exported_at=_iso(dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)),
        workshop=ArchiveWorkshop(
            code=workshop.code,
            title=workshop.title,
            language=workshop.language,
            date=_iso(workshop.date),
            phase=workshop.phase,
            submissions_open=workshop.submissions_open,
            ideas_revealed=workshop.ideas_revealed,
            vote_target=workshop.vote_target,
            vote_budget=workshop.vote_budget,
            vote_cap=workshop.vote_cap,
            categories=list(workshop.categories or []),
            theme_count_min=workshop.theme_count_min,
            theme_count_max=workshop.theme_count_max,
            created_at=_iso(workshop.created_at),
            ideas_per_minute=workshop.ideas_per_minute,
            vote_closed=workshop.vote_closed,
        ),
        questions=[ArchiveQuestion(q.id, q.position, q.text) for q in workshop.questions],
        participants=[ArchiveParticipant(p.id, p.category) for p in participants],
        themes=[
            ArchiveTheme(
                id=t.id,
                name=t.name,
                renamed=t.renamed,
                locked=t.locked,
                retired=t.retired,
                color=t.color,
                position=t.position,
                terms=list(t.terms or []),
                representative_idea_id=t.representative_idea_id,
                merged_into_id=t.merged_into_id,
            )
            for t in themes
        ],
        ideas=[
            ArchiveIdea(
                id=i.id,
                question_id=i.question_id,
                participant_id=i.participant_id,
                text=i.text,
                source=i.source,
                hidden=i.hidden,
                hidden_reason=i.hidden_reason,
                held=i.held,
                theme_id=i.theme_id,
                placed_by_facilitator=i.placed_by_facilitator,
                merged_into_id=i.merged_into_id,
                created_at=_iso(i.created_at),
                embedding=base64.b64encode(i.embedding).decode("ascii") if i.embedding else None,
            )
            for i in ideas
        ],
        votes=[
            ArchiveVote(
                participant_id=v.participant_id,
                # Staff type a paper voter's name; the archive keeps only a number per ballot.
                ballot=ballots.setdefault(v.proxy_label, f"ballot {len(ballots) + 1}")
                if v.participant_id is None
                else "",
                category=v.category,
                target_kind=v.target_kind,
                target_id=v.target_id,
                dots=v.dots,
            )
            for v in votes
        ],
        results=tallies.results(db, workshop),
    )
    archive.statistics = statistics.compute(archive)
    stored = plan.stored(db, workshop)
    if stored is not None:
        archive.action_plan = stored["plan"]
        archive.previous_session = stored["previous_session"]
    archive.previous_session = _comparison(db, workshop) or archive.previous_session
    from facilitation.previous import decisions  # the then-and-now feature's own table

    archive.comparison_decisions = [
        ArchiveDecision(**row) for row in decisions.archived(db, workshop)
    ]
    return archive


def _comparison(db: Session, workshop: Any) -> dict[str, Any] | None:
    """The stored comparison with an imported previous session, if there is one."""
    from facilitation.previous.operations import stored_comparison

    return stored_comparison(db, workshop)


def restore(db: Session, archive: Archive) -> Any:
    """Write an archive into the database as a new workshop with a new join code; returns it."""
    from facilitation.exports import plan
    from facilitation.models import Idea, Participant, Theme, Vote
    from facilitation.operations import workshops

    source = archive.workshop
    questions = sorted(archive.questions, key=lambda q: q.position)
    workshop = workshops.create(
        db,
        title=source.title,
        language=source.language,
        date=dt.date.fromisoformat(source.date) if source.date else None,
        questions=[q.text for q in questions],
    )
    for name in (
        "phase",
        "submissions_open",
        "ideas_revealed",
        "vote_target",
        "vote_budget",
        "vote_cap",
        "theme_count_min",
        "theme_count_max",
        "ideas_per_minute",
        "vote_closed",
    ):
        setattr(workshop, name, getattr(source, name))
    workshop.categories = list(source.categories)
    question_of = {q.id: new.id for q, new in zip(questions, workshop.questions, strict=True)}

    participant_of: dict[int, int] = {}
    for p in archive.participants:
        row = Participant(
            workshop_id=workshop.id, device_id=secrets.token_hex(16), category=p.category
        )
        db.add(row)
        db.flush()
        participant_of[p.id] = row.id

    theme_of: dict[int, Theme] = {}
    for t in archive.themes:
        row = Theme(
            workshop_id=workshop.id,
            name=t.name,
            renamed=t.renamed,
            locked=t.locked,
            retired=t.retired,
            color=t.color,
            position=t.position,
            terms=list(t.terms),
        )
        db.add(row)
        theme_of[t.id] = row
    db.flush()

    idea_of: dict[int, Idea] = {}
    for n, i in enumerate(archive.ideas):
        row = Idea(
            workshop_id=workshop.id,
            question_id=question_of.get(i.question_id) if i.question_id is not None else None,
            participant_id=participant_of.get(i.participant_id)
            if i.participant_id is not None
            else None,
            client_id=f"restored-{n:08d}",
            text=i.text,
            source=i.source,
            hidden=i.hidden,
            hidden_reason=i.hidden_reason,
            held=i.held,
            theme_id=theme_of[i.theme_id].id if i.theme_id is not None else None,
            placed_by_facilitator=i.placed_by_facilitator,
            embedding=_vector(i.embedding) if archive.embedding_model == embedding.MODEL else None,
        )
        db.add(row)
        idea_of[i.id] = row
    db.flush()
    for i in archive.ideas:
        if i.merged_into_id is not None:
            idea_of[i.id].merged_into_id = idea_of[i.merged_into_id].id
    for t in archive.themes:
        if t.merged_into_id is not None:
            theme_of[t.id].merged_into_id = theme_of[t.merged_into_id].id
        if t.representative_idea_id is not None:
            theme_of[t.id].representative_idea_id = idea_of[t.representative_idea_id].id

    for v in archive.votes:
        target = (theme_of if v.target_kind == "theme" else idea_of)[v.target_id]
        db.add(
            Vote(
                workshop_id=workshop.id,
                participant_id=participant_of[v.participant_id]
                if v.participant_id is not None
                else None,
                proxy_label=v.ballot,
                category=v.category,
                target_kind=v.target_kind,
                target_id=target.id,
                dots=v.dots,
            )
        )
    # The restored grouping is the curated one: nothing is waiting for a re-clustering.
    workshop.content_version = workshop.clustered_version = 1
    db.flush()
    if archive.action_plan is not None or archive.previous_session is not None:
        theme_ids = {old: row.id for old, row in theme_of.items()}
        plan.restore(db, workshop, archive.action_plan, archive.previous_session, theme_ids)
    if archive.comparison_decisions:
        from facilitation.previous import decisions

        decisions.restore(
            db,
            workshop,
            [dataclasses.asdict(d) for d in archive.comparison_decisions],
            {old: row.id for old, row in theme_of.items()},
        )
    return workshop
