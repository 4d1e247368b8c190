// edition: ES2017
// feature: Object.entries, values and getOwnPropertyDescriptors
// checks: own enumerable string keys in order; descriptors with accessors
export function run(input) {
  if (typeof Object.entries !== "function") return "missing: Object.entries";
  const o = { b: 2, a: 1, [Symbol()]: 3 };
  Object.defineProperty(o, "hidden", { value: 0, enumerable: false });
  if (JSON.stringify(Object.entries(o)) !== '[["b",2],["a",1]]') return "entries gave " + JSON.stringify(Object.entries(o));
  if (Object.values(o).join() !== "2,1") return "values";
  const d = Object.getOwnPropertyDescriptors({ get g() { return 1; } });
  if (typeof d.g.get !== "function" || d.g.enumerable !== true) return "getOwnPropertyDescriptors";
  return "ok";
}
