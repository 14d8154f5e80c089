"""What else runs on the facilitator's laptop during a session, started beside a server under load.

The laptop that runs `make run` also projects the board in a browser and shows the facilitator's
page. `--contention browsers` starts two real headless Chromium processes at normal priority,
one on the board of the workshop under load and one on the facilitator's page, both updating live
as ideas arrive; for the echo floor, which has no pages, they show a page that redraws itself as
often, so both runs share the machine alike. Without Chromium (or with `--contention busy`), two
busy processes at normal priority take its place. Everything stops with the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import psutil

KINDS = ("none", "browsers", "busy")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",  # keeps a headless browser open until it is stopped
    "--window-size=1920,1080",
]
# For the floor: a page that redraws a list of 300 items ten times a second, like a live board.
BUSY_PAGE = (
    "data:text/html,<ul id=l></ul><script>setInterval(()=>{const l=document.getElementById('l');"
    "l.textContent='';for(let i=0;i<300;i++){const e=document.createElement('li');"
    "e.textContent='idea '+Math.random();l.append(e)}},100)</script>"
)
BUSY_LOOP = "import time\nwhile True:\n    sum(i * i for i in range(10000))\n"


def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Contention:
    """Processes that compete with the server for the machine while a room is measured."""

    def __init__(self, kind: str, urls: list[str]) -> None:
        """kind is one of KINDS; urls are the pages the browsers show (the board, the
        facilitator's page), or empty for the echo floor."""
        if kind not in KINDS:
            raise ValueError(f"contention must be one of {', '.join(KINDS)}")
        self.kind = kind if kind != "browsers" or chromium() else "busy"
        self.urls = urls or [BUSY_PAGE, BUSY_PAGE]
        self.processes: list[subprocess.Popen] = []
        self._profiles: list[tempfile.TemporaryDirectory] = []
        # CPU seconds each competing process (with its children: a browser's renderers) used
        # during the run, read as it stops; with browsers on the app, the board's then the
        # facilitator's page.
        self.cpu_s: list[float] = []

    def __enter__(self) -> Contention:
        """Start the competing processes."""
        if self.kind == "browsers":
            for url in self.urls[:2]:
                profile = tempfile.TemporaryDirectory(prefix="load-browser-")
                self._profiles.append(profile)
                self.processes.append(
                    subprocess.Popen(
                        [chromium(), *CHROMIUM_ARGS, f"--user-data-dir={profile.name}", url],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
        elif self.kind == "busy":
            for _ in range(2):
                self.processes.append(subprocess.Popen([sys.executable, "-c", BUSY_LOOP]))
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop them all, within a few seconds, after reading the CPU each one used."""
        self.cpu_s = [tree_cpu_seconds(process.pid) for process in self.processes]
        for process in self.processes:
            if self.kind == "browsers":  # the browser and its renderers, in their own session
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.kill()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        for profile in self._profiles:
            # A renderer that outlived the kill for a moment may still write into the profile.
            for _ in range(20):
                try:
                    profile.cleanup()
                    break
                except OSError:
                    time.sleep(0.25)
            else:
                shutil.rmtree(profile.name, ignore_errors=True)

    def describe(self) -> str:
        """A few words for the report."""
        if self.kind == "browsers":
            return "two headless Chromium pages (board and facilitator, or a live-redrawing page)"
        if self.kind == "busy":
            return "two busy processes at normal priority"
        return "none"


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process and of its living children."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in tree:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def page_urls(base: str, code: str, key: str) -> list[str]:
    """The board and the facilitator's page of a workshop."""
    return [f"{base}/board/{code}?key={key}", f"{base}/facilitate/{code}?key={key}"]
