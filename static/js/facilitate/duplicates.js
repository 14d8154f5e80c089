// Near-duplicates on the facilitator's page: the server finds groups of ideas that say the same;
// the facilitator merges a group into its first idea.
import { byId, el } from "../lib/dom.js";
import { act, live, showError, state, t } from "./page.js";

const panel = byId("duplicate-groups");

function groupBox(group) {
  const [first, ...rest] = group;
  return el(
    "div",
    { class: "duplicate-group" },
    el("ul", {}, ...group.map((id) => el("li", { text: (state.ideas.get(id) || {}).text || "" }))),
    el("button", {
      type: "button",
      onclick: (e) => {
        act("merge_ideas", { idea_id: first, duplicate_ids: rest });
        e.target.closest(".duplicate-group").remove();
      },
      text: t.merge_ideas,
    }),
  );
}

byId("find-duplicates").addEventListener("click", () => {
  live.socket.timeout(15000).emit("find_duplicates", {}, (err, reply) => {
    if (err || !reply.ok) {
      showError(err ? t.offline : reply.error);
      return;
    }
    if (!reply.groups.length) {
      panel.replaceChildren(el("p", { text: t.no_duplicates }));
      return;
    }
    panel.replaceChildren(...reply.groups.map(groupBox));
  });
});
