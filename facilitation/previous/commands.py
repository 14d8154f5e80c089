"""Commands: `facilitation import-previous` and `facilitation compare` (no database, no server)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from facilitation import settings
from facilitation.operations.errors import Rejected
from facilitation.previous import parsing


def _column_options(function: Any) -> Any:
    """The options that name the columns of a CSV or XLSX file."""
    for name, hint in reversed(
        (
            ("text", "ideas (default: guessed, e.g. text, idee, idea)"),
            ("theme", "theme labels (default: tema, theme, ...; '' for none)"),
            ("question", "questions (default: intrebare, question, ...; '' for none)"),
            ("votes", "votes (default: voturi, votes, puncte, ...; '' for none)"),
        )
    ):
        function = click.option(
            f"--{name}-column",
            f"{name}_column",
            default=None,
            help=f"Column of the {hint}: a header name or a 1-based number.",
        )(function)
    return function


def _columns(**given: str | None) -> dict[str, str | None]:
    """The column overrides given on the command line."""
    return {
        name.removesuffix("_column"): value for name, value in given.items() if value is not None
    }


def read_session(path: Path, columns: dict[str, str | None]) -> parsing.ParsedSession:
    """Read a session file, turning a refusal into a command-line error."""
    try:
        return parsing.parse(path.read_bytes(), path.name, columns=columns)
    except Rejected as rejected:
        raise click.ClickException(f"{path}: {rejected.message}") from None
    except OSError as error:
        raise click.ClickException(f"{path}: {error.strerror}") from None


def _theme_keys(session: parsing.ParsedSession) -> list[str | None] | None:
    """Theme labels of a session, or None when no idea has one (it will be clustered)."""
    labels = [idea.theme for idea in session.ideas]
    return labels if any(labels) else None


def compare_files(
    previous: parsing.ParsedSession,
    current: parsing.ParsedSession,
    semantic: bool = True,
    **thresholds: float,
) -> dict[str, Any]:
    """The comparison report of two parsed sessions (by semantic vectors where the model is
    installed and semantic is true, which also compares sessions in two languages)."""
    from analysis import embedding
    from analysis.compare import compare_sessions  # scikit-learn: not loaded with the server

    previous_texts = [i.text for i in previous.ideas]
    current_texts = [i.text for i in current.ideas]
    vectors: dict[str, Any] = {}
    if semantic and previous_texts and current_texts and embedding.available():
        vectors = {
            "previous_vectors": embedding.embed(previous_texts),
            "current_vectors": embedding.embed(current_texts),
        }
    current_labels = _theme_keys(current)
    result = compare_sessions(
        previous_texts,
        current_texts,
        previous_themes=[i.theme for i in previous.ideas],
        current_themes=current_labels,
        current_labels=None,
        previous_votes=[i.votes for i in previous.ideas],
        **vectors,
        **thresholds,
    )
    report = result.as_dict()
    for theme in report["current_themes"] + report["previous_themes"]:
        theme.pop("key", None)
    report["closest"] = [
        {
            "idea": current.ideas[i].text,
            "previous_idea": previous.ideas[link.previous].text,
            "similarity": link.similarity,
        }
        for i, link in enumerate(result.closest)
        if link is not None
    ]
    report["settings"] = thresholds
    return report


@click.command("compare")
@click.argument("previous", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("current", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the JSON report.",
)
@click.option(
    "--theme-similarity",
    type=float,
    default=settings.BY_NAME["COMPARISON_THEME_SIMILARITY"].default,
    show_default=True,
    help="Setting COMPARISON_THEME_SIMILARITY.",
)
@click.option(
    "--relative-similarity",
    type=float,
    default=settings.BY_NAME["COMPARISON_RELATIVE_SIMILARITY"].default,
    show_default=True,
    help="Setting COMPARISON_RELATIVE_SIMILARITY.",
)
@click.option(
    "--idea-similarity",
    type=float,
    default=settings.BY_NAME["COMPARISON_IDEA_SIMILARITY"].default,
    show_default=True,
    help="Setting COMPARISON_IDEA_SIMILARITY.",
)
@click.option(
    "--semantic/--words",
    default=True,
    show_default=True,
    help="Compare themes by the semantic model where it is installed (either language pair), "
    "or by words (TF-IDF) alone.",
)
@_column_options
def compare_command(
    previous: Path,
    current: Path,
    out: Path,
    theme_similarity: float,
    relative_similarity: float,
    idea_similarity: float,
    semantic: bool,
    **columns: str | None,
) -> None:
    """Compare the themes of CURRENT with those of PREVIOUS (CSV, XLSX, text or archive).

    A file with a theme column keeps its labels as themes; one without is clustered. Writes
    current_themes [{label, ideas, status: recurring|new, matches, match_details: [{label,
    similarity, strength: clear|weak, evidence: [{then, now, similarity}]}]}] and
    previous_themes [{label, ideas, status: recurring|not_raised_again, matches,
    match_details}] to --out (docs/comparison.md).
    """
    given = _columns(**columns)
    report = compare_files(
        read_session(previous, given),
        read_session(current, given),
        semantic=semantic,
        theme_similarity=theme_similarity,
        relative_similarity=relative_similarity,
        idea_similarity=idea_similarity,
    )
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    recurring = sum(t["status"] == "recurring" for t in report["current_themes"])
    click.echo(
        f"{len(report['current_themes'])} themes now ({recurring} recurring), "
        f"{len(report['previous_themes'])} then; report written to {out}"
    )


@click.command("import-previous")
@click.argument("workshop")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="Name of the previous session, e.g. its date.")
@click.option("--date", "date_", default=None, help="Date of the previous session, YYYY-MM-DD.")
@click.option(
    "--illustrative/--real",
    default=None,
    help="Mark it as an illustrative sample (default: as the file's notes say).",
)
@_column_options
def import_previous_command(
    workshop: str,
    file: Path,
    title: str | None,
    date_: str | None,
    illustrative: bool | None,
    **columns: str | None,
) -> None:
    """Import FILE as the previous session of WORKSHOP (its join code); replaces any earlier one."""
    from facilitation import create_app
    from facilitation.operations import workshops
    from facilitation.previous import operations

    try:
        date = dt.date.fromisoformat(date_) if date_ else None
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD, for example 2019-09-30", "--date") from None
    parsed = read_session(file, _columns(**columns))
    app = create_app()
    try:
        with app.app_context(), app.extensions["store"].write() as db:
            session = operations.import_session(
                db,
                workshops.find(db, workshop),
                parsed,
                source=file.name,
                title=title,
                date=date,
                illustrative=illustrative,
            )
            count = len(session.ideas)
    except Rejected as rejected:
        raise click.ClickException(rejected.message) from None
    finally:
        app.extensions["store"].dispose()
    themes = len({i.theme for i in parsed.ideas if i.theme})
    click.echo(
        f"Imported {count} ideas ({themes} theme labels, {parsed.duplicates} duplicate rows "
        f"left out; {parsed.format}, {parsed.encoding or 'binary'}) as the previous session of "
        f"{workshop}."
    )
