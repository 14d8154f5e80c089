// The themes of the facilitator's page, each with its ideas: rename, lock, split, merge, fold.
import { byId, el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { matcher } from "./filters.js";
import { findDuplicates, forgetGoneRows, ideaRow } from "./ideas.js";
import { heldRow } from "./moderation.js";
import { act, root, scheduleRender, state, t } from "./page.js";

const container = byId("themes");

function themeTools(theme) {
  const others = [...state.themes.values()].filter((o) => o.id !== theme.id);
  const mergeSelect = el(
    "select",
    {
      "aria-label": t.merge_with,
      class: "merge-select",
      onchange: (e) => {
        if (!e.target.value) return;
        act("merge_themes", { theme_ids: [theme.id, Number(e.target.value)], into: theme.id });
      },
    },
    el("option", { value: "", text: t.merge_with }),
    ...others.map((o) => el("option", { value: o.id, text: o.name })),
  );
  return el(
    "div",
    { class: "theme-tools" },
    el("button", {
      type: "button",
      class: "lock-button",
      "aria-pressed": theme.locked ? "true" : "false",
      onclick: () => act("lock_theme", { theme_id: theme.id, locked: !theme.locked }),
      text: theme.locked ? t.unlock : t.lock,
    }),
    el("button", {
      type: "button",
      class: "split-button",
      disabled: theme.locked,
      onclick: () => act("split_theme", { theme_id: theme.id, parts: 2 }),
      text: t.split,
    }),
    mergeSelect,
  );
}

// Themes fold to their header, remembered on this computer; a search or a filter shows every
// theme that has a match, unfolded.
const collapsedKey = "collapsed-themes:" + root.dataset.code;
const collapsed = new Set(JSON.parse(localStorage.getItem(collapsedKey) || "[]"));
function setCollapsed(key, fold) {
  if (fold) collapsed.add(key);
  else collapsed.delete(key);
  localStorage.setItem(collapsedKey, JSON.stringify([...collapsed]));
  scheduleRender();
}
byId("collapse-all").addEventListener("click", () => {
  for (const section of container.querySelectorAll(".facilitate-theme")) collapsed.add(section.dataset.themeId);
  setCollapsed("new", true);
});
byId("expand-all").addEventListener("click", () => {
  collapsed.clear();
  setCollapsed("new", false);
});

// A theme's section is made again only when the theme, its fold or another theme's name (which
// its merge menu lists) changed. Otherwise it is updated in place: its count, and its list by
// moving only the rows that are not already where they belong. An idea arriving in a theme of
// 300 then inserts one row, instead of a new section holding 300 moved rows for the browser to
// lay out again (a room sending 50 ideas a second redraws this page 30 times a second).
const sectionsKept = new Map();
let themesKey = "";
function keptSection(theme, ideas, total, filtering) {
  const key = theme ? String(theme.id) : "new";
  const folded = collapsed.has(key) && !filtering;
  const signature = JSON.stringify([
    theme ? [theme.id, theme.name, theme.color, theme.locked] : null, filtering, folded, themesKey,
  ]);
  let kept = sectionsKept.get(key);
  if (!kept || kept.signature !== signature) {
    kept = { signature, ...themeSection(theme, folded) };
    sectionsKept.set(key, kept);
  }
  const count = filtering ? total.shown + " / " + counted(t.ideas, total.all) : counted(t.ideas, total.all);
  if (kept.count.textContent !== count) kept.count.textContent = count;
  if (kept.list) placeChildren(kept.list, ideas.map(ideaRow));
  return kept.node;
}

// Make parent's children exactly `nodes`, in order, moving or removing only those out of place.
function placeChildren(parent, nodes) {
  let current = parent.firstChild;
  for (const node of nodes) {
    if (current === node) {
      current = current.nextSibling;
    } else {
      parent.insertBefore(node, current);
    }
  }
  while (current) {
    const next = current.nextSibling;
    current.remove();
    current = next;
  }
}

function themeHeader(theme) {
  if (!theme) return el("h2", { text: t.new });
  return el(
    "form",
    {
      class: "rename",
      onsubmit: (e) => {
        e.preventDefault();
        act("rename_theme", { theme_id: theme.id, name: e.target.elements.name.value });
      },
    },
    el("label", { for: "name-" + theme.id, class: "visually-hidden", text: t.theme_name }),
    el("input", { id: "name-" + theme.id, name: "name", value: theme.name, maxlength: 120 }),
    el("button", { type: "submit", text: t.rename }),
  );
}

// A theme's section, empty: {node, count (the element showing its count), list (null folded)}.
function themeSection(theme, folded) {
  const key = theme ? String(theme.id) : "new";
  const listId = "ideas-of-" + key;
  const count = el("span", { class: "theme-count" });
  const list = folded ? null : el("ul", { id: listId });
  const node = el(
    "section",
    {
      class: "facilitate-theme" + (folded ? " is-collapsed" : "") + (theme && theme.locked ? " is-locked" : ""),
      "data-theme-id": key,
      style: { "--theme-color": theme ? theme.color : "#e0e0e0" },
    },
    el(
      "div",
      { class: "theme-head" },
      el("button", {
        type: "button",
        class: "collapse-button",
        "aria-expanded": folded ? "false" : "true",
        "aria-controls": listId,
        "aria-label": (folded ? t.expand : t.collapse) + " " + (theme ? theme.name : t.new),
        onclick: () => setCollapsed(key, !folded),
        text: folded ? "▸" : "▾",
      }),
      themeHeader(theme),
      count,
    ),
    folded ? null : theme ? themeTools(theme) : null,
    list,
  );
  return { node, count, list };
}

// Held ideas are on no theme until approved: one section lists those that match.
function heldSection(matches) {
  const held = [...state.ideas.values()].filter((i) => i.held);
  const hits = held.filter(matches);
  const section = el(
    "section",
    { class: "facilitate-theme", "data-theme-id": "held" },
    el("div", { class: "theme-head" }, el("h2", { text: t.held }), el("span", { class: "theme-count", text: counted(t.ideas, hits.length) })),
    el("ul", {}, ...hits.map(heldRow)),
  );
  return { section, shown: hits.length, all: held.length };
}

export function renderThemes() {
  findDuplicates();
  themesKey = JSON.stringify([...state.themes.values()].map((th) => [th.id, th.name, th.locked]));
  forgetGoneRows();
  const { active, kind, matches } = matcher();
  let shown = 0;
  let all = 0;
  const sections = [];
  if (kind === "held") {
    const held = heldSection(matches);
    sections.push(held.section);
    ({ shown, all } = held);
  } else {
    const { themes, fresh } = state.groups({ includeHidden: true });
    const groups = [...themes.map((g) => [g.theme, g.ideas]), [null, fresh]];
    for (const [theme, ideas] of groups) {
      const hits = active ? ideas.filter(matches) : ideas;
      all += ideas.length;
      shown += hits.length;
      if (active && !hits.length) continue;
      sections.push(keptSection(theme, hits, { shown: hits.length, all: ideas.length }, active));
    }
  }
  placeChildren(container, sections);
  for (const key of sectionsKept.keys()) if (key !== "new" && !state.themes.has(Number(key))) sectionsKept.delete(key);
  const count = byId("filter-count");
  count.textContent = active ? (shown ? t.shown_of.replace("{shown}", shown).replace("{total}", all) : t.no_match) : "";
}
