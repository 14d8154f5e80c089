"""How strongly a theme of today continues an earlier theme, measured against each session itself.

Semantic similarities are compressed (unrelated ideas still score about 0.8), and how close two
themes of the same topic come depends on how many ideas each has and how varied they are: one
global cosine threshold cannot tell "same topic" from "same language and register". So:

1. Each session's vectors are centred on that session's mean. What every idea of a session shares
   (its language, its register, the workshop's general subject) goes; what tells its themes apart
   stays. Ideas in Romanian then and in English now compare as well as ideas in one language.
   When both sessions are in one language ("pooled"), both are centred on the mean of all their
   ideas together instead: a language they share need not be taken out of each one, and a
   session's own mean would also take out the topic its themes share with the other session (with
   two or three themes a session's centred themes point away from each other whatever they say).
2. A theme's centre is the mean of its ideas. Two samples of one topic do not give the same centre:
   the fewer and the more varied the ideas, the further apart. Each session says how far, from its
   own themes: the cosine between the centres of two random halves of a theme (split-half), turned
   by the Spearman-Brown rule into the reliability of a centre of n ideas,
   `r(n) = rho * n / (rho * n + 1)`, with one `rho` per session (the median over its themes of
   four or more ideas).
3. The agreement of two themes is their centres' cosine divided by `sqrt(r_today * r_then)`: the
   cosine their centres would have if each had endless ideas ("corrected for attenuation"). About 1
   for the same topic, whatever the sizes; well below for different topics.

Measured on constructed pairs of sessions in docs/comparison.md. Plain NumPy, deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Agreement from which a theme of today continues an earlier theme (chosen on SIB-200's train
# rows with today's themes clustered: docs/comparison.md, python -m benchmarks.comparison), and,
# as in analysis.compare.match_themes, the share of the other side's best a pair must reach too.
MATCH = 0.7
RELATIVE = 0.6
# Centring on a session's mean needs enough themes: with two, their centres point in opposite
# directions whatever they say. Below this many themes on either side, TF-IDF compares them.
MIN_THEMES = 4
# Sessions in one language, centred together: the agreement of a match is lower than across
# languages (what a continued topic shares is not taken out), so its own level (chosen on the
# same rows as MATCH); the agreement is reported scaled so that MATCH stays the level of a match.
# Centred together, each session needs only this many themes.
POOLED_MATCH = 0.3
MIN_POOLED_THEMES = 2
SPLITS = 10  # random halves per theme for its split-half cosine
MIN_SPLIT = 4  # a theme needs this many ideas to be split in two
FALLBACK_RHO = 0.1  # a session with no theme that can be split: a cautious, low reliability


def centred(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors of a session after removing what all its ideas share (its mean)."""
    rows = np.asarray(vectors, dtype=float)
    if not len(rows):
        return rows
    rows = rows - rows.mean(axis=0)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def centres(rows: np.ndarray, groups: Sequence[Sequence[int]]) -> np.ndarray:
    """Unit mean vector of each group of rows."""
    if not groups:
        return np.zeros((0, rows.shape[1] if rows.ndim == 2 else 0))
    means = np.vstack([rows[list(g)].mean(axis=0) for g in groups])
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return means / np.where(norms > 0, norms, 1.0)


def session_rho(rows: np.ndarray, groups: Sequence[Sequence[int]], seed: int = 0) -> float:
    """How consistent a session's themes are: signal over noise per idea, from split halves."""
    rng = np.random.default_rng(seed)
    rhos = []
    for group in groups:
        if len(group) < MIN_SPLIT:
            continue
        members = np.asarray(list(group))
        cosines = []
        for _ in range(SPLITS):
            order = rng.permutation(members)
            half = len(order) // 2
            a, b = rows[order[:half]].mean(axis=0), rows[order[half:]].mean(axis=0)
            denominator = np.linalg.norm(a) * np.linalg.norm(b)
            cosines.append(float(a @ b / denominator) if denominator > 0 else 0.0)
        h = float(np.mean(cosines))
        if h > 0:
            h = min(h, 0.99)
            # Spearman-Brown on half of the theme: r(n/2) = h  =>  rho = h / ((n/2)(1 - h)).
            rhos.append(2 * h / (len(members) * (1 - h)))
    return float(np.median(rhos)) if rhos else FALLBACK_RHO


def reliability(sizes: Sequence[int], rho: float) -> np.ndarray:
    """The expected cosine between a centre of n ideas and the topic's true centre, squared."""
    n = np.asarray(sizes, dtype=float)
    return rho * n / (rho * n + 1)


def calibrated(
    previous: np.ndarray,
    previous_groups: Sequence[Sequence[int]],
    current: np.ndarray,
    current_groups: Sequence[Sequence[int]],
    pooled: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The agreement across the sessions, and within each: (across, within_now, within_then).

    across[i, j] is how surely theme i of today continues earlier theme j (MATCH and above: the
    same topic); within_now[i] (within_then[j]) is the agreement of a theme with the closest other
    theme of its own session, the floor a clear match must rise above. previous and current hold
    one vector per idea of each session; the groups list the member indexes of each theme.
    pooled centres both sessions on the mean of all their ideas (sessions in one language), and
    scales the agreement by MATCH / POOLED_MATCH.
    """
    n_now, n_then = len(current_groups), len(previous_groups)
    if not n_then or not n_now:
        return np.zeros((n_now, n_then)), np.zeros(n_now), np.zeros(n_then)
    scale = 1.0
    if pooled:
        both = centred(np.vstack([np.asarray(previous, float), np.asarray(current, float)]))
        before, now = both[: len(previous)], both[len(previous) :]
        scale = MATCH / POOLED_MATCH
    else:
        before, now = centred(previous), centred(current)
    c_now, c_then = centres(now, current_groups), centres(before, previous_groups)
    scale_now = np.sqrt(
        reliability([len(g) for g in current_groups], session_rho(now, current_groups))
    )
    scale_then = np.sqrt(
        reliability([len(g) for g in previous_groups], session_rho(before, previous_groups))
    )
    across = (c_now @ c_then.T) / np.outer(scale_now, scale_then)
    within_now = (c_now @ c_now.T) / np.outer(scale_now, scale_now)
    within_then = (c_then @ c_then.T) / np.outer(scale_then, scale_then)
    return scale * across, scale * closest_other(within_now), scale * closest_other(within_then)


def agreement(
    previous: np.ndarray,
    previous_groups: Sequence[Sequence[int]],
    current: np.ndarray,
    current_groups: Sequence[Sequence[int]],
) -> np.ndarray:
    """agreement[i, j]: how surely theme i of today continues earlier theme j (1: same topic)."""
    return calibrated(previous, previous_groups, current, current_groups)[0]


def closest_other(alike: np.ndarray) -> np.ndarray:
    """For each theme of a session, its similarity to the closest other theme of that session
    (from the session's square similarity matrix); 0 for a session of one theme."""
    if len(alike) < 2:
        return np.zeros(len(alike))
    alike = np.array(alike, dtype=float)
    np.fill_diagonal(alike, -np.inf)
    return np.clip(alike.max(axis=1), 0.0, None)
