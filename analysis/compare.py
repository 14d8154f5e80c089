"""Then and now: how the themes of a session relate to the themes of the session before it.

Why this method: the two sessions are vectorised together (one `IdeaVectorizer` fitted on the
ideas of both), so a word or a spelling used in either session weighs the same in both. A theme
is the mean of its ideas' vectors, and two themes are compared by the cosine of their means in
the joint word and character n-gram TF-IDF space (`sparse`, the default) or in its LSA
projection (`lsa`). A theme of today that is close enough to one or more earlier themes is
recurring (a theme that split or merged matches several), otherwise new; an earlier theme that
no theme of today matches was not raised again. Each idea of today also gets its closest earlier
idea when the two are similar enough. Thresholds and the space were chosen by measurement on
constructed pairs of sessions (docs/comparison.md).

Where every idea of both sessions has a semantic vector and each session has enough themes, the
themes are compared by those instead, calibrated on the sessions (`analysis.calibration`;
centred together when most ideas of both are in one language, each on its own when one session
is mostly Romanian and the other mostly English): this measured better than the TF-IDF rule on
status, on "new" and on "not raised again" (python -m benchmarks.comparison).

Theme labels typed by people (a theme column in a file, a facilitator's names) are used as they
are; a session without labels is clustered with `find_themes`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis import calibration
from analysis.comparison import (
    CLEAR,
    DECISIONS,
    EVIDENCE_PAIRS,
    IDEA_SIMILARITY,
    NEW,
    NOT_RAISED_AGAIN,
    RECURRING,
    REJECTED,
    RELATIVE_SIMILARITY,
    SPACES,
    THEME_SIMILARITY,
    WEAK,
    ComparedTheme,
    Comparison,
    IdeaLink,
    Pair,
)
from analysis.text import canonical, detect_language
from analysis.themes import find_themes
from analysis.vectors import IdeaVectorizer


def compare_sessions(
    previous: Sequence[str],
    current: Sequence[str],
    *,
    previous_themes: Sequence[str | None] | None = None,
    current_themes: Sequence[Hashable | None] | None = None,
    current_labels: Mapping[Hashable, str] | None = None,
    previous_votes: Sequence[int | None] | None = None,
    theme_similarity: float = THEME_SIMILARITY,
    relative_similarity: float = RELATIVE_SIMILARITY,
    idea_similarity: float = IDEA_SIMILARITY,
    space: str = "sparse",
    k_range: tuple[int, int] = (2, 12),
    language: str | None = None,
    random_state: int = 0,
    decisions: Sequence[tuple[Hashable, str, str]] = (),
    previous_vectors: np.ndarray | None = None,
    current_vectors: np.ndarray | None = None,
) -> Comparison:
    """Compare the themes of a session (current) with those of the session before (previous).

    previous_vectors and current_vectors, when both are given with one row per idea, are the
    ideas' semantic vectors (`analysis.embedding`): when each session has at least
    `calibration.MIN_POOLED_THEMES` themes (both mostly in one language) or
    `calibration.MIN_THEMES` (one mostly Romanian, the other mostly English), themes are compared
    by them, calibrated on the sessions (`analysis.calibration`). TF-IDF always finds the closest
    earlier idea of each idea.
    previous_themes[i] is the theme label of earlier idea i (None: unlabelled); without any label
    the earlier session is clustered. current_themes[i] is the theme key of idea i of today (None:
    in no theme yet, it still gets a closest earlier idea); without it today's ideas are
    clustered. current_labels names the keys (default: the key as text). decisions are the
    facilitator's (key of a theme of today, label of an earlier theme, "confirmed", "made" or
    "rejected"): confirmed and made pairs match whatever their similarity, rejected pairs never
    do; decisions about themes no longer there are left aside.
    """
    if space not in SPACES:
        raise ValueError(f"space must be one of {', '.join(SPACES)}, not {space!r}")
    with threadpool_limits(limits=1):
        return _compare(
            list(previous),
            list(current),
            previous_themes,
            current_themes,
            current_labels or {},
            previous_votes,
            theme_similarity,
            relative_similarity,
            idea_similarity,
            space,
            k_range,
            language,
            random_state,
            decisions,
            _usable(previous_vectors, len(previous), current_vectors, len(current)),
        )


def _usable(
    previous: np.ndarray | None, n_previous: int, current: np.ndarray | None, n_current: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Both sessions' vectors as float arrays, or None unless every idea has one."""
    if previous is None or current is None:
        return None
    previous, current = np.asarray(previous, dtype=float), np.asarray(current, dtype=float)
    if previous.ndim != 2 or current.ndim != 2 or previous.shape[1] != current.shape[1]:
        return None
    if len(previous) != n_previous or len(current) != n_current or not n_previous * n_current:
        return None
    return previous, current


def _compare(
    previous: list[str],
    current: list[str],
    previous_themes: Sequence[str | None] | None,
    current_themes: Sequence[Hashable | None] | None,
    current_labels: Mapping[Hashable, str],
    previous_votes: Sequence[int | None] | None,
    theme_similarity: float,
    relative_similarity: float,
    idea_similarity: float,
    space: str,
    k_range: tuple[int, int],
    language: str | None,
    random_state: int,
    decisions: Sequence[tuple[Hashable, str, str]] = (),
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
) -> Comparison:
    """compare_sessions, within the caller's thread limits."""
    before = _groups_of(
        previous,
        previous_themes,
        None,
        k_range,
        language,
        random_state,
        vectors[0] if vectors else None,
    )
    now = _groups_of(
        current,
        current_themes,
        current_labels,
        k_range,
        language,
        random_state,
        vectors[1] if vectors else None,
    )
    n_prev, n_cur = len(previous), len(current)
    dims = max(10, k_range[1], len(before), len(now))
    vectorizer = IdeaVectorizer(language=language, n_components=dims, random_state=random_state)
    try:
        lsa = vectorizer.fit_transform(previous + current)
    except ValueError:  # no content word in either session: nothing can be compared
        lsa = None
    if lsa is None:
        rows = np.zeros((n_prev + n_cur, 1))
    elif space == "lsa":
        rows = lsa
    else:
        rows = vectorizer.sparse_
    before_centres = _centres(rows, [m for _, m in before.values()], offset=0)
    now_centres = _centres(rows, [m for _, m in now.values()], offset=n_prev)
    similarity = (
        now_centres @ before_centres.T
        if len(before_centres) and len(now_centres)
        else np.zeros((len(now), len(before)))
    )
    similarity = np.clip(np.asarray(similarity, dtype=float), 0.0, 1.0)
    matched = match_themes(similarity, theme_similarity, relative_similarity)
    representation, words = "tfidf", lsa is not None
    pooled = vectors is not None and _main_language(previous) == _main_language(current)
    fewest = calibration.MIN_POOLED_THEMES if pooled else calibration.MIN_THEMES
    if vectors is not None and min(len(before), len(now)) >= fewest:
        representation = "semantic"
        raw, within_now, within_before = calibration.calibrated(
            vectors[0],
            [m for _, m in before.values()],
            vectors[1],
            [m for _, m in now.values()],
            pooled=pooled,
        )
        matched = match_themes(raw, calibration.MATCH, calibration.RELATIVE)
        similarity = np.clip(raw, 0.0, 1.0)
        unit = [v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9) for v in vectors]
        rows = np.vstack(unit)
        lsa = rows  # the evidence compares the ideas' own vectors
    computed = matched.copy()
    decided = _decided(decisions, list(now), [label for label, _ in before.values()])
    for (i, j), decision in decided.items():
        matched[i, j] = decision != REJECTED
    before_members = [m for _, m in before.values()]
    now_members = [m for _, m in now.values()]
    if representation == "semantic":
        strengths = strength_of(raw, matched, within_before, within_now)
    else:
        strengths = strength_of(
            similarity,
            matched,
            calibration.closest_other(_gram(before_centres)),
            calibration.closest_other(_gram(now_centres)),
        )
    pairs = {}
    for i, j in {*zip(*np.nonzero(matched), strict=True), *decided}:
        i, j = int(i), int(j)
        pairs[(i, j)] = Pair(
            strengths[i, j],
            _evidence(rows if lsa is not None else None, n_prev, before_members[j], now_members[i]),
            decided.get((i, j)),
            bool(computed[i, j]),
        )
    current_list = []
    for i, (key, (label, members)) in enumerate(now.items()):
        matches = tuple(int(j) for j in np.argsort(-similarity[i]) if matched[i, j])
        current_list.append(
            ComparedTheme(key, label, tuple(members), RECURRING if matches else NEW, matches)
        )
    previous_list = []
    for j, (key, (label, members)) in enumerate(before.items()):
        matches = tuple(int(i) for i in np.argsort(-similarity[:, j]) if matched[i, j])
        votes = None
        if previous_votes is not None and any(previous_votes[m] is not None for m in members):
            votes = sum(previous_votes[m] or 0 for m in members)
        previous_list.append(
            ComparedTheme(
                key,
                label,
                tuple(members),
                RECURRING if matches else NOT_RAISED_AGAIN,
                matches,
                votes,
            )
        )
    closest = _closest_ideas(vectorizer if words else None, n_prev, n_cur, idea_similarity)
    return Comparison(
        previous_list,
        current_list,
        similarity,
        closest,
        n_prev,
        n_cur,
        pairs,
        previous,
        current,
        representation,
    )


def _main_language(texts: Sequence[str]) -> str | None:
    """The language most of a session's ideas are in ("ro" or "en"; None without ideas)."""
    counts = Counter(detect_language(text) for text in texts)
    return counts.most_common(1)[0][0] if counts else None


def _decided(
    decisions: Sequence[tuple[Hashable, str, str]],
    current_keys: list[Hashable],
    previous_labels: list[str],
) -> dict[tuple[int, int], str]:
    """The facilitator's decisions as (current index, previous index) -> decision; an earlier
    theme is found by its label however it is typed, and decisions on themes gone are ignored."""
    now = {key: i for i, key in enumerate(current_keys)}
    then = {}
    for j, label in enumerate(previous_labels):
        then.setdefault(_label_key(label), j)
    decided = {}
    for key, label, decision in decisions:
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        i, j = now.get(key), then.get(_label_key(label))
        if i is not None and j is not None:
            decided[(i, j)] = decision
    return decided


def _label_key(label: str) -> str:
    """A theme label as compared: whatever its case, spacing or cedilla letters."""
    return canonical(" ".join(str(label).split())).casefold()


def strength_of(
    similarity: np.ndarray,
    matched: np.ndarray,
    within_before: np.ndarray,
    within_now: np.ndarray,
) -> np.ndarray:
    """ "clear" or "weak" for each pair of themes, calibrated on the two sessions themselves.

    within_before[j] (within_now[i]) is the similarity of earlier theme j (theme of today i) to
    the closest other theme of its own session. A pair is clear when the two themes are more
    alike than either is to the closest other theme of its session, and than any other pair of
    themes across the sessions that shares one of them: how alike two different themes of these
    sessions look (same language, same register, same city) is the floor a match must clear.
    Otherwise it is weak.
    """
    n_now, n_before = similarity.shape
    floor = np.zeros(similarity.shape)
    for i in range(n_now):
        for j in range(n_before):
            others = [within_now[i], within_before[j]]
            row = np.delete(similarity[i], j)
            column = np.delete(similarity[:, j], i)
            if row.size:
                others.append(float(row.max()))
            if column.size:
                others.append(float(column.max()))
            floor[i, j] = max(others)
    strength = np.full(similarity.shape, WEAK, dtype=object)
    strength[(similarity > floor) & matched] = CLEAR
    return strength


def _gram(centres: np.ndarray) -> np.ndarray:
    """Cosines between the unit centres of one session's themes."""
    return np.asarray(centres @ centres.T, dtype=float) if len(centres) else np.zeros((0, 0))


def _evidence(
    rows: Any, n_prev: int, before: list[int], now: list[int]
) -> tuple[tuple[int, int, float], ...]:
    """The closest pairs of ideas (earlier index, index of today, cosine) of two themes, each
    idea in one pair at most, closest first."""
    if rows is None or not before or not now:
        return ()
    then_rows = rows[before]
    now_rows = rows[[n_prev + i for i in now]]
    alike = now_rows @ then_rows.T
    alike = np.asarray(alike.toarray() if hasattr(alike, "toarray") else alike, dtype=float)
    pairs: list[tuple[int, int, float]] = []
    used_now: set[int] = set()
    used_then: set[int] = set()
    for flat in np.argsort(-alike, axis=None, kind="stable").tolist():
        a, b = divmod(flat, alike.shape[1])
        if a in used_now or b in used_then:
            continue
        pairs.append((before[b], now[a], round(float(alike[a, b]), 3)))
        used_now.add(a)
        used_then.add(b)
        if len(pairs) >= EVIDENCE_PAIRS:
            break
    return tuple(pairs)


def match_themes(
    similarity: np.ndarray,
    theme_similarity: float = THEME_SIMILARITY,
    relative_similarity: float = RELATIVE_SIMILARITY,
) -> np.ndarray:
    """Which (current, previous) theme pairs match, from their similarity matrix.

    A pair matches when its similarity is at least theme_similarity and one theme is the other's
    closest, while the pair reaches relative_similarity times the best similarity of the other
    theme as well. So a theme that split today matches its earlier theme from each part, two
    earlier themes merged today both match it, and a new theme whose closest earlier theme
    clearly continues in another theme of today stays new.
    """
    similarity = np.asarray(similarity, dtype=float)
    if not similarity.size:
        return np.zeros(similarity.shape, dtype=bool)
    row_best = similarity.max(axis=1, keepdims=True)
    column_best = similarity.max(axis=0, keepdims=True)
    floor = similarity >= theme_similarity - 1e-9
    by_row = (similarity >= row_best) & (similarity >= relative_similarity * column_best - 1e-9)
    by_column = (similarity >= column_best) & (similarity >= relative_similarity * row_best - 1e-9)
    return floor & (by_row | by_column)


def _groups_of(
    texts: list[str],
    keys: Sequence[Hashable | None] | None,
    labels: Mapping[Hashable, str] | None,
    k_range: tuple[int, int],
    language: str | None,
    random_state: int,
    embeddings: np.ndarray | None = None,
) -> dict[Hashable, tuple[str, list[int]]]:
    """Themes of one session, key -> (label, member indexes): as given, or found by clustering
    (by the ideas' semantic vectors when given).

    Labels given as text are matched whatever their case, spacing or cedilla letters, so "Tineri"
    and "tineri " on two flipchart rows are one theme; the first spelling names it.
    """
    if keys is not None and len(keys) != len(texts):
        raise ValueError("give one theme entry per idea")
    groups: dict[Hashable, tuple[str, list[int]]] = {}
    if keys is not None and any(k is not None for k in keys):
        for i, key in enumerate(keys):
            if key is None:
                continue
            if labels is None:  # typed labels: one theme per label, however it was typed
                shown = " ".join(str(key).split())
                key = canonical(shown).casefold()
                label = shown
            else:
                label = labels.get(key, str(key))
            groups.setdefault(key, (label, []))[1].append(i)
        if labels is not None or all(k is not None for k in keys):
            return groups
        # Some earlier ideas carry no label: they go with a labelled theme they are close to, or
        # form themes of their own (facilitator groups are fixed ideas for find_themes).
        fixed = [
            None if k is None else canonical(" ".join(str(k).split())).casefold() for k in keys
        ]
        found = find_themes(
            texts,
            fixed=fixed,
            closed=set(groups),
            k_range=k_range,
            language=language,
            random_state=random_state,
            embeddings=embeddings,
        )
        for theme in found.themes:
            if theme.key is None:
                groups[("cluster", theme.members[0])] = (theme.label or "…", list(theme.members))
        return groups
    if not texts:
        return groups
    if keys is not None:  # every idea of today is outside any theme
        return groups
    found = find_themes(
        texts,
        k_range=k_range,
        language=language,
        random_state=random_state,
        embeddings=embeddings,
    )
    for theme in found.themes:
        groups[theme.members[0]] = (theme.label or "…", list(theme.members))
    return groups


def _centres(rows: Any, groups: list[list[int]], offset: int) -> np.ndarray:
    """Unit mean vector of each group of rows (indexes shifted by offset)."""
    if not groups:
        return np.zeros((0, rows.shape[1]))
    means = [np.asarray(rows[[offset + i for i in g]].mean(axis=0)).ravel() for g in groups]
    return normalize(np.vstack(means))


def _closest_ideas(
    vectorizer: IdeaVectorizer | None, n_prev: int, n_cur: int, threshold: float
) -> list[IdeaLink | None]:
    """For each idea of today, the most similar earlier idea at or above threshold."""
    if vectorizer is None or not n_prev or not n_cur:
        return [None] * n_cur
    sparse = vectorizer.sparse_
    similarity = (sparse[n_prev:] @ sparse[:n_prev].T).toarray()
    best = similarity.argmax(axis=1)
    links: list[IdeaLink | None] = []
    for i, j in enumerate(best.tolist()):
        value = float(similarity[i, j])
        links.append(IdeaLink(j, round(value, 3)) if value >= threshold - 1e-9 else None)
    return links
