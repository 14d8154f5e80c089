"""How `benchmarks.load --runs N` folds its runs into one table."""

from __future__ import annotations

from benchmarks.load import medians


def figures(server: str, ack_p99: float, lost: int | None, slices: list, stalls: list) -> dict:
    """The part of one run's result that the medians read."""
    return {
        "server": server,
        "async_mode": "gevent",
        "ack_p99_ms": ack_p99,
        "acked": 100,
        "lost": lost,
        "ack_p99_ms_by_5s": slices,
        "stalls": stalls,
        "load_average": (0.5, 0.7),
    }


def test_each_figure_is_its_median_and_a_loss_in_any_run_counts():
    runs = [
        [figures("app", 10.0, 0, [5, 40], []), figures("echo", 2.0, None, [3], [])],
        [figures("app", 30.0, 1, [5, 90], ["a.py:1"]), figures("echo", 4.0, None, [9], [])],
        [
            figures("app", 20.0, 0, [70, 5], ["b.py:2", "b.py:2"]),
            figures("echo", 3.0, None, [], []),
        ],
    ]
    app, echo = medians(runs)
    assert (app["server"], echo["server"]) == ("app", "echo")
    assert app["ack_p99_ms"] == 20.0 and echo["ack_p99_ms"] == 3.0
    assert app["lost"] == 1  # the worst run, not the median (0)
    assert echo["lost"] is None  # the floor stores nothing: no figure, not zero
    assert app["ack_p99_ms_by_5s"] == [70]  # the median of the runs' worst slices 40, 90, 70
    assert echo["ack_p99_ms_by_5s"] == [6.0]  # a run without a slice does not count
    assert app["stall_count"] == 1 and sorted(app["stalls"]) == ["a.py:1", "b.py:2", "b.py:2"]
    assert app["runs"] == 3 and app["load_average"] == (0.5, 0.7)


def test_the_scale_out_target_compares_the_most_processes_with_the_fewest():
    """Met when ack p99 at the most processes is no worse than at the fewest, per async mode;
    each count's throughput is given; a mode measured at one count has no such target."""
    from benchmarks.load_scaleout import scaleout_verdict

    def run(mode: str, processes: int, p99: float | None) -> dict:
        return {"async_mode": mode, "processes": processes, "ack_p99_ms": p99, "throughput": 50.0}

    lines = scaleout_verdict(
        [
            run("gevent", 1, 23.9),
            run("gevent", 2, 20.6),
            run("gevent", 4, 28.0),
            run("threading", 4, 30.0),
            run("threading", 1, 31.0),
            run("eventlet", 1, 10.0),
        ]
    )
    assert len(lines) == 2
    assert lines[0].startswith("NOT MET: gevent: ack p99 at 4 processes no worse than at 1")
    assert (
        "(28.0 ms against 23.9 ms; ideas acknowledged per second: 50.0 at 1, 50.0 at 2" in lines[0]
    )
    assert lines[1].startswith("met:     threading: ack p99 at 4 processes")
    assert scaleout_verdict([run("gevent", 1, 20.0), run("gevent", 4, None)])[0].startswith(
        "NOT MET"
    )
