// edition: ES2023
// feature: Symbols as WeakMap keys
// checks: non-registered symbols in WeakMap, WeakSet and WeakRef
export function run(input) {
  const s = Symbol("k");
  let wm;
  try { wm = new WeakMap([[s, 1]]); } catch (e) { return "missing: symbol keys (" + e.constructor.name + ")"; }
  if (wm.get(s) !== 1) return "WeakMap get";
  try { new WeakMap([[Symbol.for("registered"), 1]]); return "registered symbol accepted"; } catch (e) { if (!(e instanceof TypeError)) return "registered symbol threw " + e; }
  if (new WeakRef(s).deref() !== s) return "WeakRef of a symbol";
  return "ok";
}
