// edition: ES2024
// feature: RegExp v flag (set notation)
// checks: set difference and intersection, string properties
export function run(input) {
  let re;
  try { re = new RegExp("^[\\p{L}--[a-z]]+$", "v"); } catch (e) { return "missing: RegExp v flag (" + e.constructor.name + ")"; }
  if (!re.test("ÀB") || re.test("aB")) return "set difference";
  if (!new RegExp("^[\\p{L}&&\\p{ASCII}]$", "v").test("a") || new RegExp("^[\\p{L}&&\\p{ASCII}]$", "v").test("é")) return "intersection";
  if (!new RegExp("^\\p{RGI_Emoji}$", "v").test("👍🏽")) return "property of strings";
  return re.unicodeSets ? "ok" : "unicodeSets is false";
}
