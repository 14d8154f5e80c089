// The facilitator's controls: every action goes to the server, which checks the key, applies
// it and broadcasts it; this page redraws from the broadcast like every board.
"use strict";
(function () {
  const root = document.getElementById("facilitate");
  const t = strings(root);
  const state = new BoardState();
  const container = document.getElementById("themes");
  const status = document.getElementById("status");
  const actionMessage = document.getElementById("action-message");
  const toggle = document.getElementById("toggle-submissions");
  const joining = document.getElementById("toggle-joining");
  const submissionsState = document.getElementById("submissions-state");

  function act(event, payload) {
    actionMessage.textContent = "";
    socket.timeout(8000).emit(event, payload, (err, reply) => {
      if (err) actionMessage.textContent = t.offline;
      else if (!reply.ok) actionMessage.textContent = reply.error;
    });
  }

  function themeOptions(current) {
    const options = [el("option", { value: "", text: t.new, selected: current == null })];
    for (const theme of [...state.themes.values()].sort((a, b) => a.position - b.position)) {
      options.push(el("option", { value: theme.id, text: theme.name, selected: theme.id === current }));
    }
    return options;
  }

  function duplicateList(idea) {
    const duplicates = state.duplicatesOf(idea);
    if (!duplicates.length) return null;
    return el(
      "ul",
      { class: "duplicates", "aria-label": t.duplicates },
      ...duplicates.map((d) => el("li", { text: d.text })),
    );
  }

  // The closest idea of the previous session to each of today's ideas, when one is close enough.
  let earlier = new Map();
  function keepComparison(comparison) {
    earlier = new Map(((comparison && comparison.closest) || []).map((c) => [c.idea_id, c]));
  }
  function loadComparison() {
    fetch(root.dataset.comparison, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((body) => { keepComparison(body.comparison); render(); })
      .catch(() => {});
  }

  function earlierNote(idea) {
    const link = earlier.get(idea.id);
    return link ? el("p", { class: "earlier-idea", text: "↺ " + t.earlier + ": " + link.previous_text }) : null;
  }

  function ideaRow(idea) {
    const select = el("select", {
      "aria-label": t.move_to,
      onchange: (e) => act("move_idea", { idea_id: idea.id, theme_id: e.target.value ? Number(e.target.value) : null }),
    }, ...themeOptions(state.themes.has(idea.theme_id) ? idea.theme_id : null));
    return el(
      "li",
      { class: "facilitate-idea" + (idea.hidden ? " is-hidden" : ""), "data-idea-id": idea.id },
      el("span", { class: "idea-text", text: idea.text }),
      idea.hidden ? el("span", { class: "badge", text: t.hidden + (idea.hidden_reason ? ": " + (t.reasons[idea.hidden_reason] || idea.hidden_reason) : "") }) : null,
      el("button", { type: "button", class: "hide-button", onclick: () => {
        const reason = document.getElementById("hide-reason").value.trim();
        act("hide_idea", { idea_id: idea.id, hidden: !idea.hidden, ...(reason && !idea.hidden ? { reason } : {}) });
      }, text: idea.hidden ? t.show : t.hide }),
      select,
      idea.source === "paper" ? null : el("button", { type: "button", class: "remove-device-button", onclick: () => {
        if (window.confirm(t.remove_device_confirm)) act("remove_device", { idea_id: idea.id });
      }, text: t.remove_device }),
      duplicateList(idea),
      earlierNote(idea),
    );
  }

  function themeTools(theme) {
    const others = [...state.themes.values()].filter((o) => o.id !== theme.id);
    const mergeSelect = el(
      "select",
      {
        "aria-label": t.merge_with,
        class: "merge-select",
        onchange: (e) => {
          if (!e.target.value) return;
          act("merge_themes", { theme_ids: [theme.id, Number(e.target.value)], into: theme.id });
        },
      },
      el("option", { value: "", text: t.merge_with }),
      ...others.map((o) => el("option", { value: o.id, text: o.name })),
    );
    return el(
      "div",
      { class: "theme-tools" },
      el("button", {
        type: "button",
        class: "lock-button",
        "aria-pressed": theme.locked ? "true" : "false",
        onclick: () => act("lock_theme", { theme_id: theme.id, locked: !theme.locked }),
        text: theme.locked ? t.unlock : t.lock,
      }),
      el("button", {
        type: "button",
        class: "split-button",
        disabled: theme.locked,
        onclick: () => act("split_theme", { theme_id: theme.id, parts: 2 }),
        text: t.split,
      }),
      mergeSelect,
    );
  }

  function themeSection(theme, ideas) {
    const header = theme
      ? el(
          "form",
          {
            class: "rename",
            onsubmit: (e) => {
              e.preventDefault();
              act("rename_theme", { theme_id: theme.id, name: e.target.elements.name.value });
            },
          },
          el("label", { for: "name-" + theme.id, class: "visually-hidden", text: t.theme_name }),
          el("input", { id: "name-" + theme.id, name: "name", value: theme.name, maxlength: 120 }),
          el("button", { type: "submit", text: t.rename }),
        )
      : el("h2", { text: t.new });
    return el(
      "section",
      { class: "facilitate-theme", "data-theme-id": theme ? theme.id : "new", style: { "--theme-color": theme ? theme.color : "#e0e0e0" } },
      header,
      theme ? themeTools(theme) : null,
      el("ul", {}, ...ideas.map(ideaRow)),
    );
  }

  function renderSession() {
    const w = state.workshop;
    if (!w) return;
    document.getElementById("current-phase").textContent = t.phases[w.phase] || w.phase;
    for (const button of document.querySelectorAll(".phase-button")) {
      button.setAttribute("aria-pressed", button.dataset.phase === w.phase ? "true" : "false");
    }
    document.getElementById("toggle-reveal").textContent = w.ideas_revealed ? t.conceal : t.reveal;
    for (const step of document.querySelectorAll(".phase-step")) step.classList.toggle("current", step.dataset.phase === w.phase);
    const voting = w.phase === "vote";
    const closeVote = document.getElementById("close-vote");
    closeVote.hidden = !voting;
    closeVote.textContent = w.vote_closed ? t.reopen_vote : t.close_vote;
    const reveal = document.getElementById("reveal-results");
    reveal.hidden = !voting;
    reveal.disabled = !w.vote_closed;
    document.getElementById("vote-state").textContent =
      w.phase === "results" ? t.results_shown : !voting ? t.vote_not_running : w.vote_closed ? t.vote_closed : t.vote_running;
    const questionSelect = document.getElementById("board-question");
    const paperQuestion = document.getElementById("paper-question");
    const options = (selected) => [
      el("option", { value: "", text: "—", selected: selected == null }),
      ...w.questions.map((q) => el("option", { value: q.id, text: q.position + ". " + q.text, selected: q.id === selected })),
    ];
    if (document.activeElement !== questionSelect) questionSelect.replaceChildren(...options(w.board_question_id));
    if (!paperQuestion.options.length) paperQuestion.replaceChildren(...options(null));
    const rules = document.getElementById("vote-rules").elements;
    if (!document.getElementById("vote-rules").contains(document.activeElement)) {
      rules.target.value = w.vote_target;
      rules.budget.value = w.vote_budget;
      rules.cap.value = w.vote_cap;
    }
    const limit = document.getElementById("ideas-per-minute");
    if (document.activeElement !== limit) limit.value = w.ideas_per_minute == null ? "" : w.ideas_per_minute;
    const categories = document.getElementById("categories");
    if (document.activeElement !== categories) categories.value = (w.categories || []).join("\n");
    const results = document.getElementById("results");
    results.hidden = w.phase !== "results";
    if (w.phase === "results") {
      document.getElementById("results-list").replaceChildren(
        ...(w.results || []).map((r) => el("li", { text: r.label + " — " + counted(t.dots, r.dots) })),
      );
    }
    renderBallotForm();
  }

  function renderBallotForm() {
    const items = document.getElementById("ballot-items");
    if (items.contains(document.activeElement)) return;
    const w = state.workshop;
    const entries =
      w.vote_target === "themes"
        ? [...state.themes.values()].map((th) => ({ id: th.id, label: th.name }))
        : [...state.ideas.values()].filter((i) => !i.hidden && !i.held && !i.merged_into_id).map((i) => ({ id: i.id, label: i.text }));
    items.replaceChildren(
      ...entries.map((item) =>
        el(
          "div",
          { class: "ballot-row" },
          el("label", { for: "ballot-" + item.id, text: item.label }),
          el("input", { id: "ballot-" + item.id, type: "number", min: 0, max: w.vote_cap, value: 0, "data-item-id": item.id }),
        ),
      ),
    );
  }

  function renderHeld() {
    const held = [...state.ideas.values()].filter((i) => i.held);
    document.getElementById("held-ideas").replaceChildren(
      ...held.map((idea) =>
        el(
          "li",
          { class: "held-idea", "data-idea-id": idea.id },
          el("span", { class: "idea-text", text: idea.text }),
          el("button", { type: "button", onclick: () => act("review_idea", { idea_id: idea.id, approve: true }), text: t.approve }),
          el("button", { type: "button", onclick: () => act("review_idea", { idea_id: idea.id, approve: false }), text: t.reject }),
        ),
      ),
    );
  }

  function render() {
    renderSession();
    renderHeld();
    // Keep what the facilitator is typing: skip a redraw while a rename field has focus.
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest("form.rename")) {
      pendingRender = true;
      return;
    }
    const { themes, fresh } = state.groups({ includeHidden: true });
    const sections = themes.map(({ theme, ideas }) => themeSection(theme, ideas));
    sections.push(themeSection(null, fresh));
    container.replaceChildren(...sections);
    const open = state.workshop && state.workshop.submissions_open;
    submissionsState.textContent = open ? t.open : t.closed;
    toggle.textContent = open ? t.close_action : t.open_action;
    joining.textContent = state.workshop && state.workshop.joining_open === false ? t.open_joining : t.close_joining;
    const range = document.getElementById("theme-range").elements;
    if (state.workshop && document.activeElement !== range.min && document.activeElement !== range.max) {
      range.min.value = state.workshop.theme_count_min;
      range.max.value = state.workshop.theme_count_max;
    }
  }
  let pendingRender = false;
  document.addEventListener("focusout", () => setTimeout(() => {
    if (pendingRender) { pendingRender = false; render(); }
  }, 0));

  toggle.addEventListener("click", () => act("set_submissions", { open: !(state.workshop && state.workshop.submissions_open) }));
  joining.addEventListener("click", () => act("set_joining", { open: !(state.workshop && state.workshop.joining_open) }));
  document.getElementById("undo").addEventListener("click", () => act("undo", {}));
  document.getElementById("theme-range").addEventListener("submit", (e) => {
    e.preventDefault();
    act("set_theme_range", { min: Number(e.target.elements.min.value), max: Number(e.target.elements.max.value) });
  });
  // Each phase has its own countdown field, remembered on this computer: starting a phase uses
  // only its own minutes, so a countdown never carries over to the next phase.
  const minutesKey = "phase-minutes:" + root.dataset.code;
  const phaseMinutes = JSON.parse(localStorage.getItem(minutesKey) || "{}");
  for (const input of document.querySelectorAll(".phase-minutes")) {
    input.value = phaseMinutes[input.dataset.phase] || "";
    input.addEventListener("change", () => {
      phaseMinutes[input.dataset.phase] = input.value;
      localStorage.setItem(minutesKey, JSON.stringify(phaseMinutes));
    });
  }
  const seconds = (value) => (Number(value) > 0 ? Math.round(Number(value) * 60) : null);
  for (const button of document.querySelectorAll(".phase-button")) {
    button.addEventListener("click", () => {
      const phase = button.dataset.phase;
      const payload = { phase };
      const own = seconds(document.getElementById("minutes-" + phase).value);
      if (own) payload.seconds = own;
      act("set_phase", payload);
    });
  }
  document.getElementById("countdown-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const own = seconds(e.target.elements.minutes.value);
    if (own) act("set_countdown", { seconds: own });
  });
  document.getElementById("stop-countdown").addEventListener("click", () => act("set_countdown", { seconds: null }));
  document.getElementById("close-vote").addEventListener("click", () =>
    act("set_vote_open", { open: Boolean(state.workshop && state.workshop.vote_closed) }));
  document.getElementById("reveal-results").addEventListener("click", () => {
    const payload = {};
    const own = seconds(document.getElementById("minutes-results").value);
    if (own) payload.seconds = own;
    act("reveal_results", payload);
  });
  document.getElementById("toggle-reveal").addEventListener("click", () =>
    act("set_revealed", { revealed: !state.workshop.ideas_revealed }));
  document.getElementById("board-question").addEventListener("change", (e) =>
    act("show_question", { question_id: e.target.value ? Number(e.target.value) : null }));
  document.getElementById("vote-rules").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    act("set_vote_rules", { target: f.target.value, budget: Number(f.budget.value), cap: Number(f.cap.value) });
  });
  document.getElementById("idea-limit").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = e.target.elements.per_minute.value.trim();
    act("set_idea_limit", { per_minute: value === "" ? null : Number(value) });
  });
  const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);
  document.getElementById("categories-form").addEventListener("submit", (e) => {
    e.preventDefault();
    act("set_categories", { categories: lines(e.target.elements.categories.value) });
  });
  document.getElementById("word-list-form").addEventListener("submit", (e) => {
    e.preventDefault();
    act("set_word_list", { words: lines(e.target.elements.words.value) });
  });
  document.getElementById("paper-idea").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const payload = { client_id: makeClientId(), text: f.text.value };
    if (f.question.value) payload.question_id = Number(f.question.value);
    act("add_paper_idea", payload);
    f.text.value = "";
  });
  document.getElementById("paper-ballot").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const votes = {};
    for (const input of document.querySelectorAll("#ballot-items input")) {
      const dots = Number(input.value);
      if (dots > 0) votes[input.dataset.itemId] = dots;
    }
    act("record_paper_votes", { voter: f.voter.value, category: f.category.value || null, votes });
  });
  setInterval(() => showCountdown(document.getElementById("countdown"), state.workshop, t.ends_in), 1000);
  const duplicatesPanel = document.getElementById("duplicate-groups");
  document.getElementById("find-duplicates").addEventListener("click", () => {
    socket.timeout(15000).emit("find_duplicates", {}, (err, reply) => {
      if (err || !reply.ok) {
        actionMessage.textContent = err ? t.offline : reply.error;
        return;
      }
      if (!reply.groups.length) {
        duplicatesPanel.replaceChildren(el("p", { text: t.no_duplicates }));
        return;
      }
      duplicatesPanel.replaceChildren(
        ...reply.groups.map((group) => {
          const [first, ...rest] = group;
          return el(
            "div",
            { class: "duplicate-group" },
            el("ul", {}, ...group.map((id) => el("li", { text: (state.ideas.get(id) || {}).text || "" }))),
            el("button", {
              type: "button",
              onclick: (e) => {
                act("merge_ideas", { idea_id: first, duplicate_ids: rest });
                e.target.closest(".duplicate-group").remove();
              },
              text: t.merge_ideas,
            }),
          );
        }),
      );
    });
  });

  const socket = connectLive({
    code: root.dataset.code,
    role: "facilitator",
    key: root.dataset.key,
    contiguous: true,
    onSnapshot: (snapshot) => {
      state.load(snapshot);
      loadComparison();
      const words = document.getElementById("word-list");
      if (document.activeElement !== words) words.value = (snapshot.word_list || []).join("\n");
      render();
    },
    onEvent: (message) => {
      if (message.kind === "comparison_updated") keepComparison(message.data);
      if (message.kind === "word_list_updated") document.getElementById("word-list").value = message.data.words.join("\n");
      state.apply(message);
      render();
    },
    onStatus: (s) => {
      status.textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });
  window.facilitatorSocket = socket;
})();
