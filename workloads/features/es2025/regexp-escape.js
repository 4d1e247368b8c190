// edition: ES2025
// feature: RegExp.escape
// checks: escapes syntax characters and a leading digit
export function run(input) {
  if (typeof RegExp.escape !== "function") return "missing: RegExp.escape";
  const text = "1.5*(a+b)?";
  const re = new RegExp("^" + RegExp.escape(text) + "$");
  if (!re.test(text) || re.test("125*(a+b)")) return "escaped pattern does not match literally";
  if (!RegExp.escape("1a").startsWith("\\x31")) return "leading digit not escaped: " + RegExp.escape("1a");
  return "ok";
}
