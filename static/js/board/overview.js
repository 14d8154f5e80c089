// The overview of the projected board when not every idea fits: a tile per theme with its most
// representative ideas, above a spotlight that pages through each theme's ideas in turn.
import { el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { ideaItem, themeHeading } from "./groups.js";
import { fits, minSize, tileGrid } from "./measure.js";
import { drawSpotlight } from "./spotlight.js";

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

function drawTile(view, group) {
  const list = el("ul", { class: "idea-list" });
  // Room for the "+ n more" line is kept while the tile is filled.
  const more = el("p", { class: "tile-more", text: counted(view.t.more, group.ideas.length) });
  const tile = el(
    "section",
    { class: "theme tile", "data-theme-id": group.id ?? "new", style: { "--theme-color": group.color } },
    themeHeading(view, group),
    list,
    more,
  );
  return { tile, list, more };
}

// Fill a tile with whole ideas in its order of preference, passing over an idea too long for
// the room left; says whether the tile's name and count fit at all.
function fillTile(view, { tile, list, more }, group, duplicates) {
  const line = minSize(view.root) * 1.6;
  let room = list.getBoundingClientRect();
  let kept = 0;
  let misses = 0;
  // Offers one idea; says whether there may be room for another.
  const offer = (idea) => {
    const item = ideaItem(view, idea, "idea", duplicates);
    list.append(item);
    const bottom = item.getBoundingClientRect().bottom;
    if (bottom > room.bottom + 0.5) {
      item.remove();
      misses += 1;
      return true;
    }
    kept += 1;
    return room.bottom - bottom >= line;
  };
  if (room.height >= line) {
    for (const idea of tileOrder(group, duplicates)) {
      if (!offer(idea) || misses >= 12) break;
    }
  }
  if (kept === 0 && group.ideas.length) {
    // A name on two or three lines leaves little room: rather than an empty tile, one of the
    // shortest ideas in the room of the "+ n more" line too (the count beside the name says it).
    more.remove();
    room = list.getBoundingClientRect();
    const shortest = [...group.ideas].sort((a, b) => a.text.length - b.text.length || a.id - b.id);
    for (const idea of shortest.slice(0, 3)) {
      offer(idea);
      if (kept) break;
    }
    // The line comes back where the idea leaves room for it.
    tile.append(more);
    if (kept) {
      more.textContent = counted(view.t.more, group.ideas.length - kept);
      const last = list.lastElementChild.getBoundingClientRect();
      if (kept === group.ideas.length || last.bottom > list.getBoundingClientRect().bottom + 0.5) more.remove();
      return fits(tile);
    }
  }
  const left = group.ideas.length - kept;
  if (left > 0) more.textContent = counted(view.t.more, left);
  else more.remove();
  return fits(tile);
}

export function drawOverview(view, groups, duplicates) {
  const { container, spot, t } = view;
  container.className = "themes mode-overview";
  const min = minSize(view.root);
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
    const drawn = shown.map((group) => drawTile(view, group));
    tiles.append(...drawn.map((d) => d.tile));
    const spotlight = el("section", { class: "spotlight", "aria-live": "off" });
    container.style.setProperty("--tiles-height", Math.round(share * 100) + "%");
    container.replaceChildren(tiles, spotlight);
    const allFit = drawn.every((d, i) => fillTile(view, d, shown[i], duplicates));
    if (allFit || perPage <= 1) {
      if (perPage < groups.length) {
        // More themes than tiles that fit: the tiles page along with the spotlight.
        const first = page * perPage + 1;
        const last = page * perPage + shown.length;
        tiles.dataset.page = `${first}-${last}`;
        const label = t.tiles_page.replace("{first}", first).replace("{last}", last).replace("{total}", groups.length);
        spotlight.dataset.tilesPage = label;
      }
      drawSpotlight(view, spotlight, groups, duplicates, tiles);
      return;
    }
    // Too many tiles for the room: fewer at a time, leaving the spotlight its share.
    share = 0.55;
    perPage = Math.max(1, Math.min(perPage - 1, (grid.rows - 1) * grid.cols || perPage - 1));
  }
}
