// The full view of the projected board: every idea, in columns, as large as fits.
import { el } from "../lib/dom.js";
import { ideaItem, themeHeading } from "./groups.js";
import { fits, minSize, splitIdea } from "./measure.js";

// Type sizes tried for the full view, as multiples of the smallest readable size (--min).
const FULL_SIZES = [2.4, 2, 1.7, 1.45, 1.25, 1.1, 1];
// A column of ideas is about this many times the type size wide (40 to 50 letters a line).
const COLUMN_EMS = 15;

// Whether the full view surely cannot fit: the ideas' text alone, at the smallest size, would
// need well over the room there is (a quick check that spares a large room a useless layout).
function surelyTooMuch(view, groups) {
  const min = minSize(view.root);
  const room = view.container.clientWidth * view.container.clientHeight;
  let needed = 0;
  for (const group of groups) {
    for (const idea of group.ideas) needed += (idea.text.length * 0.45 + 8) * min * min * 1.3;
  }
  return needed > room * 1.5;
}

// Draw every idea; says whether they all fit at a readable size.
export function drawFull(view, groups, duplicates) {
  if (surelyTooMuch(view, groups)) return false;
  const { container } = view;
  const cards = groups.map((group) =>
    el(
      "section",
      { class: "theme", "data-theme-id": group.id ?? "new", style: { "--theme-color": group.color } },
      themeHeading(view, group),
      el("ul", { class: "idea-list" }, ...group.ideas.map((idea) => ideaItem(view, idea, "idea", duplicates))),
    ),
  );
  container.className = "themes mode-full";
  container.replaceChildren(...cards);
  const min = minSize(view.root);
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
