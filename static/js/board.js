// The projected board: themes fill up live; the type shrinks as the board fills so nothing scrolls.
"use strict";
(function () {
  const root = document.getElementById("board");
  const t = strings(root);
  const state = new BoardState();
  const container = document.getElementById("themes");
  const status = document.getElementById("status");
  const question = document.getElementById("question");

  const phaseName = document.getElementById("phase-name");
  const countdown = document.getElementById("countdown");
  const voters = document.getElementById("voters");
  const silent = document.getElementById("silent");
  const results = document.getElementById("results");
  let voterCount = 0;
  setInterval(() => showCountdown(countdown, state.workshop, t.ends_in), 1000);

  function card(title, color, ideas, themeId) {
    const list = el("ul", { class: "idea-list" });
    for (const idea of ideas) {
      const duplicates = state.duplicatesOf(idea);
      const item = el("li", { class: "idea", "data-idea-id": idea.id, text: idea.text });
      if (idea.source === "paper") item.append(el("span", { class: "paper-mark", title: t.paper, "aria-label": t.paper, text: " ✎" }));
      // Near-duplicates merged into this idea: counted with it, their words kept.
      if (duplicates.length) {
        item.title = duplicates.map((d) => d.text).join("\n");
        item.append(el("span", { class: "duplicate-count", text: " ×" + (duplicates.length + 1) }));
      }
      list.append(item);
    }
    return el(
      "section",
      { class: "theme", "data-theme-id": themeId ?? "new", style: { "--theme-color": color } },
      el("h2", { class: "theme-name" }, el("span", { text: title }), el("span", { class: "count", text: String(ideas.length) })),
      list,
    );
  }

  function render() {
    const workshop = state.workshop || {};
    const questionId = workshop.board_question_id;
    const { themes, fresh } = state.groups({ questionId });
    const cards = themes.map(({ theme, ideas }) => card(theme.name, theme.color, ideas, theme.id));
    if (fresh.length) cards.push(card(t.new, "#e0e0e0", fresh, null));
    const showResults = workshop.phase === "results";
    const isSilent = workshop.ideas_revealed === false && !showResults;
    container.replaceChildren(...(isSilent || showResults ? [] : cards));
    container.hidden = isSilent || showResults;
    silent.hidden = !isSilent;
    if (isSilent) {
      const count = [...state.ideas.values()].filter((i) => !i.hidden).length;
      document.getElementById("silent-count").textContent = counted(t.ideas_in, count);
      document.getElementById("silent-note").textContent = t.silent;
    }
    results.hidden = !showResults;
    if (showResults) {
      const ranked = workshop.results || [];
      const top = Math.max(1, ...ranked.map((r) => r.dots));
      document.getElementById("results-list").replaceChildren(
        ...ranked.map((r) =>
          el(
            "li",
            { class: "result", "data-item-id": r.id },
            el("span", { class: "result-label", text: r.label }),
            el("span", { class: "result-bar", style: { "--share": (100 * r.dots) / top + "%" } }),
            el("span", { class: "result-dots", text: counted(t.dots, r.dots) }),
          ),
        ),
      );
    }
    const questions = workshop.questions || [];
    const shown = questions.find((q) => q.id === questionId);
    question.textContent = shown ? shown.text : questions.length === 1 ? questions[0].text : "";
    phaseName.textContent = (t.phases || {})[workshop.phase] || "";
    voters.textContent = workshop.phase === "vote" ? counted(t.voted, voterCount) : "";
    showCountdown(countdown, workshop, t.ends_in);
    fit();
  }

  // Shrink the idea type step by step until the whole board fits the screen.
  function fit() {
    let size = 1.7;
    root.style.setProperty("--idea-size", size + "rem");
    while (document.documentElement.scrollHeight > window.innerHeight + 2 && size > 0.8) {
      size -= 0.1;
      root.style.setProperty("--idea-size", size.toFixed(2) + "rem");
    }
  }

  window.addEventListener("resize", fit);
  window.boardSocket = connectLive({
    code: root.dataset.code,
    role: "board",
    key: root.dataset.key,
    contiguous: true,
    onSnapshot: (snapshot) => { state.load(snapshot); voterCount = snapshot.voters || 0; render(); },
    onEvent: (message) => {
      if (message.kind === "votes_cast") voterCount = message.data.voters;
      state.apply(message);
      render();
    },
    onStatus: (s) => {
      status.textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });
})();
