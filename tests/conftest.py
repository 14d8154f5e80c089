"""Fixtures shared by every test: an application on a fresh SQLite file, and ways to talk to it."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pytest

from facilitation import create_app, security
from facilitation.extensions import socketio

ON_POSTGRES = os.environ.get("TEST_DATABASE") == "postgres"


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A PostgreSQL server for the whole run, when TEST_DATABASE=postgres."""
    from tests.servers import start_postgres

    server = start_postgres(tmp_path_factory.mktemp("postgres"))
    yield server
    server.stop()


@pytest.fixture
def database_url(request):
    """The database of one test: SQLite in its instance folder, or a fresh PostgreSQL database."""
    if not ON_POSTGRES:
        yield None
        return
    server = request.getfixturevalue("postgres")
    url = server.create_database()
    yield url
    server.drop_database(url)


def new_app(instance_path, database_url: str | None = None):
    """An application on its own database in the given instance folder."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": "test-secret-key",
            "TESTING": True,
            "CREATE_DEMO_WORKSHOP": False,
            "PUBLIC_URL": "http://192.0.2.10:5000",
            # Tests read messages in English; tests/facilitation/test_languages.py covers Romanian.
            "DEFAULT_LANGUAGE": "en",
            # Themes computed in the test process: fast and deterministic; one test below
            # checks the worker process.
            "CLUSTERING_WORKERS": 0,
            # Tests run the background loop by hand, round after round; the back-off has its own
            # tests in tests/facilitation/test_background_clustering.py.
            "BACKGROUND_BACKOFF": 0.0,
        }
    )


@pytest.fixture
def app(tmp_path, database_url):
    """An application on its own database in a temporary instance folder."""
    application = new_app(tmp_path / "instance", database_url)
    yield application
    application.extensions["store"].dispose()


@pytest.fixture
def store(app):
    """The application's database."""
    return app.extensions["store"]


@dataclass
class WorkshopRef:
    """A workshop created for a test, with what clients need to reach it."""

    id: int
    code: str
    key: str
    question_ids: list[int]


def new_workshop(app, store) -> WorkshopRef:
    """A Romanian workshop with two questions."""
    from facilitation.operations import workshops

    with store.write() as db:
        created = workshops.create(
            db,
            title="Atelier de test",
            language="ro",
            questions=["Ce oportunități vedeți?", "Cum ne implicăm?"],
        )
        ref = WorkshopRef(created.id, created.code, "", [q.id for q in created.questions])
        salt = created.secret_salt
    with app.app_context():
        ref.key = security.facilitator_secret(ref.id, salt)
    return ref


@pytest.fixture
def workshop(app, store):
    """A Romanian workshop with two questions."""
    return new_workshop(app, store)


def phone_client(app, workshop, since=None, code=None):
    """A phone client with its own device cookie, got by opening the join page."""
    http = app.test_client()
    http.get(f"/j/{workshop.code}")
    auth = {"code": code or workshop.code, "role": "phone"}
    if since is not None:
        auth["since"] = since
    return socketio.test_client(app, flask_test_client=http, auth=auth)


def board_client(app, workshop, role="board", since=None, key=None):
    """A board or facilitator client holding the facilitator key."""
    auth = {"code": workshop.code, "role": role, "key": workshop.key if key is None else key}
    if since is not None:
        auth["since"] = since
    return socketio.test_client(app, auth=auth)


@pytest.fixture
def phone(app, workshop):
    """Make phone clients: each has its own device cookie, got by opening the join page."""
    clients = []

    def connect(since=None, code=None):
        client = phone_client(app, workshop, since, code)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        if client.is_connected():
            client.disconnect()


@pytest.fixture
def board(app, workshop):
    """Make board or facilitator clients holding the facilitator key."""
    clients = []

    def connect(role="board", since=None, key=None):
        client = board_client(app, workshop, role, since, key)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        if client.is_connected():
            client.disconnect()


def restart(app):
    """A second application on the same instance folder and database: a restarted server."""
    return create_app(
        {
            "INSTANCE_PATH": app.instance_path,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SECRET_KEY": app.config["SECRET_KEY"],
            "TESTING": True,
            "DEFAULT_LANGUAGE": "en",
            "CLUSTERING_WORKERS": 0,
            "BACKGROUND_BACKOFF": app.config["BACKGROUND_BACKOFF"],
        }
    )


def drain(client) -> dict[str, list]:
    """Everything a test client received since the last call, by message name."""
    by_name: dict[str, list] = {}
    for message in client.get_received():
        by_name.setdefault(message["name"], []).append(message["args"][0])
    return by_name


def away_from_a_window_turn(window: int = 60, burst: float = 5) -> None:
    """Wait, when needed, so that a burst of `burst` seconds falls inside one window of the
    per-device limits: whole multiples of `window` seconds of the clock (minutes by default).

    The sliding count weighs the last window's hits by the share of it still to run: a burst
    across a window's turn lets one more in than the limit, which a test counting the limit
    exactly would take for a bug.
    """
    into_window = time.time() % window
    if into_window > window - burst:
        time.sleep(window + 0.5 - into_window)
