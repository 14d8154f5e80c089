"""The product's English status words and labels, which no Romanian output may contain.

Taken from the export texts themselves (statuses, trends, sources, kinds of vote), plus the
English names of the things a workshop counts, of the document's parts and of the pages' status
words, so that a label added in English only shows up here as a leak.
"""

from __future__ import annotations

import re

from facilitation.exports.labels import TEXTS

_STATUS_KEYS = ("status_", "trend_", "source_", "kind_")
ENGLISH_WORDS = sorted(
    {english for key, (english, _) in TEXTS.items() if key.startswith(_STATUS_KEYS)}
    | {TEXTS["paper_card"][0], TEXTS["not_raised_again"][0].rstrip(":")}
    | {"not raised again", "dots", "dot", "voters", "ideas", "themes", "votes"}
    | {"Part", "Annex", "Action", "Background", "Timeframe", "Costs", "Funding"}
    | {"same", "true", "false"}
    # The phone's and the board's own status words.
    | {"sent", "waiting", "not accepted", "Connected", "Reconnecting", "Offline", "locked"}
)
_PATTERN = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w-])",
    re.IGNORECASE,
)


def english_words_in(text: str) -> list[str]:
    """The English status words and labels found in a text, as written there."""
    return _PATTERN.findall(" ".join(text.split()))
