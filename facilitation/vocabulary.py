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

__all__ = ["LANGUAGES", "MAX_TEXT"]
