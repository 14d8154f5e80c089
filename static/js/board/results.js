// The vote's results on the projected board: as many as fit, largest first.
import { byId, el } from "../lib/dom.js";
import { counted } from "../lib/plural.js";
import { themeName } from "./groups.js";
import { fits, keepWhatFits, minSize } from "./measure.js";

const RESULT_SIZES = [2.2, 1.8, 1.5, 1.25, 1.1, 1];

// A theme's result under the name the board gives it (a theme not named yet has one too).
function resultLabel(view, result) {
  const { state } = view;
  const theme = result.kind === "theme" ? state.themes.get(result.id) : null;
  if (!theme) return result.label;
  const ideas = [...state.ideas.values()].filter((i) => i.theme_id === theme.id);
  return themeName(view, { ...theme, name: result.label }, ideas);
}

export function drawResults(view, ranked) {
  const { t } = view;
  const list = byId("results-list");
  const more = byId("results-more");
  const top = Math.max(1, ...ranked.map((r) => r.dots));
  const items = () =>
    ranked.slice(0, 60).map((r, index) =>
      el(
        "li",
        { class: "result", "data-item-id": r.id },
        el("span", { class: "result-rank", text: String(index + 1) }),
        el("span", { class: "result-label", text: resultLabel(view, r) }),
        el("span", { class: "result-bar", style: { "--share": (100 * r.dots) / top + "%" } }),
        el("span", { class: "result-dots", text: counted(t.dots, r.dots) }),
      ),
    );
  const min = minSize(view.root);
  more.hidden = true;
  for (const factor of RESULT_SIZES) {
    list.style.setProperty("--result-size", (factor * min).toFixed(2) + "px");
    list.replaceChildren(...items());
    if (fits(list) && ranked.length <= 60) return;
  }
  // Even at the smallest size not all fit: the top ones, and how many more there are.
  more.textContent = counted(t.more_results, ranked.length);
  more.hidden = false;
  const kept = keepWhatFits(list);
  more.textContent = counted(t.more_results, ranked.length - kept);
}
