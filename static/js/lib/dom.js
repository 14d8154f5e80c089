// Building elements: text always goes in as text (never as markup), so an idea cannot inject
// anything into a page.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (name === "style") for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, v);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export const byId = (id) => document.getElementById(id);
