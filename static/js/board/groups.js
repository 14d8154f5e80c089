// What the projected board shows, worked out from the board state: its groups (each theme, then
// the ideas not grouped yet), their names, and the elements for a theme's heading and an idea.
import { el } from "../lib/dom.js";

const LOCK_PATH = "M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z";

export function themeName(view, theme, ideas) {
  const name = (theme.name || "").trim();
  if (name && !/^[.…\s]+$/.test(name)) return name;
  // A theme the algorithm has not named yet (just split, say): its words, else its idea's.
  if (theme.terms && theme.terms.length) return theme.terms.slice(0, 3).join(", ");
  const central = ideas.find((i) => i.id === theme.representative_idea_id) || ideas[0];
  if (central) return central.text.split(/\s+/).slice(0, 5).join(" ");
  return view.t.theme;
}

// The groups on the board, in board order: each theme, then the ideas not grouped yet.
export function currentGroups(view) {
  const { state, t } = view;
  const workshop = state.workshop || {};
  const { themes, fresh } = state.groups({ questionId: workshop.board_question_id });
  const groups = themes.map(({ theme, ideas }) => ({
    key: String(theme.id),
    id: theme.id,
    name: themeName(view, theme, ideas),
    color: theme.color,
    locked: !!theme.locked,
    representative: theme.representative_idea_id,
    terms: theme.terms || [],
    ideas,
  }));
  if (fresh.length) groups.push({ key: "new", id: null, name: t.new, color: "#e0e0e0", locked: false, ideas: fresh });
  return groups;
}

export function duplicateIndex(state) {
  const index = new Map();
  for (const idea of state.ideas.values()) {
    if (idea.merged_into_id && !idea.hidden) {
      if (!index.has(idea.merged_into_id)) index.set(idea.merged_into_id, []);
      index.get(idea.merged_into_id).push(idea);
    }
  }
  return index;
}

export function ideaItem(view, idea, className, duplicates, color) {
  const { t } = view;
  const item = el("li", { class: className, "data-idea-id": idea.id, text: idea.text });
  if (color) item.style.setProperty("--theme-color", color);
  if (idea.source === "paper") item.append(el("span", { class: "paper-mark", title: t.paper, "aria-label": t.paper, text: " ✎" }));
  // Near-duplicates merged into this idea: counted with it, their words kept.
  const merged = duplicates.get(idea.id) || [];
  if (merged.length) {
    item.title = merged.map((d) => d.text).join("\n");
    item.append(el("span", { class: "duplicate-count", text: " ×" + (merged.length + 1) }));
  }
  return item;
}

export function themeHeading(view, group, extra) {
  const { t } = view;
  const heading = el("h2", { class: "theme-name" }, el("span", { text: group.name }), el("span", { class: "count", text: String(group.ideas.length) }));
  if (group.locked) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", LOCK_PATH);
    svg.append(path);
    const mark = el("span", { class: "lock-mark", title: t.locked }, svg, document.createTextNode(t.locked));
    heading.append(mark);
  }
  if (extra) heading.append(extra);
  return heading;
}
