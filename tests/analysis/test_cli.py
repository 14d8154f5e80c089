"""`python -m analysis cluster`: CSV in, the same rows with their theme out."""

import csv

from analysis.__main__ import main

from .corpus import workshop_ideas


def write_csv(path, header, rows, bom=False):
    """Write a CSV file the way a spreadsheet would."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def read_csv(path):
    """Rows of a CSV file as dictionaries."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_cluster_writes_one_row_per_input_row_in_order_with_theme_and_label(tmp_path):
    texts, truth = workshop_ideas(per_theme=8)
    source, out = tmp_path / "ideas.csv", tmp_path / "themes.csv"
    write_csv(source, ["id", "idea"], list(enumerate(texts)), bom=True)
    assert main(["cluster", str(source), "--out", str(out), "--text-column", "idea"]) == 0
    rows = read_csv(out)
    assert [r["idea"] for r in rows] == texts
    assert [r["id"] for r in rows] == [str(i) for i in range(len(texts))]
    assert all(r["theme"] and r["theme_label"] for r in rows)
    same_theme = {(r["theme"], t) for r, t in zip(rows, truth, strict=True)}
    assert len({theme for theme, _ in same_theme}) >= 3


def test_cluster_with_k_gives_exactly_k_themes(tmp_path):
    texts, _ = workshop_ideas(per_theme=6)
    source, out = tmp_path / "ideas.csv", tmp_path / "themes.csv"
    write_csv(source, ["text"], [[t] for t in texts])
    assert main(["cluster", str(source), "--out", str(out), "--k", "4", "--lang", "ro"]) == 0
    assert len({r["theme"] for r in read_csv(out)}) == 4


def test_missing_column_is_a_clear_error(tmp_path, capsys):
    source, out = tmp_path / "ideas.csv", tmp_path / "themes.csv"
    write_csv(source, ["idee"], [["finanțare"]])
    assert main(["cluster", str(source), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "'text' not found" in error and "idee" in error
    assert not out.exists()


def test_cluster_by_tfidf_or_semantic_vectors_names_each_theme(tmp_path):
    from analysis import embedding
    from tests.analysis.rehearsal import IDEAS

    source = tmp_path / "ideas.csv"
    write_csv(source, ["text"], [[t] for t in IDEAS])
    kinds = ["tfidf"] + (["semantic", "auto"] if embedding.available() else [])
    for kind in kinds:
        out = tmp_path / f"{kind}.csv"
        args = ["cluster", str(source), "--out", str(out), "--representation", kind, "--lang", "ro"]
        assert main(args) == 0
        rows = read_csv(out)
        assert [r["text"] for r in rows] == IDEAS
        for row in rows:
            assert row["theme_label"] and "·" not in row["theme_label"], row


def test_asking_for_semantic_vectors_without_the_model_is_a_clear_error(
    tmp_path, capsys, monkeypatch
):
    from analysis import embedding

    monkeypatch.setenv("FACILITATION_SEMANTIC", "0")
    monkeypatch.setattr(embedding, "_model", None)
    source, out = tmp_path / "ideas.csv", tmp_path / "themes.csv"
    write_csv(source, ["text"], [["finanțare"], ["transport"]])
    assert main(["cluster", str(source), "--out", str(out), "--representation", "semantic"]) == 2
    assert "not installed" in capsys.readouterr().err
    assert not out.exists()
