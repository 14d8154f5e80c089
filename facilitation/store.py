"""The database: one engine per application, short transactions, migrations at start-up.

SQLite (the default) runs in WAL mode with a busy timeout, and write transactions start with
BEGIN IMMEDIATE so that two writers queue on the lock instead of failing half-way. Within one
process, writers queue on the write engine's single pooled connection instead: SQLite allows one
writer anyway, and waiting in SQLite's busy handler would block gevent's only thread (and with
it the writer being waited for) until the busy timeout. The same code runs on PostgreSQL when
DATABASE_URL says so.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration (migrations/versions; a test checks it is Alembic's head). A database at
# this revision is not migrated; one behind is migrated by a child process when a server starts,
# so that a server never loads Alembic and its template engine (about 10 MB).
SCHEMA_REVISION = "0012"
# The environment variable through which `migrate(in_child=True)` names the database to its child.
MIGRATE_URL = "FACILITATION_MIGRATE_URL"
# Ids bound in one IN list at most (SQLite allows 32,766 bound values; kept well below).
IN_BATCH = 900
# Rows of a long read between two chances for the server's other work to run (`in_slices`).
SLICE_ROWS = 500
T = TypeVar("T")


class Store:
    """Opens sessions on the application's database."""

    def __init__(self, url: str, sqlite_busy_timeout_ms: int = 10000) -> None:
        """Create the engine for url; nothing is read or written yet."""
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            # Writers get their own engine whose transactions start with BEGIN IMMEDIATE, on one
            # connection that they take in turn (a wait the async mode can schedule around).
            self.engine = create_engine(url, connect_args={"check_same_thread": False})
            self._configure_sqlite(self.engine, sqlite_busy_timeout_ms, immediate=False)
            self.write_engine = create_engine(
                url,
                connect_args={"check_same_thread": False},
                pool_size=1,
                max_overflow=0,
                pool_timeout=max(sqlite_busy_timeout_ms / 1000, 1.0),
            )
            self._configure_sqlite(self.write_engine, sqlite_busy_timeout_ms, immediate=True)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            self.write_engine = self.engine
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)

    @staticmethod
    def _configure_sqlite(engine: Engine, busy_timeout_ms: int, immediate: bool) -> None:
        """WAL mode, busy timeout, foreign keys; BEGIN IMMEDIATE when immediate."""

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection, _record):  # noqa: ANN001
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def on_begin(connection):  # noqa: ANN001
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed when the block ends without error."""
        with self._write_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write_statements(self) -> Iterator[Connection]:
        """`write` without an ORM session: a connection in one write transaction, for a hot
        path of prebuilt Core statements (an idea's), which needs no identity map or flush."""
        with self.write_engine.begin() as connection:
            yield connection

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session, session.begin():
            yield session

    def revision(self) -> str | None:
        """The schema's Alembic revision, or None for a database without one (a new one)."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self, *, in_child: bool = False) -> None:
        """Bring the schema up to the newest Alembic revision.

        With in_child the migration runs in a child Python process, so that this one, a
        long-lived server, never loads Alembic and its template engine (about 10 MB, kept for
        the process's life once imported); tests migrate in place, which is quicker.
        """
        if self.revision() == SCHEMA_REVISION:
            return
        if in_child:
            done = subprocess.run(
                [sys.executable, "-m", "facilitation.store"],
                env={**os.environ, MIGRATE_URL: self.url},
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0 or self.revision() != SCHEMA_REVISION:
                raise RuntimeError(f"The database could not be migrated:\n{done.stderr[-3000:]}")
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def check_writable(self) -> None:
        """Write to the database once, harmlessly: a read-only or broken one fails now, not when
        the first phone's idea arrives."""
        with self.write() as db:
            db.execute(text("UPDATE alembic_version SET version_num = version_num"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        self.write_engine.dispose()


def in_slices(rows: Iterable[T], every: int | None = None) -> Iterator[T]:
    """The rows of a long read, letting the server's other work run after every `every` rows
    (SLICE_ROWS by default).

    Under gevent (the server's loop, monkey-patched) `time.sleep(0)` switches to the phones and
    boards waiting; in a thread it only offers the interpreter to other threads. Only for reads:
    a write transaction must not wait on others while it holds the write lock.
    """
    every = every or SLICE_ROWS
    for count, row in enumerate(rows, 1):
        yield row
        if count % every == 0:
            time.sleep(0)


def main() -> None:
    """`python -m facilitation.store`: migrate the database that MIGRATE_URL names."""
    Store(os.environ[MIGRATE_URL]).migrate()


if __name__ == "__main__":
    main()
