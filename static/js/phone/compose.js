// Writing an idea on the phone: a counter against the longest idea the server takes, and a
// clear message (by how much it is too long) instead of cutting anything off.
import { makeClientId } from "../lib/connection.js";
import { byId } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { ideas, render, save, send } from "./outbox.js";
import { root, t } from "./page.js";
import { questionId } from "./question.js";

const maxLength = Number(root.dataset.maxLength);
const form = byId("idea-form");
const input = byId("idea");
const counter = byId("counter");
const message = byId("form-message");

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
  byId("send-status").scrollIntoView({ block: "nearest" });
});
