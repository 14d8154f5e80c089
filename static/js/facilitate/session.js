// The session panel of the facilitator's page: the current phase, the vote's state, silent
// writing, the question on the board, the vote rules, the idea limit, categories and results.
import { byId, el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { offerQuestions } from "./filters.js";
import { lines } from "./moderation.js";
import { act, state, t } from "./page.js";
import { renderBallotForm } from "./paper.js";

function renderVoteState(w) {
  const voting = w.phase === "vote";
  const closeVote = byId("close-vote");
  closeVote.hidden = !voting;
  closeVote.textContent = w.vote_closed ? t.reopen_vote : t.close_vote;
  const reveal = byId("reveal-results");
  reveal.hidden = !voting;
  reveal.disabled = !w.vote_closed;
  byId("vote-state").textContent =
    w.phase === "results" ? t.results_shown : !voting ? t.vote_not_running : w.vote_closed ? t.vote_closed : t.vote_running;
}

function renderQuestions(w) {
  const questionSelect = byId("board-question");
  const paperQuestion = byId("paper-question");
  const options = (selected) => [
    el("option", { value: "", text: "—", selected: selected == null }),
    ...w.questions.map((q) => el("option", { value: q.id, text: q.position + ". " + q.text, selected: q.id === selected })),
  ];
  if (document.activeElement !== questionSelect) questionSelect.replaceChildren(...options(w.board_question_id));
  if (!paperQuestion.options.length) paperQuestion.replaceChildren(...options(null));
  offerQuestions(w.questions);
}

// Fields show the workshop's values, except the one the facilitator is typing in.
function renderSettings(w) {
  const form = byId("vote-rules");
  if (!form.contains(document.activeElement)) {
    form.elements.target.value = w.vote_target;
    form.elements.budget.value = w.vote_budget;
    form.elements.cap.value = w.vote_cap;
  }
  const limit = byId("ideas-per-minute");
  if (document.activeElement !== limit) limit.value = w.ideas_per_minute == null ? "" : w.ideas_per_minute;
  const categories = byId("categories");
  if (document.activeElement !== categories) categories.value = (w.categories || []).join("\n");
}

// The panel shows the workshop's own fields: drawn again only when the workshop changed (each
// of its updates is a new object) or the focus moved, not on every idea of a busy room.
let drawn = { workshop: null, focus: null };

export function renderSession() {
  const w = state.workshop;
  if (!w) return;
  renderBallotForm();
  if (drawn.workshop === w && drawn.focus === document.activeElement) return;
  drawn = { workshop: w, focus: document.activeElement };
  byId("current-phase").textContent = t.phases[w.phase] || w.phase;
  for (const button of document.querySelectorAll(".phase-button")) {
    button.setAttribute("aria-pressed", button.dataset.phase === w.phase ? "true" : "false");
  }
  byId("toggle-reveal").textContent = w.ideas_revealed ? t.conceal : t.reveal;
  for (const step of document.querySelectorAll(".phase-step")) step.classList.toggle("current", step.dataset.phase === w.phase);
  renderVoteState(w);
  renderQuestions(w);
  renderSettings(w);
  const results = byId("results");
  results.hidden = w.phase !== "results";
  if (w.phase === "results") {
    byId("results-list").replaceChildren(
      ...(w.results || []).map((r) => el("li", { text: r.label + " — " + counted(t.dots, r.dots) })),
    );
  }
}

byId("toggle-reveal").addEventListener("click", () => act("set_revealed", { revealed: !state.workshop.ideas_revealed }));
byId("board-question").addEventListener("change", (e) =>
  act("show_question", { question_id: e.target.value ? Number(e.target.value) : null }));
byId("vote-rules").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target.elements;
  act("set_vote_rules", { target: f.target.value, budget: Number(f.budget.value), cap: Number(f.cap.value) });
});
byId("idea-limit").addEventListener("submit", (e) => {
  e.preventDefault();
  const value = e.target.elements.per_minute.value.trim();
  act("set_idea_limit", { per_minute: value === "" ? null : Number(value) });
});
byId("categories-form").addEventListener("submit", (e) => {
  e.preventDefault();
  act("set_categories", { categories: lines(e.target.elements.categories.value) });
});
