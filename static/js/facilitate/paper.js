// Paper cards and ballots on the facilitator's page: staff type in an idea from a card, or the
// dots of a paper ballot. What a ballot lists comes from the server (`get_paper_ballot`, the
// ballot a phone gets), and the phone rules apply when it is recorded.
import { makeClientId } from "../lib/connection.js";
import { byId, el } from "../lib/dom.js";
import { act, live, state } from "./page.js";

const items = byId("ballot-items");
const panel = items.closest("details");
// One request at a time; a redraw asked for meanwhile asks again once the answer is in.
let asking = false;
let askAgain = false;

// Kept as it is while closed (a ballot of 450 ideas is 450 fields) or while typed in.
const untouchable = () => items.contains(document.activeElement) || !panel.open;

function drawBallot(ballot) {
  items.replaceChildren(
    ...ballot.items.map((item) =>
      el(
        "div",
        { class: "ballot-row" },
        el("label", { for: "ballot-" + item.id, text: item.label }),
        el("input", { id: "ballot-" + item.id, type: "number", min: 0, max: ballot.cap, value: 0, "data-item-id": item.id }),
      ),
    ),
  );
}

export function renderBallotForm() {
  if (untouchable()) return;
  if (asking) {
    askAgain = true;
    return;
  }
  asking = true;
  live.socket.timeout(8000).emit("get_paper_ballot", {}, (err, reply) => {
    asking = false;
    if (!err && reply.ok && !untouchable()) drawBallot(reply);
    if (askAgain) {
      askAgain = false;
      renderBallotForm();
    }
  });
}

byId("paper-idea").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const payload = { client_id: makeClientId(), text: f.text.value };
  if (f.question.value) payload.question_id = Number(f.question.value);
  act("add_paper_idea", payload);
  f.text.value = "";
});
panel.addEventListener("toggle", (e) => {
  if (e.target.open && state.workshop) renderBallotForm();
});
byId("paper-ballot").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const votes = {};
  for (const input of items.querySelectorAll("input")) {
    const dots = Number(input.value);
    if (dots > 0) votes[input.dataset.itemId] = dots;
  }
  act("record_paper_votes", { voter: f.voter.value, category: f.category.value || null, votes });
});
