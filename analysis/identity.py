"""Theme identity across re-clusterings.

A theme keeps its id when the new group is recognisably the same set of ideas. Old and new groups
are paired by maximum total overlap (Hungarian assignment on Jaccard similarity), and a pair only
counts when the overlap is large enough; otherwise the new group is a new theme.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment


def match_groups(
    previous: Mapping[Hashable, Collection[Hashable]],
    current: Sequence[Collection[Hashable]],
    min_jaccard: float = 0.3,
) -> list[Hashable | None]:
    """For each current group, the key of the previous group it continues, or None."""
    keys = list(previous)
    result: list[Hashable | None] = [None] * len(current)
    if not keys or not current:
        return result
    old_sets = [set(previous[k]) for k in keys]
    new_sets = [set(c) for c in current]
    score = np.zeros((len(new_sets), len(old_sets)))
    for i, new in enumerate(new_sets):
        for j, old in enumerate(old_sets):
            union = len(new | old)
            score[i, j] = len(new & old) / union if union else 0.0
    rows, cols = linear_sum_assignment(-score)
    for i, j in zip(rows, cols, strict=True):
        if score[i, j] >= min_jaccard:
            result[i] = keys[j]
    return result
