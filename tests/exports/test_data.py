"""Raw data for the minutes: CSV (BOM, Romanian letters, no formulas), XLSX sheets, charts."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from analysis import charts
from facilitation.exports.tables import neutralise
from tests.exports.conftest import FORMULA_IDEA, page_url, unzip


def test_csv_zip_holds_three_files_with_bom_and_romanian_letters(app, lab):
    """ideas.csv, themes.csv, votes.csv: UTF-8 with BOM, ș and ț as typed."""
    response = app.test_client().get(page_url(lab, "export/csv"))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    files = unzip(response.data)
    assert sorted(files) == ["ideas.csv", "themes.csv", "votes.csv"]
    for data in files.values():
        assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(files["ideas.csv"].decode("utf-8-sig"))))
    texts = [row[4] for row in rows[1:]]
    assert "Fonduri europene pentru IMM-uri din țară" in texts
    assert "Granturi și finanțare pentru start-up-uri culturale" in texts
    assert "<script>alert('x')</script> **turism** [link](http://example.com)" in texts


def test_csv_cells_that_would_run_as_formulas_are_neutralised(app, lab):
    """A text starting with = gets an apostrophe: a spreadsheet shows it instead of running it."""
    files = unzip(app.test_client().get(page_url(lab, "export/csv")).data)
    rows = list(csv.reader(io.StringIO(files["ideas.csv"].decode("utf-8-sig"))))
    texts = [row[4] for row in rows[1:]]
    assert "'" + FORMULA_IDEA in texts
    assert FORMULA_IDEA not in texts


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    """Each character a spreadsheet reads as the start of a formula is escaped."""
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_cells_are_left_alone():
    """Text that is not a formula, and numbers, are unchanged."""
    assert neutralise("Finanțare = bani") == "Finanțare = bani"
    assert neutralise(-3) == -3


def test_votes_csv_has_categories_and_no_names(app, lab):
    """Each vote row carries its category and an anonymous voter number, never a name."""
    files = unzip(app.test_client().get(page_url(lab, "export/csv")).data)
    text = files["votes.csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {row[1] for row in rows[1:]} == {"IMM", "Universitate", "ONG"}
    assert sum(int(row[5]) for row in rows[1:]) == 9
    assert "Ion Popescu" not in text


def test_workbook_has_a_sheet_each_and_keeps_formula_text_as_text(app, lab):
    """The XLSX has ideas, themes, votes and statistics; a formula-like idea stays a string."""
    response = app.test_client().get(page_url(lab, "export/xlsx"))
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Idei", "Teme", "Voturi", "Statistici"]
    ideas = book["Idei"]
    cells = [row[4] for row in ideas.iter_rows(min_row=2)]
    formula = next(c for c in cells if c.value == FORMULA_IDEA)
    assert formula.data_type == "s"
    assert "Fonduri europene pentru IMM-uri din țară" in [c.value for c in cells]
    themes = [row[1].value for row in book["Teme"].iter_rows(min_row=2)]
    assert themes and all(themes)


def test_charts_download_as_png_and_svg(app, lab):
    """Each chart comes as a PNG image and as an SVG with its texts."""
    client = app.test_client()
    png = client.get(page_url(lab, "charts/votes.png"))
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    svg = client.get(page_url(lab, "charts/theme-sizes.svg") + "&lang=ro")
    assert svg.mimetype == "image/svg+xml" and b"Idei pe tem" in svg.data
    assert client.get(page_url(lab, "charts/pie.png")).status_code == 404


def test_chart_functions_draw_plain_values():
    """analysis.charts takes lists and returns image bytes, Romanian letters kept in SVG text."""
    png = charts.theme_sizes(["Finanțare", "Turism"], [5, 3], title="Teme")
    assert png.startswith(b"\x89PNG")
    svg = charts.votes_by_category(
        ["Finanțare", "Turism"],
        [{"IMM": 3, "": 1}, {"ONG": 2}],
        title="Voturi",
        category_names={"": "nespecificat"},
        fmt="svg",
    ).decode()
    assert "Finanțare" in svg and "nespecificat" in svg and "IMM" in svg
    with pytest.raises(ValueError):
        charts.theme_sizes(["a"], [1, 2])
    with pytest.raises(ValueError):
        charts.theme_sizes(["a"], [1], fmt="gif")
