// Phases and countdowns on the facilitator's page: start a phase with its own minutes, set or
// stop the current phase's countdown, close the vote and reveal its results.
import { tickCountdown } from "../lib/countdown.js";
import { byId } from "../lib/dom.js";
import { act, root, state, t } from "./page.js";

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
    const own = seconds(byId("minutes-" + phase).value);
    if (own) payload.seconds = own;
    act("set_phase", payload);
  });
}
byId("countdown-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const own = seconds(e.target.elements.minutes.value);
  if (own) act("set_countdown", { seconds: own });
});
byId("stop-countdown").addEventListener("click", () => act("set_countdown", { seconds: null }));
byId("close-vote").addEventListener("click", () =>
  act("set_vote_open", { open: Boolean(state.workshop && state.workshop.vote_closed) }));
byId("reveal-results").addEventListener("click", () => {
  const payload = {};
  const own = seconds(byId("minutes-results").value);
  if (own) payload.seconds = own;
  act("reveal_results", payload);
});
tickCountdown(byId("countdown"), () => state.workshop, t.ends_in);
