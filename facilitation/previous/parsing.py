"""Reading a previous session's results from the files city halls really have.

Accepted: this tool's session archive (JSON, read by `facilitation.exports.archive.load_archive`
when that module is installed), CSV or XLSX with a text column and optional theme, question and
votes columns, and plain text with one idea per line.

Why the care with encodings: minutes typed on Romanian Windows machines arrive as UTF-8 (with or
without a byte order mark), Windows-1250, ISO-8859-2 or ISO-8859-16, and the Romanian letters sit
on the same bytes in the three legacy ones. charset-normalizer proposes an encoding; each
candidate decoding is then scored on whether its letters make sense in Romanian, so a file never
comes in as "Å£" or "Ľ". Cedilla letters (ş ţ) are kept as typed: the analysis treats them as
ș ț. A bad file is refused whole, with the row and the problem named.

Why the limits: an uploaded file is hostile until read. Every format holds at most MAX_ROWS rows,
counted while reading, so a file of blank lines or an archive of 50,000 ideas is refused before
it is all in memory. An XLSX file is a zip: each member's uncompressed size and compression
ratio are checked before anything is unpacked (a 2 MB sheet can expand to gigabytes), the sheet
is read as a stream, and its declared dimensions (A1:XFD3000 asks for 49 million cells) are
ignored. The web import runs all this in a separate process with limits on memory and time
(`facilitation.previous.sandbox`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from charset_normalizer import from_bytes

from analysis.text import canonical, fold
from facilitation.exports import archive_format
from facilitation.operations.errors import Rejected
from facilitation.vocabulary import MAX_TEXT

FIELDS = ("text", "theme", "question", "votes")
# The column chosen for some of FIELDS, by its header or its number; None or "" for none.
Columns = Mapping[str, str | int | None] | None
MAX_ROWS = 20_000
MAX_THEME = 120
MAX_QUESTION = 500
MAX_COLUMNS = 100
MAX_VOTES = 1_000_000
# Zip members (the parts of an XLSX file): largest uncompressed size of one and of all, largest
# compression ratio of a member above RATIO_FROM bytes, most members.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024
MAX_MEMBERS = 1000
VOTES = re.compile(r"(\d{1,7})(?:[.,]0*)?")
# Encodings a Romanian file comes in, in the order preferred when two decode equally well.
LEGACY_ENCODINGS = ("cp1250", "iso8859_16", "iso8859_2")
ROMANIAN_LETTERS = frozenset("ăâîșțşţĂÂÎȘȚŞŢ")
# Letters the legacy encodings produce from Romanian bytes read with the wrong table.
UNLIKELY_LETTERS = frozenset("ĄąĽľĹĺŔŕŘřŮůŐőŰűŁłŚśŹźŻżŇňĎďĚěČčŤťŽžŠšĆćÅÃº¤µ¦")
# Column names people give, folded (no diacritics, lower case, letters only), per field.
COLUMN_NAMES = {
    "text": (
        "text",
        "texte",
        "idee",
        "idei",
        "ideea",
        "ideile",
        "idea",
        "ideas",
        "propunere",
        "propuneri",
        "propunerea",
        "sugestie",
        "sugestii",
        "raspuns",
        "raspunsuri",
        "answer",
        "answers",
        "response",
        "comment",
        "comentariu",
        "continut",
        "content",
        "statement",
        "mesaj",
        "problema",
        "probleme",
        "nota",
        "note",
        "notite",
    ),
    "theme": (
        "tema",
        "teme",
        "temele",
        "theme",
        "themes",
        "categorie",
        "categoria",
        "category",
        "grup",
        "grupa",
        "group",
        "cluster",
        "topic",
        "subiect",
        "domeniu",
        "eticheta",
        "label",
    ),
    "question": (
        "intrebare",
        "intrebarea",
        "intrebari",
        "question",
        "questions",
        "masa",
        "table",
        "nr intrebare",
        "question id",
    ),
    "votes": (
        "voturi",
        "vot",
        "votes",
        "vote",
        "puncte",
        "punctaj",
        "dots",
        "buline",
        "bulinute",
        "score",
        "scor",
        "prioritate",
    ),
}


@dataclass(frozen=True)
class PreviousIdea:
    """One idea of the previous session, with the row of the file it came from."""

    text: str
    theme: str | None = None
    question: str | None = None
    votes: int | None = None
    row: int | None = None


@dataclass
class Table:
    """The cells of a CSV or XLSX file, before its columns are chosen."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the file shows it, cells)
    has_header: bool
    encoding: str | None = None
    delimiter: str | None = None


@dataclass
class ParsedSession:
    """A previous session read from a file, ready to store."""

    ideas: list[PreviousIdea]
    format: str
    encoding: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    duplicates: int = 0
    title: str | None = None
    date: str | None = None
    illustrative: bool = False
    notes: list[str] = field(default_factory=list)


def file_format(filename: str, data: bytes) -> str:
    """The format of an uploaded file, from its content first and its name second."""
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".json") or stripped[:1] in (b"{", b"["):
        return "archive"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".txt", ".text", ".md")):
        return "txt"
    text, _ = decode(data)
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if lines and any(d in lines[0] for d in ";\t") or (lines and lines[0].count(",") >= 1):
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t|")
            if all(len(next(csv.reader([x], dialect))) > 1 for x in lines[:5]):
                return "csv"
        except csv.Error:
            pass
    return "txt"


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with (UTF-8, else a Romanian legacy one)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise Rejected(
                "The file says it is UTF-8 but is not: broken bytes at position %(position)s.",
                "bad_file",
                position=error.start + 3,
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = []
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        decoded.append((_romanian_score(text), encoding, text))
    if not decoded:
        raise Rejected(
            "The file is not text in a known encoding (UTF-8, Windows-1250, ISO-8859-2 or "
            "ISO-8859-16).",
            "bad_file",
        )
    top = max(score for score, _, _ in decoded)
    best = [(encoding, text) for score, encoding, text in decoded if score == top]
    if len({canonical(text) for _, text in best}) > 1:
        # The decodings differ in more than cedilla or comma letters: ask the detector.
        guess = from_bytes(data, cp_isolation=["utf_8", *LEGACY_ENCODINGS]).best()
        guessed = [pair for pair in best if guess is not None and pair[0] == guess.encoding]
        best = guessed or best
    # Otherwise they read the same: Windows-1250, the encoding of Romanian Excel, comes first.
    encoding, text = best[0]
    return text, encoding


def _romanian_score(text: str) -> float:
    """How much a decoding reads like Romanian: its letters, minus letters of other alphabets."""
    romanian = sum(ch in ROMANIAN_LETTERS for ch in text)
    unlikely = sum(ch in UNLIKELY_LETTERS for ch in text)
    controls = sum(0x80 <= ord(ch) <= 0x9F for ch in text)
    return romanian - 3 * unlikely - 5 * controls


def read_table(data: bytes, fmt: str, header: bool | None = None) -> Table:
    """The cells of a CSV or XLSX file; the first row is a header when it names known columns.

    header True or False says whether the first row is a header instead of guessing.
    """
    if fmt == "xlsx":
        rows, encoding, delimiter = _xlsx_rows(data), None, None
    else:
        text, encoding = decode(data)
        rows, delimiter = _csv_rows(text)
    if not rows:
        raise Rejected("The file has no ideas in it.", "bad_file")
    width = max(len(cells) for _, cells in rows)
    rows = [(n, cells + [""] * (width - len(cells))) for n, cells in rows]
    first = rows[0][1]
    has_header = any(guess_field(cell) for cell in first) if header is None else header
    if has_header:
        header = [cell.strip() or f"#{i + 1}" for i, cell in enumerate(first)]
        rows = rows[1:]
    else:
        header = [f"#{i + 1}" for i in range(width)]
    return Table(header, rows, has_header, encoding, delimiter)


def _too_many_rows() -> Rejected:
    """The refusal of a file with more rows than any session has."""
    return Rejected.counted(
        "The file has more than %(num)d row.",
        "The file has more than %(num)d rows.",
        MAX_ROWS,
        "bad_file",
    )


def _kept_rows(rows: Any) -> list[tuple[int, list[str]]]:
    """The rows that have a filled cell, read one by one and refused beyond MAX_ROWS (and a
    header), so that a huge file is never held in memory whole."""
    kept = []
    for number, cells in rows:
        if len(cells) > MAX_COLUMNS:
            raise Rejected(
                "Row %(row)s has more than %(limit)s columns.",
                "bad_file",
                row=number,
                limit=MAX_COLUMNS,
            )
        if any(c.strip() for c in cells):
            kept.append((number, cells))
            if len(kept) > MAX_ROWS + 1:
                raise _too_many_rows()
    return kept


def _csv_rows(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    """Rows of CSV text with their line numbers; the delimiter is sniffed (";" from Excel ro)."""
    lines = text.splitlines()
    # Comment lines at the top ("# Illustrative sample ...") are notes, not rows.
    skip = 0
    while skip < len(lines) and (lines[skip].startswith("#") or not lines[skip].strip()):
        skip += 1
    body = "\n".join(lines[skip:])
    sample = "\n".join(line for line in lines[skip : skip + 30] if line.strip())
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    position = {"start": 1}

    def numbered() -> Any:
        for cells in reader:
            yield skip + position["start"], cells
            position["start"] = reader.line_num + 1

    try:
        return _kept_rows(numbered()), delimiter
    except csv.Error as error:
        # Python's csv module says what went wrong in English; the facilitator gets our words.
        row = skip + position["start"]
        if "field limit" in str(error):
            raise Rejected.counted(
                "Row %(row)s: a cell is longer than %(num)d character.",
                "Row %(row)s: a cell is longer than %(num)d characters.",
                csv.field_size_limit(),
                "bad_file",
                row=row,
            ) from None
        raise Rejected(
            "Row %(row)s: the row is not valid CSV (a quotation mark left open?).",
            "bad_file",
            row=row,
        ) from None


def check_zip(data: bytes) -> None:
    """Refuse a zip whose members would unpack to too much, before unpacking any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Rejected("The file is not a readable XLSX workbook.", "bad_file") from None
    if len(members) > MAX_MEMBERS:
        raise Rejected("The workbook has too many parts to be a table of ideas.", "bad_file")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if (
            member.file_size > MAX_MEMBER_BYTES
            or total > MAX_UNPACKED_BYTES
            or (member.file_size > RATIO_FROM and ratio > MAX_RATIO)
        ):
            raise Rejected(
                "The workbook would unpack to more than %(limit)s MB: it is refused unread.",
                "bad_file",
                limit=MAX_UNPACKED_BYTES // (1024 * 1024),
            )


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Rows with a filled cell of the first sheet with content, each cell as text."""
    import openpyxl

    check_zip(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (any failure of the reader on a hostile file is "unreadable")
        raise Rejected("The file is not a readable XLSX workbook.", "bad_file") from None
    try:
        for sheet in book.worksheets:
            # Stream the rows, ignoring the sheet's declared dimensions; cells beyond the
            # first MAX_COLUMNS columns are not read (a cell at XFD would make every row
            # 16,384 cells wide).
            sheet.reset_dimensions()
            values = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            rows = _kept_rows((n, _row_texts(cells)) for n, cells in enumerate(values, start=1))
            if rows:
                return rows
        return []
    except Rejected:
        raise
    except Exception:  # noqa: BLE001
        raise Rejected("The file is not a readable XLSX workbook.", "bad_file") from None
    finally:
        book.close()


def _row_texts(values: Sequence[Any]) -> list[str]:
    """The cells of a sheet row as text, without the empty cells at its end."""
    cells = [_cell_text(v) for v in values]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: whole numbers without ".0", empty cells empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _folded_name(name: str) -> str:
    """A column name reduced for matching: no diacritics, lower case, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(canonical(name)).lower()).split())


def guess_field(name: str) -> str | None:
    """Which field a column name means (text, theme, question, votes), or None."""
    folded = _folded_name(name)
    for name_field, names in COLUMN_NAMES.items():
        if folded in names:
            return name_field
    return None


def guess_columns(table: Table) -> dict[str, int | None]:
    """The column of each field by its header, the text column by content when unnamed."""
    chosen: dict[str, int | None] = dict.fromkeys(FIELDS)
    for index, name in enumerate(table.header):
        found = guess_field(name) if table.has_header else None
        if found and chosen[found] is None:
            chosen[found] = index
    if chosen["text"] is None:
        taken = {i for i in chosen.values() if i is not None}
        lengths = [
            (sum(len(cells[i]) for _, cells in table.rows), i)
            for i in range(len(table.header))
            if i not in taken
        ]
        if lengths:
            chosen["text"] = max(lengths)[1]
    return chosen


def column_index(table: Table, wanted: str | int | None) -> int | None:
    """A column given by header name (any case or diacritics) or 1-based number."""
    if wanted is None or wanted == "":
        return None
    if isinstance(wanted, int) or str(wanted).isdigit():
        index = int(wanted) - 1
        if 0 <= index < len(table.header):
            return index
    else:
        folded = _folded_name(str(wanted))
        for index, name in enumerate(table.header):
            if _folded_name(name) == folded:
                return index
    raise Rejected("The file has no column %(column)s.", "bad_file", column=str(wanted))


def ideas_from_table(table: Table, columns: Mapping[str, int | None]) -> list[PreviousIdea]:
    """The ideas of a table through a column mapping; a bad row refuses the whole file."""
    text_column = columns.get("text")
    if text_column is None:
        raise Rejected("Choose the column that holds the ideas.", "bad_file")
    ideas = []
    for number, cells in table.rows:
        text = _clean(cells[text_column], number)
        others = {
            name: _clean(cells[index], number) if index is not None else ""
            for name, index in columns.items()
            if name != "text"
        }
        if not text:
            if any(others.values()):
                raise Rejected(
                    "Row %(row)s: the idea text is empty but the row has other cells filled.",
                    "bad_file",
                    row=number,
                )
            continue
        ideas.append(_idea(number, text, others))
    return ideas


def _idea(number: int, text: str, others: Mapping[str, str]) -> PreviousIdea:
    """One checked idea."""
    if len(text) > MAX_TEXT:
        raise Rejected.counted(
            "Row %(row)s: the idea is longer than %(num)d character.",
            "Row %(row)s: the idea is longer than %(num)d characters.",
            MAX_TEXT,
            "bad_file",
            row=number,
        )
    theme = others.get("theme") or None
    if theme and len(theme) > MAX_THEME:
        raise Rejected.counted(
            "Row %(row)s: the theme is longer than %(num)d character.",
            "Row %(row)s: the theme is longer than %(num)d characters.",
            MAX_THEME,
            "bad_file",
            row=number,
        )
    question = others.get("question") or None
    if question and len(question) > MAX_QUESTION:
        raise Rejected.counted(
            "Row %(row)s: the question is longer than %(num)d character.",
            "Row %(row)s: the question is longer than %(num)d characters.",
            MAX_QUESTION,
            "bad_file",
            row=number,
        )
    votes = None
    raw_votes = (others.get("votes") or "").strip()
    if raw_votes:
        match = VOTES.fullmatch(raw_votes)
        if match is None or int(match.group(1)) > MAX_VOTES:
            raise Rejected(
                "Row %(row)s: votes must be a whole number up to %(limit)s, not “%(value)s”.",
                "bad_file",
                row=number,
                limit=MAX_VOTES,
                value=raw_votes[:40],
            )
        votes = int(match.group(1))
    return PreviousIdea(text, theme, question, votes, number)


def _clean(value: str, number: int) -> str:
    """A cell trimmed and with its spaces collapsed; control characters refuse the file."""
    value = unicodedata.normalize("NFC", value.replace("\u00a0", " ")).strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise Rejected(
            "Row %(row)s: the cell holds control characters; is this a text file?",
            "bad_file",
            row=number,
        )
    return " ".join(value.split())


def ideas_from_text(text: str) -> list[PreviousIdea]:
    """Plain text: one idea per line; blank lines and "#" comment lines are skipped."""
    ideas = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        cleaned = _clean(line, number)
        if cleaned:
            ideas.append(_idea(number, cleaned, {}))
            if len(ideas) > MAX_ROWS:
                raise _too_many_rows()
    return ideas


def without_duplicates(ideas: Sequence[PreviousIdea]) -> tuple[list[PreviousIdea], int]:
    """The ideas with repeated rows (same text, theme and question, however typed) left out."""
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for idea in ideas:
        key = tuple(_same(x) for x in (idea.text, idea.theme or "", idea.question or ""))
        if key in seen:
            continue
        seen.add(key)
        kept.append(idea)
    return kept, len(ideas) - len(kept)


def _same(text: str) -> str:
    """A form under which two spellings of the same row compare equal."""
    return " ".join(canonical(text).casefold().split())


def _comment_notes(text: str) -> list[str]:
    """The "#" comment lines at the top of a text or CSV file."""
    notes = []
    for line in text.splitlines():
        if line.startswith("#"):
            notes.append(line.lstrip("#").strip())
        elif line.strip():
            break
    return notes


def parse(
    data: bytes,
    filename: str = "",
    *,
    columns: Columns = None,
    fmt: str | None = None,
) -> ParsedSession:
    """Read a previous session from a file's bytes; columns override the guessed ones."""
    if not data or not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise Rejected("The file is empty.", "bad_file")
    fmt = fmt or file_format(filename, data)
    if fmt not in FORMATS:
        raise Rejected("Unknown file format %(format)s.", "bad_file", format=fmt)
    session = PARSERS[fmt](data, columns)
    session.ideas, session.duplicates = without_duplicates(session.ideas)
    if not session.ideas:
        raise Rejected("The file has no ideas in it.", "bad_file")
    session.illustrative = session.illustrative or any(
        "illustrative" in note.lower() or "ilustrativ" in fold(note).lower()
        for note in session.notes
    )
    return session


def _from_text(data: bytes, columns: Columns) -> ParsedSession:
    """A plain text file: one idea per line; its comment lines are notes."""
    text, encoding = decode(data)
    session = ParsedSession(ideas_from_text(text), "txt", encoding)
    session.notes = _comment_notes(text)
    return session


def _from_csv(data: bytes, columns: Columns) -> ParsedSession:
    """A CSV table; its comment lines are notes."""
    session = _from_table(data, "csv", columns)
    session.notes = _comment_notes(decode(data)[0])
    return session


def _from_xlsx(data: bytes, columns: Columns) -> ParsedSession:
    """An Excel workbook's first sheet."""
    return _from_table(data, "xlsx", columns)


def _from_table(data: bytes, fmt: str, columns: Columns) -> ParsedSession:
    """A table: each row an idea, its fields in the chosen columns, else the guessed ones."""
    table = read_table(data, fmt)
    named = {_folded_name(str(v)) for v in (columns or {}).values() if v and not str(v).isdigit()}
    if not table.has_header and named & {_folded_name(c) for c in table.rows[0][1]}:
        table = read_table(data, fmt, header=True)  # the columns were named by the first row
    chosen = guess_columns(table)
    for name, wanted in (columns or {}).items():
        if name not in FIELDS:
            raise Rejected("Unknown field %(name)s.", "bad_file", name=name)
        if wanted is not None and wanted != "":
            chosen[name] = column_index(table, wanted)
        elif name != "text":
            chosen[name] = None
    session = ParsedSession(ideas_from_table(table, chosen), fmt, table.encoding)
    session.columns = {
        name: table.header[index] if index is not None else None for name, index in chosen.items()
    }
    return session


def _from_archive(data: bytes) -> ParsedSession:
    """A session archive of this tool, read by the archive format's `load_archive`."""
    try:
        # Count the ideas before the archive's full check, which would take seconds on a huge one.
        raw = json.loads(data.decode("utf-8-sig", errors="replace"))
        if isinstance(raw, dict) and len(raw.get("ideas") or ()) > MAX_ROWS:
            raise _too_many_rows()
        archive = archive_format.load_archive(data)
    except RecursionError:
        raise Rejected(
            "The archive is nested too deeply to be a session archive.", "bad_file"
        ) from None
    except Rejected:
        raise
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as error:
        raise Rejected(
            "The archive cannot be read: %(problem)s", "bad_file", problem=str(error)[:200]
        ) from None
    return archive_session(archive)


# How each format is read: format -> parser(data, columns).
PARSERS: Mapping[str, Callable[[bytes, Columns], ParsedSession]] = {
    "archive": lambda data, _columns: _from_archive(data),
    "csv": _from_csv,
    "xlsx": _from_xlsx,
    "txt": _from_text,
}
FORMATS = tuple(PARSERS)


def archive_session(archive: Any) -> ParsedSession:
    """Ideas of a loaded archive: each visible idea with its theme's name, question and votes."""
    if dataclasses.is_dataclass(archive):
        archive = dataclasses.asdict(archive)
    workshop = archive.get("workshop") or {}
    themes = {t["id"]: t for t in archive.get("themes") or []}
    questions = {q["id"]: q.get("text") for q in archive.get("questions") or []}
    idea_votes: dict[Any, int] = {}
    for vote in archive.get("votes") or []:
        if vote.get("target_kind") == "idea":
            target = vote.get("target_id")
            idea_votes[target] = idea_votes.get(target, 0) + int(vote.get("dots") or 0)
    ideas = []
    if len(archive.get("ideas") or []) > MAX_ROWS:
        raise _too_many_rows()
    for n, idea in enumerate(archive.get("ideas") or [], start=1):
        if idea.get("hidden") or idea.get("held") or not (idea.get("text") or "").strip():
            continue
        votes = idea_votes.get(idea.get("id"))
        question = questions.get(idea.get("question_id")) or ""
        ideas.append(
            _idea(
                n,
                _clean(idea["text"], n),
                {
                    "theme": _theme_name(themes, idea.get("theme_id")),
                    "question": question,
                    "votes": str(votes) if votes is not None else "",
                },
            )
        )
    return ParsedSession(
        ideas, "archive", "utf-8", title=workshop.get("title"), date=workshop.get("date")
    )


def _theme_name(themes: Mapping[Any, Mapping[str, Any]], theme_id: Any) -> str:
    """The name of an idea's theme, following merges to the theme that holds it now."""
    seen = set()
    theme = themes.get(theme_id)
    while theme is not None and theme.get("merged_into_id") and theme["id"] not in seen:
        seen.add(theme["id"])
        theme = themes.get(theme["merged_into_id"]) or theme
    return (theme or {}).get("name") or ""
