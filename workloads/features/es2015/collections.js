// edition: ES2015
// feature: Map, Set, WeakMap, WeakSet
// checks: insertion order, SameValueZero keys, object keys, weak collections
export function run(input) {
  const m = new Map([[NaN, "nan"], [0, "zero"]]);
  if (m.get(NaN) !== "nan" || m.get(-0) !== "zero") return "SameValueZero keys";
  const k = {};
  m.set(k, "obj");
  if ([...m.values()].join() !== "nan,zero,obj") return "insertion order";
  const s = new Set([1, 2, 2, 3]);
  if (s.size !== 3) return "Set dedup";
  const wm = new WeakMap([[k, 1]]);
  const ws = new WeakSet([k]);
  if (wm.get(k) !== 1 || !ws.has(k)) return "weak collections";
  try { wm.set(1, 1); return "WeakMap accepted a primitive key"; } catch (e) { if (!(e instanceof TypeError)) return "WeakMap primitive key threw " + e; }
  return "ok";
}
