// The facilitator's controls: every action goes to the server, which checks the key, applies
// it and broadcasts it; this page redraws from the broadcast like every board.
import "./facilitate/duplicates.js";
import "./facilitate/timer.js";
import { loadComparison, keepComparison } from "./facilitate/ideas.js";
import { renderHeld, showWordList } from "./facilitate/moderation.js";
import { act, live, root, scheduleRender, setRender, state, t } from "./facilitate/page.js";
import { renderSession } from "./facilitate/session.js";
import { renderThemes } from "./facilitate/themes.js";
import { connectLive } from "./lib/connection.js";
import { exposeDebug } from "./lib/debug.js";
import { byId } from "./lib/dom.js";

const toggle = byId("toggle-submissions");
const joining = byId("toggle-joining");

// The room's own switches: submissions, joining, the number of themes; drawn again only when
// the workshop changed or the focus moved (see renderSession).
let drawnRoom = { workshop: undefined, focus: null };
function renderRoom() {
  if (drawnRoom.workshop === state.workshop && drawnRoom.focus === document.activeElement) return;
  drawnRoom = { workshop: state.workshop, focus: document.activeElement };
  const open = state.workshop && state.workshop.submissions_open;
  byId("submissions-state").textContent = open ? t.open : t.closed;
  toggle.textContent = open ? t.close_action : t.open_action;
  joining.textContent = state.workshop && state.workshop.joining_open === false ? t.open_joining : t.close_joining;
  const range = byId("theme-range").elements;
  if (state.workshop && document.activeElement !== range.min && document.activeElement !== range.max) {
    range.min.value = state.workshop.theme_count_min;
    range.max.value = state.workshop.theme_count_max;
  }
}

let pendingRender = false;
function render() {
  renderSession();
  renderHeld();
  // Keep what the facilitator is typing: skip a redraw while a rename field has focus.
  if (document.activeElement && document.activeElement.closest && document.activeElement.closest("form.rename")) {
    pendingRender = true;
    return;
  }
  renderThemes();
  renderRoom();
}
setRender(render);
document.addEventListener("focusout", () => setTimeout(() => {
  if (pendingRender) { pendingRender = false; render(); }
}, 0));

toggle.addEventListener("click", () => act("set_submissions", { open: !(state.workshop && state.workshop.submissions_open) }));
joining.addEventListener("click", () => act("set_joining", { open: !(state.workshop && state.workshop.joining_open) }));
byId("undo").addEventListener("click", () => act("undo", {}));
byId("theme-range").addEventListener("submit", (e) => {
  e.preventDefault();
  act("set_theme_range", { min: Number(e.target.elements.min.value), max: Number(e.target.elements.max.value) });
});

live.socket = connectLive({
  code: root.dataset.code,
  role: "facilitator",
  key: root.dataset.key,
  contiguous: true,
  onSnapshot: (snapshot) => {
    state.load(snapshot);
    loadComparison();
    showWordList(snapshot.word_list, false);
    render();
  },
  onEvent: (message) => {
    if (message.kind === "comparison_updated") keepComparison(message.data);
    if (message.kind === "word_list_updated") showWordList(message.data.words, true);
    state.apply(message);
    scheduleRender();
  },
  onStatus: (s) => {
    byId("status").textContent = s === "online" ? "" : t.offline;
    root.dataset.connection = s;
  },
});
exposeDebug("facilitate", { socket: live.socket, state });
