// The one hook for tests and for checking a page by hand from the browser's console:
// `window.workshopDebug`, with the page's name, its live connection and what else it offers
// (the board: its state, drawing mode, spotlight and groups).
export function exposeDebug(page, hooks) {
  window.workshopDebug = Object.freeze({ page, ...hooks });
}
