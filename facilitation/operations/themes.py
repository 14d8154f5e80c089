"""Themes: the facilitator's renames, and the results of re-clustering applied around them.

Re-clustering works around the facilitator: ideas placed by hand and members of locked themes are
passed to the analysis as fixed, locked themes take no new ideas, a renamed theme keeps its name,
and a theme that is recognisably the same group keeps its id, colour and position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import Clustering, match_groups
from facilitation import validation
from facilitation.models import Event, Idea, Theme, Workshop
from facilitation.operations import events
from facilitation.operations.errors import Rejected

# Colours that stay apart on a projector and carry dark text; reused in order.
PALETTE = (
    "#ffd166",
    "#8ecae6",
    "#b7e4c7",
    "#ffadad",
    "#cdb4db",
    "#fdffb6",
    "#a0c4ff",
    "#ffc6ff",
    "#caffbf",
    "#f4a261",
    "#9bf6ff",
    "#e9c46a",
)
MAX_THEME_NAME = 120


def get(db: Session, workshop: Workshop, theme_id: object) -> Theme:
    """A live theme of this workshop by id, or a rejection."""
    theme_id = validation.identifier(theme_id, "theme_id")
    theme = db.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop.id or theme.retired:
        raise Rejected("No such theme in this workshop.", "not_found")
    return theme


def rename(db: Session, workshop: Workshop, theme_id: object, name: object) -> list[Event]:
    """Give a theme the facilitator's name; re-clustering never changes it again."""
    theme = get(db, workshop, theme_id)
    name = validation.text(name, "Theme name", MAX_THEME_NAME)
    if theme.name == name and theme.renamed:
        return []
    theme.name = name
    theme.renamed = True
    workshop.curation_version += 1
    return [
        events.record(
            db, workshop, "theme_renamed", events.BOARD, {"theme_id": theme.id, "name": name}
        )
    ]


@dataclass
class ClusteringInput:
    """What one re-clustering of a workshop starts from, read in one short transaction."""

    workshop_id: int
    content_version: int
    curation_version: int
    k_range: tuple[int, int]
    idea_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    fixed: list[int | None] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)
    previous: dict[int, set[int]] = field(default_factory=dict)


def clustering_input(db: Session, workshop: Workshop) -> ClusteringInput:
    """Visible ideas with the facilitator's constraints, and the current theme memberships."""
    themes = {t.id: t for t in db.scalars(select(Theme).where(Theme.workshop_id == workshop.id))}
    data = ClusteringInput(
        workshop_id=workshop.id,
        content_version=workshop.content_version,
        curation_version=workshop.curation_version,
        k_range=(workshop.theme_count_min, workshop.theme_count_max),
        closed={t.id for t in themes.values() if t.locked and not t.retired},
    )
    ideas = db.scalars(
        select(Idea)
        .where(Idea.workshop_id == workshop.id, Idea.hidden.is_(False))
        .order_by(Idea.id)
    )
    for idea in ideas:
        theme = themes.get(idea.theme_id)
        pinned = (
            theme is not None and not theme.retired and (idea.placed_by_facilitator or theme.locked)
        )
        data.idea_ids.append(idea.id)
        data.texts.append(idea.text)
        data.fixed.append(theme.id if pinned else None)
        if theme is not None and not theme.retired:
            data.previous.setdefault(theme.id, set()).add(idea.id)
    return data


def apply_clustering(
    db: Session, workshop: Workshop, data: ClusteringInput, result: Clustering
) -> list[Event] | None:
    """Write a re-clustering's themes and memberships; None when curation made it stale."""
    if workshop.curation_version != data.curation_version:
        return None
    themes = {t.id: t for t in db.scalars(select(Theme).where(Theme.workshop_id == workshop.id))}
    keyed = {t.key for t in result.themes if t.key is not None}
    free_previous = {k: v for k, v in data.previous.items() if k not in keyed}
    free_groups = [t for t in result.themes if t.key is None]
    matches = match_groups(
        free_previous, [{data.idea_ids[i] for i in t.members} for t in free_groups]
    )
    match_of = {id(t): m for t, m in zip(free_groups, matches, strict=True)}

    used_colors = {t.color for t in themes.values() if not t.retired}
    next_position = max((t.position for t in themes.values()), default=0) + 1
    assignment: dict[int, int] = {}
    live: set[int] = set()
    for summary in result.themes:
        theme_id = summary.key if summary.key is not None else match_of[id(summary)]
        if theme_id is None:
            theme = Theme(
                workshop_id=workshop.id,
                name=summary.label or "…",
                renamed=False,
                locked=False,
                color=_free_color(used_colors, next_position),
                position=next_position,
                retired=False,
            )
            db.add(theme)
            db.flush()
            used_colors.add(theme.color)
            next_position += 1
            themes[theme.id] = theme
        else:
            theme = themes[theme_id]
            theme.retired = False
            if not theme.renamed and summary.label:
                theme.name = summary.label
        theme.terms = list(summary.terms)
        theme.representative_idea_id = (
            data.idea_ids[summary.representative] if summary.representative is not None else None
        )
        live.add(theme.id)
        for index in summary.members:
            assignment[data.idea_ids[index]] = theme.id

    for theme in themes.values():
        if theme.id not in live and not theme.retired and not theme.locked:
            theme.retired = True
    ideas = db.scalars(select(Idea).where(Idea.id.in_(assignment)))
    for idea in ideas:
        if not idea.placed_by_facilitator and not idea.hidden:
            idea.theme_id = assignment[idea.id]
    workshop.clustered_version = data.content_version
    visible = [t for t in themes.values() if not t.retired]
    payload = {
        "themes": [events.theme_view(t) for t in sorted(visible, key=lambda t: t.position)],
        "assignments": {str(k): v for k, v in assignment.items()},
    }
    return [events.record(db, workshop, "themes_updated", events.BOARD, payload)]


def _free_color(used: set[str], position: int) -> str:
    """The first palette colour not in use, or one chosen by position when all are taken."""
    for color in PALETTE:
        if color not in used:
            return color
    return PALETTE[position % len(PALETTE)]
