// edition: ES2025
// feature: Promise.try
// checks: sync results and throws become promises
export async function run(input) {
  if (typeof Promise.try !== "function") return "missing: Promise.try";
  if ((await Promise.try((a, b) => a + b, 1, 2)) !== 3) return "value with arguments";
  try { await Promise.try(() => { throw new Error("t"); }); return "throw not turned into a rejection"; } catch (e) { return e.message === "t" ? "ok" : "reason"; }
}
