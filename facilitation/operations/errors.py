"""The one error an operation raises for bad input or a forbidden action."""

from __future__ import annotations


class Rejected(Exception):
    """An operation refused: nothing was stored, and message says why in plain words."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        """Keep a message for people and a short code for programs."""
        super().__init__(message)
        self.message = message
        self.code = code

    def as_reply(self) -> dict:
        """The reply sent to the client that asked."""
        return {"ok": False, "error": self.message, "code": self.code}
