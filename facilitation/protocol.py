"""Every Socket.IO event, declared once: its name, who sends it, its payload, reply and handler.

This table registers the handlers with Socket.IO (`register`), generates `docs/events.md`
(`facilitation events --markdown`), and lets the tests check that every handler is declared and
accepts exactly the senders declared here. The messages the server sends (`sync`, `update` and
the kinds of `update`) are declared too, with whom they go to.
"""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitation.vocabulary import ERROR_CODES

ROLES = ("phone", "board", "facilitator")
SERVER = ("server",)


@dataclass(frozen=True)
class LiveEvent:
    """One Socket.IO event a client sends, or one message the server sends to clients."""

    name: str
    # Its section of docs/events.md: a `Section.group`.
    group: str
    # Who sends it: some of ROLES (its handler refuses the others), or SERVER.
    sent_by: tuple[str, ...]
    payload: str
    # A client event's acknowledgement, and what it broadcasts.
    reply: str = ""
    # Who a server message goes to.
    to: str = ""
    # Dotted name of the function that handles a client event.
    handler: str | None = None

    def function(self) -> Callable:
        """The handler, imported from its dotted name."""
        module, _, name = (self.handler or "").rpartition(".")
        return getattr(importlib.import_module(module), name)

    def row(self) -> str:
        """Its row in its section's table."""
        if self.sent_by == SERVER:
            cells = [f"`{self.name}`", self.to, self.payload]
        else:
            senders = "any client" if self.sent_by == ROLES else ", ".join(self.sent_by)
            cells = [f"`{self.name}`", senders, self.payload, self.reply]
        return "| " + " | ".join(cells) + " |"


@dataclass(frozen=True)
class Section:
    """One section of docs/events.md: its heading, what holds for all its rows, its columns."""

    group: str
    heading: str
    intro: str
    columns: tuple[str, ...]


CLIENT_COLUMNS = ("Event", "Sent by", "Payload", "Ack and broadcast")

INTRO = (
    "The one catalogue of every Socket.IO event, generated from the table in "
    "`facilitation/protocol.py` (`facilitation events --markdown > docs/events.md`); that table "
    "also registers the handlers. Socket.IO runs with `async_mode` set by the `ASYNC_MODE` "
    "setting (default `gevent`), on the default namespace `/`, with the same-origin check of "
    "python-engineio left on (no cross-origin clients).",
    "Every reply to a client event is an acknowledgement (the Socket.IO callback): "
    '`{"ok": true, ...}` when it went through, or `{"ok": false, "error": "<sentence for '
    'people>", "code": "<short code>"}` when it did not, in which case **nothing was stored and '
    "nothing was broadcast**. Codes: "
    + ", ".join(
        f"`{code}` ({meaning})" if meaning else f"`{code}`" for code, meaning in ERROR_CODES.items()
    )
    + ". Messages up to 16 MB are read, so an oversized idea or name is answered `too_long` "
    "rather than the connection being closed.",
)

SECTIONS: tuple[Section, ...] = (
    Section("connecting", "## Connecting", "", ("Event", "Sent by", "Payload", "Result")),
    Section("phone", "## Phone", "", CLIENT_COLUMNS),
    Section(
        "facilitator",
        "## Facilitator",
        'Accepted only from a connection made with `role: "facilitator"` and the right key; '
        "refused with `forbidden` to phones and boards.",
        CLIENT_COLUMNS,
    ),
    Section("server", "## From the server", "", ("Message", "Sent to", "Payload")),
    Section("update", "### Kinds of `update`", "", ("Kind", "Audience", "`data`")),
)

OUTRO = (
    "Audiences are rooms: `phones` (every client of the workshop), `board` (boards and the "
    "facilitator) and `facilitator` (the facilitator's controls only). A board never receives "
    "the text of a hidden idea, not even when catching up on events from before it was hidden.",
)

EVENTS: tuple[LiveEvent, ...] = (
    LiveEvent(
        "connect",
        "connecting",
        ROLES,
        payload=(
            "`auth = {code, role, key?, since?}`. `role` is `phone`, `board` or `facilitator`. "
            "Boards and facilitators send the workshop's facilitator `key`. Phones need the signed"
            " device cookie the phone page sets. `since` is the last `seq` the client saw (absent "
            "or -1 on first load)."
        ),
        reply=(
            "Refused with `connect_error`, whose `message` is a sentence for people and whose "
            "`data` is `{code}`: `malformed` (no auth object, unknown role), `unknown_workshop`, "
            "`forbidden` (wrong or missing key), `no_device` (missing or forged device cookie), "
            "`room_full` (a phone, while the server is near its open-files limit: boards and the "
            "facilitator still connect), `rate_limited` (this address sent more than "
            "`GUESS_RATE_LIMIT` wrong codes or keys in the last minute, or more than "
            "`ADDRESS_RATE_LIMIT` connections and `sync` requests together). Otherwise the client "
            "joins its rooms and receives `sync`. Rooms are joined again on every connect."
        ),
        handler="facilitation.rooms.on_connect",
    ),
    LiveEvent(
        "disconnect",
        "connecting",
        ROLES,
        payload="none",
        reply="The server forgets the connection.",
        handler="facilitation.rooms.on_disconnect",
    ),
    LiveEvent(
        "sync",
        "connecting",
        ROLES,
        payload="`{since}`",
        reply=(
            "Ack `{ok: true, mode, seq, events or snapshot}`, like the `sync` message below. "
            "Clients send it when they see a gap in `seq`. Refused with `rate_limited` beyond "
            "`SYNC_RATE_LIMIT` requests per connection, or `ADDRESS_RATE_LIMIT` connections and "
            "requests per address."
        ),
        handler="facilitation.rooms.on_sync",
    ),
    LiveEvent(
        "set_category",
        "phone",
        ("phone",),
        payload="`{category}`: one of the workshop's stakeholder categories, or null",
        reply=(
            "`{ok: true}`. Broadcasts nothing; the category is counted in results and statistics, "
            "never shown with ideas."
        ),
        handler="facilitation.participant.events.on_set_category",
    ),
    LiveEvent(
        "get_ballot",
        "phone",
        ("phone",),
        payload="`{}`",
        reply=(
            "`{ok: true, target, budget, cap, open, closed, items: [{id, label, ideas?}], mine: "
            "{item_id: dots}}`. `open`: dots can be put now (the vote phase, until the vote is "
            "closed); `closed`: the vote phase with the vote closed (results not revealed yet). On"
            " a ballot of themes each item has `ideas`: the texts of the theme's visible ideas, "
            "oldest first, for the voter to see what a theme holds. Broadcasts nothing."
        ),
        handler="facilitation.participant.events.on_get_ballot",
    ),
    LiveEvent(
        "cast_votes",
        "phone",
        ("phone",),
        payload="`{votes: {item_id: dots}}`: all of this phone's dots at once",
        reply=(
            "`{ok: true}`; broadcasts `votes_cast` (how many have voted, no totals). Refused with "
            "`closed` outside the vote phase or once the facilitator closed the vote, "
            "`over_budget`, `over_cap`, `not_found` (not on the ballot), `rate_limited`, "
            "`joining_closed`, and `joined_late` for a phone first seen after the vote opened "
            "(unless the facilitator sent `set_late_voters`). Sending the same votes again changes"
            " nothing, so a retry counts once."
        ),
        handler="facilitation.participant.events.on_cast_votes",
    ),
    LiveEvent(
        "submit_idea",
        "phone",
        ("phone",),
        payload=(
            "`{client_id, text, question_id?}`. Refused with `closed` while submissions are closed"
            " and `rate_limited` when the phone sends new ideas faster than the workshop's limit "
            "(`set_idea_limit`, else `IDEA_RATE_LIMIT`): that reply also carries `retry_after`, "
            "the whole seconds after which the next idea fits, and the phone keeps the idea in its"
            " outbox and sends it by itself then, and `joining_closed` for a phone first seen "
            "after the join window closed. `client_id`: 8 to 64 letters, digits, `-`, `_`, made on"
            " the phone with `crypto.getRandomValues`. `text`: 1 to `MAX_IDEA_LENGTH` characters "
            "after trimming. `question_id`: a question of this workshop, or null."
        ),
        reply=(
            "Sent only after the idea is committed: `{ok: true, duplicate, idea: {client_id, text,"
            " question_id}}`. `duplicate` is true when this `client_id` was already stored: the "
            "stored idea is returned and nothing is broadcast. A new idea is broadcast to boards "
            "as `idea_added`."
        ),
        handler="facilitation.participant.events.on_submit_idea",
    ),
    LiveEvent(
        "hide_idea",
        "facilitator",
        ("facilitator",),
        payload=(
            "`{idea_id, hidden, reason?}` (`hidden` true or false; `reason` up to 200 characters, "
            "shown to the facilitator and in the audit log)"
        ),
        reply=(
            "`{ok: true, changed}`; broadcasts `idea_hidden` or `idea_unhidden` when it changed "
            "(boards never receive the reason)."
        ),
        handler="facilitation.facilitator.events.on_hide_idea",
    ),
    LiveEvent(
        "remove_device",
        "facilitator",
        ("facilitator",),
        payload="`{idea_id}` (any idea of the device)",
        reply=(
            "`{ok: true, changed}`: every idea of the device that sent it is hidden (reason "
            '"device removed"), its votes dropped, and it may only watch from then on; one '
            "undoable action. Broadcasts `idea_hidden` per idea (and to the facilitator "
            '`idea_hidden` with `reason: "device removed"`), and `votes_cast` + `workshop_updated`'
            " when it had voted. Refused `conflict` for a paper card (no device), `not_found` for "
            "an unknown idea."
        ),
        handler="facilitation.facilitator.events.on_remove_device",
    ),
    LiveEvent(
        "move_idea",
        "facilitator",
        ("facilitator",),
        payload="`{idea_id, theme_id}` (`theme_id` null puts it back among new ideas)",
        reply=(
            "`{ok: true, changed}`; broadcasts `idea_moved`. Re-clustering leaves a moved idea "
            "where it was put."
        ),
        handler="facilitation.facilitator.events.on_move_idea",
    ),
    LiveEvent(
        "rename_theme",
        "facilitator",
        ("facilitator",),
        payload="`{theme_id, name}` (1 to 120 characters)",
        reply=(
            "`{ok: true, changed}`; broadcasts `theme_renamed`. Re-clustering never renames it "
            "again."
        ),
        handler="facilitation.facilitator.events.on_rename_theme",
    ),
    LiveEvent(
        "set_submissions",
        "facilitator",
        ("facilitator",),
        payload="`{open}` (true or false)",
        reply="`{ok: true, changed}`; broadcasts `workshop_updated` to everyone.",
        handler="facilitation.facilitator.events.on_set_submissions",
    ),
    LiveEvent(
        "set_joining",
        "facilitator",
        ("facilitator",),
        payload="`{open}` (true or false)",
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated`. While closed, a phone seen for "
            "the first time may follow the session but its ideas and votes are refused "
            "(`joining_closed`), so devices made up by a script cannot write. Phones that joined "
            "before keep writing."
        ),
        handler="facilitation.facilitator.events.on_set_joining",
    ),
    LiveEvent(
        "set_late_voters",
        "facilitator",
        ("facilitator",),
        payload="`{allowed}` (true or false)",
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated`. By default only phones that "
            "joined before the vote opened may vote; true lets later ones vote too."
        ),
        handler="facilitation.facilitator.events.on_set_late_voters",
    ),
    LiveEvent(
        "lock_theme",
        "facilitator",
        ("facilitator",),
        payload="`{theme_id, locked}`",
        reply=(
            "`{ok: true, changed}`; broadcasts `theme_locked`. A locked theme keeps exactly its "
            "ideas: re-clustering neither takes ideas out nor adds new ones."
        ),
        handler="facilitation.facilitator.events.on_lock_theme",
    ),
    LiveEvent(
        "merge_themes",
        "facilitator",
        ("facilitator",),
        payload="`{theme_ids: [2 to 30 ids], into}` (`into` is one of `theme_ids`)",
        reply=(
            "`{ok: true, changed}`; broadcasts `themes_updated`. The ideas stay together through "
            "later re-clusterings."
        ),
        handler="facilitation.facilitator.events.on_merge_themes",
    ),
    LiveEvent(
        "split_theme",
        "facilitator",
        ("facilitator",),
        payload=(
            "`{theme_id, parts}` (2 to 10: re-cluster its ideas into that many themes) or "
            "`{theme_id, idea_ids}` (take these ideas out into a new theme)"
        ),
        reply=(
            "`{ok: true, changed}`; broadcasts `themes_updated`. The parts are computed in the "
            "clustering worker. Refused for a locked theme, and (`conflict`) when the theme's "
            "ideas changed while it was being split."
        ),
        handler="facilitation.facilitator.events.on_split_theme",
    ),
    LiveEvent(
        "set_theme_range",
        "facilitator",
        ("facilitator",),
        payload="`{min, max}` (1 to 30, min ≤ max)",
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated`; the next background "
            "re-clustering chooses a number of themes in that range."
        ),
        handler="facilitation.facilitator.events.on_set_theme_range",
    ),
    LiveEvent(
        "merge_ideas",
        "facilitator",
        ("facilitator",),
        payload="`{idea_id, duplicate_ids: [1 to 50 ids]}`",
        reply=(
            "`{ok: true, changed}`; broadcasts `ideas_merged`. Each merged idea keeps its own text"
            " and is shown (and counted) with `idea_id`."
        ),
        handler="facilitation.facilitator.events.on_merge_ideas",
    ),
    LiveEvent(
        "undo",
        "facilitator",
        ("facilitator",),
        payload="`{}`",
        reply=(
            "`{ok: true, changed}`, or `not_found` when there is nothing to undo. Puts back what "
            "the last action not yet undone changed; broadcasts `refresh` and `workshop_updated`. "
            "Opening or closing submissions is logged but not undone (use the button again)."
        ),
        handler="facilitation.facilitator.events.on_undo",
    ),
    LiveEvent(
        "set_phase",
        "facilitator",
        ("facilitator",),
        payload=(
            "`{phase, seconds?}`: `welcome`, `write`, `group`, `vote` or `results`; `seconds` (1 "
            "to 14400) starts this phase's own countdown"
        ),
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated` to everyone. `write` opens "
            "submissions; `vote` and `results` close them. A phase without `seconds` has no "
            "countdown (none carries over from the phase before). Entering `vote` opens a new "
            "vote. `results` is refused (`conflict`) while the vote is open: close it first with "
            "`set_vote_open`."
        ),
        handler="facilitation.facilitator.events.on_set_phase",
    ),
    LiveEvent(
        "set_countdown",
        "facilitator",
        ("facilitator",),
        payload="`{seconds}` (1 to 14400) or `{seconds: null}`",
        reply=(
            "`{ok: true, changed}`; starts a countdown in the current phase, or stops it. "
            "Broadcasts `workshop_updated`."
        ),
        handler="facilitation.facilitator.events.on_set_countdown",
    ),
    LiveEvent(
        "set_vote_open",
        "facilitator",
        ("facilitator",),
        payload="`{open}` (true or false), during the vote phase",
        reply=(
            "`{ok: true, changed}`; false closes the vote: ballots become final (phones' "
            "`cast_votes` are refused with `closed`; paper ballots can still be recorded) and "
            "totals stay hidden; true opens it again. Broadcasts `workshop_updated` with "
            "`vote_closed`. Refused (`conflict`) outside the vote phase."
        ),
        handler="facilitation.facilitator.events.on_set_vote_open",
    ),
    LiveEvent(
        "reveal_results",
        "facilitator",
        ("facilitator",),
        payload="`{seconds?}`",
        reply=(
            "`{ok: true, changed}`; the second step after closing the vote: moves to the `results`"
            " phase (with its own countdown when `seconds` is given), whose `workshop_updated` "
            "carries the totals. Refused (`conflict`) while the vote is open."
        ),
        handler="facilitation.facilitator.events.on_reveal_results",
    ),
    LiveEvent(
        "set_revealed",
        "facilitator",
        ("facilitator",),
        payload="`{revealed}`: false for silent writing",
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated`. While false, boards show how "
            "many ideas came in, not their text."
        ),
        handler="facilitation.facilitator.events.on_set_revealed",
    ),
    LiveEvent(
        "show_question",
        "facilitator",
        ("facilitator",),
        payload="`{question_id}` or null for every question",
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated`; the board shows that question's"
            " ideas."
        ),
        handler="facilitation.facilitator.events.on_show_question",
    ),
    LiveEvent(
        "set_vote_rules",
        "facilitator",
        ("facilitator",),
        payload='`{target: "themes" or "ideas", budget, cap}` (1 to 20, cap ≤ budget)',
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated`. Refused once the vote has "
            "started."
        ),
        handler="facilitation.facilitator.events.on_set_vote_rules",
    ),
    LiveEvent(
        "set_idea_limit",
        "facilitator",
        ("facilitator",),
        payload=(
            "`{per_minute}`: new ideas one phone may send per minute (1 to 120), or null for the "
            "server's `IDEA_RATE_LIMIT`"
        ),
        reply=(
            "`{ok: true, changed}`; broadcasts `workshop_updated` (with `ideas_per_minute`). Ideas"
            " over the limit are not lost: each waits on its phone for the `retry_after` of its "
            "refusal."
        ),
        handler="facilitation.facilitator.events.on_set_idea_limit",
    ),
    LiveEvent(
        "set_categories",
        "facilitator",
        ("facilitator",),
        payload="`{categories: [up to 12 names]}`",
        reply="`{ok: true, changed}`; broadcasts `workshop_updated`.",
        handler="facilitation.facilitator.events.on_set_categories",
    ),
    LiveEvent(
        "set_word_list",
        "facilitator",
        ("facilitator",),
        payload="`{words: [up to 200 words or phrases]}`",
        reply=(
            "`{ok: true, changed}`; broadcasts `word_list_updated` to facilitators. Ideas matching"
            " a listed word (whatever their case or diacritics) are held for review."
        ),
        handler="facilitation.facilitator.events.on_set_word_list",
    ),
    LiveEvent(
        "review_idea",
        "facilitator",
        ("facilitator",),
        payload="`{idea_id, approve}`",
        reply=(
            "`{ok: true, changed}`; approving broadcasts `idea_added` to boards, rejecting "
            "broadcasts `idea_hidden` to facilitators."
        ),
        handler="facilitation.facilitator.events.on_review_idea",
    ),
    LiveEvent(
        "add_paper_idea",
        "facilitator",
        ("facilitator",),
        payload="`{client_id, text, question_id?}`: an idea staff type in from a paper card",
        reply=(
            '`{ok: true, duplicate, idea_id}`; broadcasts `idea_added` with `source: "paper"`. '
            "Accepted while submissions are closed."
        ),
        handler="facilitation.facilitator.events.on_add_paper_idea",
    ),
    LiveEvent(
        "record_paper_votes",
        "facilitator",
        ("facilitator",),
        payload="`{voter, category?, votes: {item_id: dots}}`: a paper ballot",
        reply=(
            "`{ok: true, changed}`; the phone rules apply (budget, cap); the same `voter` again "
            "replaces their dots. Allowed in the vote and results phases."
        ),
        handler="facilitation.facilitator.events.on_record_paper_votes",
    ),
    LiveEvent(
        "get_paper_ballot",
        "facilitator",
        ("facilitator",),
        payload="`{}`",
        reply=(
            "`{ok: true, target, budget, cap, open, closed, items: [{id, label, ideas?}], mine: "
            "{}}`: what a paper ballot can give dots to, as `get_ballot` gives it to a phone. "
            "Broadcasts nothing."
        ),
        handler="facilitation.facilitator.events.on_get_paper_ballot",
    ),
    LiveEvent(
        "get_results",
        "facilitator",
        ("board", "facilitator"),
        payload="`{}`",
        reply=(
            "`{ok: true, results: [...]}` (as in `workshop_updated`), or `closed` before the "
            "results phase."
        ),
        handler="facilitation.board.events.on_get_results",
    ),
    LiveEvent(
        "decide_match",
        "facilitator",
        ("facilitator",),
        payload=(
            "`{theme_id, previous_theme, decision}`: `theme_id` a theme of today on the board, "
            "`previous_theme` the label of an earlier theme as the last comparison shows it (any "
            "case, spacing or cedilla), `decision` `confirm` (keep a match), `reject` (never match"
            " this pair) or `match` (make the match by hand)"
        ),
        reply=(
            "`{ok: true, changed: true, decision, pending: true}` with the stored `decision` "
            "(`confirmed` for a pair the comparison matched, `made` for one it did not, "
            "`rejected`). The comparison is made again in the background and arrives as "
            "`comparison_updated`; every later comparison respects the decision. Refused with "
            "`not_found` (theme not on the board, no previous session, no earlier theme by that "
            "label), `not_ready` (no comparison yet), `malformed` (other decision or field types),"
            " and `already_decided` when the same decision is sent again (confirm and match count "
            "as one). The audit log records it."
        ),
        handler="facilitation.previous.events.on_decide_match",
    ),
    LiveEvent(
        "undo_match_decision",
        "facilitator",
        ("facilitator",),
        payload="`{theme_id, previous_theme}`",
        reply=(
            "`{ok: true, changed: true, undone, pending: true}`: the decision is removed and the "
            "computed match (or its absence) comes back with the next `comparison_updated`. "
            "Refused with `not_found` when there is no decision on that pair (so a replayed undo "
            "changes nothing)."
        ),
        handler="facilitation.previous.events.on_undo_match_decision",
    ),
    LiveEvent(
        "find_duplicates",
        "facilitator",
        ("facilitator",),
        payload="`{}`",
        reply=(
            "`{ok: true, groups: [[idea_id, ...], ...]}`: visible ideas that say nearly the same "
            "thing. Broadcasts nothing."
        ),
        handler="facilitation.facilitator.events.on_find_duplicates",
    ),
    LiveEvent(
        "sync",
        "server",
        SERVER,
        to="the client that connected",
        payload=(
            '`{mode: "events", seq, events: [update, ...]}` with the events after its `since`, or '
            '`{mode: "snapshot", seq, snapshot}` when `since` is absent, unknown, or more than '
            "`CATCH_UP_LIMIT` behind. Board snapshot: `{workshop, seq, themes, ideas}` (visible "
            "ideas only; the facilitator's also has hidden ones with `hidden: true`). Phone "
            "snapshot: `{workshop, seq, my_ideas}`."
        ),
    ),
    LiveEvent(
        "update",
        "server",
        SERVER,
        to="the rooms of the event's audience",
        payload=(
            "`{seq, kind, data}`, one per change, in `seq` order. `seq` numbers every change of a "
            "workshop: 1, 2, 3, ..."
        ),
    ),
    LiveEvent(
        "idea_added",
        "update",
        SERVER,
        to="boards, facilitator",
        payload=(
            "`{idea: {id, text, theme_id, question_id, created_at}}`; `theme_id` is the nearest "
            'theme of the last clustering, or null for "new".'
        ),
    ),
    LiveEvent(
        "idea_hidden",
        "update",
        SERVER,
        to="boards, facilitator",
        payload=(
            "`{idea_id}` to boards; when the facilitator gave a reason, a second `idea_hidden` "
            "`{idea_id, reason}` to facilitators only."
        ),
    ),
    LiveEvent(
        "idea_unhidden",
        "update",
        SERVER,
        to="boards, facilitator",
        payload="`{idea}`",
    ),
    LiveEvent(
        "idea_moved",
        "update",
        SERVER,
        to="boards, facilitator",
        payload="`{idea_id, theme_id}`",
    ),
    LiveEvent(
        "theme_renamed",
        "update",
        SERVER,
        to="boards, facilitator",
        payload="`{theme_id, name}`",
    ),
    LiveEvent(
        "theme_locked",
        "update",
        SERVER,
        to="boards, facilitator",
        payload="`{theme_id, locked}`",
    ),
    LiveEvent(
        "ideas_merged",
        "update",
        SERVER,
        to="boards, facilitator",
        payload="`{idea_id, merged_ids}`: these ideas are now shown with `idea_id`.",
    ),
    LiveEvent(
        "idea_held",
        "update",
        SERVER,
        to="facilitator",
        payload="`{idea}`: an idea that matched the word list, waiting for `review_idea`.",
    ),
    LiveEvent(
        "word_list_updated",
        "update",
        SERVER,
        to="facilitator",
        payload="`{words}`",
    ),
    LiveEvent(
        "votes_cast",
        "update",
        SERVER,
        to="boards, facilitator",
        payload=(
            "`{voters}`: how many people have voted so far; totals stay hidden until the results "
            "phase."
        ),
    ),
    LiveEvent(
        "refresh",
        "update",
        SERVER,
        to="boards, facilitator",
        payload=(
            "`{reason}`: draw again from a fresh snapshot (clients send `sync` with `since: -1`). "
            "Sent after an undo."
        ),
    ),
    LiveEvent(
        "themes_updated",
        "update",
        SERVER,
        to="boards, facilitator",
        payload=(
            "`{reason, themes: [{id, name, color, position, terms, representative_idea_id, "
            "locked}], assignments: {idea_id: theme_id}}`: every live theme, and the ideas' themes"
            " to apply over what the client holds: after a background re-clustering (`reason: "
            '"clustering"`) only the ideas that changed theme; after a merge or a split every '
            "visible idea."
        ),
    ),
    LiveEvent(
        "comparison_updated",
        "update",
        SERVER,
        to="boards, facilitator",
        payload=(
            "Then and now: today's themes against the imported previous session, sent after a "
            "background re-clustering or a facilitator's change altered them (computed in the "
            "background, at most once per `RECLUSTER_INTERVAL`). `{previous_session: {title, date,"
            " source, format, encoding, illustrative, imported_at, ideas}, current_themes: "
            '[{theme_id, label, ideas, status: "recurring" or "new", matches: [earlier labels, '
            'closest first], similarities, strength: "clear", "weak" or null, match_details: '
            '[{label, similarity, strength, decision: "confirmed", "made" or null, evidence: '
            "[{then, now, similarity}]}], rejected: [same, for matches the facilitator rejected], "
            'ideas_then, share_now, share_then, trend: "grew", "shrank", "same" or null (null when'
            " the count and the share disagree)}], previous_themes: [{label, ideas, votes, status:"
            ' "recurring" or "not_raised_again", matches, strength, match_details}], similarity: '
            "[[...]], ideas_then, ideas_now, closest: [{idea_id, previous_text, previous_theme, "
            "similarity}], settings}`. Visible ideas only. The projected page "
            "`/board/<code>/then-and-now?key=` draws it; it reads the last one from "
            "`/board/<code>/then-and-now.json?key=` on load (`pending: true` until the worker made"
            " the first one). Computed, charts included, by the clustering worker's "
            "`analysis.jobs.comparison` job, never by a request or handler."
        ),
    ),
    LiveEvent(
        "workshop_updated",
        "update",
        SERVER,
        to="everyone (phones too)",
        payload=(
            "`{code, title, language, date, submissions_open, joining_open, late_voters, "
            "ideas_per_minute, theme_count_min, theme_count_max, phase, vote_closed, "
            "phase_ends_at, ideas_revealed, board_question_id, vote_target, vote_budget, vote_cap,"
            " categories, questions}`; in the `results` phase also `results: [{kind, id, label, "
            "dots, voters, by_category}]` (ranked, merged items added up) and `participation: "
            "{category: phones}`."
        ),
    ),
)

_registered: set[int] = set()


def register(socketio: Any) -> None:
    """Register every declared handler with socketio, once however many apps are made.

    Called before `socketio.init_app`: Flask-SocketIO hands the handlers it collected to each
    new server it makes, and a handler registered later would reach one server only.
    """
    if id(socketio) in _registered:
        return
    for event in EVENTS:
        if event.handler:
            socketio.on(event.name)(event.function())
    _registered.add(id(socketio))


def update_kinds() -> set[str]:
    """The kinds of `update` message declared."""
    return {event.name for event in EVENTS if event.group == "update"}


def _paragraphs(texts: tuple[str, ...] | str) -> list[str]:
    """Prose wrapped for the page, a blank line after each paragraph."""
    lines: list[str] = []
    for text in (texts,) if isinstance(texts, str) else texts:
        if text:
            lines += [*textwrap.wrap(text, 96, break_on_hyphens=False), ""]
    return lines


def markdown() -> str:
    """The event catalogue as docs/events.md shows it."""
    lines = ["# Live events (Socket.IO)", "", *_paragraphs(INTRO)]
    for section in SECTIONS:
        lines += [section.heading, "", *_paragraphs(section.intro)]
        lines.append("| " + " | ".join(section.columns) + " |")
        lines.append("|" + "---|" * len(section.columns))
        lines += [event.row() for event in EVENTS if event.group == section.group]
        lines.append("")
    lines += _paragraphs(OUTRO)
    return "\n".join(lines).rstrip("\n") + "\n"
