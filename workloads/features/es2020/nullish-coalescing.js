// edition: ES2020
// feature: Nullish coalescing
// checks: ?? only replaces null and undefined
export function run(input) {
  if ((0 ?? 5) !== 0 || ("" ?? "x") !== "" || (false ?? true) !== false) return "replaced a falsy value";
  if ((null ?? 5) !== 5 || (undefined ?? 6) !== 6) return "did not replace null/undefined";
  return "ok";
}
