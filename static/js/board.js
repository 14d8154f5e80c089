// The projected board. It never scrolls and never cuts a text off: while every idea fits at a
// readable size it shows them all, in columns; when they do not, it changes how it shows them
// (a tile per theme with its most representative ideas, a spotlight that pages through each
// theme's ideas in turn, a strip of the newest ideas) instead of shrinking the type.
"use strict";
(function () {
  const root = document.getElementById("board");
  const t = strings(root);
  const state = new BoardState();
  const byId = (id) => document.getElementById(id);
  const container = byId("themes");
  const status = byId("status");
  const question = byId("question");
  const topBox = document.querySelector(".board-top");
  const phaseName = byId("phase-name");
  const countdown = byId("countdown");
  const voters = byId("voters");
  const silent = byId("silent");
  const results = byId("results");
  const emptyNote = byId("empty-note");
  const recent = byId("recent");
  const recentList = byId("recent-list");

  // Type sizes tried for the full view, as multiples of the smallest readable size (--min).
  const FULL_SIZES = [2.4, 2, 1.7, 1.45, 1.25, 1.1, 1];
  const SPOT_SIZES = [1.7, 1.45, 1.25, 1.1, 1];
  const RESULT_SIZES = [2.2, 1.8, 1.5, 1.25, 1.1, 1];
  // A column of ideas is about this many times the type size wide (40 to 50 letters a line).
  const COLUMN_EMS = 15;
  // The spotlight shows a page for long enough to read it from the back of the room.
  const SPOT_MIN_MS = 8000;
  const SPOT_MAX_MS = 20000;
  const SPOT_MS_PER_CHAR = 14;
  // The title, phase and question take at most this share of the screen's height if they can.
  const TOP_SHARE = 0.25;
  // Redraws are spread out a little when a room sends many ideas at once.
  const DRAW_INTERVAL_MS = 250;
  const LOCK_PATH = "M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z";

  let voterCount = 0;
  let mode = "full";
  let lastDraw = 0;
  let drawTimer = null;
  // Where the spotlight is: which group, from which of its ideas, and how many it showed.
  const spot = { key: null, start: 0, shown: [], timer: null, changedAt: 0 };

  setInterval(() => showCountdown(countdown, state.workshop, t.ends_in), 1000);

  function minSize() {
    return parseFloat(getComputedStyle(root).fontSize);
  }

  function fits(node) {
    return node.scrollHeight <= node.clientHeight + 1 && node.scrollWidth <= node.clientWidth + 1;
  }

  // Keep the leading children of list whose box lies wholly inside it; drop the rest.
  // Returns how many were kept. Removing later children never moves earlier ones.
  function keepWhatFits(list, reserve = 0) {
    const box = list.getBoundingClientRect();
    const bottom = box.bottom - reserve + 0.5;
    const right = box.right + 0.5;
    let kept = 0;
    for (const child of list.children) {
      const r = child.getBoundingClientRect();
      if (r.bottom > bottom || r.right > right || r.left < box.left - 0.5) break;
      // An idea split over two columns is not whole either.
      if (child.getClientRects().length > 1) break;
      kept += 1;
    }
    while (list.children.length > kept) list.lastElementChild.remove();
    return kept;
  }

  // Whether an idea of the full view is split over two columns (taller than a column).
  function splitIdea(node) {
    for (const item of node.querySelectorAll("li.idea")) if (item.getClientRects().length > 1) return true;
    return false;
  }

  function themeName(theme, ideas) {
    const name = (theme.name || "").trim();
    if (name && !/^[.…\s]+$/.test(name)) return name;
    // A theme the algorithm has not named yet (just split, say): its words, else its idea's.
    if (theme.terms && theme.terms.length) return theme.terms.slice(0, 3).join(", ");
    const central = ideas.find((i) => i.id === theme.representative_idea_id) || ideas[0];
    if (central) return central.text.split(/\s+/).slice(0, 5).join(" ");
    return t.theme;
  }

  // The groups on the board, in board order: each theme, then the ideas not grouped yet.
  function currentGroups() {
    const workshop = state.workshop || {};
    const { themes, fresh } = state.groups({ questionId: workshop.board_question_id });
    const groups = themes.map(({ theme, ideas }) => ({
      key: String(theme.id),
      id: theme.id,
      name: themeName(theme, ideas),
      color: theme.color,
      locked: !!theme.locked,
      representative: theme.representative_idea_id,
      terms: theme.terms || [],
      ideas,
    }));
    if (fresh.length) groups.push({ key: "new", id: null, name: t.new, color: "#e0e0e0", locked: false, ideas: fresh });
    return groups;
  }

  function duplicateIndex() {
    const index = new Map();
    for (const idea of state.ideas.values()) {
      if (idea.merged_into_id && !idea.hidden) {
        if (!index.has(idea.merged_into_id)) index.set(idea.merged_into_id, []);
        index.get(idea.merged_into_id).push(idea);
      }
    }
    return index;
  }

  function ideaItem(idea, className, duplicates, color) {
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

  function themeHeading(group, extra) {
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

  // ---- Full view: every idea, as large as fits --------------------------------------------

  // Whether the full view surely cannot fit: the ideas' text alone, at the smallest size, would
  // need well over the room there is (a quick check that spares a large room a useless layout).
  function surelyTooMuch(groups) {
    const min = minSize();
    const room = container.clientWidth * container.clientHeight;
    let needed = 0;
    for (const group of groups) {
      for (const idea of group.ideas) needed += (idea.text.length * 0.45 + 8) * min * min * 1.3;
    }
    return needed > room * 1.5;
  }

  function drawFull(groups, duplicates) {
    if (surelyTooMuch(groups)) return false;
    const cards = groups.map((group) =>
      el(
        "section",
        { class: "theme", "data-theme-id": group.id ?? "new", style: { "--theme-color": group.color } },
        themeHeading(group),
        el("ul", { class: "idea-list" }, ...group.ideas.map((idea) => ideaItem(idea, "idea", duplicates))),
      ),
    );
    container.className = "themes mode-full";
    container.replaceChildren(...cards);
    const min = minSize();
    const width = container.clientWidth;
    const gap = min * 0.7;
    const tryAt = (factor) => {
      const size = factor * min;
      const columns = Math.max(1, Math.floor((width + gap) / (size * COLUMN_EMS + gap)));
      container.style.setProperty("--idea-size", size.toFixed(2) + "px");
      container.style.setProperty("--cols", String(columns));
      return fits(container) && !splitIdea(container);
    };
    // The quick answer first: if it does not fit at the smallest readable size, it never will.
    if (!tryAt(1)) return false;
    for (const factor of FULL_SIZES) if (tryAt(factor)) return true;
    return tryAt(1);
  }

  // ---- Overview: tiles, spotlight ------------------------------------------------------------

  // Tiles per row and rows for n tiles in a box, so that tiles are wide rather than tall.
  function tileGrid(n, width, height) {
    let best = { cols: 1, rows: n, score: -1 };
    for (let cols = 1; cols <= n; cols += 1) {
      const rows = Math.ceil(n / cols);
      const score = Math.min(width / cols / 1.8, height / rows);
      if (score > best.score + 0.5) best = { cols, rows, score };
    }
    return best;
  }

  // Letters without diacritics, in lower case: "Finanțare", "finantare" and "FINANŢARE" meet.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The order in which a tile offers its ideas: the theme's most representative idea first,
  // then the ideas that use most of the theme's top words (they say what the theme is about),
  // then those that stand for several (merged near-duplicates), then in the order they came.
  function tileOrder(group, duplicates) {
    const terms = (group.terms || []).map(folded).filter((term) => term.length > 2);
    const weight = (idea) => {
      const text = folded(idea.text);
      const hits = terms.filter((term) => text.includes(term)).length;
      return (idea.id === group.representative ? 1e6 : 0) + hits * 100 + (duplicates.get(idea.id) || []).length;
    };
    const weights = new Map(group.ideas.map((idea) => [idea.id, weight(idea)]));
    return [...group.ideas].sort((a, b) => weights.get(b.id) - weights.get(a.id) || a.id - b.id);
  }

  function drawTile(group) {
    const list = el("ul", { class: "idea-list" });
    // Room for the "+ n more" line is kept while the tile is filled.
    const more = el("p", { class: "tile-more", text: counted(t.more, group.ideas.length) });
    const tile = el(
      "section",
      { class: "theme tile", "data-theme-id": group.id ?? "new", style: { "--theme-color": group.color } },
      themeHeading(group),
      list,
      more,
    );
    return { tile, list, more };
  }

  // Fill a tile with whole ideas in its order of preference, passing over an idea too long for
  // the room left; says whether the tile's name and count fit at all.
  function fillTile({ tile, list, more }, group, duplicates) {
    const room = list.getBoundingClientRect();
    const line = minSize() * 1.6;
    let kept = 0;
    let misses = 0;
    for (const idea of tileOrder(group, duplicates)) {
      if (room.height < line) break;
      const item = ideaItem(idea, "idea", duplicates);
      list.append(item);
      const bottom = item.getBoundingClientRect().bottom;
      if (bottom > room.bottom + 0.5) {
        item.remove();
        misses += 1;
        if (misses >= 12) break;
      } else {
        kept += 1;
        if (room.bottom - bottom < line) break;
      }
    }
    const left = group.ideas.length - kept;
    if (left > 0) more.textContent = counted(t.more, left);
    else more.remove();
    return fits(tile);
  }

  function drawOverview(groups, duplicates) {
    container.className = "themes mode-overview";
    const min = minSize();
    const width = container.clientWidth;
    const height = container.clientHeight;
    const gap = min * 0.7;
    const spotIndex = Math.max(0, groups.findIndex((g) => g.key === spot.key));
    // Tiles take more of the height when there are many themes; the spotlight keeps the rest.
    let share = groups.length <= 8 ? 0.55 : groups.length <= 15 ? 0.62 : 0.68;
    let perPage = groups.length;
    for (;;) {
      const page = Math.floor(spotIndex / perPage);
      const shown = groups.slice(page * perPage, page * perPage + perPage);
      const grid = tileGrid(shown.length, width, height * share - gap);
      const tiles = el("div", { class: "tiles", style: { "--tile-cols": grid.cols, "--tile-rows": grid.rows } });
      const drawn = shown.map((group) => drawTile(group));
      tiles.append(...drawn.map((d) => d.tile));
      const spotlight = el("section", { class: "spotlight", "aria-live": "off" });
      container.style.setProperty("--tiles-height", Math.round(share * 100) + "%");
      container.replaceChildren(tiles, spotlight);
      const allFit = drawn.every((d, i) => fillTile(d, shown[i], duplicates));
      if (allFit || perPage <= 1) {
        if (perPage < groups.length) {
          // More themes than tiles that fit: the tiles page along with the spotlight.
          const first = page * perPage + 1;
          const last = page * perPage + shown.length;
          tiles.dataset.page = `${first}-${last}`;
          const label = t.tiles_page.replace("{first}", first).replace("{last}", last).replace("{total}", groups.length);
          spotlight.dataset.tilesPage = label;
        }
        drawSpotlight(spotlight, groups, duplicates, tiles);
        return;
      }
      // Too many tiles for the room: fewer at a time, leaving the spotlight its share.
      share = 0.55;
      perPage = Math.max(1, Math.min(perPage - 1, (grid.rows - 1) * grid.cols || perPage - 1));
    }
  }

  function drawSpotlight(box, groups, duplicates, tiles) {
    let index = groups.findIndex((g) => g.key === spot.key);
    if (index < 0) {
      index = 0;
      spot.key = groups[0].key;
      spot.start = 0;
    }
    const group = groups[index];
    if (spot.start >= group.ideas.length) spot.start = 0;
    for (const tile of tiles.children) tile.classList.toggle("is-spotlit", tile.dataset.themeId === String(group.id ?? "new"));
    box.style.setProperty("--theme-color", group.color);
    box.dataset.themeId = group.id ?? "new";
    const range = el("span", { class: "spotlight-range" });
    const heading = themeHeading(group, range);
    heading.classList.add("spotlight-title");
    if (box.dataset.tilesPage) heading.append(el("span", { class: "tiles-page", text: box.dataset.tilesPage }));
    const list = el("ul", { class: "spotlight-list" });
    box.replaceChildren(heading, list);
    const page = group.ideas.slice(spot.start, spot.start + 40);
    const min = minSize();
    let kept = 0;
    // In columns first; an idea too long for a column gets the spotlight's whole width.
    for (const columns of ["auto", "1"]) {
      list.style.setProperty("--spot-columns", columns);
      for (const factor of SPOT_SIZES) {
        list.style.setProperty("--spot-size", (factor * min).toFixed(2) + "px");
        list.replaceChildren(...page.map((idea) => ideaItem(idea, "spotlight-idea", duplicates, group.color)));
        kept = keepWhatFits(list);
        if (kept >= Math.min(5, page.length)) break;
      }
      if (kept > 0) break;
    }
    spot.shown = page.slice(0, kept).map((i) => i.id);
    range.textContent = t.range
      .replace("{first}", spot.start + 1)
      .replace("{last}", spot.start + Math.max(kept, 1))
      .replace("{total}", group.ideas.length);
    // The page stays up long enough to be read, then the next one comes.
    const chars = page.slice(0, kept).reduce((sum, i) => sum + i.text.length, 0);
    const dwell = Math.min(SPOT_MAX_MS, Math.max(SPOT_MIN_MS, 4000 + chars * SPOT_MS_PER_CHAR));
    if (!spot.timer) spot.timer = setTimeout(advanceSpotlight, dwell);
  }

  function advanceSpotlight() {
    clearTimeout(spot.timer);
    spot.timer = null;
    const groups = currentGroups();
    const index = groups.findIndex((g) => g.key === spot.key);
    const group = groups[index];
    if (group && spot.start + Math.max(1, spot.shown.length) < group.ideas.length) {
      spot.start += Math.max(1, spot.shown.length);
    } else if (groups.length) {
      spot.key = groups[(index + 1) % groups.length].key;
      spot.start = 0;
    }
    draw();
  }

  function stopSpotlight() {
    clearTimeout(spot.timer);
    spot.timer = null;
  }

  // ---- The newest ideas, in the side column --------------------------------------------------

  function drawRecent(show, duplicates) {
    recent.hidden = !show;
    if (!show) return;
    const colorOf = (idea) => (state.themes.get(idea.theme_id) || {}).color || "#bbb";
    const newest = currentGroups()
      .flatMap((g) => g.ideas)
      .sort((a, b) => b.id - a.id)
      .slice(0, 20);
    recentList.replaceChildren(...newest.map((idea) => ideaItem(idea, "recent-idea", duplicates, colorOf(idea))));
    keepWhatFits(recentList);
  }

  // ---- Results: as many as fit, largest first -------------------------------------------------

  // A theme's result under the name the board gives it (a theme not named yet has one too).
  function resultLabel(result) {
    const theme = result.kind === "theme" ? state.themes.get(result.id) : null;
    if (!theme) return result.label;
    const ideas = [...state.ideas.values()].filter((i) => i.theme_id === theme.id);
    return themeName({ ...theme, name: result.label }, ideas);
  }

  function drawResults(ranked) {
    const list = byId("results-list");
    const more = byId("results-more");
    const top = Math.max(1, ...ranked.map((r) => r.dots));
    const items = () =>
      ranked.slice(0, 60).map((r, index) =>
        el(
          "li",
          { class: "result", "data-item-id": r.id },
          el("span", { class: "result-rank", text: String(index + 1) }),
          el("span", { class: "result-label", text: resultLabel(r) }),
          el("span", { class: "result-bar", style: { "--share": (100 * r.dots) / top + "%" } }),
          el("span", { class: "result-dots", text: counted(t.dots, r.dots) }),
        ),
      );
    const min = minSize();
    more.hidden = true;
    for (const factor of RESULT_SIZES) {
      list.style.setProperty("--result-size", (factor * min).toFixed(2) + "px");
      list.replaceChildren(...items());
      if (fits(list) && ranked.length <= 60) return;
    }
    // Even at the smallest size not all fit: the top ones, and how many more there are.
    more.textContent = counted(t.more_results, ranked.length);
    more.hidden = false;
    const kept = keepWhatFits(list);
    more.textContent = counted(t.more_results, ranked.length - kept);
  }

  // A long title or question takes at most about a quarter of the screen: its type comes down
  // towards the smallest readable size (never below it) before the ideas lose room.
  function fitTop() {
    for (const scale of [1, 0.75, 0.5, 0.25, 0]) {
      root.style.setProperty("--top-scale", String(scale));
      if (topBox.getBoundingClientRect().height <= window.innerHeight * TOP_SHARE) return;
    }
  }

  // ---- Everything ----------------------------------------------------------------------------

  function draw() {
    clearTimeout(drawTimer);
    drawTimer = null;
    lastDraw = performance.now();
    const workshop = state.workshop || {};
    const questions = workshop.questions || [];
    const shownQuestion = questions.find((q) => q.id === workshop.board_question_id);
    question.textContent = shownQuestion ? shownQuestion.text : questions.length === 1 ? questions[0].text : "";
    phaseName.textContent = (t.phases || {})[workshop.phase] || "";
    const closed = workshop.vote_closed ? " · " + t.vote_closed : "";
    voters.textContent = workshop.phase === "vote" ? counted(t.voted, voterCount) + closed : "";
    showCountdown(countdown, workshop, t.ends_in);
    fitTop();

    const showResults = workshop.phase === "results";
    const isSilent = workshop.ideas_revealed === false && !showResults;
    const groups = currentGroups();
    const duplicates = duplicateIndex();
    const empty = !showResults && !isSilent && groups.length === 0;
    silent.hidden = !isSilent;
    results.hidden = !showResults;
    emptyNote.hidden = !empty;
    container.hidden = isSilent || showResults || empty;
    if (isSilent) {
      const count = [...state.ideas.values()].filter((i) => !i.hidden).length;
      byId("silent-count").textContent = counted(t.ideas_in, count);
      byId("silent-note").textContent = t.silent;
    }
    if (showResults) drawResults(workshop.results || []);
    if (container.hidden) {
      container.replaceChildren();
      mode = showResults ? "results" : isSilent ? "silent" : "empty";
      stopSpotlight();
    } else if (drawFull(groups, duplicates)) {
      mode = "full";
      stopSpotlight();
    } else {
      mode = "overview";
      drawOverview(groups, duplicates);
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
      status.textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });

  // One hook for tests and for checking a board by hand from the browser's console.
  window.boardDebug = {
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
      advanceSpotlight();
      return window.boardDebug.spotlight();
    },
    spotlight: () => ({ key: spot.key, start: spot.start, ids: [...spot.shown] }),
    // Every group of the board with its name and the texts of all its ideas (shown or not).
    groups: () => currentGroups().map((g) => ({ key: g.key, name: g.name, locked: g.locked, ideas: g.ideas.map((i) => i.text) })),
    ideaCount: () => currentGroups().reduce((sum, g) => sum + g.ideas.length, 0),
  };
})();
