// A count in the page language: `forms` holds the catalogue's text for each plural category
// ("{n} bulină", "{n} buline", "{n} de buline"), and Intl.PluralRules says which one n takes.
// The rules are made once per language: a busy page counts thousands of times a minute.
const rules = new Map();

export function counted(forms, n) {
  const lang = document.documentElement.lang || "ro";
  if (!rules.has(lang)) rules.set(lang, new Intl.PluralRules(lang));
  return (forms[rules.get(lang).select(n)] || forms.other).replace("{n}", n);
}
