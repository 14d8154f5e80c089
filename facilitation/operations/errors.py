"""The one error an operation raises for bad input or a forbidden action."""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import gettext


class Rejected(Exception):
    """An operation refused: nothing was stored, and the message says why in plain words.

    The message is an English template with `%(name)s` fields; it is translated into the
    reader's language when the reply is made. A value named `field` is translated too.
    """

    def __init__(self, message: str, code: str = "invalid", **values: Any) -> None:
        """Keep the message template, its values, and a short code for programs."""
        self.template = message
        self.values = values
        self.code = code
        super().__init__(message % values if values else message)

    @property
    def message(self) -> str:
        """The message in the current language (English outside a request)."""
        if not has_request_context():
            return str(self)
        values = dict(self.values)
        if "field" in values:
            values["field"] = gettext(values["field"])
        return gettext(self.template, **values) if values else gettext(self.template)

    def as_reply(self) -> dict:
        """The reply sent to the client that asked."""
        return {"ok": False, "error": self.message, "code": self.code}
