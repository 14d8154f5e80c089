"""Fixtures for end-to-end tests: a real server in a subprocess and headless Chromium pages.

Each test module gets its own server (fresh instance folder, fresh demo workshop), so a module can
change the workshop (close submissions, fill the board) without touching the others.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 90.0
SERVER_STOP_TIMEOUT = 5.0
# Bound for every Playwright `expect`; live updates arrive in well under a second on loopback.
EXPECT_TIMEOUT_MS = 10_000
PHONE_VIEWPORT = {"width": 360, "height": 740}
BOARD_VIEWPORT = {"width": 1920, "height": 1080}


@dataclass(frozen=True)
class Server:
    """A running server and the addresses of its demo workshop."""

    base: str
    code: str
    board_url: str
    facilitator_url: str
    join_url: str
    staff_url: str
    log_path: Path  # the server's stderr: its log, one line per request


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _facilitation_command() -> list[str]:
    """The `facilitation` entry point of the venv running the tests."""
    script = Path(sys.executable).parent / "facilitation"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "facilitation.cli"]


def _read_lines(stream, lines: queue.Queue) -> None:
    """Copy a process's output into a queue, line by line, so the pipe never fills up."""
    for line in stream:
        lines.put(line)


def _wait_for_addresses(process: subprocess.Popen, lines: queue.Queue, log_path: Path) -> dict:
    """The addresses the server prints at start-up, waiting at most SERVER_START_TIMEOUT."""
    wanted = {
        "code": re.compile(r"^\s*Join code:\s+(\S+)"),
        "join_url": re.compile(r"^\s*Join address:\s+(\S+)"),
        "board_url": re.compile(r"^\s*Board:\s+(\S+)"),
        "facilitator_url": re.compile(r"^\s*Facilitator:\s+(\S+)"),
        "staff_url": re.compile(r"^\s*Staff:\s+(\S+)"),
    }
    found: dict[str, str] = {}
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while len(found) < len(wanted):
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"the server printed no addresses within {SERVER_START_TIMEOUT} s")
        try:
            line = lines.get(timeout=min(remaining, 0.5))
        except queue.Empty:
            continue
        for name, pattern in wanted.items():
            match = pattern.match(line)
            if match:
                found[name] = match.group(1)
    return found


def _wait_until_serving(process: subprocess.Popen, base: str, log_path: Path) -> None:
    """Return once the server answers HTTP, waiting at most SERVER_START_TIMEOUT."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urlopen(base + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not answer within {SERVER_START_TIMEOUT} s")
        # Polling interval of a bounded wait, not a wait for something to happen.
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server; kill it if it has not stopped within SERVER_STOP_TIMEOUT."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=SERVER_STOP_TIMEOUT)


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A real `facilitation serve` on a free loopback port with a fresh instance folder; a test
    module's SERVER_SETTINGS (a dict of settings) are added to its environment."""
    instance = tmp_path_factory.mktemp("instance")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "PUBLIC_URL": base,
        "RECLUSTER_INTERVAL": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "SECRET_KEY", "HOST", "PORT"):
        env.pop(name, None)
    env.update(getattr(request.module, "SERVER_SETTINGS", {}))
    log_path = instance / "server.log"
    lines: queue.Queue = queue.Queue()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*_facilitation_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            encoding="utf-8",
        )
    reader = threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    try:
        found = _wait_for_addresses(process, lines, log_path)
        _wait_until_serving(process, base, log_path)
        for name in ("join_url", "board_url", "facilitator_url", "staff_url"):
            assert found[name].startswith(base + "/"), f"{name} {found[name]} is not on {base}"
        yield Server(base=base, log_path=log_path, **found)
    finally:
        _stop(process)
        reader.join(timeout=SERVER_STOP_TIMEOUT)
        process.stdout.close()


def _require_chromium() -> None:
    """Skip (or fail, where a browser is required) when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def chromium() -> Path:
    """Debian's Chromium; checked before any server starts."""
    _require_chromium()
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright(chromium: Path) -> Iterator:
    """The Playwright driver, started once."""
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright, chromium: Path) -> Iterator:
    """Headless Debian Chromium, launched once for the whole run."""
    launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def new_context(browser) -> Iterator[Callable]:
    """Open isolated browser contexts (own cookies and storage); all closed after the test,
    which fails if a page's script threw an error nobody caught (a module that failed to load
    or run would otherwise go unnoticed until a later check times out)."""
    contexts = []
    errors: list[str] = []

    def open_context(**options):
        options.setdefault("locale", "en-US")
        context = browser.new_context(**options)
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert errors == [], errors


@pytest.fixture
def open_phone(server: Server, new_context) -> Callable:
    """Open the join address on a new 360x740 touch phone; returns the page once connected."""

    def open_page(**options):
        context = new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, **options)
        page = context.new_page()
        page.goto(server.join_url)
        expect(page.locator("#connection")).to_have_text("Connected")
        return page

    return open_page


@pytest.fixture
def open_board(server: Server, new_context) -> Callable:
    """Open the board on a new 1920x1080 screen; returns the page once it is online."""

    def open_page(**options):
        page = new_context(viewport=BOARD_VIEWPORT, **options).new_page()
        page.goto(server.board_url)
        expect(page.locator("#board")).to_have_attribute("data-connection", "online")
        return page

    return open_page


@pytest.fixture
def phone_page(open_phone):
    """A phone-sized page (360x740, mobile, touch) on the demo workshop, connected."""
    return open_phone()


@pytest.fixture
def board_page(open_board):
    """The projected board (1920x1080) of the demo workshop, connected."""
    return open_board()


@pytest.fixture
def facilitator_page(server: Server, new_context):
    """The facilitator's controls of the demo workshop, connected and drawn."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server.facilitator_url)
    expect(page.locator("#facilitate")).to_have_attribute("data-connection", "online")
    expect(page.locator("#toggle-submissions")).not_to_have_text("")
    return page


def exactly(text: str) -> re.Pattern:
    """A pattern that matches an element's whole text, not a part of it."""
    return re.compile("^" + re.escape(text) + "$")


@pytest.fixture
def submit_idea() -> Callable:
    """Type an idea on a phone page and send it; returns that idea's row in "Your ideas"."""

    def submit(page, text: str, question_index: int | None = None):
        if question_index is not None:
            page.select_option("#question", index=question_index)
        page.fill("#idea", text)
        page.click("#send")
        return page.locator("li.my-idea").filter(
            has=page.locator(".my-idea-text", has_text=exactly(text))
        )

    return submit
