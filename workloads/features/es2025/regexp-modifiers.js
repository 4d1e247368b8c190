// edition: ES2025
// feature: RegExp pattern modifiers
// checks: (?i:…) and (?-i:…) inline flag groups
export function run(input) {
  let re;
  try { re = new RegExp("^(?i:a)b$"); } catch (e) { return "missing: pattern modifiers (" + e.constructor.name + ")"; }
  if (!re.test("Ab") || re.test("AB")) return "(?i:...)";
  if (!new RegExp("^(?-i:a)B$", "i").test("ab") || new RegExp("^(?-i:a)B$", "i").test("Ab")) return "(?-i:...)";
  return "ok";
}
