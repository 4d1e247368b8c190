// edition: ES2024
// feature: Promise.withResolvers
// checks: a promise with its resolve and reject functions
export async function run(input) {
  if (typeof Promise.withResolvers !== "function") return "missing: Promise.withResolvers";
  const { promise, resolve } = Promise.withResolvers();
  resolve(5);
  if ((await promise) !== 5) return "resolve";
  const r = Promise.withResolvers();
  r.reject(new Error("x"));
  try { await r.promise; return "reject"; } catch (e) { return e.message === "x" ? "ok" : "reason"; }
}
