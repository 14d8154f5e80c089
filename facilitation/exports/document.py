"""The action plan as a Word document (DOCX) that staff keep editing in Word or LibreOffice.

Headings use Word's built-in Title and Heading 1-3 styles, so the navigation pane and a table of
contents work; lists use List Bullet; tables use Table Grid. Texts go in as text runs, which
python-docx escapes: markup typed into an idea stays literal text.
"""

from __future__ import annotations

import io
import re

from docx import Document as new_document
from docx.enum.text import WD_BREAK
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
    # Spell-checking in the document's language.
    language = normal.element.get_or_add_rPr()
    lang = language.find(qn("w:lang"))
    if lang is None:
        lang = language.makeelement(qn("w:lang"), {})
        language.append(lang)
    lang.set(qn("w:val"), LANGUAGE_TAGS[document.language])
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


def _table(docx, block: Table) -> None:  # noqa: ANN001
    """A grid table; a header row only when the headers say something."""
    with_header = any(block.headers)
    table = docx.add_table(rows=len(block.rows) + with_header, cols=len(block.headers))
    table.style = docx.styles["Table Grid"]
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
