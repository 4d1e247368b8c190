// edition: ES2015
// feature: Default, rest and spread parameters
// checks: default values, rest parameters, spread in calls and arrays
function f(a, b = a * 2, ...more) { return [a, b, more.length].join(); }
export function run(input) {
  if (f(1) !== "1,2,0") return "default parameter gave " + f(1);
  if (f(1, undefined, 3, 4) !== "1,2,2") return "rest parameter";
  const args = [3, 1, 2];
  if (Math.max(...args) !== 3) return "spread call";
  if ([0, ...args, 4].join() !== "0,3,1,2,4") return "array spread";
  if ([..."héllo"].length !== 5) return "string spread";
  return "ok";
}
