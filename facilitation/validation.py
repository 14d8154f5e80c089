"""Checks on untrusted input from phones, boards and forms, with messages people understand."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from facilitation.operations.errors import Rejected

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than tab and line breaks are never part of an idea someone typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional embeddings, overrides and isolates: they can make a text read backwards on the
# board ("Trojan source"). Removed from every text field; the marks (U+200E, U+200F) stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Letters that draw nothing (Hangul fillers, the Braille blank, the Mongolian vowel separator).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def payload(data: object) -> Mapping[str, Any]:
    """The message as a mapping, or a rejection when it is anything else."""
    if not isinstance(data, Mapping):
        raise Rejected("The message must be an object with named fields.", "malformed")
    return data


def text_field(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    """A trimmed piece of text that is valid Unicode, has no control characters and fits."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Rejected("%(field)s must be text.", "malformed", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Rejected(
            "%(field)s is not valid text (broken character encoding).", "encoding", field=field
        ) from None
    value = _BIDI_CONTROLS.sub("", value).strip()
    if _CONTROL.search(value):
        raise Rejected("%(field)s contains control characters.", "malformed", field=field)
    if required and not any(visible(ch) for ch in value):
        raise Rejected("%(field)s is empty.", "empty", field=field)
    if len(value) > max_length:
        raise Rejected.counted(
            "%(field)s is too long: %(num)d character, at most %(max)s.",
            "%(field)s is too long: %(num)d characters, at most %(max)s.",
            len(value),
            "too_long",
            field=field,
            max=max_length,
        )
    return value


def visible(ch: str) -> bool:
    """Whether a character draws something: not a space, a format or control character, a
    combining mark alone, or a blank letter such as the Hangul filler."""
    return unicodedata.category(ch)[0] not in "ZCM" and ch not in BLANK_LETTERS


def identifier(value: object, field: str, *, optional: bool = False) -> int | None:
    """A positive whole number naming a record."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**62:
        raise Rejected("%(field)s must be a positive whole number.", "malformed", field=field)
    return value


def flag(value: object, field: str) -> bool:
    """A true/false value."""
    if not isinstance(value, bool):
        raise Rejected("%(field)s must be true or false.", "malformed", field=field)
    return value


def client_id(value: object) -> str:
    """The id a phone made for an idea: 8 to 64 letters, digits, '-' or '_'."""
    if not isinstance(value, str) or not CLIENT_ID.fullmatch(value):  # "$" allows a final "\n"
        raise Rejected("client_id must be 8 to 64 letters, digits, '-' or '_'.", "malformed")
    return value
