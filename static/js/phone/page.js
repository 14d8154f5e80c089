// The phone page as its modules share it: the root element, the workshop's code, the translated
// words, the server's rules, and the live connection once made (see phone.js).
import { rules as readRules, strings } from "../lib/data.js";
import { byId } from "../lib/dom.js";

export const root = byId("phone");
export const code = root.dataset.code;
export const t = strings(root);
export const rules = readRules(root);
export const live = { socket: null };

export function connected() {
  return Boolean(live.socket && live.socket.connected);
}
