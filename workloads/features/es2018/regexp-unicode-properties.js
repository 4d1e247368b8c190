// edition: ES2018
// feature: RegExp Unicode property escapes
// checks: \p{Script=Greek}, \p{Lu}, \P{…}
export function run(input) {
  // Built with new RegExp so an engine without Unicode property data
  // reports it here rather than failing to load the whole module.
  let greek;
  try { greek = new RegExp("^\\p{Script=Greek}+$", "u"); } catch (e) { return "missing: \\p{...} escapes (" + e.constructor.name + ")"; }
  if (!greek.test("αβγ")) return "Script=Greek";
  if (greek.test("abc")) return "Latin matched Greek";
  if ("aBcÉ".match(new RegExp("\\p{Lu}", "gu")).join("") !== "BÉ") return "\\p{Lu}";
  if (!new RegExp("^\\P{L}$", "u").test("1")) return "\\P{L}";
  return "ok";
}
