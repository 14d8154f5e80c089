"""Pages for the projector (board) and the facilitator's controls, and the join QR code."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for

from facilitation import addresses, page_rules
from facilitation.access import workshop_for_facilitator
from facilitation.board.action_log import readable
from facilitation.operations import audit, workshops
from facilitation.operations.errors import Rejected

blueprint = Blueprint("board", __name__)


@blueprint.get("/board/<code>")
def board(code: str):
    """The projected board: themes filling up live, join code and QR code always visible."""
    return render_template(
        "board.html", workshop=workshop_for_facilitator(code), rules=page_rules.rules()
    )


@blueprint.get("/facilitate/<code>")
def facilitate(code: str):
    """The facilitator's controls: hide, move, rename, open and close submissions."""
    return render_template(
        "facilitate.html", workshop=workshop_for_facilitator(code), rules=page_rules.rules()
    )


@blueprint.get("/j/<code>/qr.svg")
def join_qr(code: str):
    """The QR code of a workshop's join address."""
    try:
        with current_app.extensions["store"].read() as db:
            workshop_code = workshops.find(db, code).code
    except Rejected:
        abort(404)
    svg = addresses.qr_svg(addresses.join_url(workshop_code))
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "max-age=300"})


@blueprint.get("/facilitate/<code>/log")
def action_log(code: str):
    """The audit log: every facilitator action on the workshop, for staff, as sentences."""
    workshop = workshop_for_facilitator(code)
    with current_app.extensions["store"].read() as db:
        found = workshops.find(db, code)
        entries = readable(db, found, audit.log(db, found))
    return render_template("action_log.html", workshop=workshop, entries=entries)


@blueprint.get("/favicon.ico")
def favicon():
    """Browsers that ask for the icon at the old address get the page's own (an SVG)."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
