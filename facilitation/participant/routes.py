"""Pages for participants: the join form and the phone page."""

from __future__ import annotations

import re
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext

from facilitation import page_rules, security
from facilitation.access import stop_guessing
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected
from facilitation.vocabulary import LANGUAGES

blueprint = Blueprint("participant", __name__)
# Rendered phone pages kept at most (one per workshop, language and address in practice).
MAX_KEPT_PAGES = 256
# A path of this site, with an optional query: letters, digits and URL punctuation, no "\\".
SAME_SITE_PATH = re.compile(r"/[A-Za-z0-9/._~%!$&'()*+,;=:@?-]*")


@blueprint.get("/")
def join_form():
    """The page where a participant types the short code shown on the screen."""
    return render_template("join.html", error=None, code="")


@blueprint.post("/join")
def join():
    """Go from a typed code to that workshop's phone page, or say the code is wrong."""
    code = request.form.get("code", "")
    stop_guessing()
    try:
        with current_app.extensions["store"].read() as db:
            workshop = workshops.find(db, code)
    except Rejected as rejected:
        current_app.extensions["device_limits"].wrong_guess()
        return render_template("join.html", error=rejected.message, code=code[:20]), 404
    return redirect(url_for("participant.phone", code=workshop.code))


@blueprint.get("/lang/<lang>")
def set_language(lang: str):
    """Switch the pages to Romanian or English for this browser, then go back."""
    if lang not in LANGUAGES:
        abort(404)
    response = redirect(same_site_path(request.args.get("next", "/")))
    response.set_cookie("lang", lang, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


def same_site_path(target: str) -> str:
    """target when it is a path on this site, else "/": never an address of another host.

    Browsers drop tabs and line breaks from an address and read a backslash as a slash, so "/",
    a tab, "/evil.example" would lead off the site: only plain path characters pass.
    """
    if SAME_SITE_PATH.fullmatch(target) and not target.startswith("//"):
        return target
    return "/"


@blueprint.get("/j/sw.js")
def service_worker():
    """The phone page's service worker, served under /j/ so that it may serve the phone pages
    (/j/<code>) from a copy when a phone reloads without a network (static/js/phone-sw.js)."""
    script = Path(current_app.static_folder, "js", "phone-sw.js").read_bytes()
    return script, {"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache"}


@blueprint.get("/j/<code>")
def phone(code: str):
    """The phone page of a workshop; gives this phone its anonymous device cookie.

    A whole room opens this page within a minute, so the page is rendered once for each
    distinct content (workshop facts, page language, address) and kept; only the cookie differs
    from phone to phone.
    """
    limits = current_app.extensions["device_limits"]
    stop_guessing()
    try:
        with current_app.extensions["store"].read() as db:
            facts = workshops.page_facts(db, code)
    except Rejected:
        limits.wrong_guess()
        abort(404)
    if security.device_id() is None:
        if current_app.extensions["room_gauge"].full():
            message = gettext(
                "The room is full: this server cannot take more phones right now. Wait a "
                "moment and reload the page, or ask the facilitator."
            )
            page = render_template("join.html", error=message, code=facts.code)
            return page, 503, {"Retry-After": "30"}
        try:
            limits.new_device()
        except Rejected as rejected:
            return render_template("join.html", error=rejected.message, code=facts.code), 429
    security.device_id(create=True)
    key = (facts, request.full_path, str(get_locale()), current_app.config["MAX_IDEA_LENGTH"])
    pages = current_app.extensions.setdefault("phone_pages", {})
    page = pages.get(key)
    if page is None:
        if len(pages) >= MAX_KEPT_PAGES:
            pages.clear()
        page = pages[key] = render_template(
            "phone.html",
            title=facts.title,
            code=facts.code,
            language=facts.language,
            questions=[{"id": q_id, "text": text} for q_id, text in facts.questions],
            categories=list(facts.categories),
            max_length=key[-1],
            rules=page_rules.rules(),
        )
    return page
