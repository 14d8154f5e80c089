"""Run `facilitation serve` under gevent: patch the standard library first, then serve.

gevent serves every connection in one thread of greenlets, so blocking calls of the standard
library (sockets, `threading.Lock`, `threading.Event.wait`, `time.sleep`) must be replaced by
gevent's before the application creates any of them; unpatched, the background re-clustering's
`Event.wait` and the per-workshop locks block the only thread and the server stops answering.
`facilitation serve` cannot patch by itself: the console script imports the `facilitation`
package (Flask, Flask-SocketIO) before `cli.main` runs. So:

    ASYNC_MODE=gevent python -m facilitation.server --host 127.0.0.1 --port 5000

Python imports `facilitation/__init__.py` before this module too, which is why this module
re-executes the interpreter through `python -m gevent.monkey`, gevent's own launcher that patches
before any other import, and runs `facilitation.cli serve` there. With another async mode it
simply runs `serve`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Serve in the configured async mode, patched for gevent when that is the mode."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get("ASYNC_MODE") == "gevent":
        command = [sys.executable, "-m", "gevent.monkey", "--module", "facilitation.cli"]
        os.execv(sys.executable, [*command, "serve", *arguments])
    from facilitation.cli import main as cli

    cli(["serve", *arguments])


if __name__ == "__main__":
    main()
