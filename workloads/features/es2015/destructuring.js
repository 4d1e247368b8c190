// edition: ES2015
// feature: Destructuring
// checks: array and object patterns, defaults, rest, nesting, swapping
export function run(input) {
  const [a, , b = 5, ...rest] = [1, 2, undefined, 4, 5];
  if (a !== 1 || b !== 5 || rest.join() !== "4,5") return "array pattern";
  const { p, q: { r = 3 } = {}, ...others } = { p: 1, s: 2, t: 3 };
  if (p !== 1 || r !== 3 || Object.keys(others).join() !== "s,t") return "object pattern";
  let x = 1, y = 2;
  [x, y] = [y, x];
  if (x !== 2 || y !== 1) return "swap";
  const f = ({ n = 1 } = {}) => n;
  if (f() !== 1 || f({ n: 7 }) !== 7) return "parameter pattern";
  return "ok";
}
