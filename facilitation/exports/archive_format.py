"""The session archive's file format (docs/archive.md): versioned dataclasses, read and written.

`load_archive` reads an archive file back into dataclasses after checking every field (what an
import or a live event would refuse is refused here too), `dumps` writes one. No Flask and no
database: the "import previous session" feature reads archives with it as it is, and
`facilitation.exports.archive` maps archives to and from the database.

Compatibility: `schema_version` changes only when a field changes meaning or disappears. Fields
may be added without a new version; readers ignore fields they do not know. An archive of a
newer version than `SCHEMA_VERSION` is refused with a message that says so.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from analysis import embedding
from facilitation.vocabulary import LANGUAGES, MAX_TEXT

FORMAT = "cocreation-board-archive"
SCHEMA_VERSION = 1
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
# A theme's colour as the board writes it into a style: "#" and six hex digits, nothing else.
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class ArchiveError(ValueError):
    """An archive that cannot be read; the message names the problem for people."""


@dataclass
class ArchiveWorkshop:
    """The workshop itself as it was when exported."""

    code: str
    title: str
    language: str
    date: str | None
    phase: str
    submissions_open: bool
    ideas_revealed: bool
    vote_target: str
    vote_budget: int
    vote_cap: int
    categories: list[str]
    theme_count_min: int
    theme_count_max: int
    created_at: str
    # Added later: archives without them read as the defaults.
    ideas_per_minute: int | None = None
    vote_closed: bool = False


@dataclass
class ArchiveQuestion:
    """A question, in the order the workshop asked them."""

    id: int
    position: int
    text: str


@dataclass
class ArchiveParticipant:
    """An anonymous phone: its number in this archive and its stakeholder category, if given."""

    id: int
    category: str | None


@dataclass
class ArchiveTheme:
    """A theme with its curation state."""

    id: int
    name: str
    renamed: bool
    locked: bool
    retired: bool
    color: str
    position: int
    terms: list[str]
    representative_idea_id: int | None
    merged_into_id: int | None


@dataclass
class ArchiveIdea:
    """An idea exactly as typed, with where it sits and what the facilitator did with it."""

    id: int
    question_id: int | None
    participant_id: int | None
    text: str
    source: str
    hidden: bool
    hidden_reason: str | None
    held: bool
    theme_id: int | None
    placed_by_facilitator: bool
    merged_into_id: int | None
    created_at: str
    # Its semantic vector (analysis.embedding, half precision, base64), so that a restored
    # session is never embedded again; null where none was computed.
    embedding: str | None = None


@dataclass
class ArchiveVote:
    """Dots one voter put on one theme or idea; `ballot` numbers paper ballots anonymously."""

    participant_id: int | None
    ballot: str
    category: str | None
    target_kind: str
    target_id: int
    dots: int


@dataclass
class ArchiveDecision:
    """The facilitator's decision on a then-and-now match (docs/comparison.md)."""

    theme_id: int
    # The earlier theme's label, as the comparison showed it.
    previous_theme: str
    # "confirmed", "made" or "rejected".
    decision: str


@dataclass
class Archive:
    """A whole session, as plain values."""

    schema_version: int
    exported_at: str
    workshop: ArchiveWorkshop
    questions: list[ArchiveQuestion]
    participants: list[ArchiveParticipant]
    themes: list[ArchiveTheme]
    ideas: list[ArchiveIdea]
    votes: list[ArchiveVote]
    results: list[dict[str, Any]] = field(default_factory=list)
    statistics: dict[str, Any] = field(default_factory=dict)
    action_plan: dict[str, Any] | None = None
    previous_session: dict[str, Any] | None = None
    # The model that made the ideas' vectors: vectors of another model are not restored.
    embedding_model: str | None = None
    # The facilitator's decisions on the then-and-now matches.
    comparison_decisions: list[ArchiveDecision] = field(default_factory=list)


def as_dict(archive: Archive) -> dict[str, Any]:
    """The archive as the JSON object the file holds, format marker first."""
    return {"format": FORMAT, **dataclasses.asdict(archive)}


def dumps(archive: Archive) -> bytes:
    """The archive file: UTF-8 JSON, indented so that a person can read it."""
    return json.dumps(as_dict(archive), ensure_ascii=False, indent=1).encode("utf-8")


# ---- Reading ------------------------------------------------------------------------------


def load_archive(data: bytes | str) -> Archive:
    """Read and check an archive file; raises ArchiveError naming the first problem found."""
    if isinstance(data, bytes):
        if len(data) > MAX_ARCHIVE_BYTES:
            raise ArchiveError("The archive is larger than 50 MB.")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ArchiveError("The archive is not UTF-8 text.") from None
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as error:
        raise ArchiveError(
            f"The archive is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})."
        ) from None
    except RecursionError:
        raise ArchiveError("The archive is nested too deeply to be a session archive.") from None
    return from_dict(raw)


def from_dict(raw: object) -> Archive:
    """An archive from its JSON object, after checking its version, fields and references."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ArchiveError(
            f'This is not a session archive of the co-creation board ("format" must be "{FORMAT}").'
        )
    version = raw.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ArchiveError("schema_version must be a whole number from 1.")
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"This archive uses schema version {version}, written by a newer version of the "
            f"board; this server reads schema version {SCHEMA_VERSION} and older. Update the "
            f"board to read it."
        )
    archive = _record(Archive, raw, "archive")
    _check_references(archive)
    _check_values(archive)
    return archive


def _record(cls: type, raw: object, where: str) -> Any:
    """One dataclass from a JSON object, each field checked against its type hint."""
    if not isinstance(raw, dict):
        raise ArchiveError(f"{where} must be an object.")
    hints = typing.get_type_hints(cls)
    values = {}
    for spec in dataclasses.fields(cls):
        path = f"{where}.{spec.name}" if where != "archive" else spec.name
        if spec.name not in raw:
            if spec.default is not dataclasses.MISSING or (
                spec.default_factory is not dataclasses.MISSING
            ):
                continue
            raise ArchiveError(f"{path} is missing.")
        values[spec.name] = _value(hints[spec.name], raw[spec.name], path)
    return cls(**values)


def _value(hint: Any, value: object, path: str) -> Any:
    """A value checked against a type hint: dataclasses, lists, optionals and plain types."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _value(options[0], value, path)
    if dataclasses.is_dataclass(hint):
        return _record(hint, value, path)
    if origin is list:
        if not isinstance(value, list):
            raise ArchiveError(f"{path} must be a list.")
        (item,) = typing.get_args(hint)
        return [_value(item, v, f"{path}[{n}]") for n, v in enumerate(value)]
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise ArchiveError(f"{path} must be an object.")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ArchiveError(f"{path} must be true or false.")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ArchiveError(f"{path} must be a whole number.")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ArchiveError(f"{path} must be text.")
        return value
    if hint is Any:
        return value
    raise ArchiveError(f"{path} has a type this reader does not know.")  # pragma: no cover


def _check_references(archive: Archive) -> None:
    """Every id an archive refers to exists in it, and ids are unique."""

    def ids(items: list, name: str) -> set[int]:
        seen: set[int] = set()
        for n, item in enumerate(items):
            if item.id in seen:
                raise ArchiveError(f"{name}[{n}].id {item.id} appears twice.")
            seen.add(item.id)
        return seen

    questions = ids(archive.questions, "questions")
    participants = ids(archive.participants, "participants")
    themes = ids(archive.themes, "themes")
    ideas = ids(archive.ideas, "ideas")
    if not archive.questions:
        raise ArchiveError("questions is empty: a workshop has at least one question.")

    def check(value: int | None, known: set[int], path: str, what: str) -> None:
        if value is not None and value not in known:
            raise ArchiveError(f"{path} is {value}, which names no {what} in the archive.")

    for n, theme in enumerate(archive.themes):
        check(theme.merged_into_id, themes, f"themes[{n}].merged_into_id", "theme")
        check(theme.representative_idea_id, ideas, f"themes[{n}].representative_idea_id", "idea")
    for n, idea in enumerate(archive.ideas):
        check(idea.question_id, questions, f"ideas[{n}].question_id", "question")
        check(idea.participant_id, participants, f"ideas[{n}].participant_id", "participant")
        check(idea.theme_id, themes, f"ideas[{n}].theme_id", "theme")
        check(idea.merged_into_id, ideas, f"ideas[{n}].merged_into_id", "idea")
        if idea.source not in ("phone", "paper"):
            raise ArchiveError(f'ideas[{n}].source must be "phone" or "paper".')
    for n, vote in enumerate(archive.votes):
        check(vote.participant_id, participants, f"votes[{n}].participant_id", "participant")
        if vote.target_kind not in ("theme", "idea"):
            raise ArchiveError(f'votes[{n}].target_kind must be "theme" or "idea".')
        known = themes if vote.target_kind == "theme" else ideas
        check(vote.target_id, known, f"votes[{n}].target_id", vote.target_kind)
        if vote.dots < 1:
            raise ArchiveError(f"votes[{n}].dots must be 1 or more.")
    for n, decision in enumerate(archive.comparison_decisions):
        check(decision.theme_id, themes, f"comparison_decisions[{n}].theme_id", "theme")
        if decision.decision not in ("confirmed", "made", "rejected"):
            raise ArchiveError(
                f'comparison_decisions[{n}].decision must be "confirmed", "made" or "rejected".'
            )
        if not decision.previous_theme.strip() or len(decision.previous_theme) > 120:
            raise ArchiveError(
                f"comparison_decisions[{n}].previous_theme must be 1 to 120 characters."
            )
    if archive.workshop.language not in LANGUAGES:
        raise ArchiveError('workshop.language must be "ro" or "en".')


def _check_values(archive: Archive) -> None:
    """Every value is one the live events and imports would accept: a restored workshop holds
    nothing that the server could not have stored itself (a phase "pwned", a budget of -5, an
    idea of 100,000 characters or with a NUL, CSS in a colour)."""
    from facilitation import validation
    from facilitation.operations.errors import Rejected
    from facilitation.operations.flow import MAX_CATEGORIES
    from facilitation.operations.themes import MAX_THEME_NAME
    from facilitation.vocabulary import PHASES, VOTE_TARGETS

    def text(value: object, path: str, limit: int, *, required: bool = True) -> None:
        try:
            validation.text_field(value, path, limit, required=required)
        except Rejected as rejected:
            raise ArchiveError(str(rejected)) from None

    def number(value: int, path: str, low: int, high: int) -> None:
        if not low <= value <= high:
            raise ArchiveError(f"{path} must be from {low} to {high}, not {value}.")

    workshop = archive.workshop
    text(workshop.title, "workshop.title", 200)
    if workshop.phase not in PHASES:
        raise ArchiveError(f"workshop.phase must be one of: {', '.join(PHASES)}.")
    if workshop.vote_target not in VOTE_TARGETS:
        raise ArchiveError("workshop.vote_target must be themes or ideas.")
    number(workshop.vote_budget, "workshop.vote_budget", 1, 20)
    number(workshop.vote_cap, "workshop.vote_cap", 1, workshop.vote_budget)
    number(workshop.theme_count_min, "workshop.theme_count_min", 1, 30)
    number(workshop.theme_count_max, "workshop.theme_count_max", workshop.theme_count_min, 30)
    if workshop.ideas_per_minute is not None:
        number(workshop.ideas_per_minute, "workshop.ideas_per_minute", 1, 120)
    if workshop.date is not None:
        try:
            dt.date.fromisoformat(workshop.date)
        except ValueError:
            raise ArchiveError("workshop.date must look like 2020-01-20.") from None
    if len(workshop.categories) > MAX_CATEGORIES:
        raise ArchiveError(f"workshop.categories has more than {MAX_CATEGORIES} names.")
    for n, category in enumerate(workshop.categories):
        text(category, f"workshop.categories[{n}]", 80)
    for n, question in enumerate(archive.questions):
        text(question.text, f"questions[{n}].text", 500)
    for n, participant in enumerate(archive.participants):
        text(participant.category, f"participants[{n}].category", 80, required=False)
    for n, theme in enumerate(archive.themes):
        text(theme.name, f"themes[{n}].name", MAX_THEME_NAME)
        if not COLOUR.fullmatch(theme.color):
            raise ArchiveError(f"themes[{n}].color must be a colour like #ffd166.")
        for term in theme.terms:
            text(term, f"themes[{n}].terms", 80)
    for n, idea in enumerate(archive.ideas):
        text(idea.text, f"ideas[{n}].text", MAX_TEXT)
        text(idea.hidden_reason, f"ideas[{n}].hidden_reason", 200, required=False)
        if idea.embedding is not None and _vector(idea.embedding) is None:
            raise ArchiveError(
                f"ideas[{n}].embedding must be the base64 of {embedding.DIMENSIONS} "
                "half-precision numbers."
            )
    for n, vote in enumerate(archive.votes):
        number(vote.dots, f"votes[{n}].dots", 1, 20)
        text(vote.ballot, f"votes[{n}].ballot", 80, required=False)
        text(vote.category, f"votes[{n}].category", 80, required=False)


def _vector(encoded: str | None) -> bytes | None:
    """A stored semantic vector from its base64 form, or None when it is not one."""
    if encoded is None:
        return None
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        return None
    return blob if len(blob) == 2 * embedding.DIMENSIONS else None


# ---- Restoring ----------------------------------------------------------------------------
