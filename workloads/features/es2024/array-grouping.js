// edition: ES2024
// feature: Object.groupBy and Map.groupBy
// checks: grouping into null-prototype objects and Maps
export function run(input) {
  if (typeof Object.groupBy !== "function") return "missing: Object.groupBy";
  if (typeof Map.groupBy !== "function") return "missing: Map.groupBy";
  const g = Object.groupBy([1, 2, 3, 4, 5], (x) => (x % 2 ? "odd" : "even"));
  if (Object.getPrototypeOf(g) !== null) return "result has a prototype";
  if (g.odd.join() !== "1,3,5" || g.even.join() !== "2,4") return "groups";
  const m = Map.groupBy(["a", "bb", "cc"], (s) => s.length);
  if (m.get(2).join() !== "bb,cc" || [...m.keys()].join() !== "1,2") return "Map.groupBy";
  return "ok";
}
