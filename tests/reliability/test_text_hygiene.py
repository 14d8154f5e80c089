"""Text hygiene: ideas that draw nothing are refused, bidi overrides are removed, the word list
is not dodged by invisible or look-alike characters, odd client ids are refused, and boards never
see why the facilitator hid an idea.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation.models import Idea
from facilitation.operations.moderation import matches_word_list
from tests.conftest import drain

INVISIBLE_IDEAS = {
    "zero-width characters": "\u200b\u200c\u200d\u2060\ufeff",
    "Hangul fillers": "\u3164\u3164\u115f\u1160\uffa0",
    "bidi overrides": "\u202e\u202d\u2066\u2069",
    "a soft hyphen and a Braille blank": "\u00ad\u2800 \u00ad",
    "combining marks alone": "\u0301\u0308\u0327",
}
DODGES = {
    "zero-width space inside": "Ești pr\u200bost",
    "soft hyphen inside": "Ești pro\u00adst",
    "Cyrillic look-alikes": "Ești \u0440r\u043est",
    "full-width letters": "Ești \uff50\uff52\uff4f\uff53\uff54",
    "dotted letters": "Ești p.r.o.s.t",
    "spaced letters": "Ești p r o s t",
    "a dash inside": "Ești pro-st",
    "capitals and punctuation": "EȘTI PROST!!!",
    "diacritics and cedilla": "Eşti pröst",
}
INNOCENT = ["Prostia nu e o idee", "Un parc în Timișoara", "Pro stat de drept", "a b c d"]


@pytest.mark.parametrize("name", list(INVISIBLE_IDEAS))
def test_an_idea_with_no_visible_character_is_refused(phone, store, name):
    """An idea made only of characters that draw nothing is refused as `empty`."""
    reply = phone().emit(
        "submit_idea", {"client_id": "invisible-01", "text": INVISIBLE_IDEAS[name]}, callback=True
    )
    assert (reply["ok"], reply["code"]) == (False, "empty")
    with store.read() as db:
        assert db.scalar(select(func.count(Idea.id))) == 0


def test_bidi_overrides_are_removed_and_the_rest_is_kept_as_typed(phone, store):
    """A right-to-left override cannot make the board show text backwards; the letters stay."""
    reply = phone().emit(
        "submit_idea",
        {"client_id": "bidi-idea-01", "text": "Parcuri \u202egnitov\u202c pentru toți"},
        callback=True,
    )
    assert reply["ok"], reply
    with store.read() as db:
        assert db.scalar(select(Idea.text)) == "Parcuri gnitov pentru toți"


@pytest.mark.parametrize("name", list(DODGES))
def test_the_word_list_sees_through_disguises(name):
    """Each disguise of a listed word still matches it."""
    assert matches_word_list(DODGES[name], ["prost"])


@pytest.mark.parametrize("text", INNOCENT)
def test_the_word_list_leaves_other_words_alone(text):
    """Words that only contain a listed word, or are split by a real space, do not match."""
    assert not matches_word_list(text, ["prost"])


def test_a_disguised_listed_word_holds_the_idea_for_review(app, board, phone, store):
    """Over the live protocol, an idea dodging the word list with look-alikes waits for review
    and boards receive nothing."""
    controls = board("facilitator")
    assert controls.emit("set_word_list", {"words": ["prost"]}, callback=True)["ok"]
    screen = board()
    drain(screen)
    reply = phone().emit(
        "submit_idea",
        {"client_id": "dodge-idea-01", "text": DODGES["Cyrillic look-alikes"]},
        callback=True,
    )
    assert reply["ok"], reply
    with store.read() as db:
        assert db.scalar(select(Idea.held)) is True
    assert "idea_added" not in [u["kind"] for u in drain(screen).get("update", [])]


@pytest.mark.parametrize("client_id", ["abcdefgh\n", "abcdefgh\r\n", "abc defgh", "abcdéfgh"])
def test_odd_client_ids_are_refused(phone, client_id):
    """A client id with a final newline (or any character outside the alphabet) is malformed."""
    reply = phone().emit("submit_idea", {"client_id": client_id, "text": "Bună"}, callback=True)
    assert (reply["ok"], reply["code"]) == (False, "malformed")


def test_boards_never_receive_the_reason_an_idea_was_hidden(app, board, phone, store):
    """Hiding with a reason: the board's update and a reconnecting board's catch-up carry no
    reason; the facilitator receives it."""
    reply = phone().emit(
        "submit_idea", {"client_id": "hidden-idea-1", "text": "Ion e leneș"}, callback=True
    )
    assert reply["ok"]
    with store.read() as db:
        idea_id = db.scalar(select(Idea.id))
    screen, controls = board(), board("facilitator")
    drain(screen), drain(controls)
    reason = "numește o persoană"
    assert controls.emit(
        "hide_idea", {"idea_id": idea_id, "hidden": True, "reason": reason}, callback=True
    )["ok"]
    seen_by_board = drain(screen)
    assert [u["kind"] for u in seen_by_board["update"]] == ["idea_hidden"]
    assert reason not in str(seen_by_board)
    assert reason in str(drain(controls))
    late = board(since=0)
    assert reason not in str(drain(late))
