"""The connection budget, on a real server: it raises its open-files limit and says what it
holds, and sockets that send nothing (idle, half-sent headers, a flood of them) are closed
while phones on WebSockets stay connected.
"""

from __future__ import annotations

import contextlib
import socket
import time

import pytest
import requests
import socketio

from tests.reliability.conftest import LivePhone, wait_until

pytestmark = pytest.mark.slow


def _limits(pid: int) -> tuple[int, int]:
    """The soft and hard open-files limits of a process."""
    with open(f"/proc/{pid}/limits") as limits:
        for line in limits:
            if line.startswith("Max open files"):
                soft, hard = line.split()[3:5]
                return int(soft), int(hard)
    raise AssertionError("no open-files limit")


def _closed_by_server(sock: socket.socket, timeout: float) -> float:
    """Seconds until the server closes sock (reads nothing but the end); fails after timeout."""
    began = time.monotonic()
    sock.settimeout(timeout)
    while True:
        try:
            data = sock.recv(4096)
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - began
        except TimeoutError:
            pytest.fail(f"the server kept a silent socket open for {timeout} s")
        if not data:
            return time.monotonic() - began


def test_server_raises_its_open_files_limit_and_prints_the_capacity(live_server):
    """At start the soft limit equals the hard limit, and the output says how many connections
    that holds."""
    server = live_server()
    soft, hard = _limits(server.process.pid)
    assert soft == hard
    line = next(line for line in server.output if line.startswith("Open files:"))
    assert f"Open files: {soft}," in line and "connections" in line


def test_silent_sockets_are_closed_and_websocket_phones_are_not(live_server):
    """With HTTP_IDLE_TIMEOUT=1: a socket that never sends, one that sends half its headers, and
    a flood of 200 silent sockets are all closed within a few seconds; a phone connected over
    WebSocket before them is still connected after, and the page answers throughout."""
    server = live_server(HTTP_IDLE_TIMEOUT="1")
    phone = LivePhone(server).connect()
    wait_until(lambda: phone.client.transport() == "websocket", 10)
    silent = socket.create_connection(("127.0.0.1", server.port))
    half = socket.create_connection(("127.0.0.1", server.port))
    half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    flood = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(200)]
    try:
        assert requests.get(f"{server.base}/j/{server.code}", timeout=10).status_code == 200
        assert 0.5 < _closed_by_server(silent, 10) < 6
        assert _closed_by_server(half, 10) < 6
        for sock in flood:
            _closed_by_server(sock, 10)
        # More than the idle timeout has passed: the phone's WebSocket is still there.
        assert phone.client.connected
        assert phone.submit("after-flood-0001", "Tot aici")["ok"]
    finally:
        for sock in [silent, half, *flood]:
            with contextlib.suppress(OSError):
                sock.close()
        phone.close()
    assert not server.errors()


def test_a_handshake_that_never_connects_is_closed_and_a_phone_is_not(live_server):
    """With SOCKETIO_CONNECT_TIMEOUT=2: Engine.IO sessions (WebSocket and polling) that answer
    pings but never open their Socket.IO connection are closed after about 2 s; a phone that
    connected normally is still connected well after that, and can write."""
    import engineio

    server = live_server(SOCKETIO_CONNECT_TIMEOUT="2")
    phone = LivePhone(server).connect()
    silent = []
    for transports in (["websocket"], ["polling"]):
        client = engineio.Client()
        client.connect(server.base, engineio_path="socket.io", transports=transports)
        silent.append(client)
    began = time.monotonic()
    try:
        assert all(c.state == "connected" for c in silent)
        wait_until(lambda: all(c.state == "disconnected" for c in silent), 15)
        assert 1.5 < time.monotonic() - began < 10
        time.sleep(1)
        assert phone.client.connected
        assert phone.submit("after-handshakes-0001", "Tot conectat")["ok"]
    finally:
        for client in silent:
            with contextlib.suppress(Exception):
                client.disconnect()
        phone.close()
    assert not server.errors()


def test_a_full_room_gets_a_clear_page_and_refusal_and_the_facilitator_still_connects(
    live_server,
):
    """Near the open-files limit, a new phone gets a 503 "room full" page with Retry-After and a
    phone's Socket.IO connect is refused `room_full`; the facilitator and boards still connect,
    phones in the room keep working, and once phones leave, new ones join again."""
    from tests.reliability.conftest import LiveBoard

    server = live_server(open_files=200)
    phones, full = [], None
    for _ in range(120):
        reply = requests.get(
            f"{server.base}/j/{server.code}", headers={"Accept-Language": "en"}, timeout=10
        )
        if reply.status_code == 503:
            full = reply
            break
        assert reply.status_code == 200
        try:
            phones.append(LivePhone(server, cookie=reply.cookies["session"]).connect())
        except socketio.exceptions.ConnectionError:
            # The room filled between this phone's page and its connect (the gauge is read at
            # most once a second): the next new phone gets the page that says so.
            full = requests.get(
                f"{server.base}/j/{server.code}", headers={"Accept-Language": "en"}, timeout=10
            )
            break
    assert full is not None, "the room never filled"
    assert "The room is full" in full.text and full.headers["Retry-After"] == "30"
    late = socketio.Client(reconnection=False)
    errors: list = []
    late.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        late.connect(
            server.base,
            auth={"code": server.code, "role": "phone"},
            headers={"Cookie": f"session={phones[0].cookie}"},
            wait_timeout=10,
        )
    assert errors and errors[0]["data"] == {"code": "room_full"}
    facilitator = LiveBoard(server, "facilitator").connect()
    assert phones[-1].submit("in-the-room-0001", "Încă merge")["ok"]
    facilitator.client.disconnect()
    for phone in phones[: len(phones) // 2]:
        phone.close()
    wait_until(
        lambda: requests.get(f"{server.base}/j/{server.code}", timeout=10).status_code == 200,
        15,
        step=0.5,
    )
    for phone in phones[len(phones) // 2 :]:
        phone.close()
