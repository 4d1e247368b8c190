// edition: ES2015
// feature: RegExp u and y flags
// checks: code-point matching with u, \u{...} escapes, sticky matching with y
export function run(input) {
  if (!/^.$/u.test("😀")) return "u flag: . does not match a surrogate pair";
  if (/^.$/.test("😀")) return "without u, . matched a surrogate pair";
  if (!/\u{1F600}/u.test("😀")) return "\\u{...} escape";
  const re = /a/y;
  re.lastIndex = 1;
  if (re.test("ba") !== true || re.lastIndex !== 2) return "sticky match";
  re.lastIndex = 0;
  if (re.test("ba")) return "sticky matched at the wrong position";
  return "ok";
}
