"""The action-plan page: facilitator key, CSRF, suggestions prefilled from the session."""

from __future__ import annotations

import html
import re

import pytest

from facilitation.exports.plan import named_players
from tests.exports.conftest import csrf_token, page_url, save_plan

PATHS = [
    "action-plan",
    "export/docx",
    "export/md",
    "export/csv",
    "export/xlsx",
    "export/json",
    "charts/votes.png",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_page_and_download_needs_the_facilitator_key(app, lab, path):
    """Without the key, or with a wrong one, staff pages answer 403; with it, 200."""
    client = app.test_client()
    assert client.get(f"/facilitate/{lab.code}/{path}").status_code == 403
    assert client.get(f"/facilitate/{lab.code}/{path}?key=wrong").status_code == 403
    assert client.get(page_url(lab, path)).status_code == 200


def test_saving_needs_the_key_and_the_csrf_token(app, lab):
    """A post without the key is refused; one without the CSRF token is refused too."""
    client = app.test_client()
    token = csrf_token(client.get(page_url(lab)).get_data(as_text=True))
    form = {"csrf_token": token, "general-contact_name": "Intrus"}
    assert client.post(f"/facilitate/{lab.code}/action-plan", data=form).status_code == 403
    assert client.post(page_url(lab), data={"general-contact_name": "Intrus"}).status_code == 400
    assert "Intrus" not in client.get(page_url(lab)).get_data(as_text=True)


def test_unknown_workshop_is_not_found(app, lab):
    """A code no workshop has gives 404."""
    assert app.test_client().get(f"/facilitate/ZZZZZZ/action-plan?key={lab.key}").status_code == 404


def test_facilitator_page_links_the_action_plan(app, lab):
    """The facilitator's header links the action-plan page with the key."""
    page = app.test_client().get(f"/facilitate/{lab.code}?key={lab.key}").get_data(as_text=True)
    assert html.escape(page_url(lab)) in page


def test_page_prefills_actions_from_the_session(app, lab):
    """Themes with votes are ticked; fields are prefilled; the previous-session link is empty."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    page = html.unescape(client.get(page_url(lab)).get_data(as_text=True))
    ticked = re.findall(r'id="action-(\d+)-chosen" name="action-\d+-chosen" checked', page)
    assert sorted(int(t) for t in ticked) == sorted(lab.theme_ids[:2])
    assert "Această acțiune pornește de la tema" in page  # the workshop is Romanian
    assert "ADR Vest" in page  # an organisation named in an idea
    assert "Primăria Municipiului Timișoara" in page and "Vest (RO42)" in page
    empty_links = re.findall(r'name="action-\d+-previous_session_link"[^>]*></textarea>', page)
    assert len(empty_links) == len(re.findall(r'name="theme_ids"', page))
    assert "Participation statistics" in page


def test_saved_choices_and_labels_show_on_the_page(app, lab):
    """After saving, the page shows the saved values, and only the chosen theme stays ticked."""
    client = app.test_client()
    first = lab.theme_ids[1]
    save_plan(
        client,
        lab,
        **{
            f"action-{first}-chosen": "on",
            f"action-{first}-players": "ADR Vest (lead), Universitatea de Vest",
            "label-players": "3. Parteneri",
        },
    )
    page = html.unescape(client.get(page_url(lab) + "&saved=1").get_data(as_text=True))
    ticked = re.findall(r'id="action-(\d+)-chosen" name="action-\d+-chosen" checked', page)
    assert ticked == [str(first)]
    assert "ADR Vest (lead), Universitatea de Vest" in page
    assert 'value="3. Parteneri"' in page
    assert f'<label for="action-{first}-players">3. Parteneri</label>' in page


def test_too_long_field_is_refused_with_a_message(app, lab):
    """A field over its limit is not stored, and the page says why."""
    client = app.test_client()
    token = csrf_token(client.get(page_url(lab)).get_data(as_text=True))
    response = client.post(page_url(lab), data={"csrf_token": token, "general-country": "x" * 600})
    assert response.status_code == 400
    assert "too long" in response.get_data(as_text=True)


def test_players_heuristic_finds_acronyms_names_and_universities():
    """Acronyms with a name (ADR Vest), NGOs, capitalised names and universities are found."""
    found = named_players(
        [
            "Parteneriat cu ADR Vest și ONG-uri pentru tineri",
            "Mentorat la Universitatea de Vest cu Camera de Comerț",
            "Programe în universități, cu ADR Vest",
            "Finanțare pentru IMM-uri prin CEaC",
        ],
        "en",
    )
    assert found[0] == "ADR Vest"
    assert "ONG" in found and "Universitatea de Vest" in found and "Camera de Comerț" in found
    assert "universities" in found
    assert "IMM" not in found and "CEaC" not in found and "Programe" not in found


def _warned(page: str) -> list[int]:
    """Theme ids of the actions the page asks to rename before export."""
    section = re.search(r'<section[^>]*id="automatic-titles".*?</section>', page, re.S)
    return [int(n) for n in re.findall(r'id="rename-(\d+)"', section.group(0))] if section else []


def rename_url(lab, theme_id: int) -> str:
    """The address that renames one action, with the key."""
    return page_url(lab, f"action-plan/actions/{theme_id}/title")


def save_both(client, lab, **fields) -> None:
    """Save the plan with the first two themes chosen and the given fields changed."""
    first, second = lab.theme_ids[:2]
    chosen = {f"action-{first}-chosen": "on", f"action-{second}-chosen": "on"}
    save_plan(client, lab, **chosen, **fields)


def test_chosen_actions_with_automatic_theme_names_are_flagged_before_the_downloads(app, lab):
    """Each ticked action still named by the clustering is listed above the downloads."""
    client = app.test_client()
    client.set_cookie("lang", "ro")
    page = html.unescape(client.get(page_url(lab)).get_data(as_text=True))
    assert _warned(page) == lab.theme_ids[:2]
    assert page.index('id="automatic-titles"') < page.index('id="downloads-title"')
    assert "Denumiți aceste acțiuni înainte de export" in page


def test_an_action_renamed_by_the_facilitator_or_staff_is_not_flagged(app, lab, board):
    """A theme the facilitator named, or a title staff typed, is a real title."""
    first, second = lab.theme_ids[:2]
    reply = board("facilitator").emit(
        "rename_theme", {"theme_id": first, "name": "Finanțare pentru IMM-uri"}, callback=True
    )
    assert reply["ok"], reply
    client = app.test_client()
    save_both(client, lab, **{f"action-{second}-title": "Mentorat pentru tineri antreprenori"})
    assert _warned(client.get(page_url(lab)).get_data(as_text=True)) == []


def test_renaming_from_the_warning_sets_the_title_and_keeps_the_plan(app, lab):
    """The new title reaches the plan and the document; the choices and other fields stay."""
    first, second = lab.theme_ids[:2]
    client = app.test_client()
    save_both(client, lab, **{f"action-{second}-costs": "50.000 lei"})
    token = csrf_token(client.get(page_url(lab)).get_data(as_text=True))
    response = client.post(
        rename_url(lab, first), data={"csrf_token": token, "title": "Cultural2Business"}
    )
    assert response.status_code == 302
    page = html.unescape(client.get(page_url(lab)).get_data(as_text=True))
    assert _warned(page) == [second]
    ticked = re.findall(r'id="action-(\d+)-chosen" name="action-\d+-chosen" checked', page)
    assert sorted(int(t) for t in ticked) == [first, second]
    markdown = client.get(page_url(lab, "export/md") + "&lang=ro").get_data(as_text=True)
    assert "### Acțiunea 1: Cultural2Business" in markdown
    assert "50.000 lei" in markdown


def test_renaming_with_an_empty_title_or_an_unknown_theme_changes_nothing(app, lab):
    """An empty title is refused with a message; a theme outside the plan is refused too."""
    first = lab.theme_ids[0]
    client = app.test_client()
    client.set_cookie("lang", "en")
    token = csrf_token(client.get(page_url(lab)).get_data(as_text=True))
    empty = client.post(rename_url(lab, first), data={"csrf_token": token, "title": "  "})
    assert empty.status_code == 400
    assert "Title is empty." in empty.get_data(as_text=True)
    unknown = client.post(rename_url(lab, 987654), data={"csrf_token": token, "title": "X"})
    assert unknown.status_code == 400
    assert "This theme is not in the action plan." in unknown.get_data(as_text=True)
    page = client.get(page_url(lab)).get_data(as_text=True)
    assert _warned(page) == lab.theme_ids[:2]
    assert client.post(rename_url(lab, first), data={"title": "X"}).status_code == 400
