"""`facilitation export` for every format, from the join code."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from facilitation.cli import main
from tests.exports.conftest import unzip


@pytest.fixture
def cli(app, lab, monkeypatch):
    """Run the command line on the test application's database."""
    monkeypatch.setenv("INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")

    def run(*args: str):
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result

    return run


def test_export_docx_and_markdown_with_charts(cli, lab, tmp_path):
    """docx is a Word document; md is written with its charts in charts/ beside it."""
    cli("export", lab.code, "--format", "docx", "--out", str(tmp_path / "plan.docx"))
    document = Document(str(tmp_path / "plan.docx"))
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Plan de acțiune"
    cli(
        "export",
        lab.code.lower(),
        "--format",
        "md",
        "--language",
        "en",
        "--out",
        str(tmp_path / "md" / "plan.md"),
    )
    assert (tmp_path / "md" / "plan.md").read_text().startswith("# Action plan\n")
    for name in ("theme-sizes.png", "theme-sizes.svg", "votes.png", "votes.svg"):
        assert (tmp_path / "md" / "charts" / name).stat().st_size > 1000


def test_export_csv_as_folder_or_zip(cli, lab, tmp_path):
    """csv writes three files into a folder, or one zip when --out ends in .zip."""
    result = cli("export", lab.code, "--format", "csv", "--out", str(tmp_path / "data"))
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "ideas.csv",
        "themes.csv",
        "votes.csv",
    ]
    assert "ideas.csv" in result.output
    assert (tmp_path / "data" / "ideas.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    cli("export", lab.code, "--format", "csv", "--out", str(tmp_path / "data.zip"))
    assert sorted(unzip((tmp_path / "data.zip").read_bytes())) == [
        "ideas.csv",
        "themes.csv",
        "votes.csv",
    ]


def test_export_xlsx_and_json(cli, lab, tmp_path):
    """xlsx opens with four sheets; json is an archive of this workshop."""
    cli("export", lab.code, "--format", "xlsx", "--out", str(tmp_path / "data.xlsx"))
    book = load_workbook(io.BytesIO((tmp_path / "data.xlsx").read_bytes()))
    assert len(book.sheetnames) == 4
    cli("export", lab.code, "--format", "json", "--out", str(tmp_path / "archive.json"))
    archive = json.loads((tmp_path / "archive.json").read_text())
    assert archive["format"] == "cocreation-board-archive"
    assert archive["workshop"]["code"] == lab.code


def test_export_of_an_unknown_workshop_fails_clearly(cli, tmp_path):
    """A code no workshop has is an error message and a non-zero exit."""
    result = CliRunner().invoke(
        main, ["export", "NOSUCH", "--format", "json", "--out", str(tmp_path / "x.json")]
    )
    assert result.exit_code != 0
    assert "No workshop has this join code" in result.output
    assert not (tmp_path / "x.json").exists()
