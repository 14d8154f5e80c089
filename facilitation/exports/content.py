"""What the action-plan document says, as a list of blocks that DOCX and Markdown both print.

One function decides the content (title, Part I, Part II, Part III with one section per chosen
action, the date/signature/stamp block, then the annexes), so the two formats cannot drift apart.
Texts are the session's own, never markup: each renderer escapes them for its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from analysis.text import canonical
from facilitation.exports import figures, plan
from facilitation.exports import labels as label_table
from facilitation.exports.labels import quoted
from facilitation.exports.statistics import visible
from facilitation.vocabulary import GENERAL_PARTS


@dataclass
class Heading:
    """A heading: level 0 is the title, 1 to 3 are Word's Heading 1 to 3."""

    level: int
    text: str


@dataclass
class Paragraph:
    """A paragraph of plain text; `note` prints it in italics."""

    text: str
    note: bool = False


@dataclass
class Bullets:
    """A bulleted list."""

    items: list[str]


@dataclass
class Table:
    """A table with a header row; `fill_in` leaves room to write by hand in each row."""

    headers: list[str]
    rows: list[list[str]]
    fill_in: bool = False


@dataclass
class Image:
    """A chart, as PNG bytes, with its file name and caption."""

    name: str
    png: bytes
    caption: str


@dataclass
class PageBreak:
    """Start a new page (DOCX only; a rule in Markdown)."""


@dataclass
class Document:
    """A whole document: its language and its blocks in order."""

    language: str
    blocks: list[Any] = field(default_factory=list)


def _text_blocks(value: str, words: dict[str, str]) -> list[Any]:
    """A multi-line field: lines starting with '- ' become bullets, other lines paragraphs."""
    if not value.strip():
        return [Paragraph(words["to_complete"], note=True)]
    blocks: list[Any] = []
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("- ", "• ")):
            if blocks and isinstance(blocks[-1], Bullets):
                blocks[-1].items.append(line[2:].strip())
            else:
                blocks.append(Bullets([line[2:].strip()]))
        else:
            blocks.append(Paragraph(line))
    return blocks


def action_plan(archive: Any, language: str | None = None, charts: bool = True) -> Document:
    """The draft action plan and its annexes, in the plan's language or the one given."""
    chosen_plan = plan.effective(archive, language)
    language = chosen_plan["language"]
    words = label_table.texts(language, chosen_plan["labels"].get(language))
    general = chosen_plan["general"]
    doc = Document(language)
    add = doc.blocks.append
    when = plan.date_text(archive.workshop.date, language)

    add(Heading(0, words["document_title"]))
    add(Paragraph(words["draft_from"].format(title=archive.workshop.title, date=when), note=True))

    for part, fields in GENERAL_PARTS.items():
        add(Heading(1, words[part]))
        add(Table(["", ""], [[words[k], general.get(k, "")] for k in fields]))

    add(Heading(1, words["part3"]))
    actions = plan.chosen_actions(chosen_plan)
    if not actions:
        add(Paragraph(words["no_actions"], note=True))
    for n, action in enumerate(actions, start=1):
        add(Heading(2, f"{words['action_heading'].format(n=n)}: {action['title']}"))
        add(Heading(3, words["background"]))
        doc.blocks.extend(_text_blocks(action["background"], words))
        link = action.get("previous_session_link", "").strip()
        add(
            Paragraph(
                f"{words['previous_session_link']}: {link}" if link else words["no_previous_link"],
                note=not link,
            )
        )
        for name in ("action", "players", "timeframe", "costs", "funding"):
            add(Heading(3, words[name]))
            doc.blocks.extend(_text_blocks(action.get(name, ""), words))

    add(
        Table(["", ""], [[words["date"], ""], [words["signature"], ""], [words["stamp"], ""]], True)
    )

    add(PageBreak())
    add(Heading(1, words["annexes"]))
    add(Heading(2, words["annex_ideas"]))
    doc.blocks.extend(_ideas_annex(archive, words, language))
    add(Heading(2, words["annex_comparison"]))
    doc.blocks.extend(_comparison_annex(archive, words, language))
    add(Heading(2, words["annex_statistics"]))
    doc.blocks.extend(statistics_blocks(archive.statistics, words))
    add(Heading(2, words["annex_charts"]))
    if charts:
        captions = {"theme-sizes": words["chart_themes"], "votes": words["chart_votes"]}
        for name in figures.available(archive):
            add(Image(name, figures.draw(archive, name, language, "png"), captions[name]))
    doc.blocks = [_comma_below(block) for block in doc.blocks]
    return doc


def _comma_below(block: Any) -> Any:
    """A block whose texts use comma-below ș ț where participants typed cedilla ş ţ.

    Only the documents are corrected: the archive and the raw tables keep the text as typed.
    """
    if isinstance(block, Heading | Paragraph):
        return replace(block, text=canonical(block.text))
    if isinstance(block, Bullets):
        return Bullets([canonical(item) for item in block.items])
    if isinstance(block, Table):
        rows = [[canonical(cell) for cell in row] for row in block.rows]
        return replace(block, headers=[canonical(h) for h in block.headers], rows=rows)
    if isinstance(block, Image):
        return replace(block, caption=canonical(block.caption))
    return block


def _ideas_annex(archive: Any, words: dict[str, str], language: str) -> list[Any]:
    """Every visible idea under its theme, with its dots; paper cards and duplicates marked."""
    idea_dots = {r["id"]: r["dots"] for r in archive.results if r["kind"] == "idea"}
    duplicates: dict[int, list[str]] = {}
    for idea in archive.ideas:
        if visible(idea) and idea.merged_into_id is not None:
            duplicates.setdefault(idea.merged_into_id, []).append(idea.text)

    def line(idea: Any) -> str:
        parts = [idea.text]
        notes = []
        if idea_dots.get(idea.id):
            notes.append(label_table.dots(language, idea_dots[idea.id]))
        if idea.source == "paper":
            notes.append(words["paper_card"])
        if notes:
            parts.append(f"({'; '.join(notes)})")
        if idea.id in duplicates:
            also = "; ".join(quoted(t, language) for t in duplicates[idea.id])
            parts.append(f"[{words['also_written']}: {also}]")
        return " ".join(parts)

    blocks: list[Any] = []
    placed: set[int] = set()
    for row in plan.ranked_themes(archive):
        theme = row["theme"]
        heading = theme.name
        if row["dots"]:
            heading = f"{heading} ({plan.dots_from_voters(archive, row, language)})"
        blocks.append(Heading(3, heading))
        blocks.append(Bullets([line(i) for i in row["ideas"]]))
        placed.update(i.id for i in row["ideas"])
    loose = [
        i for i in archive.ideas if visible(i) and i.merged_into_id is None and i.id not in placed
    ]
    if loose:
        blocks.append(Heading(3, words["ideas_without_theme"]))
        blocks.append(Bullets([line(i) for i in loose]))
    if not blocks:
        blocks.append(Paragraph(words["no_ideas"], note=True))
    return blocks


def _comparison_annex(archive: Any, words: dict[str, str], language: str) -> list[Any]:
    """The comparison with the previous session, or a sentence saying none was imported.

    Reads the comparison feature's view: `previous_session` {title, date}, `current_themes`
    [{label, status, matches, trend}] and `previous_themes` [{label, status}].
    """
    previous = archive.previous_session
    if not previous:
        return [Paragraph(words["no_previous_session"], note=True)]
    about = previous.get("previous_session") or previous
    blocks: list[Any] = [
        Paragraph(
            words["previous_session_of"].format(
                title=about.get("title") or "",
                date=plan.date_text(about.get("date"), language),
            )
        )
    ]
    current = previous.get("current_themes") or []
    if current:
        blocks.append(
            Table(
                [
                    words["col_theme"],
                    words["col_status"],
                    words["col_previous"],
                    words["col_then_now"],
                    words["col_trend"],
                ],
                [
                    [
                        str(t.get("label") or ""),
                        words.get(f"status_{t.get('status')}", str(t.get("status") or "")),
                        "; ".join(_match_text(t, words)),
                        f"{t['ideas_then']} / {t['ideas']}"
                        if t.get("matches") and "ideas_then" in t and "ideas" in t
                        else "",
                        words.get(f"trend_{t.get('trend')}", "") if t.get("trend") else "",
                    ]
                    for t in current
                ],
            )
        )
        evidence = [
            f"{t.get('label')} ↔ {d.get('label')}: "
            + "; ".join(
                f"{quoted(str(p.get('then') or ''), language)} → "
                f"{quoted(str(p.get('now') or ''), language)}"
                for p in d.get("evidence") or []
            )
            for t in current
            for d in t.get("match_details") or []
            if d.get("evidence")
        ]
        if evidence:
            blocks.append(Paragraph(words["evidence"]))
            blocks.append(Bullets(evidence))
    dropped = [
        str(t.get("label") or "")
        for t in previous.get("previous_themes") or []
        if t.get("status") == "not_raised_again"
    ]
    if dropped:
        blocks.append(Paragraph(words["not_raised_again"]))
        blocks.append(Bullets(dropped))
    return blocks


def _match_text(theme: dict[str, Any], words: dict[str, str]) -> list[str]:
    """Each earlier theme a theme of today matches, with the match's strength or the
    facilitator's decision, and the matches the facilitator rejected."""
    details = theme.get("match_details")
    if not details:
        return [str(m) for m in theme.get("matches") or []]
    shown = []
    for detail in [*details, *(theme.get("rejected") or [])]:
        decision = detail.get("decision")
        note = words.get(f"decision_{decision}") if decision else None
        note = note or words.get(f"strength_{detail.get('strength')}", "")
        shown.append(f"{detail.get('label')} ({note})" if note else str(detail.get("label")))
    return shown


def statistics_blocks(stats: dict[str, Any], words: dict[str, str]) -> list[Any]:
    """Participation statistics: totals, then per stakeholder category and per question."""
    blocks: list[Any] = [
        Paragraph(words["statistics_note"], note=True),
        Table(
            [words["col_measure"], words["col_value"]],
            [
                [words["participants"], str(stats["participants"])],
                [words["ideas"], str(stats["ideas"])],
                [words["paper_ideas"], str(stats["paper_ideas"])],
                [words["hidden_ideas"], str(stats["hidden_ideas"])],
                [words["voters"], str(stats["voters"])],
                [words["dots_cast"], str(stats["dots"])],
            ],
        ),
        Heading(3, words["by_category"]),
        Table(
            [
                words["category"],
                words["participants"],
                words["ideas"],
                words["voters"],
                words["dots_cast"],
            ],
            [
                [
                    row["category"] or words["not_given"],
                    str(row["participants"]),
                    str(row["ideas"]),
                    str(row["voters"]),
                    str(row["dots"]),
                ]
                for row in stats["by_category"]
            ],
        ),
        Heading(3, words["by_question"]),
        Table(
            [words["question"], words["ideas"]],
            [
                [row["question"] or words["no_question"], str(row["ideas"])]
                for row in stats["by_question"]
            ],
        ),
    ]
    return blocks
