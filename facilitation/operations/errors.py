"""The one error an operation raises for bad input or a forbidden action."""

from __future__ import annotations

from collections.abc import Callable
from gettext import NullTranslations
from typing import Any, ClassVar


class Rejected(Exception):
    """An operation refused: nothing was stored, and the message says why in plain words.

    The message is an English template with `%(name)s` fields; it is translated into the
    reader's language at the edge, when the reply is made: the application sets `translate`
    (operations know nothing of requests or catalogues). A value named `field` is translated too.
    """

    plural: tuple[str, str] | None = None
    # Set by the application: the message of a refusal in the reader's language, or None where
    # there is no reader (outside a request: English).
    translate: ClassVar[Callable[[Rejected], str | None] | None] = None

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
        """The message in the reader's language (English outside a request)."""
        translated = Rejected.translate(self) if Rejected.translate is not None else None
        return str(self) if translated is None else translated

    def as_reply(self) -> dict:
        """The reply sent to the client that asked."""
        return {"ok": False, "error": self.message, "code": self.code}


class RateLimited(Rejected):
    """A refusal for speed that says when to try again: its reply carries `retry_after`."""

    retry_after: int = 1

    @classmethod
    def after(cls, rejected: Rejected, seconds: int) -> RateLimited:
        """`rejected` (code `rate_limited`), whose reply says to retry in `seconds` seconds."""
        limited = cls(rejected.template, rejected.code, **rejected.values)
        limited.retry_after = seconds
        return limited

    def as_reply(self) -> dict:
        """The usual refusal, with the seconds to wait."""
        return {**super().as_reply(), "retry_after": self.retry_after}
