"""Running analysis in a separate process, below the caller's priority and never beyond its life.

The board computes themes and comparisons in a worker process (a `ProcessPoolExecutor` started
with "spawn"), so that they never hold up the server that answers phones. `start` is that
executor's initializer. The worker imports this package only, not the web application.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

# How much lower than the caller the worker runs (see os.nice): on a busy machine the
# server's answers to phones and boards come first, themes take the cores it leaves.
NICENESS = 10


def start(parent_pid: int) -> None:
    """Initialise a worker process: lower its priority, and end it when its parent is gone."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        # The parent died (even by SIGKILL): an orphaned worker must not linger.
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
