"""Themes: the facilitator's renames, and the results of re-clustering applied around them.

Re-clustering works around the facilitator: ideas placed by hand and members of locked themes are
passed to the analysis as fixed, locked themes take no new ideas, a renamed theme keeps its name,
and a theme that is recognisably the same group keeps its id, colour and position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from analysis import embedding
from analysis.placement import Clustering, ThemeSummary
from facilitation import validation
from facilitation.models import Event, Idea, Theme, Workshop
from facilitation.operations import audit, events
from facilitation.operations.errors import Rejected
from facilitation.store import IN_BATCH, in_slices

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
THEME_COUNT_LIMITS = (1, 30)
# One column of many ideas by id, as one plain executemany: an ORM bulk update of a thousand
# ideas costs several times the statement itself, on the server's loop and under the lock.
_SET_THEME = (
    update(Idea.__table__)
    .where(Idea.__table__.c.id == bindparam("idea"))
    .values(theme_id=bindparam("value"))
)
_SET_EMBEDDING = (
    update(Idea.__table__)
    .where(Idea.__table__.c.id == bindparam("idea"))
    .values(embedding=bindparam("value"))
)


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
    name = validation.text_field(name, "Theme name", MAX_THEME_NAME)
    if theme.name == name and theme.renamed:
        return []
    audit.record(db, workshop, "rename_theme", {"theme_id": theme.id, "name": name}, themes=[theme])
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
    # The live theme each idea is in now (None for new ideas): lets clustering continue themes.
    current: list[int | None] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)
    previous: dict[int, set[int]] = field(default_factory=dict)
    # Each idea's stored semantic vector (None until the worker computed it).
    vectors: list[bytes | None] = field(default_factory=list)
    language: str = "ro"


def clustering_input(db: Session, workshop: Workshop) -> ClusteringInput:
    """Visible ideas with the facilitator's constraints, and the current theme memberships."""
    # Plain rows on the session's connection, not through the ORM: a large room is read in a
    # fraction of the time (this runs on the server's loop). Whether each live theme is locked;
    # the retired themes, which pile up over a room's rounds, are not read.
    connection = db.connection()
    locked = dict(
        connection.execute(
            select(Theme.id, Theme.locked).where(
                Theme.workshop_id == workshop.id, Theme.retired.is_(False)
            )
        ).all()
    )
    data = ClusteringInput(
        workshop_id=workshop.id,
        content_version=workshop.content_version,
        curation_version=workshop.curation_version,
        k_range=(workshop.theme_count_min, workshop.theme_count_max),
        closed={theme_id for theme_id, is_locked in locked.items() if is_locked},
        language=workshop.language,
    )
    ideas = connection.execute(
        select(Idea.id, Idea.text, Idea.theme_id, Idea.placed_by_facilitator, Idea.embedding)
        .where(Idea.workshop_id == workshop.id, Idea.hidden.is_(False))
        .order_by(Idea.id)
    )
    # Read in slices: a large room's every idea would hold the server's loop (a read
    # transaction, so phones' writes go on meanwhile).
    rows = [
        (idea_id, text, theme_id if theme_id in locked else None, placed, vector)
        for idea_id, text, theme_id, placed, vector in in_slices(ideas)
    ]
    # A theme with an idea placed by hand is the facilitator's group: all its ideas stay in it
    # (its centre would otherwise be the ideas placed by hand alone, and the others would leave).
    by_hand = {current for _, _, current, placed, _ in rows if placed and current is not None}
    for idea_id, text, current, _, vector in rows:
        data.idea_ids.append(idea_id)
        data.texts.append(text)
        data.vectors.append(vector)
        data.current.append(current)
        if current is None:
            data.fixed.append(None)
            continue
        data.fixed.append(current if locked[current] or current in by_hand else None)
        data.previous.setdefault(current, set()).add(idea_id)
    return data


def store_vectors(db: Session, vectors: dict[int, bytes]) -> None:
    """Keep the semantic vectors the worker computed, so that no idea is embedded twice."""
    if vectors:
        rows = [{"idea": idea_id, "value": blob} for idea_id, blob in vectors.items()]
        db.connection().execute(_SET_EMBEDDING, rows)


def apply_clustering(
    db: Session,
    workshop: Workshop,
    data: ClusteringInput,
    result: Clustering,
    continued: list[int | None],
) -> list[Event] | None:
    """Write a re-clustering's themes and memberships; None when curation made it stale.

    continued[i] is the live theme that theme i of the result continues, or None for a new theme
    (`analysis.themes.continue_themes`).
    """
    if workshop.curation_version != data.curation_version:
        return None
    # The live themes and the retired ones this clustering brings back (a room's retired themes
    # pile up over its rounds, and none of the others is touched).
    kept = [theme_id for theme_id in continued if theme_id is not None]
    themes = {
        t.id: t
        for t in db.scalars(
            select(Theme).where(
                Theme.workshop_id == workshop.id, or_(Theme.retired.is_(False), Theme.id.in_(kept))
            )
        )
    }

    # Colours of the themes live after this clustering, so that each new theme takes a colour no
    # other theme on the board has: the themes it continues (a retired one it brings back keeps
    # its colour) and the locked ones, which stay; the others are retired below.
    used_colors = {themes[theme_id].color for theme_id in kept} | {
        t.color for t in themes.values() if t.locked and not t.retired
    }
    last = None
    chosen = []
    for summary, theme_id in zip(result.themes, continued, strict=True):
        if theme_id is None:
            if last is None:
                last = _last_position(db, workshop)
            last += 1
            theme = _new_theme(db, workshop, summary.label, used_colors, last, flush=False)
        else:
            theme = themes[theme_id]
            theme.retired = False
            if not theme.renamed and summary.label:
                theme.name = summary.label
        chosen.append(theme)
    if last is not None:
        db.flush()  # the new themes' ids, in one statement
    assignment: dict[int, int] = {}
    live: set[int] = set()
    for summary, theme in zip(result.themes, chosen, strict=True):
        themes[theme.id] = theme
        _describe(theme, summary, data.idea_ids)
        live.add(theme.id)
        ids, theme_id = data.idea_ids, theme.id  # read once, not per idea from the ORM object
        assignment.update((ids[index], theme_id) for index in summary.members)

    for theme in themes.values():
        if theme.id not in live and not theme.retired and not theme.locked:
            theme.retired = True
    # Only the ideas that change theme are written, in one executemany by primary key, and only
    # they are sent: boards apply `assignments` over what they hold (ideas placed by hand, or
    # that arrived since the clustering's input was read, keep their theme). Only the ideas
    # whose theme differs from the one read with the input are read again (this runs under the
    # workshop's lock, on the server's loop: a large room's every idea would hold it).
    current = dict(zip(data.idea_ids, data.current, strict=True))
    candidates = [idea_id for idea_id, new in assignment.items() if current.get(idea_id) != new]
    moved = []
    for start in range(0, len(candidates), IN_BATCH):
        for idea_id, theme_id, by_hand in db.connection().execute(
            select(Idea.id, Idea.theme_id, Idea.placed_by_facilitator).where(
                Idea.id.in_(candidates[start : start + IN_BATCH]), Idea.hidden.is_(False)
            )
        ):
            new = theme_id if by_hand else assignment[idea_id]
            if new != theme_id:
                moved.append({"idea": idea_id, "value": new})
    if moved:
        db.connection().execute(_SET_THEME, moved)
    workshop.clustered_version = data.content_version
    changed = {str(m["idea"]): m["value"] for m in moved}
    return [_themes_updated(db, workshop, "clustering", changed)]


def _last_position(db: Session, workshop: Workshop) -> int:
    """The position of the workshop's last theme, retired ones included (0 without themes)."""
    return db.scalar(select(func.max(Theme.position)).where(Theme.workshop_id == workshop.id)) or 0


def _new_theme(
    db: Session,
    workshop: Workshop,
    name: str,
    used_colors: set[str],
    position: int | None = None,
    flush: bool = True,
) -> Theme:
    """A new theme after the last one (or at position), in the first colour not on the board;
    without flush its id waits for the caller's flush."""
    if position is None:
        position = _last_position(db, workshop) + 1
    theme = Theme(
        workshop_id=workshop.id,
        name=name or "…",
        renamed=False,
        locked=False,
        color=_free_color(used_colors, position),
        position=position,
        retired=False,
        terms=[],
    )
    db.add(theme)
    if flush:
        db.flush()
    used_colors.add(theme.color)
    return theme


def _describe(theme: Theme, summary, idea_ids: list[int]) -> None:  # noqa: ANN001
    """Copy what explains a group (top terms, most representative idea) onto its theme."""
    theme.terms = list(summary.terms)
    theme.representative_idea_id = (
        idea_ids[summary.representative] if summary.representative is not None else None
    )


def theme_state(
    db: Session, workshop: Workshop, grouping: dict[str, int | None] | None = None
) -> dict:
    """Every live theme and the theme of every visible idea: the board's whole grouping.

    grouping, when given, maps the ids (strings) of the ideas that changed theme to their new
    theme; otherwise every visible idea's theme is read here.
    """
    db.flush()
    themes = db.scalars(
        select(Theme)
        .where(Theme.workshop_id == workshop.id, Theme.retired.is_(False))
        .order_by(Theme.position)
    )
    if grouping is None:
        ideas = db.execute(
            select(Idea.id, Idea.theme_id).where(
                Idea.workshop_id == workshop.id, Idea.hidden.is_(False)
            )
        )
        grouping = {str(idea_id): theme_id for idea_id, theme_id in ideas}
    return {"themes": [events.theme_view(t) for t in themes], "assignments": grouping}


def _themes_updated(
    db: Session, workshop: Workshop, reason: str, grouping: dict[str, int | None] | None = None
) -> Event:
    """Record the themes, and the ideas' themes (those in grouping, else all), as one event."""
    payload = {"reason": reason, **theme_state(db, workshop, grouping)}
    return events.record(db, workshop, "themes_updated", events.BOARD, payload)


def _members(db: Session, theme: Theme) -> list[Idea]:
    """The ideas of a theme, merged duplicates included, in order of arrival."""
    return list(db.scalars(select(Idea).where(Idea.theme_id == theme.id).order_by(Idea.id)))


def lock(db: Session, workshop: Workshop, theme_id: object, locked: object) -> list[Event]:
    """Lock a theme (its members stay, no new idea joins it by clustering) or unlock it."""
    theme = get(db, workshop, theme_id)
    locked = validation.flag(locked, "locked")
    if theme.locked == locked:
        return []
    audit.record(
        db,
        workshop,
        "lock_theme" if locked else "unlock_theme",
        {"theme_id": theme.id},
        themes=[theme],
    )
    theme.locked = locked
    workshop.curation_version += 1
    return [
        events.record(
            db, workshop, "theme_locked", events.BOARD, {"theme_id": theme.id, "locked": locked}
        )
    ]


def merge(db: Session, workshop: Workshop, theme_ids: object, into: object) -> list[Event]:
    """Merge themes into one; their ideas stay together through every later re-clustering."""
    if not isinstance(theme_ids, list) or not 2 <= len(theme_ids) <= 30:
        raise Rejected("theme_ids must list 2 to 30 themes.", "malformed")
    chosen = [get(db, workshop, t) for t in theme_ids]
    target = get(db, workshop, into)
    if target.id not in {t.id for t in chosen}:
        raise Rejected("The theme to merge into must be one of the merged themes.", "malformed")
    others = [t for t in chosen if t.id != target.id]
    members = [i for t in chosen for i in _members(db, t)]
    audit.record(
        db,
        workshop,
        "merge_themes",
        {"theme_ids": [t.id for t in chosen], "into": target.id},
        ideas=members,
        themes=chosen,
    )
    for idea in members:
        idea.theme_id = target.id
        idea.placed_by_facilitator = True
    for theme in others:
        theme.retired = True
        theme.merged_into_id = target.id
    workshop.curation_version += 1
    return [_themes_updated(db, workshop, "merge")]


@dataclass
class SplitPlan:
    """What splitting a theme starts from: its ideas now, and how they are to be divided."""

    member_ids: list[int]
    texts: list[str]
    parts: int | None = None
    # Indexes into member_ids of each part, when the facilitator picked the ideas to take out.
    groups: list[list[int]] | None = None
    # The ideas' stored semantic vectors (rows in member_ids order), or None if any is missing.
    embeddings: np.ndarray | None = None


def plan_split(
    db: Session,
    workshop: Workshop,
    theme_id: object,
    *,
    parts: object = None,
    idea_ids: object = None,
) -> SplitPlan:
    """Check a split request against the theme as it is now; refused with the reason if wrong."""
    return _check_split(db, workshop, theme_id, parts, idea_ids)[2]


def _check_split(
    db: Session, workshop: Workshop, theme_id: object, parts: object, idea_ids: object
) -> tuple[Theme, list[Idea], SplitPlan]:
    """`plan_split`, also giving the theme and all its ideas (merged and hidden ones too)."""
    theme = get(db, workshop, theme_id)
    if theme.locked:
        raise Rejected("Unlock the theme before splitting it.", "conflict")
    everyone = _members(db, theme)
    members = [i for i in everyone if not i.hidden and i.merged_into_id is None]
    plan = SplitPlan([i.id for i in members], [i.text for i in members])
    stored = dict(
        db.execute(select(Idea.id, Idea.embedding).where(Idea.id.in_(plan.member_ids))).all()
    )
    plan.embeddings = embedding.stack([stored.get(i) for i in plan.member_ids])
    if idea_ids is not None:
        if not isinstance(idea_ids, list) or not idea_ids:
            raise Rejected("idea_ids must list the ideas to take out.", "malformed")
        picked = {validation.identifier(i, "idea_id") for i in idea_ids}
        if not picked <= set(plan.member_ids):
            raise Rejected("Every idea to take out must belong to this theme.", "malformed")
        if len(picked) == len(members):
            raise Rejected("Leave at least one idea in the theme.", "malformed")
        plan.groups = [
            [n for n, i in enumerate(plan.member_ids) if i not in picked],
            [n for n, i in enumerate(plan.member_ids) if i in picked],
        ]
    else:
        if isinstance(parts, bool) or not isinstance(parts, int) or not 2 <= parts <= 10:
            raise Rejected("parts must be a whole number from 2 to 10.", "malformed")
        if len(members) < parts:
            raise Rejected.counted(
                "This theme has fewer than %(num)d idea.",
                "This theme has fewer than %(num)d ideas.",
                parts,
                "malformed",
            )
        plan.parts = parts
    return theme, everyone, plan


def divide(plan: SplitPlan) -> list[ThemeSummary]:
    """The parts of a planned split, computed in this process (the server uses its worker)."""
    from analysis.themes import split_theme

    return split_theme(plan.texts, parts=plan.parts, groups=plan.groups, embeddings=plan.embeddings)


def split(
    db: Session,
    workshop: Workshop,
    theme_id: object,
    *,
    parts: object = None,
    idea_ids: object = None,
    planned: tuple[SplitPlan, list[ThemeSummary]] | None = None,
) -> list[Event]:
    """Split a theme: re-cluster its ideas into `parts` themes, or take `idea_ids` out of it.

    planned is (plan, parts) computed before this transaction (`plan_split`, then
    `analysis.themes.split_theme` in the worker); without it the parts are computed here. A theme
    whose ideas changed meanwhile is not split with an outdated plan.
    """
    theme, everyone, plan = _check_split(db, workshop, theme_id, parts, idea_ids)
    if planned is None:
        summaries = divide(plan)
    elif planned[0].member_ids != plan.member_ids:
        raise Rejected("The theme changed while it was being split; try again.", "conflict")
    else:
        summaries = planned[1]
    by_id = {i.id: i for i in everyone}
    members = [by_id[i] for i in plan.member_ids]
    chosen = set(plan.member_ids)
    followers = [i for i in everyone if i.id not in chosen]
    entry = audit.record(
        db,
        workshop,
        "split_theme",
        {"theme_id": theme.id, "parts": parts, "idea_ids": idea_ids},
        ideas=[*members, *followers],
        themes=[theme],
    )
    used_colors = set(
        db.scalars(
            select(Theme.color).where(Theme.workshop_id == workshop.id, Theme.retired.is_(False))
        )
    )
    for n, summary in enumerate(summaries):
        if n == 0:
            target = theme
        else:
            target = _new_theme(db, workshop, summary.label, used_colors)
            _describe(target, summary, plan.member_ids)
            audit.note_created_theme(entry, target)
        for index in summary.members:
            members[index].theme_id = target.id
            members[index].placed_by_facilitator = True
    for follower in followers:
        primary = db.get(Idea, follower.merged_into_id) if follower.merged_into_id else None
        if primary is not None:
            follower.theme_id = primary.theme_id
    workshop.curation_version += 1
    return [_themes_updated(db, workshop, "split")]


def set_theme_range(
    db: Session, workshop: Workshop, minimum: object, maximum: object
) -> list[Event]:
    """Set how many themes clustering may choose from; the board re-clusters soon after."""
    low, high = THEME_COUNT_LIMITS
    for value in (minimum, maximum):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Rejected(
                "The number of themes must be from %(low)s to %(high)s.",
                "malformed",
                low=low,
                high=high,
            )
    if minimum > maximum:
        raise Rejected("The smallest number of themes is larger than the largest.", "malformed")
    if (workshop.theme_count_min, workshop.theme_count_max) == (minimum, maximum):
        return []
    audit.record(
        db, workshop, "set_theme_range", {"min": minimum, "max": maximum}, workshop_fields=True
    )
    workshop.theme_count_min, workshop.theme_count_max = minimum, maximum
    workshop.content_version += 1
    return [
        events.record(
            db, workshop, "workshop_updated", events.PHONES, events.workshop_view(workshop)
        )
    ]


def undo(db: Session, workshop: Workshop) -> list[Event]:
    """Undo the facilitator's last action that is not undone yet; boards redraw from scratch."""
    entry = audit.last_undoable(db, workshop)
    if entry is None:
        raise Rejected("There is nothing to undo.", "not_found")
    audit.restore(db, workshop, entry)
    audit.record(
        db, workshop, "undo", {"action": entry.action, "detail": entry.detail}, undoable=False
    )
    workshop.curation_version += 1
    workshop.content_version += 1
    return [
        events.record(db, workshop, "refresh", events.BOARD, {"reason": "undo"}),
        events.record(
            db, workshop, "workshop_updated", events.PHONES, events.workshop_view(workshop)
        ),
    ]


def _free_color(used: set[str], position: int) -> str:
    """The first palette colour not in use, or one chosen by position when all are taken."""
    for color in PALETTE:
        if color not in used:
            return color
    return PALETTE[position % len(PALETTE)]
