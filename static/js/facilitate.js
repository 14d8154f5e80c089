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

  function ideaRow(idea) {
    const select = el("select", {
      "aria-label": t.move_to,
      onchange: (e) => act("move_idea", { idea_id: idea.id, theme_id: e.target.value ? Number(e.target.value) : null }),
    }, ...themeOptions(state.themes.has(idea.theme_id) ? idea.theme_id : null));
    return el(
      "li",
      { class: "facilitate-idea" + (idea.hidden ? " is-hidden" : ""), "data-idea-id": idea.id },
      el("span", { class: "idea-text", text: idea.text }),
      idea.hidden ? el("span", { class: "badge", text: t.hidden }) : null,
      el("button", { type: "button", class: "hide-button", onclick: () => act("hide_idea", { idea_id: idea.id, hidden: !idea.hidden }), text: idea.hidden ? t.show : t.hide }),
      select,
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
      el("ul", {}, ...ideas.map(ideaRow)),
    );
  }

  function render() {
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
  }
  let pendingRender = false;
  document.addEventListener("focusout", () => setTimeout(() => {
    if (pendingRender) { pendingRender = false; render(); }
  }, 0));

  toggle.addEventListener("click", () => act("set_submissions", { open: !(state.workshop && state.workshop.submissions_open) }));

  const socket = connectLive({
    code: root.dataset.code,
    role: "facilitator",
    key: root.dataset.key,
    contiguous: true,
    onSnapshot: (snapshot) => { state.load(snapshot); render(); },
    onEvent: (message) => { state.apply(message); render(); },
    onStatus: (s) => {
      status.textContent = s === "online" ? "" : t.offline;
      root.dataset.connection = s;
    },
  });
  window.facilitatorSocket = socket;
})();
