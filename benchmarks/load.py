"""Load benchmark: a full room of phones on one server, measured against a bare echo server.

Starts the real server (`facilitation serve`) on 127.0.0.1 in a temporary instance folder, joins
N phones at once (each opens the join page for its signed device cookie, then connects Socket.IO
as a phone), then has them submit real statements (the Polis "march-on" conversation, in the
order they were written) at a fixed rate while a few boards measure how long each idea takes to
reach them. At the end it checks the SQLite file: every acknowledged client id stored exactly
once. The same phones and boards then run against `benchmarks/echo_server.py` (Flask-SocketIO
alone, same async mode) as the floor, so figures can be read as ratios on a noisy machine.

Memory and CPU are reported for the server process and its clustering worker processes
separately, and summed; the machine's load average is recorded before and after each run.

With `--processes N` (or `--backend postgres`) the room runs instead against N server processes
on a throwaway PostgreSQL and Redis, phones and boards spread round-robin over them, and
`--scaleout 1,2,4` compares several counts in one run (see `benchmarks/load_scaleout.py`).

    python -m benchmarks.load                       # 500 phones, 50 ideas/s for 60 s, both modes
    python -m benchmarks.load --phones 200 --rate 20 --seconds 20   # a quick run
    python -m benchmarks.load --modes threading --scaleout 1,2,4    # 1, 2, 4 processes

Everything listens on and talks to 127.0.0.1 only, every wait is bounded, and every server it
started is stopped at the end.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import platform
import random
import statistics
import time
from pathlib import Path

import psutil

from benchmarks import load_scaleout
from benchmarks.contention import KINDS
from benchmarks.room import (
    TARGETS,
    THEME_RATE,
    _fmt,
    _load_average,
    _ratio,
    measure,
    statements,
)


def _worst_slice(result: dict) -> float | None:
    """The highest ack p99 of the run's 5-second slices."""
    slices = [ms for ms in result.get("ack_p99_ms_by_5s") or [] if ms is not None]
    return max(slices) if slices else None


# Figures where the worst run counts, not the middle one: one lost idea in three runs is a loss.
WORST_OF_RUNS = frozenset(
    {"failed", "unacked", "lost", "duplicated", "board_missing", "disconnects", "server_errors"}
)


def medians(runs: list[list[dict]]) -> list[dict]:
    """One result per server and mode: the median of each figure over the runs.

    Counts of what went wrong take the worst run; the 5-second slices become each run's worst
    slice (so the worst-slice figure is the median of the runs' worst); the places where the
    event loop was held are those of every run.
    """
    merged = []
    for first in runs[0]:
        same = [
            r
            for run in runs
            for r in run
            if r["server"] == first["server"] and r["async_mode"] == first["async_mode"]
        ]
        result = dict(first)
        for key, value in first.items():
            values = [r.get(key) for r in same]
            if isinstance(value, bool) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
            ):
                continue
            middle = statistics.median(values)
            if all(isinstance(v, int) for v in values):
                middle = round(middle)
            result[key] = max(values) if key in WORST_OF_RUNS else middle
        worst = [_worst_slice(r) for r in same]
        result["ack_p99_ms_by_5s"] = (
            [statistics.median(w for w in worst if w is not None)]
            if any(w is not None for w in worst)
            else []
        )
        result["stalls"] = [place for r in same for place in r.get("stalls") or []]
        result["stall_count"] = statistics.median(len(r.get("stalls") or []) for r in same)
        result["runs"] = len(same)
        merged.append(result)
    return merged


def _join_cpu(result: dict) -> str:
    """The server CPU of the join storm, and the rest of the run's per acknowledged idea."""
    total, joining, acked = (result.get(k) for k in ("server_cpu_s", "server_join_cpu_s", "acked"))
    if total is None or joining is None or not acked:
        return "-"
    return f"{joining:.1f} / {(total - joining) / acked * 1000:.2f}"


def report(results: list[dict], args: argparse.Namespace) -> str:
    """The figures of every run as a Markdown table, with ratios to the echo floor."""
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
        ("ideas refused (by code)", lambda r: _fmt(dict(r["rejected"]) or 0), None),
        ("achieved rate (ideas/s)", lambda r: _fmt(r["achieved_rate"], 1), None),
        ("throughput (ideas acked/s)", lambda r: _fmt(r["throughput"], 1), None),
        ("ack p50 (ms)", lambda r: _fmt(r["ack_p50_ms"], 1), "ack_p50_ms"),
        ("ack p99 (ms)", lambda r: _fmt(r["ack_p99_ms"], 1), "ack_p99_ms"),
        ("ack p99, worst 5-second slice (ms)", lambda r: _fmt(_worst_slice(r), 1), None),
        ("submit-to-board p50 (ms)", lambda r: _fmt(r["board_p50_ms"], 1), "board_p50_ms"),
        ("submit-to-board p99 (ms)", lambda r: _fmt(r["board_p99_ms"], 1), "board_p99_ms"),
        (
            "submit-to-theme p50 / p99 (ms; placed on arrival or re-clustered)",
            lambda r: f"{_fmt(r.get('theme_p50_ms'), 0)} / {_fmt(r.get('theme_p99_ms'), 0)}",
            None,
        ),
        ("board updates missing", lambda r: _fmt(r["board_missing"]), None),
        ("lost / duplicated", lambda r: f"{_fmt(r['lost'])} / {_fmt(r['duplicated'])}", None),
        ("dropped connections", lambda r: _fmt(r["disconnects"]), None),
        ("peak RSS, server process (MB)", lambda r: _fmt(r["server_rss_mb"]), "server_rss_mb"),
        ("peak RSS, clustering workers (MB)", lambda r: _fmt(r["workers_rss_mb"]), None),
        ("peak RSS, server + workers (MB)", lambda r: _fmt(r["peak_rss_mb"]), "peak_rss_mb"),
        ("CPU, server process (s)", lambda r: _fmt(r["server_cpu_s"], 1), "server_cpu_s"),
        (
            "of which joining (s) / per idea after joining (ms)",
            _join_cpu,
            None,
        ),
        ("CPU, clustering workers (s)", lambda r: _fmt(r["workers_cpu_s"], 1), None),
        ("client CPU (s)", lambda r: _fmt(r["client_cpu_s"], 1), None),
        (
            "CPU of the contention, first / second (s; browsers: board / facilitator)",
            lambda r: " / ".join(_fmt(r.get(f"contention_{n}_cpu_s"), 1) for n in (1, 2)),
            None,
        ),
        ("server errors logged", lambda r: _fmt(r["server_errors"]), None),
        ("re-clusterings logged", lambda r: _fmt(sum(r.get("reclusterings") or [])), None),
        (
            "slowest re-clustering read / apply on the loop (ms)",
            lambda r: " / ".join(
                _fmt(r.get(key), 1) for key in ("recluster_read_ms", "recluster_apply_ms")
            ),
            None,
        ),
        (
            "ideas changing theme per re-clustering, median / largest",
            lambda r: " / ".join(
                _fmt(r.get(key)) for key in ("recluster_moved_median", "recluster_moved_max")
            ),
            None,
        ),
        (
            "event-loop holds over 50 ms",
            lambda r: _fmt(r.get("stall_count", len(r.get("stalls") or []))),
            None,
        ),
        ("load average (1 min) before / after", _load_average, None),
    ]
    columns = []
    for mode in args.modes:
        app = next((r for r in results if r["async_mode"] == mode and r["server"] == "app"), None)
        echo = next((r for r in results if r["async_mode"] == mode and r["server"] == "echo"), None)
        columns.append((mode, app, echo))
    header = "| figure |"
    rule = "|---|"
    for mode, _app, echo in columns:
        header += f" app, {mode} |"
        rule += "---|"
        if echo:
            header += f" echo, {mode} | app / echo |"
            rule += "---|---|"
    lines = [header, rule]
    for label, show, ratio_key in rows:
        line = f"| {label} |"
        for _mode, app, echo in columns:
            line += f" {show(app) if app else '-'} |"
            if echo:
                ratio = _ratio(app.get(ratio_key), echo.get(ratio_key)) if ratio_key and app else ""
                line += f" {show(echo)} | {ratio} |"
        lines.append(line)
    return "\n".join(lines)


def verdict(result: dict, args: argparse.Namespace, floor: dict | None = None) -> list[str]:
    """Each target, met or not, for one run of the real server (and against its echo floor,
    measured in the same run under the same contention, where there is one)."""

    def check(ok: bool, text: str) -> str:
        """One line of the verdict."""
        return ("met:     " if ok else "NOT MET: ") + text

    def at_most(value: float | None, limit: float) -> bool:
        """True when value is known and within limit."""
        return value is not None and value <= limit

    processes = result.get("processes", 1)
    each = f", mean of {processes} processes" if processes > 1 else ""

    def per_process(value: float | None) -> float | None:
        """A memory figure summed over the processes, per process."""
        return None if value is None else value / processes

    return [
        check(
            result["failed"] == 0 and at_most(result["connect_all_s"], TARGETS["connect_all_s"]),
            f"{args.phones} phones connected within 10 s with no failure "
            f"({result['connected']} in {_fmt(result['connect_all_s'], 1)} s, "
            f"{result['failed']} failed)",
        ),
        check(
            at_most(result["ack_p99_ms"], TARGETS["ack_p99_ms"]),
            f"ack p99 <= 150 ms ({_fmt(result['ack_p99_ms'], 1)} ms)",
        ),
        check(
            at_most(result["board_p99_ms"], TARGETS["board_p99_ms"]),
            f"submit-to-board p99 <= 300 ms ({_fmt(result['board_p99_ms'], 1)} ms)",
        ),
        check(
            result["lost"] == 0 and result["duplicated"] == 0 and result["unacked"] == 0,
            f"zero lost, zero duplicated (lost {result['lost']}, duplicated "
            f"{result['duplicated']}, never acknowledged {result['unacked']})",
        ),
        *(
            [
                check(
                    at_most(result.get("theme_p99_ms"), TARGETS["theme_p99_ms"]),
                    f"a new idea's theme follows within 2 s at {_fmt(args.rate)} ideas/s "
                    f"(p99 {_fmt(result.get('theme_p99_ms'))} ms, {result.get('themed')} ideas)",
                )
            ]
            if args.rate <= THEME_RATE
            else []
        ),
        *(_against_floor(result, floor, check, at_most) if floor else []),
        check(
            at_most(_worst_slice(result), TARGETS["slice_p99_ms"]),
            f"no 5-second slice with ack p99 over 300 ms (worst {_fmt(_worst_slice(result))} ms)",
        ),
        check(
            at_most(per_process(result["server_rss_mb"]), TARGETS["server_rss_mb"]),
            f"server process <= 250 MB ({_fmt(per_process(result['server_rss_mb']))} MB{each})",
        ),
        check(
            at_most(per_process(result["workers_rss_mb"]), TARGETS["worker_rss_mb"]),
            f"clustering worker, with the semantic model, <= 350 MB "
            f"({_fmt(per_process(result['workers_rss_mb']))} MB{each})",
        ),
    ]


def _against_floor(result: dict, floor: dict, check, at_most) -> list[str]:  # noqa: ANN001
    """The targets set as ratios to the echo floor of the same run."""

    def ratio(key: str) -> float | None:
        value, base = result.get(key), floor.get(key)
        return value / base if value is not None and base else None

    def per_idea(figures: dict) -> float | None:
        return figures["server_cpu_s"] / figures["acked"] if figures.get("acked") else None

    cpu = per_idea(result) / per_idea(floor) if per_idea(result) and per_idea(floor) else None
    ack, board = ratio("ack_p99_ms"), ratio("board_p99_ms")
    return [
        check(
            at_most(ack, TARGETS["floor_ratio"]) and at_most(board, TARGETS["floor_ratio"]),
            f"ack p99 and submit-to-board p99 <= 3x the floor's "
            f"({_fmt(ack, 1)}x and {_fmt(board, 1)}x)",
        ),
        check(
            at_most(cpu, TARGETS["cpu_ratio"]),
            f"server CPU per acknowledged idea <= 2x the floor's ({_fmt(cpu, 1)}x: "
            f"{_fmt(1000 * (per_idea(result) or 0), 2)} ms against "
            f"{_fmt(1000 * (per_idea(floor) or 0), 2)} ms)",
        ),
    ]


def machine() -> str:
    """The machine the figures were measured on."""
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({model}), {psutil.virtual_memory().total / 2**30:.1f} GB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=500, help="phones that join (500)")
    parser.add_argument("--boards", type=int, default=3, help="boards that time ideas (3)")
    parser.add_argument("--rate", type=float, default=50.0, help="ideas per second (50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds of submitting (60)")
    parser.add_argument(
        "--modes",
        default="threading,gevent",
        help="async modes of the server, comma-separated (threading,gevent)",
    )
    parser.add_argument("--no-echo", action="store_true", help="skip the echo-server floor")
    parser.add_argument(
        "--contention",
        choices=KINDS,
        default="none",
        help="what else runs during both the app and the floor runs: two headless Chromium "
        "pages (board and facilitator), two busy processes, or none (default)",
    )
    parser.add_argument(
        "--transport",
        choices=("upgrade", "websocket"),
        default="upgrade",
        help="upgrade: polling then WebSocket, as browsers do (default)",
    )
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=60.0,
        help="seconds one phone may take to join (60)",
    )
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="sqlite: one process on its SQLite file (default); postgres: throwaway PostgreSQL "
        "and Redis on 127.0.0.1, see --processes",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="server processes on PostgreSQL + Redis (implies --backend postgres when > 1)",
    )
    parser.add_argument(
        "--scaleout",
        help="comma-separated process counts measured in one run on PostgreSQL + Redis, for "
        "example 1,2,4 (ratios against the first)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="repeat the app and floor pair this many times and report medians (1)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--server-log",
        metavar="PREFIX",
        help="write each run's server output to PREFIX-<app|echo>-<mode>.log",
    )
    args = parser.parse_args(argv)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not 1 <= args.phones <= 2000 or args.rate <= 0 or not 0 < args.seconds <= 600:
        parser.error("phones 1..2000, rate > 0, seconds 0..600")
    if not 1 <= args.runs <= 9:
        parser.error("--runs 1..9")
    try:
        counts = [int(n) for n in args.scaleout.split(",")] if args.scaleout else []
    except ValueError:
        parser.error("--scaleout takes process counts, for example 1,2,4")
    if not counts and (args.processes > 1 or args.backend == "postgres"):
        counts = [args.processes]
    if any(not 1 <= n <= 8 for n in counts) or len(counts) > 5:
        parser.error("process counts 1..8, at most 5 of them")
    args.counts = counts
    if counts:
        args.backend = "postgres"
        # A board on every process, so that every process's broadcast is timed.
        args.boards = max(args.boards, *counts)
    return args


def main_scaleout(args: argparse.Namespace, texts: list[str]) -> None:
    """Measure the room on one or several processes on PostgreSQL + Redis and print it."""
    results = load_scaleout.run(args.counts, args, texts)
    print()
    print(load_scaleout.report(results))
    for result in results:
        for reason, count in sorted(result["failures"].items(), key=lambda kv: -kv[1])[:5]:
            print(f"connect failure ({result['server']}): {count} x {reason}")
        for excerpt in result["first_errors"]:
            print(f"server error ({result['server']}):\n{excerpt}")
    for result in results:
        print(f"\nTargets, {result['server']}, async_mode={result['async_mode']}:")
        for line in verdict(result, args):
            print("  " + line)
    scaling = load_scaleout.scaleout_verdict(results)
    if scaling:
        print("\nTarget, scale-out (one run per count: see docs/benchmarks.md on noise):")
        for line in scaling:
            print("  " + line)
    if args.json:
        write_json(args, results)


def write_json(args: argparse.Namespace, results: list[dict]) -> None:
    """Write the machine, the arguments and every run's figures to args.json."""
    args.json.write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": vars(args) | {"json": str(args.json)},
                "results": results,
            },
            indent=2,
            default=str,
        )
    )


def main(argv: list[str] | None = None) -> None:
    """Run the load benchmark and print its figures."""
    args = parse_arguments(argv)
    texts = statements()
    random.seed(7)
    print(f"Machine: {machine()}")
    print(
        f"Load: {args.phones} phones, {args.boards} boards, {args.rate:g} ideas/s for "
        f"{args.seconds:g} s, transport {args.transport}, {len(texts)} statements, "
        f"contention: {args.contention}\n"
    )
    if args.counts:
        main_scaleout(args, texts)
        return
    runs: list[list[dict]] = []
    for number in range(1, args.runs + 1):
        results = []
        for mode in args.modes:
            # The floor right after its app run: both see the machine as it is then.
            for kind in ("app",) if args.no_echo else ("app", "echo"):
                started = time.monotonic()
                of = f", run {number} of {args.runs}" if args.runs > 1 else ""
                print(f"-- {kind} server, async_mode={mode}{of} ...", flush=True)
                result = measure(kind, mode, args, texts)
                result["wall_s"] = time.monotonic() - started
                results.append(result)
                print(f"   done in {result['wall_s']:.0f} s", flush=True)
        runs.append(results)
        if args.runs > 1:
            print(f"\nRun {number} of {args.runs}:\n{report(results, args)}\n", flush=True)
    results = runs[0] if args.runs == 1 else medians(runs)
    print()
    if args.runs > 1:
        print(
            f"Medians of {args.runs} runs (each figure on its own; counts of failures: "
            "the worst run):"
        )
    print(report(results, args))
    for result in results:
        for reason, count in sorted(result["failures"].items(), key=lambda kv: -kv[1])[:5]:
            print(
                f"connect failure ({result['server']}, {result['async_mode']}): {count} x {reason}"
            )
        for excerpt in result["first_errors"]:
            print(f"server error ({result['server']}, {result['async_mode']}):\n{excerpt}")
        worst = collections.Counter(result.get("stalls") or []).most_common(5)
        if worst:
            print(f"\nWhere the event loop was held ({result['server']}, {result['async_mode']}):")
            for place, count in worst:
                print(f"  {count} x {place}")
    for result in results:
        if result["server"] == "app":
            floor = next(
                (
                    r
                    for r in results
                    if r["server"] == "echo" and r["async_mode"] == result["async_mode"]
                ),
                None,
            )
            print(f"\nTargets, async_mode={result['async_mode']}:")
            for line in verdict(result, args, floor):
                print("  " + line)
    if args.json:
        write_json(args, results if args.runs == 1 else [*results, *sum(runs, [])])


if __name__ == "__main__":
    main()
