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

# The action plan's general fields, by the part of the document that holds them (its labels
# name the parts and the fields: facilitation/exports/labels.py).
GENERAL_PARTS = {
    "part1": (
        "project",
        "partner",
        "other_partners",
        "country",
        "region",
        "contact_name",
        "contact_email",
        "contact_phone",
    ),
    "part2": ("instrument_kind", "instrument_name"),
}

# Each language as its speakers name it, for the pages' language choices.
LANGUAGE_NAMES = {"ro": "Română", "en": "English"}

# The short codes of refusals that programs read (`Rejected(message, code)`, the `code` of a
# reply or of a refused connection), with what each means; docs/events.md lists them.
ERROR_CODES = {
    "malformed": "wrong shape or type",
    "empty": "an empty text",
    "too_long": "a text over its limit",
    "encoding": "not valid Unicode",
    "invalid": "a value out of its range",
    "not_found": "no such idea, theme, question or ballot item in this workshop",
    "forbidden": "wrong role or key",
    "closed": "submissions or the vote closed",
    "conflict": "client id of another device, or a change the workshop's state does not allow",
    "unknown_workshop": "",
    "rate_limited": "too fast: wait and retry",
    "joining_closed": (
        "a phone first seen after the join window closed: it watches, never writes or votes"
    ),
    "joined_late": "a phone that joined after the vote opened",
    "over_budget": "more dots than the vote's budget",
    "over_cap": "more dots on one item than the vote's cap",
    "already_decided": "the same then-and-now decision again",
    "not_ready": "the comparison is not computed yet",
    "no_device": "a connecting phone without its device cookie",
    "room_full": "the server is near its open-files limit",
    "too_many_devices": "too many new phones from one address",
    "bad_file": "an imported file that cannot be read",
    "server": "unexpected error; safe to retry",
}

__all__ = [
    "ACTION_FIELDS",
    "ERROR_CODES",
    "FROZEN_PHASES",
    "GENERAL_PARTS",
    "LANGUAGE_NAMES",
    "LANGUAGES",
    "MAX_TEXT",
    "PHASES",
    "VOTE_TARGETS",
]
