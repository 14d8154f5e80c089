"""`facilitation export` and `facilitation restore`: documents and archives from the command line.

The heavy libraries (python-docx, openpyxl, matplotlib) are imported only when a command runs,
so the rest of the command line starts as fast as before.
"""

from __future__ import annotations

from pathlib import Path

import click

from facilitation.vocabulary import LANGUAGES

FORMAT_NAMES = ("docx", "md", "csv", "xlsx", "json")


@click.command("export")
@click.argument("workshop")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    required=True,
    help="docx/md: draft action plan; csv: ideas, themes, votes; xlsx: workbook; "
    "json: session archive.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=True, path_type=Path),
    required=True,
    help="File to write. For csv: a folder for the three files, or a name ending in .zip. "
    "For md: the charts go to a charts/ folder beside it.",
)
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the document (default: the action plan's, else the workshop's).",
)
def export_command(workshop: str, fmt: str, out: Path, language: str | None) -> None:
    """Export a workshop (given by its join code) as a document, data or archive."""
    from facilitation import create_app
    from facilitation.exports import archive as archive_module
    from facilitation.exports import figures, formats, tables
    from facilitation.operations import workshops
    from facilitation.operations.errors import Rejected

    app = create_app()
    try:
        with app.extensions["store"].read() as db:
            archive = archive_module.build(db, workshops.find(db, workshop))
    except Rejected as rejected:
        raise click.ClickException(rejected.message) from None
    finally:
        app.extensions["store"].dispose()
    written: list[Path] = []
    if fmt == "csv" and out.suffix.lower() != ".zip":
        out.mkdir(parents=True, exist_ok=True)
        for name, data in tables.csv_files(archive, language or archive.workshop.language).items():
            (out / name).write_bytes(data)
            written.append(out / name)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(formats.FORMATS[fmt].make(archive, language))
        written.append(out)
        if fmt == "md":
            folder = out.parent / "charts"
            folder.mkdir(exist_ok=True)
            chart_language = language or archive.workshop.language
            for name in figures.available(archive):
                for suffix in ("png", "svg"):
                    path = folder / f"{name}.{suffix}"
                    path.write_bytes(figures.draw(archive, name, chart_language, suffix))
                    written.append(path)
    for path in written:
        click.echo(f"Wrote {path}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore a session archive (JSON) as a new workshop with a new join code."""
    from facilitation import addresses, create_app, security
    from facilitation.exports import archive as archive_module
    from facilitation.operations.errors import Rejected

    try:
        archive = archive_module.load_archive(file.read_bytes())
    except archive_module.ArchiveError as error:
        raise click.ClickException(f"{file}: {error}") from None
    app = create_app()
    try:
        with app.extensions["store"].write() as db:
            workshop = archive_module.restore(db, archive)
    except Rejected as rejected:
        raise click.ClickException(f"{file}: {rejected}") from None
    click.echo(
        f"Restored “{archive.workshop.title}” (ideas: {len(archive.ideas)}, "
        f"themes: {len(archive.themes)}, votes: {len(archive.votes)}) as workshop {workshop.code}."
    )
    base = addresses.server_base(app)
    addresses.print_workshop_addresses(app, workshop, base)
    with app.app_context():
        key = security.facilitator_secret(workshop.id, workshop.secret_salt)
    click.echo(f"  Action plan:  {base}/facilitate/{workshop.code}/action-plan?key={key}")
    app.extensions["store"].dispose()
