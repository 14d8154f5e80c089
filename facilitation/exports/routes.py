"""Staff pages for the end of a lab: the action-plan editor and every download.

Each route needs the workshop's facilitator key (`?key=`), checked as on the facilitator page.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from facilitation.access import workshop_for_facilitator
from facilitation.exports import archive as archive_module
from facilitation.exports import figures, formats, plan
from facilitation.exports import labels as label_table
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected
from facilitation.vocabulary import GENERAL_PARTS, LANGUAGES

blueprint = Blueprint("exports", __name__, url_prefix="/facilitate/<code>")


def _archive(code: str) -> archive_module.Archive:
    """The workshop's archive, read in one transaction."""
    with current_app.extensions["store"].read() as db:
        return archive_module.build(db, workshops.find(db, code))


def _language() -> str | None:
    """The document language asked for with ?lang=, if any."""
    language = request.args.get("lang")
    if language is None:
        return None
    if language not in LANGUAGES:
        abort(404)
    return language


@blueprint.get("/action-plan")
def action_plan(code: str, error: str | None = None, status: int = 200):
    """The action-plan editor: themes to choose, actions to edit, settings, downloads."""
    workshop = workshop_for_facilitator(code)
    archive = _archive(code)
    current = plan.effective(archive)
    language = current["language"]
    return render_template(
        "action_plan.html",
        workshop=workshop,
        plan=current,
        words=label_table.texts(language, current["labels"].get(language)),
        defaults=label_table.texts(language),
        editable=label_table.EDITABLE,
        general_parts=GENERAL_PARTS,
        action_rows=plan.ACTION_ROWS,
        stats=archive.statistics,
        charts=figures.available(archive),
        formats=formats.FORMATS,
        saved=request.args.get("saved") == "1",
        error=error,
    ), status


@blueprint.post("/action-plan")
def save_action_plan(code: str):
    """Save the action-plan form, then show the page again."""
    workshop = workshop_for_facilitator(code)
    current = plan.effective(_archive(code))
    try:
        with current_app.extensions["store"].write() as db:
            plan.save(db, workshops.find(db, code), request.form, current)
    except Rejected as rejected:
        return action_plan(code, error=rejected.message, status=400)
    return redirect(
        url_for("exports.action_plan", code=workshop["code"], key=workshop["key"], saved=1)
        + "#saved"
    )


@blueprint.post("/action-plan/actions/<int:theme_id>/title")
def rename_action(code: str, theme_id: int):
    """Rename one chosen action, from the page's warning about automatic theme names."""
    workshop = workshop_for_facilitator(code)
    current = plan.effective(_archive(code))
    try:
        with current_app.extensions["store"].write() as db:
            plan.rename_action(
                db, workshops.find(db, code), current, theme_id, request.form.get("title")
            )
    except Rejected as rejected:
        return action_plan(code, error=rejected.message, status=400)
    return redirect(
        url_for("exports.action_plan", code=workshop["code"], key=workshop["key"], saved=1)
        + "#saved"
    )


@blueprint.get("/export/<name>")
def download(code: str, name: str):
    """One export as a file download: docx, md, csv (a zip of three files), xlsx or json."""
    workshop_for_facilitator(code)
    fmt = formats.FORMATS.get(name)
    if fmt is None:
        abort(404)
    language = _language()
    archive = _archive(code)
    name = formats.file_name(archive, fmt, language)
    return Response(
        fmt.make(archive, language),
        mimetype=fmt.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.get("/charts/<name>.<suffix>")
def chart(code: str, name: str, suffix: str):
    """One chart of the session as PNG or SVG."""
    workshop_for_facilitator(code)
    if name not in figures.CHARTS or suffix not in ("png", "svg"):
        abort(404)
    archive = _archive(code)
    if name not in figures.available(archive):
        abort(404)
    language = _language() or plan.effective(archive)["language"]
    data = figures.draw(archive, name, language, suffix)
    mimetype = "image/png" if suffix == "png" else "image/svg+xml"
    return Response(data, mimetype=mimetype, headers={"Cache-Control": "no-store"})
