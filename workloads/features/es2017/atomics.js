// edition: ES2017
// feature: SharedArrayBuffer and Atomics
// checks: Atomics.add/compareExchange/load on an Int32Array over a SharedArrayBuffer
export function run(input) {
  if (typeof SharedArrayBuffer !== "function") return "missing: SharedArrayBuffer";
  if (typeof Atomics !== "object") return "missing: Atomics";
  const ia = new Int32Array(new SharedArrayBuffer(16));
  if (Atomics.add(ia, 0, 5) !== 0 || Atomics.load(ia, 0) !== 5) return "Atomics.add";
  if (Atomics.compareExchange(ia, 0, 5, 9) !== 5 || ia[0] !== 9) return "Atomics.compareExchange";
  if (Atomics.isLockFree(4) !== true) return "isLockFree(4)";
  return "ok";
}
