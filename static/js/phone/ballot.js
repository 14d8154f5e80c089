// Dot voting on the phone: the server sends the ballot (items, dots per person, most dots on
// one item, whether the vote is open); the whole allocation is kept on the phone and sent as one
// message, so a retry counts once and a dropped connection loses nothing.
import { byId, el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { code, live, t } from "./page.js";

const votesKey = "votes:" + code;
const ballotList = byId("ballot");
const dotsLeft = byId("dots-left");
const voteStatus = byId("vote-status");
const openThemes = new Set();
let ballot = null;
let allocation = JSON.parse(localStorage.getItem(votesKey) || "null");
let votesSaved = true;
let votesRetry = null;

// Whether dots changed here have not reached the server yet.
export const votesWaiting = () => !votesSaved;

export function loadBallot() {
  if (!live.socket.connected) return;
  live.socket.timeout(8000).emit("get_ballot", {}, (err, reply) => {
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

function ballotItem(item, left) {
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
  ballotList.replaceChildren(...ballot.items.map((item) => ballotItem(item, left)));
}

// What a theme holds, folded so the ballot stays short: the voter opens the ones they weigh.
function ballotIdeas(item) {
  if (!item.ideas || !item.ideas.length) return null;
  const open = openThemes.has(item.id);
  return el(
    "details",
    { class: "ballot-ideas", open: open ? "" : false, ontoggle: (e) => (e.target.open ? openThemes.add(item.id) : openThemes.delete(item.id)) },
    el("summary", { text: counted(t.ideas_in_theme, item.ideas.length) }),
    el("ul", {}, ...item.ideas.map((text) => el("li", { text }))),
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

export function sendVotes() {
  voteStatus.textContent = t.votes_waiting;
  const socket = live.socket;
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

export function showResults(results) {
  byId("results-list").replaceChildren(
    ...results.map((r) => el("li", {}, el("span", { text: r.label }), el("strong", { text: " " + counted(t.dots, r.dots) }))),
  );
}
