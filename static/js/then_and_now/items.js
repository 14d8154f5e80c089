// The items of the "then and now" view: a theme of today with its matches to earlier themes (and
// the closest pairs of ideas behind each), or an earlier theme with what it became. On the
// facilitator's controls each match has buttons to confirm, reject or undo it.
import { el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";

function numbers(view, theme) {
  const { t } = view;
  // Both counts, always; the trend word only when the count and the share agree (server side).
  let text = t.then + ": " + counted(t.ideas, theme.ideas_then) + " · " + t.now + ": " + counted(t.ideas, theme.ideas);
  if (theme.trend) text += " (" + t[theme.trend] + ")";
  return el("span", { class: "then-numbers", text });
}

function button(view, label, themeId, previousTheme, decision) {
  return el("button", {
    type: "button",
    class: "then-" + decision,
    "data-decision": decision,
    text: label,
    onclick: () => view.decide(themeId, previousTheme, decision),
  });
}

function evidence(view, detail) {
  const list = el("ul", { class: "then-evidence", "aria-label": view.t.evidence });
  for (const pair of detail.evidence.slice(0, view.evidenceShown)) {
    list.append(
      el(
        "li",
        {},
        el("span", { class: "then-evidence-then", text: pair.then }),
        el("span", { class: "then-arrow", text: " → ", "aria-hidden": "true" }),
        el("span", { class: "then-evidence-now", text: pair.now }),
      ),
    );
  }
  return list;
}

function matchItem(view, theme, detail, rejected) {
  const { t } = view;
  const decision = rejected ? "rejected" : detail.decision;
  const item = el(
    "div",
    { class: "then-match", "data-match": detail.label, "data-strength": detail.strength, "data-decision": decision || "" },
    el("span", { class: "then-match-label", text: (rejected ? "✕ " : "↺ ") + detail.label }),
    el("span", { class: "then-strength", text: decision ? t[decision] : t[detail.strength] }),
  );
  if (!rejected && detail.evidence && detail.evidence.length) item.append(evidence(view, detail));
  if (view.controls && theme.theme_id !== undefined) {
    const actions = el("span", { class: "then-actions" });
    if (!decision) {
      actions.append(button(view, t.confirm, theme.theme_id, detail.label, "confirm"));
      actions.append(button(view, t.reject, theme.theme_id, detail.label, "reject"));
    } else {
      actions.append(button(view, t.undo, theme.theme_id, detail.label, "undo"));
    }
    item.append(actions);
  }
  return item;
}

export function themeItem(view, theme, side) {
  const { t } = view;
  const item = el(
    "li",
    { class: "then-theme", "data-status": theme.status, "data-label": theme.label, "data-strength": theme.strength || "" },
    el("span", { class: "then-label", text: theme.label }),
    el("span", { class: "count", text: counted(t.ideas, theme.ideas) }),
    el("span", { class: "then-status status-" + theme.status, text: t[theme.status] || theme.status }),
  );
  if (side === "now") {
    item.dataset.themeId = String(theme.theme_id);
    if (theme.matches && theme.matches.length) item.append(numbers(view, theme));
    for (const detail of theme.match_details || []) item.append(matchItem(view, theme, detail, false));
    if (view.controls) for (const detail of theme.rejected || []) item.append(matchItem(view, theme, detail, true));
  } else if (theme.matches && theme.matches.length) {
    item.append(el("span", { class: "then-matches", text: "→ " + theme.matches.join(" · ") }));
  }
  return item;
}
