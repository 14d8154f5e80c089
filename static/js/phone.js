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
  let submissionsOpen = true;
  let workshop = null;
  let ideas = load();
  const votesKey = "votes:" + code;

  function load() {
    try {
      const stored = JSON.parse(localStorage.getItem(storageKey) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (e) {
      return [];
    }
  }

  function save() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(ideas));
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
            el("span", { class: "badge " + idea.status, text: t[idea.status] + (idea.error ? ": " + idea.error : "") }),
          ),
        ),
    );
    sendButton.disabled = !submissionsOpen;
    if (!submissionsOpen) message.textContent = t.closed;
  }

  function send(idea) {
    if (!socket.connected || idea.inFlight) return;
    idea.inFlight = true;
    socket
      .timeout(10000)
      .emit("submit_idea", { client_id: idea.client_id, text: idea.text, question_id: idea.question_id }, (err, reply) => {
        idea.inFlight = false;
        if (err) return; // no answer: still waiting, sent again on the next try
        if (reply && reply.ok) {
          idea.status = "sent";
          delete idea.error;
        } else if (reply && reply.code !== "server") {
          idea.status = "rejected";
          idea.error = reply.error;
          idea.code = reply.code;
        }
        save();
        render();
      });
  }

  function sendWaiting() {
    ideas.filter((i) => i.status === "waiting").forEach(send);
  }

  const questionSelect = document.getElementById("question");
  if (questionSelect) {
    // The full question under the menu: long questions do not fit a phone-wide menu.
    questionSelect.addEventListener("change", () => {
      document.getElementById("question-text").textContent =
        questionSelect.selectedOptions[0].dataset.text;
    });
  }

  input.addEventListener("input", () => {
    counter.textContent = input.value.length + " / " + maxLength;
    message.textContent = "";
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      message.textContent = t.empty;
      return;
    }
    if (text.length > maxLength) {
      message.textContent = t.too_long;
      return;
    }
    const idea = { client_id: makeClientId(), text, question_id: questionId(), status: "waiting" };
    ideas.push(idea);
    save();
    input.value = "";
    counter.textContent = "0 / " + maxLength;
    render();
    send(idea);
    input.focus();
  });

  // Phase and countdown ----------------------------------------------------------------------
  const phaseName = document.getElementById("phase-name");
  const countdown = document.getElementById("countdown");
  setInterval(() => showCountdown(countdown, workshop, t.ends_in), 1000);

  function showWorkshop(next) {
    workshop = next;
    submissionsOpen = workshop.submissions_open;
    phaseName.textContent = t.phases[workshop.phase] || "";
    showCountdown(countdown, workshop, t.ends_in);
    document.getElementById("idea-form").hidden = !["write", "group"].includes(workshop.phase) && !submissionsOpen;
    document.getElementById("vote").hidden = workshop.phase !== "vote";
    document.getElementById("results").hidden = workshop.phase !== "results";
    if (workshop.phase === "vote") loadBallot();
    if (workshop.phase === "results") showResults(workshop.results || []);
  }

  // Category -------------------------------------------------------------------------------------
  const category = document.getElementById("category");
  if (category) {
    category.value = localStorage.getItem("category:" + code) || "";
    category.addEventListener("change", () => {
      localStorage.setItem("category:" + code, category.value);
      sendCategory();
    });
  }
  function sendCategory() {
    if (category && socket.connected) socket.emit("set_category", { category: category.value || null });
  }

  // Dot voting: the whole allocation is kept on the phone and sent as one message, so a retry
  // counts once and a dropped connection loses nothing.
  const ballotList = document.getElementById("ballot");
  const dotsLeft = document.getElementById("dots-left");
  const voteStatus = document.getElementById("vote-status");
  let ballot = null;
  let allocation = JSON.parse(localStorage.getItem(votesKey) || "null");
  let votesSaved = true;

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
        );
      }),
    );
  }

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

  const socket = connectLive({
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
        showWorkshop(data);
        if (submissionsOpen) {
          message.textContent = "";
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
  render();
})();
