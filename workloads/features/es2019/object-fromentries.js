// edition: ES2019
// feature: Object.fromEntries
// checks: from arrays of pairs, Maps and iterables
export function run(input) {
  if (typeof Object.fromEntries !== "function") return "missing: Object.fromEntries";
  const o = Object.fromEntries(new Map([["a", 1], ["b", 2]]));
  if (o.a !== 1 || o.b !== 2) return "from a Map";
  const doubled = Object.fromEntries(Object.entries({ x: 1 }).map(([k, v]) => [k, v * 2]));
  return doubled.x === 2 ? "ok" : "round trip";
}
