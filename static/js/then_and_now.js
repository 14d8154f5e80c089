// The projected "then and now" view: today's themes against the previous session's, live.
// Draws the last comparison on load (and after every catch-up snapshot), then each
// `comparison_updated` event the server pushes after a re-clustering or a facilitator's change.
"use strict";
(function () {
  const root = document.getElementById("then-and-now");
  const t = strings(root);
  const nowList = document.getElementById("now-themes");
  const thenList = document.getElementById("then-themes");
  const empty = document.getElementById("empty");
  const chart = document.getElementById("sizes-chart");
  let version = 0;

  function themeItem(theme, side) {
    const status = el("span", { class: "then-status status-" + theme.status, text: t[theme.status] || theme.status });
    const item = el(
      "li",
      { class: "then-theme", "data-status": theme.status, "data-label": theme.label },
      el("span", { class: "then-label", text: theme.label }),
      el("span", { class: "count", text: counted(t.ideas, theme.ideas) }),
      status,
    );
    if (theme.matches && theme.matches.length) {
      const arrow = side === "now" ? "↺ " : "→ ";
      let text = arrow + theme.matches.join(" · ");
      if (side === "now" && theme.trend) text += " (" + t.then + ": " + counted(t.ideas, theme.ideas_then) + ", " + t[theme.trend] + ")";
      item.append(el("span", { class: "then-matches", text }));
    }
    return item;
  }

  function draw(comparison) {
    version += 1;
    root.dataset.version = String(version);
    if (!comparison) {
      empty.textContent = t.none;
      empty.hidden = false;
      nowList.replaceChildren();
      thenList.replaceChildren();
      chart.hidden = true;
      return;
    }
    const previous = comparison.previous_session || {};
    document.getElementById("previous-name").textContent = [previous.title, previous.date].filter(Boolean).join(" · ");
    const note = document.getElementById("illustrative");
    note.textContent = t.illustrative;
    note.hidden = !previous.illustrative;
    empty.textContent = t.waiting;
    empty.hidden = comparison.current_themes.length > 0;
    nowList.replaceChildren(...comparison.current_themes.map((theme) => themeItem(theme, "now")));
    thenList.replaceChildren(...comparison.previous_themes.map((theme) => themeItem(theme, "then")));
    chart.src = root.dataset.chart + "&v=" + version;
    chart.hidden = false;
  }

  function load() {
    fetch(root.dataset.source, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((body) => draw(body.comparison))
      .catch(() => { document.getElementById("status").textContent = t.offline; });
  }

  connectLive({
    code: root.dataset.code,
    role: "board",
    key: root.dataset.key,
    onSnapshot: load,
    onEvent: (message) => { if (message.kind === "comparison_updated") draw(message.data); },
    onStatus: (s) => {
      document.getElementById("status").textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });
})();
