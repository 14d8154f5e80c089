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


@blueprint.get("/lang/<lang>")
def set_language(lang: str):
    """Switch the pages to Romanian or English for this browser, then go back."""
    if lang not in ("ro", "en"):
        abort(404)
    target = request.args.get("next", "/")
    # Only paths on this site: never redirect to another host.
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    response.set_cookie("lang", lang, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


@blueprint.get("/j/<code>")
def phone(code: str):
    """The phone page of a workshop; gives this phone its anonymous device cookie."""
    try:
        with current_app.extensions["store"].read() as db:
            workshop = workshops.find(db, code)
            questions = [{"id": q.id, "text": q.text} for q in workshop.questions]
            title, join_code, language = workshop.title, workshop.code, workshop.language
            categories = list(workshop.categories or [])
    except Rejected:
        abort(404)
    device = security.device_id(create=True)
    return render_template(
        "phone.html",
        title=title,
        code=join_code,
        language=language,
        questions=questions,
        categories=categories,
        device=device,
        max_length=current_app.config["MAX_IDEA_LENGTH"],
    )
