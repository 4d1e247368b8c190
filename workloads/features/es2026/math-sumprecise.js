// edition: ES2026
// feature: Math.sumPrecise
// checks: exact summation of floats
export function run(input) {
  if (typeof Math.sumPrecise !== "function") return "missing: Math.sumPrecise";
  const s = Math.sumPrecise([1e20, 0.1, -1e20]);
  return s === 0.1 ? "ok" : "sum gave " + s;
}
