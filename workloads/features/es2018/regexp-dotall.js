// edition: ES2018
// feature: RegExp s (dotAll) flag
// checks: . matches line terminators with s
export function run(input) {
  if (/a.b/.test("a\nb")) return ". matched a newline without s";
  const re = /a.b/s;
  if (!re.test("a\nb") || re.dotAll !== true || re.flags !== "s") return "s flag";
  return "ok";
}
