"""Scale-out part of the load benchmark: N server processes on PostgreSQL and Redis.

`python -m benchmarks.load --processes 2` (or `--backend postgres`) starts a throwaway
PostgreSQL and Redis on 127.0.0.1 with `tests/servers.py`, then N `facilitation serve` processes
on the same DATABASE_URL, MESSAGE_QUEUE and SECRET_KEY (the first creates the demo workshop,
then the others start), and runs the room of `benchmarks/load.py` against them: phones and
boards are spread round-robin over the processes and connect to them directly (no balancer).
At the end every acknowledged client id must be stored exactly once in PostgreSQL.

`python -m benchmarks.load --scaleout 1,2,4` measures 1, 2 and 4 processes one after the other
on the same PostgreSQL and Redis servers (a fresh database for each run) and prints a table
with ratios against the first count. Everything is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.room import (
    ROOM_BEHIND_ONE_ADDRESS,
    ROOT,
    VENV_BIN,
    Figures,
    ServerProcess,
    _fmt,
    _load_average,
    error_excerpts,
    free_port,
    reclusterings,
    run_room,
    this_tree,
)

# A fixed key shared by every process of a run: it signs device cookies (a phone that joined
# through one process is recognised by any other) and derives the board key.
SECRET_KEY = "load-benchmark-scale-out-key"


@dataclass
class Backends:
    """The PostgreSQL and Redis servers a scale-out run uses."""

    postgres: object  # tests.servers.Postgres
    redis: object  # tests.servers.Redis


@contextlib.contextmanager
def backends() -> Iterator[Backends]:
    """Start a throwaway PostgreSQL and Redis on 127.0.0.1; stop both at the end."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.servers import start_postgres, start_redis

    folder = Path(tempfile.mkdtemp(prefix="load-backends-"))
    postgres = redis = None
    try:
        # tests/servers.py reports a missing binary with pytest.skip / pytest.fail, which raise
        # BaseException subclasses; turn them into a plain error for a command-line tool.
        try:
            postgres = start_postgres(folder / "pg")
            redis = start_redis(folder)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:
            if isinstance(error, Exception):
                raise
            raise RuntimeError(f"PostgreSQL or Redis could not start: {error}") from None
        yield Backends(postgres, redis)
    finally:
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def server_processes(
    count: int, async_mode: str, database: str, queue: str, folder: Path
) -> list[ServerProcess]:
    """N `facilitation serve` processes (not yet started) on one database and one queue."""
    servers = []
    for n in range(count):
        port = free_port()
        env = {
            **os.environ,
            **ROOM_BEHIND_ONE_ADDRESS,
            "INSTANCE_PATH": str(folder / f"instance-{n}"),
            "DATABASE_URL": database,
            "MESSAGE_QUEUE": queue,
            "SECRET_KEY": SECRET_KEY,
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "ASYNC_MODE": async_mode,
            # Only the first creates the demo workshop; the others print the same one.
            "CREATE_DEMO_WORKSHOP": "true" if n == 0 else "false",
            "PYTHONUNBUFFERED": "1",
            **this_tree(),
        }
        where = ["--host", "127.0.0.1", "--port", str(port)]
        # Under gevent, `serve` starts itself again through gevent's launcher.
        command = [str(VENV_BIN / "facilitation"), "serve", *where]
        servers.append(ServerProcess(command, env, port))
    return servers


def check_postgres(database: str, acked: set[str], figures: Figures) -> None:
    """Every acknowledged client id is stored exactly once in PostgreSQL; count what is not."""
    import psycopg

    with psycopg.connect(database.replace("postgresql+psycopg://", "postgresql://", 1)) as db:
        rows = db.execute("SELECT client_id, COUNT(*) FROM ideas GROUP BY client_id").fetchall()
    stored = collections.Counter(dict(rows))
    figures.lost = sum(1 for c in acked if stored[c] == 0)
    figures.duplicated = sum(1 for c in acked if stored[c] > 1)
    figures.stored_unacked = sum(1 for c in stored if c not in acked)


def measure_processes(
    count: int,
    async_mode: str,
    found: Backends,
    args: argparse.Namespace,
    texts: list[str],
) -> dict:
    """One run on `count` processes sharing a fresh database; returns its figures."""
    database = found.postgres.create_database()
    started_at = time.monotonic()
    servers: list[ServerProcess] = []
    try:
        with tempfile.TemporaryDirectory(prefix="load-scaleout-") as folder:
            servers = server_processes(count, async_mode, database, found.redis.url, Path(folder))
            try:
                for server in servers:  # one after the other: the first creates the workshop
                    server.start()
                figures = asyncio.run(run_room(servers, args, texts))
            finally:
                for server in servers:
                    server.stop()
            check_postgres(database, figures.acked_ids, figures)
    finally:
        found.postgres.drop_database(database)
    # Each process's peak (server + its clustering worker), summed: an upper bound of the
    # deployment's peak, as the processes need not peak at the same moment.
    figures.peak_rss_mb = sum(s.peak_rss for s in servers) / 2**20
    figures.server_rss_mb = sum(s.peak_main_rss for s in servers) / 2**20
    figures.workers_rss_mb = sum(s.peak_workers_rss for s in servers) / 2**20
    errors = [
        line for s in servers for line in s.output if "Traceback" in line or " ERROR " in line
    ]
    excerpts = [excerpt for s in servers for excerpt in error_excerpts(s.output)]
    result = {
        "server": f"{count} process{'es' if count > 1 else ''}",
        "processes": count,
        "backend": "postgres",
        "async_mode": async_mode,
        **figures.summary(),
        "server_errors": len(errors),
        "first_errors": excerpts[:3],
        "reclusterings": [reclusterings(s) for s in servers],
    }
    result["wall_s"] = time.monotonic() - started_at
    return result


def _ratio(value: float | None, base: float | None) -> str:
    """value / base as "1.23x"; "-" when either is unknown."""
    if value is None or not base:
        return "-"
    return f"{value / base:.2f}x"


def report(results: list[dict]) -> str:
    """The scale-out runs as one Markdown table, each with its ratio to the first run."""
    rows = [
        ("phones connected / failed", lambda r: f"{r['connected']} / {r['failed']}", None),
        ("time to connect all (s)", lambda r: _fmt(r["connect_all_s"], 1), "connect_all_s"),
        (
            "connect p50 / p99 (ms)",
            lambda r: f"{_fmt(r['connect_p50_ms'])} / {_fmt(r['connect_p99_ms'])}",
            None,
        ),
        (
            "ideas sent / acked / unacked",
            lambda r: f"{r['sent']} / {r['acked']} / {r['unacked']}",
            None,
        ),
        ("throughput (ideas acked/s)", lambda r: _fmt(r["throughput"], 1), "throughput"),
        ("ack p50 (ms)", lambda r: _fmt(r["ack_p50_ms"], 1), "ack_p50_ms"),
        ("ack p99 (ms)", lambda r: _fmt(r["ack_p99_ms"], 1), "ack_p99_ms"),
        ("submit-to-board p50 (ms)", lambda r: _fmt(r["board_p50_ms"], 1), "board_p50_ms"),
        ("submit-to-board p99 (ms)", lambda r: _fmt(r["board_p99_ms"], 1), "board_p99_ms"),
        ("board updates missing", lambda r: _fmt(r["board_missing"]), None),
        ("lost / duplicated", lambda r: f"{_fmt(r['lost'])} / {_fmt(r['duplicated'])}", None),
        ("dropped connections", lambda r: _fmt(r["disconnects"]), None),
        ("peak RSS, server processes (MB)", lambda r: _fmt(r["server_rss_mb"]), "server_rss_mb"),
        ("peak RSS, clustering workers (MB)", lambda r: _fmt(r["workers_rss_mb"]), None),
        ("peak RSS, total (MB)", lambda r: _fmt(r["peak_rss_mb"]), "peak_rss_mb"),
        ("CPU, server processes (s)", lambda r: _fmt(r["server_cpu_s"], 1), "server_cpu_s"),
        ("CPU, clustering workers (s)", lambda r: _fmt(r["workers_cpu_s"], 1), None),
        ("client CPU (s)", lambda r: _fmt(r["client_cpu_s"], 1), None),
        ("server errors logged", lambda r: _fmt(r["server_errors"]), None),
        (
            "re-clusterings logged (per process)",
            lambda r: f"{sum(r['reclusterings'])} ({' + '.join(map(str, r['reclusterings']))})",
            None,
        ),
        ("load average (1 min) before / after", _load_average, None),
    ]
    base = results[0]
    header = "| figure |"
    rule = "|---|"
    for n, result in enumerate(results):
        header += f" {result['server']}, {result['async_mode']} |"
        rule += "---|"
        if n:
            header += f" / {base['processes']} |"
            rule += "---|"
    lines = [header, rule]
    for label, show, key in rows:
        line = f"| {label} |"
        for n, result in enumerate(results):
            line += f" {show(result)} |"
            if n:
                line += f" {_ratio(result.get(key), base.get(key)) if key else ''} |"
        lines.append(line)
    return "\n".join(lines)


def scaleout_verdict(results: list[dict]) -> list[str]:
    """The scale-out target, met or not, for each async mode measured at several counts: ack p99
    at the most processes no worse than at the fewest, with each count's throughput."""
    lines = []
    for mode in dict.fromkeys(r["async_mode"] for r in results):
        runs = sorted((r for r in results if r["async_mode"] == mode), key=lambda r: r["processes"])
        if len(runs) < 2:
            continue
        fewest, most = runs[0], runs[-1]
        ok = (
            most["ack_p99_ms"] is not None
            and fewest["ack_p99_ms"] is not None
            and most["ack_p99_ms"] <= fewest["ack_p99_ms"]
        )
        throughput = ", ".join(f"{_fmt(r['throughput'], 1)} at {r['processes']}" for r in runs)
        lines.append(
            ("met:     " if ok else "NOT MET: ")
            + f"{mode}: ack p99 at {most['processes']} processes no worse than at "
            f"{fewest['processes']} ({_fmt(most['ack_p99_ms'], 1)} ms against "
            f"{_fmt(fewest['ack_p99_ms'], 1)} ms; ideas acknowledged per second: {throughput})"
        )
    return lines


def run(counts: list[int], args: argparse.Namespace, texts: list[str]) -> list[dict]:
    """Measure each count of processes in each async mode on one PostgreSQL and Redis."""
    results = []
    with backends() as found:
        for mode in args.modes:
            for count in counts:
                print(
                    f"-- {count} server process(es) on PostgreSQL + Redis, async_mode={mode} ...",
                    flush=True,
                )
                result = measure_processes(count, mode, found, args, texts)
                results.append(result)
                print(f"   done in {result['wall_s']:.0f} s", flush=True)
    return results
