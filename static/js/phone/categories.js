// The phone's stakeholder category: the list follows the facilitator's changes without a reload.
import { byId, el } from "../lib/dom.js";
import { code, live, t } from "./page.js";

const categoryBox = byId("category-box");
const category = byId("category");
const categoryKey = "category:" + code;

export function showCategories(names) {
  categoryBox.hidden = !names.length;
  const chosen = localStorage.getItem(categoryKey) || "";
  category.replaceChildren(
    el("option", { value: "", text: t.no_category }),
    ...names.map((name) => el("option", { value: name, text: name })),
  );
  category.value = names.includes(chosen) ? chosen : "";
}

export function sendCategory() {
  if (!categoryBox.hidden && live.socket.connected) live.socket.emit("set_category", { category: category.value || null });
}

category.value = localStorage.getItem(categoryKey) || "";
category.addEventListener("change", () => {
  localStorage.setItem(categoryKey, category.value);
  sendCategory();
});
