// edition: ES2025
// feature: Float16Array and Math.f16round
// checks: half-precision rounding and storage
export function run(input) {
  if (typeof Math.f16round !== "function") return "missing: Math.f16round";
  if (typeof Float16Array !== "function") return "missing: Float16Array";
  if (Math.f16round(1.337) !== 1.3369140625) return "f16round gave " + Math.f16round(1.337);
  if (Math.f16round(70000) !== Infinity) return "overflow";
  const a = new Float16Array([0.1]);
  return a[0] === 0.0999755859375 ? "ok" : "Float16Array stored " + a[0];
}
