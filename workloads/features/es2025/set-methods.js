// edition: ES2025
// feature: Set methods
// checks: union, intersection, difference, symmetricDifference, isSubsetOf, isDisjointFrom
export function run(input) {
  if (typeof Set.prototype.union !== "function") return "missing: Set.prototype.union";
  const a = new Set([1, 2, 3]), b = new Set([3, 4]);
  const show = (s) => [...s].join();
  if (show(a.union(b)) !== "1,2,3,4") return "union";
  if (show(a.intersection(b)) !== "3") return "intersection";
  if (show(a.difference(b)) !== "1,2") return "difference";
  if (show(a.symmetricDifference(b)) !== "1,2,4") return "symmetricDifference";
  if (!new Set([1]).isSubsetOf(a) || a.isDisjointFrom(b)) return "predicates";
  if (show(a.union(new Map([[9, 0]]))) !== "1,2,3,9") return "set-like argument";
  return "ok";
}
