// The phone: ideas wait in localStorage until the server acknowledges them, so a Wi-Fi drop,
// a closed tab or a server restart loses nothing. Each idea shows "sent" or "waiting".
"use strict";
(function () {
  const root = document.getElementById("phone");
  const t = strings(root);
  const code = root.dataset.code;
  const maxLength = Number(root.dataset.maxLength);
  const storageKey = "ideas:" + code;
  const form = document.getElementById("idea-form");
  const input = document.getElementById("idea");
  const counter = document.getElementById("counter");
  const message = document.getElementById("form-message");
  const list = document.getElementById("my-ideas");
  const connection = document.getElementById("connection");
  const sendButton = document.getElementById("send");
  const sendStatus = document.getElementById("send-status");
  let socket = null;
  let submissionsOpen = true;
  let workshop = null;
  let ideas = load();
  const votesKey = "votes:" + code;
  // When the server said this phone sends too fast: nothing is sent before this time (ms).
  let pausedUntil = 0;
  let resumeTimer = null;

  function load() {
    try {
      const stored = JSON.parse(localStorage.getItem(storageKey) || "[]");
      if (!Array.isArray(stored)) return [];
      for (const idea of stored) {
        delete idea.inFlight;
        // An idea refused only for speed was never given up: it waits to be sent again.
        if (idea.status === "rejected" && idea.code === "rate_limited") {
          idea.status = "waiting";
          delete idea.error;
          delete idea.code;
        }
      }
      return stored;
    } catch (e) {
      return [];
    }
  }

  function save() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(ideas, (k, v) => (k === "inFlight" ? undefined : v)));
    } catch (e) {
      /* storage full or disabled: ideas still live in this page until sent */
    }
  }

  function questionId() {
    const select = document.getElementById("question");
    if (select) return Number(select.value);
    const single = document.getElementById("single-question");
    return single ? Number(single.dataset.questionId) : null;
  }

  function secondsLeft() {
    return Math.max(1, Math.ceil((pausedUntil - Date.now()) / 1000));
  }

  function badgeText(idea) {
    if (idea.status === "waiting" && pausedUntil > Date.now()) return t.waiting_retry.replace("{n}", secondsLeft());
    return t[idea.status] + (idea.error ? ": " + idea.error : "");
  }

  // Next to the button: what happened to the ideas just sent, on the screen without scrolling.
  function renderSendStatus() {
    const waiting = ideas.filter((i) => i.status === "waiting").length;
    const last = ideas[ideas.length - 1];
    let text = "";
    let kind = "";
    if (waiting) {
      kind = "waiting";
      if (pausedUntil > Date.now()) text = counted(t.waiting_count, waiting) + " " + t.sent_in.replace("{n}", secondsLeft());
      else if (!socket || !socket.connected) text = counted(t.waiting_count, waiting) + " " + t.when_online;
      else text = counted(t.waiting_count, waiting);
    } else if (last && last.status === "sent") {
      kind = "sent";
      text = t.sent_check;
    } else if (last && last.status === "rejected") {
      kind = "rejected";
      text = t.rejected;
    }
    sendStatus.textContent = text;
    sendStatus.className = "send-status " + kind;
  }

  function render() {
    list.replaceChildren(
      ...ideas
        .slice()
        .reverse()
        .map((idea) =>
          el(
            "li",
            { class: "my-idea " + idea.status, "data-client-id": idea.client_id },
            el("span", { class: "my-idea-text", text: idea.text }),
            el("span", { class: "badge " + idea.status, text: badgeText(idea) }),
          ),
        ),
    );
    sendButton.disabled = !submissionsOpen;
    if (!submissionsOpen) message.textContent = t.closed;
    renderSendStatus();
  }

  function send(idea) {
    if (!socket.connected || idea.inFlight || Date.now() < pausedUntil) return;
    idea.inFlight = true;
    socket
      .timeout(10000)
      .emit("submit_idea", { client_id: idea.client_id, text: idea.text, question_id: idea.question_id }, (err, reply) => {
        idea.inFlight = false;
        if (err) return; // no answer: still waiting, sent again on the next try
        if (reply && reply.ok) {
          idea.status = "sent";
          delete idea.error;
        } else if (reply && reply.code === "rate_limited") {
          // Too fast for the workshop's limit: the idea stays in the outbox and goes by itself
          // when the server says the limit allows.
          pauseUntil(Date.now() + Math.max(1, Number(reply.retry_after) || 10) * 1000);
        } else if (reply && reply.code !== "server") {
          idea.status = "rejected";
          idea.error = reply.error;
          idea.code = reply.code;
        }
        save();
        render();
      });
  }

  function pauseUntil(moment) {
    if (moment <= pausedUntil) return;
    pausedUntil = moment;
    clearTimeout(resumeTimer);
    resumeTimer = setTimeout(() => {
      pausedUntil = 0;
      render();
      sendWaiting();
    }, moment - Date.now());
  }

  function sendWaiting() {
    ideas.filter((i) => i.status === "waiting").forEach(send);
  }

  // The question: by default the one on the board, switching when the facilitator switches it.
  // A person may choose another; the next switch on the board brings the phone along again.
  const questionSelect = document.getElementById("question");
  const questionFollow = document.getElementById("question-follow");
  let boardQuestion = null; // the board's question last applied here
  let boardJustMoved = false;

  function showQuestion() {
    // The full question under the menu: long questions do not fit a phone-wide menu.
    document.getElementById("question-text").textContent = questionSelect.selectedOptions[0].dataset.text;
    const onBoard = boardQuestion !== null && Number(questionSelect.value) === boardQuestion;
    questionFollow.textContent = boardQuestion === null ? "" : onBoard ? (boardJustMoved ? t.board_moved : t.on_board) : t.not_on_board;
    questionFollow.classList.toggle("differs", boardQuestion !== null && !onBoard);
    root.dataset.question = questionSelect.value;
  }

  function followBoard(next) {
    if (!questionSelect) return;
    const id = next.board_question_id;
    const known = id !== null && [...questionSelect.options].some((o) => Number(o.value) === id);
    if (!known) {
      boardQuestion = null;
    } else if (id !== boardQuestion) {
      boardJustMoved = boardQuestion !== null && Number(questionSelect.value) !== id;
      boardQuestion = id;
      questionSelect.value = String(id);
    }
    showQuestion();
  }

  if (questionSelect) {
    questionSelect.addEventListener("change", () => {
      boardJustMoved = false;
      showQuestion();
    });
  }

  function tooLong(length) {
    return t.too_long + ": " + counted(t.over_by, length - maxLength) + " (" + length + " / " + maxLength + "). " + t.shorten;
  }

  function showCounter() {
    const length = input.value.length;
    counter.textContent = length + " / " + maxLength;
    counter.classList.toggle("over", length > maxLength);
    input.setAttribute("aria-invalid", length > maxLength ? "true" : "false");
    message.textContent = length > maxLength ? tooLong(length) : "";
  }
  input.addEventListener("input", showCounter);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      message.textContent = t.empty;
      return;
    }
    if (text.length > maxLength) {
      // Nothing is cut: the person shortens it, knowing by how much.
      message.textContent = tooLong(text.length);
      return;
    }
    const idea = { client_id: makeClientId(), text, question_id: questionId(), status: "waiting" };
    ideas.push(idea);
    save();
    input.value = "";
    showCounter();
    render();
    send(idea);
    input.focus();
    sendStatus.scrollIntoView({ block: "nearest" });
  });

  // Phase and countdown ----------------------------------------------------------------------
  const phaseName = document.getElementById("phase-name");
  const countdown = document.getElementById("countdown");
  setInterval(() => showCountdown(countdown, workshop, t.ends_in), 1000);

  function showWorkshop(next) {
    const categoriesBefore = JSON.stringify((workshop && workshop.categories) || null);
    workshop = next;
    followBoard(workshop);
    submissionsOpen = workshop.submissions_open;
    if (JSON.stringify(workshop.categories) !== categoriesBefore) showCategories(workshop.categories || []);
    phaseName.textContent = t.phases[workshop.phase] || "";
    showCountdown(countdown, workshop, t.ends_in);
    document.getElementById("idea-form").hidden = !["write", "group"].includes(workshop.phase) && !submissionsOpen;
    document.getElementById("vote").hidden = workshop.phase !== "vote";
    document.getElementById("results").hidden = workshop.phase !== "results";
    if (workshop.phase === "vote") loadBallot();
    if (workshop.phase === "results") showResults(workshop.results || []);
  }

  // Category: the list follows the facilitator's changes without a reload -----------------------
  const categoryBox = document.getElementById("category-box");
  const category = document.getElementById("category");
  const categoryKey = "category:" + code;
  function showCategories(names) {
    categoryBox.hidden = !names.length;
    const chosen = localStorage.getItem(categoryKey) || "";
    category.replaceChildren(
      el("option", { value: "", text: t.no_category }),
      ...names.map((name) => el("option", { value: name, text: name })),
    );
    category.value = names.includes(chosen) ? chosen : "";
  }
  category.value = localStorage.getItem(categoryKey) || "";
  category.addEventListener("change", () => {
    localStorage.setItem(categoryKey, category.value);
    sendCategory();
  });
  function sendCategory() {
    if (!categoryBox.hidden && socket.connected) socket.emit("set_category", { category: category.value || null });
  }

  // Dot voting: the whole allocation is kept on the phone and sent as one message, so a retry
  // counts once and a dropped connection loses nothing.
  const ballotList = document.getElementById("ballot");
  const dotsLeft = document.getElementById("dots-left");
  const voteStatus = document.getElementById("vote-status");
  let ballot = null;
  let allocation = JSON.parse(localStorage.getItem(votesKey) || "null");
  let votesSaved = true;
  let votesRetry = null;

  function loadBallot() {
    if (!socket.connected) return;
    socket.timeout(8000).emit("get_ballot", {}, (err, reply) => {
      if (err || !reply.ok) return;
      ballot = reply;
      if (!allocation || votesSaved) allocation = reply.mine;
      renderBallot();
      if (!votesSaved) sendVotes();
    });
  }

  function spent() {
    return Object.values(allocation || {}).reduce((a, b) => a + b, 0);
  }

  function renderBallot() {
    if (!ballot) return;
    const left = ballot.budget - spent();
    dotsLeft.textContent = t.dots_left.replace("{n}", left);
    if (ballot.closed) voteStatus.textContent = t.vote_closed_wait;
    if (!ballot.items.length) {
      ballotList.replaceChildren(el("li", { text: t.no_items }));
      return;
    }
    ballotList.replaceChildren(
      ...ballot.items.map((item) => {
        const mine = (allocation && allocation[item.id]) || 0;
        return el(
          "li",
          { class: "ballot-item", "data-item-id": item.id },
          el("span", { class: "ballot-label", text: item.label }),
          el(
            "span",
            { class: "ballot-controls" },
            el("button", {
              type: "button", class: "dot-button remove", "aria-label": t.remove_dot + " " + item.label,
              disabled: mine === 0 || !ballot.open, onclick: () => changeDots(item.id, -1), text: "−",
            }),
            el("span", { class: "dot-count", "aria-live": "polite", text: counted(t.dots, mine) }),
            el("button", {
              type: "button", class: "dot-button add", "aria-label": t.add_dot + " " + item.label,
              disabled: mine >= ballot.cap || left <= 0 || !ballot.open, onclick: () => changeDots(item.id, 1), text: "+",
            }),
          ),
          ballotIdeas(item),
        );
      }),
    );
  }

  // What a theme holds, folded so the ballot stays short: the voter opens the ones they weigh.
  function ballotIdeas(item) {
    if (!item.ideas || !item.ideas.length) return null;
    const open = openThemes.has(item.id);
    const details = el(
      "details",
      { class: "ballot-ideas", open: open ? "" : false, ontoggle: (e) => (e.target.open ? openThemes.add(item.id) : openThemes.delete(item.id)) },
      el("summary", { text: counted(t.ideas_in_theme, item.ideas.length) }),
      el("ul", {}, ...item.ideas.map((text) => el("li", { text }))),
    );
    return details;
  }
  const openThemes = new Set();

  function changeDots(itemId, delta) {
    allocation = { ...(allocation || {}) };
    allocation[itemId] = Math.max(0, (allocation[itemId] || 0) + delta);
    if (!allocation[itemId]) delete allocation[itemId];
    votesSaved = false;
    localStorage.setItem(votesKey, JSON.stringify(allocation));
    renderBallot();
    sendVotes();
  }

  function sendVotes() {
    voteStatus.textContent = t.votes_waiting;
    if (!socket.connected) return;
    const sentAllocation = allocation;
    socket.timeout(8000).emit("cast_votes", { votes: sentAllocation }, (err, reply) => {
      if (err) return; // still waiting; sent again on reconnect
      if (reply.ok) {
        if (sentAllocation === allocation) {
          votesSaved = true;
          voteStatus.textContent = t.votes_saved;
        }
      } else if (reply.code === "rate_limited") {
        // Too many changes at once: the dots stay on the phone and go again in a moment.
        clearTimeout(votesRetry);
        votesRetry = setTimeout(() => {
          if (!votesSaved) sendVotes();
        }, 5000);
      } else {
        voteStatus.textContent = reply.error;
        if (reply.code === "closed") votesSaved = true;
        else loadBallot();
      }
    });
  }

  function showResults(results) {
    document.getElementById("results-list").replaceChildren(
      ...results.map((r) => el("li", {}, el("span", { text: r.label }), el("strong", { text: " " + counted(t.dots, r.dots) }))),
    );
  }

  socket = connectLive({
    code,
    role: "phone",
    contiguous: false,
    onSnapshot: (snapshot) => {
      showWorkshop(snapshot.workshop);
      const known = new Set(ideas.map((i) => i.client_id));
      for (const stored of snapshot.my_ideas) {
        const local = ideas.find((i) => i.client_id === stored.client_id);
        if (local) local.status = "sent";
        else if (!known.has(stored.client_id)) ideas.push({ ...stored, status: "sent" });
      }
      save();
      render();
      sendWaiting();
    },
    onEvent: ({ kind, data }) => {
      if (kind === "workshop_updated") {
        // A new limit from the facilitator: ideas held back for the old one may go now.
        if (workshop && data.ideas_per_minute !== workshop.ideas_per_minute && pausedUntil) {
          clearTimeout(resumeTimer);
          pausedUntil = 0;
        }
        showWorkshop(data);
        if (submissionsOpen) {
          if (message.textContent === t.closed) message.textContent = "";
          // Ideas refused only because the room was closed are sent again now it is open.
          for (const idea of ideas) if (idea.status === "rejected" && idea.code === "closed") idea.status = "waiting";
          save();
          sendWaiting();
        }
        render();
      }
    },
    onStatus: (s, detail) => {
      connection.textContent = s === "online" ? t.online : t.offline;
      connection.className = "connection " + s;
      if (s === "online") {
        sendWaiting();
        sendCategory();
        if (!votesSaved && workshop && workshop.phase === "vote") sendVotes();
      }
    },
  });
  window.phoneSocket = socket;
  // Keep trying while anything waits, even when the connection looks fine.
  setInterval(sendWaiting, 5000);

  // A copy of this page and its files, so that a reload without a network still opens it with
  // the outbox (service workers run on HTTPS and localhost only; elsewhere the outbox still
  // keeps every idea, but a reload without a network shows the browser's error page).
  const OFFLINE_CACHE = "phone-pages-v1";
  if ("serviceWorker" in navigator && window.caches && root.dataset.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.serviceWorker).catch(() => {});
    const files = [...document.querySelectorAll("script[src], link[rel=stylesheet]")].map((n) => n.src || n.href);
    caches
      .open(OFFLINE_CACHE)
      .then((cache) =>
        Promise.all(
          [location.pathname + location.search, ...files].map((url) =>
            cache.match(url, { ignoreVary: true }).then((hit) => hit || cache.add(url)),
          ),
        ),
      )
      .then(() => (root.dataset.offlineCopy = "ready"))
      .catch(() => {});
  }
  setInterval(() => {
    if (pausedUntil > Date.now()) render();
  }, 1000);
  render();
})();
