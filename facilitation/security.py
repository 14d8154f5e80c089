"""Who may do what: anonymous device identities and facilitator secrets.

A phone is known by a random device id kept in Flask's signed session cookie, so it cannot be
forged without the server's key. A facilitator proves itself with a per-workshop secret derived
from the server key and a per-workshop salt: nothing secret is stored in the database, the link
can be printed again at every start, and replacing the salt revokes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app, session
from flask.sessions import SecureCookieSessionInterface

DEVICE_KEY = "device"


class CookieReadOncePerConnection(SecureCookieSessionInterface):
    """Flask's signed-cookie session, read once per WSGI environ.

    Flask opens the session (checks the cookie's signature, decodes it) each time a request
    context is pushed. A Socket.IO connection pushes one per event, on the environ of its
    handshake, whose cookie never changes; Flask-SocketIO then swaps in its own copy of the
    session for the event. So the session opened at a connection's first event stands for all
    of them, instead of being checked again for every idea of a full room. A plain request has
    an environ of its own and opens its session as before.
    """

    ENVIRON_KEY = "facilitation.opened_session"

    def open_session(self, app, request):  # noqa: ANN001, ANN201
        """The session of this environ, opened at its first request context."""
        environ = request.environ
        if self.ENVIRON_KEY not in environ:
            environ[self.ENVIRON_KEY] = super().open_session(app, request)
        return environ[self.ENVIRON_KEY]


def facilitator_secret(workshop_id: int, salt: str, key: str | None = None) -> str:
    """The facilitator secret of one workshop."""
    key = key if key is not None else current_app.config["SECRET_KEY"]
    digest = hmac.new(key.encode(), f"facilitator:{workshop_id}:{salt}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


def check_facilitator_secret(workshop_id: int, salt: str, given: object) -> bool:
    """True when given is the facilitator secret of this workshop, compared in constant time."""
    if not isinstance(given, str) or not given:
        return False
    return _same_secret(facilitator_secret(workshop_id, salt), given)


def staff_secret(key: str | None = None) -> str:
    """The secret that opens the staff pages of this server (creating workshops)."""
    key = key if key is not None else current_app.config["SECRET_KEY"]
    digest = hmac.new(key.encode(), b"staff", hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


def check_staff_secret(given: object) -> bool:
    """True when given is this server's staff secret."""
    return isinstance(given, str) and _same_secret(staff_secret(), given)


def _same_secret(expected: str, given: str) -> bool:
    """Compare in constant time; any text (non-ASCII, broken surrogates) is simply not a match.

    hmac.compare_digest refuses str with characters beyond ASCII, so both are compared as bytes.
    """
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def device_id(create: bool = False) -> str | None:
    """The device id from the signed cookie, making one when create is true."""
    current = session.get(DEVICE_KEY)
    if isinstance(current, str) and len(current) == 32:
        return current
    if not create:
        return None
    session[DEVICE_KEY] = secrets.token_hex(16)
    session.permanent = True
    return session[DEVICE_KEY]
