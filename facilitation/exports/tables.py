"""Raw data for the minutes: ideas, themes and votes as CSV files and as one XLSX workbook.

CSV files are UTF-8 with a byte order mark, so Excel shows ș and ț. A text cell that starts
with =, +, -, @, a tab or a carriage return would be run as a formula by a spreadsheet, so it is
prefixed with an apostrophe (OWASP's advice on CSV injection). So is every piece of a cell after
a ";" or "," (or a line break): a spreadsheet that splits on its own list separator (";" in a
Romanian Excel) would otherwise find a formula inside "benign;=1+1". Every field is quoted too.
In the workbook every text is written as a string cell, never a formula, so it keeps its exact
text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from facilitation.exports import labels as label_table
from facilitation.exports.statistics import visible

# The start of a cell, or of a piece after a separator, followed by a formula's first character.
FORMULA_PIECE = re.compile(r"(^|[;,\n])( *)(?=[=+\-@\t\r])")
CSV_FILES = ("ideas", "themes", "votes")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula; other values unchanged."""
    if isinstance(value, str):
        return FORMULA_PIECE.sub(r"\1\2'", value)
    return value


class _Lookups:
    """What the columns read besides their row: names, texts, dots and counts by id."""

    def __init__(self, archive: Any, language: str) -> None:
        """Index the archive once for every column of every table."""
        self.words = label_table.texts(language)
        self.questions = {q.id: q.text for q in archive.questions}
        self.themes = {t.id: t for t in archive.themes}
        self.texts = {i.id: i.text for i in archive.ideas}
        self.idea_dots = {r["id"]: r["dots"] for r in archive.results if r["kind"] == "idea"}
        self.theme_results = {r["id"]: r for r in archive.results if r["kind"] == "theme"}
        self.sizes: dict[int, int] = {}
        for idea in archive.ideas:
            if visible(idea) and idea.theme_id is not None:
                self.sizes[idea.theme_id] = self.sizes.get(idea.theme_id, 0) + 1
        self.voter_numbers: dict[tuple, int] = {}

    def status(self, idea: Any) -> str:
        """Held, hidden, merged or shown, in words."""
        if idea.held:
            return self.words["status_held"]
        if idea.hidden:
            return self.words["status_hidden"]
        if idea.merged_into_id is not None:
            return self.words["status_merged"]
        return self.words["status_visible"]

    def voter(self, vote: Any) -> int:
        """Voters numbered 1, 2, ... in the order of their first dot (no device ids exported)."""
        return self.voter_numbers.setdefault(
            (vote.participant_id, vote.ballot), len(self.voter_numbers) + 1
        )


def _blank_if_none(value: Any) -> Any:
    return "" if value is None else value


# Each table: (header in the label table, the cell of one row). Read left to right.
Column = tuple[str, Callable[[Any, _Lookups], Any]]
IDEA_COLUMNS: tuple[Column, ...] = (
    ("col_id", lambda i, _: i.id),
    ("col_question", lambda i, at: at.questions.get(i.question_id, "")),
    ("col_theme_id", lambda i, _: _blank_if_none(i.theme_id)),
    ("col_theme", lambda i, at: at.themes[i.theme_id].name if i.theme_id in at.themes else ""),
    ("col_text", lambda i, _: i.text),
    ("col_source", lambda i, at: at.words["paper_card" if i.source == "paper" else "source_phone"]),
    ("col_status", lambda i, at: at.status(i)),
    ("col_merged_into", lambda i, _: _blank_if_none(i.merged_into_id)),
    ("col_dots", lambda i, at: at.idea_dots.get(i.id, 0)),
)
THEME_COLUMNS: tuple[Column, ...] = (
    ("col_id", lambda t, _: t.id),
    ("col_theme", lambda t, _: t.name),
    ("col_ideas", lambda t, at: at.sizes.get(t.id, 0)),
    ("col_dots", lambda t, at: at.theme_results.get(t.id, {}).get("dots", 0)),
    ("col_voters", lambda t, at: at.theme_results.get(t.id, {}).get("voters", 0)),
    ("col_terms", lambda t, _: ", ".join(t.terms)),
    ("col_representative", lambda t, at: at.texts.get(t.representative_idea_id, "")),
    ("col_locked", lambda t, _: t.locked),
    ("col_renamed", lambda t, _: t.renamed),
)
VOTE_COLUMNS: tuple[Column, ...] = (
    ("col_voter", lambda v, at: at.voter(v)),
    ("col_category", lambda v, _: v.category or ""),
    ("col_target_kind", lambda v, at: at.words[f"kind_{v.target_kind}"]),
    ("col_target_id", lambda v, _: v.target_id),
    (
        "col_target",
        lambda v, at: (
            at.themes[v.target_id].name if v.target_kind == "theme" else at.texts[v.target_id]
        ),
    ),
    ("col_dots", lambda v, _: v.dots),
)


def _table(
    columns: tuple[Column, ...], items: Any, lookups: _Lookups
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of one table from its column spec."""
    headers = [lookups.words[key] for key, _ in columns]
    return headers, [[cell(item, lookups) for _, cell in columns] for item in items]


def sheets(archive: Any, language: str) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The three tables (ideas, themes, votes): headers and rows, in the given language."""
    lookups = _Lookups(archive, language)
    live = [t for t in archive.themes if not t.retired]
    return {
        "ideas": _table(IDEA_COLUMNS, archive.ideas, lookups),
        "themes": _table(THEME_COLUMNS, live, lookups),
        "votes": _table(VOTE_COLUMNS, archive.votes, lookups),
    }


def csv_files(archive: Any, language: str) -> dict[str, bytes]:
    """ideas.csv, themes.csv and votes.csv: UTF-8 with BOM, formula cells neutralised."""
    files = {}
    for name, (headers, rows) in sheets(archive, language).items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(headers)
        writer.writerows([[neutralise(_plain(v)) for v in row] for row in rows])
        files[f"{name}.csv"] = buffer.getvalue().encode("utf-8-sig")
    return files


def csv_zip(archive: Any, language: str) -> bytes:
    """The three CSV files in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_zip:
        for name, data in csv_files(archive, language).items():
            archive_zip.writestr(name, data)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """Booleans as 1/0, so spreadsheets in any language read them (never TRUE or FALSE)."""
    return int(value) if isinstance(value, bool) else value


def workbook(archive: Any, language: str) -> bytes:
    """One XLSX workbook: a sheet each for ideas, themes and votes, and one of statistics."""
    words = label_table.texts(language)
    book = Workbook()
    book.remove(book.active)
    tables = sheets(archive, language)
    stats = archive.statistics
    tables["statistics"] = (
        [
            words["category"],
            words["participants"],
            words["ideas"],
            words["voters"],
            words["dots_cast"],
        ],
        [
            [
                r["category"] or words["not_given"],
                r["participants"],
                r["ideas"],
                r["voters"],
                r["dots"],
            ]
            for r in stats["by_category"]
        ]
        + [
            ["", stats["participants"], stats["ideas"], stats["voters"], stats["dots"]],
            [],
            [words["question"], words["ideas"]],
            *[[r["question"] or words["no_question"], r["ideas"]] for r in stats["by_question"]],
        ],
    )
    bold = Font(bold=True)
    for name, (headers, rows) in tables.items():
        sheet = book.create_sheet(words[f"sheet_{name}"])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([_cell(_plain(v)) for v in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # openpyxl treats a string starting with "=" as a formula: keep it a string.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        # Printed on A4 across the page, every column on one page width.
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        for column, header in zip(sheet.columns, headers, strict=False):
            width = max([len(str(header))] + [len(str(c.value or "")) for c in column[1:200]])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 80)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A workbook value without the control characters XLSX cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
