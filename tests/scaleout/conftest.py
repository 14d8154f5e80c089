"""Scale-out fixtures: real PostgreSQL and Redis, and several `facilitation serve` processes.

Every process started here listens on 127.0.0.1 only, every wait is bounded, and everything is
stopped when its test (or the session, for the database servers) ends.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import socketio

from tests.servers import Postgres, Redis, free_port, start_postgres, start_redis

pytestmark = pytest.mark.scaleout
FACILITATION = Path(sys.executable).parent / "facilitation"
START_TIMEOUT = 60.0
EVENT_TIMEOUT = 15.0


def stays_true(condition: Callable[[], bool], seconds: float) -> None:
    """Check that condition holds throughout a bounded observation window."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition()
        time.sleep(0.1)


def wait_until(condition: Callable[[], object], timeout: float = EVENT_TIMEOUT) -> object:
    """The first truthy value of condition, polled until timeout; fails the test otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> Iterator[Postgres]:
    """One PostgreSQL server for the scale-out tests."""
    server = start_postgres(tmp_path_factory.mktemp("scaleout-pg"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[Redis]:
    """One Redis server for the scale-out tests."""
    server = start_redis(tmp_path_factory.mktemp("scaleout-redis"))
    yield server
    server.stop()


@dataclass
class ServerProcess:
    """One `facilitation serve` process of a shared deployment."""

    port: int
    process: subprocess.Popen
    log: Path
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        """The process's own address."""
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """Kill the process at once, as a crash would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the process politely, then firmly."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process.stdout:
            self.process.stdout.close()


@dataclass
class Deployment:
    """Several server processes on one PostgreSQL database and one Redis queue."""

    processes: list[ServerProcess]
    code: str
    key: str
    database: str


def _start(port: int, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, queue.Queue]:
    """Start one server process; its output lines are copied to a queue and to the log."""
    process = subprocess.Popen(
        [str(FACILITATION), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def copy() -> None:
        with log.open("w") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                lines.put(line)

    threading.Thread(target=copy, daemon=True).start()
    return process, lines


def _wait_serving(server: ServerProcess) -> None:
    """Return once the process answers HTTP."""

    def answers() -> bool:
        if server.process.poll() is not None:
            pytest.fail(f"server exited: {server.log.read_text()[-3000:]}")
        try:
            return requests.get(server.base + "/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_until(answers, START_TIMEOUT)


@pytest.fixture
def deployment(postgres_server, redis_server, tmp_path) -> Iterator[Callable[..., Deployment]]:
    """Start N server processes sharing a fresh database and the Redis queue."""
    started: list[ServerProcess] = []

    def start(count: int = 2, **settings: str) -> Deployment:
        database = postgres_server.create_database()
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "MESSAGE_QUEUE": redis_server.url,
            "SECRET_KEY": "scale-out-test-key",
            "RECLUSTER_INTERVAL": "0.5",
            "PYTHONUNBUFFERED": "1",
            "PUBLIC_URL": "",
            **settings,
        }
        code = key = ""
        for n in range(count):
            port = free_port()
            instance = tmp_path / f"instance-{n}"
            env_n = {**env, "INSTANCE_PATH": str(instance)}
            process, lines = _start(port, env_n, tmp_path / f"server-{n}.log")
            server = ServerProcess(port, process, tmp_path / f"server-{n}.log")
            started.append(server)
            if n == 0:
                # The first process creates the demo workshop; read its code and key.
                deadline = time.monotonic() + START_TIMEOUT
                while not (code and key):
                    try:
                        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                    except queue.Empty:
                        pytest.fail(f"no addresses printed: {server.log.read_text()[-3000:]}")
                    if match := re.search(r"Join code:\s+(\S+)", line):
                        code = match.group(1)
                    if match := re.search(r"Board:\s+\S+key=(\S+)", line):
                        key = match.group(1)
            _wait_serving(server)
        return Deployment(started[-count:], code, key, database)

    yield start
    for server in started:
        server.stop()


class Client:
    """A python-socketio client that records every `update` it receives."""

    def __init__(self, base: str, auth: dict, cookies: str | None = None) -> None:
        """Connect to base with auth (and a cookie header for phones)."""
        self.cookies = cookies
        self.updates: list[dict] = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("update", self.updates.append)
        self.sio.on("sync", lambda sync: None)
        headers = {"Cookie": cookies} if cookies else {}
        self.sio.connect(
            base, auth=auth, headers=headers, transports=["websocket"], wait_timeout=10
        )

    def call(self, event: str, data: dict) -> dict:
        """Send an event and return its acknowledgement."""
        return self.sio.call(event, data, timeout=EVENT_TIMEOUT)

    def kinds(self) -> list[str]:
        """Kinds of the updates received so far."""
        return [u["kind"] for u in self.updates]

    def close(self) -> None:
        """Disconnect."""
        self.sio.disconnect()


@pytest.fixture
def clients() -> Iterator[Callable[..., Client]]:
    """Open phones and boards against given processes; all closed at the end."""
    opened: list[Client] = []

    def open_client(
        server: ServerProcess, deployment: Deployment, role: str, cookies: str | None = None
    ) -> Client:
        if role == "phone" and cookies is None:
            session = requests.Session()
            session.get(f"{server.base}/j/{deployment.code}", timeout=10).raise_for_status()
            cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        auth = {"code": deployment.code, "role": role}
        if role != "phone":
            auth["key"] = deployment.key
        client = Client(server.base, auth, cookies)
        opened.append(client)
        return client

    yield open_client
    # Over a WebSocket, a python-socketio client's disconnect waits 3 s for the server's closing
    # frame (against a bare Flask-SocketIO server too): the clients close together, not in turn.
    closing = [
        threading.Thread(target=client.close, daemon=True)
        for client in opened
        if client.sio.connected
    ]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join(timeout=15)
