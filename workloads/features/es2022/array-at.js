// edition: ES2022
// feature: at() on arrays, strings and typed arrays
// checks: negative indices, out of range
export function run(input) {
  if (typeof [].at !== "function") return "missing: Array.prototype.at";
  if ([1, 2, 3].at(-1) !== 3 || [1].at(5) !== undefined) return "Array at";
  if ("abc".at(-2) !== "b") return "String at";
  if (new Uint8Array([7, 8]).at(-1) !== 8) return "TypedArray at";
  return "ok";
}
