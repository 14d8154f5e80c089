"""Hostile files: an import never exhausts the server, never blocks phones, and every refused
file gets one sentence and changes nothing.

The bombs go to a real server (its memory is read from /proc while it works); the malformed
files go through the import page of an application in the test process, which reads each file
in the same limited process as the server does.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import zipfile
import zlib

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from facilitation.models import PreviousIdea, PreviousSession
from facilitation.previous import parsing
from tests.reliability.conftest import LivePhone

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Idei" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _cell(ref: str, text: str) -> str:
    """An inline text cell of sheet XML."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(sheet: bytes) -> bytes:
    """A minimal XLSX file around one sheet's XML, compressed as spreadsheets are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def dimension_bomb() -> bytes:
    """1.5 KB: three ideas in a sheet that declares the range A1:XFD3000 (49 million cells),
    with a cell in its last column, XFD."""
    rows = "".join(
        f'<row r="{n}">{_cell(f"A{n}", text)}{_cell(f"XFD{n}", "x")}</row>'
        for n, text in enumerate(["Idee", "Parcuri mai curate", "Piste de biciclete"], start=1)
    )
    sheet = f'{SHEET_START}<dimension ref="A1:XFD3000"/><sheetData>{rows}</sheetData></worksheet>'
    return _workbook(sheet.encode())


def expansion_bomb(megabytes: int = 400) -> bytes:
    """A sheet that is about 400 KB compressed and 400 MB unpacked: one empty row, repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = f'{SHEET_START}<sheetData><row r="1">{_cell("A1", "Idee")}</row>'.encode()
    chunk = b"<row/>" * (1024 * 1024 // 6)
    body = [compressor.compress(head)]
    size, crc = len(head), zlib.crc32(head)
    for _ in range(megabytes):
        body.append(compressor.compress(chunk))
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
    tail = b"</sheetData></worksheet>"
    body += [compressor.compress(tail), compressor.flush()]
    size += len(tail)
    crc = zlib.crc32(tail, crc)
    compressed = b"".join(body)
    # The other parts are ordinary; the sheet is written as raw deflate with its real sizes.
    buffer = io.BytesIO(_workbook(b"<placeholder/>"))
    with zipfile.ZipFile(buffer) as small:
        parts = {n: small.read(n) for n in small.namelist() if "sheet1" not in n}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(compressed), crc
        book.fp.write(info.FileHeader())  # noqa: SLF001  (a hand-made member, as an attacker would)
        header_offset = out.tell() - len(info.FileHeader())
        info.header_offset = header_offset
        book.fp.write(compressed)
        book.filelist.append(info)
        book.NameToInfo[info.filename] = info
        book.start_dir = out.tell()
    return out.getvalue()


def _rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _upload(server, data: bytes, name: str, **fields: str) -> requests.Response:
    """Post a file to the real server's import page, as the facilitator's browser does."""
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    url = f"{server.base}/facilitate/{server.code}/previous"
    page = session.get(url, params={"key": server.key}, timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return session.post(
        url,
        params={"key": server.key},
        data={"csrf_token": token, **fields},
        files={"file": (name, data)},
        timeout=120,
    )


@pytest.mark.slow
def test_workbook_bombs_are_read_or_refused_quickly_with_the_servers_memory_bounded(live_server):
    """A sheet declaring 49 million cells is read as the three ideas it has; a sheet unpacking to
    400 MB is refused unread, in a second or two, with one sentence; the server grows by no more
    than a few MB and stores nothing for the bomb."""
    server = live_server()
    stored = server.rows("SELECT count(*) FROM previous_ideas")  # the demo's sample session
    before = _rss_mb(server.process.pid)
    started = time.monotonic()
    reply = _upload(server, dimension_bomb(), "dimensions.xlsx")
    assert reply.status_code == 200 and "Piste de biciclete" in reply.text  # the preview
    bomb = expansion_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    reply = _upload(server, bomb, "bomb.xlsx")
    elapsed = time.monotonic() - started
    assert reply.status_code == 400
    assert "unpack to more than" in reply.text
    assert elapsed < 15
    assert _rss_mb(server.process.pid) - before < 40
    assert server.rows("SELECT count(*) FROM previous_ideas") == stored
    assert not server.errors()


@pytest.mark.slow
def test_phones_are_answered_while_a_large_file_is_imported(live_server):
    """While the facilitator imports 20,000 ideas, phones' ideas are acknowledged as usual."""
    server = live_server()
    phone = LivePhone(server).connect()
    text = "".join(f"Idee numărul {n} despre parcuri și transport\n" for n in range(20_000))
    result = {}

    def import_file() -> None:
        result["reply"] = _upload(server, text.encode(), "ideas.txt")

    importer = threading.Thread(target=import_file)
    importer.start()
    waits = []
    n = 0
    while importer.is_alive() or n < 5:
        began = time.monotonic()
        assert phone.submit(f"during-import-{n:04d}", f"Idee trimisă în timpul importului {n}")[
            "ok"
        ]
        waits.append(time.monotonic() - began)
        n += 1
    importer.join(120)
    phone.close()
    assert result["reply"].status_code == 200, result["reply"].text[-500:]
    assert server.rows("SELECT count(*) FROM previous_ideas") == [(20_000,)]
    assert max(waits) < 2.0, max(waits)


def _post(app, workshop, data: bytes, name: str, **fields: str):
    """Post a file to the import page of the application in the test process."""
    client = app.test_client()
    url = f"/facilitate/{workshop.code}/previous?key={workshop.key}"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    # Encoded here, in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(
        MultiDict({"csrf_token": token, **fields, "file": FileStorage(io.BytesIO(data), name)})
    )
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _nested(depth: int) -> bytes:
    """A JSON archive whose workshop title is nested depth lists deep."""
    return b'{"format": "cocreation-board-archive", "schema_version": 1, "workshop": ' + (
        b"[" * depth + b"]" * depth + b"}"
    )


def _archive_of(count: int) -> bytes:
    """A session archive with count ideas (from the exports' own builder of plain archives)."""
    ideas = [
        {"id": n, "text": f"Idee {n}", "hidden": False, "held": False} for n in range(1, count + 1)
    ]
    return json.dumps(
        {"format": "cocreation-board-archive", "schema_version": 1, "ideas": ideas}
    ).encode()


HOSTILE_FILES = {
    "BOM then invalid UTF-8": (b"\xef\xbb\xbfidee\n\xff\xfe nu e text\n", "ideas.txt", "UTF-8"),
    "malformed sheet XML": (
        _workbook(f"{SHEET_START}<sheetData><row r='1'><c r=".encode()),
        "broken.xlsx",
        "not a readable XLSX workbook",
    ),
    "votes of inf": (b"idee;voturi\nParcuri;inf\n", "votes.csv", "votes must be a whole number"),
    "votes of 1e400": (b"idee;voturi\nParcuri;1e400\n", "v.csv", "votes must be a whole number"),
    "votes of 20 digits": (
        b"idee;voturi\nParcuri;12345678901234567890\n",
        "v.csv",
        "votes must be a whole number",
    ),
    "negative votes": (b"idee;voturi\nParcuri;-3\n", "v.csv", "votes must be a whole number"),
    "JSON nested 100,000 deep": (_nested(100_000), "deep.json", "nested too deeply"),
    "an archive of 50,000 ideas": (_archive_of(50_000), "big.json", "more than 20000 rows"),
    "20,001 lines of text": (
        "".join(f"Idee {n}\n" for n in range(20_001)).encode(),
        "many.txt",
        "more than 20000 rows",
    ),
    "a million blank CSV rows then ideas": (
        b"idee;tema\n" + b";\n" * 1_000_000 + b"".join(b"x%d;t\n" % n for n in range(20_001)),
        "blank.csv",
        "more than 20000 rows",
    ),
    "a CSV 101 columns wide": (
        b"idee" + b";x" * 100 + b"\nParcuri" + b";x" * 100 + b"\n",
        "wide.csv",
        "more than 100 columns",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_a_hostile_file_gets_one_sentence_and_changes_nothing(app, store, workshop, name):
    """Each hostile file is refused with a 400 page that says why in one sentence, and the
    workshop keeps no previous session."""
    data, filename, sentence = HOSTILE_FILES[name]
    reply = _post(app, workshop, data, filename, confirm="1", column_text="1", column_votes="2")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400, page[-400:]
    assert sentence in page
    assert "Traceback" not in page
    with store.read() as db:
        assert db.scalar(select(func.count(PreviousSession.id))) == 0
        assert db.scalar(select(func.count(PreviousIdea.id))) == 0


def test_every_format_holds_the_same_row_limit():
    """CSV, text and archives all refuse one row more than MAX_ROWS, and accept MAX_ROWS."""
    rows = [f"Idee {n}" for n in range(parsing.MAX_ROWS)]
    assert len(parsing.parse("\n".join(rows).encode(), "ok.txt").ideas) == parsing.MAX_ROWS
    with pytest.raises(parsing.Rejected, match="more than"):
        parsing.parse("\n".join([*rows, "una în plus"]).encode(), "many.txt")
    with pytest.raises(parsing.Rejected, match="more than"):
        parsing.parse(("idee\n" + "\n".join([*rows, "una în plus"])).encode(), "many.csv")
    with pytest.raises(parsing.Rejected, match="more than"):
        parsing.parse(_archive_of(parsing.MAX_ROWS + 1), "many.json")


def test_a_reader_over_its_memory_limit_is_refused_with_one_sentence(app):
    """The reading process is really limited: with 60 MB it cannot even start, and the import
    is refused with a sentence about memory instead of an error."""
    from facilitation.previous import sandbox

    with pytest.raises(parsing.Rejected, match="memory"):
        sandbox.read(
            b"Parcuri\n", "a.txt", columns=None, preview_rows=None, memory_mb=60, seconds=30
        )
