"""Pages in Romanian (the default) and English; errors in the reader's language."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "facilitation" / "translations" / "ro" / "LC_MESSAGES"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "Rejected": None,
    "text_field": (2,),
    "identifier": (2,),
    "flag": (2,),
    "ngettext": (1, 2),
    "counted": (1, 2),
    "plural_forms": (1, 2),
}
METHODS = [("facilitation/**.py", "python"), ("templates/**.html", "jinja2")]


def test_romanian_is_the_default_language(tmp_path):
    """A browser without a preference for English gets Romanian pages."""
    from facilitation import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k", "TESTING": True})
    html = (
        app.test_client().get("/", headers={"Accept-Language": "ro-RO,ro"}).get_data(as_text=True)
    )
    assert 'lang="ro"' in html and "Intrați într-un atelier" in html
    html = app.test_client().get("/").get_data(as_text=True)
    assert "Intrați într-un atelier" in html
    app.extensions["store"].dispose()


def test_browser_preference_and_switch_choose_the_language(app, workshop):
    """An English browser gets English; the language switch overrides and is remembered."""
    client = app.test_client()
    english = client.get(f"/j/{workshop.code}", headers={"Accept-Language": "en-GB,en"})
    assert "Send idea" in english.get_data(as_text=True)
    switch = client.get(f"/lang/ro?next=/j/{workshop.code}", headers={"Accept-Language": "en"})
    assert switch.status_code == 302 and switch.headers["Location"].endswith(f"/j/{workshop.code}")
    romanian = client.get(f"/j/{workshop.code}", headers={"Accept-Language": "en"})
    assert "Trimiteți ideea" in romanian.get_data(as_text=True)
    assert 'lang="ro"' in romanian.get_data(as_text=True)


def test_language_switch_never_sends_people_to_another_site(app):
    """The return address must be a path on this site."""
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = app.test_client().get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] in ("/", "http://localhost/")
    assert app.test_client().get("/lang/fr").status_code == 404


def test_workshop_texts_are_shown_as_staff_typed_them(app, workshop):
    """Questions stay in the language staff wrote them, whatever the page language."""
    html = app.test_client().get(f"/j/{workshop.code}", headers={"Accept-Language": "en"})
    assert "Ce oportunități vedeți?" in html.get_data(as_text=True)


def test_errors_reach_phones_in_their_language(app, workshop):
    """A refused idea is explained in Romanian to a Romanian phone, with the numbers filled in."""
    from facilitation.extensions import socketio

    http = app.test_client()
    http.set_cookie("lang", "ro")
    http.get(f"/j/{workshop.code}")
    client = socketio.test_client(
        app, flask_test_client=http, auth={"code": workshop.code, "role": "phone"}
    )
    too_long = "x" * (app.config["MAX_IDEA_LENGTH"] + 1)
    reply = client.emit("submit_idea", {"client_id": "ro-0000001", "text": too_long}, callback=True)
    assert reply["error"] == "Ideea depășește limita: 501 caractere, cel mult 500."
    client.disconnect()


def test_every_text_of_the_interface_has_a_romanian_translation():
    """Each text marked for translation in code and templates is translated in the catalogue."""
    with open(CATALOGUE / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale="ro")
    wanted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS
        )
        if isinstance(message, str) or len(message) == 2
    }
    translated = {m.id for m in catalogue if m.id and _translated(m.string)}
    assert wanted, "nothing extracted"
    assert sorted(wanted - translated) == []


def _translated(string: str | tuple | list) -> bool:
    """A message's translation is there: its text, or every plural form of it."""
    return bool(string) if isinstance(string, str) else all(string)


def _hashable(string: str | tuple | list) -> str | tuple:
    """A translation as a value that compares: plural forms as a tuple."""
    return string if isinstance(string, str) else tuple(string)


def test_compiled_catalogue_matches_its_source():
    """messages.mo was compiled from the current messages.po (run `make translations`)."""
    with open(CATALOGUE / "messages.po", "rb") as handle:
        source = {
            _hashable(m.id): _hashable(m.string) for m in read_po(handle, locale="ro") if m.id
        }
    with open(CATALOGUE / "messages.mo", "rb") as handle:
        compiled = {
            _hashable(m.id): _hashable(m.string) for m in read_mo(io.BytesIO(handle.read())) if m.id
        }
    assert compiled == {k: v for k, v in source.items() if _translated(v)}
    assert not re.search(r"fuzzy", (CATALOGUE / "messages.po").read_text())


def test_dates_are_written_the_local_way(app, store):
    """Staff see a workshop's date spelled out in their language."""
    import datetime as dt

    from facilitation import security
    from facilitation.operations import workshops

    with store.write() as db:
        workshops.create(db, title="Lab", questions=["Q?"], date=dt.date(2020, 1, 20))
    with app.app_context():
        key = security.staff_secret()
    client = app.test_client()
    client.set_cookie("lang", "ro")
    assert "20 ianuarie 2020" in client.get(f"/staff?key={key}").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "January 20, 2020" in client.get(f"/staff?key={key}").get_data(as_text=True)
