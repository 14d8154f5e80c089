// Search and filters of the facilitator's page: words (case and diacritics do not matter),
// hidden, held or paper ideas, one question.
import { byId, el } from "../lib/dom.js";
import { fold, scheduleRender, t } from "./page.js";

const search = byId("idea-search");
const kindFilter = byId("idea-filter");
const questionFilter = byId("question-filter");

for (const control of [search, kindFilter, questionFilter]) control.addEventListener("input", scheduleRender);

// Which ideas the search and filters keep: {active, kind, matches(idea)}.
export function matcher() {
  const words = fold(search.value.trim()).split(/\s+/).filter(Boolean);
  const kind = kindFilter.value;
  const question = questionFilter.value ? Number(questionFilter.value) : null;
  const active = Boolean(words.length || kind !== "all" || question);
  const matches = (idea) =>
    (kind !== "hidden" || idea.hidden) &&
    (kind !== "paper" || idea.source === "paper") &&
    (question === null || idea.question_id === question) &&
    (!words.length || words.every((w) => fold(idea.text).includes(w)));
  return { active, kind, matches };
}

// The question filter offers each question of the workshop.
export function offerQuestions(questions) {
  if (questionFilter.options.length === questions.length + 1) return;
  questionFilter.replaceChildren(
    questionFilter.options[0],
    ...questions.map((q) => el("option", { value: q.id, text: t.question_short.replace("{n}", q.position), title: q.text })),
  );
}
