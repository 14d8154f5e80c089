"""The charts of a session (theme sizes, votes by category), drawn by analysis.charts.

Like the action plan they go into, charts print comma-below ș ț where cedilla was typed.
"""

from __future__ import annotations

from typing import Any

from analysis.text import canonical
from facilitation.exports import labels as label_table
from facilitation.exports.plan import ranked_themes

CHARTS = ("theme-sizes", "votes")


def available(archive: Any) -> list[str]:
    """The charts this session has data for: themes need ideas, votes need votes."""
    names = []
    if ranked_themes(archive):
        names.append("theme-sizes")
    if archive.results:
        names.append("votes")
    return names


def draw(archive: Any, name: str, language: str, fmt: str = "png") -> bytes:
    """One chart of the session as PNG or SVG bytes, its texts in the given language."""
    from analysis import charts  # matplotlib: loaded by the first chart, not with the server

    words = label_table.texts(language)
    if name == "theme-sizes":
        rows = ranked_themes(archive)
        return charts.theme_sizes(
            [canonical(r["theme"].name) for r in rows],
            [len(r["ideas"]) for r in rows],
            title=words["chart_themes"],
            axis_label=words["chart_ideas_axis"],
            fmt=fmt,
        )
    if name == "votes":
        return charts.votes_by_category(
            [canonical(r["label"]) for r in archive.results],
            [r["by_category"] for r in archive.results],
            title=words["chart_votes"],
            axis_label=words["chart_dots_axis"],
            category_names={"": words["not_given"]},
            fmt=fmt,
        )
    raise ValueError(f"no chart named {name!r}; charts: {', '.join(CHARTS)}")
