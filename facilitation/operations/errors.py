"""The one error an operation raises for bad input or a forbidden action."""

from __future__ import annotations

from gettext import NullTranslations
from typing import Any

from flask import has_request_context
from flask_babel import gettext, ngettext


class Rejected(Exception):
    """An operation refused: nothing was stored, and the message says why in plain words.

    The message is an English template with `%(name)s` fields; it is translated into the
    reader's language when the reply is made. A value named `field` is translated too.
    """

    plural: tuple[str, str] | None = None

    def __init__(self, message: str, code: str = "invalid", **values: Any) -> None:
        """Keep the message template, its values, and a short code for programs."""
        self.template = message
        self.values = values
        self.code = code
        super().__init__(message % values if values else message)

    @classmethod
    def counted(
        cls, singular: str, plural: str, n: int, code: str = "invalid", **values: Any
    ) -> Rejected:
        """A refusal that counts something (`%(num)d`): its words take the plural form of n."""
        english = NullTranslations().ngettext(singular, plural, n)
        rejected = cls(english, code, num=n, **values)
        rejected.plural = (singular, plural)
        return rejected

    @property
    def message(self) -> str:
        """The message in the current language (English outside a request)."""
        if not has_request_context():
            return str(self)
        values = dict(self.values)
        if "field" in values:
            values["field"] = gettext(values["field"])
        if self.plural:
            return ngettext(*self.plural, values.pop("num"), **values)
        return gettext(self.template, **values) if values else gettext(self.template)

    def as_reply(self) -> dict:
        """The reply sent to the client that asked."""
        return {"ok": False, "error": self.message, "code": self.code}
