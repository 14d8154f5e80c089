// The question a phone answers: by default the one on the board, switching when the facilitator
// switches it. A person may choose another; the next switch on the board brings the phone along.
import { byId } from "../lib/dom.js";
import { root, t } from "./page.js";

const questionSelect = byId("question");
const questionFollow = byId("question-follow");
let boardQuestion = null; // the board's question last applied here
let boardJustMoved = false;

// The question a new idea answers.
export function questionId() {
  if (questionSelect) return Number(questionSelect.value);
  const single = byId("single-question");
  return single ? Number(single.dataset.questionId) : null;
}

function showQuestion() {
  // The full question under the menu: long questions do not fit a phone-wide menu.
  byId("question-text").textContent = questionSelect.selectedOptions[0].dataset.text;
  const onBoard = boardQuestion !== null && Number(questionSelect.value) === boardQuestion;
  questionFollow.textContent = boardQuestion === null ? "" : onBoard ? (boardJustMoved ? t.board_moved : t.on_board) : t.not_on_board;
  questionFollow.classList.toggle("differs", boardQuestion !== null && !onBoard);
  root.dataset.question = questionSelect.value;
}

export function followBoard(workshop) {
  if (!questionSelect) return;
  const id = workshop.board_question_id;
  const known = id !== null && [...questionSelect.options].some((o) => Number(o.value) === id);
  if (!known) {
    boardQuestion = null;
  } else if (id !== boardQuestion) {
    boardJustMoved = boardQuestion !== null && Number(questionSelect.value) !== id;
    boardQuestion = id;
    questionSelect.value = String(id);
  }
  showQuestion();
}

if (questionSelect) {
  questionSelect.addEventListener("change", () => {
    boardJustMoved = false;
    showQuestion();
  });
}
