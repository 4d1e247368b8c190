// edition: ES2023
// feature: Change array by copy
// checks: toSorted, toReversed, toSpliced and with leave the original untouched
export function run(input) {
  if (typeof [].toSorted !== "function") return "missing: Array.prototype.toSorted";
  const a = [3, 1, 2];
  if (a.toSorted().join() !== "1,2,3" || a.toReversed().join() !== "2,1,3") return "toSorted/toReversed";
  if (a.toSpliced(1, 1, 9, 9).join() !== "3,9,9,2" || a.with(0, 0).join() !== "0,1,2") return "toSpliced/with";
  if (a.join() !== "3,1,2") return "original changed";
  try { a.with(5, 0); return "with() out of range did not throw"; } catch (e) { if (!(e instanceof RangeError)) return "with() threw " + e; }
  return "ok";
}
