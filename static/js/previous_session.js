// The import page: follow the background embedding of the previous session's ideas.
const line = document.getElementById("embedding-progress");

async function poll(bar, count, template) {
  try {
    const reply = await fetch(line.dataset.url, { headers: { Accept: "application/json" } });
    if (reply.ok) {
      const progress = await reply.json();
      if (!progress || progress.done >= progress.total) {
        line.hidden = true;
        return;
      }
      bar.value = progress.done;
      bar.max = progress.total;
      // The sentence comes translated from the server: only its two numbers change.
      let n = 0;
      count.textContent = template.replace(/\d+/g, (m) => {
        n += 1;
        return String(n === 1 ? progress.done : n === 2 ? progress.total : m);
      });
    }
  } catch (error) {
    // Offline for a moment: the next poll tries again.
  }
  window.setTimeout(() => poll(bar, count, template), 3000);
}

if (line) {
  const count = document.getElementById("embedding-count");
  const template = count.textContent;
  const shown = template.match(/\d+/g) || [];
  if (shown.length >= 2) window.setTimeout(() => poll(document.getElementById("embedding-bar"), count, template), 3000);
}
