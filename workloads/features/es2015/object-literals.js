// edition: ES2015
// feature: Enhanced object literals
// checks: shorthand, computed keys, methods with super, __proto__ in literals
export function run(input) {
  const x = 1, key = "dyn";
  const base = { hello() { return "base"; } };
  const o = { x, [key + 1]: 2, __proto__: base, hello() { return "child+" + super.hello(); } };
  if (o.x !== 1 || o.dyn1 !== 2) return "shorthand or computed key";
  if (Object.getPrototypeOf(o) !== base) return "__proto__ in a literal";
  if (o.hello() !== "child+base") return "super in a method";
  return "ok";
}
