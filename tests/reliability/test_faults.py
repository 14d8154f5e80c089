"""Faults on a real server: killed mid-load, boards and phones that drop and come back.

Each test starts `facilitation serve` on 127.0.0.1 and talks to it as phones and boards do.
"""

from __future__ import annotations

import secrets
import threading

import pytest

from tests.reliability.conftest import LiveBoard, LivePhone, wait_until

pytestmark = pytest.mark.slow


def new_client_id() -> str:
    """A client id as a phone makes it."""
    return secrets.token_urlsafe(12)


def stored_counts(server) -> dict[str, int]:  # noqa: ANN001
    """How many times each client id is stored."""
    return dict(server.rows("SELECT client_id, COUNT(*) FROM ideas GROUP BY client_id"))


def test_sigkill_mid_load_loses_no_acknowledged_idea_and_resends_are_stored_once(live_server):
    """Killed with SIGKILL while phones submit: every acked idea survives; re-sends store once."""
    server = live_server()
    phones = [LivePhone(server).connect() for _ in range(4)]
    sent: list[list[tuple[str, str]]] = [[] for _ in phones]
    acked: set[str] = set()
    guard = threading.Lock()

    def keep_submitting(index: int) -> None:
        """Send ideas one after another until the server dies under this phone."""
        for n in range(10_000):
            idea = (new_client_id(), f"Idee {index}-{n}: spații de lucru comune pentru IMM-uri")
            sent[index].append(idea)
            try:
                reply = phones[index].submit(*idea, timeout=3)
            except Exception:  # noqa: BLE001 - the server was killed mid-call
                return
            if reply.get("ok"):
                with guard:
                    acked.add(idea[0])

    workers = [threading.Thread(target=keep_submitting, args=(i,)) for i in range(len(phones))]
    for worker in workers:
        worker.start()
    wait_until(lambda: len(acked) >= 60, 30)
    server.kill()
    for worker in workers:
        worker.join(15)
    assert not any(worker.is_alive() for worker in workers)
    for phone in phones:
        phone.close()

    server.start()  # the same instance folder: same database, same key
    assert set(acked) <= set(stored_counts(server))

    replies = []
    for index, phone in enumerate(phones):
        again = phone.reload()
        for client_id, text in sent[index]:
            replies.append((client_id, again.submit(client_id, text)))
        again.close()
    assert all(reply["ok"] for _, reply in replies)
    assert all(reply["duplicate"] for client_id, reply in replies if client_id in acked)
    every_sent = {client_id for ideas in sent for client_id, _ in ideas}
    assert stored_counts(server) == dict.fromkeys(every_sent, 1)
    assert not server.errors()


@pytest.fixture
def small_catch_up_server(live_server):
    """A server whose clients catch up on at most 25 missed events, else get a snapshot."""
    return live_server(CATCH_UP_LIMIT="25", RECLUSTER_INTERVAL="600")


def test_board_that_was_away_catches_up_on_everything_it_missed_in_order(small_catch_up_server):
    """A board back after a gap gets every missed event once, in seq order, hidden ones left out."""
    server = small_catch_up_server
    board = LiveBoard(server).connect()
    seen = board.syncs[-1]["seq"]
    board.close()

    phone = LivePhone(server).connect()
    texts = [f"Festival de cartier numărul {n}" for n in range(12)]
    for n, text in enumerate(texts):
        assert phone.submit(f"away-board-{n:04d}", text)["ok"]
    facilitator = LiveBoard(server, "facilitator").connect()
    hidden_id = next(
        i["id"] for i in facilitator.syncs[-1]["snapshot"]["ideas"] if i["text"] == texts[3]
    )
    assert facilitator.client.call("hide_idea", {"idea_id": hidden_id, "hidden": True})["ok"]

    board = LiveBoard(server).connect(since=seen)
    sync = board.syncs[-1]
    assert sync["mode"] == "events"
    seqs = [event["seq"] for event in sync["events"]]
    assert seqs == sorted(set(seqs)) and seqs[0] > seen and seqs[-1] == sync["seq"]
    added = [e["data"]["idea"]["text"] for e in sync["events"] if e["kind"] == "idea_added"]
    assert added == texts[:3] + texts[4:]

    assert phone.submit("away-board-late", "Încă o idee după revenire")["ok"]
    wait_until(lambda: board.updates, 10)
    assert board.updates[0]["seq"] == sync["seq"] + 1
    for client in (board, facilitator, phone):
        client.close()


def test_board_away_longer_than_the_catch_up_limit_gets_a_full_snapshot(small_catch_up_server):
    """A board that missed more than CATCH_UP_LIMIT events is sent a snapshot of everything."""
    server = small_catch_up_server
    board = LiveBoard(server).connect()
    seen = board.syncs[-1]["seq"]
    board.close()
    phone = LivePhone(server).connect()
    texts = [f"Transport public gratuit, varianta {n}" for n in range(30)]
    for n, text in enumerate(texts):
        assert phone.submit(f"long-away-{n:04d}", text)["ok"]

    board = LiveBoard(server).connect(since=seen)
    sync = board.syncs[-1]
    assert sync["mode"] == "snapshot"
    assert [i["text"] for i in sync["snapshot"]["ideas"]][-30:] == texts
    assert sync["seq"] == sync["snapshot"]["seq"] == seen + 30
    for client in (board, phone):
        client.close()


def test_phone_that_reconnects_reloads_and_resends_ends_with_each_idea_once(live_server):
    """Reconnects, reloads, repeated sends and a drop before the ack each store the idea once."""
    server = live_server()
    phone = LivePhone(server).connect()
    first = phone.submit("resend-first-01", "Un hub cultural în fiecare cartier")
    repeats = [
        phone.submit("resend-first-01", "Un hub cultural în fiecare cartier") for _ in range(3)
    ]
    assert first["ok"] and not first["duplicate"]
    assert all(r["ok"] and r["duplicate"] for r in repeats)

    phone.client.disconnect()
    phone.connect()  # the same socket client reconnects after a Wi-Fi drop
    assert phone.submit("resend-first-01", "Un hub cultural în fiecare cartier")["duplicate"]

    # A drop between sending and the acknowledgement: the phone cannot know it was stored.
    phone.client.emit("submit_idea", {"client_id": "resend-second", "text": "Granturi mici"})
    phone.client.disconnect()
    reloaded = phone.reload()
    assert reloaded.submit("resend-second", "Granturi mici")["ok"]
    assert [i["client_id"] for i in reloaded.syncs[-1]["snapshot"]["my_ideas"]][:1] == [
        "resend-first-01"
    ]

    # Two tabs of the same phone send the same idea at the same moment.
    other_tab = LivePhone(server, phone.cookie).connect()
    replies: list[dict] = []
    tabs = [
        threading.Thread(target=lambda c=c: replies.append(c.submit("resend-third", "Bănci")))
        for c in (reloaded, other_tab)
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(15)
    assert len(replies) == 2 and all(r["ok"] for r in replies)
    assert sorted(r["duplicate"] for r in replies) == [False, True]

    assert stored_counts(server) == {"resend-first-01": 1, "resend-second": 1, "resend-third": 1}
    for client in (reloaded, other_tab):
        client.close()
    assert not server.errors()
