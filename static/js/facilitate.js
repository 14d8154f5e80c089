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

  // Ideas merged into another as near-duplicates, by the idea they were merged into; worked out
  // once per redraw (asking each idea would go over all ideas for every one of them).
  let duplicatesOf = new Map();
  function findDuplicates() {
    duplicatesOf = new Map();
    for (const idea of state.ideas.values()) {
      if (idea.merged_into_id == null || idea.hidden) continue;
      if (!duplicatesOf.has(idea.merged_into_id)) duplicatesOf.set(idea.merged_into_id, []);
      duplicatesOf.get(idea.merged_into_id).push(idea.text);
    }
  }

  function duplicateList(idea) {
    const duplicates = duplicatesOf.get(idea.id);
    if (!duplicates) return null;
    return el("ul", { class: "duplicates", "aria-label": t.duplicates }, ...duplicates.map((text) => el("li", { text })));
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

  // Rows are kept between redraws and made again only when what they show changed: a room of 450
  // ideas redraws in a few milliseconds instead of rebuilding thousands of elements per event.
  const rows = new Map();
  function ideaRow(idea) {
    const theme = state.themes.get(idea.theme_id);
    const link = earlier.get(idea.id);
    const signature = JSON.stringify([
      idea.text, idea.hidden, idea.hidden_reason, idea.source, theme ? [theme.id, theme.name] : null,
      duplicatesOf.get(idea.id) || null, link ? link.previous_text : null,
    ]);
    const kept = rows.get(idea.id);
    if (kept && kept.signature === signature) return kept.node;
    const node = makeIdeaRow(idea, theme);
    rows.set(idea.id, { signature, node });
    return node;
  }

  // The menu to move an idea lists every theme only once it is used (focus or press): a menu of
  // all themes on each of 450 rows is thousands of elements.
  function moveSelect(idea, theme) {
    const select = el(
      "select",
      {
        "aria-label": t.move_to,
        class: "move-select",
        onchange: (e) => act("move_idea", { idea_id: idea.id, theme_id: e.target.value ? Number(e.target.value) : null }),
      },
      el("option", { value: theme ? theme.id : "", text: theme ? theme.name : t.new, selected: true }),
    );
    const fill = () => {
      if (select.dataset.filled) return;
      select.dataset.filled = "1";
      const current = state.ideas.get(idea.id);
      select.replaceChildren(...themeOptions(current && state.themes.has(current.theme_id) ? current.theme_id : null));
    };
    select.addEventListener("focus", fill);
    select.addEventListener("mousedown", fill);
    select.addEventListener("touchstart", fill, { passive: true });
    return select;
  }

  function makeIdeaRow(idea, theme) {
    // The text has the row's whole width; the tools go on their own line below it, so a hidden
    // idea's badge never squeezes its text.
    return el(
      "li",
      { class: "facilitate-idea" + (idea.hidden ? " is-hidden" : ""), "data-idea-id": idea.id },
      el("span", { class: "idea-text", text: idea.text }),
      el(
        "div",
        { class: "idea-tools" },
        idea.hidden ? el("span", { class: "badge", text: t.hidden + (idea.hidden_reason ? ": " + (t.reasons[idea.hidden_reason] || idea.hidden_reason) : "") }) : null,
        idea.source === "paper" ? el("span", { class: "badge paper", text: t.paper }) : null,
        el("button", { type: "button", class: "hide-button", onclick: () => hideOrShow(state.ideas.get(idea.id) || idea), text: idea.hidden ? t.show : t.hide }),
        moveSelect(idea, theme),
        idea.source === "paper" ? null : el("button", { type: "button", class: "remove-device-button", onclick: () => {
          if (window.confirm(t.remove_device_confirm)) act("remove_device", { idea_id: idea.id });
        }, text: t.remove_device }),
      ),
      duplicateList(idea),
      earlierNote(idea),
    );
  }

  // The reason field is for the next hide only: it is emptied once used, so a reason never
  // carries over to another idea.
  function hideOrShow(idea) {
    const field = document.getElementById("hide-reason");
    const reason = field.value.trim();
    const payload = { idea_id: idea.id, hidden: !idea.hidden };
    if (reason && !idea.hidden) {
      payload.reason = reason;
      field.value = "";
    }
    act("hide_idea", payload);
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

  // Themes fold to their header, remembered on this computer; a search or a filter shows every
  // theme that has a match, unfolded.
  const collapsedKey = "collapsed-themes:" + root.dataset.code;
  const collapsed = new Set(JSON.parse(localStorage.getItem(collapsedKey) || "[]"));
  function setCollapsed(key, fold) {
    if (fold) collapsed.add(key);
    else collapsed.delete(key);
    localStorage.setItem(collapsedKey, JSON.stringify([...collapsed]));
    scheduleRender();
  }

  // A theme's section is made again only when the theme, its fold or its rows changed (or another
  // theme's name, which its merge menu lists).
  const sectionsKept = new Map();
  let themesKey = "";
  function keptSection(theme, ideas, total, filtering) {
    const key = theme ? String(theme.id) : "new";
    const ideaRows = collapsed.has(key) && !filtering ? [] : ideas.map(ideaRow);
    const signature = JSON.stringify([theme, total, filtering, collapsed.has(key), themesKey]);
    const kept = sectionsKept.get(key);
    if (
      kept && kept.signature === signature && kept.rows.length === ideaRows.length &&
      kept.rows.every((row, i) => row === ideaRows[i])
    ) {
      return kept.node;
    }
    const node = themeSection(theme, ideaRows, total, filtering);
    sectionsKept.set(key, { signature, rows: ideaRows, node });
    return node;
  }

  function themeSection(theme, ideaRows, total, filtering) {
    const key = theme ? String(theme.id) : "new";
    const folded = collapsed.has(key) && !filtering;
    const listId = "ideas-of-" + key;
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
    const count = filtering ? total.shown + " / " + counted(t.ideas, total.all) : counted(t.ideas, total.all);
    return el(
      "section",
      {
        class: "facilitate-theme" + (folded ? " is-collapsed" : "") + (theme && theme.locked ? " is-locked" : ""),
        "data-theme-id": key,
        style: { "--theme-color": theme ? theme.color : "#e0e0e0" },
      },
      el(
        "div",
        { class: "theme-head" },
        el("button", {
          type: "button",
          class: "collapse-button",
          "aria-expanded": folded ? "false" : "true",
          "aria-controls": listId,
          "aria-label": (folded ? t.expand : t.collapse) + " " + (theme ? theme.name : t.new),
          onclick: () => setCollapsed(key, !folded),
          text: folded ? "▸" : "▾",
        }),
        header,
        el("span", { class: "theme-count", text: count }),
      ),
      folded ? null : theme ? themeTools(theme) : null,
      folded ? null : el("ul", { id: listId }, ...ideaRows),
    );
  }

  // Search and filters ------------------------------------------------------------------------
  const search = document.getElementById("idea-search");
  const kindFilter = document.getElementById("idea-filter");
  const questionFilter = document.getElementById("question-filter");
  // Case and diacritics do not matter: "sanatate" finds "Sănătate", cedilla or comma below.
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[şș]/gi, "s").replace(/[ţț]/gi, "t").toLowerCase();
  function matcher() {
    const words = fold(search.value.trim()).split(/\s+/).filter(Boolean);
    const kind = kindFilter.value;
    const question = questionFilter.value ? Number(questionFilter.value) : null;
    const active = Boolean(words.length || kind !== "all" || question);
    const matches = (idea) =>
      (kind !== "hidden" || idea.hidden) &&
      (kind !== "paper" || idea.source === "paper") &&
      (question === null || idea.question_id === question) &&
      (!words.length || words.every((w) => fold(idea.text).includes(w)));
    return { active, kind, matches };
  }
  for (const control of [search, kindFilter, questionFilter]) control.addEventListener("input", scheduleRender);
  document.getElementById("collapse-all").addEventListener("click", () => {
    for (const section of container.querySelectorAll(".facilitate-theme")) collapsed.add(section.dataset.themeId);
    setCollapsed("new", true);
  });
  document.getElementById("expand-all").addEventListener("click", () => {
    collapsed.clear();
    setCollapsed("new", false);
  });

  function renderThemes() {
    findDuplicates();
    themesKey = JSON.stringify([...state.themes.values()].map((th) => [th.id, th.name, th.locked]));
    for (const id of rows.keys()) if (!state.ideas.has(id)) rows.delete(id);
    const { active, kind, matches } = matcher();
    let shown = 0;
    let all = 0;
    const sections = [];
    if (kind === "held") {
      // Held ideas are on no theme until approved: one section lists those that match.
      const held = [...state.ideas.values()].filter((i) => i.held);
      const hits = held.filter(matches);
      all = held.length;
      shown = hits.length;
      sections.push(
        el(
          "section",
          { class: "facilitate-theme", "data-theme-id": "held" },
          el("div", { class: "theme-head" }, el("h2", { text: t.held }), el("span", { class: "theme-count", text: counted(t.ideas, hits.length) })),
          el("ul", {}, ...hits.map(heldRow)),
        ),
      );
    } else {
      const { themes, fresh } = state.groups({ includeHidden: true });
      const groups = [...themes.map((g) => [g.theme, g.ideas]), [null, fresh]];
      for (const [theme, ideas] of groups) {
        const hits = active ? ideas.filter(matches) : ideas;
        all += ideas.length;
        shown += hits.length;
        if (active && !hits.length) continue;
        sections.push(keptSection(theme, hits, { shown: hits.length, all: ideas.length }, active));
      }
    }
    const same = sections.length === container.children.length && sections.every((node, i) => node === container.children[i]);
    if (!same) container.replaceChildren(...sections);
    const count = document.getElementById("filter-count");
    count.textContent = active ? (shown ? t.shown_of.replace("{shown}", shown).replace("{total}", all) : t.no_match) : "";
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
    if (questionFilter.options.length !== w.questions.length + 1) {
      questionFilter.replaceChildren(
        questionFilter.options[0],
        ...w.questions.map((q) => el("option", { value: q.id, text: t.question_short.replace("{n}", q.position), title: q.text })),
      );
    }
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
    // Drawn only while its panel is open: a ballot of 450 ideas is 450 fields.
    if (items.contains(document.activeElement) || !items.closest("details").open) return;
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

  function heldRow(idea) {
    return el(
      "li",
      { class: "held-idea", "data-idea-id": idea.id },
      el("span", { class: "idea-text", text: idea.text }),
      el("button", { type: "button", onclick: () => act("review_idea", { idea_id: idea.id, approve: true }), text: t.approve }),
      el("button", { type: "button", onclick: () => act("review_idea", { idea_id: idea.id, approve: false }), text: t.reject }),
    );
  }

  function renderHeld() {
    const held = [...state.ideas.values()].filter((i) => i.held);
    document.getElementById("held-ideas").replaceChildren(...held.map(heldRow));
  }

  function render() {
    renderSession();
    renderHeld();
    // Keep what the facilitator is typing: skip a redraw while a rename field has focus.
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest("form.rename")) {
      pendingRender = true;
      return;
    }
    renderThemes();
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
  // A room sending ideas fast: one redraw for all the events of the same moment.
  let renderTimer = null;
  function scheduleRender() {
    if (renderTimer === null) renderTimer = setTimeout(() => { renderTimer = null; render(); }, 30);
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
  document.getElementById("ballot-items").closest("details").addEventListener("toggle", (e) => {
    if (e.target.open && state.workshop) renderBallotForm();
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
      scheduleRender();
    },
    onStatus: (s) => {
      status.textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });
  window.facilitatorSocket = socket;
})();
