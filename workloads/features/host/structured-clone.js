// edition: host
// feature: structuredClone
// checks: deep copies of Maps, Dates and cycles (an HTML API many runtimes add)
export function run(input) {
  if (typeof structuredClone !== "function") return "missing: structuredClone";
  const o = { m: new Map([[1, { d: new Date(0) }]]) };
  o.self = o;
  const c = structuredClone(o);
  if (c === o || c.self !== c) return "cycle";
  if (!(c.m.get(1).d instanceof Date) || c.m.get(1).d.getTime() !== 0) return "Map with a Date";
  try { structuredClone(() => 1); return "cloned a function"; } catch (e) { return e.name === "DataCloneError" ? "ok" : "function clone threw " + e.name; }
}
