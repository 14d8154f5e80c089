// What the server puts in the page for its scripts, as JSON in data attributes of the page's
// root element: `data-strings` (the translated words) and `data-rules` (the server's rules:
// phases, vote targets, vote limits), so no word and no rule is written twice.

function parsed(element, name) {
  return JSON.parse(element.dataset[name] || "{}");
}

export function strings(element) {
  return parsed(element, "strings");
}

export function rules(element) {
  return parsed(element, "rules");
}
