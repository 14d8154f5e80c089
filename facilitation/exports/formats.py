"""Every export format in one table, used alike by the download routes and the command line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitation.exports import archive as archive_module
from facilitation.exports import content, markdown

# python-docx and openpyxl are loaded by the first export that needs them, not with the server.


@dataclass(frozen=True)
class Format:
    """One export format: what it is, its file suffix and media type, and how to make it."""

    name: str
    suffix: str
    mimetype: str
    make: Callable[[Any, str | None], bytes]
    help: str


def _docx(archive: Any, language: str | None) -> bytes:
    """The draft action plan as DOCX."""
    from facilitation.exports import document

    return document.render(content.action_plan(archive, language), archive.workshop.title)


def _md(archive: Any, language: str | None) -> bytes:
    """The draft action plan as Markdown."""
    return markdown.render(content.action_plan(archive, language)).encode("utf-8")


def _csv(archive: Any, language: str | None) -> bytes:
    """The three CSV files in a zip."""
    from facilitation.exports import tables

    return tables.csv_zip(archive, language or archive.workshop.language)


def _xlsx(archive: Any, language: str | None) -> bytes:
    """The workbook."""
    from facilitation.exports import tables

    return tables.workbook(archive, language or archive.workshop.language)


def _json(archive: Any, language: str | None) -> bytes:
    """The session archive."""
    return archive_module.dumps(archive)


FORMATS = {
    f.name: f
    for f in (
        Format(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _docx,
            "draft action plan (Word)",
        ),
        Format("md", "md", "text/markdown; charset=utf-8", _md, "draft action plan (Markdown)"),
        Format("csv", "zip", "application/zip", _csv, "ideas, themes and votes as CSV"),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _xlsx,
            "ideas, themes, votes and statistics (Excel)",
        ),
        Format("json", "json", "application/json", _json, "session archive"),
    )
}


def file_name(archive: Any, fmt: Format, language: str | None = None) -> str:
    """A download name that says what and when: action-plan-<code>-<date>.docx and so on."""
    stem = {"docx": "action-plan", "md": "action-plan", "csv": "data", "xlsx": "data"}.get(
        fmt.name, "archive"
    )
    date = archive.workshop.date or archive.workshop.created_at[:10]
    suffix = f"-{language}" if language and fmt.name in ("docx", "md") else ""
    code = re.sub(r"[^A-Z0-9]", "", archive.workshop.code.upper())
    return f"{stem}-{code}-{date}{suffix}.{fmt.suffix}"
