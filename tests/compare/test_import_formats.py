"""Importing a previous session from the files city halls have: encodings, separators, XLSX, text.

Every test writes its own file. A bad file is refused whole: the error names the row and the
problem, and nothing of it is stored.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from analysis import fold
from facilitation.models import PreviousIdea, PreviousSession, Workshop
from facilitation.operations.errors import Rejected
from facilitation.previous import operations, parsing

ROWS = [
    ("Finanțare", "Granturi pentru start-up-uri și IMM-uri", "3"),
    ("Educație", "Cursuri de antreprenoriat în școli și licee", "2"),
    ("Turism", "Trasee turistice în Piața Unirii și Iosefin", ""),
]
HEADER = "tema;idee;voturi"


def _csv(rows=ROWS, header=HEADER, delimiter=";") -> str:
    """CSV text of rows under a header."""
    lines = [header.replace(";", delimiter)]
    lines += [delimiter.join(row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1250", "iso-8859-2", "iso-8859-16"])
def test_csv_in_every_encoding_reads_romanian_letters(encoding):
    """The same CSV in UTF-8 (with or without BOM) and the three legacy encodings reads the same."""
    text = _csv()
    if encoding in ("cp1250", "iso-8859-2"):  # no comma-below letters there: cedilla forms
        text = text.translate(str.maketrans("șțȘȚ", "şţŞŢ"))
    session = parsing.parse(text.encode(encoding), "ideas.csv")

    assert [fold(i.text) for i in session.ideas] == [fold(r[1]) for r in ROWS]
    assert session.ideas[0].text.replace("ş", "ș").replace("ţ", "ț") == ROWS[0][1]
    assert [i.theme for i in session.ideas][:2] in (
        ["Finanțare", "Educație"],
        ["Finanţare", "Educaţie"],
    )
    assert [i.votes for i in session.ideas] == [3, 2, None]


def test_iso_8859_16_keeps_comma_below_letters():
    """ISO-8859-16 has ș ț; they come back as typed, not as cedilla letters or other alphabets."""
    text = "Înființarea unui centru de informare în Timișoara, cu ședințe lunare\n"
    session = parsing.parse(text.encode("iso-8859-16"), "ideas.txt")
    assert session.ideas[0].text in (
        "Înființarea unui centru de informare în Timișoara, cu ședințe lunare",
        "Înfiinţarea unui centru de informare în Timişoara, cu şedinţe lunare",
    )


def test_cp1250_with_typographic_quotes_is_read_as_windows_1250():
    """Excel's „quotes” and – dashes only exist in Windows-1250 among the three."""
    text = "idee\n„Produs în Timişoara” – marcă pentru firme locale\n"
    session = parsing.parse(text.encode("cp1250"), "ideas.csv")
    assert session.ideas[0].text == "„Produs în Timişoara” – marcă pentru firme locale"
    assert session.encoding == "cp1250"


def test_semicolon_csv_from_romanian_excel_with_commas_inside_cells():
    """Semicolons separate; commas stay inside the ideas."""
    text = "Temă;Idee;Voturi\nFinanțare;Granturi, credite și fonduri europene;4\n"
    session = parsing.parse(text.encode("utf-8-sig"), "export.csv")
    assert session.ideas[0].text == "Granturi, credite și fonduri europene"
    assert session.columns == {"text": "Idee", "theme": "Temă", "question": None, "votes": "Voturi"}


def test_comma_csv_with_english_headers_and_quoted_cells():
    """A plain comma CSV with English column names and quoted cells."""
    text = 'idea,theme,question,votes\n"Mentors, coworking and grants",Incubation,Q1,2\n'
    session = parsing.parse(text.encode(), "ideas.csv")
    idea = session.ideas[0]
    assert (idea.text, idea.theme, idea.question, idea.votes) == (
        "Mentors, coworking and grants",
        "Incubation",
        "Q1",
        2,
    )


def test_blank_lines_and_duplicate_rows_are_left_out():
    """Empty rows are skipped and a row repeated (whatever its spacing) is kept once."""
    rows = [
        *ROWS[:2],
        ("", "", ""),
        ("Finanțare", "Granturi pentru  start-up-uri și IMM-uri ", "3"),
    ]
    session = parsing.parse(_csv(rows).replace("\r\n", "\n\n").encode(), "ideas.csv")
    assert len(session.ideas) == 2
    assert session.duplicates == 1


def test_cedilla_letters_are_kept_as_typed():
    """ş ţ stay in the stored text; the analysis treats them as ș ț."""
    session = parsing.parse("Finanţare pentru tineri şi IMM-uri\n".encode(), "ideas.txt")
    assert session.ideas[0].text == "Finanţare pentru tineri şi IMM-uri"


def test_plain_text_one_idea_per_line():
    """Text files: one idea per line, blank lines and # comments skipped."""
    text = (
        "# Atelier 30.09.2019 (illustrative sample)\n\nIdee despre granturi\n\nIdee despre şcoli\n"
    )
    session = parsing.parse(text.encode("cp1250"), "notes.txt")
    assert [i.text for i in session.ideas] == ["Idee despre granturi", "Idee despre şcoli"]
    assert session.illustrative is True


def _xlsx(rows) -> bytes:
    """An XLSX workbook of rows, written with openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_theme_and_numeric_votes():
    """An XLSX table: header names guessed, numbers read as whole votes."""
    data = _xlsx(
        [
            ("Întrebare", "Temă", "Idee", "Puncte"),
            ("Q1", "Finanțare", "Granturi mici", 3),
            (None, None, None, None),
            ("Q2", "Educație", "Cursuri în licee", 1.0),
        ]
    )
    session = parsing.parse(data, "rezultate.xlsx")
    assert [(i.text, i.theme, i.question, i.votes) for i in session.ideas] == [
        ("Granturi mici", "Finanțare", "Q1", 3),
        ("Cursuri în licee", "Educație", "Q2", 1),
    ]


def test_columns_can_be_chosen_by_name_or_number():
    """Without known headers the longest column is the text; flags or the form can override."""
    text = "a;b\nx;Granturi pentru firme noi\ny;Cursuri în licee\n"
    session = parsing.parse(text.encode(), "ideas.csv")
    assert [i.text for i in session.ideas][1:] == ["Granturi pentru firme noi", "Cursuri în licee"]
    session = parsing.parse(text.encode(), "ideas.csv", columns={"text": "b", "theme": "1"})
    assert (session.ideas[0].text, session.ideas[0].theme) == ("Granturi pentru firme noi", "x")


@pytest.mark.parametrize(
    ("content", "row", "problem"),
    [
        ("tema;idee;voturi\nA;Granturi;3\nB;Cursuri;multe\n", 3, "votes must be a whole number"),
        ("tema;idee;voturi\nA;Granturi;3\nB;;2\n", 3, "idea text is empty"),
        ("idee\nGranturi\n" + "x" * 2001 + "\n", 3, "longer than 2000"),
        ("idee;tema\nGranturi;" + "t" * 121 + "\n", 2, "theme is longer"),
        ("idee\nGranturi\nCursuri \x01 ascunse\n", 3, "control characters"),
        ("idee\nGranturi\n" + "f" * 200_000 + "\n", 3, "a cell is longer than 131072 characters"),
    ],
)
def test_bad_rows_are_named(content, row, problem):
    """The error names the row as the file numbers it, and the problem."""
    with pytest.raises(Rejected) as refused:
        parsing.parse(content.encode(), "ideas.csv")
    assert f"Row {row}:" in str(refused.value)
    assert problem in str(refused.value)


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"", "empty.csv"), (b"\n\n", "blank.txt"), (b"PK\x03\x04broken", "broken.xlsx")],
)
def test_unreadable_files_are_refused(data, name):
    """Empty files and broken workbooks are refused with a sentence, not a crash."""
    with pytest.raises(Rejected):
        parsing.parse(data, name)


def test_a_bad_file_leaves_nothing_behind(app, store, workshop):
    """A refused import stores nothing and keeps the previous session that was there."""
    good = parsing.parse(_csv().encode(), "good.csv")
    with store.write() as db:
        operations.import_session(db, db.get(Workshop, workshop.id), good, source="good.csv")
    client = app.test_client()
    page = client.get(f"/facilitate/{workshop.code}/previous?key={workshop.key}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        f"/facilitate/{workshop.code}/previous?key={workshop.key}",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(b"idee;voturi\nA;1\nB;doi\n"), "bad.csv"),
            "confirm": "1",
            "column_text": "1",
            "column_votes": "2",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Row 3:" in response.get_data(as_text=True)
    with store.read() as db:
        sessions = db.scalars(select(PreviousSession)).all()
        assert [s.source for s in sessions] == ["good.csv"]
        assert db.scalar(select(func.count(PreviousIdea.id))) == 3


def test_archive_of_this_tool_is_imported_with_theme_names(app, store, workshop):
    """A session archive (exports) comes in with each visible idea under its theme's name."""
    archive = pytest.importorskip("facilitation.exports.archive")
    from facilitation.models import Participant, Theme
    from facilitation.operations import ideas as idea_ops

    with store.write() as db:
        w = db.get(Workshop, workshop.id)
        participant = Participant(workshop_id=w.id, device_id="d" * 32)
        db.add(participant)
        db.flush()
        for n, text in enumerate(["Granturi pentru IMM-uri", "Cursuri în licee"]):
            idea_ops.submit(db, w.id, participant.id, client_id=f"client-{n:04d}", text=text)
        theme = Theme(workshop_id=w.id, name="Bani", color="#ffd166", position=1)
        db.add(theme)
        db.flush()
        first = db.scalars(select(__import__("facilitation.models").models.Idea)).first()
        first.theme_id = theme.id
        data = archive.dumps(archive.build(db, w))

    session = parsing.parse(data, "session.json")

    assert session.format == "archive"
    assert [(i.text, i.theme) for i in session.ideas] == [
        ("Granturi pentru IMM-uri", "Bani"),
        ("Cursuri în licee", None),
    ]
