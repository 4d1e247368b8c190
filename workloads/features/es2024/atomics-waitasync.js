// edition: ES2024
// feature: Atomics.waitAsync
// checks: immediate results (not-equal, timed-out) and a wait woken by Atomics.notify
export async function run(input) {
  if (typeof SharedArrayBuffer !== "function") return "missing: SharedArrayBuffer";
  if (typeof Atomics.waitAsync !== "function") return "missing: Atomics.waitAsync";
  const ia = new Int32Array(new SharedArrayBuffer(8));
  const ne = Atomics.waitAsync(ia, 0, 1);
  if (ne.async !== false || ne.value !== "not-equal") return "not-equal result";
  const to = Atomics.waitAsync(ia, 0, 0, 0);
  if (to.async !== false || to.value !== "timed-out") return "zero timeout result";
  const w = Atomics.waitAsync(ia, 0, 0);
  if (w.async !== true) return "wait did not go async";
  if (Atomics.notify(ia, 0, 1) !== 1) return "notify woke nobody";
  const v = await w.value;
  return v === "ok" ? "ok" : "woken wait gave " + v;
}
