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
