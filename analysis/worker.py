"""Running analysis in a separate process, below the caller's priority and never beyond its life.

The board computes themes and comparisons in a worker process (a `ProcessPoolExecutor` started
with "spawn"), so that they never hold up the server that answers phones. `start` is that
executor's initializer and `call` its entry point. The worker imports this package only, not
the web application, and the web application names what the worker runs instead of importing it:
scikit-learn and SciPy, which only clustering needs, are then never loaded by the server.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

from analysis.text import known_languages

# Arrays of at least this many bytes get memory of their own from the system, given back when
# freed (glibc's M_MMAP_THRESHOLD). Without a fixed threshold glibc raises it to the largest array
# freed so far, and the worker then keeps the high-water mark of every clustering it ran.
MMAP_THRESHOLD = 256 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h

# How much lower than the caller the worker runs (see os.nice): on a busy machine the
# server's answers to phones and boards come first, themes take the cores it leaves. The worker
# is also a batch task for the scheduler (SCHED_BATCH): it never preempts the server when it
# wakes, and is given longer slices when it does run. Embedding a room's ideas as they arrive
# keeps most of a core busy during a flood of ideas; at the lowest priority it still has every
# core the server, the projector's browser and the rest of the laptop leave idle.
NICENESS = 19


def return_large_blocks() -> None:
    """Make freed large blocks go back to the system at once (see MMAP_THRESHOLD)."""
    with contextlib.suppress(OSError, AttributeError):  # glibc only; elsewhere the default stays
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def start(parent_pid: int) -> None:
    """Initialise a worker process: lower its priority, and end it when its parent is gone."""
    with contextlib.suppress(OSError, AttributeError):  # Linux only; elsewhere os.nice alone
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    return_large_blocks()

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        # The parent died (even by SIGKILL): an orphaned worker must not linger.
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def call(
    name: str, languages: Mapping[str, str], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> Any:
    """Run the analysis function `name` ("module.function") with the given texts' languages.

    languages maps texts to the languages the caller already decided, so that the worker does not
    load the language model for them.
    """
    module, _, function = name.rpartition(".")
    target = getattr(importlib.import_module(module), function)
    with known_languages(languages):
        return target(*args, **kwargs)
