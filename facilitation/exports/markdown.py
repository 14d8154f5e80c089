"""The action plan as Markdown, with the same content as the DOCX.

Every session text is escaped (backslash before Markdown punctuation, `<` and `>` included), so
markup typed into an idea is shown as the characters typed, never rendered. Charts are linked as
`charts/<name>.png`, the files `facilitation export --format md` writes beside the document.
"""

from __future__ import annotations

import re

from facilitation.exports.content import (
    Bullets,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# At the start of a line these begin a list, a quote or a heading underline.
_LINE_START = re.compile(r"^(\s*)(?:([-+=])(?=\s|[-=]*$)|(\d+)([.)])(?=\s|$))")


def escape(text: str) -> str:
    """Text that Markdown renders as exactly these characters, on one line."""
    text = " ".join(text.split())
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    """'-' as '\\-', '1.' as '1\\.': the marker kept, its meaning gone."""
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"


def _cell(text: str) -> str:
    """A table cell: escaped, pipes already escaped by `escape`."""
    return escape(text) or " "


def render(document: Document) -> str:
    """The document's blocks as Markdown text."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * (block.level + 1)} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            text = escape(block.text)
            out.append(f"*{text}*" if block.note else text)
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {escape(item)}" for item in block.items))
        elif isinstance(block, Table):
            headers = [_cell(h) for h in block.headers]
            lines = [
                "| " + " | ".join(headers) + " |",
                "|" + "|".join(" --- " for _ in headers) + "|",
            ]
            for row in block.rows:
                cells = [_cell(c) if c else ("\\_" * 12 if block.fill_in else " ") for c in row]
                lines.append("| " + " | ".join(cells) + " |")
            out.append("\n".join(lines))
        elif isinstance(block, Image):
            out.append(f"![{escape(block.caption)}](charts/{block.name}.png)")
        elif isinstance(block, PageBreak):
            out.append("---")
    return "\n\n".join(out) + "\n"
