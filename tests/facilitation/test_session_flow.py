"""Running a session: phases, silent writing, voting rules, moderation, paper entries, limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.models import Idea, Theme
from tests.conftest import away_from_a_window_turn, drain
from tests.facilitation.test_facilitator_actions import IDEAS, add_ideas


def act(client, event, **data):
    """Send an event and return its reply, which must be a success."""
    reply = client.emit(event, data, callback=True)
    assert reply["ok"], reply
    return reply


def refused(client, event, code, **data):
    """Send an event that must be refused with this code; return the message."""
    reply = client.emit(event, data, callback=True)
    assert reply["ok"] is False and reply["code"] == code, reply
    return reply["error"]


@pytest.fixture
def voting_room(app, phone, board, store, workshop):
    """Nine ideas in three themes, three phones, and the room moved to the vote phase."""
    add_ideas(phone, IDEAS)
    app.extensions["clusterer"].recluster(workshop.id)
    controls = board("facilitator")
    act(controls, "set_categories", categories=["IMM", "Autoritate publică", "Educație"])
    phones = [phone() for _ in range(3)]
    for client, category in zip(phones, ["IMM", "IMM", "Educație"], strict=True):
        act(client, "set_category", category=category)
    act(controls, "set_phase", phase="vote")
    with store.read() as db:
        themes = list(
            db.scalars(select(Theme.id).where(Theme.retired.is_(False)).order_by(Theme.id))
        )
    return controls, phones, themes


def test_phase_change_reaches_every_phone_with_its_countdown(phone, board):
    """Moving to a phase with a countdown tells phones the phase and when it ends."""
    client = phone()
    drain(client)
    act(board("facilitator"), "set_phase", phase="welcome", seconds=300)
    (update,) = drain(client)["update"]
    assert update["kind"] == "workshop_updated"
    assert update["data"]["phase"] == "welcome"
    assert update["data"]["phase_ends_at"].endswith("Z")


def test_phases_open_and_close_submissions(phone, board):
    """Writing opens the room for ideas; voting closes it."""
    client, controls = phone(), board("facilitator")
    act(controls, "set_phase", phase="vote")
    refused(client, "submit_idea", "closed", client_id="late-000001", text="Prea târziu")
    act(controls, "set_phase", phase="write")
    act(client, "submit_idea", client_id="late-000001", text="Acum merge")
    refused(controls, "set_phase", "malformed", phase="dance")
    refused(controls, "set_phase", "malformed", phase="write", seconds=-5)


def test_silent_writing_is_a_workshop_state_boards_receive(phone, board):
    """Silent writing is announced to boards, which then show counts instead of texts."""
    screen = board()
    drain(screen)
    act(board("facilitator"), "set_revealed", revealed=False)
    (update,) = drain(screen)["update"]
    assert update["data"]["ideas_revealed"] is False


def test_board_question_can_be_one_or_all(board, workshop):
    """The facilitator shows one question on the board, then all again."""
    controls = board("facilitator")
    act(controls, "show_question", question_id=workshop.question_ids[1])
    assert (
        drain(board())["sync"][0]["snapshot"]["workshop"]["board_question_id"]
        == workshop.question_ids[1]
    )
    act(controls, "show_question", question_id=None)
    refused(controls, "show_question", "not_found", question_id=99999)


def test_budget_and_cap_are_enforced(voting_room):
    """A voter cannot spend more than the budget, nor more than the cap on one item."""
    _, (voter, *_), themes = voting_room
    refused(voter, "cast_votes", "over_budget", votes={str(themes[0]): 3, str(themes[1]): 3})
    refused(voter, "cast_votes", "over_cap", votes={str(themes[0]): 4})
    refused(voter, "cast_votes", "not_found", votes={"999999": 1})
    refused(voter, "cast_votes", "malformed", votes={str(themes[0]): -1})
    refused(voter, "cast_votes", "malformed", votes=[1, 2])
    act(voter, "cast_votes", votes={str(themes[0]): 3, str(themes[1]): 2})
    ballot = act(voter, "get_ballot")
    assert ballot["mine"] == {str(themes[0]): 3, str(themes[1]): 2}
    assert (ballot["budget"], ballot["cap"], ballot["target"]) == (5, 3, "themes")


def test_totals_stay_hidden_until_the_vote_closes(voting_room, board):
    """During the vote, boards learn how many voted, never the totals."""
    controls, (voter, *_), themes = voting_room
    screen = board()
    drain(screen)
    act(voter, "cast_votes", votes={str(themes[0]): 2})
    (update,) = drain(screen)["update"]
    assert update == {"seq": update["seq"], "kind": "votes_cast", "data": {"voters": 1}}
    refused(screen, "get_results", "closed")
    assert "results" not in drain(board())["sync"][0]["snapshot"]["workshop"]
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    results = drain(screen)["update"][-1]["data"]["results"]
    assert [(r["id"], r["dots"]) for r in results] == [(themes[0], 2)]


def test_voters_can_move_dots_and_a_retry_counts_once(voting_room, board):
    """Casting again replaces a voter's dots; the same message twice counts once."""
    controls, (voter, *_), themes = voting_room
    act(voter, "cast_votes", votes={str(themes[0]): 3})
    act(voter, "cast_votes", votes={str(themes[1]): 2, str(themes[2]): 1})
    act(voter, "cast_votes", votes={str(themes[1]): 2, str(themes[2]): 1})
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    results = act(board(), "get_results")["results"]
    assert {r["id"]: r["dots"] for r in results} == {themes[1]: 2, themes[2]: 1}
    refused(voter, "cast_votes", "closed", votes={str(themes[0]): 1})


def test_results_are_ranked_and_broken_down_by_category(voting_room, board):
    """Results list items by dots, with each stakeholder category's share."""
    controls, (a, b, c), themes = voting_room
    act(a, "cast_votes", votes={str(themes[0]): 3, str(themes[1]): 1})
    act(b, "cast_votes", votes={str(themes[0]): 1})
    act(c, "cast_votes", votes={str(themes[1]): 3, str(themes[2]): 2})
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    results = act(board(), "get_results")["results"]
    assert [(r["dots"], r["voters"]) for r in results] == [(4, 2), (4, 2), (2, 1)]
    assert {r["id"] for r in results[:2]} == {themes[0], themes[1]} and results[2]["id"] == themes[
        2
    ]
    by_id = {r["id"]: r["by_category"] for r in results}
    assert by_id[themes[0]] == {"IMM": 4}
    assert by_id[themes[1]] == {"IMM": 1, "Educație": 3}
    participation = drain(board())["sync"][0]["snapshot"]["workshop"]["participation"]
    assert participation["IMM"] == 2 and participation["Educație"] == 1


def test_votes_on_merged_themes_are_added_up(voting_room, board):
    """Merging two voted themes after the vote adds their dots; none is lost."""
    controls, (a, b, _), themes = voting_room
    act(a, "cast_votes", votes={str(themes[0]): 2})
    act(b, "cast_votes", votes={str(themes[1]): 3})
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    act(controls, "merge_themes", theme_ids=[themes[0], themes[1]], into=themes[0])
    results = act(board(), "get_results")["results"]
    assert results[0]["id"] == themes[0] and results[0]["dots"] == 5


def test_votes_on_merged_ideas_are_added_up(app, phone, board, store, workshop):
    """With dot voting on ideas, merging near-duplicates adds their dots."""
    add_ideas(phone, IDEAS[:2])
    with store.read() as db:
        first, second = db.scalars(select(Idea.id).order_by(Idea.id)).all()
    controls = board("facilitator")
    act(controls, "set_vote_rules", target="ideas", budget=4, cap=2)
    a, b = phone(), phone()  # in the room before the vote opens
    act(controls, "set_phase", phase="vote")
    act(a, "cast_votes", votes={str(first): 2})
    act(b, "cast_votes", votes={str(second): 2, str(first): 1})
    act(controls, "merge_ideas", idea_id=first, duplicate_ids=[second])
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    (top,) = act(board(), "get_results")["results"]
    assert (top["id"], top["dots"], top["voters"]) == (first, 5, 2)


def test_vote_rules_are_checked_and_frozen_once_voting_starts(board):
    """Rules must make sense and cannot change during the vote."""
    controls = board("facilitator")
    refused(controls, "set_vote_rules", "malformed", target="people", budget=5, cap=3)
    refused(controls, "set_vote_rules", "malformed", target="ideas", budget=2, cap=3)
    refused(controls, "set_vote_rules", "malformed", target="ideas", budget=0, cap=0)
    act(controls, "set_phase", phase="vote")
    refused(controls, "set_vote_rules", "conflict", target="ideas", budget=5, cap=3)


def test_phones_choose_only_offered_categories(phone, board):
    """A category not on the workshop's list is refused."""
    act(board("facilitator"), "set_categories", categories=["IMM", "ONG"])
    client = phone()
    refused(client, "set_category", "not_found", category="Altceva")
    act(client, "set_category", category="ONG")
    act(client, "set_category", category=None)


def test_paper_ideas_and_ballots_are_marked_as_such(voting_room, board, store):
    """Staff type in paper cards and ballots; both are marked and follow the same rules."""
    controls, _, themes = voting_room
    act(controls, "set_phase", phase="write")
    reply = act(controls, "add_paper_idea", client_id="paper-000001", text="Idee de pe un bilet")
    with store.read() as db:
        assert db.get(Idea, reply["idea_id"]).source == "paper"
    snapshot = drain(board())["sync"][0]["snapshot"]
    assert {i["text"]: i["source"] for i in snapshot["ideas"]}["Idee de pe un bilet"] == "paper"
    act(controls, "set_phase", phase="vote")
    refused(
        controls,
        "record_paper_votes",
        "over_budget",
        voter="Card 1",
        votes={str(themes[0]): 3, str(themes[1]): 3},
    )
    act(
        controls,
        "record_paper_votes",
        voter="Card 1",
        category="Educație",
        votes={str(themes[0]): 3},
    )
    act(
        controls,
        "record_paper_votes",
        voter="Card 1",
        category="Educație",
        votes={str(themes[0]): 2},
    )
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    results = act(controls, "get_results")["results"]
    assert results[0]["dots"] == 2 and results[0]["by_category"] == {"Educație": 2}


def test_a_paper_ballot_lists_what_a_phone_ballot_lists(voting_room):
    """Staff type a paper ballot into the items the server counts, with the phone rules; a
    phone may not ask for it."""
    controls, phones, themes = voting_room
    paper = act(controls, "get_paper_ballot")
    ballot = act(phones[0], "get_ballot")
    assert [item["id"] for item in paper["items"]] == [item["id"] for item in ballot["items"]]
    assert sorted(item["id"] for item in paper["items"]) == themes
    assert (paper["budget"], paper["cap"], paper["mine"]) == (ballot["budget"], ballot["cap"], {})
    refused(phones[0], "get_paper_ballot", "forbidden")


def test_word_list_holds_ideas_for_review(phone, board, store):
    """An idea matching the word list reaches only the facilitator until approved."""
    controls, screen = board("facilitator"), board()
    act(controls, "set_word_list", words=["prost", "escrocherie totală"])
    drain(screen), drain(controls)
    client = phone()
    act(client, "submit_idea", client_id="rude-000001", text="Ideea asta e PROȘTĂ? nu, e prost!")
    act(client, "submit_idea", client_id="rude-000002", text="O escrocherie totala")
    act(client, "submit_idea", client_id="fine-000001", text="Proști nu suntem")
    board_kinds = [u["data"]["idea"]["text"] for u in drain(screen)["update"]]
    assert board_kinds == ["Proști nu suntem"]
    held = [u for u in drain(controls)["update"] if u["kind"] == "idea_held"]
    assert [u["data"]["idea"]["held"] for u in held] == [True, True]
    first, second = (u["data"]["idea"]["id"] for u in held)
    assert "Ideea asta" not in str(drain(board())["sync"][0]["snapshot"])
    act(controls, "review_idea", idea_id=first, approve=True)
    assert [u["kind"] for u in drain(screen)["update"]] == ["idea_added"]
    act(controls, "review_idea", idea_id=second, approve=False)
    assert "update" not in drain(screen)
    with store.read() as db:
        assert db.get(Idea, second).hidden and db.get(Idea, second).hidden_reason == "word list"
    refused(controls, "review_idea", "conflict", idea_id=first, approve=True)


def test_hiding_keeps_a_reason_for_the_facilitator(phone, board, store):
    """A hidden idea keeps the reason the facilitator gave."""
    add_ideas(phone, ["Ceva în afara subiectului"])
    with store.read() as db:
        idea_id = db.scalar(select(Idea.id))
    act(board("facilitator"), "hide_idea", idea_id=idea_id, hidden=True, reason="în afara temei")
    view = drain(board("facilitator"))["sync"][0]["snapshot"]["ideas"][0]
    assert (view["hidden"], view["hidden_reason"]) == (True, "în afara temei")


def test_a_device_sending_too_fast_is_told_to_wait_and_retries_are_free(app, phone, store):
    """Past the per-device limit new ideas are refused as rate_limited; re-sends still succeed."""
    limit = int(app.config["IDEA_RATE_LIMIT"].split()[0])
    client, other = phone(), phone()
    away_from_a_window_turn()
    for n in range(limit):
        act(client, "submit_idea", client_id=f"fast-{n:06d}", text=f"Idee rapidă {n}")
    message = refused(
        client, "submit_idea", "rate_limited", client_id="fast-999999", text="Una în plus"
    )
    assert "kept" in message
    act(client, "submit_idea", client_id="fast-000000", text="Idee rapidă 0")
    act(other, "submit_idea", client_id="othr-000001", text="Alt telefon, aceeași rețea")
    with store.read() as db:
        assert len(db.scalars(select(Idea.id)).all()) == limit + 1


def test_the_facilitator_sets_the_workshops_own_idea_limit(app, phone, board, store, workshop):
    """A workshop's own limit replaces the default for its phones; the refusal says when to
    retry; out-of-range limits are refused and change nothing; null goes back to the default."""
    controls = board("facilitator")
    act(controls, "set_idea_limit", per_minute=3)
    client = phone()
    drain(client)
    away_from_a_window_turn()
    for n in range(3):
        act(client, "submit_idea", client_id=f"own-{n:06d}", text=f"Idee {n}")
    reply = client.emit(
        "submit_idea", {"client_id": "own-999999", "text": "A patra"}, callback=True
    )
    assert (reply["ok"], reply["code"]) == (False, "rate_limited")
    assert 1 <= reply["retry_after"] <= 61
    assert f"{reply['retry_after']} s" in reply["error"]
    for bad in (0, 121, "5", 2.5, True):
        refused(controls, "set_idea_limit", "malformed", per_minute=bad)
    with store.read() as db:
        from facilitation.models import Workshop

        assert db.get(Workshop, workshop.id).ideas_per_minute == 3
        assert len(db.scalars(select(Idea.id)).all()) == 3
    act(controls, "set_idea_limit", per_minute=None)
    act(client, "submit_idea", client_id="own-999999", text="A patra")
    updates = [u for u in drain(client)["update"] if u["kind"] == "workshop_updated"]
    assert [u["data"]["ideas_per_minute"] for u in updates] == [None]


def test_closing_the_vote_and_revealing_the_results_are_two_steps(voting_room, board, store):
    """Closing makes ballots final without showing totals; only then can results be revealed;
    the vote can be reopened before that; paper ballots can still be typed in."""
    controls, (a, b, _), themes = voting_room
    screen = board()
    act(a, "cast_votes", votes={str(themes[0]): 2})
    refused(controls, "set_phase", "conflict", phase="results")
    refused(controls, "reveal_results", "conflict")
    drain(screen)
    act(controls, "set_vote_open", open=False)
    (update,) = drain(screen)["update"]
    assert update["data"]["phase"] == "vote" and update["data"]["vote_closed"] is True
    assert "results" not in update["data"]
    refused(screen, "get_results", "closed")
    message = refused(b, "cast_votes", "closed", votes={str(themes[1]): 1})
    assert message == "The vote is closed."
    assert act(b, "get_ballot")["open"] is False
    act(controls, "record_paper_votes", voter="Fișa 7", votes={str(themes[1]): 1})
    # Reopened, phones vote again; closed again, the results are revealed.
    act(controls, "set_vote_open", open=True)
    act(b, "cast_votes", votes={str(themes[1]): 1})
    act(controls, "set_vote_open", open=False)
    assert act(controls, "set_vote_open", open=False)["changed"] is False
    act(controls, "reveal_results", seconds=120)
    view = drain(screen)["update"][-1]["data"]
    assert view["phase"] == "results" and view["phase_ends_at"]
    assert sorted((r["id"], r["dots"]) for r in view["results"]) == [
        (themes[0], 2),
        (themes[1], 2),
    ]
    refused(controls, "set_vote_open", "conflict", open=True)
    # A new vote starts open.
    act(controls, "set_phase", phase="vote")
    assert act(a, "get_ballot")["open"] is True


def test_each_phase_has_its_own_countdown(phone, board):
    """A countdown belongs to its phase: the next phase has none unless given its own; the
    current phase's countdown can be started and stopped."""
    client, controls = phone(), board("facilitator")
    act(controls, "set_phase", phase="write", seconds=300)
    act(controls, "set_phase", phase="group")
    drain(client)
    act(controls, "set_countdown", seconds=90)
    act(controls, "set_countdown", seconds=None)
    act(controls, "set_phase", phase="vote", seconds=60)
    act(controls, "set_vote_open", open=False)
    act(controls, "set_phase", phase="results")
    views = [u["data"] for u in drain(client)["update"]]
    assert [(v["phase"], v["phase_ends_at"] is not None) for v in views] == [
        ("group", True),
        ("group", False),
        ("vote", True),
        ("vote", True),
        ("results", False),
    ]
    refused(controls, "set_countdown", "malformed", seconds=0)
    refused(controls, "set_countdown", "malformed", seconds="60")


def test_the_ballot_shows_what_each_theme_holds(voting_room, store):
    """A theme on the ballot lists its visible ideas; hidden ones are not shown to voters."""
    controls, (voter, *_), themes = voting_room
    ballot = act(voter, "get_ballot")
    with store.read() as db:
        expected = {
            t: sorted(
                db.scalars(select(Idea.text).where(Idea.theme_id == t, Idea.hidden.is_(False)))
            )
            for t in themes
        }
    shown = {item["id"]: sorted(item["ideas"]) for item in ballot["items"]}
    assert shown == expected and all(shown.values())
    with store.read() as db:
        hidden_id, hidden_text = db.execute(
            select(Idea.id, Idea.text).where(Idea.theme_id == themes[0])
        ).first()
    act(controls, "hide_idea", idea_id=hidden_id, hidden=True)
    item = next(i for i in act(voter, "get_ballot")["items"] if i["id"] == themes[0])
    assert hidden_text not in item["ideas"]


def test_results_read_a_few_statements_whatever_the_number_of_ballots(app, store, workshop):
    """The results (read at every snapshot of the results phase, on the server's loop) load the
    votes and the voted items in a few statements, not one per vote or item; a chain of merges
    still carries its dots to the last idea."""
    from sqlalchemy import event

    from facilitation.models import Participant, Vote, Workshop
    from facilitation.operations import tallies

    with store.write() as db:
        voter = Participant(workshop_id=workshop.id, device_id="v" * 32, category="IMM")
        ideas = [
            Idea(workshop_id=workshop.id, client_id=f"idea-{n:04d}", text=f"Idea {n}")
            for n in range(40)
        ]
        db.add_all([voter, *ideas])
        db.flush()
        ideas[1].merged_into_id = ideas[2].id
        ideas[2].merged_into_id = ideas[3].id
        db.add_all(
            Vote(
                workshop_id=workshop.id,
                participant_id=voter.id,
                category="IMM",
                target_kind="idea",
                target_id=idea.id,
                dots=1,
            )
            for idea in ideas
        )
        ids = [idea.id for idea in ideas]
    statements = []

    def count(*args):  # noqa: ANN002, ANN202
        statements.append(args[2])

    with store.read() as db:
        found = db.get(Workshop, workshop.id)
        event.listen(store.engine, "before_cursor_execute", count)
        try:
            ranked = tallies.results(db, found)
        finally:
            event.remove(store.engine, "before_cursor_execute", count)
    assert len(statements) <= 4, len(statements)
    assert ranked[0] == {
        "kind": "idea",
        "id": ids[3],
        "label": "Idea 3",
        "dots": 3,
        "voters": 1,
        "by_category": {"IMM": 3},
    }
    assert len(ranked) == 38 and sum(r["dots"] for r in ranked) == 40
