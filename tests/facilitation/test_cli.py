"""The `facilitation` command: create-workshop, settings, and serve printing its addresses."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

from click.testing import CliRunner
from sqlalchemy import select

from facilitation import create_app
from facilitation.cli import main
from facilitation.models import Workshop
from facilitation.settings import SETTINGS


def test_create_workshop_prints_code_and_addresses(tmp_path, monkeypatch):
    """create-workshop stores the workshop and prints its join code, links and a QR code."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PUBLIC_URL", "http://192.0.2.7:5000")
    result = CliRunner().invoke(
        main,
        [
            "create-workshop",
            "--title",
            "Lab 3",
            "--language",
            "en",
            "--date",
            "2020-01-20",
            "--question",
            "What next?",
            "--question",
            "Who leads?",
        ],
    )
    assert result.exit_code == 0, result.output
    code = re.search(r"Join code:\s+(\w+)", result.output).group(1)
    assert f"http://192.0.2.7:5000/j/{code}" in result.output
    assert f"/board/{code}?key=" in result.output
    app = create_app()
    try:
        with app.extensions["store"].read() as db:
            workshop = db.scalar(select(Workshop).where(Workshop.code == code))
            assert [q.text for q in workshop.questions] == ["What next?", "Who leads?"]
            assert workshop.language == "en"
    finally:
        app.extensions["store"].dispose()


def test_create_workshop_with_bad_input_fails_clearly(tmp_path, monkeypatch):
    """A bad date or an empty question is an error message and a non-zero exit."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    bad_date = CliRunner().invoke(
        main, ["create-workshop", "--title", "T", "--date", "ieri", "--question", "Q"]
    )
    assert bad_date.exit_code != 0 and "YYYY-MM-DD" in bad_date.output
    empty = CliRunner().invoke(main, ["create-workshop", "--title", "T", "--question", "  "])
    assert empty.exit_code != 0 and "at least one question" in empty.output


def test_settings_command_lists_every_setting():
    """`facilitation settings` prints every setting of the table."""
    output = CliRunner().invoke(main, ["settings"]).output
    for setting in SETTINGS:
        assert setting.name in output


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_creates_the_demo_workshop_and_prints_where_to_go(tmp_path):
    """serve on an empty database creates the demo workshop, prints its addresses, and answers."""
    port = free_port()
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "PYTHONUNBUFFERED": "1", "PUBLIC_URL": ""}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "facilitation.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("  Staff:"):
                break
        output = "".join(lines)
        assert "Atelier Local de Învățare (demo)" in output
        code = re.search(r"Join code:\s+(\w+)", output).group(1)
        assert f"http://127.0.0.1:{port}/j/{code}" in output
        board = re.search(r"Board:\s+(\S+)", output).group(1)
        assert "async_mode=gevent" in output  # printed only once gevent has patched
        import requests

        deadline = time.monotonic() + 30
        while True:
            try:
                response = requests.get(board, timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "server never answered"
                time.sleep(0.1)
        assert response.status_code == 200 and code in response.text
        # SIGTERM ends the server (and its clustering worker) quietly, with the signal's code.
        process.terminate()
        assert process.wait(timeout=15) == 128 + signal.SIGTERM
        rest = process.stdout.read()
        assert "Traceback" not in rest, rest
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        process.stdout.close()
