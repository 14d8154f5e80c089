"""Checks on untrusted input from phones, boards and forms, with messages people understand."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from facilitation.operations.errors import Rejected

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than tab and line breaks are never part of an idea someone typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def payload(data: object) -> Mapping[str, Any]:
    """The message as a mapping, or a rejection when it is anything else."""
    if not isinstance(data, Mapping):
        raise Rejected("The message must be an object with named fields.", "malformed")
    return data


def text(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    """A trimmed piece of text that is valid Unicode, has no control characters and fits."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Rejected(f"{field} must be text.", "malformed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Rejected(
            f"{field} is not valid text (broken character encoding).", "encoding"
        ) from None
    value = value.strip()
    if _CONTROL.search(value):
        raise Rejected(f"{field} contains control characters.", "malformed")
    if required and not value:
        raise Rejected(f"{field} is empty.", "empty")
    if len(value) > max_length:
        raise Rejected(
            f"{field} is too long: {len(value)} characters, at most {max_length}.", "too_long"
        )
    return value


def identifier(value: object, field: str, *, optional: bool = False) -> int | None:
    """A positive whole number naming a record."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**62:
        raise Rejected(f"{field} must be a positive whole number.", "malformed")
    return value


def flag(value: object, field: str) -> bool:
    """A true/false value."""
    if not isinstance(value, bool):
        raise Rejected(f"{field} must be true or false.", "malformed")
    return value


def client_id(value: object) -> str:
    """The id a phone made for an idea: 8 to 64 letters, digits, '-' or '_'."""
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise Rejected("client_id must be 8 to 64 letters, digits, '-' or '_'.", "malformed")
    return value
