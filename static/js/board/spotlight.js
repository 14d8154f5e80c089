// The spotlight of the board's overview: one theme's ideas at a time, a page of them for long
// enough to be read from the back of the room, then the next page or the next theme.
import { el } from "../lib/dom.js";
import { currentGroups, ideaItem, themeHeading } from "./groups.js";
import { keepWhatFits, minSize } from "./measure.js";

const SPOT_SIZES = [1.7, 1.45, 1.25, 1.1, 1];
const SPOT_MIN_MS = 8000;
const SPOT_MAX_MS = 20000;
const SPOT_MS_PER_CHAR = 14;

// Where the spotlight is: which group, from which of its ideas, and how many it showed.
export function newSpot() {
  return { key: null, start: 0, shown: [], timer: null, changedAt: 0 };
}

export function drawSpotlight(view, box, groups, duplicates, tiles) {
  const { spot, t } = view;
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
  const heading = themeHeading(view, group, range);
  heading.classList.add("spotlight-title");
  if (box.dataset.tilesPage) heading.append(el("span", { class: "tiles-page", text: box.dataset.tilesPage }));
  const list = el("ul", { class: "spotlight-list" });
  box.replaceChildren(heading, list);
  const page = group.ideas.slice(spot.start, spot.start + 40);
  const min = minSize(view.root);
  let kept = 0;
  // In columns first; an idea too long for a column gets the spotlight's whole width.
  for (const columns of ["auto", "1"]) {
    list.style.setProperty("--spot-columns", columns);
    for (const factor of SPOT_SIZES) {
      list.style.setProperty("--spot-size", (factor * min).toFixed(2) + "px");
      list.replaceChildren(...page.map((idea) => ideaItem(view, idea, "spotlight-idea", duplicates, group.color)));
      kept = keepWhatFits(list);
      if (kept >= Math.min(5, page.length)) break;
    }
    if (kept > 0) break;
  }
  // The range ("ideas 1-4 of 66") can take the heading to another line, and a shorter list
  // moves its last ideas to a column past its edge: measured again until it holds.
  for (let tries = 0; tries < 3; tries += 1) {
    range.textContent = t.range
      .replace("{first}", spot.start + 1)
      .replace("{last}", spot.start + Math.max(kept, 1))
      .replace("{total}", group.ideas.length);
    const still = keepWhatFits(list);
    if (still === kept) break;
    kept = still;
  }
  spot.shown = page.slice(0, kept).map((i) => i.id);
  // The page stays up long enough to be read, then the next one comes.
  const chars = page.slice(0, kept).reduce((sum, i) => sum + i.text.length, 0);
  const dwell = Math.min(SPOT_MAX_MS, Math.max(SPOT_MIN_MS, 4000 + chars * SPOT_MS_PER_CHAR));
  if (!spot.timer) spot.timer = setTimeout(() => advanceSpotlight(view), dwell);
}

// The next page of the theme in the spotlight, or the next theme; then the board is drawn again.
export function advanceSpotlight(view) {
  const { spot } = view;
  clearTimeout(spot.timer);
  spot.timer = null;
  const groups = currentGroups(view);
  const index = groups.findIndex((g) => g.key === spot.key);
  const group = groups[index];
  if (group && spot.start + Math.max(1, spot.shown.length) < group.ideas.length) {
    spot.start += Math.max(1, spot.shown.length);
  } else if (groups.length) {
    spot.key = groups[(index + 1) % groups.length].key;
    spot.start = 0;
  }
  view.draw();
}

export function stopSpotlight(spot) {
  clearTimeout(spot.timer);
  spot.timer = null;
}
