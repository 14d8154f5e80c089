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
# A recurring theme "grew" when its share of the session's ideas is at least this many times its
# earlier share and it has more ideas than then; "shrank" when the share fell below the inverse and
# it has fewer ideas; "same" when neither the share nor the count moved by that ratio. When the
# count and the share disagree (3 ideas now against 8 then, but a larger share of a smaller
# session) no word is given: the view shows both numbers.
GROWTH_RATIO = 1.25
SPACES = ("sparse", "lsa")
RECURRING, NEW, NOT_RAISED_AGAIN = "recurring", "new", "not_raised_again"
# Strength of a match (docs/comparison.md): "clear" when the two themes are more alike than any
# two different themes of either session, "weak" otherwise.
CLEAR, WEAK = "clear", "weak"
# The facilitator's decisions on a pair of themes: a computed match confirmed, a match made by
# hand, a match rejected. Confirmed and made pairs always match; rejected pairs never do.
CONFIRMED, MADE, REJECTED = "confirmed", "made", "rejected"
DECISIONS = (CONFIRMED, MADE, REJECTED)
# Closest pairs of ideas (then, now) shown as the evidence of a match.
EVIDENCE_PAIRS = 3


def trend_of(ideas_now: int, ideas_then: int, share_now: float, share_then: float) -> str | None:
    """ "grew", "shrank" or "same" when the count and the share say the same; None otherwise."""
    share_up = share_now >= share_then * GROWTH_RATIO
    share_down = share_now * GROWTH_RATIO <= share_then
    if share_up and ideas_now > ideas_then:
        return "grew"
    if share_down and ideas_now < ideas_then:
        return "shrank"
    count_up = ideas_now >= ideas_then * GROWTH_RATIO
    count_down = ideas_now * GROWTH_RATIO <= ideas_then
    if not (share_up or share_down or count_up or count_down):
        return "same"
    return None


@dataclass(frozen=True)
class Pair:
    """What is known about a pair (theme of today, earlier theme) shown as a match or rejected."""

    strength: str
    # The closest pairs of ideas: (earlier idea index, idea of today index, cosine), closest first.
    evidence: tuple[tuple[int, int, float], ...] = ()
    # The facilitator's decision on this pair, or None.
    decision: str | None = None
    # Whether the comparison matched the pair by itself, before any decision.
    computed: bool = True


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
    # (current index, previous index) -> strength, evidence and decision of every matched pair and
    # of every pair the facilitator rejected.
    pairs: dict[tuple[int, int], Pair] = field(default_factory=dict)
    previous_texts: list[str] = field(default_factory=list)
    current_texts: list[str] = field(default_factory=list)
    # "semantic" when themes were compared by their semantic vectors, "tfidf" otherwise.
    representation: str = "tfidf"

    def change(self, theme: ComparedTheme) -> dict[str, Any]:
        """How a recurring theme of today changed against the themes it matches: the ideas then,
        the shares now and then, and a trend word only when the count and the share agree."""
        then = sum(len(self.previous_themes[j].members) for j in theme.matches)
        share_now = len(theme.members) / max(self.n_current, 1)
        share_then = then / max(self.n_previous, 1)
        trend = trend_of(len(theme.members), then, share_now, share_then) if theme.matches else None
        return {
            "ideas_then": then,
            "share_now": round(share_now, 4),
            "share_then": round(share_then, 4),
            "trend": trend,
        }

    def _detail(self, i: int, j: int, label: str) -> dict[str, Any]:
        """One match (or rejected pair) as plain values: the other theme, the similarity, the
        strength, the facilitator's decision and the closest pairs of ideas."""
        pair = self.pairs.get((i, j)) or Pair(WEAK)
        evidence = []
        for then, now, value in pair.evidence:
            evidence.append(
                {
                    "then": self.previous_texts[then] if then < len(self.previous_texts) else "",
                    "now": self.current_texts[now] if now < len(self.current_texts) else "",
                    "similarity": round(float(value), 3),
                }
            )
        return {
            "label": label,
            "similarity": round(float(self.similarity[i, j]), 3),
            "strength": pair.strength,
            "decision": pair.decision,
            "computed": pair.computed,
            "evidence": evidence,
        }

    def rejected(self) -> list[tuple[int, int]]:
        """The pairs the facilitator rejected, in the order of today's themes."""
        return sorted(k for k, pair in self.pairs.items() if pair.decision == REJECTED)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values: themes of both sessions, similarities, closest earlier ideas."""
        previous_labels = [t.label for t in self.previous_themes]
        current_labels = [t.label for t in self.current_themes]
        rejected = self.rejected()
        current = []
        for i, theme in enumerate(self.current_themes):
            details = [self._detail(i, j, previous_labels[j]) for j in theme.matches]
            current.append(
                {
                    "key": theme.key,
                    "label": theme.label,
                    "ideas": len(theme.members),
                    "status": theme.status,
                    "matches": [previous_labels[j] for j in theme.matches],
                    "similarities": [round(float(self.similarity[i, j]), 3) for j in theme.matches],
                    "strength": _strongest(details),
                    "match_details": details,
                    "rejected": [
                        self._detail(i, j, previous_labels[j]) for a, j in rejected if a == i
                    ],
                    **self.change(theme),
                }
            )
        previous = []
        for j, theme in enumerate(self.previous_themes):
            details = [self._detail(i, j, current_labels[i]) for i in theme.matches]
            previous.append(
                {
                    "key": theme.key,
                    "label": theme.label,
                    "ideas": len(theme.members),
                    "votes": theme.votes,
                    "status": theme.status,
                    "matches": [current_labels[i] for i in theme.matches],
                    "strength": _strongest(details),
                    "match_details": details,
                }
            )
        return {
            "previous_themes": previous,
            "current_themes": current,
            "similarity": [[round(float(v), 3) for v in row] for row in self.similarity],
            "ideas_then": self.n_previous,
            "ideas_now": self.n_current,
            "representation": self.representation,
        }


def _strongest(details: list[dict[str, Any]]) -> str | None:
    """The strength of a theme's status: that of its best match ("clear" when a match is clear or
    the facilitator decided it), None without a match."""
    if not details:
        return None
    if any(d["strength"] == CLEAR or d["decision"] in (CONFIRMED, MADE) for d in details):
        return CLEAR
    return WEAK
