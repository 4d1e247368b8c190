// edition: ES2025
// feature: Iterator helpers
// checks: Iterator.from, map/filter/take/drop/flatMap/toArray/reduce, laziness
export function run(input) {
  if (typeof Iterator !== "function") return "missing: Iterator";
  if (typeof Iterator.prototype.map !== "function") return "missing: Iterator.prototype.map";
  let pulled = 0;
  function* naturals() { let n = 0; for (;;) { pulled++; yield n++; } }
  const r = naturals().filter((x) => x % 2).map((x) => x * 10).drop(1).take(2).toArray();
  if (r.join() !== "30,50") return "pipeline gave " + r.join();
  if (pulled !== 6) return "not lazy: pulled " + pulled;
  const wrapped = Iterator.from({ next() { return { done: true }; } });
  if (!(wrapped instanceof Iterator)) return "Iterator.from";
  if ([1, 2].values().flatMap((x) => [x, x]).reduce((s, x) => s + x, 0) !== 6) return "flatMap/reduce";
  return "ok";
}
