"""The Flask application of the live co-creation board."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import get_locale

from facilitation import (
    headers,
    protocol,
    refusals,
    scripts,
    security,
    serving,
    settings,
    vocabulary,
)
from facilitation.extensions import babel, csrf, socketio
from facilitation.plurals import plural_forms
from facilitation.vocabulary import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: settings, database, extensions, pages and live events."""
    refusals.install()
    instance_path = (
        (test_config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or None
    )
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=instance_path,
        instance_relative_config=True,
    )
    app.config.from_mapping(settings.defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environment())
    if test_config:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _kept_secret_key(instance / "secret_key")
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'board.sqlite3'}"
    app.config.update(
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * app.config["DEVICE_MEMORY_DAYS"],
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
    )
    app.session_interface = security.CookieReadOncePerConnection()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from facilitation.clustering import BackgroundClusterer
    from facilitation.rate_limits import DeviceLimits
    from facilitation.store import Store

    store = Store(app.config["DATABASE_URL"], app.config["SQLITE_BUSY_TIMEOUT_MS"])
    # A server migrates in a child process and never holds Alembic; tests migrate in place.
    store.migrate(in_child=not app.testing)
    app.extensions["store"] = store

    # Before init_app: every declared event handler (facilitation/protocol.py).
    protocol.register(socketio)

    csrf.init_app(app)
    headers.init_app(app)
    if app.config["DEFAULT_LANGUAGE"] not in LANGUAGES:
        raise SystemExit("Setting DEFAULT_LANGUAGE must be ro or en.")
    babel.init_app(app, locale_selector=_locale, default_locale=app.config["DEFAULT_LANGUAGE"])
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["MESSAGE_QUEUE"] or None,
        channel="cocreation-board",
        # Larger than any message the app accepts, so that an oversized idea or theme name is
        # answered `too_long` by its handler instead of the engine closing the socket unanswered.
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
    )
    serving.close_silent_handshakes(socketio.server, app.config["SOCKETIO_CONNECT_TIMEOUT"])
    serving.match_socketio_path(app)
    if app.config["TRUSTED_PROXIES"] > 0:
        # The client's address (for the limits per address) is the proxy's X-Forwarded-For.
        from werkzeug.middleware.proxy_fix import ProxyFix

        trusted = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)
    app.extensions["clusterer"] = BackgroundClusterer(app)
    app.extensions["device_limits"] = DeviceLimits(app)
    app.extensions["room_gauge"] = serving.RoomGauge()

    from facilitation.board.routes import blueprint as board
    from facilitation.exports.routes import blueprint as exports
    from facilitation.participant.routes import blueprint as participant
    from facilitation.previous.routes import blueprint as previous
    from facilitation.staff.routes import blueprint as staff

    app.register_blueprint(participant)
    app.register_blueprint(board)
    app.register_blueprint(staff)
    app.register_blueprint(exports)
    app.register_blueprint(previous)
    app.context_processor(lambda: {"page_lang": str(get_locale())})
    app.jinja_env.globals["plural_forms"] = plural_forms
    # A page names its scripts on every request (the join storm of a full room): the files
    # are read once, and again after an edit only while developing.
    app.jinja_env.globals["module_files"] = lambda entry: scripts.module_files(
        app.static_folder, entry, watch=app.debug
    )
    # The product's words the pages need (facilitation/vocabulary.py), in every template, read
    # where they are declared at each page.
    app.context_processor(
        lambda: {
            "phases": vocabulary.PHASES,
            "vote_targets": vocabulary.VOTE_TARGETS,
            "action_fields": vocabulary.ACTION_FIELDS,
            "languages": vocabulary.LANGUAGES,
            "language_names": vocabulary.LANGUAGE_NAMES,
        }
    )
    return app


def _kept_secret_key(path: Path) -> str:
    """The server key kept in the instance folder, created on first start."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _locale() -> str:
    """The page language: the visitor's choice, else the page's own default (a projected page
    speaks its workshop's language: facilitation.access), else the browser's preference, else the
    default."""
    from flask import current_app, g, request

    chosen = request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if g.get("default_language") in LANGUAGES:
        return g.default_language
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["DEFAULT_LANGUAGE"]
