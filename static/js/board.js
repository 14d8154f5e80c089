// The projected board. It never scrolls and never cuts a text off: while every idea fits at a
// readable size it shows them all, in columns; when they do not, it changes how it shows them
// (a tile per theme with its most representative ideas, a spotlight that pages through each
// theme's ideas in turn, a strip of the newest ideas) instead of shrinking the type.
import { BoardState } from "./board/state.js";
import { drawFull } from "./board/full.js";
import { currentGroups, duplicateIndex, ideaItem } from "./board/groups.js";
import { keepWhatFits } from "./board/measure.js";
import { drawOverview } from "./board/overview.js";
import { drawResults } from "./board/results.js";
import { advanceSpotlight, newSpot, stopSpotlight } from "./board/spotlight.js";
import { connectLive } from "./lib/connection.js";
import { showCountdown, tickCountdown } from "./lib/countdown.js";
import { strings } from "./lib/data.js";
import { exposeDebug } from "./lib/debug.js";
import { byId } from "./lib/dom.js";
import { counted } from "./lib/plural.js";

// The title, phase and question take at most this share of the screen's height if they can.
const TOP_SHARE = 0.25;
// Redraws are spread out a little when a room sends many ideas at once.
const DRAW_INTERVAL_MS = 250;

const root = byId("board");
const t = strings(root);
const state = new BoardState();
const container = byId("themes");
const topBox = document.querySelector(".board-top");
const countdown = byId("countdown");
const recent = byId("recent");
const recentList = byId("recent-list");
// What the board's drawing functions share: the page, its words, the state, the spotlight.
const view = { root, t, state, container, spot: newSpot(), draw };

let voterCount = 0;
let mode = "full";
let lastDraw = 0;
let drawTimer = null;

tickCountdown(countdown, () => state.workshop, t.ends_in);

// The newest ideas, in the side column, while the overview shows.
function drawRecent(show, duplicates) {
  recent.hidden = !show;
  if (!show) return;
  const colorOf = (idea) => (state.themes.get(idea.theme_id) || {}).color || "#bbb";
  const newest = currentGroups(view)
    .flatMap((g) => g.ideas)
    .sort((a, b) => b.id - a.id)
    .slice(0, 20);
  recentList.replaceChildren(...newest.map((idea) => ideaItem(view, idea, "recent-idea", duplicates, colorOf(idea))));
  keepWhatFits(recentList);
}

// A long title or question takes at most about a quarter of the screen: its type comes down
// towards the smallest readable size (never below it) before the ideas lose room.
function fitTop() {
  for (const scale of [1, 0.75, 0.5, 0.25, 0]) {
    root.style.setProperty("--top-scale", String(scale));
    if (topBox.getBoundingClientRect().height <= window.innerHeight * TOP_SHARE) return;
  }
}

function drawHeader(workshop) {
  const questions = workshop.questions || [];
  const shownQuestion = questions.find((q) => q.id === workshop.board_question_id);
  byId("question").textContent = shownQuestion ? shownQuestion.text : questions.length === 1 ? questions[0].text : "";
  byId("phase-name").textContent = (t.phases || {})[workshop.phase] || "";
  const closed = workshop.vote_closed ? " · " + t.vote_closed : "";
  byId("voters").textContent = workshop.phase === "vote" ? counted(t.voted, voterCount) + closed : "";
  showCountdown(countdown, workshop, t.ends_in);
  fitTop();
}

function draw() {
  clearTimeout(drawTimer);
  drawTimer = null;
  lastDraw = performance.now();
  const workshop = state.workshop || {};
  drawHeader(workshop);
  const showResults = workshop.phase === "results";
  const isSilent = workshop.ideas_revealed === false && !showResults;
  const groups = currentGroups(view);
  const duplicates = duplicateIndex(state);
  const empty = !showResults && !isSilent && groups.length === 0;
  byId("silent").hidden = !isSilent;
  byId("results").hidden = !showResults;
  byId("empty-note").hidden = !empty;
  container.hidden = isSilent || showResults || empty;
  if (isSilent) {
    const count = [...state.ideas.values()].filter((i) => !i.hidden).length;
    byId("silent-count").textContent = counted(t.ideas_in, count);
    byId("silent-note").textContent = t.silent;
  }
  if (showResults) drawResults(view, workshop.results || []);
  if (container.hidden) {
    container.replaceChildren();
    mode = showResults ? "results" : isSilent ? "silent" : "empty";
    stopSpotlight(view.spot);
  } else if (drawFull(view, groups, duplicates)) {
    mode = "full";
    stopSpotlight(view.spot);
  } else {
    mode = "overview";
    drawOverview(view, groups, duplicates);
  }
  drawRecent(mode === "overview", duplicates);
  root.dataset.mode = mode;
  // The screen size this drawing was made for (a projector's resolution can change).
  root.dataset.drawnFor = `${window.innerWidth}x${window.innerHeight}`;
}

// Draw soon: at once when the last drawing is a while ago, else a moment later (one drawing
// for a burst of ideas).
function scheduleDraw() {
  if (drawTimer) return;
  const interval = mode === "overview" ? DRAW_INTERVAL_MS * 2.5 : DRAW_INTERVAL_MS;
  const wait = Math.max(0, interval - (performance.now() - lastDraw));
  drawTimer = setTimeout(draw, wait);
}

// The header can change height (a new question, a countdown): lay the board out again.
let lastSize = "";
new ResizeObserver(() => {
  const size = `${topBox.offsetHeight}x${window.innerWidth}x${window.innerHeight}`;
  if (size !== lastSize) {
    lastSize = size;
    scheduleDraw();
  }
}).observe(topBox);
window.addEventListener("resize", scheduleDraw);

const socket = connectLive({
  code: root.dataset.code,
  role: "board",
  key: root.dataset.key,
  contiguous: true,
  onSnapshot: (snapshot) => {
    state.load(snapshot);
    voterCount = snapshot.voters || 0;
    scheduleDraw();
  },
  onEvent: (message) => {
    if (message.kind === "votes_cast") voterCount = message.data.voters;
    state.apply(message);
    scheduleDraw();
  },
  onStatus: (s) => {
    byId("status").textContent = s === "online" ? "" : t.offline;
    root.dataset.connection = s;
  },
});

const spotlight = () => ({ key: view.spot.key, start: view.spot.start, ids: [...view.spot.shown] });
exposeDebug("board", {
  socket,
  state,
  mode: () => mode,
  // Draw now, without waiting for the next scheduled drawing.
  draw: () => {
    draw();
    return mode;
  },
  // Move the spotlight to its next page now; returns the ids of the ideas it then shows.
  nextSpotlight: () => {
    advanceSpotlight(view);
    return spotlight();
  },
  spotlight,
  // Every group of the board with its name and the texts of all its ideas (shown or not).
  groups: () => currentGroups(view).map((g) => ({ key: g.key, name: g.name, locked: g.locked, ideas: g.ideas.map((i) => i.text) })),
  ideaCount: () => currentGroups(view).reduce((sum, g) => sum + g.ideas.length, 0),
});
