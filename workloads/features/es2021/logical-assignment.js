// edition: ES2021
// feature: Logical assignment
// checks: &&=, ||= and ??= with short-circuiting
export function run(input) {
  let a = 0, b = 1, c = null, calls = 0;
  const side = () => { calls++; return 9; };
  a ||= 5; b &&= 7; c ??= 3;
  if (a !== 5 || b !== 7 || c !== 3) return "values";
  let d = 1;
  d ||= side(); d ??= side();
  let e = 0;
  e &&= side();
  if (calls !== 0) return "right side evaluated when it should short-circuit";
  const o = { get x() { return 1; }, set x(v) { calls++; } };
  o.x ||= 2;
  return calls === 0 ? "ok" : "setter called on short-circuit";
}
