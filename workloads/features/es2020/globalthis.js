// edition: ES2020
// feature: globalThis
// checks: globalThis is the global object in modules
export function run(input) {
  if (typeof globalThis !== "object") return "missing: globalThis";
  globalThis.__probeValue = 5;
  const seen = typeof __probeValue === "number" ? __probeValue : -1;
  delete globalThis.__probeValue;
  if (seen !== 5) return "globalThis property is not a global binding";
  if (globalThis.Array !== Array) return "globalThis.Array";
  return "ok";
}
