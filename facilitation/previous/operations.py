"""The previous session of a workshop: storing it, and comparing today's themes with it.

Importing replaces the workshop's previous session in one transaction (a bad file was refused
before anything is written). The comparison is computed from the database by the pure
`analysis.compare`, outside any write transaction, and written back with a `comparison_updated`
event for the boards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from analysis import worker as analysis_worker
from analysis.comparison import IDEA_SIMILARITY, RELATIVE_SIMILARITY, THEME_SIMILARITY
from analysis.jobs import ComparisonRequest
from facilitation.locks import may_start
from facilitation.models import (
    ComparisonChart,
    ComparisonDecision,
    Idea,
    PreviousIdea,
    PreviousSession,
    Theme,
    Workshop,
)
from facilitation.operations import events
from facilitation.operations.errors import Rejected
from facilitation.previous.parsing import ParsedSession
from facilitation.store import in_slices

MAX_TITLE = 200
# Closest earlier ideas sent to boards, at most; the rest stay in exports.
MAX_CLOSEST = 2000


def find(db: Session, workshop: Workshop) -> PreviousSession | None:
    """The workshop's previous session, if one was imported."""
    return db.scalar(select(PreviousSession).where(PreviousSession.workshop_id == workshop.id))


def import_session(
    db: Session,
    workshop: Workshop,
    parsed: ParsedSession,
    *,
    source: str = "",
    title: str | None = None,
    date: dt.date | None = None,
    illustrative: bool | None = None,
) -> PreviousSession:
    """Store a parsed file as the workshop's previous session, replacing any earlier one."""
    title = " ".join((title or parsed.title or "").split())
    if len(title) > MAX_TITLE:
        raise Rejected.counted(
            "The title is longer than %(num)d character.",
            "The title is longer than %(num)d characters.",
            MAX_TITLE,
        )
    if date is None and parsed.date:
        try:
            date = dt.date.fromisoformat(str(parsed.date)[:10])
        except ValueError:
            date = None
    remove(db, workshop)
    session = PreviousSession(
        workshop_id=workshop.id,
        title=title,
        session_date=date,
        source=(source or "")[-200:],
        file_format=parsed.format,
        encoding=parsed.encoding,
        illustrative=parsed.illustrative if illustrative is None else illustrative,
        imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        comparison=None,
        compared_key="",
    )
    db.add(session)
    db.flush()
    # One bulk insert, not an object per idea: the 20,000 ideas a file may hold are written in a
    # fraction of a second, during which the server's other writers (phones) wait.
    db.execute(
        insert(PreviousIdea),
        [
            {
                "previous_session_id": session.id,
                "position": n,
                "text": idea.text,
                "theme": idea.theme,
                "question": idea.question,
                "votes": idea.votes,
                "source_row": idea.row,
            }
            for n, idea in enumerate(parsed.ideas)
        ],
    )
    db.flush()
    return session


def remove(db: Session, workshop: Workshop) -> bool:
    """Forget the workshop's previous session; False when there was none."""
    session = find(db, workshop)
    if session is None:
        return False
    db.execute(delete(PreviousIdea).where(PreviousIdea.previous_session_id == session.id))
    db.delete(session)
    db.flush()
    return True


def summary(session: PreviousSession) -> dict[str, Any]:
    """What the pages and exports say about the previous session itself."""
    return {
        "title": session.title,
        "date": session.session_date.isoformat() if session.session_date else None,
        "source": session.source,
        "format": session.file_format,
        "encoding": session.encoding,
        "illustrative": session.illustrative,
        "imported_at": session.imported_at.isoformat() + "Z",
        "ideas": len(session.ideas),
    }


def embedding_progress(db: Session, session: PreviousSession) -> tuple[int, int]:
    """How many of a previous session's ideas have their semantic vector, and how many it has."""
    done, total = db.execute(
        select(func.count(PreviousIdea.embedding), func.count(PreviousIdea.id)).where(
            PreviousIdea.previous_session_id == session.id
        )
    ).one()
    return int(done), int(total)


def ideas_to_embed(db: Session, limit: int) -> list[tuple[int, int, list[tuple[int, str]]]]:
    """Previous-session ideas without a vector: (workshop id, session id, [(idea id, text)]).

    At most `limit` ideas per session, in the file's order.
    """
    waiting = db.execute(
        select(PreviousSession.workshop_id, PreviousSession.id)
        .where(
            select(PreviousIdea.id)
            .where(
                PreviousIdea.previous_session_id == PreviousSession.id,
                PreviousIdea.embedding.is_(None),
            )
            .exists()
        )
        .order_by(PreviousSession.id)
    ).all()
    batches = []
    for workshop_id, session_id in waiting:
        rows = db.execute(
            select(PreviousIdea.id, PreviousIdea.text)
            .where(PreviousIdea.previous_session_id == session_id, PreviousIdea.embedding.is_(None))
            .order_by(PreviousIdea.position, PreviousIdea.id)
            .limit(limit)
        ).all()
        batches.append((workshop_id, session_id, [(row.id, row.text) for row in rows]))
    return batches


def store_vectors(db: Session, session_id: int, vectors: list[tuple[int, str, bytes]]) -> bool:
    """Keep the vectors (idea id, its text, vector) computed for a previous session's ideas;
    True once all its ideas have one, and the comparison is then made again with them.

    A vector is kept only where the idea still has that text: a session replaced meanwhile may
    have reused the ids.
    """
    session = db.get(PreviousSession, session_id)
    if session is None:  # removed meanwhile: its ideas are gone too
        return False
    if vectors:
        table = PreviousIdea.__table__
        db.execute(
            update(table)
            .where(
                table.c.id == bindparam("idea_id"),
                table.c.text == bindparam("idea_text"),
                table.c.previous_session_id == session_id,
            )
            .values(embedding=bindparam("vector")),
            [{"idea_id": i, "idea_text": t, "vector": v} for i, t, v in vectors],
        )
    done, total = embedding_progress(db, session)
    if done == total:
        inputs_changed(session)
        return True
    return False


@dataclass
class ComparisonInput:
    """What one comparison starts from, read in one short transaction."""

    workshop_id: int
    session_id: int
    key: str
    summary: dict[str, Any]
    previous_texts: list[str] = field(default_factory=list)
    previous_themes: list[str | None] = field(default_factory=list)
    previous_votes: list[int | None] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    theme_ids: list[int | None] = field(default_factory=list)
    theme_names: dict[int, str] = field(default_factory=dict)
    k_range: tuple[int, int] = (2, 12)
    # The facilitator's decisions: (theme id, earlier theme label, decision).
    decisions: list[tuple[int, str, str]] = field(default_factory=list)
    # Stored semantic vectors (None where not computed yet), of earlier ideas and today's.
    previous_vectors: list[bytes | None] = field(default_factory=list)
    vectors: list[bytes | None] = field(default_factory=list)


def inputs_changed(session: PreviousSession) -> None:
    """Make the comparison due now: one of its inputs changed that the workshop does not count.

    A comparison read before this and stored after it keeps the older key, so it is made again.
    """
    session.inputs_version = (session.inputs_version or 0) + 1
    session.compare_after = None


def state_key(workshop: Workshop, session: PreviousSession) -> str:
    """What a comparison depends on: the previous session, its decisions and vectors, and the
    workshop's ideas and themes."""
    return (
        f"{session.id}.{session.inputs_version}:{workshop.content_version}:"
        f"{workshop.clustered_version}:{workshop.curation_version}"
    )


def comparison_input(db: Session, workshop: Workshop) -> ComparisonInput | None:
    """The previous session's ideas and today's visible ideas with their live themes."""
    session = find(db, workshop)
    if session is None:
        return None
    data = ComparisonInput(
        workshop_id=workshop.id,
        session_id=session.id,
        key=state_key(workshop, session),
        summary=summary(session),
        k_range=(workshop.theme_count_min, workshop.theme_count_max),
    )
    for idea in session.ideas:
        data.previous_texts.append(idea.text)
        data.previous_themes.append(idea.theme)
        data.previous_votes.append(idea.votes)
    data.previous_vectors = list(
        db.scalars(
            select(PreviousIdea.embedding)
            .where(PreviousIdea.previous_session_id == session.id)
            .order_by(PreviousIdea.position, PreviousIdea.id)
        )
    )
    live = {
        t.id: t.name
        for t in db.scalars(
            select(Theme).where(Theme.workshop_id == workshop.id, Theme.retired.is_(False))
        )
    }
    data.theme_names = live
    # Plain rows on the session's connection, not through the ORM (this runs on the server's
    # loop, and a large room has thousands of ideas).
    ideas = db.connection().execute(
        select(Idea.id, Idea.text, Idea.theme_id, Idea.embedding)
        .where(Idea.workshop_id == workshop.id, Idea.hidden.is_(False), Idea.held.is_(False))
        .order_by(Idea.id)
    )
    for idea_id, text, theme_id, vector in in_slices(ideas):
        data.idea_ids.append(idea_id)
        data.texts.append(text)
        data.theme_ids.append(theme_id if theme_id in live else None)
        data.vectors.append(vector)
    data.decisions = decisions(db, workshop)
    return data


def decisions(db: Session, workshop: Workshop) -> list[tuple[int, str, str]]:
    """The facilitator's decisions as (theme id, earlier theme label, decision), oldest first."""
    rows = db.scalars(
        select(ComparisonDecision)
        .where(ComparisonDecision.workshop_id == workshop.id)
        .order_by(ComparisonDecision.id)
    )
    return [(row.theme_id, row.previous_label, row.decision) for row in rows]


def thresholds(config: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The comparison thresholds of an application's configuration (the analysis defaults
    without one)."""
    if config is None:
        return {
            "theme_similarity": THEME_SIMILARITY,
            "relative_similarity": RELATIVE_SIMILARITY,
            "idea_similarity": IDEA_SIMILARITY,
        }
    return {
        "theme_similarity": float(config["COMPARISON_THEME_SIMILARITY"]),
        "relative_similarity": float(config["COMPARISON_RELATIVE_SIMILARITY"]),
        "idea_similarity": float(config["COMPARISON_IDEA_SIMILARITY"]),
    }


def request_for(
    data: ComparisonInput,
    settings: dict[str, float] | None = None,
    chart_words: dict[str, dict[str, str]] | None = None,
) -> ComparisonRequest:
    """The worker's typed request for one comparison (and its charts in each language given)."""
    return ComparisonRequest(
        previous_texts=data.previous_texts,
        previous_themes=data.previous_themes,
        previous_votes=data.previous_votes,
        texts=data.texts,
        theme_ids=data.theme_ids,
        theme_names=data.theme_names,
        k_range=data.k_range,
        settings=settings or thresholds(),
        decisions=data.decisions,
        previous_vectors=data.previous_vectors,
        vectors=data.vectors,
        chart_words=chart_words or {},
    )


def compute(
    data: ComparisonInput,
    settings: dict[str, float] | None = None,
    run: Callable[..., Any] | None = None,
    chart_words: dict[str, dict[str, str]] | None = None,
) -> tuple[dict[str, Any], dict[tuple[str, str], bytes]]:
    """The comparison as plain values (see `comparison_for_workshop`) and its charts by
    (language, "sizes.svg"); no database.

    run(name, *args, languages_of=texts) runs the job `analysis.jobs.comparison` in the
    clustering worker process (`BackgroundClusterer.compute`); by default it runs here, which
    only the command line does: a request or an event handler never computes a comparison.
    """
    settings = settings or thresholds()
    job = (run or _here)(
        "analysis.jobs.comparison",
        request_for(data, settings, chart_words),
        languages_of=[*data.previous_texts, *data.texts],
    )
    return view_of(data, job.comparison, settings), job.charts


def view_of(data: ComparisonInput, result: Any, settings: dict[str, float]) -> dict[str, Any]:
    """What boards, pages and exports read of a comparison: plain JSON-able values."""
    view = result.as_dict()
    for theme in view["current_themes"]:
        theme["theme_id"] = theme.pop("key")
    for theme in view["previous_themes"]:
        theme.pop("key")
    closest = []
    for i, link in enumerate(result.closest):
        if link is None or len(closest) >= MAX_CLOSEST:
            continue
        closest.append(
            {
                "idea_id": data.idea_ids[i],
                "previous_text": data.previous_texts[link.previous],
                "previous_theme": data.previous_themes[link.previous]
                or _cluster_label(result, link.previous),
                "similarity": link.similarity,
            }
        )
    view["closest"] = closest
    view["previous_session"] = data.summary
    view["settings"] = settings
    return view


def _here(name: str, *args: Any, languages_of: object = (), **kwargs: Any) -> Any:
    """Run analysis function `name` in this process (languages are decided as it goes)."""
    return analysis_worker.call(name, {}, args, kwargs)


def _cluster_label(result: Any, index: int) -> str | None:
    """The label of the earlier theme an unlabelled earlier idea was clustered into."""
    for theme in result.previous_themes:
        if index in theme.members:
            return theme.label
    return None


def comparison_for_workshop(db: Session, workshop: Workshop) -> dict[str, Any] | None:
    """Today's themes against the previous session, as plain JSON-able values; None without one.

    Returns {previous_session: {title, date, source, format, encoding, illustrative,
    imported_at, ideas}, previous_themes: [{label, ideas, votes, status ("recurring" or
    "not_raised_again"), matches: [labels of today's themes]}], current_themes: [{theme_id,
    label, ideas, status ("recurring" or "new"), matches: [labels of earlier themes, closest
    first], similarities, ideas_then, share_now, share_then, trend ("grew", "shrank", "same" or
    null)}], similarity: [[cosine of current theme i and previous theme j]], ideas_then,
    ideas_now, closest: [{idea_id, previous_text, previous_theme, similarity}], settings};
    docs/events.md (`comparison_updated`) lists the fields of each match. Computed in this
    process: for the command line only (the server computes it in its worker).
    """
    data = comparison_input(db, workshop)
    if data is None:
        return None
    return compute(data)[0]


def store_comparison(
    db: Session,
    workshop: Workshop,
    data: ComparisonInput,
    view: dict[str, Any],
    charts: dict[tuple[str, str], bytes] | None = None,
) -> list:
    """Keep a computed comparison and its charts, and tell the boards; nothing when the session
    changed since. Charts, when drawn, replace the stored ones (and the boards hear of them even
    when the comparison is the same); without charts the stored ones stay."""
    session = find(db, workshop)
    if session is None or session.id != data.session_id:
        return []
    session.compared_key = data.key
    if charts:
        session.charted_key = data.key
        db.execute(delete(ComparisonChart).where(ComparisonChart.previous_session_id == session.id))
        db.execute(
            insert(ComparisonChart),
            [
                {"previous_session_id": session.id, "language": lang, "name": name, "body": body}
                for (lang, name), body in sorted(charts.items())
            ],
        )
    if session.comparison == view and not charts:
        return []
    session.comparison = view
    return [events.record(db, workshop, "comparison_updated", events.BOARD, view)]


def stored_comparison(db: Session, workshop: Workshop) -> dict[str, Any] | None:
    """The last comparison sent to boards; None without one (never computed here)."""
    session = find(db, workshop)
    if session is None:
        return None
    return session.comparison


def stored_chart(db: Session, workshop: Workshop, name: str, language: str) -> bytes | None:
    """A chart of the last comparison, as the worker drew it ("sizes.svg"), or None."""
    session = find(db, workshop)
    if session is None:
        return None
    return db.scalar(
        select(ComparisonChart.body).where(
            ComparisonChart.previous_session_id == session.id,
            ComparisonChart.name == name,
            ComparisonChart.language == language,
        )
    )


def due(db: Session, charts: bool = True) -> list[int]:
    """Workshops whose previous session was not yet compared with their current ideas, and with
    charts=True also those whose charts do not show their last comparison yet.

    A workshop whose last comparison was heavy waits out its back-off (`locks.hold_back`).
    """
    rows = db.execute(
        select(PreviousSession, Workshop)
        .join(Workshop)
        .where(may_start(PreviousSession.compare_after))
    ).all()
    return [
        w.id
        for s, w in rows
        if s.compared_key != state_key(w, s)
        or (charts and s.comparison is not None and s.charted_key != s.compared_key)
    ]
