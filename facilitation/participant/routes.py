"""Pages for participants: the join form and the phone page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from facilitation import security
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected

blueprint = Blueprint("participant", __name__)


@blueprint.get("/")
def join_form():
    """The page where a participant types the short code shown on the screen."""
    return render_template("join.html", error=None, code="")


@blueprint.post("/join")
def join():
    """Go from a typed code to that workshop's phone page, or say the code is wrong."""
    code = request.form.get("code", "")
    try:
        with current_app.extensions["store"].read() as db:
            workshop = workshops.find(db, code)
    except Rejected as rejected:
        return render_template("join.html", error=rejected.message, code=code[:20]), 404
    return redirect(url_for("participant.phone", code=workshop.code))


@blueprint.get("/j/<code>")
def phone(code: str):
    """The phone page of a workshop; gives this phone its anonymous device cookie."""
    try:
        with current_app.extensions["store"].read() as db:
            workshop = workshops.find(db, code)
            questions = [{"id": q.id, "text": q.text} for q in workshop.questions]
            title, join_code, language = workshop.title, workshop.code, workshop.language
    except Rejected:
        abort(404)
    device = security.device_id(create=True)
    return render_template(
        "phone.html",
        title=title,
        code=join_code,
        language=language,
        questions=questions,
        device=device,
        max_length=current_app.config["MAX_IDEA_LENGTH"],
    )
