"""The stall monitor: every hold of the gevent loop over the threshold is logged with its place."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from facilitation.stalls import place

ROOT = Path(__file__).resolve().parents[2]


def test_the_place_is_the_products_deepest_frame():
    stack = textwrap.dedent(
        """\
          File "/x/site-packages/gevent/hub.py", line 10, in run
          File "/x/facilitation/facilitator/events.py", line 42, in on_split_theme
          File "/x/analysis/themes.py", line 7, in find_themes
          File "/x/site-packages/numpy/core/fromnumeric.py", line 3, in sum
        """
    )
    assert place(stack) == "analysis/themes.py:7 in find_themes"
    assert place('  File "/x/site-packages/flask/app.py", line 5, in wsgi_app') == (
        "site-packages/flask/app.py:5 in wsgi_app"
    )


def test_a_busy_loop_under_gevent_is_logged_with_where_it_held_the_loop():
    script = textwrap.dedent(
        """\
        from gevent import monkey; monkey.patch_all()
        import logging, time, gevent, sys
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
        from facilitation import stalls
        stalls.watch(30)
        gevent.sleep(0.5)  # the monitor thread is running before the loop is held
        def hold_the_loop():
            end = time.perf_counter() + 1.0
            while time.perf_counter() < end:
                pass
        for _ in range(3):  # three chances: on a busy machine the monitor may start late
            hold_the_loop()
            gevent.sleep(0.5)
        gevent.sleep(1.0)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "event loop held over 30 ms" in line]
    assert lines, done.stderr
    assert all("<string>" in line and "hold_the_loop" in line for line in lines), lines
