// edition: ES2023
// feature: Array findLast/findLastIndex
// checks: search from the end on arrays and typed arrays
export function run(input) {
  if (typeof [].findLast !== "function") return "missing: Array.prototype.findLast";
  const a = [1, 2, 3, 4];
  if (a.findLast((x) => x % 2 === 1) !== 3 || a.findLastIndex((x) => x % 2 === 1) !== 2) return "findLast";
  if (a.findLastIndex((x) => x > 9) !== -1) return "not found";
  if (new Int8Array([1, 5, 2]).findLast((x) => x > 1) !== 2) return "typed array";
  return "ok";
}
