"""The documents as an office suite opens them: LibreOffice converts them to PDF, poppler reads it.

One session, its Romanian and English action plan and its workbook, each converted once (one
`soffice --headless` run for all three). LibreOffice and poppler-utils come from Debian's
`libreoffice-writer-nogui`, `libreoffice-calc-nogui` and `poppler-utils` (`.ci/run` installs
them); without them these tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitation.exports import archive as archive_module
from facilitation.exports import labels as label_table
from facilitation.exports import plan
from facilitation.models import Workshop
from tests.conftest import board_client, new_app, new_workshop, phone_client
from tests.exports.conftest import Lab, act, page_url, run_lab, save_plan
from tests.exports.english import english_words_in

pytestmark = pytest.mark.slow

CONVERT_TIMEOUT = 120
TOOLS = ("soffice", "pdftotext", "pdfinfo")
A4_POINTS = (595, 842)
# Typed with cedilla letters, as older keyboards and software do.
CEDILLA_TITLE = "Şcoală de vară pentru ţesători şi meşteşugari"
COMMA_BELOW_TITLE = "Școală de vară pentru țesători și meșteșugari"


def _require_office() -> None:
    """Skip (or fail, where the office suite is required) when a tool is not installed."""
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not absent:
        return
    reason = (
        f"{', '.join(absent)} not installed (apt-get install libreoffice-writer-nogui "
        "libreoffice-calc-nogui poppler-utils)"
    )
    if os.environ.get("REQUIRE_OFFICE") == "1" or os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Converted:
    """A downloaded document and what poppler reads in its PDF."""

    text: str
    layout: str
    page_size: tuple[float, float]
    pages: int

    @property
    def flat(self) -> str:
        """The text with every run of white space (line ends included) as one space."""
        return " ".join(self.text.split())


@dataclass
class Office:
    """The session, its archive, and its documents as LibreOffice printed them."""

    lab: Lab
    archive: archive_module.Archive
    docx_ro: Converted
    docx_en: Converted
    xlsx: Converted


def _read_pdf(path: Path) -> Converted:
    """The text (pdftotext) and the page size and count (pdfinfo) of a PDF."""
    text, layout = (
        subprocess.run(
            ["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        for mode in ([], ["-layout"])
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return Converted(text, layout, (float(width), float(height)), pages)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Office:
    """The exports session with a cedilla-typed action title, converted by LibreOffice."""
    _require_office()
    folder = tmp_path_factory.mktemp("office")
    app = new_app(folder / "instance")
    store = app.extensions["store"]
    workshop = new_workshop(app, store)
    clients = []

    def phone():
        clients.append(phone_client(app, workshop))
        return clients[-1]

    def board(role="board"):
        clients.append(board_client(app, workshop, role))
        return clients[-1]

    lab = run_lab(app, store, workshop, phone, board)
    act(board("facilitator"), "rename_theme", theme_id=lab.theme_ids[0], name=CEDILLA_TITLE)
    http = app.test_client()
    first, second = lab.theme_ids[:2]
    save_plan(
        http,
        lab,
        **{
            "language": "ro",
            f"action-{first}-chosen": "on",
            f"action-{second}-chosen": "on",
            f"action-{first}-title": CEDILLA_TITLE,
        },
    )
    downloads = {
        "plan-ro.docx": page_url(lab, "export/docx") + "&lang=ro",
        "plan-en.docx": page_url(lab, "export/docx") + "&lang=en",
        "data.xlsx": page_url(lab, "export/xlsx") + "&lang=ro",
    }
    for name, url in downloads.items():
        response = http.get(url)
        assert response.status_code == 200, url
        (folder / name).write_bytes(response.data)
    with store.read() as db:
        archive = archive_module.build(db, db.scalar(select(Workshop)))
    for client in clients:
        client.disconnect()
    store.dispose()
    # Its own profile folder, so that runs side by side do not share LibreOffice's lock.
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(folder / name) for name in downloads),
        ],
        capture_output=True,
        check=True,
        timeout=CONVERT_TIMEOUT,
    )
    return Office(
        lab=lab,
        archive=archive,
        docx_ro=_read_pdf(folder / "plan-ro.pdf"),
        docx_en=_read_pdf(folder / "plan-en.pdf"),
        xlsx=_read_pdf(folder / "data.pdf"),
    )


@pytest.mark.parametrize("document", ["docx_ro", "docx_en"])
def test_documents_print_on_a4_portrait(office, document):
    """Word, LibreOffice and the printer see A4 pages, not US Letter."""
    converted = getattr(office, document)
    assert converted.pages >= 2
    width, height = converted.page_size
    assert (round(width), round(height)) == A4_POINTS


def test_workbook_prints_on_a4_landscape(office):
    """The wide tables of the workbook print across an A4 page."""
    width, height = office.xlsx.page_size
    assert (round(height), round(width)) == A4_POINTS


def test_pages_are_numbered_in_the_footer(office):
    """Each page of the plan ends with its number."""
    pages = office.docx_ro.layout.split("\f")[: office.docx_ro.pages]
    numbers = [page.split()[-1] for page in pages]
    assert numbers == [str(n) for n in range(1, office.docx_ro.pages + 1)]


@pytest.mark.parametrize(("document", "language"), [("docx_ro", "ro"), ("docx_en", "en")])
def test_the_three_parts_of_the_interreg_template_are_printed(office, document, language):
    """Part I, Part II and Part III headings, in the document's language, in order."""
    words = label_table.texts(language)
    flat = getattr(office, document).flat
    positions = [flat.find(words[part]) for part in ("part1", "part2", "part3")]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_romanian_letters_survive_and_cedilla_becomes_comma_below(office):
    """ș ț ă î â reach the page; an action title typed with ş ţ is printed with ș ț."""
    flat = office.docx_ro.flat
    for letter in "șțăîâȘȚ":
        assert letter in flat, letter
    assert COMMA_BELOW_TITLE in flat
    assert not set("şţŞŢ") & set(flat)
    # The archive keeps what the facilitator typed.
    assert CEDILLA_TITLE in {theme.name for theme in office.archive.themes}


def test_romanian_document_and_workbook_have_no_english_status_words(office):
    """No "recurring", "phone", "dots"... in the Romanian plan or the Romanian workbook."""
    assert english_words_in(office.docx_ro.text) == []
    assert english_words_in(office.xlsx.text) == []
    assert "telefon" in office.xlsx.text


def test_english_document_is_in_english(office):
    """The English plan speaks of dots and voters."""
    assert re.search(r"\d+ dots? from \d+ voters?", office.docx_en.flat)


def test_table_headers_are_never_broken_inside_a_word(office):
    """Each word of each table header is printed whole (no "corespunzătoar-e")."""
    words = label_table.texts("ro")
    headers = [
        words[key]
        for key in ("col_measure", "col_value", "category", "participants", "ideas", "voters")
        + ("dots_cast", "question")
    ]
    printed = set(re.findall(r"[\w-]+", office.docx_ro.text))
    for header in headers:
        for word in re.findall(r"[\w-]+", header):
            assert word in printed, f"{word!r} of {header!r} is broken across lines"


def test_counts_in_the_document_match_the_session(office):
    """Statistics, each category's row, and each theme's dots and voters, as recorded."""
    stats = office.archive.statistics
    lines = [" ".join(line.split()) for line in office.docx_ro.layout.splitlines()]
    words = label_table.texts("ro")
    for key, value in (
        ("participants", stats["participants"]),
        ("ideas", stats["ideas"]),
        ("paper_ideas", stats["paper_ideas"]),
        ("hidden_ideas", stats["hidden_ideas"]),
        ("voters", stats["voters"]),
        ("dots_cast", stats["dots"]),
    ):
        assert f"{words[key]} {value}" in lines, (key, value)
    for row in stats["by_category"]:
        counts = [row[k] for k in ("participants", "ideas", "voters", "dots")]
        assert " ".join(map(str, [row["category"], *counts])) in lines, row
    flat = office.docx_ro.flat
    voted = [row for row in plan.ranked_themes(office.archive) if row["dots"]]
    assert len(voted) == 2
    for row in voted:
        assert f"({plan.dots_from_voters(office.archive, row, 'ro')})" in flat
    assert "(6 buline de la 3 votanți)" in flat
