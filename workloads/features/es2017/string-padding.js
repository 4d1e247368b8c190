// edition: ES2017
// feature: String padStart/padEnd
// checks: padding to length with multi-character fillers
export function run(input) {
  if (typeof "".padStart !== "function") return "missing: String.prototype.padStart";
  if ("5".padStart(3, "0") !== "005") return "padStart";
  if ("ab".padEnd(7, "xyz") !== "abxyzxy") return "padEnd with a long filler";
  if ("abc".padStart(2) !== "abc") return "no truncation";
  return "ok";
}
