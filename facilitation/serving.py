"""How the server holds its connections: as many open files as the system allows, and no
connection kept by a client that sends nothing.

Each connection costs the server a file descriptor or two, and Linux's usual soft limit is
1,024 open files: a room of 500 phones comes close, and 500 idle sockets from one script would
lock the room out. So `serve` raises the soft limit to the hard limit at start and says what
that holds. And under gevent (the default), a connection must send its request line and headers
within HTTP_IDLE_TIMEOUT seconds (also the longest a kept-alive connection waits idle for its
next request), then its body within HTTP_REQUEST_TIMEOUT; a WebSocket has no such limit once
upgraded, because Engine.IO's pings close a silent one.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import time
from typing import Any

# File descriptors a connection holds (its socket, and under gevent its event-loop watcher),
# and those the server keeps for itself (database, worker pipes, logs).
FILES_PER_CONNECTION = 2
FILES_KEPT = 64


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; return the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def connection_capacity(open_files: int) -> int:
    """About how many connections (phones, boards) a limit of open files holds."""
    return max(0, (open_files - FILES_KEPT) // FILES_PER_CONNECTION)


class RoomGauge:
    """Whether this process has file descriptors left for more phones.

    Near the open-files limit the server can no longer accept a connection, and a phone would
    hang: before that, new phones get a clear "room full" page and connection refusal, while the
    facilitator's page and the boards still connect. Read from /proc at most once a second.
    """

    def __init__(self) -> None:
        """A gauge of this process's open files."""
        self._read_at = float("-inf")
        self._full = False

    def full(self) -> bool:
        """True while fewer than the reserve of free file descriptors are left."""
        now = time.monotonic()
        if now - self._read_at >= 1.0:
            self._read_at = now
            self._full = self._measure()
        return self._full

    @staticmethod
    def _measure() -> bool:
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        try:
            open_now = len(os.listdir("/proc/self/fd"))
        except OSError:  # not Linux: no reading, no refusal
            return False
        if limit == resource.RLIM_INFINITY:
            return False
        return limit - open_now < max(FILES_KEPT, limit // 20)


def timed_handler(idle_timeout: float, request_timeout: float) -> type:
    """gevent's WSGI handler, with timeouts on reading each request (see the module's note)."""
    from gevent import pywsgi

    class TimedHandler(pywsgi.WSGIHandler):
        """Closes a connection that is slow to send its request, or idle between requests."""

        def read_requestline(self) -> str:
            """Wait at most idle_timeout for the request line, then for the headers."""
            self.socket.settimeout(idle_timeout)
            return super().read_requestline()

        def read_request(self, raw_requestline: str) -> Any:
            """Read the headers; a WebSocket upgrade then waits without limit, a body does not."""
            result = super().read_request(raw_requestline)
            upgrade = self.headers.get("Upgrade", "").lower() == "websocket"
            self.socket.settimeout(None if upgrade else request_timeout)
            return result

        def _handle_client_error(self, ex: BaseException) -> Any:
            """A client that timed out is closed quietly; other bad requests as gevent does."""
            if isinstance(ex, (socket.timeout, TimeoutError)):
                self.close_connection = True
                return None
            return super()._handle_client_error(ex)

    return TimedHandler


def close_silent_handshakes(server: Any, timeout: float) -> None:
    """Close Engine.IO sessions that open no Socket.IO connection within timeout seconds.

    A client that completes the Engine.IO handshake and then only answers pings would hold a
    connection for as long as it likes without ever passing the checks of `connect` (its code,
    role and device). Real clients send their Socket.IO connect right after the handshake; a
    refused one is told why at once and closed here after the timeout. One sweeper per process,
    started at the first handshake, checks a few times per timeout.
    """
    eio = server.eio
    opened: dict[str, float] = {}
    on_open = eio.handlers["connect"]
    sweeping = False

    def sweep() -> None:
        while True:
            eio.sleep(max(0.25, timeout / 4))
            now = time.monotonic()
            for eio_sid, at in list(opened.items()):
                if eio_sid not in eio.sockets or server.manager.sid_from_eio_sid(eio_sid, "/"):
                    opened.pop(eio_sid, None)
                elif now - at >= timeout:
                    opened.pop(eio_sid, None)
                    eio.disconnect(eio_sid)

    def connect(eio_sid: str, environ: dict, *extra: Any) -> Any:
        nonlocal sweeping
        opened[eio_sid] = time.monotonic()
        if not sweeping:
            sweeping = True
            eio.start_background_task(sweep)
        return on_open(eio_sid, environ, *extra)

    eio.on("connect", connect)


def match_socketio_path(app: Any, path: str = "/socket.io/") -> None:
    """Give the Socket.IO path a URL rule of its own, so that each event's context matches it.

    Flask-SocketIO runs every event handler in a request context made from the connection's
    handshake, and a request context matches its path against the application's URL rules. With
    no rule for the Socket.IO path, each event raised and kept a NotFound whose traceback points
    back at the context: 45 to 60 objects per event in reference cycles, which only the garbage
    collector frees, in passes that hold every connection (make load saw passes of 10-60 ms in a
    room of 1,000 phones). HTTP requests to this path never reach Flask: the Socket.IO server
    answers them first, so the view is there only to be matched.
    """

    def socketio_path() -> tuple[str, int]:
        return "Socket.IO answers here.", 404

    app.add_url_rule(
        path, "socketio_path", socketio_path, methods=["GET", "POST"], strict_slashes=False
    )
