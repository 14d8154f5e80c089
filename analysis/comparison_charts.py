"""Charts of a then-and-now comparison: plain values in (`Comparison.as_dict()`), PNG or SVG out.

Drawn with matplotlib's object API (`Figure` and the Agg canvas), never `pyplot`, which keeps
global state a server must not share between requests. Output is deterministic (no dates, fixed
SVG ids), and DejaVu Sans, shipped with matplotlib, has ș and ț.
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
THEN_COLOUR = "#999999"
NOW_COLOUR = "#0072B2"
NEW_COLOUR = "#E69F00"
MAX_THEMES = 20
LABEL_WIDTH = 34


def _label(text: str) -> str:
    """A label short enough to sit beside a bar or a heatmap row: two lines at most."""
    lines = textwrap.wrap(" ".join(str(text).split()), LABEL_WIDTH) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: LABEL_WIDTH - 1] + "…"]
    return "\n".join(lines)


def _render(figure: Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "then-and-now"}):
        figure.savefig(
            buffer,
            format=fmt,
            dpi=150,
            metadata={"Software": None} if fmt == "png" else {"Date": None, "Creator": None},
        )
    return buffer.getvalue()


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
    axes.set_yticks(positions, [_label(r[0]) for r in rows])
    axes.invert_yaxis()
    axes.legend(loc="lower right", frameon=False)
    axes.set_title(title, loc="left")
    axes.set_xlabel(axis_label)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.margins(x=0.12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _render(figure, fmt)


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
    axes.set_xticks(
        range(len(previous)), [_label(t["label"]) for t in previous], rotation=40, ha="right"
    )
    axes.set_yticks(range(len(current)), [_label(t["label"]) for t in current])
    axes.set_xlabel(then_label)
    axes.set_ylabel(now_label)
    axes.set_title(title, loc="left")
    figure.colorbar(image, ax=axes, shrink=0.8)
    return _render(figure, fmt)
