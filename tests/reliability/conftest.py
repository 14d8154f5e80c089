"""Fixtures for reliability tests: real servers on 127.0.0.1, clients that talk to them, dumps.

A real server is `facilitation serve` in a subprocess on a free port of 127.0.0.1, with its own
instance folder; tests can kill it with SIGKILL and start it again on the same folder. Every wait
is bounded and every process started here is stopped when its test ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import socketio
from sqlalchemy import select

from facilitation.models import Base

FACILITATION = Path(sys.executable).parent / "facilitation"
START_TIMEOUT = 60.0


def wait_until(condition: Callable[[], object], timeout: float, step: float = 0.05) -> object:
    """The first truthy value of condition, polled until timeout; fails the test otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(step)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """`facilitation serve` in a subprocess, on an instance folder that outlives restarts."""

    instance: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    # A hard limit on the server's open files (as a small machine's), or None to inherit ours.
    open_files: int | None = None
    port: int = 0
    process: subprocess.Popen | None = None
    code: str = ""
    key: str = ""
    output: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> Path:
        """The SQLite file of the instance folder."""
        return self.instance / "board.sqlite3"

    def _limit_open_files(self) -> None:
        """In the child, before the server starts: the open-files limit of a small machine."""
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))

    def start(self) -> LiveServer:
        """Start the server on a fresh port and wait until it answers."""
        self.port = free_port()
        self.code = self.key = ""
        env = {
            **os.environ,
            "INSTANCE_PATH": str(self.instance),
            "PUBLIC_URL": self.base,
            "PYTHONUNBUFFERED": "1",
            **self.env_extra,
        }
        self.process = subprocess.Popen(
            [str(FACILITATION), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=self._limit_open_files if self.open_files else None,
        )
        self._reader = threading.Thread(target=self._read_output, args=(self.process,), daemon=True)
        self._reader.start()
        wait_until(
            lambda: (self.code and self.key) or self.process.poll() is not None, START_TIMEOUT
        )
        if self.process.poll() is not None:
            pytest.fail("server did not start:\n" + "".join(self.output[-30:]))

        def answers() -> bool:
            """True once the phone page answers."""
            try:
                return requests.get(f"{self.base}/j/{self.code}", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(answers, START_TIMEOUT, step=0.1)
        return self

    def _read_output(self, process: subprocess.Popen) -> None:
        """Keep the server's output and pick the join code and facilitator key out of it."""
        for line in process.stdout:
            self.output.append(line)
            if match := re.search(r"Join code:\s+(\S+)", line):
                self.code = match.group(1)
            if match := re.search(r"Board:\s+\S+\?key=(\S+)", line):
                self.key = match.group(1)

    def kill(self) -> None:
        """Kill the server with SIGKILL, as a power cut or the OOM killer would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self._close_output()

    def stop(self) -> None:
        """Stop the server: SIGTERM, then SIGKILL when it does not go."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_output()

    def _close_output(self) -> None:
        """Close the output pipe once the reader has seen its end.

        The server's clustering worker may hold the pipe open for a moment after the server
        dies (it notices within a second and ends); closing the pipe under the reader would
        break the reading thread.
        """
        if getattr(self, "_reader", None) is not None:
            self._reader.join(timeout=15)
        if self.process and self.process.stdout and not self.process.stdout.closed:
            self.process.stdout.close()

    def errors(self) -> list[str]:
        """Lines of the server's log that report an unexpected error of the application.

        Werkzeug logs at ERROR the WebSocket bytes a closing client sends after the upgrade
        ("Bad request syntax"); that is the transport, not the application.
        """
        return [
            line
            for line in self.output
            if "Traceback" in line or (" ERROR " in line and " werkzeug: " not in line)
        ]

    def rows(self, sql: str, *params: object) -> list[tuple]:
        """Rows of a query on the SQLite file (only reads; WAL recovery may need to write)."""
        with closing(sqlite3.connect(self.database, timeout=10)) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture
def live_server(tmp_path) -> Iterator[Callable[..., LiveServer]]:
    """Start real servers for one test; each is stopped when the test ends."""
    started: list[LiveServer] = []

    def start(
        instance: Path | None = None, open_files: int | None = None, **env: str
    ) -> LiveServer:
        """A started server on instance (a fresh folder when None), with extra settings.

        The per-device idea limit is raised: these tests send many ideas from few phones.
        """
        env = {"IDEA_RATE_LIMIT": "10000 per minute", **env}
        server = LiveServer(instance or tmp_path / f"instance-{len(started)}", env, open_files)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


class LivePhone:
    """A phone talking to a real server: a device cookie from the join page, then Socket.IO."""

    def __init__(self, server: LiveServer, cookie: str | None = None) -> None:
        """A phone of server's workshop; reuses cookie (a reload) or opens the join page."""
        self.server = server
        if cookie is None:
            reply = requests.get(f"{server.base}/j/{server.code}", timeout=10)
            reply.raise_for_status()
            cookie = reply.cookies["session"]
        self.cookie = cookie
        self.syncs: list[dict] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("sync", self.syncs.append)

    def connect(self, **auth: object) -> LivePhone:
        """Connect (again) to the server as this phone."""
        self.client.connect(
            self.server.base,
            headers={"Cookie": f"session={self.cookie}"},
            auth={"code": self.server.code, "role": "phone", **auth},
            wait_timeout=10,
        )
        return self

    def submit(self, client_id: str, text: str, timeout: float = 10) -> dict:
        """Send one idea and wait for its acknowledgement."""
        return self.client.call(
            "submit_idea", {"client_id": client_id, "text": text}, timeout=timeout
        )

    def reload(self) -> LivePhone:
        """The same phone after a page reload: a new socket with the same cookie."""
        self.close()
        return LivePhone(self.server, self.cookie).connect()

    def close(self) -> None:
        """Disconnect, whatever state the connection is in."""
        # A killed server may leave the client half-closed.
        with contextlib.suppress(Exception):
            self.client.disconnect()


class LiveBoard:
    """A board or facilitator talking to a real server, keeping what it received in order."""

    def __init__(self, server: LiveServer, role: str = "board") -> None:
        """A board of server's workshop, not yet connected."""
        self.server = server
        self.role = role
        self.syncs: list[dict] = []
        self.updates: list[dict] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("sync", self.syncs.append)
        self.client.on("update", self.updates.append)

    def connect(self, since: int | None = None) -> LiveBoard:
        """Connect with the facilitator key, telling the last seq seen when there is one."""
        auth = {"code": self.server.code, "role": self.role, "key": self.server.key}
        if since is not None:
            auth["since"] = since
        self.client.connect(self.server.base, auth=auth, wait_timeout=10)
        wait_until(lambda: self.syncs, 10)
        return self

    def close(self) -> None:
        """Disconnect."""
        with contextlib.suppress(Exception):
            self.client.disconnect()


def dump(store) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every row of every table, to compare the database before and after a message."""
    tables = {}
    with store.read() as db:
        for table in Base.metadata.sorted_tables:
            rows = db.execute(select(table).order_by(*table.primary_key.columns)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables
