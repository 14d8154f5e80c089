"""Refusals in the reader's language: where operations' `Rejected` meets the catalogue.

Operations raise `Rejected` with an English template and its values; this edge translates it
when a reply or a page is made, in the language of the request.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext, ngettext

from facilitation.operations.errors import Rejected


def translate(rejected: Rejected) -> str | None:
    """The refusal's message in the request's language; None outside a request (English)."""
    if not has_request_context():
        return None
    values = dict(rejected.values)
    if "field" in values:
        values["field"] = gettext(values["field"])
    if rejected.plural:
        return ngettext(*rejected.plural, values.pop("num"), **values)
    return gettext(rejected.template, **values) if values else gettext(rejected.template)


def install() -> None:
    """Make every refusal speak the reader's language from now on."""
    Rejected.translate = translate
