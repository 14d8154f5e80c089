// The phone: write ideas (kept in an outbox until the server has them), follow the phase and the
// question on the board, vote with dots, see the results.
import "./phone/compose.js";
import { loadBallot, sendVotes, showResults, votesWaiting } from "./phone/ballot.js";
import { sendCategory, showCategories } from "./phone/categories.js";
import { keepOfflineCopy } from "./phone/offline.js";
import {
  endPause, mergeSent, paused, render, retryClosed, sendWaiting, setSubmissionsOpen, submissionsAreOpen,
} from "./phone/outbox.js";
import { code, live, rules, t } from "./phone/page.js";
import { followBoard } from "./phone/question.js";
import { connectLive } from "./lib/connection.js";
import { showCountdown, tickCountdown } from "./lib/countdown.js";
import { exposeDebug } from "./lib/debug.js";
import { byId } from "./lib/dom.js";

const connection = byId("connection");
const countdown = byId("countdown");
let workshop = null;

tickCountdown(countdown, () => workshop, t.ends_in);

// The phase decides what the phone shows: the idea form, the ballot or the results.
function showWorkshop(next) {
  const categoriesBefore = JSON.stringify((workshop && workshop.categories) || null);
  workshop = next;
  followBoard(workshop);
  setSubmissionsOpen(workshop.submissions_open);
  if (JSON.stringify(workshop.categories) !== categoriesBefore) showCategories(workshop.categories || []);
  byId("phase-name").textContent = t.phases[workshop.phase] || "";
  showCountdown(countdown, workshop, t.ends_in);
  byId("idea-form").hidden = !rules.writing_phases.includes(workshop.phase) && !submissionsAreOpen();
  byId("vote").hidden = workshop.phase !== "vote";
  byId("results").hidden = workshop.phase !== "results";
  if (workshop.phase === "vote") loadBallot();
  if (workshop.phase === "results") showResults(workshop.results || []);
}

live.socket = connectLive({
  code,
  role: "phone",
  contiguous: false,
  onSnapshot: (snapshot) => {
    showWorkshop(snapshot.workshop);
    mergeSent(snapshot.my_ideas);
    render();
    sendWaiting();
  },
  onEvent: ({ kind, data }) => {
    if (kind !== "workshop_updated") return;
    // A new limit from the facilitator: ideas held back for the old one may go now.
    if (workshop && data.ideas_per_minute !== workshop.ideas_per_minute) endPause();
    showWorkshop(data);
    if (submissionsAreOpen()) retryClosed();
    render();
  },
  onStatus: (s) => {
    connection.textContent = s === "online" ? t.online : t.offline;
    connection.className = "connection " + s;
    if (s === "online") {
      sendWaiting();
      sendCategory();
      if (votesWaiting() && workshop && workshop.phase === "vote") sendVotes();
    }
  },
});
exposeDebug("phone", { socket: live.socket });
// Keep trying while anything waits, even when the connection looks fine.
setInterval(sendWaiting, 5000);
keepOfflineCopy();
setInterval(() => {
  if (paused()) render();
}, 1000);
render();
