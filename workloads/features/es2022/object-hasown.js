// edition: ES2022
// feature: Object.hasOwn
// checks: own properties only, works on null-prototype objects
export function run(input) {
  if (typeof Object.hasOwn !== "function") return "missing: Object.hasOwn";
  const o = Object.create({ inherited: 1 });
  o.own = 1;
  if (!Object.hasOwn(o, "own") || Object.hasOwn(o, "inherited")) return "own vs inherited";
  const bare = Object.create(null);
  bare.x = 1;
  return Object.hasOwn(bare, "x") ? "ok" : "null-prototype object";
}
