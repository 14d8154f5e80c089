// The idea rows of the facilitator's page: text, hide or show, move to a theme, remove a
// phone's ideas, the near-duplicates merged into it and the closest idea of the previous session.
import { byId, el } from "../lib/dom.js";
import { act, render, root, state, t } from "./page.js";

// Ideas merged into another as near-duplicates, by the idea they were merged into; worked out
// once per redraw (asking each idea would go over all ideas for every one of them).
let duplicatesOf = new Map();
export function findDuplicates() {
  duplicatesOf = new Map();
  for (const idea of state.ideas.values()) {
    if (idea.merged_into_id == null || idea.hidden) continue;
    if (!duplicatesOf.has(idea.merged_into_id)) duplicatesOf.set(idea.merged_into_id, []);
    duplicatesOf.get(idea.merged_into_id).push(idea.text);
  }
}

function duplicateList(idea) {
  const duplicates = duplicatesOf.get(idea.id);
  if (!duplicates) return null;
  return el("ul", { class: "duplicates", "aria-label": t.duplicates }, ...duplicates.map((text) => el("li", { text })));
}

// The closest idea of the previous session to each of today's ideas, when one is close enough.
let earlier = new Map();
export function keepComparison(comparison) {
  earlier = new Map(((comparison && comparison.closest) || []).map((c) => [c.idea_id, c]));
}
export function loadComparison() {
  fetch(root.dataset.comparison, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((body) => {
      keepComparison(body.comparison);
      render();
    })
    .catch(() => {});
}

function earlierNote(idea) {
  const link = earlier.get(idea.id);
  return link ? el("p", { class: "earlier-idea", text: "↺ " + t.earlier + ": " + link.previous_text }) : null;
}

// Rows are kept between redraws and made again only when what they show changed: a room of 450
// ideas redraws in a few milliseconds instead of rebuilding thousands of elements per event.
const rows = new Map();
export function ideaRow(idea) {
  const theme = state.themes.get(idea.theme_id);
  const link = earlier.get(idea.id);
  const signature = JSON.stringify([
    idea.text, idea.hidden, idea.hidden_reason, idea.source, theme ? [theme.id, theme.name] : null,
    duplicatesOf.get(idea.id) || null, link ? link.previous_text : null,
  ]);
  const kept = rows.get(idea.id);
  if (kept && kept.signature === signature) return kept.node;
  const node = makeIdeaRow(idea, theme);
  rows.set(idea.id, { signature, node });
  return node;
}

// Rows of ideas no longer on the board are not kept.
export function forgetGoneRows() {
  for (const id of rows.keys()) if (!state.ideas.has(id)) rows.delete(id);
}

function themeOptions(current) {
  const options = [el("option", { value: "", text: t.new, selected: current == null })];
  for (const theme of [...state.themes.values()].sort((a, b) => a.position - b.position)) {
    options.push(el("option", { value: theme.id, text: theme.name, selected: theme.id === current }));
  }
  return options;
}

// The menu to move an idea lists every theme only once it is used (focus or press): a menu of
// all themes on each of 450 rows is thousands of elements.
function moveSelect(idea, theme) {
  const select = el(
    "select",
    {
      "aria-label": t.move_to,
      class: "move-select",
      onchange: (e) => act("move_idea", { idea_id: idea.id, theme_id: e.target.value ? Number(e.target.value) : null }),
    },
    el("option", { value: theme ? theme.id : "", text: theme ? theme.name : t.new, selected: true }),
  );
  const fill = () => {
    if (select.dataset.filled) return;
    select.dataset.filled = "1";
    const current = state.ideas.get(idea.id);
    select.replaceChildren(...themeOptions(current && state.themes.has(current.theme_id) ? current.theme_id : null));
  };
  select.addEventListener("focus", fill);
  select.addEventListener("mousedown", fill);
  select.addEventListener("touchstart", fill, { passive: true });
  return select;
}

function makeIdeaRow(idea, theme) {
  // The text has the row's whole width; the tools go on their own line below it, so a hidden
  // idea's badge never squeezes its text.
  return el(
    "li",
    { class: "facilitate-idea" + (idea.hidden ? " is-hidden" : ""), "data-idea-id": idea.id },
    el("span", { class: "idea-text", text: idea.text }),
    el(
      "div",
      { class: "idea-tools" },
      idea.hidden ? el("span", { class: "badge", text: t.hidden + (idea.hidden_reason ? ": " + (t.reasons[idea.hidden_reason] || idea.hidden_reason) : "") }) : null,
      idea.source === "paper" ? el("span", { class: "badge paper", text: t.paper }) : null,
      el("button", { type: "button", class: "hide-button", onclick: () => hideOrShow(state.ideas.get(idea.id) || idea), text: idea.hidden ? t.show : t.hide }),
      moveSelect(idea, theme),
      idea.source === "paper" ? null : el("button", { type: "button", class: "remove-device-button", onclick: () => {
        if (window.confirm(t.remove_device_confirm)) act("remove_device", { idea_id: idea.id });
      }, text: t.remove_device }),
    ),
    duplicateList(idea),
    earlierNote(idea),
  );
}

// The reason field is for the next hide only: it is emptied once used, so a reason never
// carries over to another idea.
function hideOrShow(idea) {
  const field = byId("hide-reason");
  const reason = field.value.trim();
  const payload = { idea_id: idea.id, hidden: !idea.hidden };
  if (reason && !idea.hidden) {
    payload.reason = reason;
    field.value = "";
  }
  act("hide_idea", payload);
}
