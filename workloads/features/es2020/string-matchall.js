// edition: ES2020
// feature: String.prototype.matchAll
// checks: iterator of matches with groups; requires g
export function run(input) {
  if (typeof "".matchAll !== "function") return "missing: String.prototype.matchAll";
  const all = [..."a1b2".matchAll(/([a-z])(\d)/g)].map((m) => m[1] + m[2] + "@" + m.index);
  if (all.join() !== "a1@0,b2@2") return "matches " + all.join();
  try { "x".matchAll(/x/); return "non-global RegExp accepted"; } catch (e) { if (!(e instanceof TypeError)) return "non-global threw " + e; }
  return "ok";
}
