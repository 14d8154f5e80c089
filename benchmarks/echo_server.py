"""A bare Flask-SocketIO server that speaks just enough of the board's protocol to be a floor.

The load benchmark runs the same phones and boards against it and against the real server, in
the same async mode, so the real server's figures can be read as a ratio over what Flask-SocketIO
itself costs on this machine: a join page that sets a signed cookie, a connect that joins rooms
and sends `sync`, and a `submit_idea` that acknowledges at once and emits `update` to the boards.
No database, no validation, no clustering.

Run: `ASYNC_MODE=threading python -m benchmarks.echo_server --port 5900`. Under gevent it
monkey-patches before importing anything else, as a gevent server must.
"""

from __future__ import annotations

import os

if __name__ == "__main__" and os.environ.get("ASYNC_MODE") == "gevent":
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import secrets  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from flask import Flask, request, session  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

CODE = "ECHO42"
KEY = "echo-board-key"


def create_echo_app(async_mode: str) -> tuple[Flask, SocketIO]:
    """The echo application and its Socket.IO server, in async_mode."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    socketio = SocketIO(
        app,
        async_mode=async_mode,
        max_http_buffer_size=64 * 1024,
        ping_interval=10,
        ping_timeout=20,
    )
    seq = itertools.count(1)
    seq_lock = threading.Lock()

    @app.get("/j/<code>")
    def phone_page(code: str):
        """Give the phone a signed device cookie, like the real join page."""
        session.setdefault("device", secrets.token_hex(16))
        return f"<!doctype html><title>{code}</title>"

    @socketio.on("connect")
    def on_connect(auth=None):  # noqa: ANN001
        """Join the rooms of the role and send an empty `sync`."""
        if not isinstance(auth, dict) or auth.get("code") != CODE:
            raise ConnectionRefusedError("Unknown code.")
        role = auth.get("role")
        if role == "phone" and "device" not in session:
            raise ConnectionRefusedError("No device cookie.")
        if role != "phone" and auth.get("key") != KEY:
            raise ConnectionRefusedError("Wrong key.")
        join_room("phones")
        if role != "phone":
            join_room("board")
        emit("sync", {"mode": "snapshot", "seq": 0, "snapshot": {}})

    @socketio.on("submit_idea")
    def on_submit_idea(data):  # noqa: ANN001
        """Acknowledge at once and show the idea to the boards."""
        with seq_lock:
            number = next(seq)
        text = data.get("text") if isinstance(data, dict) else None
        socketio.emit(
            "update",
            {"seq": number, "kind": "idea_added", "data": {"idea": {"id": number, "text": text}}},
            to="board",
        )
        return {"ok": True, "duplicate": False, "sid": request.sid}

    return app, socketio


def main(argv: list[str] | None = None) -> None:
    """Serve the echo application on 127.0.0.1 until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5900)
    args = parser.parse_args(argv)
    async_mode = os.environ.get("ASYNC_MODE", "threading")
    app, socketio = create_echo_app(async_mode)
    print(f"Echo server on {args.host}:{args.port} (async_mode={async_mode})", flush=True)
    print(f"  Join code:    {CODE}", flush=True)
    print(f"  Board:        http://{args.host}:{args.port}/board/{CODE}?key={KEY}", flush=True)
    sys.stdout.flush()
    socketio.run(
        app,
        host=args.host,
        port=args.port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=False,
    )


if __name__ == "__main__":
    main()
