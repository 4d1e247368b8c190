// edition: ES2024
// feature: String isWellFormed/toWellFormed
// checks: lone surrogates detected and replaced by U+FFFD
export function run(input) {
  if (typeof "".isWellFormed !== "function") return "missing: String.prototype.isWellFormed";
  if (!"a😀".isWellFormed() || "a\uD800".isWellFormed()) return "isWellFormed";
  if ("a\uD800b".toWellFormed() !== "a\uFFFDb") return "toWellFormed";
  return "ok";
}
