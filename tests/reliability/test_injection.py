"""Injection: redirects stay on the site, exported CSV never runs a formula, pages carry
security headers. Each attack goes to a real server started by the test.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import requests
import socketio

from tests.reliability.conftest import LivePhone, LiveServer

pytestmark = pytest.mark.slow

OFF_SITE_TARGETS = [
    "//other-host",
    "/\t/other-host",
    "/\n/other-host",
    "/\\other-host",
    "/\\/other-host",
    "https://other-host/",
    "http:/other-host",
    " //other-host",
    "javascript:alert(1)",
]
# Ideas a participant could type to make a spreadsheet run something.
FORMULA_IDEAS = [
    "benign;=1+1;",
    "=2+3",
    "x,+4+5",
    "nimic; @SUM(6+7)",
    "a;-8+9",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One real server with its demo workshop, shared by the tests of this file."""
    live = LiveServer(tmp_path_factory.mktemp("injection")).start()
    yield live
    live.stop()


@pytest.mark.parametrize("target", OFF_SITE_TARGETS)
def test_language_switch_never_redirects_off_the_site(server, target):
    """/lang/en?next=<anything off the site> goes back to "/" of this site instead."""
    reply = requests.get(
        f"{server.base}/lang/en", params={"next": target}, allow_redirects=False, timeout=10
    )
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/"


def test_language_switch_still_goes_back_to_a_page_of_the_site(server):
    """A plain path with a query is kept: the switch returns to the page it came from."""
    target = f"/j/{server.code}?x=1"
    reply = requests.get(
        f"{server.base}/lang/en", params={"next": target}, allow_redirects=False, timeout=10
    )
    assert reply.headers["Location"] == target


def test_the_raw_tab_redirect_of_the_report_stays_on_the_site(server):
    """The address exactly as reported, with %09 in the query string, redirects to "/"."""
    reply = requests.get(
        f"{server.base}/lang/en?next=/%09/other-host", allow_redirects=False, timeout=10
    )
    assert reply.headers["Location"] == "/"


def test_a_key_with_non_ascii_characters_is_refused_like_any_wrong_key(server):
    """A facilitator key of Cyrillic letters or an emoji gets 403, and a board connecting with
    it is refused `forbidden`, never a server error."""
    for key in ["ключ", "🔑" * 24, "é"]:
        page = requests.get(
            f"{server.base}/facilitate/{server.code}", params={"key": key}, timeout=10
        )
        assert page.status_code == 403
        errors: list = []
        client = socketio.Client(reconnection=False)
        client.on("connect_error", errors.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(
                server.base,
                auth={"code": server.code, "role": "board", "key": key},
                wait_timeout=10,
            )
        assert errors[0]["data"] == {"code": "forbidden"}
    assert not server.errors()


def test_every_page_carries_the_security_headers(server):
    """Join page, phone page, board, controls and an error page all carry the headers."""
    key = {"key": server.key}
    pages = [
        ("/", {}),
        (f"/j/{server.code}", {}),
        (f"/board/{server.code}", key),
        (f"/facilitate/{server.code}", key),
        ("/j/NOSUCH", {}),
    ]
    for path, params in pages:
        headers = requests.get(server.base + path, params=params, timeout=10).headers
        policy = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        ), path
        assert "frame-ancestors 'none'" in policy, path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert headers["X-Content-Type-Options"] == "nosniff", path


def _calc_cells(csv_file: Path, separator: str, workdir: Path) -> list[tuple[object, str]]:
    """Every cell of a CSV file as LibreOffice Calc reads it with the given list separator.

    Calc opens the file headless with its own throwaway profile, and converts it to XLSX; each
    cell comes back as (value, openpyxl data type), where type "f" is a formula.
    """
    profile = workdir / "profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            f"--infilter=CSV:{ord(separator)},34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(workdir),
            str(csv_file),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    book = openpyxl.load_workbook(workdir / (csv_file.stem + ".xlsx"))
    return [(cell.value, cell.data_type) for row in book.active.iter_rows() for cell in row]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_exported_csv_runs_no_formula_in_a_spreadsheet(server, tmp_path):
    """Ideas made to be formulas, once exported as CSV and opened in LibreOffice Calc with ";"
    (a Romanian list separator) or "," as separator, are shown as text: no cell is a formula.
    """
    phone = LivePhone(server).connect()
    for n, text in enumerate(FORMULA_IDEAS):
        assert phone.submit(f"formula-{n:04d}", text)["ok"]
    phone.close()
    reply = requests.get(
        f"{server.base}/facilitate/{server.code}/export/csv", params={"key": server.key}, timeout=60
    )
    reply.raise_for_status()
    ideas_csv = zipfile.ZipFile(io.BytesIO(reply.content)).read("ideas.csv")
    # The control: the same texts written unquoted, as before, do run as formulas in Calc.
    control = tmp_path / "control" / "ideas.csv"
    control.parent.mkdir()
    control.write_text("\n".join(FORMULA_IDEAS) + "\n", encoding="utf-8")
    assert any(kind == "f" for _, kind in _calc_cells(control, ";", control.parent))
    for separator in ";,":
        folder = tmp_path / f"sep{ord(separator)}"
        folder.mkdir()
        exported = folder / "ideas.csv"
        exported.write_bytes(ideas_csv)
        cells = _calc_cells(exported, separator, folder)
        assert not [value for value, kind in cells if kind == "f"], separator
        shown = " ".join(str(value) for value, _ in cells if value is not None)
        assert "=1+1" in shown and "=2+3" in shown  # the text is still there, as text
