"""Who may open a facilitator page: the workshop named in the address, with its key.

Every wrong code or key counts against the client's address (GUESS_RATE_LIMIT); over the
limit, every page that takes a code or key answers 429 for a minute.

A projected page (the board, then and now) speaks the workshop's language unless this device
chose one with the language switch: the laptop on the projector may be set to any language, the
room's is the workshop's.
"""

from __future__ import annotations

from flask import Response, abort, current_app, g, request
from flask_babel import refresh

from facilitation import addresses, security
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected

# Pages for the projector, by endpoint: their default language is the workshop's.
PROJECTED_PAGES = frozenset({"board.board", "previous.then_and_now"})


def workshop_for_facilitator(code: str) -> dict:
    """The workshop named by code, when the request carries its facilitator key; 403 otherwise."""
    limits = current_app.extensions["device_limits"]
    stop_guessing()
    try:
        with current_app.extensions["store"].read() as db:
            workshop = workshops.find(db, code)
            allowed = security.check_facilitator_secret(
                workshop.id, workshop.secret_salt, request.args.get("key")
            )
            view = {"code": workshop.code, "title": workshop.title, "language": workshop.language}
    except Rejected:
        limits.wrong_guess()
        abort(404)
    if not allowed:
        limits.wrong_guess()
        abort(403)
    view["key"] = request.args["key"]
    view["join_url"] = addresses.join_url(view["code"])
    if request.endpoint in PROJECTED_PAGES:
        g.default_language = view["language"]
        refresh()
    return view


def stop_guessing() -> None:
    """Answer 429 when this address sent too many wrong codes or keys in the last minute."""
    try:
        current_app.extensions["device_limits"].check_guessing()
    except Rejected as rejected:
        abort(Response(rejected.message, 429, mimetype="text/plain"))
