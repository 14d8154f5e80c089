"""The draft action plan as DOCX and Markdown: structure, content, edits, languages, escaping."""

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document

from tests.exports.conftest import PAPER_IDEA, page_url, save_plan

COSTS = "Buget estimat: 50.000 lei (POR, axa 2)"
FUNDING = "Programul Operațional Regional; bugetul local"


@pytest.fixture
def edited(app, lab):
    """The plan saved with two themes chosen, one edited field each and two edited labels."""
    client = app.test_client()
    first, second = lab.theme_ids[:2]
    save_plan(
        client,
        lab,
        **{
            "language": "ro",
            f"action-{first}-chosen": "on",
            f"action-{second}-chosen": "on",
            f"action-{first}-title": "Cultural2Business: hackathon pentru antreprenori",
            f"action-{first}-costs": COSTS,
            f"action-{second}-funding": FUNDING,
            "general-contact_name": "Ana Ionescu",
            "label-costs": "5. Costuri estimate",
            "label-part1": "Partea I – Date generale",
        },
    )
    return client


def docx_of(client, lab, language: str) -> Document:
    """The DOCX download in a language, opened with python-docx."""
    response = client.get(page_url(lab, "export/docx") + f"&lang={language}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'-{language}.docx"')
    return Document(io.BytesIO(response.data))


def headings(document: Document) -> list[tuple[str, str]]:
    """(style, text) of every title and heading, in order."""
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]


def all_text(document: Document) -> str:
    """Every paragraph and table cell of a document."""
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_docx_has_the_interreg_structure_with_word_heading_styles(edited, lab):
    """Title; Parts I-III as Heading 1; a Heading 2 per chosen action; its fields as Heading 3."""
    document = docx_of(edited, lab, "en")
    found = headings(document)
    assert found[0] == ("Title", "Action plan")
    level1 = [text for style, text in found if style == "Heading 1"]
    assert level1 == [
        "Part I – General information",
        "Part II – Policy context",
        "Part III – Details of the actions envisaged",
        "Annexes",
    ]
    actions = [t for s, t in found if s == "Heading 2" and t.startswith("Action ")]
    assert len(actions) == 2
    assert actions[0] == "Action 1: Cultural2Business: hackathon pentru antreprenori"
    fields = [t for s, t in found if s == "Heading 3" and t[:2] in {f"{n}." for n in range(1, 7)}]
    assert fields[:6] == [
        "1. The background",
        "2. Action",
        "3. Players involved",
        "4. Timeframe",
        "5. Costs",
        "6. Funding sources",
    ]
    assert len(fields) == 12
    text = all_text(document)
    assert "Date" in text and "Signature" in text and "Stamp of the organisation" in text


def test_docx_prints_edited_fields_labels_and_settings(edited, lab):
    """What staff typed on the page is in the document, with their labels (Romanian here)."""
    document = docx_of(edited, lab, "ro")
    text = all_text(document)
    assert COSTS in text and FUNDING in text and "Ana Ionescu" in text
    assert ("Heading 1", "Partea I – Date generale") in headings(document)
    assert ("Heading 3", "5. Costuri estimate") in headings(document)
    assert "Primăria Municipiului Timișoara" in text
    assert "Vest (RO42)" in text


def test_docx_in_english_and_romanian_uses_each_language(edited, lab):
    """The same plan in both languages: labels change, session texts do not."""
    english = headings(docx_of(edited, lab, "en"))
    romanian = headings(docx_of(edited, lab, "ro"))
    assert ("Heading 1", "Part II – Policy context") in english
    assert ("Heading 1", "Partea a II-a – Contextul politicii") in romanian
    assert ("Heading 2", "Annex 1 – Ideas by theme, with votes") in english
    assert ("Heading 2", "Anexa 1 – Ideile pe teme, cu voturile primite") in romanian


def test_docx_annex_lists_every_visible_idea_with_votes_and_paper_cards(edited, lab):
    """Every visible idea is in the annex; hidden ones are not; votes and paper cards are shown."""
    document = docx_of(edited, lab, "en")
    paragraphs = [p.text for p in document.paragraphs]
    annex = paragraphs[paragraphs.index("Annex 1 – Ideas by theme, with votes") :]
    annex_text = "\n".join(annex)
    for idea in lab.visible_ideas:
        assert idea in annex_text
    for idea in lab.hidden_ideas:
        assert idea not in all_text(document)
    assert any(PAPER_IDEA in p and "paper card" in p for p in annex)
    voted = [p for p in annex if re.search(r"\(\d+ dots? from \d+ voters?\)$", p)]
    assert voted, "theme headings show their dots and the people who gave them"
    assert "No previous session was imported" in annex_text
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) >= len(lab.visible_ideas)


def test_docx_has_charts_and_participation_statistics(edited, lab):
    """Two charts as pictures, and participants per category without personal data."""
    document = docx_of(edited, lab, "en")
    assert len(document.inline_shapes) == 2
    text = all_text(document)
    assert "Participants (phones that joined)" in text
    by_category = next(t for t in document.tables if t.rows[0].cells[0].text == "Category")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in by_category.rows[1:]}
    assert rows["IMM"][0] == "1"  # one IMM phone
    assert "Ion Popescu" not in text  # a paper voter's name never appears


def test_markup_in_ideas_is_literal_text_in_docx_and_markdown(edited, lab):
    """An idea with HTML and Markdown in it is printed as typed, never interpreted."""
    typed = "<script>alert('x')</script> **turism** [link](http://example.com)"
    assert typed in all_text(docx_of(edited, lab, "en"))
    markdown = edited.get(page_url(lab, "export/md") + "&lang=en").get_data(as_text=True)
    assert "<script>" not in markdown
    assert r"\<script\>alert('x')\</script\> \*\*turism\*\* \[link\](http://example.com)" in (
        markdown
    )


def test_markdown_has_the_same_structure_and_content(edited, lab):
    """Markdown: the same parts, actions, edited texts, annexes and chart links."""
    markdown = edited.get(page_url(lab, "export/md") + "&lang=ro").get_data(as_text=True)
    lines = markdown.splitlines()
    assert lines[0] == "# Plan de acțiune"
    assert "## Partea I – Date generale" in lines
    assert "## Partea a III-a – Detalii privind acțiunile preconizate" in lines
    assert sum(1 for line in lines if line.startswith("### Acțiunea ")) == 2
    assert "#### 5\\. Costuri estimate" in lines
    assert COSTS in markdown
    for idea in ("Granturi și finanțare pentru start-up-uri culturale", PAPER_IDEA):
        assert idea in markdown
    assert "fișă de hârtie" in markdown
    assert "](charts/theme-sizes.png)" in markdown and "](charts/votes.png)" in markdown
    assert "Idee ascunsă" not in markdown


def test_without_a_saved_plan_the_top_voted_themes_are_suggested(app, lab):
    """Before staff save anything, the themes with votes become actions, prefilled."""
    document = docx_of(app.test_client(), lab, "ro")
    actions = [t for s, t in headings(document) if s == "Heading 2" and t.startswith("Acțiunea")]
    assert len(actions) == 2  # two themes received votes
    text = all_text(document)
    assert "Această acțiune pornește de la tema" in text
    assert "Nicio sesiune anterioară nu a fost legată încă de această acțiune." in text


def test_comparison_with_the_previous_session_reaches_the_annex_and_the_links(app, store, lab):
    """A stored comparison prints in annex 2, and prefills each action's previous-session link."""
    from sqlalchemy import select

    from facilitation.exports import archive as archive_module
    from facilitation.exports import markdown
    from facilitation.exports.content import action_plan
    from facilitation.models import Workshop

    with store.read() as db:
        archive = archive_module.build(db, db.scalar(select(Workshop)))
    first, second = lab.theme_ids[:2]
    archive.previous_session = {
        "previous_session": {"title": "Atelier 30 septembrie 2019", "date": "2019-09-30"},
        "current_themes": [
            {
                "theme_id": first,
                "label": "Finanțare",
                "ideas": 6,
                "ideas_then": 2,
                "status": "recurring",
                "matches": ["Acces la finanțare"],
                "match_details": [
                    {
                        "label": "Acces la finanțare",
                        "strength": "clear",
                        "decision": None,
                        "evidence": [{"then": "Granturi mici", "now": "Microgranturi"}],
                    }
                ],
                "rejected": [{"label": "Turism cultural", "decision": "rejected"}],
                "trend": "grew",
            },
            {
                "theme_id": second,
                "label": "Turism",
                "ideas": 3,
                "ideas_then": 8,
                "status": "recurring",
                "matches": ["Turism cultural"],
                "match_details": [
                    {"label": "Turism cultural", "strength": "weak", "decision": "confirmed"}
                ],
                "trend": None,
            },
        ],
        "previous_themes": [{"label": "Guvernanță", "status": "not_raised_again"}],
    }
    text = markdown.render(action_plan(archive, "en", charts=False))
    assert "Previous session: Atelier 30 septembrie 2019 (September 30, 2019)." in text
    assert (
        "| Finanțare | recurring | Acces la finanțare (clear match); "
        "Turism cultural (rejected by the facilitator) | 2 / 6 | grew |"
    ) in text
    # 3 ideas now against 8 then: no trend word, both numbers.
    row = next(line for line in text.splitlines() if line.startswith("| Turism |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == [
        "Turism",
        "recurring",
        "Turism cultural (confirmed by the facilitator)",
        "8 / 3",
        "",
    ]
    assert "Finanțare ↔ Acces la finanțare: “Granturi mici” → “Microgranturi”" in text
    assert "- Guvernanță" in text
    assert "as “Acces la finanțare” (grew)" in text
    assert "as “Turism cultural” (then 8, now 3)" in text
    assert "No previous session was imported" not in text
    romanian = markdown.render(action_plan(archive, "ro", charts=False))
    assert (
        "| Finanțare | recurentă | Acces la finanțare (potrivire clară); "
        "Turism cultural (respinsă de facilitator) | 2 / 6 | a crescut |"
    ) in romanian
    assert "ca „Acces la finanțare” (a crescut)" in romanian
    assert "ca „Turism cultural” (atunci 8, acum 3)" in romanian
    for word in ("recurring", "grew", "clear", "weak", "confirmed", "rejected", "new"):
        assert word not in romanian, word


def test_docx_is_a4_with_margins_page_numbers_and_its_language_on_every_style(edited, lab):
    """A4 with 2.5 cm margins, a PAGE field in the footer, ro-RO or en-GB for spell-checking."""
    from docx.oxml.ns import qn

    for language, tag in (("ro", "ro-RO"), ("en", "en-GB")):
        document = docx_of(edited, lab, language)
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = (section.left_margin, section.right_margin, section.top_margin)
        assert {round(m.mm) for m in (*margins, section.bottom_margin)} == {25}
        assert " PAGE " in [t.text for t in section.footer._element.iter(qn("w:instrText"))]
        for name in ("Normal", "Title", "Heading 1", "Heading 3", "List Bullet"):
            lang = document.styles[name].element.rPr.find(qn("w:lang"))
            assert lang.get(qn("w:val")) == tag, (language, name)


def test_docx_table_columns_are_at_least_as_wide_as_their_longest_word(edited, lab):
    """Every table fills the text width, and no column is narrower than its longest word."""
    from facilitation.exports.document import CHARACTER_CM, TEXT_WIDTH_CM

    document = docx_of(edited, lab, "ro")
    for table in document.tables:
        widths = [column.width.cm for column in table.columns]
        assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.05
        for column, width in zip(table.columns, widths, strict=True):
            longest = max(len(w) for cell in column.cells for w in cell.text.split() or [""])
            assert width >= longest * CHARACTER_CM, (longest, width)


def test_documents_print_comma_below_letters_where_cedilla_was_typed(edited, lab, board):
    """An action title and a theme name typed with ş ţ print as ș ț in the plan and its
    charts; the archive keeps what was typed."""
    first, second = lab.theme_ids[:2]
    reply = board("facilitator").emit(
        "rename_theme", {"theme_id": second, "name": "Ţară şi oraş"}, callback=True
    )
    assert reply["ok"], reply
    save_plan(
        edited, lab, **{f"action-{first}-chosen": "on", f"action-{first}-title": "Şcoli ţări"}
    )
    text = all_text(docx_of(edited, lab, "ro"))
    markdown = edited.get(page_url(lab, "export/md") + "&lang=ro").get_data(as_text=True)
    chart = edited.get(page_url(lab, "charts/theme-sizes.svg")).get_data(as_text=True)
    for printed in (text, markdown):
        assert "Școli țări" in printed and "Țară și oraș" in printed
    assert "Țară și oraș" in chart
    assert not {"ş", "ţ", "Ş", "Ţ"} & set(text + markdown + chart)
    archive = json.loads(edited.get(page_url(lab, "export/json")).data)
    assert "Şcoli ţări" in [a["title"] for a in archive["action_plan"]["actions"]]
    assert "Ţară şi oraş" in [t["name"] for t in archive["themes"]]


def test_votes_say_dots_and_voters_with_the_plural_the_language_wants(edited, lab):
    """'6 buline de la 3 votanți', with the split by category saying it counts dots."""
    text = " ".join(all_text(docx_of(edited, lab, "ro")).split())
    assert "Votul cu buline: 6 buline de la 3 votanți (buline pe categorii de actori: " in text
    assert "(6 buline de la 3 votanți)" in text and "(3 buline de la 2 votanți)" in text
    english = " ".join(all_text(docx_of(edited, lab, "en")).split())
    assert "(6 dots from 3 voters)" in english and "(3 dots from 2 voters)" in english
