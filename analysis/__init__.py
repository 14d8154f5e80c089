"""Text analysis for the workshop board: ideas in, themes out.

Pure Python on plain values: no Flask, no database. The facilitation app, the command line
(`python -m analysis`) and the benchmarks all use the same entry points exported here.

The names load their module on first use: the web server needs only the light ones (`fold`,
`detect_language`, `Clustering` to place ideas) and never imports scikit-learn or SciPy, which
only the worker processes that cluster need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "Clustering": "analysis.placement",
    "ThemeSummary": "analysis.placement",
    "detect_language": "analysis.text",
    "fold": "analysis.text",
    "find_themes": "analysis.themes",
    "match_groups": "analysis.identity",
    "near_duplicates": "analysis.duplicates",
}

__all__ = [
    "Clustering",
    "ThemeSummary",
    "detect_language",
    "find_themes",
    "fold",
    "match_groups",
    "near_duplicates",
]

if TYPE_CHECKING:
    from analysis.duplicates import near_duplicates
    from analysis.identity import match_groups
    from analysis.placement import Clustering, ThemeSummary
    from analysis.text import detect_language, fold
    from analysis.themes import find_themes


def __getattr__(name: str) -> Any:
    """Import an exported name's module when the name is first asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
