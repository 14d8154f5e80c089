"""The embedded database: WAL mode, busy timeout, migrations, concurrent writers."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from facilitation.models import Base, Idea, Participant
from facilitation.operations import ideas as idea_ops
from facilitation.store import MIGRATIONS, SCHEMA_REVISION, Store
from tests.conftest import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store):
    """The default database is SQLite in WAL mode with a busy timeout."""
    with store.read() as db:
        assert db.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.execute(text("PRAGMA busy_timeout")).scalar() == 10000


def test_schema_comes_from_alembic_migrations(store):
    """The database is at the newest Alembic revision, and the models match the migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head == SCHEMA_REVISION  # the server skips Alembic for a database at this revision
    with store.read() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []


def test_a_database_behind_is_migrated_and_one_up_to_date_is_left_alone(store):
    """Starting the server on an older database upgrades it; on a current one, twice, is safe."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    assert store.revision() not in (None, SCHEMA_REVISION)
    store.migrate()
    assert store.revision() == SCHEMA_REVISION
    store.migrate()
    assert store.revision() == SCHEMA_REVISION


def test_a_server_migrates_in_a_child_process_and_never_loads_alembic(tmp_path, database_url):
    """A server (not a test app) migrates a new database, and one behind, in a child process."""
    script = (
        "import sys\n"
        "from facilitation import create_app\n"
        "app = create_app({'INSTANCE_PATH': sys.argv[1], 'DATABASE_URL': sys.argv[2] or None,"
        " 'SECRET_KEY': 'k', 'CREATE_DEMO_WORKSHOP': False, 'CLUSTERING_WORKERS': 0})\n"
        "print(app.extensions['store'].revision(), 'alembic' in sys.modules)\n"
    )
    command_line = [sys.executable, "-c", script, str(tmp_path), database_url or ""]
    done = subprocess.run(command_line, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-2:] == [SCHEMA_REVISION, "False"]
    store = Store(database_url or f"sqlite:///{tmp_path / 'board.sqlite3'}")
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "-1")
        store.migrate(in_child=True)
        assert store.revision() == SCHEMA_REVISION
    finally:
        store.dispose()


def test_concurrent_submissions_are_all_stored_once(app, store, workshop):
    """Many threads writing at once lose nothing and duplicate nothing."""
    with store.write() as db:
        from facilitation.models import Workshop

        w = db.get(Workshop, workshop.id)
        participant = Participant(workshop_id=w.id, device_id="d" * 32)
        db.add(participant)
        db.flush()
        participant_id = participant.id
    errors = []

    def writer(n: int) -> None:
        try:
            for k in range(10):
                for _attempt in range(2):  # each idea sent twice, as a retrying phone would
                    with store.write() as db:
                        idea_ops.submit(
                            db,
                            workshop.id,
                            participant_id,
                            client_id=f"thread{n}-idea{k:03d}",
                            text=f"Idee {n}-{k}",
                        )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with store.read() as db:
        assert db.scalar(select(func.count(Idea.id))) == 80
        assert db.scalar(select(func.count(func.distinct(Idea.client_id)))) == 80
