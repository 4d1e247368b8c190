// edition: ES2026
// feature: Error.isError
// checks: true for real errors, false for look-alikes
export function run(input) {
  if (typeof Error.isError !== "function") return "missing: Error.isError";
  if (!Error.isError(new TypeError("x"))) return "real error";
  if (Error.isError({ name: "Error", message: "x", __proto__: Error.prototype })) return "look-alike";
  return "ok";
}
