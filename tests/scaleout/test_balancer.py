"""The nginx configuration of docs/nginx.conf, tested for real in front of two server processes.

One backend is `facilitation serve`, the other gunicorn with threads (facilitation.wsgi), both
on the same PostgreSQL and Redis. A phone connects through nginx (long-polling, then the
WebSocket upgrade) and its idea reaches a board connected to each backend directly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import socketio

from tests.scaleout.conftest import ServerProcess, _wait_serving, wait_until
from tests.servers import free_port, missing

pytestmark = pytest.mark.scaleout
ROOT = Path(__file__).resolve().parents[2]


def nginx_config(listen: int, backends: list[int], folder: Path) -> Path:
    """docs/nginx.conf with this test's ports and a private prefix."""
    text = (ROOT / "docs" / "nginx.conf").read_text()
    text = text.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{listen};")
    text = text.replace("server 127.0.0.1:5001;", f"server 127.0.0.1:{backends[0]};")
    text = text.replace("server 127.0.0.1:5002;", f"server 127.0.0.1:{backends[1]};")
    assert all(f":{port};" in text for port in [listen, *backends])
    paths = f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
    text = paths + text.replace(
        "http {",
        f"http {{\n    access_log {folder}/access.log;\n"
        f"    client_body_temp_path {folder}/body;\n    proxy_temp_path {folder}/proxy;\n"
        f"    fastcgi_temp_path {folder}/fastcgi;\n    uwsgi_temp_path {folder}/uwsgi;\n"
        f"    scgi_temp_path {folder}/scgi;\n",
        1,
    )
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


def test_phone_through_nginx_reaches_boards_on_both_backends(
    deployment, clients, tmp_path, postgres_server, redis_server
):
    """Polling, WebSocket upgrade and cross-process delivery all work through the balancer."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        missing("nginx")
    room = deployment(1)
    (served,) = room.processes
    # The second backend: gunicorn with threads, on the same database and queue.
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": room.database,
        "MESSAGE_QUEUE": redis_server.url,
        "SECRET_KEY": "scale-out-test-key",
        "INSTANCE_PATH": str(tmp_path / "gunicorn-instance"),
        "ASYNC_MODE": "threading",  # gunicorn's threads serve the connections
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "gunicorn.log"
    log_file = log.open("w")
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            "50",
            "--bind",
            f"127.0.0.1:{port}",
            "facilitation.wsgi:app",
        ],
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    threaded = ServerProcess(port, gunicorn, log)
    listen = free_port()
    folder = tmp_path / "nginx"
    folder.mkdir()
    config = nginx_config(listen, [served.port, port], folder)
    balancer = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_serving(threaded)
        front = f"http://127.0.0.1:{listen}"
        wait_until(lambda: _answers(front), 30)
        board_served = clients(served, room, "board")
        board_threaded = clients(threaded, room, "board")

        session = requests.Session()
        page = session.get(f"{front}/j/{room.code}", timeout=10)
        assert page.status_code == 200 and room.code in page.text
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        phone = socketio.Client(reconnection=False)
        # Default transports: long-polling first, then the upgrade to WebSocket.
        phone.connect(
            front,
            auth={"code": room.code, "role": "phone"},
            headers={"Cookie": cookies},
            wait_timeout=10,
        )
        try:
            wait_until(lambda: phone.transport() == "websocket", 15)
            reply = phone.call("submit_idea", {"client_id": "nginx-000001", "text": "Prin nginx"})
            assert reply["ok"], reply
        finally:
            phone.disconnect()
        for board in (board_served, board_threaded):
            wait_until(lambda board=board: "idea_added" in board.kinds())
        # nginx writes a WebSocket's line when it closes: the upgrade went through the balancer.
        upgraded = re.compile(r"GET /socket\.io/\?.*transport=websocket.* 101 ")
        wait_until(lambda: upgraded.search((folder / "access.log").read_text()))
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)
        if balancer.stderr:
            balancer.stderr.close()
        threaded.stop()
        log_file.close()


def _answers(base: str) -> bool:
    """True once the balancer forwards a page."""
    try:
        return requests.get(base + "/", timeout=2).status_code == 200
    except requests.RequestException:
        return False
