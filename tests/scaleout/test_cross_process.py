"""Several server processes on PostgreSQL and Redis act as one: every change reaches every board."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from facilitation.locks import _key
from tests.scaleout.conftest import stays_true, wait_until

pytestmark = pytest.mark.scaleout


def test_idea_vote_and_curation_cross_processes(deployment, clients):
    """An idea sent through one process, a vote and a hide through the other, reach all boards."""
    room = deployment(2)
    a, b = room.processes
    board_a, board_b = clients(a, room, "board"), clients(b, room, "board")
    phone = clients(a, room, "phone")
    reply = phone.call("submit_idea", {"client_id": "xproc-0000001", "text": "Finanțare IMM"})
    assert reply["ok"], reply
    for board in (board_a, board_b):
        wait_until(lambda board=board: "idea_added" in board.kinds())
    idea_id = next(u for u in board_b.updates if u["kind"] == "idea_added")["data"]["idea"]["id"]

    controls_b = clients(b, room, "facilitator")
    # The voter joins before the vote opens: devices made after it do not vote (the join window).
    voter_b = clients(b, room, "phone")
    assert controls_b.call("set_vote_rules", {"target": "ideas", "budget": 3, "cap": 2})["ok"]
    assert controls_b.call("set_phase", {"phase": "vote"})["ok"]
    assert voter_b.call("cast_votes", {"votes": {str(idea_id): 2}})["ok"]
    wait_until(lambda: "votes_cast" in board_a.kinds())

    assert controls_b.call("set_vote_open", {"open": False})["ok"]
    assert controls_b.call("set_phase", {"phase": "results"})["ok"]
    results = wait_until(lambda: [u for u in board_a.updates if u["data"].get("results")])[-1][
        "data"
    ]["results"]
    assert [(r["id"], r["dots"]) for r in results] == [(idea_id, 2)]

    assert controls_b.call("hide_idea", {"idea_id": idea_id, "hidden": True})["ok"]
    wait_until(lambda: "idea_hidden" in board_a.kinds())


def test_same_idea_through_two_processes_is_stored_once(deployment, clients):
    """A phone that re-sends an idea through another process after a failover stores it once."""
    room = deployment(2)
    a, b = room.processes
    board = clients(b, room, "board")
    phone_a = clients(a, room, "phone")
    phone_a.call("submit_idea", {"client_id": "failover-0001", "text": "O idee"})
    wait_until(lambda: board.kinds().count("idea_added") == 1)
    phone_a.close()
    # The same device (same cookie) re-sends the idea through the other process.
    same = clients(b, room, "phone", cookies=phone_a.cookies)
    reply = same.call("submit_idea", {"client_id": "failover-0001", "text": "O idee"})
    assert reply["ok"] and reply["duplicate"] is True
    # Another device cannot claim that idea.
    other = clients(b, room, "phone")
    assert (
        other.call("submit_idea", {"client_id": "failover-0001", "text": "x"})["code"] == "conflict"
    )
    assert board.kinds().count("idea_added") == 1


def test_clustering_lock_lets_one_process_cluster_and_another_take_over(
    deployment, clients, postgres_server
):
    """Themes are computed by one process; when it dies, the survivor computes them."""
    room = deployment(2)
    a, b = room.processes
    board = clients(b, room, "board")
    phone = clients(b, room, "phone")
    texts = [
        "Finanțare pentru IMM-uri creative",
        "Granturi pentru start-up-uri culturale",
        "Fonduri europene pentru IMM-uri",
        "Mentorat pentru tineri antreprenori",
        "Mentori din firme pentru studenți",
        "Programe de mentorat în licee",
    ]
    for n, text_ in enumerate(texts):
        assert phone.call("submit_idea", {"client_id": f"lock-{n:08d}", "text": text_})["ok"]
    wait_until(lambda: "themes_updated" in board.kinds(), 30)

    # While someone holds a workshop's lock, no process re-clusters it.
    engine = create_engine(room.database)
    with engine.connect() as holder:
        workshop_id = holder.execute(text("SELECT id FROM workshops")).scalar()
        # A process may hold it for a moment (a re-clustering or a then-and-now comparison).
        wait_until(
            lambda: holder.execute(
                text("SELECT pg_try_advisory_lock(CAST(:k AS bigint))"), {"k": _key(workshop_id)}
            ).scalar(),
            30,
        )
        before = board.kinds().count("themes_updated")
        phone.call("submit_idea", {"client_id": "lock-held-0001", "text": "Turism cultural"})
        wait_until(lambda: "idea_added" in board.kinds()[-2:])
        # Several rounds of both loops (interval 0.5 s) pass without a re-clustering.
        stays_true(lambda: board.kinds().count("themes_updated") == before, seconds=3)
    # The holder's connection is gone (as when a process dies): a process takes over.
    engine.dispose()
    wait_until(lambda: board.kinds().count("themes_updated") > before, 30)

    # Kill the process that clustered last; the survivor clusters the next ideas.
    clustered_by = [p for p in (a, b) if "re-clustered workshop" in p.log.read_text()]
    assert clustered_by
    victim = clustered_by[-1]
    survivor = b if victim is a else a
    victim.kill()
    board_s = clients(survivor, room, "board")
    phone_s = clients(survivor, room, "phone")
    count = survivor.log.read_text().count("re-clustered workshop")
    for n in range(3):
        phone_s.call("submit_idea", {"client_id": f"after-{n:07d}", "text": f"Turism cultural {n}"})
    wait_until(lambda: "themes_updated" in board_s.kinds(), 30)
    # The server logs a re-clustering after publishing its themes: the log may follow a moment
    # after the board has them.
    wait_until(lambda: survivor.log.read_text().count("re-clustered workshop") > count, 10)


def test_each_idea_is_embedded_once_across_processes(deployment, clients):
    """With two processes, only the holder of a workshop's clustering lock embeds its ideas, and
    it stores each vector: every idea is embedded exactly once, whichever process received it."""
    import re

    from analysis import embedding

    if not embedding.available():
        pytest.skip("the semantic model is not installed")
    room = deployment(2)
    a, b = room.processes
    texts = [
        "Finanțare pentru IMM-uri creative",
        "Night buses after concerts",
        "Autobuze de noapte după festivaluri",
        "Granturi pentru start-up-uri culturale",
        "Mentorat pentru tineri antreprenori",
        "Student internships in local companies",
        "Trasee de turism cultural",
        "Guided tours of the old town",
    ]
    phones = [clients(a, room, "phone"), clients(b, room, "phone")]
    for n, text_ in enumerate(texts):
        reply = phones[n % 2].call("submit_idea", {"client_id": f"embed-{n:07d}", "text": text_})
        assert reply["ok"], reply
    engine = create_engine(room.database)
    with engine.connect() as db:
        wait_until(
            lambda: (
                db.execute(text("SELECT COUNT(*) FROM ideas WHERE embedding IS NOT NULL")).scalar()
                == len(texts)
            ),
            60,
        )
    engine.dispose()

    def embedded() -> list[int]:
        return [
            int(count)
            for process in (a, b)
            for count in re.findall(r": (\d+) ideas embedded", process.log.read_text())
        ]

    # Each process logs what it embedded: a second embedding of an idea would add to the sum.
    wait_until(lambda: sum(embedded()) >= len(texts), 10)
    time.sleep(1.0)
    counts = embedded()
    assert sum(counts) == len(texts), counts
