// Show the time left in the current phase as m:ss, or nothing when there is no countdown.
export function showCountdown(node, workshop, label) {
  if (!node) return;
  if (!workshop || !workshop.phase_ends_at) {
    node.textContent = "";
    return;
  }
  const left = Math.max(0, Math.round((Date.parse(workshop.phase_ends_at) - Date.now()) / 1000));
  const text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  node.textContent = text;
  node.setAttribute("aria-label", label + " " + text);
  node.classList.toggle("ending", left <= 30);
}

// Keep a countdown up to date every second; `workshop` gives the page's current state.
export function tickCountdown(node, workshop, label) {
  setInterval(() => showCountdown(node, workshop(), label), 1000);
}
