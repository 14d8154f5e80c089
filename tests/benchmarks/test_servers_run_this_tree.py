"""The servers a benchmark starts run the code of the checkout the benchmark runs from."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from benchmarks.load_scaleout import server_processes
from benchmarks.room import ROOT, VENV_BIN, app_server, echo_server


def test_every_benchmark_server_imports_this_checkout(tmp_path):
    """Even when the environment's editable install points at another checkout (a worktree
    sharing it), a server imports this one's packages: its PYTHONPATH starts here."""
    servers = [
        app_server("gevent", tmp_path / "instance"),
        echo_server("gevent"),
        *server_processes(2, "gevent", "postgresql://unused", "redis://unused", tmp_path),
    ]
    for server in servers:
        assert server.env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)
    found = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-c",
            "import analysis, facilitation; print(facilitation.__file__); print(analysis.__file__)",
        ],
        env=servers[0].env,
        cwd=tmp_path,  # not this checkout: only the environment says where the code is
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert [Path(f).parent.parent for f in found] == [ROOT, ROOT]
