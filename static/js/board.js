// The projected board: themes fill up live; the type shrinks as the board fills so nothing scrolls.
"use strict";
(function () {
  const root = document.getElementById("board");
  const t = strings(root);
  const state = new BoardState();
  const container = document.getElementById("themes");
  const status = document.getElementById("status");
  const question = document.getElementById("question");

  function card(title, color, ideas, themeId) {
    const list = el("ul", { class: "idea-list" });
    for (const idea of ideas) {
      const duplicates = state.duplicatesOf(idea);
      const item = el("li", { class: "idea", "data-idea-id": idea.id, text: idea.text });
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
    const { themes, fresh } = state.groups();
    const cards = themes.map(({ theme, ideas }) => card(theme.name, theme.color, ideas, theme.id));
    if (fresh.length) cards.push(card(t.new, "#e0e0e0", fresh, null));
    container.replaceChildren(...cards);
    const questions = (state.workshop && state.workshop.questions) || [];
    question.textContent = questions.length === 1 ? questions[0].text : "";
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
    onSnapshot: (snapshot) => { state.load(snapshot); render(); },
    onEvent: (message) => { state.apply(message); render(); },
    onStatus: (s) => {
      status.textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });
})();
