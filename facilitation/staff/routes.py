"""Staff pages: the list of workshops and the form that creates one (staff key required)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from facilitation import addresses, security
from facilitation.access import stop_guessing
from facilitation.models import Workshop
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected

blueprint = Blueprint("staff", __name__, url_prefix="/staff")


def _require_staff() -> str:
    """The staff key of the request, or 403."""
    stop_guessing()
    key = request.values.get("key")
    if not security.check_staff_secret(key):
        current_app.extensions["device_limits"].wrong_guess()
        abort(403)
    return key


def _links(workshop: Workshop) -> dict:
    """Addresses of one workshop for the staff list."""
    key = security.facilitator_secret(workshop.id, workshop.secret_salt)
    return {
        "code": workshop.code,
        "title": workshop.title,
        "date": workshop.date,
        "language": workshop.language,
        "board": url_for("board.board", code=workshop.code, key=key),
        "facilitate": url_for("board.facilitate", code=workshop.code, key=key),
        "join": addresses.join_url(workshop.code),
    }


@blueprint.get("")
def home():
    """Every workshop on this server with its addresses, and the creation form."""
    key = _require_staff()
    with current_app.extensions["store"].read() as db:
        listed = [_links(w) for w in db.scalars(select(Workshop).order_by(Workshop.id.desc()))]
    return render_template("staff.html", workshops=listed, key=key, error=None, form={})


@blueprint.post("/workshops")
def create():
    """Create a workshop from the form; its facilitator links appear in the list."""
    key = _require_staff()
    form = request.form
    questions = form.get("questions", "").splitlines()
    try:
        date = dt.date.fromisoformat(form["date"]) if form.get("date") else None
    except ValueError:
        date = "invalid"
    try:
        if date == "invalid":
            raise Rejected("The date must look like 2020-01-20.")
        with current_app.extensions["store"].write() as db:
            workshops.create(
                db,
                title=form.get("title"),
                language=form.get("language", "ro"),
                date=date,
                questions=questions,
            )
    except Rejected as rejected:
        with current_app.extensions["store"].read() as db:
            listed = [_links(w) for w in db.scalars(select(Workshop).order_by(Workshop.id.desc()))]
        return render_template(
            "staff.html", workshops=listed, key=key, error=rejected.message, form=form
        ), 400
    return redirect(url_for("staff.home", key=key))
