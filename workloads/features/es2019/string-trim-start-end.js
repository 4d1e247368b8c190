// edition: ES2019
// feature: String trimStart/trimEnd
// checks: trimStart/trimEnd and their trimLeft/trimRight aliases
export function run(input) {
  if (typeof "".trimStart !== "function") return "missing: String.prototype.trimStart";
  if ("  a  ".trimStart() !== "a  " || "  a  ".trimEnd() !== "  a") return "trim results";
  if (String.prototype.trimLeft !== String.prototype.trimStart) return "trimLeft is not an alias";
  return "ok";
}
