// edition: ES2020
// feature: Optional chaining
// checks: a?.b, a?.[k], f?.() short-circuit on null and undefined
export function run(input) {
  const o = { a: { b: 1 }, f() { return 2; } };
  const n = null;
  if (o?.a?.b !== 1 || n?.a?.b !== undefined) return "member access";
  if (o?.["a"]?.b !== 1) return "computed access";
  if (o.f?.() !== 2 || o.g?.() !== undefined) return "optional call";
  let evaluated = false;
  n?.[(evaluated = true)];
  if (evaluated) return "did not short-circuit";
  return "ok";
}
