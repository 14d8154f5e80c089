"""Who may open a facilitator page: the workshop named in the address, with its key."""

from __future__ import annotations

from flask import abort, current_app, request

from facilitation import addresses, security
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected


def workshop_for_facilitator(code: str) -> dict:
    """The workshop named by code, when the request carries its facilitator key; 403 otherwise."""
    try:
        with current_app.extensions["store"].read() as db:
            workshop = workshops.find(db, code)
            allowed = security.check_facilitator_secret(
                workshop.id, workshop.secret_salt, request.args.get("key")
            )
            view = {"code": workshop.code, "title": workshop.title, "language": workshop.language}
    except Rejected:
        abort(404)
    if not allowed:
        abort(403)
    view["key"] = request.args["key"]
    view["join_url"] = addresses.join_url(view["code"])
    return view
