// The "then and now" view: today's themes against the previous session's, live.
// Projected (role "board"): draws the last comparison on load (and after every catch-up snapshot),
// then each `comparison_updated` event the server pushes after a re-clustering or a decision.
// The facilitator's controls (role "facilitator") draw the same view with buttons to confirm,
// reject or undo a match and a form to make one by hand (`decide_match`, `undo_match_decision`).
// The view fits the screen without scrolling: evidence lines are dropped and the type shrinks
// (never below the minimum of the CSS) until it does.
"use strict";
(function () {
  const root = document.getElementById("then-and-now");
  const t = strings(root);
  const controls = root.dataset.role === "facilitator";
  const nowList = document.getElementById("now-themes");
  const thenList = document.getElementById("then-themes");
  const empty = document.getElementById("empty");
  const chart = document.getElementById("sizes-chart");
  const status = document.getElementById("status");
  let version = 0;
  let socket = null;
  let evidenceShown = controls ? 3 : 2; // closest pairs of ideas shown per match
  let last = null;

  function numbers(theme) {
    // Both counts, always; the trend word only when the count and the share agree (server side).
    let text = t.then + ": " + counted(t.ideas, theme.ideas_then) + " · " + t.now + ": " + counted(t.ideas, theme.ideas);
    if (theme.trend) text += " (" + t[theme.trend] + ")";
    return el("span", { class: "then-numbers", text });
  }

  function decide(themeId, previousTheme, decision) {
    const error = document.getElementById("decide-error");
    const event = decision === "undo" ? "undo_match_decision" : "decide_match";
    const body = { theme_id: themeId, previous_theme: previousTheme };
    if (decision !== "undo") body.decision = decision;
    socket.timeout(10000).emit(event, body, (err, reply) => {
      if (err || !reply || !reply.ok) {
        error.textContent = (reply && reply.error) || t.offline;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      status.textContent = t.updating;
      root.dataset.pending = "1";
    });
  }

  function button(label, themeId, previousTheme, decision) {
    return el("button", {
      type: "button",
      class: "then-" + decision,
      "data-decision": decision,
      text: label,
      onclick: () => decide(themeId, previousTheme, decision),
    });
  }

  function matchItem(theme, detail, rejected) {
    const decision = rejected ? "rejected" : detail.decision;
    const item = el(
      "div",
      { class: "then-match", "data-match": detail.label, "data-strength": detail.strength, "data-decision": decision || "" },
      el("span", { class: "then-match-label", text: (rejected ? "✕ " : "↺ ") + detail.label }),
      el("span", { class: "then-strength", text: decision ? t[decision] : t[detail.strength] }),
    );
    if (!rejected && detail.evidence && detail.evidence.length) {
      const list = el("ul", { class: "then-evidence", "aria-label": t.evidence });
      for (const pair of detail.evidence.slice(0, evidenceShown)) {
        list.append(
          el(
            "li",
            {},
            el("span", { class: "then-evidence-then", text: pair.then }),
            el("span", { class: "then-arrow", text: " → ", "aria-hidden": "true" }),
            el("span", { class: "then-evidence-now", text: pair.now }),
          ),
        );
      }
      item.append(list);
    }
    if (controls && theme.theme_id !== undefined) {
      const actions = el("span", { class: "then-actions" });
      if (!decision) {
        actions.append(button(t.confirm, theme.theme_id, detail.label, "confirm"));
        actions.append(button(t.reject, theme.theme_id, detail.label, "reject"));
      } else {
        actions.append(button(t.undo, theme.theme_id, detail.label, "undo"));
      }
      item.append(actions);
    }
    return item;
  }

  function themeItem(theme, side) {
    const item = el(
      "li",
      { class: "then-theme", "data-status": theme.status, "data-label": theme.label, "data-strength": theme.strength || "" },
      el("span", { class: "then-label", text: theme.label }),
      el("span", { class: "count", text: counted(t.ideas, theme.ideas) }),
      el("span", { class: "then-status status-" + theme.status, text: t[theme.status] || theme.status }),
    );
    if (side === "now") {
      item.dataset.themeId = String(theme.theme_id);
      if (theme.matches && theme.matches.length) item.append(numbers(theme));
      for (const detail of theme.match_details || []) item.append(matchItem(theme, detail, false));
      if (controls) for (const detail of theme.rejected || []) item.append(matchItem(theme, detail, true));
    } else if (theme.matches && theme.matches.length) {
      item.append(el("span", { class: "then-matches", text: "→ " + theme.matches.join(" · ") }));
    }
    return item;
  }

  function options(select, values) {
    const chosen = select.value;
    select.replaceChildren(...values.map(([value, label]) => el("option", { value, text: label })));
    if (values.some(([value]) => String(value) === chosen)) select.value = chosen;
  }

  function header(previous) {
    document.getElementById("previous-name").textContent = [previous.title, previous.date].filter(Boolean).join(" · ");
    const note = document.getElementById("illustrative");
    note.textContent = t.illustrative;
    note.hidden = !previous.illustrative;
  }

  function draw(comparison) {
    last = comparison;
    version += 1;
    root.dataset.version = String(version);
    delete root.dataset.pending;
    if (status.textContent === t.updating || status.textContent === t.pending) status.textContent = "";
    if (!comparison) {
      empty.textContent = t.none;
      empty.hidden = false;
      nowList.replaceChildren();
      thenList.replaceChildren();
      chart.hidden = true;
      fit();
      return;
    }
    header(comparison.previous_session || {});
    empty.textContent = t.waiting;
    empty.hidden = comparison.current_themes.length > 0;
    nowList.replaceChildren(...comparison.current_themes.map((theme) => themeItem(theme, "now")));
    thenList.replaceChildren(...comparison.previous_themes.map((theme) => themeItem(theme, "then")));
    if (controls) {
      options(document.getElementById("make-now"), comparison.current_themes.map((th) => [th.theme_id, th.label]));
      options(document.getElementById("make-then"), comparison.previous_themes.map((th) => [th.label, th.label]));
    }
    chart.src = root.dataset.chart + "&v=" + version;
    chart.hidden = false;
    fit();
  }

  // Make the view fit the screen: fewer evidence lines first, then smaller type (down to the
  // CSS minimum); the projected view never scrolls.
  function overflowing() {
    return document.documentElement.scrollHeight > window.innerHeight + 1 ||
      [nowList, thenList].some((list) => list.scrollHeight > list.clientHeight + 1);
  }

  // Layouts tried in turn, each with the type shrinking step by step: two evidence lines per
  // match; earlier themes on one line each; one evidence line; none.
  const LAYOUTS = [
    { shown: 2, compact: false },
    { shown: 1, compact: false },
    { shown: 1, compact: true },
    { shown: 0, compact: true },
  ];

  function fit() {
    if (controls || !last) return; // the facilitator's page scrolls like any page
    for (const layout of LAYOUTS) {
      root.classList.toggle("compact", layout.compact);
      if (layout.shown !== evidenceShown) {
        evidenceShown = layout.shown;
        nowList.replaceChildren(...last.current_themes.map((theme) => themeItem(theme, "now")));
      }
      for (let step = 0; step <= 8; step += 1) {
        const scale = 1 - step * 0.05;
        root.style.setProperty("--then-scale", String(scale));
        if (!overflowing()) {
          root.dataset.fitted = scale.toFixed(2) + "/" + layout.shown + (layout.compact ? "/compact" : "");
          evidenceShown = 2;
          return;
        }
      }
    }
    root.dataset.fitted = "overflow";
    evidenceShown = 2;
  }

  function load() {
    fetch(root.dataset.source, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((body) => {
        if (body.pending) {
          header(body.previous_session || {});
          status.textContent = t.pending;
          root.dataset.pending = "1";
          return;
        }
        draw(body.comparison);
      })
      .catch(() => { status.textContent = t.offline; });
  }

  if (controls) {
    document.getElementById("make-match").addEventListener("submit", (event) => {
      event.preventDefault();
      const themeId = Number(document.getElementById("make-now").value);
      decide(themeId, document.getElementById("make-then").value, "match");
    });
  }
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => last && draw(last), 150);
  });

  socket = connectLive({
    code: root.dataset.code,
    role: root.dataset.role,
    key: root.dataset.key,
    onSnapshot: load,
    onEvent: (message) => { if (message.kind === "comparison_updated") draw(message.data); },
    onStatus: (s) => {
      if (s !== "online") status.textContent = t.offline;
      else if (status.textContent === t.offline) status.textContent = "";
      root.dataset.connection = s;
    },
  });
})();
