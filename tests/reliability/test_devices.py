"""Devices the room can trust, on a real server: a script that makes new devices gains nothing
once the join window is closed, cannot outvote the room, is slowed per address, and cannot guess
codes or keys; every refusal says why.
"""

from __future__ import annotations

import time

import pytest
import requests
import socketio

from tests.conftest import away_from_a_window_turn
from tests.reliability.conftest import LiveBoard, LivePhone, wait_until

pytestmark = pytest.mark.slow


def _facilitator(server) -> LiveBoard:
    """The facilitator's controls, connected."""
    return LiveBoard(server, "facilitator").connect()


def _refusal(server, auth: dict, cookie: str | None = None) -> dict:
    """What a refused Socket.IO connect tells the client: {message, data}."""
    client = socketio.Client(reconnection=False)
    errors: list = []
    client.on("connect_error", errors.append)
    headers = {"Accept-Language": "en", **({"Cookie": f"session={cookie}"} if cookie else {})}
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.base, auth=auth, headers=headers, wait_timeout=10)
    (error,) = errors
    return error


def _act(controls: LiveBoard, event: str, **data: object) -> dict:
    """A facilitator action that must go through."""
    reply = controls.client.call(event, data, timeout=10)
    assert reply["ok"], reply
    return reply


def test_devices_made_after_the_join_window_closed_watch_but_cannot_write_or_vote(live_server):
    """After set_joining {open: false}, a new device connects and receives the session, but its
    ideas and votes are refused with `joining_closed` and nothing of it is stored; a phone that
    joined before keeps writing and voting."""
    server = live_server()
    controls = _facilitator(server)
    member = LivePhone(server).connect()
    assert member.submit("member-idea-0001", "Mai multe parcuri")["ok"]
    _act(controls, "set_joining", open=False)
    minted = [LivePhone(server).connect() for _ in range(5)]
    for n, phone in enumerate(minted):
        wait_until(lambda phone=phone: phone.syncs, 10)  # it follows the session
        reply = phone.submit(f"minted-idea-{n:04d}", "Idee falsă")
        assert (reply["ok"], reply["code"]) == (False, "joining_closed")
        assert "închiderea accesului" in reply["error"]  # in the page language, Romanian
    assert member.submit("member-idea-0002", "Piste de biciclete")["ok"]
    _act(controls, "set_vote_rules", target="ideas", budget=3, cap=3)
    _act(controls, "set_phase", phase="vote")
    (idea_id,) = server.rows("SELECT id FROM ideas WHERE client_id = 'member-idea-0001'")[0]
    for phone in minted:
        reply = phone.client.call("cast_votes", {"votes": {str(idea_id): 3}}, timeout=10)
        assert (reply["ok"], reply["code"]) == (False, "joining_closed")
    assert member.client.call("cast_votes", {"votes": {str(idea_id): 1}}, timeout=10)["ok"]
    assert server.rows("SELECT count(*) FROM ideas WHERE client_id LIKE 'minted%'") == [(0,)]
    assert server.rows("SELECT sum(dots) FROM votes") == [(1,)]
    # The minted devices have participant rows, but the statistics count who did something.
    assert server.rows("SELECT count(*) FROM participants") == [(6,)]
    archive = requests.get(
        f"{server.base}/facilitate/{server.code}/export/json",
        params={"key": server.key},
        timeout=60,
    ).json()
    assert archive["statistics"]["participants"] == 1
    for phone in [member, *minted]:
        phone.close()
    controls.close()


def test_only_devices_that_joined_before_the_vote_opened_vote(live_server):
    """A device first seen during the vote is refused `joined_late`, until the facilitator lets
    late voters vote."""
    server = live_server()
    controls = _facilitator(server)
    early = LivePhone(server).connect()
    assert early.submit("early-idea-0001", "Transport public gratuit")["ok"]
    (idea_id,) = server.rows("SELECT id FROM ideas")[0]
    _act(controls, "set_vote_rules", target="ideas", budget=3, cap=3)
    _act(controls, "set_phase", phase="vote")
    late = LivePhone(server).connect()
    reply = late.client.call("cast_votes", {"votes": {str(idea_id): 3}}, timeout=10)
    assert (reply["ok"], reply["code"]) == (False, "joined_late")
    assert early.client.call("cast_votes", {"votes": {str(idea_id): 2}}, timeout=10)["ok"]
    _act(controls, "set_late_voters", allowed=True)
    assert late.client.call("cast_votes", {"votes": {str(idea_id): 3}}, timeout=10)["ok"]
    assert server.rows("SELECT sum(dots) FROM votes") == [(5,)]
    for client in (early, late, controls):
        client.close()


def test_new_devices_per_address_are_limited_and_known_devices_are_not(live_server):
    """Beyond NEW_DEVICE_RATE_LIMIT new device cookies a minute from one address, the phone page
    answers 429 with a sentence and hands out no cookie; a phone that already has its cookie
    still opens the page."""
    server = live_server(NEW_DEVICE_RATE_LIMIT="20 per minute")
    url = f"{server.base}/j/{server.code}"
    first = requests.get(url, timeout=10)
    cookies = [first.cookies["session"]]
    cookies += [requests.get(url, timeout=10).cookies["session"] for _ in range(19)]
    assert len(set(cookies)) == 20
    refused = requests.get(url, timeout=10, headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert "Too many new phones" in refused.text
    # Whatever cookie came with the refusal holds no device: Socket.IO refuses it as such.
    leftover = refused.cookies.get("session")
    refusal = _refusal(server, {"code": server.code, "role": "phone"}, leftover)
    assert refusal["data"] == {"code": "no_device"}
    known = requests.get(url, cookies={"session": cookies[0]}, timeout=10)
    assert known.status_code == 200


def test_guessing_codes_and_keys_is_stopped_per_address(live_server):
    """After GUESS_RATE_LIMIT wrong codes or keys, the address gets 429 on pages and
    `rate_limited` on Socket.IO, even with the right code; the right code alone never counts."""
    server = live_server(GUESS_RATE_LIMIT="10 per minute")
    for _ in range(15):  # right codes are never counted
        assert requests.get(f"{server.base}/j/{server.code}", timeout=10).status_code == 200
    for n in range(5):
        wrong = requests.get(f"{server.base}/j/NOPE{n:02d}", timeout=10)
        assert wrong.status_code == 404
        page = f"{server.base}/facilitate/{server.code}"
        assert requests.get(page, params={"key": f"wrong{n}"}, timeout=10).status_code == 403
    right = requests.get(f"{server.base}/j/{server.code}", timeout=10)
    assert right.status_code == 429
    facilitator = requests.get(
        f"{server.base}/facilitate/{server.code}", params={"key": server.key}, timeout=10
    )
    assert facilitator.status_code == 429
    refusal = _refusal(server, {"code": server.code, "role": "board", "key": server.key})
    assert refusal["data"] == {"code": "rate_limited"}


def test_socketio_refusals_say_why(live_server):
    """A refused connect carries a sentence and a code, not "Connection refused by server"."""
    server = live_server()
    cases = [
        ({"code": server.code, "role": "board", "key": "wrong"}, "forbidden", "key"),
        ({"code": "NOSUCH", "role": "board", "key": "x"}, "unknown_workshop", "join code"),
        ({"code": server.code, "role": "pirate"}, "malformed", "role"),
        ({"code": server.code, "role": "phone"}, "no_device", "device cookie"),
    ]
    for auth, code, words in cases:
        refusal = _refusal(server, auth)
        assert refusal["data"] == {"code": code}
        assert words in refusal["message"]
        assert "Connection refused by server" not in refusal["message"]


def test_one_socket_asking_for_sync_thousands_of_times_is_refused(live_server):
    """3,000 `sync` requests on one socket: the first SYNC_RATE_LIMIT are answered, the rest
    refused with `rate_limited`; the socket stays usable for ideas."""
    server = live_server()
    phone = LivePhone(server).connect()
    away_from_a_window_turn(burst=15)  # across a minute's turn the sliding count lets one more in
    began = time.monotonic()
    replies = [phone.client.call("sync", {"since": 0}, timeout=10) for _ in range(300)]
    minutes = (time.monotonic() - began) // 60 + 1  # on a busy machine 300 calls may take long
    answered = [r for r in replies if r["ok"]]
    assert 30 <= len(answered) <= 30 * minutes
    assert {r["code"] for r in replies if not r["ok"]} == {"rate_limited"}
    assert phone.submit("after-sync-0001", "Încă merge")["ok"]
    phone.close()


def test_an_oversized_idea_or_theme_name_is_answered_too_long(live_server):
    """A 10 MB idea and a 100,000-character theme name get `too_long` and the socket stays."""
    server = live_server()
    phone = LivePhone(server).connect()
    reply = phone.submit("huge-idea-0001", "a" * (10 * 1024 * 1024), timeout=60)
    assert (reply["ok"], reply["code"]) == (False, "too_long")
    for n, text in enumerate(["Bănci în parc", "Bănci noi în parcuri", "Piste de biciclete"]):
        assert phone.submit(f"small-idea-{n:04d}", text)["ok"]
    assert server.rows("SELECT count(*) FROM ideas") == [(3,)]
    (theme_id,) = wait_until(lambda: server.rows("SELECT id FROM themes"), 60)[0]
    controls = _facilitator(server)
    reply = controls.client.call(
        "rename_theme", {"theme_id": theme_id, "name": "ț" * 100_000}, timeout=30
    )
    assert (reply["ok"], reply["code"]) == (False, "too_long")
    assert controls.client.call("set_joining", {"open": False}, timeout=10)["ok"]
    phone.close()
    controls.close()


def test_many_sockets_from_one_address_are_bounded_together(live_server):
    """Connections and `sync` requests of one address share ADDRESS_RATE_LIMIT: past it, a new
    socket is refused with a sentence, and so is a catch-up on a socket already open."""
    server = live_server(ADDRESS_RATE_LIMIT="12 per minute")
    phones = [LivePhone(server).connect() for _ in range(4)]  # 4 connections
    answered = [p.client.call("sync", {"since": 0}, timeout=10) for p in phones * 2]  # 8 syncs
    assert all(reply["ok"] for reply in answered)
    refused = phones[0].client.call("sync", {"since": 0}, timeout=10)
    assert (refused["ok"], refused["code"]) == (False, "rate_limited")
    refusal = _refusal(server, {"code": server.code, "role": "board", "key": server.key})
    assert refusal["data"] == {"code": "rate_limited"}
    assert "Too many connections from this network" in refusal["message"]
    assert phones[1].submit("after-flood-0001", "Încă merge")["ok"]  # open sockets keep working
    for phone in phones:
        phone.close()


def test_one_devices_ideas_and_votes_are_removed_at_once_and_undo_puts_them_back(live_server):
    """remove_device on one idea of a script's device hides all its ideas, drops its dots and
    stops it writing or voting; other devices are untouched; one action-log entry; undo restores
    ideas, dots and the device's right to write."""
    server = live_server()
    controls = _facilitator(server)
    board = LiveBoard(server).connect()
    member, script = LivePhone(server).connect(), LivePhone(server).connect()
    assert member.submit("member-idea-0001", "Piste de biciclete")["ok"]
    for n in range(4):
        assert script.submit(f"script-idea-{n:04d}", f"Reclamă {n}")["ok"]
    rows = dict(server.rows("SELECT client_id, id FROM ideas"))
    _act(controls, "set_vote_rules", target="ideas", budget=3, cap=3)
    _act(controls, "set_phase", phase="vote")
    spam = str(rows["script-idea-0001"])
    assert script.client.call("cast_votes", {"votes": {spam: 3}}, timeout=10)["ok"]
    good = str(rows["member-idea-0001"])
    assert member.client.call("cast_votes", {"votes": {good: 1}}, timeout=10)["ok"]

    reply = _act(controls, "remove_device", idea_id=rows["script-idea-0002"])
    assert reply["changed"]
    hidden = dict(server.rows("SELECT client_id, hidden FROM ideas"))
    assert hidden == {"member-idea-0001": 0, **{f"script-idea-{n:04d}": 1 for n in range(4)}}
    assert server.rows("SELECT target_id, dots FROM votes") == [(int(good), 1)]
    wait_until(
        lambda: (
            {u["data"]["idea_id"] for u in board.updates if u["kind"] == "idea_hidden"}
            == {rows[f"script-idea-{n:04d}"] for n in range(4)}
        ),
        10,
    )
    refused = script.client.call("cast_votes", {"votes": {spam: 1}}, timeout=10)
    assert refused["ok"] is False
    assert not script.submit("script-idea-0099", "Încă una")["ok"]
    assert _act(controls, "remove_device", idea_id=rows["script-idea-0002"])["changed"] is False
    assert member.client.call("cast_votes", {"votes": {good: 2}}, timeout=10)["ok"]
    with pytest.raises(AssertionError):
        _act(controls, "remove_device", idea_id=999999)

    _act(controls, "undo")
    assert server.rows("SELECT sum(hidden) FROM ideas") == [(0,)]
    assert sorted(server.rows("SELECT target_id, dots FROM votes")) == sorted(
        [(int(good), 2), (int(spam), 3)]
    )
    assert script.client.call("cast_votes", {"votes": {spam: 2}}, timeout=10)["ok"]
    for phone in (member, script):
        phone.close()
    board.close()
    controls.close()
