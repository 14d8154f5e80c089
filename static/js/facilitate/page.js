// The facilitator's page as its modules share it: the root element, the translated words, the
// board state, the live connection, `act` (every action goes to the server, which checks the
// key, applies it and broadcasts it) and the redraw that follows each broadcast.
import { BoardState } from "../board/state.js";
import { strings } from "../lib/data.js";
import { byId } from "../lib/dom.js";

export const root = byId("facilitate");
export const t = strings(root);
export const state = new BoardState();
// The live connection, once made (see facilitate.js).
export const live = { socket: null };

const actionMessage = byId("action-message");

export function act(event, payload) {
  actionMessage.textContent = "";
  live.socket.timeout(8000).emit(event, payload, (err, reply) => {
    if (err) actionMessage.textContent = t.offline;
    else if (!reply.ok) actionMessage.textContent = reply.error;
  });
}

// Show why a request that is not an action failed (offline, or the server's refusal).
export function showError(message) {
  actionMessage.textContent = message;
}

let draw = () => {};
let renderTimer = null;

// The page's whole redraw, given once by facilitate.js.
export function setRender(render) {
  draw = render;
}

export function render() {
  draw();
}

// A room sending ideas fast: one redraw for all the events of the same moment.
export function scheduleRender() {
  if (renderTimer !== null) return;
  renderTimer = setTimeout(() => {
    renderTimer = null;
    draw();
  }, 30);
}

// Case and diacritics do not matter: "sanatate" finds "Sănătate", cedilla or comma below.
export const fold = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[şș]/gi, "s").replace(/[ţț]/gi, "t").toLowerCase();
