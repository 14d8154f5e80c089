"""Text analysis for the workshop board: ideas in, themes out.

Pure Python on plain values: no Flask, no database. The facilitation app, the command line
(`python -m analysis`) and the benchmarks all use the same entry points exported here.
"""

from analysis.duplicates import near_duplicates
from analysis.identity import match_groups
from analysis.text import detect_language, fold
from analysis.themes import Clustering, ThemeSummary, find_themes

__all__ = [
    "Clustering",
    "ThemeSummary",
    "detect_language",
    "find_themes",
    "fold",
    "match_groups",
    "near_duplicates",
]
