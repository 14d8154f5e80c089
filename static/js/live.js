// Live connection shared by the phone, the board and the facilitator's page.
// Joins the workshop on every connect with the last sequence number seen, applies the catch-up
// (missed events or a snapshot), then live updates in order; a gap triggers a new catch-up.
"use strict";

function strings(element) {
  return JSON.parse(element.dataset.strings || "{}");
}

// A count in the page language: `forms` holds the catalogue's text for each plural category
// ("{n} bulină", "{n} buline", "{n} de buline"), and Intl.PluralRules says which one n takes.
function counted(forms, n) {
  const category = new Intl.PluralRules(document.documentElement.lang || "ro").select(n);
  return (forms[category] || forms.other).replace("{n}", n);
}

function makeClientId() {
  // crypto.getRandomValues works over plain HTTP on a venue network (randomUUID does not).
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function connectLive({ code, role, key, onSnapshot, onEvent, onStatus, contiguous }) {
  let lastSeq = -1;
  let syncing = true;
  let pending = [];
  let needSnapshot = false;
  const socket = io({
    auth: (cb) => cb({ code, role, key, since: lastSeq }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    timeout: 8000,
  });

  function apply(message, fromSync) {
    if (message.seq <= lastSeq) return;
    if (contiguous && !fromSync && lastSeq >= 0 && message.seq !== lastSeq + 1) {
      resync();
      return;
    }
    lastSeq = message.seq;
    if (message.kind === "refresh") {
      // The server asks for a redraw from scratch (after an undo).
      lastSeq = -1;
      if (syncing) needSnapshot = true;
      else resync();
      return;
    }
    onEvent(message);
  }

  function handleSync(sync) {
    if (sync.mode === "snapshot") {
      lastSeq = sync.seq;
      onSnapshot(sync.snapshot);
    } else {
      // The server's list is complete for this client, even where numbers skip.
      for (const message of sync.events) apply(message, true);
      if (sync.seq > lastSeq) lastSeq = sync.seq;
    }
    syncing = false;
    const buffered = pending;
    pending = [];
    buffered.sort((a, b) => a.seq - b.seq).forEach((m) => apply(m, false));
    if (needSnapshot) {
      needSnapshot = false;
      lastSeq = -1;
      resync();
    }
  }

  function resync() {
    if (syncing) return;
    syncing = true;
    socket.timeout(8000).emit("sync", { since: lastSeq }, (err, reply) => {
      syncing = false;
      if (err || !reply || !reply.ok) {
        socket.disconnect().connect();
        return;
      }
      handleSync(reply);
    });
  }

  socket.on("sync", handleSync);
  socket.on("update", (message) => {
    if (syncing) pending.push(message);
    else apply(message, false);
  });
  socket.on("connect", () => onStatus && onStatus("online"));
  socket.on("disconnect", () => {
    syncing = true;
    onStatus && onStatus("offline");
  });
  socket.on("connect_error", (err) => onStatus && onStatus("offline", err && err.message));
  return socket;
}

// Board state shared by the projected board and the facilitator's page.
class BoardState {
  constructor() {
    this.workshop = null;
    this.themes = new Map();
    this.ideas = new Map();
  }

  load(snapshot) {
    this.workshop = snapshot.workshop;
    this.themes = new Map(snapshot.themes.map((t) => [t.id, t]));
    this.ideas = new Map(snapshot.ideas.map((i) => [i.id, i]));
  }

  apply({ kind, data }) {
    switch (kind) {
      case "idea_added":
      case "idea_unhidden":
        this.ideas.set(data.idea.id, { ...(this.ideas.get(data.idea.id) || {}), ...data.idea, hidden: false, held: false });
        break;
      case "idea_held":
        this.ideas.set(data.idea.id, data.idea);
        break;
      case "idea_hidden": {
        const idea = this.ideas.get(data.idea_id);
        if (idea) {
          idea.hidden = true;
          idea.hidden_reason = data.reason || null;
        }
        break;
      }
      case "idea_moved": {
        const idea = this.ideas.get(data.idea_id);
        if (idea) idea.theme_id = data.theme_id;
        break;
      }
      case "theme_renamed": {
        const theme = this.themes.get(data.theme_id);
        if (theme) theme.name = data.name;
        break;
      }
      case "theme_locked": {
        const theme = this.themes.get(data.theme_id);
        if (theme) theme.locked = data.locked;
        break;
      }
      case "ideas_merged":
        for (const id of data.merged_ids) {
          const idea = this.ideas.get(id);
          if (idea) idea.merged_into_id = data.idea_id;
        }
        break;
      case "themes_updated":
        this.themes = new Map(data.themes.map((t) => [t.id, t]));
        for (const [ideaId, themeId] of Object.entries(data.assignments)) {
          const idea = this.ideas.get(Number(ideaId));
          if (idea) idea.theme_id = themeId;
        }
        break;
      case "workshop_updated":
        this.workshop = { ...this.workshop, ...data };
        break;
    }
  }

  // Ideas merged into this one as near-duplicates: shown with it, each with its own text.
  duplicatesOf(idea) {
    return [...this.ideas.values()].filter((i) => i.merged_into_id === idea.id && !i.hidden);
  }

  // Themes in board order, each with its visible ideas; ideas without a live theme go to "new".
  groups({ includeHidden = false, questionId = null } = {}) {
    const byTheme = new Map();
    const fresh = [];
    for (const idea of this.ideas.values()) {
      if (idea.hidden && !includeHidden) continue;
      if (idea.held) continue;
      if (questionId && idea.question_id !== questionId) continue;
      if (idea.merged_into_id && this.ideas.has(idea.merged_into_id)) continue;
      const theme = this.themes.get(idea.theme_id);
      if (theme) {
        if (!byTheme.has(theme.id)) byTheme.set(theme.id, []);
        byTheme.get(theme.id).push(idea);
      } else {
        fresh.push(idea);
      }
    }
    const themes = [...this.themes.values()]
      .sort((a, b) => a.position - b.position)
      .map((theme) => ({ theme, ideas: (byTheme.get(theme.id) || []).sort((a, b) => a.id - b.id) }))
      .filter((g) => g.ideas.length > 0 || (g.theme.locked && !questionId));
    return { themes, fresh: fresh.sort((a, b) => a.id - b.id) };
  }
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (name === "style") for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, v);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// Show the time left in the current phase as m:ss, or nothing when there is no countdown.
function showCountdown(node, workshop, label) {
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
