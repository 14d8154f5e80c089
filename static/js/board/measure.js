// Measuring the projected board: whether a box shows everything it holds, and how much fits.

// The smallest readable type size of the board, in pixels (the root's font size, set by the CSS).
export function minSize(root) {
  return parseFloat(getComputedStyle(root).fontSize);
}

export function fits(node) {
  return node.scrollHeight <= node.clientHeight + 1 && node.scrollWidth <= node.clientWidth + 1;
}

// Keep the leading children of list whose box lies wholly inside it; drop the rest.
// Returns how many were kept. Removing later children never moves earlier ones.
export function keepWhatFits(list, reserve = 0) {
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
export function splitIdea(node) {
  for (const item of node.querySelectorAll("li.idea")) if (item.getClientRects().length > 1) return true;
  return false;
}

// Tiles per row and rows for n tiles in a box, so that tiles are wide rather than tall.
export function tileGrid(n, width, height) {
  let best = { cols: 1, rows: n, score: -1 };
  for (let cols = 1; cols <= n; cols += 1) {
    const rows = Math.ceil(n / cols);
    const score = Math.min(width / cols / 1.8, height / rows);
    if (score > best.score + 0.5) best = { cols, rows, score };
  }
  return best;
}
