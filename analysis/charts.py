"""Charts: plain values in, PNG or SVG bytes out. A session's results (theme sizes, votes by
category), and a then-and-now comparison (`Comparison.as_dict()`: theme sizes then and now,
the similarity of their themes).

Drawn with matplotlib's object API (`Figure` and the Agg canvas), never `pyplot`: pyplot keeps
global state and a GUI backend, which a server handling several requests at once must not share.
Output is deterministic (no timestamps, fixed SVG ids) so that the same session gives the same
file. DejaVu Sans, shipped with matplotlib, has ș and ț.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FORMATS = ("png", "svg")
# Colours that stay apart in print and on a projector (Okabe-Ito), then grey for the rest.
CATEGORY_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
OTHER_COLOUR = "#999999"
MAX_BARS = 20
# Sharp at 16 cm wide in a printed document.
DPI = 150
LABEL_WIDTH = 38
# Then and now: earlier themes in grey, today's recurring ones in blue, new ones in orange.
THEN_COLOUR = "#999999"
NOW_COLOUR = "#0072B2"
NEW_COLOUR = "#E69F00"
MAX_THEMES = 20
COMPARISON_LABEL_WIDTH = 34


def _label(text: str, width: int = LABEL_WIDTH) -> str:
    """A label short enough to sit beside its bar or heatmap row: wrapped on two lines, then
    cut."""
    lines = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return "\n".join(lines)


def _figure(bars: int) -> Figure:
    """A figure tall enough for this many horizontal bars."""
    return Figure(figsize=(8, 1.2 + 0.45 * max(bars, 1)), dpi=100, layout="constrained")


def _render(figure: Figure, fmt: str, salt: str = "cocreation-board") -> bytes:
    """The figure as PNG or SVG bytes; `salt` seeds the SVG's ids."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        if fmt == "png":
            # Light compression: the default level spent a fifth of a chart's time in zlib.
            figure.savefig(
                buffer,
                format="png",
                dpi=DPI,
                metadata={"Software": None},
                pil_kwargs={"compress_level": 1},
            )
        else:
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def theme_sizes(
    names: Sequence[str],
    counts: Sequence[int],
    *,
    title: str = "",
    axis_label: str = "",
    fmt: str = "png",
) -> bytes:
    """Horizontal bars: how many ideas each theme holds, largest first."""
    if len(names) != len(counts):
        raise ValueError("names and counts must have the same length")
    ranked = sorted(zip(names, counts, strict=True), key=lambda pair: -pair[1])[:MAX_BARS]
    figure = _figure(len(ranked))
    axes = figure.add_subplot()
    positions = list(range(len(ranked)))
    axes.barh(positions, [c for _, c in ranked], color=CATEGORY_COLOURS[0])
    axes.set_yticks(positions, [_label(n) for n, _ in ranked])
    axes.invert_yaxis()
    for position, (_, count) in zip(positions, ranked, strict=True):
        axes.annotate(
            str(count), (count, position), xytext=(3, 0), textcoords="offset points", va="center"
        )
    _finish(axes, title, axis_label)
    return _render(figure, fmt)


def votes_by_category(
    labels: Sequence[str],
    dots_by_category: Sequence[Mapping[str, int]],
    *,
    title: str = "",
    axis_label: str = "",
    category_names: Mapping[str, str] | None = None,
    fmt: str = "png",
) -> bytes:
    """Ranked horizontal bars of dots per item, each bar stacked by stakeholder category.

    `category_names` renames categories in the legend (for example "" to "not given").
    """
    if len(labels) != len(dots_by_category):
        raise ValueError("labels and dots_by_category must have the same length")
    rows = sorted(
        zip(labels, dots_by_category, strict=True), key=lambda row: -sum(row[1].values())
    )[:MAX_BARS]
    categories: list[str] = []
    for _, split in rows:
        categories.extend(c for c in split if c not in categories)
    # Named categories first in order of appearance, "not given" last.
    categories.sort(key=lambda c: c == "")
    names = dict(category_names or {})
    figure = _figure(len(rows))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    left = [0] * len(rows)
    for n, category in enumerate(categories):
        widths = [split.get(category, 0) for _, split in rows]
        colour = CATEGORY_COLOURS[n] if n < len(CATEGORY_COLOURS) else OTHER_COLOUR
        axes.barh(
            positions, widths, left=left, color=colour, label=names.get(category, category or "-")
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for position, total in zip(positions, left, strict=True):
        axes.annotate(
            str(total), (total, position), xytext=(3, 0), textcoords="offset points", va="center"
        )
    axes.set_yticks(positions, [_label(label) for label, _ in rows])
    axes.invert_yaxis()
    if categories:
        axes.legend(loc="lower right", fontsize="small", frameon=False)
    _finish(axes, title, axis_label)
    return _render(figure, fmt)


def _finish(axes, title: str, axis_label: str) -> None:  # noqa: ANN001
    """Title, axis label, whole-number ticks and no chart junk."""
    axes.set_title(title, loc="left")
    axes.set_xlabel(axis_label)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.margins(x=0.12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def theme_sizes_then_and_now(
    comparison: Mapping[str, Any],
    *,
    title: str = "",
    then_label: str = "then",
    now_label: str = "now",
    axis_label: str = "",
    fmt: str = "png",
) -> bytes:
    """Side-by-side bars per theme of today: its ideas now and its matched themes' ideas then.

    Earlier themes not raised again follow with a "then" bar only, so every theme of both
    sessions shows once.
    """
    rows: list[tuple[str, int, int, bool]] = []
    for theme in comparison.get("current_themes", []):
        rows.append((theme["label"], int(theme.get("ideas_then") or 0), int(theme["ideas"]), True))
    for theme in comparison.get("previous_themes", []):
        if theme["status"] != "recurring":
            rows.append((theme["label"], int(theme["ideas"]), 0, False))
    rows = rows[:MAX_THEMES]
    figure = Figure(figsize=(9, 1.4 + 0.55 * max(len(rows), 1)), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(rows))
    height = 0.4
    axes.barh(
        positions - height / 2, [r[1] for r in rows], height, color=THEN_COLOUR, label=then_label
    )
    axes.barh(
        positions + height / 2,
        [r[2] for r in rows],
        height,
        color=[NOW_COLOUR if r[1] else NEW_COLOUR for r in rows],
        label=now_label,
    )
    for position, (_, then, now, _) in zip(positions, rows, strict=True):
        for value, offset in ((then, -height / 2), (now, height / 2)):
            if value:
                axes.annotate(
                    str(value),
                    (value, position + offset),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize="small",
                )
    axes.set_yticks(positions, [_label(r[0], COMPARISON_LABEL_WIDTH) for r in rows])
    axes.invert_yaxis()
    axes.legend(loc="lower right", frameon=False)
    _finish(axes, title, axis_label)
    return _render(figure, fmt, salt="then-and-now")


def theme_similarity_heatmap(
    comparison: Mapping[str, Any],
    *,
    title: str = "",
    then_label: str = "then",
    now_label: str = "now",
    fmt: str = "png",
) -> bytes:
    """Heatmap of the similarity between each theme of today (rows) and each earlier theme."""
    current: Sequence[Mapping[str, Any]] = comparison.get("current_themes", [])[:MAX_THEMES]
    previous: Sequence[Mapping[str, Any]] = comparison.get("previous_themes", [])[:MAX_THEMES]
    matrix = np.zeros((max(len(current), 1), max(len(previous), 1)))
    similarity = comparison.get("similarity") or []
    for i in range(len(current)):
        for j in range(len(previous)):
            matrix[i, j] = similarity[i][j]
    figure = Figure(
        figsize=(3.5 + 0.55 * max(len(previous), 1), 2.5 + 0.5 * max(len(current), 1)),
        dpi=100,
        layout="constrained",
    )
    axes = figure.add_subplot()
    image = axes.imshow(matrix, cmap="Blues", vmin=0.0, vmax=max(0.5, float(matrix.max())))
    matched = {
        (i, j)
        for i, theme in enumerate(current)
        for j, other in enumerate(previous)
        if other["label"] in theme.get("matches", [])
    }
    for i in range(len(current)):
        for j in range(len(previous)):
            value = matrix[i, j]
            axes.text(
                j,
                i,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize="small",
                fontweight="bold" if (i, j) in matched else "normal",
                color="white" if value > 0.6 * image.get_clim()[1] else "black",
            )
    columns = [_label(t["label"], COMPARISON_LABEL_WIDTH) for t in previous]
    axes.set_xticks(range(len(previous)), columns, rotation=40, ha="right")
    axes.set_yticks(
        range(len(current)), [_label(t["label"], COMPARISON_LABEL_WIDTH) for t in current]
    )
    axes.set_xlabel(then_label)
    axes.set_ylabel(now_label)
    axes.set_title(title, loc="left")
    figure.colorbar(image, ax=axes, shrink=0.8)
    return _render(figure, fmt, salt="then-and-now")
