// The "then and now" view: today's themes against the previous session's, live.
// Projected (role "board"): draws the last comparison on load (and after every catch-up snapshot),
// then each `comparison_updated` event the server pushes after a re-clustering or a decision.
// The facilitator's controls (role "facilitator") draw the same view with buttons to confirm,
// reject or undo a match and a form to make one by hand (`decide_match`, `undo_match_decision`).
// The view fits the screen without scrolling: evidence lines are dropped and the type shrinks
// (never below the minimum of the CSS) until it does.
import { themeItem } from "./then_and_now/items.js";
import { connectLive } from "./lib/connection.js";
import { strings } from "./lib/data.js";
import { exposeDebug } from "./lib/debug.js";
import { byId, el } from "./lib/dom.js";

const root = byId("then-and-now");
const t = strings(root);
const controls = root.dataset.role === "facilitator";
const nowList = byId("now-themes");
const thenList = byId("then-themes");
const empty = byId("empty");
const chart = byId("sizes-chart");
const status = byId("status");
// What the items share: the words, whether the buttons show, how many closest pairs of ideas
// are shown per match, and what a button does.
const view = { t, controls, evidenceShown: controls ? 3 : 2, decide };
let version = 0;
let socket = null;
let last = null;

function decide(themeId, previousTheme, decision) {
  const error = byId("decide-error");
  const event = decision === "undo" ? "undo_match_decision" : "decide_match";
  const body = { theme_id: themeId, previous_theme: previousTheme };
  if (decision !== "undo") body.decision = decision;
  socket.timeout(10000).emit(event, body, (err, reply) => {
    if (err || !reply || !reply.ok) {
      error.textContent = (reply && reply.error) || t.offline;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    status.textContent = t.updating;
    root.dataset.pending = "1";
  });
}

function options(select, values) {
  const chosen = select.value;
  select.replaceChildren(...values.map(([value, label]) => el("option", { value, text: label })));
  if (values.some(([value]) => String(value) === chosen)) select.value = chosen;
}

function header(previous) {
  byId("previous-name").textContent = [previous.title, previous.date].filter(Boolean).join(" · ");
  const note = byId("illustrative");
  note.textContent = t.illustrative;
  note.hidden = !previous.illustrative;
}

function draw(comparison) {
  last = comparison;
  version += 1;
  root.dataset.version = String(version);
  delete root.dataset.pending;
  if (status.textContent === t.updating || status.textContent === t.pending) status.textContent = "";
  if (!comparison) {
    empty.textContent = t.none;
    empty.hidden = false;
    nowList.replaceChildren();
    thenList.replaceChildren();
    chart.hidden = true;
    fit();
    return;
  }
  header(comparison.previous_session || {});
  empty.textContent = t.waiting;
  empty.hidden = comparison.current_themes.length > 0;
  nowList.replaceChildren(...comparison.current_themes.map((theme) => themeItem(view, theme, "now")));
  thenList.replaceChildren(...comparison.previous_themes.map((theme) => themeItem(view, theme, "then")));
  if (controls) {
    options(byId("make-now"), comparison.current_themes.map((th) => [th.theme_id, th.label]));
    options(byId("make-then"), comparison.previous_themes.map((th) => [th.label, th.label]));
  }
  chart.src = root.dataset.chart + "&v=" + version;
  chart.hidden = false;
  fit();
}

// Make the view fit the screen: fewer evidence lines first, then smaller type (down to the
// CSS minimum); the projected view never scrolls.
function overflowing() {
  return document.documentElement.scrollHeight > window.innerHeight + 1 ||
    [nowList, thenList].some((list) => list.scrollHeight > list.clientHeight + 1);
}

// Layouts tried in turn, each with the type shrinking step by step: two evidence lines per
// match; earlier themes on one line each; one evidence line; none.
const LAYOUTS = [
  { shown: 2, compact: false },
  { shown: 1, compact: false },
  { shown: 1, compact: true },
  { shown: 0, compact: true },
];

function fit() {
  if (controls || !last) return; // the facilitator's page scrolls like any page
  for (const layout of LAYOUTS) {
    root.classList.toggle("compact", layout.compact);
    if (layout.shown !== view.evidenceShown) {
      view.evidenceShown = layout.shown;
      nowList.replaceChildren(...last.current_themes.map((theme) => themeItem(view, theme, "now")));
    }
    for (let step = 0; step <= 8; step += 1) {
      const scale = 1 - step * 0.05;
      root.style.setProperty("--then-scale", String(scale));
      if (!overflowing()) {
        root.dataset.fitted = scale.toFixed(2) + "/" + layout.shown + (layout.compact ? "/compact" : "");
        view.evidenceShown = 2;
        return;
      }
    }
  }
  root.dataset.fitted = "overflow";
  view.evidenceShown = 2;
}

function load() {
  fetch(root.dataset.source, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((body) => {
      if (body.pending) {
        header(body.previous_session || {});
        status.textContent = t.pending;
        root.dataset.pending = "1";
        return;
      }
      draw(body.comparison);
    })
    .catch(() => { status.textContent = t.offline; });
}

if (controls) {
  byId("make-match").addEventListener("submit", (event) => {
    event.preventDefault();
    const themeId = Number(byId("make-now").value);
    decide(themeId, byId("make-then").value, "match");
  });
}
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => last && draw(last), 150);
});

socket = connectLive({
  code: root.dataset.code,
  role: root.dataset.role,
  key: root.dataset.key,
  onSnapshot: load,
  onEvent: (message) => { if (message.kind === "comparison_updated") draw(message.data); },
  onStatus: (s) => {
    if (s !== "online") status.textContent = t.offline;
    else if (status.textContent === t.offline) status.textContent = "";
    root.dataset.connection = s;
  },
});
exposeDebug("then_and_now", { socket });
