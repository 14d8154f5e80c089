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


def sheets(archive: Any, language: str) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The three tables (ideas, themes, votes): headers and rows, in the given language."""
    words = label_table.texts(language)
    questions = {q.id: q.text for q in archive.questions}
    themes = {t.id: t for t in archive.themes}
    idea_dots = {r["id"]: r["dots"] for r in archive.results if r["kind"] == "idea"}
    theme_results = {r["id"]: r for r in archive.results if r["kind"] == "theme"}
    texts = {i.id: i.text for i in archive.ideas}

    def status(idea: Any) -> str:
        if idea.held:
            return words["status_held"]
        if idea.hidden:
            return words["status_hidden"]
        if idea.merged_into_id is not None:
            return words["status_merged"]
        return words["status_visible"]

    ideas = (
        [
            words[c]
            for c in (
                "col_id",
                "col_question",
                "col_theme_id",
                "col_theme",
                "col_text",
                "col_source",
                "col_status",
                "col_merged_into",
                "col_dots",
            )
        ],
        [
            [
                i.id,
                questions.get(i.question_id, ""),
                i.theme_id if i.theme_id is not None else "",
                themes[i.theme_id].name if i.theme_id in themes else "",
                i.text,
                words["paper_card"] if i.source == "paper" else words["source_phone"],
                status(i),
                i.merged_into_id if i.merged_into_id is not None else "",
                idea_dots.get(i.id, 0),
            ]
            for i in archive.ideas
        ],
    )
    sizes: dict[int, int] = {}
    for idea in archive.ideas:
        if visible(idea) and idea.theme_id is not None:
            sizes[idea.theme_id] = sizes.get(idea.theme_id, 0) + 1
    live = [t for t in archive.themes if not t.retired]
    theme_table = (
        [
            words[c]
            for c in (
                "col_id",
                "col_theme",
                "col_ideas",
                "col_dots",
                "col_voters",
                "col_terms",
                "col_representative",
                "col_locked",
                "col_renamed",
            )
        ],
        [
            [
                t.id,
                t.name,
                sizes.get(t.id, 0),
                theme_results.get(t.id, {}).get("dots", 0),
                theme_results.get(t.id, {}).get("voters", 0),
                ", ".join(t.terms),
                texts.get(t.representative_idea_id, ""),
                t.locked,
                t.renamed,
            ]
            for t in live
        ],
    )
    voter_numbers: dict[tuple, int] = {}
    votes = (
        [
            words[c]
            for c in (
                "col_voter",
                "col_category",
                "col_target_kind",
                "col_target_id",
                "col_target",
                "col_dots",
            )
        ],
        [
            [
                voter_numbers.setdefault((v.participant_id, v.ballot), len(voter_numbers) + 1),
                v.category or "",
                words[f"kind_{v.target_kind}"],
                v.target_id,
                themes[v.target_id].name if v.target_kind == "theme" else texts[v.target_id],
                v.dots,
            ]
            for v in archive.votes
        ],
    )
    return {"ideas": ideas, "themes": theme_table, "votes": votes}


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
