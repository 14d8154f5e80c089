"""Real PostgreSQL and Redis servers for tests, started on 127.0.0.1 in a temporary folder.

They come from Debian's packages (`.ci/run` installs them). When a binary is missing the test is
skipped on a developer's machine and fails in CI (REQUIRE_SERVERS=1 or CI=true), so a missing
server can never pass for a green run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing(what: str) -> None:
    """Skip, or fail where servers are required, because a server binary is not installed."""
    reason = f"{what} is not installed (apt-get install postgresql redis-server)"
    if os.environ.get("REQUIRE_SERVERS") == "1" or os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _wait_for_port(port: int, process: subprocess.Popen | None, log: Path) -> None:
    """Return once something accepts connections on the port, within START_TIMEOUT."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process is not None and process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"nothing listened on port {port} within {START_TIMEOUT} s")
        time.sleep(0.1)


@dataclass
class Postgres:
    """A running PostgreSQL server that tests own; databases are made and dropped on demand."""

    port: int
    data: Path
    as_user: list[str]
    pg_ctl: str

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        """Run one statement on the maintenance database, outside a transaction."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(statement)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self._admin(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, closing what still uses it."""
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=30,
        )
        shutil.rmtree(self.data.parent, ignore_errors=True)


def start_postgres(folder: Path) -> Postgres:
    """Initialise and start a throwaway PostgreSQL on a free loopback port."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    pg_ctl = shutil.which("pg_ctl") or (found[-1] if found else None)
    if pg_ctl is None:
        missing("PostgreSQL")
    bin_dir = Path(pg_ctl).resolve().parent
    as_user: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run it as the postgres user of Debian's package,
        # in a folder that user can reach (pytest's own temporary folders are private to root).
        user = pwd.getpwnam("postgres")
        folder = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
        folder.chmod(0o755)
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "pgdata"
    subprocess.run([*as_user, "mkdir", "-m", "700", str(data)], check=True)
    result = subprocess.run(
        [
            *as_user,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"initdb failed: {result.stderr[-2000:]}")
    port = free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=300"
    )
    log = folder / "server.log"
    started = subprocess.run(
        [
            *as_user,
            pg_ctl,
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "start",
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    if started.returncode != 0:
        pytest.fail(f"PostgreSQL did not start: {started.stderr[-1000:]} {log.read_text()[-2000:]}")
    _wait_for_port(port, None, log)
    return Postgres(port, data, as_user, pg_ctl)


@dataclass
class Redis:
    """A running Redis server without persistence."""

    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        """The redis:// URL of the server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_redis(folder: Path) -> Redis:
    """Start a throwaway Redis on a free loopback port."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("Redis")
    port = free_port()
    log = folder / "redis.log"
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--logfile",
            str(log),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log.touch()
    _wait_for_port(port, process, log)
    return Redis(port, process)
