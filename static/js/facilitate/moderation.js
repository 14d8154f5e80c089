// Moderation on the facilitator's page: ideas held for review (approve or reject) and the
// words that hold an idea.
import { byId, el } from "../lib/dom.js";
import { act, state, t } from "./page.js";

const words = byId("word-list");
export const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);

export function heldRow(idea) {
  return el(
    "li",
    { class: "held-idea", "data-idea-id": idea.id },
    el("span", { class: "idea-text", text: idea.text }),
    el("button", { type: "button", onclick: () => act("review_idea", { idea_id: idea.id, approve: true }), text: t.approve }),
    el("button", { type: "button", onclick: () => act("review_idea", { idea_id: idea.id, approve: false }), text: t.reject }),
  );
}

export function renderHeld() {
  const held = [...state.ideas.values()].filter((i) => i.held);
  byId("held-ideas").replaceChildren(...held.map(heldRow));
}

// The word list as the server keeps it: from a snapshot (unless it is being edited), or an event.
export function showWordList(list, always) {
  if (always || document.activeElement !== words) words.value = (list || []).join("\n");
}

byId("word-list-form").addEventListener("submit", (e) => {
  e.preventDefault();
  act("set_word_list", { words: lines(e.target.elements.words.value) });
});
