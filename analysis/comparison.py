"""The result of comparing a session with the one before it, and the thresholds that decide it.

Plain values and NumPy only: the web server reads these results (`analysis.compare` computes them
in the clustering worker), so it does not import scikit-learn to use them.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Cosine of two theme centres (joint TF-IDF space) below which two themes never match.
THEME_SIMILARITY = 0.15
# A pair of themes matches when one is the other's closest and the pair is at least this share of
# the best similarity of the other side too: a theme of today that is closest to an earlier one
# which continues much more clearly elsewhere is new, not a second copy (docs/comparison.md).
RELATIVE_SIMILARITY = 0.6
# Cosine (joint TF-IDF space) from which an earlier idea is shown as close to an idea of today.
IDEA_SIMILARITY = 0.3
# A recurring theme "grew" when its share of the session's ideas is this many times its earlier
# share, and "shrank" below the inverse; otherwise it stayed about the same.
GROWTH_RATIO = 1.25
SPACES = ("sparse", "lsa")
RECURRING, NEW, NOT_RAISED_AGAIN = "recurring", "new", "not_raised_again"


@dataclass(frozen=True)
class ComparedTheme:
    """One theme of either session, with where it stands against the other session."""

    key: Hashable
    label: str
    members: tuple[int, ...]
    status: str
    # Indexes of the themes of the other session it matches, closest first.
    matches: tuple[int, ...] = ()
    votes: int | None = None


@dataclass(frozen=True)
class IdeaLink:
    """The closest earlier idea to an idea of today."""

    previous: int
    similarity: float


@dataclass
class Comparison:
    """The result of comparing a session with the one before it."""

    previous_themes: list[ComparedTheme]
    current_themes: list[ComparedTheme]
    # similarity[i, j]: cosine between current theme i and previous theme j.
    similarity: np.ndarray
    # closest[i]: the closest earlier idea to current idea i, or None when none is close enough.
    closest: list[IdeaLink | None] = field(default_factory=list)
    n_previous: int = 0
    n_current: int = 0

    def change(self, theme: ComparedTheme) -> dict[str, Any]:
        """How a recurring theme of today grew or shrank against the themes it matches."""
        then = sum(len(self.previous_themes[j].members) for j in theme.matches)
        share_now = len(theme.members) / max(self.n_current, 1)
        share_then = then / max(self.n_previous, 1)
        if not theme.matches:
            trend = None
        elif share_now >= share_then * GROWTH_RATIO:
            trend = "grew"
        elif share_now * GROWTH_RATIO <= share_then:
            trend = "shrank"
        else:
            trend = "same"
        return {
            "ideas_then": then,
            "share_now": round(share_now, 4),
            "share_then": round(share_then, 4),
            "trend": trend,
        }

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values: themes of both sessions, similarities, closest earlier ideas."""
        previous_labels = [t.label for t in self.previous_themes]
        current_labels = [t.label for t in self.current_themes]
        current = []
        for i, theme in enumerate(self.current_themes):
            current.append(
                {
                    "key": theme.key,
                    "label": theme.label,
                    "ideas": len(theme.members),
                    "status": theme.status,
                    "matches": [previous_labels[j] for j in theme.matches],
                    "similarities": [round(float(self.similarity[i, j]), 3) for j in theme.matches],
                    **self.change(theme),
                }
            )
        previous = [
            {
                "key": theme.key,
                "label": theme.label,
                "ideas": len(theme.members),
                "votes": theme.votes,
                "status": theme.status,
                "matches": [current_labels[i] for i in theme.matches],
            }
            for theme in self.previous_themes
        ]
        return {
            "previous_themes": previous,
            "current_themes": current,
            "similarity": [[round(float(v), 3) for v in row] for row in self.similarity],
            "ideas_then": self.n_previous,
            "ideas_now": self.n_current,
        }
