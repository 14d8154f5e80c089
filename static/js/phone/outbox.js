// The phone's outbox: ideas wait in localStorage until the server acknowledges them, so a Wi-Fi
// drop, a closed tab or a server restart loses nothing. Each idea shows "sent" or "waiting".
import { byId, el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { code, connected, live, t } from "./page.js";

const storageKey = "ideas:" + code;
const list = byId("my-ideas");
const sendButton = byId("send");
const sendStatus = byId("send-status");
const message = byId("form-message");
let submissionsOpen = true;
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

export const ideas = load();

export function save() {
  try {
    localStorage.setItem(storageKey, JSON.stringify(ideas, (k, v) => (k === "inFlight" ? undefined : v)));
  } catch (e) {
    /* storage full or disabled: ideas still live in this page until sent */
  }
}

function secondsLeft() {
  return Math.max(1, Math.ceil((pausedUntil - Date.now()) / 1000));
}

export const paused = () => pausedUntil > Date.now();

function badgeText(idea) {
  if (idea.status === "waiting" && paused()) return t.waiting_retry.replace("{n}", secondsLeft());
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
    if (paused()) text = counted(t.waiting_count, waiting) + " " + t.sent_in.replace("{n}", secondsLeft());
    else if (!connected()) text = counted(t.waiting_count, waiting) + " " + t.when_online;
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

export function render() {
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

export function send(idea) {
  const socket = live.socket;
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

// A new limit from the facilitator: ideas held back for the old one may go now.
export function endPause() {
  if (!pausedUntil) return;
  clearTimeout(resumeTimer);
  pausedUntil = 0;
}

export function sendWaiting() {
  ideas.filter((i) => i.status === "waiting").forEach(send);
}

export function setSubmissionsOpen(open) {
  submissionsOpen = open;
}

export const submissionsAreOpen = () => submissionsOpen;

// The ideas the server already has from this phone (a catch-up): sent, here or on another tab.
export function mergeSent(stored) {
  const known = new Set(ideas.map((i) => i.client_id));
  for (const idea of stored) {
    const local = ideas.find((i) => i.client_id === idea.client_id);
    if (local) local.status = "sent";
    else if (!known.has(idea.client_id)) ideas.push({ ...idea, status: "sent" });
  }
  save();
}

// Submissions are open again: ideas refused only because the room was closed go again.
export function retryClosed() {
  if (message.textContent === t.closed) message.textContent = "";
  for (const idea of ideas) if (idea.status === "rejected" && idea.code === "closed") idea.status = "waiting";
  save();
  sendWaiting();
}
