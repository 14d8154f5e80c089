"""Pages: importing the previous session (staff), and the projected "then and now" view.

Every page needs the workshop's facilitator key, like the other facilitator pages. Importing is
two steps for CSV and XLSX files (preview and choose the columns, then import) and one step for
text and archives; a refused file stores nothing and the page names the row and the problem.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext

from facilitation.access import workshop_for_facilitator
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected
from facilitation.previous import operations, parsing, sandbox

blueprint = Blueprint("previous", __name__)
PREVIEW_ROWS = 8
CHARTS = ("sizes", "similarity")
FORMATS = ("png", "svg")


def _page(workshop: dict, **context):  # noqa: ANN003
    """The import page with the workshop's current previous session."""
    with current_app.extensions["store"].read() as db:
        session = operations.find(db, workshops.find(db, workshop["code"]))
        current = operations.summary(session) if session is not None else None
        themes = sorted({i.theme for i in session.ideas if i.theme}) if session else []
        progress = _progress(db, session)
    context.setdefault("error", None)
    context.setdefault("preview", None)
    context.setdefault("message", request.args.get("done") and gettext("Imported."))
    return render_template(
        "previous_session.html",
        workshop=workshop,
        current=current,
        themes=themes,
        progress=progress,
        **context,
    )


def _progress(db, session) -> dict[str, int] | None:  # noqa: ANN001
    """How far the background embedding of the previous session's ideas is, or None where the
    semantic comparison is off (TF-IDF alone: nothing to wait for)."""
    if session is None or not current_app.config["SEMANTIC_THEMES"]:
        return None
    done, total = operations.embedding_progress(db, session)
    return {"done": done, "total": total}


@blueprint.get("/facilitate/<code>/previous/progress.json")
def embedding_progress(code: str):
    """The import page's progress line: ideas of the previous session embedded so far."""
    workshop = workshop_for_facilitator(code)
    with current_app.extensions["store"].read() as db:
        session = operations.find(db, workshops.find(db, workshop["code"]))
        return jsonify(_progress(db, session))


@blueprint.get("/facilitate/<code>/previous")
def previous_session(code: str):
    """The previous session of a workshop, and the form that imports one."""
    return _page(workshop_for_facilitator(code))


@blueprint.post("/facilitate/<code>/previous")
def import_previous(code: str):
    """Import an uploaded file; CSV and XLSX first show a preview to choose the columns."""
    workshop = workshop_for_facilitator(code)
    form = request.form
    try:
        data, filename = _uploaded()
        columns = (
            {name: form.get(f"column_{name}", "") for name in parsing.FIELDS}
            if form.get("confirm")
            else None
        )
        # Read in a separate process with limits on memory and time (see sandbox).
        kind, parsed = sandbox.read(
            data,
            filename,
            columns=columns,
            preview_rows=None if form.get("confirm") else PREVIEW_ROWS,
            memory_mb=current_app.config["IMPORT_MEMORY_MB"],
            seconds=current_app.config["IMPORT_TIME_LIMIT"],
        )
        if kind == "preview":
            return _page(workshop, preview=_preview(parsed, data, filename), form=form)
        date = _date(form.get("date"))
        with current_app.extensions["store"].write() as db:
            operations.import_session(
                db,
                workshops.find(db, code),
                parsed,
                source=filename,
                title=form.get("title") or None,
                date=date,
                illustrative=bool(form.get("illustrative")) or parsed.illustrative,
            )
    except Rejected as rejected:
        return _page(workshop, error=rejected.message, form=form), 400
    return redirect(
        url_for("previous.previous_session", code=workshop["code"], key=workshop["key"], done=1)
    )


@blueprint.post("/facilitate/<code>/previous/remove")
def remove_previous(code: str):
    """Forget the workshop's previous session."""
    workshop = workshop_for_facilitator(code)
    with current_app.extensions["store"].write() as db:
        operations.remove(db, workshops.find(db, code))
    return redirect(
        url_for("previous.previous_session", code=workshop["code"], key=workshop["key"])
    )


def _uploaded() -> tuple[bytes, str]:
    """The file of the form: uploaded now, or carried over from the preview step."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        with upload.stream:  # a large upload is spooled to a temporary file: close it now
            return upload.read(), upload.filename
    carried = request.form.get("file_data")
    if carried:
        try:
            return base64.b64decode(carried, validate=True), request.form.get("file_name", "")
        except (binascii.Error, ValueError):
            pass
    raise Rejected("Choose a file to import.", "bad_file")


def _date(value: str | None) -> dt.date | None:
    """A date typed in the form, or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Rejected("The date must look like 2020-01-20.") from None


def _preview(table: dict, data: bytes, filename: str) -> dict:
    """The first rows of a table and the columns guessed for each field, and the file itself."""
    return {**table, "file_data": base64.b64encode(data).decode("ascii"), "file_name": filename}


@blueprint.get("/board/<code>/then-and-now")
def then_and_now(code: str):
    """The projected view: today's themes against the previous session's, live."""
    return render_template(
        "then_and_now.html", workshop=workshop_for_facilitator(code), controls=False
    )


@blueprint.get("/facilitate/<code>/then-and-now")
def then_and_now_controls(code: str):
    """The facilitator's then-and-now controls: the same view, with each match to confirm,
    reject or undo, and a form to match a theme of today with an earlier theme by hand."""
    return render_template(
        "then_and_now.html", workshop=workshop_for_facilitator(code), controls=True
    )


@blueprint.get("/board/<code>/then-and-now.json")
def then_and_now_data(code: str):
    """The last comparison sent to boards, as JSON: null without a previous session, and
    `pending` while the worker has not made the first one (it then arrives as an event)."""
    workshop_for_facilitator(code)
    with current_app.extensions["store"].read() as db:
        workshop = workshops.find(db, code)
        session = operations.find(db, workshop)
        comparison = operations.stored_comparison(db, workshop)
        return jsonify(
            {
                "seq": workshop.last_seq,
                "comparison": comparison,
                "pending": session is not None and comparison is None,
                # What the page can say meanwhile: the previous session's name, illustrative.
                "previous_session": operations.summary(session) if session is not None else None,
            }
        )


@blueprint.get("/board/<code>/then-and-now/<chart>.<fmt>")
def then_and_now_chart(code: str, chart: str, fmt: str):
    """A chart of the comparison as PNG or SVG, as the worker drew it with the comparison:
    theme sizes then and now, or similarities; 503 "pending" until the first one is drawn."""
    workshop_for_facilitator(code)
    if chart not in CHARTS or fmt not in FORMATS:
        abort(404)
    language = str(get_locale())
    with current_app.extensions["store"].read() as db:
        workshop = workshops.find(db, code)
        if operations.find(db, workshop) is None:
            abort(404)
        body = operations.stored_chart(db, workshop, f"{chart}.{fmt}", language)
    if body is None:
        return Response(
            gettext("The comparison is being worked out; it appears here as soon as it is ready."),
            status=503,
            mimetype="text/plain",
            headers={"Retry-After": "5", "Cache-Control": "no-store"},
        )
    mimetype = "image/png" if fmt == "png" else "image/svg+xml"
    download = request.args.get("download")
    headers = {"Cache-Control": "no-store"}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="then-and-now-{chart}.{fmt}"'
    return Response(body, mimetype=mimetype, headers=headers)
