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
  let ideas = load();

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

  const socket = connectLive({
    code,
    role: "phone",
    contiguous: false,
    onSnapshot: (snapshot) => {
      submissionsOpen = snapshot.workshop.submissions_open;
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
        submissionsOpen = data.submissions_open;
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
      if (s === "online") sendWaiting();
    },
  });
  window.phoneSocket = socket;
  // Keep trying while anything waits, even when the connection looks fine.
  setInterval(sendWaiting, 5000);
  render();
})();
