// edition: ES2018
// feature: Promise.prototype.finally
// checks: runs on both outcomes and passes the value or reason through
export async function run(input) {
  if (typeof Promise.prototype.finally !== "function") return "missing: Promise.prototype.finally";
  let n = 0;
  const v = await Promise.resolve(7).finally(() => { n++; return 99; });
  if (v !== 7) return "finally changed the value";
  try { await Promise.reject(new Error("r")).finally(() => { n++; }); return "rejection swallowed"; } catch (e) { if (e.message !== "r") return "reason changed"; }
  return n === 2 ? "ok" : "callback ran " + n + " times";
}
