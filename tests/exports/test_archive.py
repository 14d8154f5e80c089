"""The session archive: a round trip through another server, versions, and malformed files."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from facilitation import create_app
from facilitation.cli import main
from facilitation.exports import archive as archive_module
from facilitation.exports import formats
from facilitation.operations import workshops
from tests.exports.conftest import page_url, save_plan


def canonical(data: dict) -> dict:
    """An archive without what a restore may change: ids become positions; codes, times go."""
    data = json.loads(json.dumps(data))
    maps = {
        name: {item["id"]: n for n, item in enumerate(data[name])}
        for name in ("questions", "participants", "themes", "ideas")
    }
    data.pop("exported_at")
    data["workshop"].pop("code")
    data["workshop"].pop("created_at")

    def ref(kind: str, value):
        return None if value is None else maps[kind][value]

    for name in ("questions", "participants", "themes", "ideas"):
        for item in data[name]:
            item["id"] = maps[name][item["id"]]
    for theme in data["themes"]:
        theme["merged_into_id"] = ref("themes", theme["merged_into_id"])
        theme["representative_idea_id"] = ref("ideas", theme["representative_idea_id"])
    for idea in data["ideas"]:
        idea.pop("created_at")
        idea["question_id"] = ref("questions", idea["question_id"])
        idea["participant_id"] = ref("participants", idea["participant_id"])
        idea["theme_id"] = ref("themes", idea["theme_id"])
        idea["merged_into_id"] = ref("ideas", idea["merged_into_id"])
    for vote in data["votes"]:
        vote["participant_id"] = ref("participants", vote["participant_id"])
        vote["target_id"] = ref(vote["target_kind"] + "s", vote["target_id"])
    for result in data["results"]:
        result["id"] = ref(result["kind"] + "s", result["id"])
    for row in data["statistics"]["by_question"]:
        row["question_id"] = ref("questions", row["question_id"])
    for action in (data["action_plan"] or {}).get("actions", []):
        action["theme_id"] = ref("themes", action["theme_id"])
    return data


@pytest.fixture
def exported(app, lab) -> bytes:
    """The archive of the lab, with a saved plan, downloaded from the staff page."""
    client = app.test_client()
    first = lab.theme_ids[0]
    save_plan(
        client,
        lab,
        **{f"action-{first}-chosen": "on", f"action-{first}-costs": "10.000 lei"},
    )
    response = client.get(page_url(lab, "export/json"))
    assert response.status_code == 200
    return response.data


def test_archive_restored_on_another_server_exports_the_same_session(
    exported, tmp_path, monkeypatch
):
    """Export, restore into a fresh database with the command line, export again: same content."""
    path = tmp_path / "archive.json"
    path.write_bytes(exported)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "other-server"))
    monkeypatch.setenv("PUBLIC_URL", "http://192.0.2.99:5000")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["restore", str(path)])
    assert result.exit_code == 0, result.output
    code = re.search(r"Join code:\s+(\w+)", result.output).group(1)
    original = json.loads(exported)
    assert code != original["workshop"]["code"]
    assert f"http://192.0.2.99:5000/j/{code}" in result.output
    assert f"/facilitate/{code}/action-plan?key=" in result.output
    other = create_app()
    try:
        with other.extensions["store"].read() as db:
            again = archive_module.build(db, workshops.find(db, code))
    finally:
        other.extensions["store"].dispose()
    assert canonical(archive_module.as_dict(again)) == canonical(original)
    # The ideas' semantic vectors travel with the archive: a restored session is not embedded
    # again (where the model is installed; elsewhere there are none to carry).
    from analysis import embedding

    carried = [idea["embedding"] for idea in original["ideas"]]
    assert all(carried) if embedding.available() else not any(carried)
    loaded = archive_module.load_archive(exported)
    for language in ("ro", "en"):
        make = formats.FORMATS["md"].make
        assert make(again, language) == make(loaded, language)
    assert "10.000 lei" in formats.FORMATS["md"].make(again, "ro").decode()


def test_archive_keeps_curation_state_and_no_personal_data(exported):
    """Hidden ideas, paper cards and the plan are in the archive; device ids and names are not."""
    archive = archive_module.load_archive(exported)
    assert archive.schema_version == archive_module.SCHEMA_VERSION
    assert any(i.hidden for i in archive.ideas)
    assert any(i.source == "paper" for i in archive.ideas)
    assert archive.action_plan["actions"][0]["costs"] == "10.000 lei"
    assert archive.previous_session is None
    text = exported.decode()
    assert "Ion Popescu" not in text and "device" not in text
    assert {v.ballot for v in archive.votes} == {"", "ballot 1"}


def test_archive_from_a_newer_version_is_refused_clearly(exported, tmp_path):
    """A newer schema version is refused with a message that says to update the board."""
    data = json.loads(exported)
    data["schema_version"] = archive_module.SCHEMA_VERSION + 1
    with pytest.raises(archive_module.ArchiveError, match="newer version of the board"):
        archive_module.load_archive(json.dumps(data).encode())
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["restore", str(path)])
    assert result.exit_code != 0
    assert "schema version 2" in result.output and "Update the board" in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["ideas"][0].pop("text"), "ideas[0].text is missing"),
        (lambda d: d["ideas"][1].update(theme_id=987654), "ideas[1].theme_id is 987654"),
        (lambda d: d["votes"][0].update(dots="3"), "votes[0].dots must be a whole number"),
        (lambda d: d.update(format="something else"), "not a session archive"),
        (lambda d: d["workshop"].update(language="fr"), "workshop.language"),
        (
            lambda d: d["workshop"].update(ideas_per_minute=500),
            "workshop.ideas_per_minute must be from 1 to 120",
        ),
        (lambda d: d.update(questions=[]), "questions is empty"),
        (lambda d: d["ideas"][0].update(embedding="bm90IGEgdmVjdG9y"), "ideas[0].embedding must"),
    ],
)
def test_malformed_archives_name_the_problem(exported, change, message):
    """Each kind of damage is reported with the field it is in."""
    data = json.loads(exported)
    change(data)
    with pytest.raises(archive_module.ArchiveError, match=re.escape(message)):
        archive_module.load_archive(json.dumps(data).encode())


def test_files_that_are_not_archives_are_refused():
    """Broken JSON and non-UTF-8 bytes get a plain message."""
    with pytest.raises(archive_module.ArchiveError, match="not valid JSON"):
        archive_module.load_archive(b"{not json")
    with pytest.raises(archive_module.ArchiveError, match="not UTF-8"):
        archive_module.load_archive(b"\xff\xfe\x00")


HOSTILE_VALUES = [
    (lambda d: d["workshop"].update(phase="pwned"), "workshop.phase must be one of"),
    (lambda d: d["workshop"].update(vote_budget=-5), "workshop.vote_budget must be from 1"),
    (lambda d: d["workshop"].update(vote_cap=50), "workshop.vote_cap must be from 1"),
    (lambda d: d["workshop"].update(theme_count_min=0), "workshop.theme_count_min"),
    (lambda d: d["ideas"][0].update(text="x" * 100_000 + "\x00ab"), "ideas[0].text"),
    (lambda d: d["ideas"][0].update(text="o idee\x00 cu NUL"), "control characters"),
    (lambda d: d["themes"][0].update(color="red;background:url(//x)"), "themes[0].color"),
    (lambda d: d["themes"][0].update(name="t" * 100_000), "themes[0].name is too long"),
    (lambda d: d["workshop"].update(title=""), "workshop.title is empty"),
    (lambda d: d["workshop"].update(date="1 aprilie"), "workshop.date"),
    (lambda d: d["votes"][0].update(dots=10**12), "votes[0].dots must be from 1 to 20"),
    (lambda d: d["questions"][0].update(text="q" * 501), "questions[0].text is too long"),
]


@pytest.mark.parametrize(("change", "message"), HOSTILE_VALUES)
def test_restore_refuses_what_the_live_server_would_refuse_in_one_sentence(
    exported, tmp_path, monkeypatch, change, message
):
    """`facilitation restore` of an archive with a value no live event or import accepts prints
    one sentence naming the field, no traceback, and creates no workshop."""
    data = json.loads(exported)
    change(data)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "other-server"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["restore", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an error
    assert message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "other-server" / "board.sqlite3").exists()
