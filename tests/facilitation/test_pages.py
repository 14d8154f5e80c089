"""HTTP pages: join, phone, board, facilitator, staff; keys checked, forms protected."""

from __future__ import annotations

import re

from sqlalchemy import select

from facilitation.models import Workshop


def csrf_token(html: str) -> str:
    """The CSRF token embedded in a page's form."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_typed_code_leads_to_the_phone_page(app, workshop):
    """A code typed in any case with spaces finds the workshop."""
    client = app.test_client()
    token = csrf_token(client.get("/").get_data(as_text=True))
    typed = " " + workshop.code.lower()[:3] + " " + workshop.code.lower()[3:]
    response = client.post("/join", data={"code": typed, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}")


def test_unknown_code_says_so_on_the_join_page(app):
    """A wrong code is answered with the join page and a message, not an error page."""
    client = app.test_client()
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/join", data={"code": "ZZZZZZ", "csrf_token": token})
    assert response.status_code == 404
    assert "No workshop has this join code" in response.get_data(as_text=True)


def test_join_form_without_csrf_token_is_refused(app, workshop):
    """Forms are CSRF-protected."""
    response = app.test_client().post("/join", data={"code": workshop.code})
    assert response.status_code == 400


def test_phone_page_sets_a_signed_device_cookie_that_survives_reloads(app, workshop):
    """The phone page gives one device id and keeps it on the next visit."""
    client = app.test_client()
    client.get(f"/j/{workshop.code}")
    with client.session_transaction() as session:
        first = session["device"]
    client.get(f"/j/{workshop.code}")
    with client.session_transaction() as session:
        assert session["device"] == first
    assert len(first) == 32


def test_phone_page_is_kept_but_follows_the_workshop_and_the_language(app, store, workshop):
    """Every phone gets its own cookie; a changed workshop or language gives a fresh page."""
    from facilitation.operations import flow

    first, second = app.test_client(), app.test_client()
    page = first.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert second.get(f"/j/{workshop.code}").get_data(as_text=True) == page
    with first.session_transaction() as one, second.session_transaction() as two:
        assert one["device"] != two["device"]
    assert "Antreprenori tineri" not in page and '<html lang="en">' in page
    with store.write() as db:
        flow.set_categories(db, db.get(Workshop, workshop.id), ["Antreprenori tineri"])
    assert "Antreprenori tineri" in first.get(f"/j/{workshop.code}").get_data(as_text=True)
    first.set_cookie("lang", "ro")
    assert '<html lang="ro">' in first.get(f"/j/{workshop.code}").get_data(as_text=True)


def test_phone_page_of_unknown_workshop_is_404(app):
    """An unknown code in the address gives 404."""
    assert app.test_client().get("/j/NOPE22").status_code == 404


def test_board_and_facilitator_pages_need_the_key(app, workshop):
    """Board and controls open only with the workshop's own key."""
    client = app.test_client()
    for page in ("board", "facilitate"):
        assert client.get(f"/{page}/{workshop.code}?key={workshop.key}").status_code == 200
        assert client.get(f"/{page}/{workshop.code}?key=wrong").status_code == 403
        assert client.get(f"/{page}/{workshop.code}").status_code == 403


def test_board_shows_join_code_and_qr_of_the_public_join_address(app, workshop):
    """The projected board always shows the short code and a QR code of the join address."""
    client = app.test_client()
    html = client.get(f"/board/{workshop.code}?key={workshop.key}").get_data(as_text=True)
    assert workshop.code in html
    # The address may break into two lines before its last part (<wbr>).
    assert f"http://192.0.2.10:5000/j/{workshop.code}" in html.replace("<wbr>", "")
    svg = client.get(f"/j/{workshop.code}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.get_data(as_text=True).lstrip().startswith("<svg")


def test_workshop_title_with_markup_is_escaped(app, store):
    """Text staff typed is escaped on output, never interpreted."""
    from facilitation.operations import workshops

    with store.write() as db:
        code = workshops.create(db, title="<script>alert(1)</script>", questions=["<b>Q</b>"]).code
    html = app.test_client().get(f"/j/{code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Q</b>" not in html


def staff_key(app) -> str:
    """This server's staff key."""
    from facilitation import security

    with app.app_context():
        return security.staff_secret()


def test_staff_page_creates_a_workshop_with_its_own_code_and_key(app, store):
    """Staff create a workshop from the form; it gets a join code and facilitator links."""
    client = app.test_client()
    key = staff_key(app)
    page = client.get(f"/staff?key={key}")
    assert page.status_code == 200
    response = client.post(
        f"/staff/workshops?key={key}",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "title": "Laborator 20 ianuarie 2020",
            "language": "ro",
            "date": "2020-01-20",
            "questions": "Prima întrebare?\n\nA doua întrebare?\n",
        },
    )
    assert response.status_code == 302
    with store.read() as db:
        created = db.scalar(select(Workshop).where(Workshop.title == "Laborator 20 ianuarie 2020"))
        assert [q.text for q in created.questions] == ["Prima întrebare?", "A doua întrebare?"]
        assert str(created.date) == "2020-01-20"
    listing = client.get(f"/staff?key={key}").get_data(as_text=True)
    assert f"/board/{created.code}?key=" in listing


def test_staff_form_with_bad_input_explains_and_stores_nothing(app, store):
    """A workshop without title or questions, or with a bad date, is refused with a message."""
    client = app.test_client()
    key = staff_key(app)
    token = csrf_token(client.get(f"/staff?key={key}").get_data(as_text=True))
    for data, message in [
        ({"title": "", "questions": "Q?"}, "Title is empty"),
        ({"title": "T", "questions": "  "}, "at least one question"),
        ({"title": "T", "questions": "Q?", "date": "20/01/2020"}, "date must look like"),
        ({"title": "T", "questions": "Q?", "language": "fr"}, "Language must be ro or en"),
    ]:
        response = client.post(f"/staff/workshops?key={key}", data={"csrf_token": token, **data})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    with store.read() as db:
        assert db.scalar(select(Workshop.id)) is None


def test_staff_pages_need_the_staff_key(app, workshop):
    """Without the staff key, nothing is listed or created; a facilitator key is not enough."""
    client = app.test_client()
    assert client.get("/staff").status_code == 403
    assert client.get(f"/staff?key={workshop.key}").status_code == 403
    assert client.post("/staff/workshops?key=wrong", data={"title": "x"}).status_code in (400, 403)


def test_action_log_page_lists_facilitator_actions_for_key_holders(app, board, workshop):
    """Staff read the facilitator's actions on a page that needs the workshop key."""
    board("facilitator").emit("set_submissions", {"open": False}, callback=True)
    client = app.test_client()
    page = client.get(f"/facilitate/{workshop.code}/log?key={workshop.key}")
    assert page.status_code == 200
    assert "set_submissions" in page.get_data(as_text=True)
    assert client.get(f"/facilitate/{workshop.code}/log?key=wrong").status_code == 403
