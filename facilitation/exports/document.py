"""The action plan as a Word document (DOCX) that staff keep editing in Word or LibreOffice.

Headings use Word's built-in Title and Heading 1-3 styles, so the navigation pane and a table of
contents work; lists use List Bullet; tables use Table Grid. Texts go in as text runs, which
python-docx escapes: markup typed into an idea stays literal text.

The page is what a Romanian office sends: A4 with 2.5 cm margins, the document's language on
every style (ro-RO or en-GB, so spell-check works), and the page number in the footer. Table
columns are given widths from their contents, each at least as wide as its longest word, so a
header never breaks inside a word ("corespunzătoar-e"); docs/documents.md says how LibreOffice
checks all of this.
"""

from __future__ import annotations

import io
import re

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from facilitation.exports.content import (
    Bullets,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
)

# Characters XML 1.0 cannot hold; an archive from elsewhere might carry them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LANGUAGE_TAGS = {"ro": "ro-RO", "en": "en-GB"}
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4
MARGIN = Cm(2.5)
TEXT_WIDTH_CM = 21 - 2 * 2.5
# Width of one character of 11 pt text, generous enough for the wider fonts an office suite may
# substitute for Calibri (DejaVu Sans), plus the cell's own padding.
CHARACTER_CM = 0.25
CELL_PADDING_CM = 0.4


def _clean(text: str) -> str:
    """Text safe to put in the document's XML."""
    return _NOT_XML.sub("", text)


def render(document: Document, title: str = "") -> bytes:
    """The document's blocks as DOCX bytes."""
    docx = new_document()
    docx.core_properties.title = _clean(title)
    docx.core_properties.language = LANGUAGE_TAGS[document.language]
    normal = docx.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    _set_language(docx, LANGUAGE_TAGS[document.language])
    _set_page(docx)
    bullet = docx.styles["List Bullet"]
    caption = docx.styles["Caption"]
    for block in document.blocks:
        if isinstance(block, Heading):
            docx.add_heading(_clean(block.text), block.level)
        elif isinstance(block, Paragraph):
            paragraph = docx.add_paragraph()
            run = paragraph.add_run(_clean(block.text))
            run.italic = block.note or None
        elif isinstance(block, Bullets):
            for item in block.items:
                # Set the style id directly: python-docx's style lookup scans every style per
                # paragraph, which made a 1,000-idea annex take seconds.
                paragraph = docx.add_paragraph(_clean(item))
                paragraph._p.style = bullet.style_id
        elif isinstance(block, Table):
            _table(docx, block)
        elif isinstance(block, Image):
            docx.add_picture(io.BytesIO(block.png), width=Cm(16))
            docx.add_paragraph(_clean(block.caption), style=caption)
        elif isinstance(block, PageBreak):
            docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def _set_language(docx, tag: str) -> None:  # noqa: ANN001
    """Spell-checking in the document's language: on the defaults and on every style."""
    defaults = docx.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    holders = [style.element.get_or_add_rPr() for style in docx.styles if style.type == 1]
    if defaults is not None:
        if defaults.find(qn("w:rPr")) is None:
            defaults.append(OxmlElement("w:rPr"))
        holders.append(defaults.find(qn("w:rPr")))
    for properties in holders:
        lang = properties.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            properties.append(lang)
        lang.set(qn("w:val"), tag)


def _set_page(docx) -> None:  # noqa: ANN001
    """A4 portrait with even margins, and the page number centred in the footer."""
    section = docx.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # A PAGE field: Word and LibreOffice fill in the number; "1" shows until they do.
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "1"), ("end", "")):
        run = footer.add_run()
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def column_widths(headers: list[str], rows: list[list[str]]) -> list[float]:
    """Widths in cm that fill the text width, each column at least as wide as its longest word.

    What is left over goes to the columns with the longest texts, so a short number column stays
    narrow and an idea column gets the room.
    """
    columns = list(zip(headers, *rows, strict=True)) if rows else [(h,) for h in headers]
    longest_word = [
        max((len(w) for cell in col for w in cell.split()), default=1) for col in columns
    ]
    longest_text = [max((len(cell) for cell in col), default=1) for col in columns]
    least = [n * CHARACTER_CM + CELL_PADDING_CM for n in longest_word]
    if sum(least) >= TEXT_WIDTH_CM:
        # Words longer than the page allows (a web address): share the width out in proportion.
        return [TEXT_WIDTH_CM * w / sum(least) for w in least]
    wanted = [
        max(0.0, n * CHARACTER_CM + CELL_PADDING_CM - w)
        for n, w in zip(longest_text, least, strict=True)
    ]
    spare = TEXT_WIDTH_CM - sum(least)
    if sum(wanted) <= 0:
        return [w + spare / len(least) for w in least]
    return [w + spare * extra / sum(wanted) for w, extra in zip(least, wanted, strict=True)]


def _table(docx, block: Table) -> None:  # noqa: ANN001
    """A grid table; a header row only when the headers say something."""
    with_header = any(block.headers)
    table = docx.add_table(rows=len(block.rows) + with_header, cols=len(block.headers))
    table.style = docx.styles["Table Grid"]
    table.autofit = False
    widths = column_widths(block.headers, block.rows)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    rows = table.rows
    if with_header:
        for cell, text in zip(rows[0].cells, block.headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_clean(text)).bold = True
    for row, values in zip(rows[with_header:], block.rows, strict=True):
        cells = row.cells
        for n, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = _clean(text)
            if n == 0 and not with_header:
                cell.paragraphs[0].runs[0].bold = True
        if block.fill_in:
            row.height = Cm(1.5)
    docx.add_paragraph()
