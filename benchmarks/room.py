"""A room of phones and boards against a real server: the machinery of `make load`.

Starts a server (the application, or the bare Flask-SocketIO echo floor) on 127.0.0.1, joins phones
that send real statements at a set rate, times each acknowledgement and each board update, and
reads the server's memory and CPU. `benchmarks/load.py` (one process) and
`benchmarks/load_scaleout.py` (several processes on PostgreSQL and Redis) run rooms with it and
print the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import csv
import os
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import socketio

from benchmarks.contention import Contention, page_urls

ROOT = Path(__file__).resolve().parent.parent
COMMENTS = ROOT.parent / "shared/data/polis/march-on.operation-marchin-orders/comments.csv"
VENV_BIN = Path(sys.executable).parent
ACK_TIMEOUT = 10.0  # seconds a phone waits for an acknowledgement before sending again
SEND_ATTEMPTS = 3
TARGETS = {
    "connect_all_s": 10.0,
    "ack_p99_ms": 150.0,
    "board_p99_ms": 300.0,
    "theme_p99_ms": 2000.0,
    "slice_p99_ms": 300.0,
    "server_rss_mb": 250.0,
    "worker_rss_mb": 350.0,
    "floor_ratio": 3.0,  # app p99 / echo floor p99, under the same contention
    "cpu_ratio": 2.0,  # app CPU per acknowledged idea / the floor's
}
# The theme-follows target holds for a room sending at most this many ideas per second.
THEME_RATE = 10.0


# ---------------------------------------------------------------------------------------------
# The statements phones send


def statements(path: Path = COMMENTS, max_length: int = 500) -> list[str]:
    """Real statements in the order they were written, without those moderated out (-1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("moderated") != "-1"]
    rows.sort(key=lambda r: int(r["timestamp"]))
    texts = [r["comment-body"].strip() for r in rows]
    # The server refuses control characters and over-long text; a phone would too.
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    return [t for t in texts if t and len(t) <= max_length and not control.search(t)]


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) of values, nearest-rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# ---------------------------------------------------------------------------------------------
# Server processes


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServerProcess:
    """A server started as a subprocess on 127.0.0.1, with its join code and board key."""

    command: list[str]
    env: dict[str, str]
    port: int
    process: subprocess.Popen | None = None
    code: str = ""
    key: str = ""
    output: list[str] = field(default_factory=list)
    peak_rss: int = 0  # the server and its clustering workers together, sampled at once
    peak_main_rss: int = 0  # the server process alone
    peak_workers_rss: int = 0  # its child processes (the clustering workers) alone
    _sampling: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        """Start the process, read its join code and key, and wait until it answers."""
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read_output, daemon=True).start()
        threading.Thread(target=self._sample_memory, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not (self.code and self.key):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not start:\n" + "".join(self.output[-40:]))
            time.sleep(0.05)
        import urllib.request

        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/j/{self.code}", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server does not answer:\n" + "".join(self.output[-40:]))
            time.sleep(0.1)

    def _read_output(self) -> None:
        """Keep the server's output, and pick the join code and board key out of it."""
        for line in self.process.stdout:
            self.output.append(line)
            if match := re.search(r"Join code:\s+(\S+)", line):
                self.code = match.group(1)
            if match := re.search(r"Board:\s+\S+/board/\S+\?key=(\S+)", line):
                self.key = match.group(1)

    def _sample_memory(self) -> None:
        """Record peak resident memory (server, workers, their sum) until the server stops."""
        try:
            watched = psutil.Process(self.process.pid)
        except psutil.Error:
            return
        while not self._sampling.wait(0.25):
            try:
                main = watched.memory_info().rss
            except psutil.Error:
                return
            workers = 0
            with contextlib.suppress(psutil.Error):
                for child in watched.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        workers += child.memory_info().rss
            self.peak_main_rss = max(self.peak_main_rss, main)
            self.peak_workers_rss = max(self.peak_workers_rss, workers)
            self.peak_rss = max(self.peak_rss, main + workers)

    def children_cpu_seconds(self) -> float:
        """CPU time the server's live child processes (clustering workers) used so far."""
        total = 0.0
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(self.process.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    times = child.cpu_times()
                    total += times.user + times.system
        return total

    def cpu_seconds(self) -> float:
        """CPU time the server used so far (user + system)."""
        try:
            times = psutil.Process(self.process.pid).cpu_times()
            return times.user + times.system
        except psutil.Error:
            return float("nan")

    def stop(self) -> None:
        """Stop the server: SIGTERM, then SIGKILL after a few seconds."""
        self._sampling.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


# Every phone of the room joins from 127.0.0.1, as a venue's phones come from its one public
# address: the limit of new devices per address is raised to the largest room the benchmarks
# make (2,000 phones), as docs/deploying.md tells a venue larger than 600 to do.
ROOM_BEHIND_ONE_ADDRESS = {"NEW_DEVICE_RATE_LIMIT": "2000 per minute"}


def this_tree() -> dict[str, str]:
    """The environment that makes a server started from here run this checkout's code.

    The virtual environment's editable install points at the checkout it was installed from; a
    second checkout (a git worktree sharing the environment, to measure an older tree beside the
    newest) would otherwise start that one's server, and compare a tree with itself.
    """
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {"PYTHONPATH": os.pathsep.join(path for path in paths if path)}


def app_server(async_mode: str, instance: Path) -> ServerProcess:
    """The real server, in async_mode, on a fresh instance folder."""
    port = free_port()
    env = {
        **os.environ,
        **ROOM_BEHIND_ONE_ADDRESS,
        "INSTANCE_PATH": str(instance),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ASYNC_MODE": async_mode,
        "CREATE_DEMO_WORKSHOP": "true",
        "PYTHONUNBUFFERED": "1",
        **this_tree(),
    }
    where = ["--host", "127.0.0.1", "--port", str(port)]
    # Under gevent, `serve` starts itself again through gevent's launcher.
    command = [str(VENV_BIN / "facilitation"), "serve", *where]
    return ServerProcess(command, env, port)


def echo_server(async_mode: str) -> ServerProcess:
    """The bare Flask-SocketIO echo server, in async_mode."""
    port = free_port()
    env = {**os.environ, "ASYNC_MODE": async_mode, "PYTHONUNBUFFERED": "1", **this_tree()}
    command = [sys.executable, "-m", "benchmarks.echo_server", "--port", str(port)]
    return ServerProcess(command, env, port)


# ---------------------------------------------------------------------------------------------
# The room: phones and boards


@dataclass
class Figures:
    """What one run measured."""

    phones: int = 0
    connected: int = 0
    failed: int = 0
    connect_all_s: float | None = None
    connect_p50_ms: float | None = None
    connect_p99_ms: float | None = None
    failures: collections.Counter = field(default_factory=collections.Counter)
    sent: int = 0
    acked: int = 0
    rejected: collections.Counter = field(default_factory=collections.Counter)
    unacked: int = 0
    retries: int = 0
    achieved_rate: float | None = None
    throughput: float | None = None  # ideas acknowledged per second, first send to last ack
    ack_ms: list[float] = field(default_factory=list)
    # (seconds since the first idea was sent, ack ms) of every acknowledged idea: when stalls hit
    ack_at: list[tuple[float, float]] = field(default_factory=list, repr=False)
    board_ms: list[float] = field(default_factory=list)
    # From submission to the first re-clustering that gives the idea a theme (first board only).
    theme_ms: list[float] = field(default_factory=list)
    board_missing: int = 0
    board_out_of_order: int = 0
    disconnects: int = 0
    lost: int | None = None
    duplicated: int | None = None
    stored_unacked: int | None = None
    peak_rss_mb: float | None = None
    server_rss_mb: float | None = None
    workers_rss_mb: float | None = None
    server_cpu_s: float | None = None
    # Of server_cpu_s, what the join storm took (pages, cookies, connects, first syncs).
    server_join_cpu_s: float | None = None
    workers_cpu_s: float | None = None
    load_average: tuple[float, float] | None = None  # 1-minute load average before, after
    client_cpu_s: float | None = None
    acked_ids: set[str] = field(default_factory=set, repr=False)

    def ack_p99_by_slice(self, seconds: float) -> list[float | None]:
        """Ack p99 of the ideas sent in each slice of the submitting time (None: none acked)."""
        slices: dict[int, list[float]] = collections.defaultdict(list)
        for at, ms in self.ack_at:
            slices[int(at // seconds)].append(ms)
        return [percentile(slices.get(i, []), 99) for i in range(max(slices, default=-1) + 1)]

    def summary(self) -> dict:
        """The figures as one flat mapping, latencies as percentiles."""
        return {
            "phones": self.phones,
            "connected": self.connected,
            "failed": self.failed,
            "failures": dict(self.failures),
            "connect_all_s": self.connect_all_s,
            "connect_p50_ms": self.connect_p50_ms,
            "connect_p99_ms": self.connect_p99_ms,
            "sent": self.sent,
            "acked": self.acked,
            "rejected": dict(self.rejected),
            "unacked": self.unacked,
            "retries": self.retries,
            "achieved_rate": self.achieved_rate,
            "throughput": self.throughput,
            "ack_p99_ms_by_5s": self.ack_p99_by_slice(5.0),
            "ack_p50_ms": percentile(self.ack_ms, 50),
            "ack_p99_ms": percentile(self.ack_ms, 99),
            "ack_max_ms": max(self.ack_ms) if self.ack_ms else None,
            "board_p50_ms": percentile(self.board_ms, 50),
            "board_p99_ms": percentile(self.board_ms, 99),
            "board_max_ms": max(self.board_ms) if self.board_ms else None,
            "theme_p50_ms": percentile(self.theme_ms, 50),
            "theme_p99_ms": percentile(self.theme_ms, 99),
            "themed": len(self.theme_ms),
            "board_missing": self.board_missing,
            "board_out_of_order": self.board_out_of_order,
            "disconnects": self.disconnects,
            "lost": self.lost,
            "duplicated": self.duplicated,
            "stored_unacked": self.stored_unacked,
            "peak_rss_mb": self.peak_rss_mb,
            "server_rss_mb": self.server_rss_mb,
            "workers_rss_mb": self.workers_rss_mb,
            "server_cpu_s": self.server_cpu_s,
            "server_join_cpu_s": self.server_join_cpu_s,
            "workers_cpu_s": self.workers_cpu_s,
            "load_average": self.load_average,
            "client_cpu_s": self.client_cpu_s,
        }


class Board:
    """A board client that times each idea from its submission to its arrival."""

    def __init__(self, room: Room, base: str) -> None:
        """A board of room that connects to the server at base, not yet connected."""
        self.room = room
        self.base = base
        self.client = socketio.AsyncClient(reconnection=False)
        self.seen: collections.Counter = collections.Counter()
        self.last_seq = 0
        # Ideas this board saw arrive and no re-clustering has given a theme yet: id -> sent at.
        self.unthemed: dict[str, float] = {}
        self.times_themes = False  # the room's first board times themes (Room sets it)
        self.client.on("update", self.on_update)

    async def on_update(self, message: dict) -> None:
        """An update arrived: time it if it is an idea."""
        now = time.perf_counter()
        seq = message.get("seq", 0)
        if seq <= self.last_seq:
            self.room.figures.board_out_of_order += 1
        self.last_seq = max(self.last_seq, seq)
        if message.get("kind") == "themes_updated" and self.times_themes:
            self.on_themes(message["data"].get("assignments") or {}, now)
        if message.get("kind") != "idea_added":
            return
        text = message["data"]["idea"]["text"]
        sent = self.room.sent_at.get(text, [])
        index = self.seen[text]
        self.seen[text] += 1
        if index < len(sent):
            self.room.figures.board_ms.append((now - sent[index]) * 1000)
            self.room.board_received += 1
            if self.times_themes:
                idea = message["data"]["idea"]
                if idea.get("theme_id") is not None:  # placed in a theme as it arrived
                    self.room.figures.theme_ms.append((now - sent[index]) * 1000)
                else:  # "new" until a re-clustering gives it a theme (sent as a change)
                    self.unthemed[str(idea["id"])] = sent[index]

    def on_themes(self, assignments: dict, now: float) -> None:
        """A re-clustering arrived: time the ideas it gives a theme for the first time."""
        for idea_id in [i for i in self.unthemed if assignments.get(i) is not None]:
            self.room.figures.theme_ms.append((now - self.unthemed.pop(idea_id)) * 1000)


class Phone:
    """A phone: a device cookie from the join page, then one Socket.IO connection."""

    def __init__(self, room: Room, base: str) -> None:
        """A phone of room that joins through the server at base, not yet joined."""
        self.room = room
        self.base = base
        self.client = socketio.AsyncClient(reconnection=True, reconnection_attempts=5)
        self.client.on("disconnect", self.on_disconnect)

    async def on_disconnect(self, *_args) -> None:  # noqa: ANN002
        """Count connections the server or the network dropped."""
        if not self.room.closing:
            self.room.figures.disconnects += 1

    async def join(self, http: aiohttp.ClientSession) -> float:
        """Open the join page, then connect; returns the seconds it took."""
        started = time.perf_counter()
        async with http.get(f"{self.base}/j/{self.room.code}") as reply:
            reply.raise_for_status()
            cookie = reply.cookies["session"].value
            await reply.read()
        await self.client.connect(
            self.base,
            headers={"Cookie": f"session={cookie}"},
            auth={"code": self.room.code, "role": "phone"},
            transports=self.room.transports,
            wait_timeout=30,
        )
        return time.perf_counter() - started


class Room:
    """Phones and boards of one workshop, and what they measured."""

    def __init__(
        self, servers: list[ServerProcess], phones: int, boards: int, transport: str
    ) -> None:
        """A room with this many phones and boards, spread round-robin over the servers.

        Every server serves the same workshop (one process, or several on one database and
        one message queue): the join code and board key are those the first one printed.
        """
        self.code = servers[0].code
        self.key = servers[0].key
        bases = [server.base for server in servers]
        self.transports = ["websocket"] if transport == "websocket" else ["polling", "websocket"]
        self.figures = Figures(phones=phones)
        self.phones = [Phone(self, bases[i % len(bases)]) for i in range(phones)]
        self.boards = [Board(self, bases[i % len(bases)]) for i in range(boards)]
        if self.boards:
            self.boards[0].times_themes = True
        self.sent_at: dict[str, list[float]] = collections.defaultdict(list)
        self.acked_ids: set[str] = set()
        self.board_received = 0
        self.closing = False
        self.first_sent: float | None = None
        self.last_acked: float | None = None

    async def connect_boards(self) -> None:
        """Connect the boards before the storm, as the projector is open first."""
        for board in self.boards:
            await board.client.connect(
                board.base,
                auth={"code": self.code, "role": "board", "key": self.key},
                transports=self.transports,
                wait_timeout=30,
            )

    async def storm(self, timeout: float) -> list[Phone]:
        """Every phone joins at once; returns those connected."""
        connector = aiohttp.TCPConnector(limit=0, force_close=True)
        jar = aiohttp.DummyCookieJar()
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as http:
            started = time.perf_counter()

            async def one(phone: Phone) -> float:
                """Join one phone within the storm's bound."""
                return await asyncio.wait_for(phone.join(http), timeout)

            outcomes = await asyncio.gather(*(one(p) for p in self.phones), return_exceptions=True)
            ended = time.perf_counter()
        durations = [o for o in outcomes if isinstance(o, float)]
        connected = [p for p, o in zip(self.phones, outcomes, strict=True) if isinstance(o, float)]
        for outcome in outcomes:
            if not isinstance(outcome, float):
                self.figures.failures[type(outcome).__name__ + ": " + str(outcome)[:80]] += 1
        self.figures.connected = len(connected)
        self.figures.failed = len(self.phones) - len(connected)
        self.figures.connect_all_s = max(durations) if durations else ended - started
        self.figures.connect_p50_ms = (percentile(durations, 50) or 0) * 1000
        self.figures.connect_p99_ms = (percentile(durations, 99) or 0) * 1000
        return connected

    async def submit(self, phone: Phone, text: str) -> None:
        """One idea from one phone, sent again with the same client id until acknowledged."""
        client_id = secrets.token_urlsafe(12)
        started = time.perf_counter()
        if self.first_sent is None:
            self.first_sent = started
        self.sent_at[text].append(started)
        self.figures.sent += 1
        for attempt in range(SEND_ATTEMPTS):
            if attempt:
                self.figures.retries += 1
            try:
                reply = await phone.client.call(
                    "submit_idea", {"client_id": client_id, "text": text}, timeout=ACK_TIMEOUT
                )
            except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
                await asyncio.sleep(0.5)
                continue
            if isinstance(reply, dict) and reply.get("ok"):
                self.last_acked = time.perf_counter()
                self.figures.ack_ms.append((self.last_acked - started) * 1000)
                self.figures.ack_at.append((started - self.first_sent, self.figures.ack_ms[-1]))
                self.figures.acked += 1
                self.acked_ids.add(client_id)
            else:
                code = reply.get("code") if isinstance(reply, dict) else repr(reply)
                self.figures.rejected[str(code)] += 1
            return
        self.figures.unacked += 1

    async def submissions(
        self, phones: list[Phone], texts: list[str], rate: float, seconds: float
    ) -> None:
        """Send rate ideas per second for seconds, each from the next phone in turn."""
        count = int(rate * seconds)
        loop = asyncio.get_running_loop()
        started = loop.time()
        tasks = []
        for i in range(count):
            delay = started + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(
                asyncio.create_task(self.submit(phones[i % len(phones)], texts[i % len(texts)]))
            )
        self.figures.achieved_rate = count / max(loop.time() - started, 1e-9)
        await asyncio.gather(*tasks)
        if self.first_sent is not None and self.last_acked is not None:
            window = max(self.last_acked - self.first_sent, 1e-9)
            self.figures.throughput = self.figures.acked / window

    async def wait_for_boards(self, timeout: float) -> None:
        """Wait, within a bound, until every board has seen every acknowledged idea."""
        deadline = time.monotonic() + timeout
        expected = self.figures.acked * len(self.boards)
        while self.board_received < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        self.figures.board_missing = max(0, expected - self.board_received)

    async def close(self, timeout: float = 20.0) -> None:
        """Disconnect every client, within a bound."""
        self.closing = True
        clients = [p.client for p in self.phones] + [b.client for b in self.boards]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True),
                timeout,
            )
        # A phone that never connected keeps the HTTP session Engine.IO opened for it.
        for client in clients:
            http = getattr(client.eio, "http", None)
            if http is not None and not http.closed:
                await http.close()


async def run_room(
    servers: list[ServerProcess], args: argparse.Namespace, texts: list[str]
) -> Figures:
    """Join the phones, submit at the set rate, wait for the boards, and return the figures.

    Phones and boards are spread round-robin over the servers; CPU figures are their sums.
    """
    room = Room(servers, args.phones, args.boards, args.transport)
    client_cpu = psutil.Process().cpu_times()
    server_cpu = sum(server.cpu_seconds() for server in servers)
    workers_cpu = sum(server.children_cpu_seconds() for server in servers)
    load_before = os.getloadavg()[0]
    try:
        await room.connect_boards()
        phones = await room.storm(timeout=args.connect_timeout)
        figures = room.figures
        figures.server_join_cpu_s = sum(server.cpu_seconds() for server in servers) - server_cpu
        if phones:
            await room.submissions(phones, texts, args.rate, args.seconds)
            await room.wait_for_boards(timeout=15)
    finally:
        await room.close()
    figures = room.figures
    figures.server_cpu_s = sum(server.cpu_seconds() for server in servers) - server_cpu
    figures.workers_cpu_s = sum(server.children_cpu_seconds() for server in servers) - workers_cpu
    figures.load_average = (load_before, os.getloadavg()[0])
    now = psutil.Process().cpu_times()
    figures.client_cpu_s = (now.user + now.system) - (client_cpu.user + client_cpu.system)
    figures.acked_ids = room.acked_ids
    return figures


def check_database(database: Path, acked: set[str], figures: Figures) -> None:
    """Every acknowledged client id is stored exactly once; count what is not."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        stored = collections.Counter(
            dict(db.execute("SELECT client_id, COUNT(*) FROM ideas GROUP BY client_id"))
        )
    figures.lost = sum(1 for c in acked if stored[c] == 0)
    figures.duplicated = sum(1 for c in acked if stored[c] > 1)
    figures.stored_unacked = sum(1 for c in stored if c not in acked)


def measure(kind: str, async_mode: str, args: argparse.Namespace, texts: list[str]) -> dict:
    """One run: start a server of kind ("app" or "echo"), load it, stop it, return figures."""
    with tempfile.TemporaryDirectory(prefix="load-") as folder:
        instance = Path(folder) / "instance"
        server = app_server(async_mode, instance) if kind == "app" else echo_server(async_mode)
        server.start()
        urls = page_urls(server.base, server.code, server.key) if kind == "app" else []
        try:
            with Contention(getattr(args, "contention", "none"), urls) as contention:
                figures = asyncio.run(run_room([server], args, texts))
            figures.peak_rss_mb = server.peak_rss / 2**20
            figures.server_rss_mb = server.peak_main_rss / 2**20
            figures.workers_rss_mb = server.peak_workers_rss / 2**20
        finally:
            server.stop()
        if kind == "app":
            check_database(instance / "board.sqlite3", figures.acked_ids, figures)
        errors = [line for line in server.output if "Traceback" in line or " ERROR " in line]
    if args.server_log:
        Path(f"{args.server_log}-{kind}-{async_mode}.log").write_text("".join(server.output))
    result = {"server": kind, "async_mode": async_mode, **figures.summary()}
    for n, seconds in enumerate(contention.cpu_s[:2]):
        result[f"contention_{n + 1}_cpu_s"] = seconds
    result["server_errors"] = len(errors)
    result["first_errors"] = error_excerpts(server.output)
    result["reclusterings"] = [reclusterings(server)]
    result["recluster_read_ms"], result["recluster_apply_ms"] = reclustering_loop_ms(server)
    result["recluster_moved_median"], result["recluster_moved_max"] = reclustering_moves(server)
    result["stalls"] = stalls(server)
    return result


def error_excerpts(lines: list[str], limit: int = 3, length: int = 30) -> list[str]:
    """The first `limit` errors a server logged, each with the traceback lines that follow it."""
    excerpts: list[str] = []
    for n, line in enumerate(lines):
        if " ERROR " not in line:
            continue
        block = [line.rstrip()]
        for following in lines[n + 1 : n + length]:
            if " INFO " in following or " ERROR " in following or " WARNING " in following:
                break
            block.append(following.rstrip())
        excerpts.append("\n".join(block))
        if len(excerpts) >= limit:
            break
    return excerpts


def stalls(server: ServerProcess) -> list[str]:
    """Where the server's event loop was held over its STALL_REPORT_MS, one entry per hold."""
    marker = "event loop held over "
    return [
        line.split(marker, 1)[1].split(" at ", 1)[-1].strip()
        for line in server.output
        if marker in line
    ]


# The line the server logs after each re-clustering round, and what it gives.
_ROUND = "re-clustered workshop"
_ROUND_TIMES = re.compile(r"read in ([0-9.]+) ms, applied in ([0-9.]+) ms")
_ROUND_MOVES = re.compile(r"; ([0-9]+) ideas changed theme")


def _rounds(server: ServerProcess, pattern: re.Pattern) -> list[re.Match]:
    """pattern's match in each re-clustering round the server logged (rounds without it: none)."""
    return [m for line in server.output if _ROUND in line and (m := pattern.search(line))]


def reclustering_loop_ms(server: ServerProcess) -> tuple[float | None, float | None]:
    """The slowest read of a re-clustering's input and the slowest apply of its result (ms),
    the two parts of a round that run on the server's loop; None without a round."""
    times = [(float(m[1]), float(m[2])) for m in _rounds(server, _ROUND_TIMES)]
    if not times:
        return None, None
    return max(t[0] for t in times), max(t[1] for t in times)


def reclustering_moves(server: ServerProcess) -> tuple[float | None, int | None]:
    """The median and the largest count of ideas that a re-clustering moved to another theme
    (what boards are sent, and what the apply writes); None without a round."""
    moves = [int(m[1]) for m in _rounds(server, _ROUND_MOVES)]
    if not moves:
        return None, None
    return statistics.median(moves), max(moves)


def reclusterings(server: ServerProcess) -> int:
    """How many re-clusterings the server logged ("re-clustered workshop ...")."""
    return sum(1 for line in server.output if _ROUND in line)


# ---------------------------------------------------------------------------------------------
# Report


def _fmt(value: object, digits: int = 0) -> str:
    """A figure for the table."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _load_average(result: dict) -> str:
    """The machine's 1-minute load average before and after a run, for the table."""
    before, after = result.get("load_average") or (None, None)
    return f"{_fmt(before, 1)} / {_fmt(after, 1)}"


def _ratio(value: float | None, floor: float | None) -> str:
    """value / floor, for the table."""
    if value is None or not floor:
        return "-"
    return f"{value / floor:.1f}x"
