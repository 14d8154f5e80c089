"""The commands: `facilitation compare` without a database, `import-previous` into one."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from facilitation.cli import main
from facilitation.models import PreviousSession

PREVIOUS = (
    "tema;idee;voturi\n"
    "Finanțare;Granturi pentru IMM-uri;3\nFinanțare;Fonduri europene pentru antreprenori;1\n"
    "Finanțare;Credite pentru firme noi;2\nTurism;Trasee de turism cultural;1\n"
    "Turism;Ghizi locali pentru turiști;0\nTurism;Turism cultural în centrul istoric;2\n"
)
CURRENT = (
    "theme,idea\nBani,Granturi mici pentru IMM-uri\nBani,Fonduri europene pentru start-up-uri\n"
    "Bani,Credite pentru IMM-uri noi\nCoworking,Spațiu de coworking pentru tineri\n"
    "Coworking,Hub de coworking cu mentori\nCoworking,Coworking ieftin pentru tineri\n"
)


def test_compare_writes_the_report_from_two_files(tmp_path):
    """Labelled files: themes are their labels, classified recurring, new, not raised again."""
    previous = tmp_path / "then.csv"
    previous.write_bytes(
        PREVIOUS.encode("cp1250", errors="strict").replace(b"", b"")
        if False
        else PREVIOUS.translate(str.maketrans("țș", "ţş")).encode("cp1250")
    )
    current = tmp_path / "now.csv"
    current.write_text(CURRENT, encoding="utf-8-sig")
    out = tmp_path / "report.json"

    result = CliRunner().invoke(main, ["compare", str(previous), str(current), "--out", str(out)])

    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {
        (t["label"], t["ideas"], t["status"], tuple(t["matches"])) for t in report["current_themes"]
    } == {("Bani", 3, "recurring", ("Finanţare",)), ("Coworking", 3, "new", ())}
    assert {(t["label"], t["ideas"], t["status"]) for t in report["previous_themes"]} == {
        ("Finanţare", 3, "recurring"),
        ("Turism", 3, "not_raised_again"),
    }
    # Each match carries its strength and its evidence: the closest pairs of ideas.
    money = next(t for t in report["current_themes"] if t["label"] == "Bani")
    [detail] = money["match_details"]
    assert detail["label"] == "Finanţare" and detail["strength"] in ("clear", "weak")
    assert money["strength"] == detail["strength"]
    assert 2 <= len(detail["evidence"]) <= 3
    first = detail["evidence"][0]
    assert first["now"] == "Granturi mici pentru IMM-uri"
    assert first["then"] == "Granturi pentru IMM-uri"
    assert money["trend"] in ("grew", "shrank", "same", None)
    coworking = next(t for t in report["current_themes"] if t["label"] == "Coworking")
    assert coworking["match_details"] == [] and coworking["strength"] is None


def test_compare_clusters_a_file_without_themes(tmp_path):
    """A plain text file has no theme column: its themes are found by clustering."""
    previous = tmp_path / "then.csv"
    previous.write_text(PREVIOUS, encoding="utf-8")
    current = tmp_path / "now.txt"
    current.write_text("\n".join(line.split(",", 1)[1] for line in CURRENT.splitlines()[1:]))
    out = tmp_path / "report.json"

    result = CliRunner().invoke(main, ["compare", str(previous), str(current), "--out", str(out)])

    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert len(report["current_themes"]) >= 2
    assert sum(t["ideas"] for t in report["current_themes"]) == 6
    assert {t["status"] for t in report["current_themes"]} <= {"recurring", "new"}


def test_compare_names_the_bad_row(tmp_path):
    """A bad file stops the command with its row and problem."""
    bad = tmp_path / "bad.csv"
    bad.write_text("idee;voturi\nGranturi;3\nCursuri;multe\n")
    result = CliRunner().invoke(main, ["compare", str(bad), str(bad), "--out", str(tmp_path / "x")])
    assert result.exit_code != 0 and "Row 3:" in result.output


def test_import_previous_stores_the_file(app, store, workshop, tmp_path, monkeypatch):
    """import-previous WORKSHOP FILE stores the ideas as the workshop's previous session."""
    monkeypatch.setenv("INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")
    path = tmp_path / "then.csv"
    path.write_text(PREVIOUS, encoding="utf-8")

    result = CliRunner().invoke(
        main,
        [
            "import-previous",
            workshop.code,
            str(path),
            "--title",
            "Atelier 1",
            "--date",
            "2019-09-30",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "Imported 6 ideas" in result.output
    with store.read() as db:
        session = db.scalar(select(PreviousSession))
        assert (session.title, session.session_date.isoformat()) == ("Atelier 1", "2019-09-30")
        assert [i.votes for i in session.ideas] == [3, 1, 2, 1, 0, 2]


def test_compare_a_romanian_file_with_an_english_one(tmp_path):
    """Romanian then, English now: compared by meaning where the semantic model is installed,
    so the continued themes recur and the report says which representation decided."""
    from analysis import embedding
    from tests.compare.corpus import session

    if not embedding.available():
        pytest.skip("the semantic model is not installed on this platform")
    same = {"finantare": "finance", "digital": "digital"}
    then, then_labels = session("ro", [*same, "turism", "coworking"], 8, 0, 0)
    now, now_labels = session("en", [*same.values(), "education", "tourism"], 8, 0, 1)
    previous, current = tmp_path / "then.csv", tmp_path / "now.csv"
    previous.write_text(
        "tema;idee\n" + "".join(f"{t};{i}\n" for t, i in zip(then_labels, then, strict=True)),
        encoding="utf-8",
    )
    current.write_text(
        "theme;idea\n" + "".join(f"{t};{i}\n" for t, i in zip(now_labels, now, strict=True)),
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["compare", str(previous), str(current), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["representation"] == "semantic"
    status = {t["label"]: t["status"] for t in report["current_themes"]}
    assert status["finance"] == "recurring" and status["education"] == "new"
    words = CliRunner().invoke(
        main, ["compare", str(previous), str(current), "--out", str(out), "--words"]
    )
    assert words.exit_code == 0, words.output
    assert json.loads(out.read_text(encoding="utf-8"))["representation"] == "tfidf"
