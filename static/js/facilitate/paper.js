// Paper cards and ballots on the facilitator's page: staff type in an idea from a card, or the
// dots of a paper ballot (the phone rules apply on the server).
import { makeClientId } from "../lib/connection.js";
import { byId, el } from "../lib/dom.js";
import { act, state } from "./page.js";

const items = byId("ballot-items");
const panel = items.closest("details");

export function renderBallotForm() {
  // Drawn only while its panel is open: a ballot of 450 ideas is 450 fields.
  if (items.contains(document.activeElement) || !panel.open) return;
  const w = state.workshop;
  const entries =
    w.vote_target === "themes"
      ? [...state.themes.values()].map((th) => ({ id: th.id, label: th.name }))
      : [...state.ideas.values()].filter((i) => !i.hidden && !i.held && !i.merged_into_id).map((i) => ({ id: i.id, label: i.text }));
  items.replaceChildren(
    ...entries.map((item) =>
      el(
        "div",
        { class: "ballot-row" },
        el("label", { for: "ballot-" + item.id, text: item.label }),
        el("input", { id: "ballot-" + item.id, type: "number", min: 0, max: w.vote_cap, value: 0, "data-item-id": item.id }),
      ),
    ),
  );
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
