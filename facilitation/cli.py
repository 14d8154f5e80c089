"""The `facilitation` command: serve the board, create workshops, list settings and events."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import sys

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from analysis import worker as analysis_worker
from facilitation import addresses, create_app, protocol, serving, settings, stalls
from facilitation.demo import ensure_demo_workshop
from facilitation.exports.commands import export_command, restore_command
from facilitation.extensions import socketio
from facilitation.models import Workshop
from facilitation.operations import workshops
from facilitation.operations.errors import Rejected
from facilitation.previous.commands import compare_command, import_previous_command
from facilitation.vocabulary import LANGUAGES

# Garbage collector thresholds while serving (see gc.set_threshold).
GC_THRESHOLDS = (20_000, 50, 100)


@click.group()
def main() -> None:
    """Live co-creation workshop board."""


@main.command()
@click.option("--host", default=None, help="Address to listen on (setting HOST).")
@click.option("--port", default=None, type=int, help="Port to listen on (setting PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Start the server and print the board and join addresses."""
    overrides = {k: v for k, v in {"HOST": host, "PORT": port}.items() if v is not None}
    try:
        app = create_app(overrides)
        app.extensions["store"].check_writable()
    except SQLAlchemyError as error:
        # A read-only, unreadable or damaged database: stop now with one sentence, rather than
        # leave phones waiting for acknowledgements that can never come.
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise click.ClickException(
            f"The database cannot be opened for writing ({reason}); check DATABASE_URL or the "
            "file and its folder's permissions."
        ) from None
    if app.config["ASYNC_MODE"] == "gevent":
        if not _patched_for_gevent():
            _serve_under_gevent(host, port)
        _quiet_dropped_connections()
    host, port = app.config["HOST"], app.config["PORT"]
    base = app.config["PUBLIC_URL"] = addresses.server_base(app)
    store = app.extensions["store"]
    with store.write() as db:
        if app.config["CREATE_DEMO_WORKSHOP"]:
            ensure_demo_workshop(db)
        latest = db.scalar(select(Workshop).order_by(Workshop.id.desc()).limit(1))
    click.echo(f"Database: {store.engine.url.render_as_string(hide_password=True)}")
    open_files = serving.raise_open_files_limit()
    click.echo(
        f"Open files: {open_files}, about {serving.connection_capacity(open_files)} connections "
        "(see docs/deploying.md, Limits)"
    )
    click.echo(f"Listening on {host}:{port} (Socket.IO async_mode={app.config['ASYNC_MODE']})")
    if latest is not None:
        addresses.print_workshop_addresses(app, latest, base)
    sys.stdout.flush()
    clusterer = app.extensions["clusterer"]

    def stop(signum, _frame):  # noqa: ANN001
        """On SIGTERM, let the clustering workers go, then leave."""
        clusterer.stop()
        raise SystemExit(128 + signum)

    extra = {}
    if app.config["ASYNC_MODE"] == "gevent":
        extra["backlog"] = app.config["LISTEN_BACKLOG"]  # passed on to gevent's WSGIServer
        extra["handler_class"] = serving.timed_handler(
            app.config["HTTP_IDLE_TIMEOUT"], app.config["HTTP_REQUEST_TIMEOUT"]
        )
        _stop_under_gevent_on_sigterm(clusterer)
        stalls.watch(float(app.config["STALL_REPORT_MS"]))
    else:
        signal.signal(signal.SIGTERM, stop)
    clusterer.start()
    # Everything loaded so far lives as long as the server: keep it out of the garbage
    # collector's full passes, which otherwise walk it all and hold every connection meanwhile.
    # And collect less often than Python's default (700 new objects): a room's messages make
    # objects fast, and each pass holds every connection (make load: ack p99 261 -> 100-151 ms).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    # Messages from the clustering worker are large and come every few seconds: their memory
    # goes back to the system once read, instead of raising the heap's high-water mark.
    analysis_worker.return_large_blocks()
    socketio.run(
        app,
        host=host,
        port=port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=False,
        **extra,
    )


def _patched_for_gevent() -> bool:
    """Whether gevent patched the standard library of this process before anything else ran."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("socket")


def _stop_under_gevent_on_sigterm(clusterer) -> None:  # noqa: ANN001
    """On SIGTERM, let the clustering workers go, then end the server's main greenlet.

    A plain signal handler would raise in whichever greenlet happens to run (a phone's
    disconnect, say) and be logged as that handler's error; gevent runs this one in its hub.
    """
    import gevent

    main = gevent.getcurrent()

    def stop() -> None:
        clusterer.stop()
        main.throw(SystemExit(128 + signal.SIGTERM))

    gevent.signal_handler(signal.SIGTERM, stop)


def _quiet_dropped_connections() -> None:
    """Do not print a traceback for each phone that drops its connection in mid-answer.

    On venue Wi-Fi that happens all the time; gevent would print the broken pipe of each such
    connection as an error, where the application has nothing to fix.
    """
    import gevent

    hub = gevent.get_hub()
    hub.NOT_ERROR = (*hub.NOT_ERROR, ConnectionError)


def _serve_under_gevent(host: str | None, port: int | None) -> None:
    """Run `serve` again in a fresh interpreter that gevent patched first (never returns).

    gevent serves every connection in one thread of greenlets, so blocking calls of the
    standard library (sockets, locks, `Event.wait`, `time.sleep`) must be gevent's before the
    application creates any of them; this process imported Flask and Flask-SocketIO before it
    could patch. `python -m gevent.monkey` is gevent's own launcher, which patches first.
    """
    arguments = ["serve"]
    if host is not None:
        arguments += ["--host", host]
    if port is not None:
        arguments += ["--port", str(port)]
    sys.stdout.flush()
    sys.stderr.flush()
    # As the package's __main__, so that worker processes started by "spawn" do not import
    # the whole application again as their main module (multiprocessing skips a __main__).
    launcher = [sys.executable, "-c", _LAUNCH_UNDER_GEVENT, "--module", "facilitation"]
    os.execv(sys.executable, [*launcher, *arguments])


# The HTTP and WebSocket client libraries that Engine.IO imports, when they are installed, for
# its client classes: a server never uses them, and they hold about 14 MB of every server
# process (`make run` and the tests install them). The served process is started without them,
# then handed to gevent's launcher (`python -m gevent.monkey`), which patches first.
CLIENT_ONLY_LIBRARIES = ("aiohttp", "requests", "websocket")
_LAUNCH_UNDER_GEVENT = (
    "import runpy, sys\n"
    f"for name in {CLIENT_ONLY_LIBRARIES!r}:\n"
    "    sys.modules.setdefault(name, None)\n"
    "runpy.run_module('gevent.monkey', run_name='__main__', alter_sys=True)\n"
)


@main.command("create-workshop")
@click.option("--title", required=True, help="Title shown on phones and the board.")
@click.option("--language", type=click.Choice(LANGUAGES), default="ro", show_default=True)
@click.option("--date", "date_", default=None, help="Date of the session, YYYY-MM-DD.")
@click.option(
    "--question", "questions", multiple=True, required=True, help="A question; repeat for several."
)
def create_workshop(
    title: str, language: str, date_: str | None, questions: tuple[str, ...]
) -> None:
    """Create a workshop and print its join code and addresses."""
    try:
        date = dt.date.fromisoformat(date_) if date_ else None
    except ValueError:
        raise click.BadParameter(
            "use YYYY-MM-DD, for example 2020-01-20", param_hint="--date"
        ) from None
    app = create_app()
    try:
        with app.extensions["store"].write() as db:
            workshop = workshops.create(
                db, title=title, language=language, date=date, questions=questions
            )
    except Rejected as rejected:
        raise click.ClickException(rejected.message) from None
    addresses.print_workshop_addresses(app, workshop, addresses.server_base(app))


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print docs/settings.md instead of plain text.")
def list_settings(markdown: bool) -> None:
    """List every setting with its default and help text."""
    if markdown:
        click.echo(settings.markdown(), nl=False)
        return
    for setting in settings.SETTINGS:
        click.echo(f"{setting.name} (default: {setting.default!r})\n    {setting.help}")


@main.command("events")
@click.option("--markdown", is_flag=True, help="Print docs/events.md instead of a plain list.")
def list_events(markdown: bool) -> None:
    """List every Socket.IO event with who sends it and its handler."""
    if markdown:
        click.echo(protocol.markdown(), nl=False)
        return
    for event in protocol.EVENTS:
        senders = ", ".join(event.sent_by)
        click.echo(f"{event.name} ({senders}): {event.handler or event.to}")


main.add_command(export_command)
main.add_command(restore_command)
main.add_command(import_previous_command)
main.add_command(compare_command)

if __name__ == "__main__":
    main()
