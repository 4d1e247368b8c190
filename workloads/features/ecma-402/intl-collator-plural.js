// edition: ECMA-402
// feature: Intl.Collator and Intl.PluralRules
// checks: locale-aware sorting and plural categories
export function run(input) {
  if (typeof Intl !== "object") return "missing: Intl";
  if (typeof Intl.Collator !== "function") return "missing: Intl.Collator";
  const sorted = ["z", "ä", "a"].sort(new Intl.Collator("de").compare).join("");
  if (sorted !== "aäz") return "de collation gave " + sorted;
  if (typeof Intl.PluralRules !== "function") return "missing: Intl.PluralRules";
  const pr = new Intl.PluralRules("en-US", { type: "ordinal" });
  const cats = [1, 2, 3, 4].map((n) => pr.select(n)).join();
  return cats === "one,two,few,other" ? "ok" : "ordinal categories " + cats;
}
