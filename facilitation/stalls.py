"""Every hold of the server's event loop over STALL_REPORT_MS, logged with where it happened.

Under gevent one thread serves every phone and board: any piece of work that keeps it for long
holds every connection at once, and shows as a slow second in a room (make load's 5-second
slices). gevent's monitor thread notices when the loop has not switched for a set time and
reports the stack it was stuck in; here each report becomes one log line, "event loop held over
50 ms at FILE:LINE in FUNCTION", naming the deepest frame of the product's own code (or the
deepest frame when none is the product's), which `make load` counts and ranks.

The monitor runs in a native thread, where the patched logging locks must not be taken: it only
appends to a deque, and a greenlet of the server writes the lines out.
"""

from __future__ import annotations

import collections
import logging
import re

log = logging.getLogger(__name__)
# Frames of the product's own code, looked for from the innermost frame out.
_OWN_CODE = re.compile(r'File "[^"]*/(facilitation|analysis)/')
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
_held: collections.deque[str] = collections.deque(maxlen=1000)


def place(stack: str) -> str:
    """Where a blocked stack was stuck: FILE:LINE in FUNCTION, the product's deepest frame."""
    frames = [line for line in stack.splitlines() if line.strip().startswith("File ")]
    own = [line for line in frames if _OWN_CODE.search(line)]
    chosen = (own or frames or ["unknown"])[-1]
    match = _FRAME.search(chosen)
    if match is None:
        return chosen.strip()
    path = re.sub(r"^.*/(?=(facilitation|analysis|site-packages|lib)/)", "", match["file"])
    return f"{path}:{match['line']} in {match['function']}"


def _on_event(event: object) -> None:
    """gevent's subscriber (monitor thread): keep the place of each blocked loop."""
    from gevent.events import EventLoopBlocked

    if isinstance(event, EventLoopBlocked):
        _held.append(place("\n".join(str(line) for line in event.info)))


def watch(threshold_ms: float) -> None:
    """Start gevent's monitor thread for this server's loop, reporting holds over threshold_ms."""
    if threshold_ms <= 0:
        return
    import gevent
    from gevent import config, events

    config.max_blocking_time = threshold_ms / 1000.0
    config.monitor_thread = True
    config.print_blocking_reports = False
    events.subscribers.append(_on_event)
    gevent.get_hub().start_periodic_monitoring_thread()

    def write_out() -> None:
        while True:
            gevent.sleep(1.0)
            while _held:
                log.warning("event loop held over %d ms at %s", threshold_ms, _held.popleft())

    gevent.spawn(write_out)
