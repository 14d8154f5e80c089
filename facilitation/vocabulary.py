"""The product's words, declared once: what pages, operations, exports and checks share.

A value that the server, the templates and the scripts must agree on is declared here and
nowhere else; templates read it from the page's context and scripts from the data the page
carries, so no rule is copied into a second language.
"""

from __future__ import annotations

# The languages the workshop, its pages and its documents speak: those the text analysis
# understands (stemming, stop words, language identification).
from analysis.language import LANGUAGES

# The longest text of one idea an imported file or archive may hold (ideas typed on phones are
# bounded by the setting MAX_IDEA_LENGTH).
MAX_TEXT = 2_000

# The room's phases, in the order a workshop usually goes through them.
PHASES = ("welcome", "write", "group", "vote", "results")
# Phases in which the themes hold still: the room votes on them, or has voted.
FROZEN_PHASES = ("vote", "results")
# What a participant's dots go to.
VOTE_TARGETS = ("themes", "ideas")
# The fields of one action in the action plan (Interreg Europe, Part III), in document order.
ACTION_FIELDS = (
    "title",
    "background",
    "previous_session_link",
    "action",
    "players",
    "timeframe",
    "costs",
    "funding",
)

__all__ = ["ACTION_FIELDS", "FROZEN_PHASES", "LANGUAGES", "MAX_TEXT", "PHASES", "VOTE_TARGETS"]
