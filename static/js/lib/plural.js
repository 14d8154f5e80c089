// A count in the page language: `forms` holds the catalogue's text for each plural category
// ("{n} bulină", "{n} buline", "{n} de buline"), and Intl.PluralRules says which one n takes.
export function counted(forms, n) {
  const category = new Intl.PluralRules(document.documentElement.lang || "ro").select(n);
  return (forms[category] || forms.other).replace("{n}", n);
}
