"""Starting on a database that cannot be written stops at once with one sentence; a server
killed with SIGKILL leaves no process behind.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability.conftest import FACILITATION, free_port, wait_until

pytestmark = pytest.mark.slow


def _serve(instance: Path, **env: str) -> subprocess.CompletedProcess:
    """Run `facilitation serve` until it exits by itself (within a minute)."""
    return subprocess.run(
        [str(FACILITATION), "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        env={**os.environ, "INSTANCE_PATH": str(instance), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _made_database(instance: Path) -> Path:
    """An instance folder with a migrated database and a workshop in it."""
    subprocess.run(
        [str(FACILITATION), "create-workshop", "--title", "Atelier", "--question", "Ce?"],
        env={**os.environ, "INSTANCE_PATH": str(instance)},
        capture_output=True,
        check=True,
        timeout=60,
    )
    return instance / "board.sqlite3"


def _rows(database: Path) -> int:
    """How many workshops the database holds."""
    with closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT count(*) FROM workshops").fetchone()[0]


@pytest.mark.parametrize("kind", ["read-only", "not a database"])
def test_a_database_that_cannot_be_written_stops_the_server_at_start(tmp_path, kind):
    """A read-only database, or a file that is not a database, stops `serve` within seconds
    with one sentence naming the problem, no traceback, and nothing changed."""
    instance = tmp_path / "instance"
    database = _made_database(instance)
    env = {}
    if kind == "read-only":
        env["DATABASE_URL"] = f"sqlite:///file:{database}?mode=ro&uri=true"
        before = database.read_bytes()
    else:
        database.write_bytes(b"\x00garbage" * 500)
        before = database.read_bytes()
    done = _serve(instance, **env)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "Traceback" not in output
    (sentence,) = [line for line in output.splitlines() if line.startswith("Error:")]
    assert "cannot be opened for writing" in sentence
    expected = "readonly" if kind == "read-only" else "not a database"
    assert expected in sentence
    assert database.read_bytes() == before
    if kind == "read-only":
        assert _rows(database) == 1


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_the_clustering_worker_ends_when_the_server_is_killed(live_server):
    """After SIGKILL of the server, each process it started (the clustering worker) ends within
    a few seconds instead of staying behind as an orphan."""
    server = live_server()
    workers = wait_until(lambda: _children(server.process.pid), 30)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    wait_until(lambda: not any(_running(pid) for pid in workers), 15)
